"""The board pack as an A4 PDF (reportlab), the specification's pages as appendix A."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, \
    TableStyle

from designer.export.board.blocks import (
    Bullets, Chart, Cover, Heading, Link, PageBreak as Break, Para, Table as BoardTable,
)
from designer.export.board.content import PART_TITLES, BoardContent, trace_intro, trace_table
from designer.export.kit import pdf as kit
from designer.export.kit.pdf import esc
from designer.export.spec.pdf import _SpecDoc, spec_story


def _runs(runs) -> str:
    out = []
    for r in runs if isinstance(runs, list) else [runs]:
        if isinstance(r, Link):
            out.append(f'<link href="{esc(r.url)}" color="#005eb8"><u>{esc(r.text)}</u></link>')
        else:
            out.append(esc(r))
    return "".join(out)


def _heading(text: str, style, level: int) -> Paragraph:
    para = Paragraph(esc(text), style)
    para._outline_level = level
    return para


def _flowables(blocks, st) -> list:
    flow: list = []
    for b in blocks:
        if isinstance(b, Cover):
            band = Table([[Paragraph(esc(b.kicker), st["kicker"])], [Spacer(1, 4)],
                          [_heading(b.title, st["title"], 0)]], colWidths=[kit.FRAME_WIDTH])
            band.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, -1), kit.NHS_BLUE),
                ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 14),
                ("TOPPADDING", (0, 0), (0, 0), 14), ("BOTTOMPADDING", (0, -1), (-1, -1), 16),
            ]))
            flow += [band, Spacer(1, 5 * mm)]
        elif isinstance(b, Heading):
            style = {1: "h1", 2: "h2", 3: "h3"}[b.level]
            if b.level < 3:
                flow.append(_heading(b.text, st[style], b.level - 1))
            else:
                flow.append(Paragraph(esc(b.text), st[style]))
        elif isinstance(b, Para):
            label = f"<b>{esc(b.label)}</b> " if b.label else ""
            body = _runs(b.runs)
            if label or body:
                style = {"small": "small", "lead": "lead"}.get(b.style, "body")
                flow.append(Paragraph(label + body, st[style]))
        elif isinstance(b, Bullets):
            flow += [Paragraph(_runs(i), st["bullet"], bulletText="\u2022") for i in b.items]
        elif isinstance(b, BoardTable):
            rows = [[Paragraph(_runs(c), st["cell"]) for c in row] for row in b.rows]
            if b.anchor == "cover-facts":
                table = Table([[Paragraph(f"<b>{_runs(r[0])}</b>", st["cell"]), r[1]]
                               for r, row in zip(b.rows, rows)],
                              colWidths=[w * kit.FRAME_WIDTH for w in b.widths], hAlign="LEFT")
                table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, kit.GRID),
                                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                flow.append(table)
            else:
                flow.append(kit.data_table(b.header, rows, b.widths, st))
            flow.append(Spacer(1, 3 * mm))
        elif isinstance(b, Chart):
            width = kit.FRAME_WIDTH * b.width_fraction
            image = Image(io.BytesIO(b.png), width=width, height=width * b.aspect)
            flow.append(KeepTogether([image, Paragraph(esc(b.caption), st["caption"])]))
        elif isinstance(b, Break):
            flow.append(PageBreak())
    return flow


def write_board_pdf(content: BoardContent, pathway, report, out_path: Path) -> None:
    st = kit.styles(9.5)
    st["lead"] = st["body"].clone("lead", fontSize=10.5, leading=14.5)
    st["h1"] = st["h1"].clone("boardh1", fontSize=17, leading=21)
    footer = f"{content.title} \u2022 board paper \u2022 version {content.version}"
    doc = _SpecDoc(str(out_path), pagesize=kit.A4, leftMargin=kit.MARGIN,
                   rightMargin=kit.MARGIN, topMargin=kit.MARGIN,
                   bottomMargin=kit.footer_margin(footer),
                   title=f"{content.title}: board paper",
                   author=pathway.organisation or "Perioperative Pathway Designer",
                   subject="Business case and board paper", creator="Perioperative Pathway "
                   "Designer", lang="en-GB")
    story = _flowables(content.blocks, st)
    story += [PageBreak(), _heading(PART_TITLES["spec"], st["h1"], 0)]
    story += spec_story(content.spec, pathway, report, kit.styles(9.5))
    story += [PageBreak()]
    story += _flowables([Heading(PART_TITLES["trace"], 1, "trace"), Para([trace_intro()]),
                         trace_table(content)], st)
    doc.build(story, canvasmaker=kit.canvas_maker(footer))
