"""The board pack as an editable Word document (python-docx); charts as SVG with a PNG
fallback, and alt text."""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt

from designer.export.board.blocks import (
    Bullets, Chart, Cover, Heading, Link, PageBreak, Para, Table,
)
from designer.export.board.content import PART_TITLES, BoardContent, trace_intro, trace_table
from designer.export.kit import docx as kit
from designer.export.spec.docx import add_spec


def _runs(paragraph, runs, size: float | None = None, bold: bool = False) -> None:
    for r in runs if isinstance(runs, list) else [runs]:
        if isinstance(r, Link):
            kit.add_hyperlink(paragraph, r.text, r.url, size)
        elif r:
            run = paragraph.add_run(str(r))
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)


def _table(doc, b: Table) -> None:
    width = kit.PAGE_TEXT_WIDTH_MM
    facts = b.anchor == "cover-facts"
    table = kit.add_table(doc, b.header, [["" for _ in row] for row in b.rows],
                          [w * width for w in b.widths])
    if facts:
        table._tbl.remove(table.rows[0]._tr)
    for row, values in zip(table.rows[0 if facts else 1:], b.rows):
        for column, (cell, value) in enumerate(zip(row.cells, values)):
            paragraph = cell.paragraphs[0]
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            _runs(paragraph, value, 8.5, bold=facts and column == 0)


def _blocks(doc, blocks) -> None:
    for b in blocks:
        if isinstance(b, Cover):
            kicker = doc.add_paragraph()
            run = kicker.add_run(b.kicker)
            run.bold = True
            run.font.color.rgb = kit.NHS_BLUE
            doc.add_paragraph(b.title, style="Title")
        elif isinstance(b, Heading):
            doc.add_heading(b.text, level=b.level)
        elif isinstance(b, Para):
            if not b.label and not "".join(r.text if isinstance(r, Link) else r
                                           for r in b.runs):
                continue
            paragraph = doc.add_paragraph(style="Caption" if b.style == "small" else None)
            if b.label:
                paragraph.add_run(b.label + " ").bold = True
            _runs(paragraph, b.runs)
        elif isinstance(b, Bullets):
            for item in b.items:
                _runs(doc.add_paragraph(style="List Bullet"), item)
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Chart):
            width = Mm(kit.PAGE_TEXT_WIDTH_MM)
            if b.svg:      # the SVG where Word can draw it, the PNG where it cannot
                kit.add_svg_picture(doc, b.png, b.svg, width, int(width * b.aspect), b.alt)
            else:
                shape = kit.add_picture(doc, io.BytesIO(b.png), width)
                shape._inline.docPr.set("descr", b.alt)
            doc.add_paragraph(b.caption, style="Caption")
        elif isinstance(b, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_board_docx(content: BoardContent, pathway, report, out_path: Path) -> None:
    doc = kit.new_document(10.0, title=f"{content.title}: board paper",
                           subject="Business case and board paper")
    _blocks(doc, content.blocks)
    _blocks(doc, [PageBreak(), Heading(PART_TITLES["spec"], 1, "spec")])
    add_spec(doc, content.spec, pathway, report)
    _blocks(doc, [PageBreak(), Heading(PART_TITLES["trace"], 1, "trace"),
                  Para([trace_intro()]), trace_table(content)])
    kit.add_page_number_footer(doc, f"{content.title} \u2022 board paper \u2022 "
                                    f"version {content.version}")
    buffer = io.BytesIO()
    doc.save(buffer)
    Path(out_path).write_bytes(buffer.getvalue())
