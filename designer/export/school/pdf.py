"""The Surgery School booklet as an A4 PDF, in standard or large print."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table,
    TableStyle,
)

from designer.export.kit import pdf as kit
from designer.export.kit.pdf import esc
from designer.export.school.content import Booklet


#: Lists longer than this may run on to the next page.
LONG_LIST = 8


def _when(text: str, st) -> Table:
    box = Table([[Paragraph(f"<b>{esc(text)}</b>", st["body"])]], colWidths=[kit.FRAME_WIDTH],
                hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), "#e8f1f8"),
        ("LINEBEFORE", (0, 0), (0, -1), 3, kit.NHS_BLUE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return box


def _bullets(items: list[str], st) -> ListFlowable:
    indent = st["body"].fontSize * 1.4
    return ListFlowable([ListItem(Paragraph(esc(i), st["body"]), leftIndent=indent)
                         for i in items], bulletType="bullet", start="\u2022",
                        leftIndent=st["body"].fontSize * 1.4,
                        bulletFontName=kit.fonts()[0], bulletFontSize=st["body"].fontSize)


def write_school_pdf(booklet: Booklet, out_path: Path, body_size: float) -> None:
    """Write ``booklet`` as PDF with body text at ``body_size`` points."""
    st = kit.styles(body_size)
    st["h2"].fontSize = body_size * 1.5
    st["h2"].leading = body_size * 1.9
    st["title"].fontSize = min(body_size * 2.4, 34)
    st["title"].leading = st["title"].fontSize * 1.2
    # Large print means every word, the page numbers too; the footer keeps the whole
    # title, over as many lines as it needs, with the page's bottom margin grown to fit.
    footer_size = body_size if body_size >= 14 else max(8.0, body_size * 0.75)
    footer = f"Surgery School \u2022 {booklet.subtitle}"
    doc = SimpleDocTemplate(str(out_path), pagesize=kit.A4, leftMargin=kit.MARGIN,
                            rightMargin=kit.MARGIN, topMargin=kit.MARGIN,
                            bottomMargin=kit.footer_margin(footer, footer_size),
                            title=f"{booklet.title}: {booklet.subtitle}",
                            author="Perioperative Pathway Designer",
                            subject="Surgery School information for patients", lang="en-GB")
    band = Table([[Paragraph("Surgery School", st["kicker"])],
                  [Paragraph(esc(booklet.title), st["title"])],
                  [Paragraph(esc(booklet.subtitle), st["kicker"])]],
                 colWidths=[kit.FRAME_WIDTH], splitInRow=1)
    band.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), kit.NHS_BLUE),
        ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 14),
        ("TOPPADDING", (0, 0), (0, 0), 14), ("BOTTOMPADDING", (0, -1), (-1, -1), 16),
    ]))
    story: list = [band, Spacer(1, 6 * mm)] + booklet_story(booklet, st, body_size)
    doc.build(story, canvasmaker=kit.canvas_maker(footer, footer_size))


def booklet_story(booklet: Booklet, st, body_size: float) -> list:
    """The flowables of the booklet's sections and closing note (for the PDF and tests).

    The closing note is kept with the last line of the booklet, so a page never
    holds the note alone.
    """
    story: list = []
    closing = [Spacer(1, 6 * mm),
               Paragraph(esc(DISCLAIMER), st["small"] if body_size < 14 else st["body"])]
    blocks = [(s, n, b) for s in booklet.sections for n, b in enumerate(s.blocks)]
    for index, (section, number, block) in enumerate(blocks):
        final = index == len(blocks) - 1
        # The section heading travels with its first block, never alone at a page foot.
        parts: list = [Paragraph(esc(section.title), st["h2"])] if number == 0 else []
        if block.heading:
            parts.append(Paragraph(esc(block.heading), st["h3"]))
        if block.when:
            parts += [_when(block.when, st), Spacer(1, body_size * 0.4)]
        paragraphs = [Paragraph(esc(p), st["body"]) for p in block.paragraphs]
        bullets, labels = list(block.bullets), list(block.labels)
        forms = [Paragraph(esc(line), st["body"]) for line in block.form_lines]
        tail: list = []
        if final:
            # the last thing written goes on the page with the closing note
            if forms:
                tail = [forms.pop()]
            elif labels:
                tail = [_bullets([labels.pop()], st)]
            elif bullets:
                tail = [_bullets([bullets.pop()], st)]
            elif paragraphs:
                tail = [paragraphs.pop()]
        parts += paragraphs
        later: list = []
        if len(bullets) > LONG_LIST:
            # A long list (the overview of steps) flows on after its first items
            # rather than leaving most of a page empty.
            parts.append(_bullets(bullets[:3], st))
            later.append(_bullets(bullets[3:], st))
        elif bullets:
            parts.append(_bullets(bullets, st))
        target = later if later else parts
        if labels:
            target.append(_bullets(labels, st))
        target += forms
        if final:
            target.append(KeepTogether(tail + closing))
        # A block stays on one page; one taller than a page splits where it must.
        story.append(KeepTogether(parts))
        story += later
    if not blocks:
        story += closing
    return story


#: The closing note of every booklet.
DISCLAIMER = "This booklet gives general information. Ask your care team about your own care."
