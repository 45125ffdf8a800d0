"""The board pack: a paper an ICS board can decide on (DESIGN section 8).

Usage::

    from designer.export.board import export_board
    export_board(pathway, "pdf", "eras-board-pack.pdf")               # simulates (2 workers)
    export_board(pathway, "html", "pack.html", results=last_results)  # reuses results

Built from the pathway, its validation findings, its evidence, its
``business_case:`` block and its simulation (run at the file's flow settings, or
the ``results`` passed in when they still describe the pathway). The content is
gathered once (:mod:`designer.export.board.content`) and laid out by one writer
per format. The pathway specification is the pack's technical appendix, laid out
by the specification's own writers.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

from designer.export.kit.files import write_export
from designer.graph.model import Pathway

BOARD_FORMATS = ("html", "pdf", "docx")


def board_content(pathway: Pathway, *, results: Any = None, report: Any = None,
                  workers: int = 2, today: _dt.date | None = None, progress=None,
                  cancel=None):
    """The pack's content (runs the simulation unless ``results`` can be reused)."""
    from designer.export.board.content import build_board
    from designer.export.spec.content import build_spec

    if report is None:
        from designer.graph.validate import validate

        report = validate(pathway)
    runs = _runs_for(pathway, results, workers, progress, cancel)
    spec = build_spec(pathway, report=report, today=today)
    return build_board(pathway, runs, report=report, today=today, spec=spec)


#: the last simulation made for a pack: (the pathway's text, BoardRuns). Writing the pack
#: in several formats of one unchanged pathway simulates it once; given results (the
#: GUI's last run), its sensitivity runs are still made once (they depend on the
#: pathway alone).
_LAST: list = []


def _runs_for(pathway: Pathway, results: Any, workers: int, progress, cancel):
    from designer.export.board.simulate import board_runs
    from designer.graph.io import dump_pathway

    text = dump_pathway(pathway)
    last = _LAST[0][1] if _LAST and _LAST[0][0] == text else None
    if results is None and last is not None:
        return last
    runs = board_runs(pathway, results=results, workers=workers, progress=progress,
                      cancel=cancel, sensitivity_of=last)
    _LAST[:] = [(text, runs)]
    return runs


def export_board(pathway: Pathway, fmt: str, out_path: str | os.PathLike[str], *,
                 results: Any = None, report: Any = None, workers: int = 2,
                 today: _dt.date | None = None, progress=None, cancel=None) -> Path:
    """Write the board pack of ``pathway`` as ``fmt`` ("html", "pdf" or "docx").

    ``results``: a :class:`designer.sim.Results` of this pathway to reuse (the GUI's
    last run) instead of simulating again. Raises ValueError for an unknown format and
    :class:`designer.export.ExportError` when the file cannot be written.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in BOARD_FORMATS:
        raise ValueError(f"Unknown board pack format '{fmt}': choose one of "
                         f"{', '.join(BOARD_FORMATS)}")
    if report is None:
        from designer.graph.validate import validate

        report = validate(pathway)
    content = board_content(pathway, results=results, report=report, workers=workers,
                            today=today, progress=progress, cancel=cancel)
    return write_board(content, pathway, report, fmt, out_path)


def write_board(content, pathway: Pathway, report: Any, fmt: str,
                out_path: str | os.PathLike[str]) -> Path:
    """Write pack ``content`` (from :func:`board_content`) as ``fmt``."""
    return write_export(Path(out_path), lambda tmp: _write(fmt, content, pathway, report, tmp))


def _write(fmt: str, content, pathway: Pathway, report: Any, path: Path) -> None:
    if fmt == "html":
        from designer.export.board.html import render_board_html

        path.write_text(render_board_html(content, pathway, report), encoding="utf-8")
    elif fmt == "pdf":
        from designer.export.board.pdf import write_board_pdf

        write_board_pdf(content, pathway, report, path)
    else:
        from designer.export.board.docx import write_board_docx

        write_board_docx(content, pathway, report, path)
