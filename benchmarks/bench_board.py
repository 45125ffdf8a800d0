"""The board pack (issue 12): ERAS+ as PDF with its simulation, and with results reused."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from designer.graph.io import load_pathway

ROOT = Path(__file__).resolve().parents[1]
ERAS = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"


def _wall(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(report) -> None:
    from designer import sim
    from designer.export import board
    from designer.export.board import export_board

    pathway = load_pathway(ERAS)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pack.pdf"
        board._LAST.clear()
        seconds = _wall(lambda: export_board(pathway, "pdf", out, workers=2))
        report("board pack", "ERAS+ PDF, simulated at the file's settings (2 workers)",
               seconds, "s", "< 20")
        results = sim.run(pathway, scenarios=["before", "after"], workers=2)
        board._LAST.clear()
        seconds = _wall(lambda: export_board(pathway, "pdf", out, results=results, workers=2))
        report("board pack", "ERAS+ PDF, options' results reused (sensitivity re-run)",
               seconds, "s", "< 2")
        seconds = _wall(lambda: export_board(pathway, "pdf", out, workers=2))
        report("board pack", "ERAS+ PDF again, unchanged pathway (all results reused)",
               seconds, "s", "< 2")
