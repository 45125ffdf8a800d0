"""Shared reportlab pieces for the PDF documents: fonts, styles, tables, page numbers.

An NHS-like look: NHS blue headings and table headers, a readable sans-serif
(DejaVu Sans from the system when present, else Helvetica), A4 with generous
margins and "Page n of m" in the footer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, Table, TableStyle

NHS_BLUE = colors.HexColor("#005eb8")
NHS_DARK_BLUE = colors.HexColor("#003087")
TEXT = colors.HexColor("#212b32")
MUTED = colors.HexColor("#4c6272")
GRID = colors.HexColor("#d8dde0")
ROW_SHADE = colors.HexColor("#f0f4f5")
WARN_FILL = colors.HexColor("#fff9c4")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
#: Width flowables may use: reportlab's Frame keeps 6 pt of padding inside each margin,
#: so anything wider pokes past the right margin.
FRAME_PADDING = 6.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/TTF", "/usr/local/share/fonts",
              "/usr/share/fonts/truetype/msttcorefonts",
              "C:/Windows/Fonts", "/Library/Fonts", "/System/Library/Fonts/Supplemental")
# Families tried in turn: (family, regular, bold, italic, bold italic) file names.
_FAMILIES = (
    ("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
     "DejaVuSans-BoldOblique.ttf"),
    ("Arial", "arial.ttf", "arialbd.ttf", "ariali.ttf", "arialbi.ttf"),
    ("Arial", "Arial.ttf", "Arial Bold.ttf", "Arial Italic.ttf", "Arial Bold Italic.ttf"),
)
_registered: tuple[str, str, str] | None = None


def _find(filename: str) -> Path | None:
    for folder in _FONT_DIRS:
        path = Path(folder) / filename
        if path.exists():
            return path
    return None


def fonts() -> tuple[str, str, str]:
    """(regular, bold, italic) font names.

    DejaVu Sans when the system has it (Linux), else Arial (Windows, macOS), else
    reportlab's built-in Helvetica, which covers fewer characters (see :func:`esc`).
    """
    global _registered
    if _registered is not None:
        return _registered
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase.ttfonts import TTFont

    for family, *files in _FAMILIES:
        paths = [_find(f) for f in files]
        if not all(paths):
            continue
        names = [family, f"{family}-Bold", f"{family}-Italic", f"{family}-BoldItalic"]
        try:
            for name, path in zip(names, paths):
                pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception:  # noqa: BLE001 - a broken font file: try the next family
            continue
        for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names):
            addMapping(family, bold, italic, name)
        _registered = (names[0], names[1], names[2])
        return _registered
    _registered = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
    return _registered


def plain_for_font(text: str) -> str:
    """Characters the built-in Helvetica cannot draw, replaced by look-alikes or '?'."""
    if fonts()[0] != "Helvetica":
        return text
    text = (text.replace("\u2192", "->").replace("\u2190", "<-").replace("\u2265", ">=")
            .replace("\u2264", "<="))
    return text.encode("cp1252", "replace").decode("cp1252")


def esc(text: Any) -> str:
    """Text from a pathway made safe for reportlab Paragraph markup."""
    return _xml_escape(plain_for_font("" if text is None else str(text))).replace("\n", "<br/>")


def styles(body_size: float = 9.5) -> dict[str, ParagraphStyle]:
    """Paragraph styles scaled from ``body_size`` (points)."""
    regular, bold, italic = fonts()
    lead = body_size * 1.35
    s = {
        "body": ParagraphStyle("body", fontName=regular, fontSize=body_size, leading=lead,
                               textColor=TEXT, spaceAfter=body_size * 0.5, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=body_size - 1.5,
                               leading=(body_size - 1.5) * 1.25, textColor=TEXT),
        "cellhead": ParagraphStyle("cellhead", fontName=bold, fontSize=body_size - 1.5,
                                   leading=(body_size - 1.5) * 1.25, textColor=colors.white),
        "small": ParagraphStyle("small", fontName=regular, fontSize=body_size - 1.5,
                                leading=(body_size - 1.5) * 1.3, textColor=MUTED),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=body_size * 1.9,
                             leading=body_size * 2.3, textColor=NHS_BLUE, spaceBefore=0,
                             spaceAfter=body_size * 0.8, keepWithNext=1),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=body_size * 1.35,
                             leading=body_size * 1.7, textColor=NHS_DARK_BLUE,
                             spaceBefore=body_size * 1.0, spaceAfter=body_size * 0.4,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=body_size * 1.1,
                             leading=body_size * 1.4, textColor=TEXT,
                             spaceBefore=body_size * 0.6, spaceAfter=body_size * 0.3,
                             keepWithNext=1),
        "title": ParagraphStyle("title", fontName=bold, fontSize=body_size * 2.7,
                                leading=body_size * 3.2, textColor=colors.white),
        "kicker": ParagraphStyle("kicker", fontName=bold, fontSize=body_size * 1.2,
                                 leading=body_size * 1.6, textColor=colors.white),
        "bullet": ParagraphStyle("bullet", fontName=regular, fontSize=body_size, leading=lead,
                                 textColor=TEXT, leftIndent=body_size * 1.4,
                                 bulletIndent=body_size * 0.3, spaceAfter=body_size * 0.25),
        "caption": ParagraphStyle("caption", fontName=italic, fontSize=body_size - 1.5,
                                  leading=(body_size - 1.5) * 1.3, textColor=MUTED,
                                  spaceAfter=body_size * 0.6),
    }
    return s


class CellParagraph(Paragraph):
    """A paragraph for a table cell that keeps its last wrap.

    reportlab's Table wraps every cell again each time it measures rows, splits at a
    page end and draws: three or four times a cell, the slowest part of a long table.
    A cell is always offered its column's width, so the lines it broke into last time
    are given back while nothing has changed them (reportlab's own split makes new
    paragraphs, and a split that drops the lines is noticed).
    """

    _last_wrap: tuple | None = None

    def __init__(self, text, style=None, bulletText=None, frags=None,  # noqa: N803
                 caseSensitive=1, encoding="utf8", *, parsed: dict | None = None):
        """``parsed``: a dictionary shared by the cells of one table, so a plain text
        met again (a setting, an owner, "Not set") reuses the fragments reportlab's
        markup parser made of it the first time instead of parsing it again."""
        plain = (parsed is not None and frags is None and bulletText is None
                 and isinstance(text, str) and "<" not in text and "&" not in text)
        key = (text, id(style))
        known = parsed.get(key) if plain else None
        if known is not None:
            self.caseSensitive, self.encoding, self.debug = caseSensitive, encoding, 0
            self.text, self.style, self.frags, self.bulletText = known
            return
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        if plain and len(self.frags) == 1 and not self.bulletText:
            parsed[key] = (self.text, self.style, self.frags, self.bulletText)

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        last = self._last_wrap
        if (last is not None and last[0] == availWidth and self.width == availWidth
                and self.__dict__.get("blPara") is last[2]):
            self.height = last[1][1]
            return last[1]
        size = super().wrap(availWidth, availHeight)
        self._last_wrap = (availWidth, size, self.__dict__.get("blPara"))
        return size


def data_table(header: Sequence[str], rows: Sequence[Sequence[Any]],
               widths: Sequence[float], st: dict[str, ParagraphStyle],
               highlight: Sequence[int] = ()) -> Table:
    """A table whose cells wrap, whose header row repeats on every page.

    ``widths`` are fractions of the frame width. Cells may be strings (escaped
    here) or ready flowables. Rows listed in ``highlight`` get a pale yellow fill.
    """
    parsed: dict = {}

    def cell(value: Any, style: ParagraphStyle):
        return (CellParagraph(esc(value), style, parsed=parsed) if not hasattr(value, "wrapOn")
                else value)

    data = [[cell(h, st["cellhead"]) for h in header]]
    data += [[cell(v, st["cell"]) for v in row] for row in rows]
    # splitInRow: a row taller than a page (a long description) splits inside the row
    table = Table(data, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1,
                  hAlign="LEFT", splitInRow=1)
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), NHS_BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("BOX", (0, 0), (-1, -1), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r in range(2, len(data), 2):
        commands.append(("BACKGROUND", (0, r), (-1, r), ROW_SHADE))
    for r in highlight:
        commands.append(("BACKGROUND", (0, r + 1), (-1, r + 1), WARN_FILL))
    table.setStyle(TableStyle(commands))
    return table


class NumberedCanvas(rl_canvas.Canvas):
    """A canvas that writes "Page n of m" once the page count is known."""

    footer_text = ""
    footer_font = "Helvetica"
    footer_size = 8.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802  (reportlab's name)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(self.footer_font, self.footer_size)
        self.setFillColor(MUTED)
        self.setStrokeColor(GRID)
        page_width = self._pagesize[0]       # landscape pages are wider
        lines = footer_lines(self.footer_text, self.footer_font, self.footer_size, page_width)
        # the rule sits above the top line's tallest letters, however large the type
        rule = footer_rule_height(len(lines), self.footer_size)
        self.line(MARGIN, rule, page_width - MARGIN, rule)
        # the last line shares the bottom baseline with the page number, the others stack
        # above it; every line keeps clear of the widest page number's place
        for row, line in enumerate(reversed(lines)):
            self.drawString(MARGIN, FOOTER_BASELINE + row * self.footer_size * FOOTER_LEADING,
                            line)
        self.drawRightString(page_width - MARGIN, FOOTER_BASELINE,
                             f"Page {self._pageNumber} of {total}")
        self.restoreState()


#: Baseline of the footer's bottom line (and of the page number).
FOOTER_BASELINE = 8 * mm
#: Line spacing of a footer that takes more than one line, as a multiple of its type size.
FOOTER_LEADING = 1.2
#: The widest page number the footer text keeps clear of.
_WIDEST_PAGE_LABEL = "Page 999 of 999"


def footer_room(font: str, size: float, page_width: float = PAGE_WIDTH) -> float:
    """Points a footer line may take: the page width inside the margins, less the
    widest page number and a gap of two type sizes before it."""
    label = pdfmetrics.stringWidth(_WIDEST_PAGE_LABEL, font, size)
    return page_width - 2 * MARGIN - label - 2 * size


def footer_lines(text: str, font: str, size: float, page_width: float = PAGE_WIDTH
                 ) -> list[str]:
    """``text`` broken into footer lines, none wider than :func:`footer_room`; nothing
    is dropped or shortened (joined with spaces they give ``text`` back, unless a single
    word was wider than a line and had to be split).

    A footer reads "title \u2022 version \u2022 status": a part starts a new line rather
    than break, unless that costs an extra line; a part too long for one line (a long
    title) is broken between words.
    """
    room = footer_room(font, size, page_width)

    def fits(t: str) -> bool:
        return pdfmetrics.stringWidth(t, font, size) <= room

    if fits(text):
        return [text] if text else []
    parts = text.split(" \u2022 ")
    pieces = [(p + " \u2022" if i < len(parts) - 1 else p) for i, p in enumerate(parts)]
    whole_parts = _wrap(pieces, fits)                   # each part starts a line if needed
    plain = _wrap([" ".join(pieces)], fits)             # words flow on regardless
    return whole_parts if len(whole_parts) <= len(plain) else plain


def _wrap(pieces: list[str], fits) -> list[str]:
    """Greedy lines of ``pieces``: a piece joins the line before when it fits there,
    else starts a new line, broken between words (or inside a word too long)."""
    lines: list[str] = []
    for piece in pieces:
        if lines and fits(lines[-1] + " " + piece):
            lines[-1] += " " + piece
            continue
        current = ""
        for word in piece.split(" "):
            trial = f"{current} {word}" if current else word
            if fits(trial) or not current:
                current = trial
            else:
                lines.append(current)
                current = word
            while not fits(current) and len(current) > 1:   # one word wider than the room
                cut = len(current) - 1
                while cut > 1 and not fits(current[:cut]):
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return lines


def footer_rule_height(line_count: int, size: float) -> float:
    """Height of the rule above a footer of ``line_count`` lines at ``size`` points."""
    top_baseline = FOOTER_BASELINE + max(line_count - 1, 0) * size * FOOTER_LEADING
    return max(12 * mm, top_baseline + size * 1.1)


def footer_margin(text: str, size: float = 8.0, least: float = 20 * mm) -> float:
    """The bottom margin a page needs so its body stays clear of this footer: at least
    ``least``, more when the footer takes more lines (worked out on the narrower
    portrait page, so a landscape page has room to spare)."""
    lines = footer_lines(text, fonts()[0], size)
    return max(least, footer_rule_height(len(lines), size) + 2 * mm)


def canvas_maker(footer_text: str, font_size: float = 8.0):
    """A canvas class for ``doc.build(..., canvasmaker=...)`` with this footer."""
    regular = fonts()[0]
    return type("FooterCanvas", (NumberedCanvas,),
                {"footer_text": footer_text, "footer_font": regular,
                 "footer_size": font_size})
