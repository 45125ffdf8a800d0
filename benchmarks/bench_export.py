"""Document export timings: the board specification PDF and the Surgery School booklet.

Targets (issue 5): spec PDF of a 200-step pathway <= 3 s; of an exemplar <= 1 s.
Each figure is the best of a few runs in this process, after one warm-up run
(fonts registered, Qt started), which is what a user exporting twice sees.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from generate import make_pathway
from timing import best_of

ROOT = Path(__file__).resolve().parent.parent
EXEMPLAR = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"


def run(report) -> None:
    from designer.export.school import export_school
    from designer.export.spec import export_spec
    from designer.graph.io import load_pathway

    big = make_pathway(200)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        export_spec(big, "pdf", out / "warm.pdf")          # warm-up: fonts, Qt
        report("export", "spec PDF, 200 steps", best_of(3, lambda: export_spec(
            big, "pdf", out / "big.pdf")), "s", "<= 3")
        report("export", "spec HTML, 200 steps", best_of(3, lambda: export_spec(
            big, "html", out / "big.html")), "s")
        report("export", "spec DOCX, 200 steps", best_of(2, lambda: export_spec(
            big, "docx", out / "big.docx")), "s")
        if EXEMPLAR.exists():
            exemplar = load_pathway(EXEMPLAR)
            report("export", f"spec PDF, exemplar ({len(exemplar.steps)} steps)",
                   best_of(5, lambda: export_spec(exemplar, "pdf", out / "ex.pdf")), "s",
                   "<= 1")
            report("export", "school PDF, exemplar", best_of(5, lambda: export_school(
                exemplar, "pdf", out / "school.pdf")), "s")
