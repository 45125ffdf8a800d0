"""Import timings and counts over the MIWG subset in tests/data (the full run:
benchmarks/import_miwg.py)."""

from __future__ import annotations

from pathlib import Path

from import_miwg import measure

ROOT = Path(__file__).resolve().parents[1]


def run(report) -> None:
    counts = measure(ROOT / "tests" / "data" / "bpmn-miwg")
    report("import", "MIWG subset files imported", counts["imported"], "files",
           f">= {counts['files']}")
    report("import", "MIWG subset crashes", len(counts["crashes"]), "files", "<= 0")
    report("import", "MIWG subset elements not carried over",
           sum(counts["dropped"].values()), "elements")
    report("import", "MIWG subset import time (all files)", counts["seconds"], "s")
