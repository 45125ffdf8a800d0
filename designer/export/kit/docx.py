"""Shared python-docx helpers: A4 page, house styles, tables with repeating headers,
page-number fields. Text is set through python-docx runs, which escape it."""

from __future__ import annotations

import io
import weakref
from copy import deepcopy
from typing import Any, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shape import InlineShape
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run

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


_STYLE_IDS: "weakref.WeakKeyDictionary[Any, dict[str, str | None]]" = \
    weakref.WeakKeyDictionary()


def add_paragraph(doc, text: str = ""):
    """``doc.add_paragraph(text)`` in a time that does not grow with the document.

    python-docx places a new body paragraph before the body's closing ``w:sectPr`` by
    searching the body's children from the first, so each paragraph costs time in
    proportion to the paragraphs before it and a long document the square of its
    length. The ``w:sectPr`` is the body's last child (read from the end, at once):
    the paragraph goes just before it, the same XML in the same place.
    """
    from docx.text.paragraph import Paragraph

    body = doc.element.body
    try:
        last = body[-1]
    except IndexError:
        last = None
    if last is None or last.tag != qn("w:sectPr"):
        return doc.add_paragraph(text)
    p = OxmlElement("w:p")
    last.addprevious(p)
    paragraph = Paragraph(p, doc._body)
    if text:
        paragraph.add_run(text)
    return paragraph


def add_styled(doc, text: str, style: str):
    """``doc.add_paragraph(text, style=style)`` with the style looked up once per document.

    python-docx finds a style by name by scanning every style of the document (twice)
    for each paragraph; a booklet of thousands of paragraphs spends most of its time
    there. The paragraph is added by :func:`add_paragraph`. The paragraph written is
    the same.
    """
    ids = _STYLE_IDS.setdefault(doc.part, {})
    if style not in ids:
        ids[style] = doc.part.get_style_id(doc.styles[style], WD_STYLE_TYPE.PARAGRAPH)
    paragraph = add_paragraph(doc, text)
    paragraph._p.style = ids[style]
    return paragraph


def add_heading(doc, text: str, level: int = 1):
    """``doc.add_heading(text, level)`` through :func:`add_styled`."""
    return add_styled(doc, text, "Title" if level == 0 else f"Heading {level}")


_NEXT_SHAPE_ID: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()


def add_picture(doc, stream, width, height=None):
    """``doc.add_picture(stream, width=width, height=height)`` (the same InlineShape),
    numbering the pictures from a counter.

    python-docx gives each picture the next free id by reading every id in the
    whole document, so many pictures after long tables cost time that grows with
    the square of the document. The counter starts from that same scan once per
    document; only pictures take ids in our documents, so the ids are the same.
    """
    part = doc.part
    shape_id = _NEXT_SHAPE_ID.get(part) or part.next_id
    run = add_paragraph(doc).add_run()
    r_id, image = part.get_or_add_image(stream)
    cx, cy = image.scaled_dimensions(width, height)
    inline = CT_Inline.new_pic_inline(shape_id, r_id, image.filename, cx, cy)
    run._r.add_drawing(inline)
    _NEXT_SHAPE_ID[part] = shape_id + 1
    return InlineShape(inline)


#: The extension Word 2016 and later give a picture's ``a:blip`` when the picture
#: is an SVG: the blip itself embeds a PNG for older readers, the extension the SVG.
SVG_BLIP_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
SVG_CONTENT_TYPE = "image/svg+xml"


def add_svg_picture(doc, png: bytes, svg: str | bytes, width, height, alt: str):
    """A picture drawn from ``svg`` where the reader can (Word 2016 and later,
    LibreOffice), from ``png`` where it cannot, ``width`` by ``height`` (lengths),
    with ``alt`` as its alternative text. Returns the InlineShape.

    Laid out as Word writes an inserted SVG: the PNG is the picture's
    ``a:blip r:embed``; an ``a:extLst/a:ext`` with Word's SVG extension URI holds
    an ``asvg:svgBlip`` whose ``r:embed`` names a second image part, of content
    type ``image/svg+xml``. python-docx knows nothing of SVG, so that part is
    made and related here. Both pictures should have the same aspect ratio:
    the frame is ``width`` by ``height`` whichever is drawn.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.parts.image import ImagePart

    shape = add_picture(doc, io.BytesIO(png), width, height)
    shape._inline.docPr.set("descr", alt)
    blob = svg.encode("utf-8") if isinstance(svg, str) else bytes(svg)
    package = doc.part.package
    # an ImagePart, as python-docx makes of it when it opens the file again (it has
    # no Image for it: python-docx cannot read an SVG's size, and need not)
    svg_part = ImagePart(package.next_partname("/word/media/vector%d.svg"), SVG_CONTENT_TYPE,
                         blob)
    r_id = doc.part.relate_to(svg_part, RELATIONSHIP_TYPE.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    blip.append(parse_xml(
        f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP_URI}">'
        f'<asvg:svgBlip xmlns:asvg="{SVG_NAMESPACE}" r:embed="{r_id}"/>'
        "</a:ext></a:extLst>"))
    return shape


def _shade(cell, fill: str) -> None:
    _shade_tc(cell._tc, fill)


def _shade_tc(tc, fill: str) -> None:
    props = tc.get_or_add_tcPr()
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
    if widths_mm:
        set_widths(table, widths_mm)      # header row and grid; the prototype copies it
    # One prototype row (widths, no space after, font size) copied per row: python-docx
    # row by row costs several element look-ups per cell. Formatting is written only
    # where it differs from the prototype (bold first cells, shaded rows).
    bold_first, highlight = set(bold_first), set(highlight)
    prototype = table.add_row()
    for cell in prototype.cells:
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run("").font.size = Pt(font_size)
    template = prototype._tr
    tbl = table._tbl
    tbl.remove(template)
    for index, values in enumerate(rows):
        tr = deepcopy(template)
        tbl.append(tr)
        for column, (tc, value) in enumerate(zip(tr.tc_lst, values)):
            r = tc.p_lst[0].r_lst[0]
            text = "" if value is None else str(value)
            if text:
                r.text = text
            if column == 0 and index in bold_first:
                Run(r, None).bold = True
            if index in highlight:
                _shade_tc(tc, "FFF9C4")
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


def add_hyperlink(paragraph, text: str, url: str, size: float | None = None) -> None:
    """A clickable link in ``paragraph`` (python-docx has no call for one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "005EB8")
    props.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    if size:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(round(size * 2))))
        props.append(sz)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
