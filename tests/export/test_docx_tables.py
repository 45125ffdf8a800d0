"""Word tables built from a prototype row equal the cell-by-cell tables they replace.

The oracle is the former ``add_table`` loop (python-docx, cell by cell), kept here.
The one intended difference: the old loop wrote "not bold" into every cell; the
new table leaves that unset (the same look, as the table style is not bold).
"""

from __future__ import annotations

import re

from docx.shared import Pt, RGBColor

from designer.export.kit import docx as kit

ROWS = [["Referral", "GP practice", None, "T-42", "Tabs\\tand\\nnew lines & <escaped>"],
        ["Preassessment", "Hospital", "Nurse", "", "Second"],
        ["Surgery", "Hospital", "Surgeon", "T0", "  spaces kept  "],
        ["Discharge", 7, 3.5, "T+3", ""]]


def old_add_table(doc, header, rows, widths_mm=None, font_size=8.5, highlight=(),
                  bold_first=()):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = kit.WD_TABLE_ALIGNMENT.LEFT
    head = table.rows[0]
    kit.mark_header_row(head)
    for cell, text in zip(head.cells, header):
        kit._shade(cell, "005EB8")
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(font_size)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run("" if value is None else str(value))
            run.font.size = Pt(font_size)
            run.bold = column == 0 and index in bold_first
            if index in highlight:
                kit._shade(cell, "FFF9C4")
    if widths_mm:
        kit.set_widths(table, widths_mm)
    return table


def _xml(table) -> str:
    from lxml import etree

    return etree.tostring(table._tbl, encoding="unicode")


def _build(fn, **kwargs):
    doc = kit.new_document()
    rows = [[v.replace("\\t", "\t").replace("\\n", "\n") if isinstance(v, str) else v
             for v in row] for row in ROWS]
    return fn(doc, ["Step", "Setting", "Owner", "Timing", "Description"], rows, **kwargs)


def test_the_same_table_as_cell_by_cell_apart_from_the_unset_bold():
    for kwargs in ({}, {"widths_mm": [36, 24, 26, 24, 64]},
                   {"widths_mm": [36, 24, 26, 24, 64], "bold_first": [0, 2],
                    "highlight": [1, 2], "font_size": 9.5},
                   {"bold_first": (3,), "highlight": (0,)}):
        old = re.sub(r"<w:b w:val=\"0\"/>", "", _xml(_build(old_add_table, **kwargs)))
        assert _xml(_build(kit.add_table, **kwargs)) == old, kwargs


def test_bold_and_shading_land_on_the_chosen_rows_only():
    table = _build(kit.add_table, bold_first=[2], highlight=[1])
    body = table.rows[1:]
    assert [bool(r.cells[0].paragraphs[0].runs[0].bold) for r in body] == [
        False, False, True, False]
    assert [r.cells[3].paragraphs[0].runs[0].bold for r in body] == [None] * 4
    shaded = ['w:fill="FFF9C4"' in r._tr.xml for r in body]
    assert shaded == [False, True, False, False]
    assert [c.text for c in body[3].cells] == ["Discharge", "7", "3.5", "T+3", ""]
    assert body[0].cells[4].text == "Tabs\tand\nnew lines & <escaped>"


def test_styled_paragraphs_equal_python_docx_own():
    from lxml import etree

    def body(build) -> str:
        doc = kit.new_document()
        build(doc)
        return etree.tostring(doc.element.body, encoding="unicode")

    texts = [("Before your operation", 1), ("Eat well", 2), ("", 2), ("Cover", 0)]
    items = ["Walk every day", "", "Stop smoking & <drink less>"]

    def theirs(doc):
        for text, level in texts:
            doc.add_heading(text, level=level)
        for item in items:
            doc.add_paragraph(item, style="List Bullet")
            doc.add_paragraph(item, style="Normal")

    def ours(doc):
        for text, level in texts:
            kit.add_heading(doc, text, level=level)
        for item in items:
            kit.add_styled(doc, item, "List Bullet")
            kit.add_styled(doc, item, "Normal")

    assert body(ours) == body(theirs)
    assert "Heading2" in body(ours) and "ListBullet" in body(ours)


def test_pictures_numbered_from_the_counter_equal_python_docx_own():
    import io

    from docx.shared import Mm
    from lxml import etree
    from PIL import Image

    def png(colour) -> io.BytesIO:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 20), colour).save(buffer, format="PNG")
        buffer.seek(0)
        return buffer

    def body(add) -> str:
        doc = kit.new_document()
        for n, colour in enumerate(["red", "green", "red", "blue"]):
            add(doc, png(colour), Mm(20 + n))
            kit.add_table(doc, ["A", "B"], [[n, "x"]])
        return etree.tostring(doc.element.body, encoding="unicode")

    doc = kit.new_document()
    shape = kit.add_picture(doc, png("red"), Mm(30))      # an InlineShape, as python-docx's
    assert shape.width == Mm(30) and shape._inline.docPr.get("id") == "1"
    ours = body(kit.add_picture)
    assert ours == body(lambda doc, stream, width: doc.add_picture(stream, width=width))
    assert [int(i) for i in re.findall(r'<wp:docPr id="(\d+)"', ours)] == [1, 2, 3, 4]
