"""The board specification as an editable Word document (python-docx)."""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.shared import Mm

from designer.export.kit import docx as kit
from designer.export.spec.content import SpecContent
from designer.export.spec.text import (
    DIAGRAM_KEY,
    SECTION_TITLES,
    chart_bars,
    contents,
    critical_path_sentence,
    diagram_unavailable,
    evidence_strength,
    surgery_day,
    validation_sentence,
)
from designer.export.spec.timeline_chart import split_chart, to_png, to_svg

PT_PER_MM = 72 / 25.4


def _labelled(doc, label: str, value: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}. ").bold = True
    paragraph.add_run(value)


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cover(doc, c: SpecContent) -> None:
    kicker = doc.add_paragraph()
    run = kicker.add_run("Perioperative care pathway specification")
    run.bold = True
    run.font.color.rgb = kit.NHS_BLUE
    doc.add_paragraph(c.title, style="Title")
    table = doc.add_table(rows=0, cols=2)
    for label, value in c.cover_rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    toc = doc.add_paragraph()
    toc.add_run("Contents. ").bold = True
    toc.add_run(" \u2022 ".join(title for _, title in contents(c)))
    kit.set_widths(table, [40, 134])
    doc.add_heading(SECTION_TITLES["summary"], level=1)
    doc.add_paragraph(c.summary or "No summary given.")
    _labelled(doc, "Population", c.population or "Not stated.")
    for label, value in (("Specialties", c.specialties), ("Tags", c.tags),
                         ("Rule packs checked", c.rule_packs),
                         ("Size", f"{c.step_count} steps, {len(c.handoffs)} handoffs")):
        if value:
            _labelled(doc, label, value)


def _new_section(doc, landscape: bool) -> None:
    """Start a new page in a section of the given orientation (A4, same margins)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(297), Mm(210)
    section.page_width, section.page_height = ((long_side, short_side) if landscape
                                               else (short_side, long_side))


def _diagram(doc, c: SpecContent, pathway, report) -> None:
    # A pathway is wide: its diagram goes in a landscape section, back to portrait after.
    _new_section(doc, landscape=True)
    doc.add_heading(SECTION_TITLES["diagram"], level=1)
    doc.add_paragraph(DIAGRAM_KEY).paragraph_format.keep_with_next = True
    height = (210 - 2 * 18 - 12) * PT_PER_MM     # less room for Word's caption spacing
    width = (297 - 2 * 18) * PT_PER_MM
    try:
        from designer.export.diagram_pages import MIN_SCALE, diagram_pieces
        from designer.export.diagram_svg import key_png, key_scale, key_svg, part_svg
        from designer.export.diagram_vector import DiagramDrawing
        from designer.render.diagram_painter import LEGEND_HEIGHT

        # room under the heading for the written key and the drawn one
        drawing = DiagramDrawing(pathway, report)
        pieces = diagram_pieces(pathway, report, frame_width=width, frame_height=height,
                                first_room=height - 100, drawing=drawing)
    except ImportError as exc:
        doc.add_paragraph(diagram_unavailable(exc))
        pieces = []
    if pieces:        # the drawn key, at the diagram's scale as in the PDF
        # never smaller than a legible diagram: an overview of a huge pathway is tiny
        scale = key_scale(drawing, max([p.vector[3] for p in pieces] + [MIN_SCALE]), width)
        alt = ("Key to the diagram: the shapes of a start or end, a step, a decision and "
               "a wait; the badges of a complete and an incomplete handoff"
               + (" and of findings by severity" if report is not None else "")
               + "; time runs left to right. The text above says the same.")
        kit.add_svg_picture(doc, key_png(drawing, scale), key_svg(drawing, scale, "Key to "
                            "the diagram", alt), Mm(drawing.legend_width() * scale / PT_PER_MM),
                            Mm(LEGEND_HEIGHT * scale / PT_PER_MM), alt)
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for number, piece in enumerate(pieces, 1):
        part = f", part {number} of {len(pieces)}" if len(pieces) > 1 else ""
        alt = (f"Diagram of the pathway {c.title}{part}: {c.step_count} steps in "
               f"{len(c.settings)} settings of care, time running left to right. "
               "The steps and handoffs are listed in the tables that follow.")
        header, left, right, scale = piece.vector
        # Word draws the SVG (sharp, its words searchable); the PNG is for older readers.
        # Both fill the same frame: the SVG's own size, which the PNG matches to a pixel.
        svg = part_svg(drawing, header, left, right, scale,
                       title=f"Diagram of the pathway {c.title}{part}", description=alt)
        kit.add_svg_picture(doc, piece.png, svg, Mm((header + right - left) * scale / PT_PER_MM),
                            Mm(drawing.height * scale / PT_PER_MM), alt)
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        if piece.caption:
            doc.add_paragraph(piece.caption, style="Caption")
    _new_section(doc, landscape=False)


def _steps(doc, c: SpecContent) -> None:
    doc.add_heading(SECTION_TITLES["steps"], level=1)
    doc.add_paragraph("Steps in the order the patient meets them within each phase. Timing "
                      "shows days relative to surgery (T-42 is six weeks before) and the day "
                      "from the start of the pathway. Bold steps are on the critical path.")
    for group in c.phases:
        doc.add_heading(group.title, level=2)
        rows = [[s.name + (f" ({s.activity})" if s.activity else ""), s.setting, s.owner,
                 s.timing, s.description] for s in group.steps]
        kit.add_table(doc, ["Step", "Setting", "Owner", "Timing", "Description"], rows,
                      [36, 24, 26, 24, 64],
                      bold_first=[i for i, s in enumerate(group.steps) if s.critical])


def _handoffs(doc, c: SpecContent) -> None:
    doc.add_heading(SECTION_TITLES["handoffs"], level=1)
    if not c.handoffs:
        doc.add_paragraph("The patient stays in one setting: there are no handoffs.")
        return
    doc.add_paragraph("Every move between settings of care and what passes with the "
                      "patient. Incomplete handoffs are shaded yellow.")
    kit.add_table(doc, ["From \u2192 to", "Sender \u2192 receiver", "Information passed on",
                        "Channel", "Service level"],
                  [[h.route, h.people, h.information, h.channel, h.service_level or "Not set"]
                   for h in c.handoffs], [42, 38, 48, 23, 23],
                  highlight=[i for i, h in enumerate(c.handoffs) if not h.complete])


def _timeline(doc, c: SpecContent) -> None:
    _page_break(doc)
    doc.add_heading(SECTION_TITLES["timeline"], level=1)
    doc.add_paragraph(critical_path_sentence(c))
    if not c.timeline:
        return
    width_pt = kit.PAGE_TEXT_WIDTH_MM * PT_PER_MM
    from designer.export.kit.pdf import fonts

    # The PNG is drawn in DejaVu Sans when present: measure labels in the same face.
    bold = fonts()[1] if fonts()[0] == "DejaVuSans" else "Helvetica-Bold"
    for chart in split_chart(chart_bars(c), surgery_day(c), width=width_pt,
                             measure_font=bold):
        alt = (f"{chart.title}: a bar for each step from its first day to its last; the "
               "steps and their timing are listed in the steps table.")
        kit.add_svg_picture(doc, to_png(chart), to_svg(chart, alt),
                            Mm(chart.width / PT_PER_MM), Mm(chart.height / PT_PER_MM), alt)
        doc.add_paragraph(f"{chart.title}: red bars are on the critical path; the dashed "
                          "line marks the start of surgery.", style="Caption")


def _validation(doc, c: SpecContent) -> None:
    _page_break(doc)
    doc.add_heading(SECTION_TITLES["validation"], level=1)
    doc.add_paragraph(validation_sentence(c))
    doc.add_paragraph(c.patient_reading)
    if c.findings:
        doc.add_heading("Findings to resolve", level=2)
        kit.add_table(doc, ["Severity", "Rule", "Finding", "Where"],
                      [[f.severity, f.title, f.message, f.targets] for f in c.findings],
                      [20, 38, 74, 42])
    doc.add_heading("Waived findings", level=2)
    if c.waived:
        kit.add_table(doc, ["Rule", "Where", "Reason for waiver"],
                      [[f.title, f.targets, f.reason] for f in c.waived], [48, 48, 78])
    else:
        doc.add_paragraph("No findings have been waived.")
    if c.rule_overrides:
        doc.add_heading("Rule settings for this pathway", level=2)
        kit.add_table(doc, ["Rule", "Set to", "Default", "Reason"],
                      [[r["rule"], r["setting"], r["default"], r["reason"]]
                       for r in c.rule_overrides], [48, 26, 26, 74])


def _rest(doc, c: SpecContent) -> None:
    doc.add_heading(SECTION_TITLES["evidence"], level=1)
    if c.evidence:
        doc.add_paragraph("Claims marked Weak rest on a non-UK or secondary source.")
        table = kit.add_table(doc, ["Claim", "Source", "Strength"],
                              [[e["claim"], "", evidence_strength(e)] for e in c.evidence],
                              [86, 56, 32],
                              highlight=[i for i, e in enumerate(c.evidence) if e["weak"]])
        from designer.export.kit.links import split_links

        for row, e in zip(table.rows[1:], c.evidence):   # the source, its addresses as links
            paragraph = row.cells[1].paragraphs[0]
            for part, url in split_links(e["source"]):
                if url:
                    kit.add_hyperlink(paragraph, part, url, 8.5)
                else:
                    paragraph.add_run(part).font.size = kit.Pt(8.5)
    else:
        doc.add_paragraph("No evidence has been recorded for this pathway.")
    doc.add_heading(SECTION_TITLES["roles"], level=1)
    doc.add_heading("Settings of care", level=2)
    kit.add_table(doc, ["Setting", "Kind", "Steps", "Description"],
                  [[s["name"], s["kind"], s["steps"], s["description"]] for s in c.settings],
                  [52, 30, 16, 76])
    doc.add_heading("Roles", level=2)
    kit.add_table(doc, ["Role", "Steps owned", "Description"],
                  [[r["name"], r["steps"], r["description"]] for r in c.roles], [60, 22, 92])
    doc.add_heading(SECTION_TITLES["glossary"], level=1)
    if c.glossary:
        kit.add_table(doc, ["Abbreviation", "Meaning"], c.glossary, [38, 136])
    else:
        doc.add_paragraph("No abbreviations are used.")
    if c.diff_rows:
        _page_break(doc)
        doc.add_heading(SECTION_TITLES["diff"], level=1)
        kit.add_table(doc, ["Change", "What", "Field", "Before", "After"],
                      [[r["change"], r["subject"], r["field"], r["old"], r["new"]]
                       for r in c.diff_rows], [20, 42, 24, 44, 44])


def add_spec(doc, content: SpecContent, pathway, report) -> None:
    """Append the whole specification to ``doc`` (also the board pack's technical appendix)."""
    _cover(doc, content)
    _diagram(doc, content, pathway, report)
    _steps(doc, content)
    _handoffs(doc, content)
    _timeline(doc, content)
    _validation(doc, content)
    _rest(doc, content)


def write_spec_docx(content: SpecContent, pathway, report, out_path: Path) -> None:
    """Write the specification to ``out_path`` as a Word document."""
    doc = kit.new_document(10.0, title=f"{content.title}: pathway specification",
                           subject="Perioperative care pathway specification")
    add_spec(doc, content, pathway, report)
    kit.add_page_number_footer(
        doc, f"{content.title} \u2022 version {content.version} \u2022 {content.status}")
    buffer = io.BytesIO()
    doc.save(buffer)
    Path(out_path).write_bytes(buffer.getvalue())
