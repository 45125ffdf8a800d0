"""Fuzz the loader with a fixed-seed corpus of mutated pathway files (issue 10).

The corpus (tests/graph/fuzz_corpus.py) is generated at test time from two small
seed files, the same every run. Each file must either load or raise the loader's
own :class:`PathwayLoadError`, within a time and memory bound; each file that
loads must survive load -> save -> load with an equal model and equal findings.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from fuzz_corpus import mutants
from designer.graph.io import PathwayLoadError, dump_pathway, loads_pathway
from designer.graph.validate import validate

CORPUS = mutants(count=300, seed="periop-fuzz-1")
SECONDS_PER_FILE = 2.0
BYTES_PER_FILE = 64 * 1024 * 1024   # peak Python allocation while loading one file


def test_the_corpus_is_fixed_and_varied():
    again = mutants(count=300, seed="periop-fuzz-1")
    assert again == CORPUS
    kinds = {label.split("-", 2)[-1] for label, _ in CORPUS}
    assert {"value", "text", "structure"} <= {k for kind in kinds for k in kind.split("+")}


def test_every_mutant_loads_or_is_refused_with_the_loaders_own_error():
    outcomes = {"loaded": 0, "refused": 0}
    failures = []
    tracemalloc.start()
    try:
        for label, data in CORPUS:
            tracemalloc.reset_peak()
            start = time.perf_counter()
            try:
                pathway = loads_pathway(data, "fuzz.yaml")
            except PathwayLoadError as exc:
                outcomes["refused"] += 1
                message = str(exc)
                if not message.startswith("Cannot open fuzz.yaml") or len(message) > 1200:
                    failures.append(f"{label}: bad message {message[:120]!r}")
                pathway = None
            except Exception as exc:  # noqa: BLE001 - what the test is looking for
                failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:120]}")
                continue
            else:
                outcomes["loaded"] += 1
            elapsed = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            if elapsed > SECONDS_PER_FILE:
                failures.append(f"{label}: {elapsed:.1f} s")
            if peak > BYTES_PER_FILE:
                failures.append(f"{label}: {peak / 1e6:.0f} MB")
            if pathway is not None:
                again = loads_pathway(dump_pathway(pathway), "again.yaml")
                if not again.content_equal(pathway):
                    failures.append(f"{label}: the model changed on load -> save -> load")
                elif validate(again).to_json() != validate(pathway).to_json():
                    failures.append(f"{label}: the findings changed on load -> save -> load")
    finally:
        tracemalloc.stop()
    assert not failures, "\n".join(failures[:20])
    # the corpus exercises both paths (a corpus that all fails to parse tests little)
    assert outcomes["loaded"] >= 30 and outcomes["refused"] >= 100, outcomes


@pytest.mark.parametrize("label, data", [c for c in CORPUS if c[0].startswith("whole-")],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_whole_file_oddities(label, data):
    try:
        loads_pathway(data, "odd.yaml")
    except PathwayLoadError as exc:
        assert str(exc).startswith("Cannot open odd.yaml")
