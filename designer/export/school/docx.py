"""The Surgery School booklet as an editable Word document, standard or large print."""

from __future__ import annotations

import io
from pathlib import Path

from docx.shared import Pt

from designer.export.kit import docx as kit
from designer.export.school.content import Booklet


def write_school_docx(booklet: Booklet, out_path: Path, body_size: float) -> None:
    """Write ``booklet`` as DOCX with body text at ``body_size`` points."""
    doc = kit.new_document(body_size, title=f"{booklet.title}: {booklet.subtitle}",
                           subject="Surgery School information for patients")
    # Word's own heading and list styles, sized from the body so large print stays large.
    kicker = doc.add_paragraph()
    run = kicker.add_run("Surgery School")
    run.bold = True
    run.font.color.rgb = kit.NHS_BLUE
    doc.add_paragraph(booklet.title, style="Title")
    sub = doc.add_paragraph()
    sub_run = sub.add_run(booklet.subtitle)
    sub_run.bold = True
    sub_run.font.size = Pt(body_size * 1.15)
    for section in booklet.sections:
        kit.add_heading(doc, section.title, level=1)
        for block in section.blocks:
            if block.heading:
                kit.add_heading(doc, block.heading, level=2)
            if block.when:
                when = doc.add_paragraph()
                when_run = when.add_run(block.when)
                when_run.bold = True
                when_run.font.color.rgb = kit.NHS_DARK_BLUE
                when.paragraph_format.keep_with_next = True
            for text in block.paragraphs:
                doc.add_paragraph(text)
            for item in block.bullets + block.labels:
                kit.add_styled(doc, item, "List Bullet")
            for line in block.form_lines:
                doc.add_paragraph(line)
    doc.add_paragraph("This booklet gives general information. Ask your care team about "
                      "your own care.")
    kit.add_page_number_footer(doc, f"Surgery School \u2022 {booklet.subtitle}",
                               # large print means every word, page numbers too
                               size=body_size if body_size >= 14 else max(8.0, body_size * 0.75))
    buffer = io.BytesIO()
    doc.save(buffer)
    Path(out_path).write_bytes(buffer.getvalue())
