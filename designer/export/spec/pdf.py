"""The board specification as an A4 PDF (reportlab platypus)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, Image, KeepTogether, NextPageTemplate, PageBreak,
    PageTemplate, Paragraph, Spacer, Table, TableStyle,
)

from designer.export.kit import pdf as kit
from designer.export.kit.pdf import esc
from designer.export.spec.content import SpecContent
from designer.export.spec.text import (
    DIAGRAM_KEY,
    SECTION_TITLES,
    contents,
    critical_path_sentence,
    diagram_unavailable,
    evidence_strength,
    validation_sentence,
)
from designer.export.spec.timeline_chart import split_chart, to_drawing


#: Space reportlab's Frame keeps inside each edge (its default padding).
_FRAME_PADDING = 6.0
_BOTTOM_MARGIN = 20 * mm
#: The landscape page the diagram is printed on: its usable width and height.
LANDSCAPE = landscape(kit.A4)
LANDSCAPE_FRAME = (LANDSCAPE[0] - 2 * kit.MARGIN - 2 * _FRAME_PADDING,
                   LANDSCAPE[1] - kit.MARGIN - _BOTTOM_MARGIN - 2 * _FRAME_PADDING)
#: Height the diagram heading and its key (words and the drawn row) take on the first
#: landscape page.
_DIAGRAM_HEADING_ROOM = 100.0


class _SpecDoc(BaseDocTemplate):
    """Portrait A4 pages, landscape ones for the diagram, and a PDF outline entry
    (bookmark) for every heading."""

    def __init__(self, filename: str, **kwargs: Any) -> None:
        super().__init__(filename, **kwargs)
        portrait = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                         id="portrait-frame")
        wide = Frame(kit.MARGIN, self.bottomMargin, LANDSCAPE[0] - 2 * kit.MARGIN,
                     LANDSCAPE[1] - kit.MARGIN - self.bottomMargin, id="landscape-frame")
        self.addPageTemplates([PageTemplate("portrait", [portrait], pagesize=kit.A4),
                               PageTemplate("landscape", [wide], pagesize=LANDSCAPE)])

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802  (reportlab's name)
        level = getattr(flowable, "_outline_level", None)
        if level is None:
            return
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)


def _heading(text: str, style, level: int) -> Paragraph:
    para = Paragraph(esc(text), style)
    para._outline_level = level
    return para


def _cover(content: SpecContent, st) -> list:
    kicker = Paragraph("Perioperative care pathway specification", st["kicker"])
    title = _heading(content.title, st["title"], 0)
    band = Table([[kicker], [Spacer(1, 4)], [title]], colWidths=[kit.FRAME_WIDTH],
                 splitInRow=1)   # a title longer than a page still prints
    band.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), kit.NHS_BLUE),
        ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 14),
        ("TOPPADDING", (0, 0), (0, 0), 16), ("BOTTOMPADDING", (0, -1), (-1, -1), 18),
    ]))
    rows = [[Paragraph(esc(label), st["h3"]), Paragraph(esc(value), st["body"])]
            for label, value in content.cover_rows]
    facts = Table(rows, colWidths=[0.25 * kit.FRAME_WIDTH, 0.75 * kit.FRAME_WIDTH],
                  hAlign="LEFT", splitInRow=1)
    facts.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, kit.GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    toc = Paragraph("<b>Contents.</b> " + " \u2022 ".join(
        esc(title) for _, title in contents(content)), st["small"])
    flow: list = [band, Spacer(1, 10 * mm), facts, Spacer(1, 4 * mm), toc, Spacer(1, 6 * mm)]
    flow.append(_heading(SECTION_TITLES["summary"], st["h2"], 0))
    flow.append(Paragraph(esc(content.summary or "No summary given."), st["body"]))
    flow.append(Paragraph(f"<b>Population.</b> {esc(content.population or 'Not stated.')}",
                          st["body"]))
    extras = [("Specialties", content.specialties), ("Tags", content.tags),
              ("Rule packs checked", content.rule_packs),
              ("Size", f"{content.step_count} steps, {len(content.handoffs)} handoffs")]
    for label, value in extras:
        if value:
            flow.append(Paragraph(f"<b>{esc(label)}.</b> {esc(value)}", st["body"]))
    return flow


def _diagram(content: SpecContent, pathway, report, st) -> list:
    # A pathway is wide: its diagram goes on landscape pages, back to portrait after.
    flow: list = [NextPageTemplate("landscape"), PageBreak()]
    # The heading and key travel with the first part: never alone on a page.
    intro = [_heading(SECTION_TITLES["diagram"], st["h2"], 0),
             Paragraph(esc(DIAGRAM_KEY), st["body"])]
    width, height = LANDSCAPE_FRAME
    try:
        from designer.export.diagram_pages import MIN_SCALE, diagram_pieces
        from designer.export.diagram_vector import DiagramDrawing, DiagramKey, DiagramStrip

        drawing = DiagramDrawing(pathway, report)      # drawn as vector graphics
        pieces = diagram_pieces(pathway, report, frame_width=width, frame_height=height,
                                first_room=height - _DIAGRAM_HEADING_ROOM, raster=False,
                                drawing=drawing)
        # never smaller than a legible diagram: an overview of a huge pathway is tiny
        scale = max([p.vector[3] for p in pieces if p.vector is not None] + [MIN_SCALE])
        intro += [DiagramKey(drawing, scale, width), Spacer(1, 6)]
    except ImportError as exc:
        return flow + intro + [Paragraph(esc(diagram_unavailable(exc)), st["body"]),
                               NextPageTemplate("portrait")]
    import io

    for piece in pieces:
        if piece.vector is not None:
            image = DiagramStrip(drawing, *piece.vector, height=drawing.height)
        else:
            image = Image(io.BytesIO(piece.png), width=piece.width_pt, height=piece.height_pt)
        image.hAlign = "LEFT"
        parts = [image]
        if piece.caption:
            parts.append(Paragraph(esc(piece.caption), st["caption"]))
        flow.append(KeepTogether(intro + parts + [Spacer(1, 4)]))
        intro = []
    flow += intro + [NextPageTemplate("portrait")]
    return flow


def _steps(content: SpecContent, st) -> list:
    flow: list = [PageBreak(), _heading(SECTION_TITLES["steps"], st["h2"], 0)]
    flow.append(Paragraph("Steps in the order the patient meets them within each phase. "
                          "Timing shows days relative to surgery (T-42 is six weeks before) "
                          "and the day from the start of the pathway. "
                          "<b>Bold</b> steps are on the critical path.", st["body"]))
    for group in content.phases:
        flow.append(_heading(group.title, st["h3"], 1))
        rows = []
        for s in group.steps:
            name = f"<b>{esc(s.name)}</b>" if s.critical else esc(s.name)
            if s.activity:
                name += f"<br/><font size='{st['cell'].fontSize - 1}' color='#4c6272'>" \
                        f"{esc(s.activity)}</font>"
            rows.append([kit.CellParagraph(name, st["cell"]), s.setting, s.owner, s.timing,
                         s.description])
        flow.append(kit.data_table(["Step", "Setting", "Owner", "Timing", "Description"],
                                   rows, [0.21, 0.14, 0.15, 0.14, 0.36], st))
    return flow


def _handoffs(content: SpecContent, st) -> list:
    flow: list = [CondPageBreak(80 * mm), _heading(SECTION_TITLES["handoffs"], st["h2"], 0)]
    if not content.handoffs:
        return flow + [Paragraph("The patient stays in one setting: there are no handoffs.",
                                 st["body"])]
    incomplete = [i for i, h in enumerate(content.handoffs) if not h.complete]
    note = ("Every move between settings of care and what passes with the patient. ")
    if incomplete:
        note += f"{len(incomplete)} incomplete handoff(s) are shaded yellow."
    flow.append(Paragraph(esc(note), st["body"]))
    rows = [[h.route, h.people, h.information, h.channel, h.service_level or "Not set"]
            for h in content.handoffs]
    flow.append(kit.data_table(
        ["From \u2192 to", "Sender \u2192 receiver", "Information passed on", "Channel",
         "Service level"], rows, [0.24, 0.22, 0.28, 0.13, 0.13], st, highlight=incomplete))
    return flow


def _timeline(content: SpecContent, st) -> list:
    flow: list = [PageBreak(), _heading(SECTION_TITLES["timeline"], st["h2"], 0)]
    flow.append(Paragraph(esc(critical_path_sentence(content)), st["body"]))
    if not content.timeline:
        return flow
    from designer.export.spec.text import chart_bars, surgery_day

    regular, bold, _ = kit.fonts()
    for chart in split_chart(chart_bars(content), surgery_day(content),
                             width=kit.FRAME_WIDTH, measure_font=bold):
        flow.append(to_drawing(chart, regular, bold, kit.plain_for_font))
        flow.append(Spacer(1, 4))
    return flow


def _validation(content: SpecContent, st) -> list:
    flow: list = [PageBreak(), _heading(SECTION_TITLES["validation"], st["h2"], 0)]
    flow.append(Paragraph(esc(validation_sentence(content)), st["body"]))
    flow.append(Paragraph(esc(content.patient_reading), st["body"]))
    if content.findings:
        flow.append(_heading("Findings to resolve", st["h3"], 1))
        colours = {"error": "#c62828", "warning": "#a34700", "info": "#1565c0"}
        rows = [[kit.CellParagraph(f"<font color='{colours.get(f.level, '#212b32')}'><b>"
                                f"{esc(f.severity)}</b></font>", st["cell"]),
                 f.title, f.message, f.targets] for f in content.findings]
        flow.append(kit.data_table(["Severity", "Rule", "Finding", "Where"], rows,
                                   [0.11, 0.22, 0.42, 0.25], st))
    flow.append(_heading("Waived findings", st["h3"], 1))
    if content.waived:
        rows = [[f.title, f.targets, f.reason] for f in content.waived]
        flow.append(kit.data_table(["Rule", "Where", "Reason for waiver"], rows,
                                   [0.28, 0.27, 0.45], st))
    else:
        flow.append(Paragraph("No findings have been waived.", st["body"]))
    if content.rule_overrides:
        flow.append(_heading("Rule settings for this pathway", st["h3"], 1))
        rows = [[r["rule"], r["setting"], r["default"], r["reason"]]
                for r in content.rule_overrides]
        flow.append(kit.data_table(["Rule", "Set to", "Default", "Reason"], rows,
                                   [0.3, 0.14, 0.14, 0.42], st))
    return flow


def _evidence(content: SpecContent, st) -> list:
    flow: list = [CondPageBreak(60 * mm), _heading(SECTION_TITLES["evidence"], st["h2"], 0)]
    if not content.evidence:
        return flow + [Paragraph("No evidence has been recorded for this pathway.", st["body"])]
    flow.append(Paragraph("Claims marked <b>Weak</b> rest on a non-UK or secondary source.",
                          st["body"]))
    from designer.export.kit.links import split_links

    def source(text: str) -> Paragraph:
        return kit.CellParagraph("".join(
            f'<link href="{esc(url)}" color="#005eb8"><u>{esc(part)}</u></link>' if url
            else esc(part) for part, url in split_links(text)), st["cell"])

    rows = [[e["claim"], source(e["source"]), evidence_strength(e)] for e in content.evidence]
    highlight = [i for i, e in enumerate(content.evidence) if e["weak"]]
    flow.append(kit.data_table(["Claim", "Source", "Strength"], rows, [0.50, 0.32, 0.18],
                               st, highlight=highlight))
    return flow


def _people_and_places(content: SpecContent, st) -> list:
    flow: list = [CondPageBreak(60 * mm), _heading(SECTION_TITLES["roles"], st["h2"], 0)]
    flow.append(_heading("Settings of care", st["h3"], 1))
    flow.append(kit.data_table(["Setting", "Kind", "Steps", "Description"],
                               [[s["name"], s["kind"], s["steps"], s["description"]]
                                for s in content.settings], [0.3, 0.18, 0.1, 0.42], st))
    flow.append(_heading("Roles", st["h3"], 1))
    flow.append(kit.data_table(["Role", "Steps owned", "Description"],
                               [[r["name"], r["steps"], r["description"]]
                                for r in content.roles], [0.35, 0.13, 0.52], st))
    return flow


def _glossary(content: SpecContent, st) -> list:
    flow: list = [CondPageBreak(50 * mm), _heading(SECTION_TITLES["glossary"], st["h2"], 0)]
    if not content.glossary:
        return flow + [Paragraph("No abbreviations are used.", st["body"])]
    flow.append(kit.data_table(["Abbreviation", "Meaning"], content.glossary, [0.22, 0.78], st))
    return flow


def _diff(content: SpecContent, st) -> list:
    flow: list = [PageBreak(), _heading(SECTION_TITLES["diff"], st["h2"], 0)]
    rows = [[r["change"], r["subject"], r["field"], r["old"], r["new"]]
            for r in content.diff_rows]
    flow.append(kit.data_table(["Change", "What", "Field", "Before", "After"], rows,
                               [0.12, 0.24, 0.14, 0.25, 0.25], st))
    return flow


def spec_story(content: SpecContent, pathway, report, st=None) -> list:
    """The flowables of the specification, in order (for the PDF and its tests)."""
    st = st or kit.styles(9.5)
    story = _cover(content, st)
    story += _diagram(content, pathway, report, st)
    story += _steps(content, st)
    story += _handoffs(content, st)
    story += _timeline(content, st)
    story += _validation(content, st)
    story += _evidence(content, st)
    story += _people_and_places(content, st)
    story += _glossary(content, st)
    if content.diff_rows:
        story += _diff(content, st)
    return story


def write_spec_pdf(content: SpecContent, pathway, report, out_path: Path) -> None:
    """Write the specification to ``out_path`` as PDF."""
    st = kit.styles(9.5)
    # the footer carries the whole title on every page, over two lines when it is long
    footer = f"{content.title} \u2022 version {content.version} \u2022 {content.status}"
    doc = _SpecDoc(str(out_path), pagesize=kit.A4, leftMargin=kit.MARGIN,
                   rightMargin=kit.MARGIN, topMargin=kit.MARGIN,
                   bottomMargin=kit.footer_margin(footer, least=_BOTTOM_MARGIN),
                   title=f"{content.title}: pathway specification",
                   author=content.organisation or "Perioperative Pathway Designer",
                   subject="Perioperative care pathway specification",
                   creator="Perioperative Pathway Designer", lang="en-GB")
    story = spec_story(content, pathway, report, st)
    doc.build(story, canvasmaker=kit.canvas_maker(footer))
