"""The Surgery School booklet as an editable Word document, standard or large print.

A page break never strands what belongs together (Word and LibreOffice honour the
same paragraph properties): headings and "when" lines keep with the next paragraph
and their lines together; the sentence that opens a list or the lines to fill in
keeps with them; a list's first item keeps with the second and its last but one with
the last, so no item stands alone; "Name:" keeps with "Phone:". Body text has widow
and orphan control. The footer starts with "Page N of M" and keeps a line's
space from the text.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.shared import Pt

from designer.export.kit import docx as kit
from designer.export.school.content import Booklet


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _list(doc, items: list[str]) -> None:
    """Bullets; the first stays with the second and the last but one with the last."""
    written = [kit.add_styled(doc, item, "List Bullet") for item in items]
    if len(written) > 1:
        _keep_with_next(written[0])
        _keep_with_next(written[-2])


def _footer(doc, text: str, size: float) -> None:
    """"Page N of M", then ``text``, at ``size`` points, clear of the body text.

    The page number comes first, always in the same place: after a long title
    (large print) a right-aligned number ran into the title or split
    ("Page 10 of" / "10"). Its spaces do not break.
    """
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.text = ""
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(size)        # the footer grows upwards: keep a line's gap
    fmt.space_after = Pt(0)
    for part in ("Page\u00a0", "PAGE", "\u00a0of\u00a0", "NUMPAGES", f" \u2022 {text}"):
        if part in ("PAGE", "NUMPAGES"):
            kit._field(paragraph, part, size)        # Word fields, updated when opened
        else:
            run = paragraph.add_run(part)
            run.font.size = Pt(size)
            run.font.color.rgb = kit.MUTED


def write_school_docx(booklet: Booklet, out_path: Path, body_size: float) -> None:
    """Write ``booklet`` as DOCX with body text at ``body_size`` points."""
    doc = kit.new_document(body_size, title=f"{booklet.title}: {booklet.subtitle}",
                           subject="Surgery School information for patients")
    doc.styles["Normal"].paragraph_format.widow_control = True
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].paragraph_format.keep_together = True
    # Word's own heading and list styles, sized from the body so large print stays large.
    kicker = kit.add_paragraph(doc)
    run = kicker.add_run("Surgery School")
    run.bold = True
    run.font.color.rgb = kit.NHS_BLUE
    _keep_with_next(kicker)
    doc.add_paragraph(booklet.title, style="Title")
    sub = kit.add_paragraph(doc)
    sub_run = sub.add_run(booklet.subtitle)
    sub_run.bold = True
    sub_run.font.size = Pt(body_size * 1.15)
    for section in booklet.sections:
        kit.add_heading(doc, section.title, level=1)
        for block in section.blocks:
            if block.heading:
                kit.add_heading(doc, block.heading, level=2)
            if block.when:
                when = kit.add_paragraph(doc)
                when_run = when.add_run(block.when)
                when_run.bold = True
                when_run.font.color.rgb = kit.NHS_DARK_BLUE
                _keep_with_next(when)
                when.paragraph_format.keep_together = True
            written = [kit.add_paragraph(doc, text) for text in block.paragraphs]
            if written and (block.bullets or block.labels or block.form_lines):
                _keep_with_next(written[-1])      # it opens what follows
            for items in (block.bullets, block.labels):
                if items:
                    _list(doc, items)
            lines = [kit.add_paragraph(doc, line) for line in block.form_lines]
            for line in lines[:-1]:
                _keep_with_next(line)
    kit.add_paragraph(doc, "This booklet gives general information. Ask your care team "
                      "about your own care.")
    _footer(doc, f"Surgery School \u2022 {booklet.subtitle}",
            # large print means every word, page numbers too
            size=body_size if body_size >= 14 else max(8.0, body_size * 0.75))
    buffer = io.BytesIO()
    doc.save(buffer)
    Path(out_path).write_bytes(buffer.getvalue())
