"""The workshop action log: the priorities a network agreed, and its sticky notes.

One content builder (:func:`action_log_rows`, :func:`notes_by_category`) and three
writers (CSV, Markdown, DOCX) so the formats always say the same thing. Priorities
are ordered quick wins, critical milestones, projects; within each, most votes
first, then earliest due date. Never imports designer.ui.
"""

from __future__ import annotations

import csv
import io as _io
import os
from pathlib import Path

from designer.graph.io import PathwaySaveError, write_file_atomic, write_text_atomic
from designer.graph.model import Pathway, Priority, PriorityKind
from designer.graph.vocabulary import (
    NOTE_CATEGORY_HEADINGS, PRIORITY_KIND_LABELS, PRIORITY_STATUS_LABELS,
)

KIND_LABELS = PRIORITY_KIND_LABELS
STATUS_LABELS = PRIORITY_STATUS_LABELS
CATEGORY_LABELS = NOTE_CATEGORY_HEADINGS
COLUMNS = ("Kind", "Title", "Owner", "Due", "Status", "Linked steps", "Votes", "Description")
FORMATS = ("csv", "md", "docx")

_KIND_ORDER = {kind: i for i, kind in enumerate(PriorityKind)}


class ActionLogError(Exception):
    """The action log could not be written; ``str()`` is the message for people."""


def _owner_name(pathway: Pathway, owner: str | None) -> str:
    role = pathway.role(owner) if owner else None
    return role.name if role else (owner or "")


def _step_names(pathway: Pathway, ids: list[str]) -> list[str]:
    names = []
    for step_id in ids:
        step = pathway.step(step_id)
        names.append(step.name if step else f"{step_id} (step no longer in pathway)")
    return names


def ordered_priorities(pathway: Pathway) -> list[Priority]:
    """Priorities by kind, then most votes, then earliest due date (undated last)."""
    votes = pathway.tally()
    return sorted(pathway.priorities, key=lambda p: (
        _KIND_ORDER[p.kind], -votes.get(p.id, 0), p.due or "9999-99-99", p.title.lower()))


def action_log_rows(pathway: Pathway) -> list[dict[str, str]]:
    """One row per priority, keyed by :data:`COLUMNS`, all text."""
    votes = pathway.tally()
    return [{
        "Kind": KIND_LABELS[p.kind],
        "Title": p.title,
        "Owner": _owner_name(pathway, p.owner),
        "Due": p.due or "",
        "Status": STATUS_LABELS[p.status],
        "Linked steps": "; ".join(_step_names(pathway, p.steps)),
        "Votes": str(votes.get(p.id, 0)),
        "Description": p.description or "",
    } for p in ordered_priorities(pathway)]


def notes_by_category(pathway: Pathway) -> list[tuple[str, list[dict[str, str]]]]:
    """Notes grouped by category (questions, risks, ideas, decisions); empty groups left out."""
    groups = []
    for category, label in CATEGORY_LABELS.items():
        notes = [{"text": n.text, "author": n.author or "",
                  "about": _note_target(pathway, n.target)}
                 for n in pathway.notes if n.category == category]
        if notes:
            groups.append((label, notes))
    return groups


def _note_target(pathway: Pathway, target: str | None) -> str:
    if not target:
        return "the pathway"
    if "->" in target:
        return " → ".join(_step_names(pathway, target.split("->", 1)))
    return _step_names(pathway, [target])[0]


# --------------------------------------------------------------------- writers


def _safe_cell(text: str) -> str:
    """Stop spreadsheets reading a title such as '=1+1' or '-ve result' as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(pathway: Pathway) -> str:
    """The priorities as CSV text (header row first)."""
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in action_log_rows(pathway):
        writer.writerow([_safe_cell(row[c]) for c in COLUMNS])
    return buffer.getvalue()


def _md(text: str) -> str:
    """Workshop text as inert Markdown: no raw HTML, no links, no table breaks.

    The same escaping as the specification's Markdown (``md_escape``): ``<`` and
    ``&`` become entities, so ``<script>`` or ``<javascript:...>`` stay text, and
    brackets are escaped, so ``[x](javascript:...)`` is never a link.
    """
    from designer.export.spec.md import md_escape

    return md_escape(text)


def to_markdown(pathway: Pathway) -> str:
    """The action log as Markdown: a table per kind of priority, then the notes."""
    lines = [f"# Workshop action log: {_md(pathway.title)}", "",
             f"Pathway version {_md(pathway.version)}.", ""]
    rows = action_log_rows(pathway)
    lines += ["## Priorities", ""]
    if not rows:
        lines += ["No priorities were recorded.", ""]
    for kind in KIND_LABELS.values():
        group = [r for r in rows if r["Kind"] == kind]
        if not group:
            continue
        lines += [f"### {kind}s", "", "| " + " | ".join(COLUMNS[1:]) + " |",
                  "|" + "---|" * (len(COLUMNS) - 1)]
        for r in group:
            lines.append("| " + " | ".join(_md(r[c]) for c in COLUMNS[1:]) + " |")
        lines.append("")
    notes = notes_by_category(pathway)
    if notes:
        lines += ["## Workshop notes", ""]
        for label, items in notes:
            lines += [f"### {label}", ""]
            for n in items:
                by = f" ({_md(n['author'])})" if n["author"] else ""
                lines.append(f"- **{_md(n['about'])}**: {_md(n['text'])}{by}")
            lines.append("")
    return "\n".join(lines)


def write_docx(pathway: Pathway, out_path: str | os.PathLike[str]) -> None:
    """The action log as a Word document with real headings and a table per kind."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"Workshop action log: {pathway.title}", level=0)
    doc.add_paragraph(f"Pathway version {pathway.version}.")
    doc.add_heading("Priorities", level=1)
    rows = action_log_rows(pathway)
    if not rows:
        doc.add_paragraph("No priorities were recorded.")
    for kind in KIND_LABELS.values():
        group = [r for r in rows if r["Kind"] == kind]
        if not group:
            continue
        doc.add_heading(f"{kind}s", level=2)
        table = doc.add_table(rows=1, cols=len(COLUMNS) - 1)
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, COLUMNS[1:]):
            cell.text = ""
            cell.paragraphs[0].add_run(name).bold = True
        _repeat_header(table.rows[0])
        for r in group:
            cells = table.add_row().cells
            for cell, name in zip(cells, COLUMNS[1:]):
                cell.text = r[name]
    notes = notes_by_category(pathway)
    if notes:
        doc.add_heading("Workshop notes", level=1)
        for label, items in notes:
            doc.add_heading(label, level=2)
            for n in items:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(n["about"] + ": ").bold = True
                para.add_run(n["text"] + (f" ({n['author']})" if n["author"] else ""))
    _save_atomic(doc, Path(out_path))


def _repeat_header(row) -> None:
    """Repeat the header row on every page of a long table (Word's tblHeader flag)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _save_atomic(doc, target: Path) -> None:
    write_file_atomic(target, lambda tmp: doc.save(str(tmp)), error=ActionLogError)


def export_action_log(pathway: Pathway, fmt: str, out_path: str | os.PathLike[str]) -> None:
    """Write the action log as ``fmt`` (``"csv"``, ``"md"`` or ``"docx"``) to ``out_path``.

    Raises
    ------
    ActionLogError
        When the format is unknown or the file cannot be written.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ActionLogError(f"Unknown action log format '{fmt}': use CSV, Markdown or DOCX.")
    try:
        if fmt == "docx":
            write_docx(pathway, out_path)
        elif fmt == "csv":
            # a byte-order mark so Excel on NHS desktops reads accents and symbols right
            write_text_atomic(Path(out_path), "\ufeff" + to_csv(pathway))
        else:
            write_text_atomic(Path(out_path), to_markdown(pathway))
    except PathwaySaveError as exc:
        raise ActionLogError(str(exc)) from None
