"""Load, save and whole-process validate timings for synthetic pathways."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from generate import make_pathway
from timing import best_of, interleaved

from designer.graph.io import dump_pathway, load_pathway, save_pathway

ROOT = Path(__file__).resolve().parent.parent



def _libyaml_dump(pathway) -> str:
    """The pathway's text as one ``yaml.dump`` through libyaml's dumper writes it."""
    from designer.graph import io

    return yaml.dump(io.pathway_to_data(pathway), Dumper=io._PathwayDumper, sort_keys=False,
                     allow_unicode=True, width=100, default_flow_style=False, indent=2)


def run(report) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # the parsed-pathway cache in the temporary folder, never the user's
        old_cache = os.environ.get("PERIOP_CACHE_DIR")
        os.environ["PERIOP_CACHE_DIR"] = str(folder / "cache")
        try:
            _run(report, folder)
        finally:
            if old_cache is None:
                os.environ.pop("PERIOP_CACHE_DIR", None)
            else:
                os.environ["PERIOP_CACHE_DIR"] = old_cache


def _run(report, folder: Path) -> None:
    for n in (100, 1_000, 10_000):
        path = folder / f"p{n}.yaml"
        pathway = make_pathway(n)
        path.write_text(dump_pathway(pathway), encoding="utf-8")
        repeats = 5 if n < 10_000 else 3
        text = path.read_text(encoding="utf-8")

        def bare_paused():
            gc.disable()
            try:
                yaml.load(text, Loader=yaml.CSafeLoader)
            finally:
                gc.enable()

        # CPU time, interleaved: the ratios hold on a shared machine. "load" is the
        # YAML read (no cache); "cached" a re-read of the same bytes (designer.graph.cache)
        load_pathway(path)                     # keeps the parse in the cache
        bare, floor, load, cached = interleaved(
            repeats, lambda: yaml.load(text, Loader=yaml.CSafeLoader), bare_paused,
            lambda: load_pathway(path, use_cache=False), lambda: load_pathway(path))
        save = best_of(repeats, lambda: save_pathway(pathway, folder / "out.yaml"))
        report("file", f"load {n:,} steps (CPU)", load * 1000, "ms")
        report("file", f"save {n:,} steps", save * 1000, "ms")
        if n >= 1_000:
            # the save's text against one yaml.dump of the same data through libyaml
            # (how it was written before issue 16), CPU, interleaved
            text_cpu, dump_cpu = interleaved(3, lambda: dump_pathway(pathway),
                                             lambda: _libyaml_dump(pathway))
            report("file", f"save {n:,} steps: the YAML text (CPU)", text_cpu * 1000, "ms")
            report("file", f"save {n:,} steps: the YAML text vs yaml.dump with libyaml",
                   text_cpu / dump_cpu, "x", "<= 0.5")
        report("file", f"load / bare libyaml parse, {n:,} steps", load / bare, "x",
               "<= 1.0" if n == 10_000 else "")
        report("file", f"load / libyaml parse with GC paused (the floor), {n:,} steps",
               load / floor, "x")
        if n == 10_000:
            report("file", f"load {n:,} steps from the JSON cache (CPU)", cached * 1000, "ms")
            report("file", f"load {n:,} steps from the JSON cache vs bare libyaml parse",
                   cached / bare, "x", "<= 0.5")
            report("file", f"load {n:,} steps from the JSON cache vs libyaml parse with GC "
                   "paused", cached / floor, "x")
            report("file", f"load {n:,} steps from YAML vs from the JSON cache",
                   load / cached, "x")

    path200 = folder / "p200.yaml"
    path200.write_text(dump_pathway(make_pathway(200)), encoding="utf-8")
    cmd = [sys.executable, "-m", "designer", "validate", str(path200)]
    whole = best_of(5, lambda: subprocess.run(cmd, cwd=ROOT, capture_output=True))
    bare_python = best_of(5, lambda: subprocess.run([sys.executable, "-c", "pass"]))
    report("cli", "validate 200 steps, whole process", whole, "s", "<= 0.4")
    report("cli", "bare python start (for reference)", bare_python, "s")
