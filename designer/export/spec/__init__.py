"""The pathway specification for ICS boards, in HTML, PDF, DOCX or Markdown.

Usage::

    from designer.export.spec import export_spec
    export_spec(pathway, "pdf", "colorectal-spec.pdf")

The content is gathered once (:mod:`designer.export.spec.content`) and laid out
by one writer per format, so every format says the same thing: cover, summary
and population, diagram, steps by phase, handoffs, timeline with critical path,
validation summary (with waived findings and their reasons), evidence, roles
and settings, glossary and, when a diff is given, an appendix of changes.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

from designer.export.kit.files import ExportError, write_export  # noqa: F401 (ExportError: raised here)
from designer.graph.model import Pathway
from designer.export.spec.content import SpecContent, build_spec

SPEC_FORMATS = ("html", "pdf", "docx", "md")


def export_spec(pathway: Pathway, fmt: str, out_path: str | os.PathLike[str],
                report: Any = None, diff: Any = None,
                today: _dt.date | None = None) -> Path:
    """Write the board specification of ``pathway`` to ``out_path``.

    Parameters
    ----------
    pathway
        The pathway (not changed).
    fmt
        ``"html"``, ``"pdf"``, ``"docx"`` or ``"md"``.
    out_path
        The file to write. It is written to a temporary file beside it first and
        then moved into place, so a failed export leaves no half-written file.
    report
        A ``ValidationReport``; validation runs now when None.
    diff
        An optional ``PathwayDiff`` printed as an appendix of changes.
    today
        The date on the cover (defaults to today).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValueError
        For an unknown format.
    ExportError
        When the file cannot be written (the message names the file).
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in SPEC_FORMATS:
        raise ValueError(f"Unknown specification format '{fmt}': "
                         f"choose one of {', '.join(SPEC_FORMATS)}")
    if report is None:
        from designer.graph.validate import validate

        report = validate(pathway)
    content = _shared_content(pathway, report, diff, today)
    target = Path(out_path)
    return write_export(target, lambda tmp: _write(fmt, content, pathway, report, tmp))


#: The content last gathered: (pathway, report, diff, date, the pathway's text, content).
#: Writing the specification in several formats of one unchanged pathway (the export
#: dialog, ``periop export``) gathers it once; a pathway changed in place since has
#: other text, and a new report or diff is another object.
_LAST: list = []


def _shared_content(pathway: Pathway, report: Any, diff: Any,
                    today: _dt.date | None) -> SpecContent:
    day = today or _dt.date.today()
    text = pathway.model_dump_json()
    if _LAST:
        was_pathway, was_report, was_diff, was_day, was_text, content = _LAST[0]
        if (was_pathway is pathway and was_report is report and was_diff is diff
                and was_day == day and was_text == text):
            return content
    content = build_spec(pathway, report=report, diff=diff, today=day)
    _LAST[:] = [(pathway, report, diff, day, text, content)]
    return content


def spec_content(pathway: Pathway, report: Any = None, diff: Any = None) -> SpecContent:
    """The specification's content without writing a file (for previews and tests)."""
    return build_spec(pathway, report=report, diff=diff)


def _write(fmt: str, content: SpecContent, pathway: Pathway, report: Any, path: Path) -> None:
    if fmt == "pdf":
        from designer.export.spec.pdf import write_spec_pdf

        write_spec_pdf(content, pathway, report, path)
    elif fmt == "html":
        from designer.export.spec.html import render_spec_html

        path.write_text(render_spec_html(content, pathway, report), encoding="utf-8")
    elif fmt == "docx":
        from designer.export.spec.docx import write_spec_docx

        write_spec_docx(content, pathway, report, path)
    else:
        from designer.export.spec.md import render_spec_md

        path.write_text(render_spec_md(content), encoding="utf-8")
