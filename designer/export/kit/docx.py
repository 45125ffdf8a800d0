"""Shared python-docx helpers: A4 page, house styles, tables with repeating headers,
page-number fields. Text is set through python-docx runs, which escape it."""

from __future__ import annotations

from typing import Any, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
NHS_DARK_BLUE = RGBColor(0x00, 0x30, 0x87)
TEXT = RGBColor(0x21, 0x2B, 0x32)
MUTED = RGBColor(0x4C, 0x62, 0x72)
FONT = "Arial"
PAGE_TEXT_WIDTH_MM = 210 - 2 * 18


def new_document(body_size: float = 10.0, title: str = "", subject: str = ""):
    """An A4 document with NHS-like heading and body styles at ``body_size`` points."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(body_size)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(body_size * 0.5)
    # East Asian font slot too, or Word may substitute another face.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name, factor, colour in (("Title", 2.6, NHS_BLUE), ("Heading 1", 1.6, NHS_BLUE),
                                 ("Heading 2", 1.3, NHS_DARK_BLUE), ("Heading 3", 1.1, TEXT)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(body_size * factor)
        style.font.bold = True
        style.font.color.rgb = colour
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "Caption"):
        styles[name].font.name = FONT
        styles[name].font.size = Pt(body_size if name == "List Bullet" else body_size - 1)
    props = doc.core_properties
    # Word's document properties hold at most 255 characters each
    props.title, props.subject = _property(title), _property(subject)
    props.author = "Perioperative Pathway Designer"
    props.language = "en-GB"
    return doc


def _property(text: str, limit: int = 255) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def mark_header_row(row) -> None:
    """Make ``row`` repeat at the top of every page the table runs onto."""
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def add_table(doc, header: Sequence[str], rows: Sequence[Sequence[Any]],
              widths_mm: Sequence[float] | None = None, font_size: float = 8.5,
              highlight: Sequence[int] = (), bold_first: Sequence[int] = ()):
    """A real Word table: blue header row that repeats, wrapped cells, grid lines."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = table.rows[0]
    mark_header_row(head)
    for cell, text in zip(head.cells, header):
        _shade(cell, "005EB8")
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
                _shade(cell, "FFF9C4")
    if widths_mm:
        set_widths(table, widths_mm)
    return table


def set_widths(table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths. Word reads the cell widths, LibreOffice the grid: set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def add_page_number_footer(doc, text: str, size: float = 8.0) -> None:
    """Footer: ``text`` then "Page n of m" from Word fields (updated when opened)."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    lead = paragraph.add_run(f"{text}    Page ")
    lead.font.size = Pt(size)
    lead.font.color.rgb = MUTED
    _field(paragraph, "PAGE", size)
    middle = paragraph.add_run(" of ")
    middle.font.size = Pt(size)
    middle.font.color.rgb = MUTED
    _field(paragraph, "NUMPAGES", size)


def _field(paragraph, code: str, size: float) -> None:
    for kind, body in (("begin", None), (None, code), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run.font.color.rgb = MUTED
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif body == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
            run._r.append(element)
        else:
            run.text = body
