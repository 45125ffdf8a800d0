"""The diagram, or one printed part of it, as a small self-contained SVG (for Word).

The Word specification places each part of a wide diagram (see
:mod:`designer.export.diagram_pages`) as a picture: a PNG for old readers and
this SVG beside it (see :func:`designer.export.kit.docx.add_svg_picture`).
:class:`SvgPainter` stands in for the few ``QPainter`` calls the diagram
painter makes, as :class:`~designer.export.diagram_vector.PdfPainter` does for
the PDF, and writes SVG elements: shapes as shapes and text as ``<text>``, so
the words stay words (a reader can search them, a screen reader can read them).

A part shows the lane headers and one slice of the picture. Each is clipped to
its own rectangle, and whatever lies wholly outside the slice is left out, so a
part holds only its own share of the diagram. No fonts, pictures or styles
from elsewhere are referred to.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QTransform

from designer.export.kit.xmltext import strip_non_xml
from designer.export.painter_state import PainterState
from designer.render import style

_UNITS_PER_POINT = 96 / 72       # the diagram's fonts are sized for a 96 dpi device
#: Fonts a reader falls back to where DejaVu Sans is missing (Verdana has close widths).
FONT_STACK = f"{style.FONT_FAMILY}, Verdana, Arial, Helvetica, sans-serif"
_FAMILY = quoteattr(FONT_STACK)
#: Room around a shape (scene units) for its stroke when deciding it is outside a slice.
_STROKE_ROOM = 4.0


def _num(value: float) -> str:
    """A coordinate, short: two decimals at most, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _colour(colour: QColor) -> str:
    return colour.name()


class SvgPainter(PainterState):
    """The part of ``QPainter`` the diagram painter uses, writing SVG elements.

    ``keep`` is the span of x (picture units, before any transform the painter
    applies) a shape must reach into to be written; ``None`` keeps everything.
    """

    def __init__(self, keep: tuple[float, float] | None = None):
        self.out: list[str] = []
        self.keep = keep
        super().__init__(style.FONT_SIZE)
        self._transform = QTransform()
        self._open = 0                   # groups opened by translate/scale since save()
        self._stack: list = []

    # state -----------------------------------------------------------------
    def save(self) -> None:
        self._stack.append((self._pen, self._brush, self._font, self._opacity,
                            QTransform(self._transform), self._open))
        self._open = 0

    def restore(self) -> None:
        self.out.append("</g>" * self._open)
        (self._pen, self._brush, self._font, self._opacity, self._transform,
         self._open) = self._stack.pop()

    def finish(self) -> str:
        """The elements written, every group closed."""
        while self._stack:
            self.restore()
        self.out.append("</g>" * self._open)
        self._open = 0
        return "".join(self.out)

    def translate(self, *args) -> None:
        x, y = (args[0].x(), args[0].y()) if len(args) == 1 else args
        self._transform.translate(x, y)
        self.out.append(f'<g transform="translate({_num(x)} {_num(y)})">')
        self._open += 1

    def scale(self, sx: float, sy: float) -> None:
        self._transform.scale(sx, sy)
        self.out.append(f'<g transform="scale({_num(sx)} {_num(sy)})">')
        self._open += 1

    # helpers ---------------------------------------------------------------
    def _shown(self, rect: QRectF) -> bool:
        """Whether ``rect`` (in the painter's current units) reaches into the kept span."""
        if self.keep is None:
            return True
        box = self._transform.mapRect(rect)
        return (box.right() + _STROKE_ROOM >= self.keep[0]
                and box.left() - _STROKE_ROOM <= self.keep[1])

    def _local_span(self) -> tuple[float, float] | None:
        """The kept span of x in the painter's current units (no rotation is used)."""
        if self.keep is None:
            return None
        inverse, _ok = self._transform.inverted()
        a, b = (inverse.map(QPointF(x, 0.0)).x() for x in self.keep)
        return min(a, b), max(a, b)

    def _cut(self, rect: QRectF) -> QRectF:
        """``rect`` cut to the kept span: a renderer that ignores clip paths still
        shows nothing of the bands and rules outside the part."""
        span = self._local_span()
        if span is None:
            return rect
        left, right = max(rect.left(), span[0]), min(rect.right(), span[1])
        return QRectF(left, rect.top(), max(0.0, right - left), rect.height())

    def _paint(self, fill: QColor | None = None, stroke: bool = True) -> str:
        """The fill and stroke attributes for the current pen and brush."""
        fill = fill if fill is not None else self._brush
        parts = []
        if fill is not None and fill.alpha() > 0:
            parts.append(f'fill="{_colour(fill)}"')
            alpha = fill.alphaF() * self._opacity
            if alpha < 1.0:
                parts.append(f'fill-opacity="{_num(alpha)}"')
        else:
            parts.append('fill="none"')
        if stroke and self._pen is not None:
            colour, width = self._pen
            parts.append(f'stroke="{_colour(colour)}" stroke-width="{_num(width)}"')
            alpha = colour.alphaF() * self._opacity
            if alpha < 1.0:
                parts.append(f'stroke-opacity="{_num(alpha)}"')
        return " ".join(parts)

    # shapes ----------------------------------------------------------------
    def fillRect(self, rect: QRectF, colour) -> None:  # noqa: N802
        if self._shown(rect):
            rect = self._cut(rect)
            self.out.append(f'<rect x="{_num(rect.x())}" y="{_num(rect.y())}" '
                            f'width="{_num(rect.width())}" height="{_num(rect.height())}" '
                            f'{self._paint(QColor(colour), stroke=False)}/>')

    def drawRect(self, rect: QRectF) -> None:  # noqa: N802
        self.drawRoundedRect(rect, 0.0, 0.0)

    def drawRoundedRect(self, rect: QRectF, rx: float, ry: float) -> None:  # noqa: N802
        if not self._shown(rect):
            return
        radius = max(0.0, min(rx, ry, rect.width() / 2, rect.height() / 2))
        if not radius and self._cut(rect) != rect:
            self._cut_outline(rect)
            return
        corner = f' rx="{_num(radius)}"' if radius else ""
        self.out.append(f'<rect x="{_num(rect.x())}" y="{_num(rect.y())}" '
                        f'width="{_num(rect.width())}" height="{_num(rect.height())}"'
                        f'{corner} {self._paint()}/>')

    def _cut_outline(self, rect: QRectF) -> None:
        """A rectangle reaching past the part: its fill cut to the part, and only the
        sides of its outline that lie in it (a cut side would draw a false edge)."""
        if self._brush is not None:
            cut = self._cut(rect)
            self.out.append(f'<rect x="{_num(cut.x())}" y="{_num(cut.y())}" '
                            f'width="{_num(cut.width())}" height="{_num(cut.height())}" '
                            f'{self._paint(stroke=False)}/>')
        if self._pen is None:
            return
        span = self._local_span()
        sides = [(rect.topLeft(), rect.topRight()), (rect.bottomLeft(), rect.bottomRight())]
        sides += [(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
                  for x in (rect.left(), rect.right()) if span[0] <= x <= span[1]]
        for a, b in sides:
            self.drawLine(a, b)

    def drawLine(self, a: QPointF, b: QPointF) -> None:  # noqa: N802
        if self._pen is None or not self._shown(QRectF(a, b).normalized()):
            return
        span = self._local_span()
        if span is not None and a.x() != b.x():       # cut to the part, as a rect is
            t0, t1 = ((x - a.x()) / (b.x() - a.x()) for x in span)
            t0, t1 = max(0.0, min(t0, t1)), min(1.0, max(t0, t1))
            a, b = a + (b - a) * t0, a + (b - a) * t1
        self.out.append(f'<line x1="{_num(a.x())}" y1="{_num(a.y())}" x2="{_num(b.x())}" '
                        f'y2="{_num(b.y())}" {self._paint(QColor(0, 0, 0, 0))}/>')

    def drawEllipse(self, centre: QPointF, rx: float, ry: float) -> None:  # noqa: N802
        if not self._shown(QRectF(centre.x() - rx, centre.y() - ry, 2 * rx, 2 * ry)):
            return
        self.out.append(f'<ellipse cx="{_num(centre.x())}" cy="{_num(centre.y())}" '
                        f'rx="{_num(rx)}" ry="{_num(ry)}" {self._paint()}/>')

    def drawPolygon(self, polygon) -> None:  # noqa: N802
        points = [(polygon.at(i).x(), polygon.at(i).y()) for i in range(polygon.count())]
        if len(points) < 2 or not self._shown(polygon.boundingRect()):
            return
        listed = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        self.out.append(f'<polygon points="{listed}" {self._paint()}/>')

    def drawPath(self, qpath: QPainterPath) -> None:  # noqa: N802
        if not self._shown(qpath.boundingRect()):
            return
        commands = []
        i, count = 0, qpath.elementCount()
        while i < count:
            e = qpath.elementAt(i)
            if e.type == QPainterPath.ElementType.MoveToElement:
                commands.append(f"M{_num(e.x)} {_num(e.y)}")
            elif e.type == QPainterPath.ElementType.LineToElement:
                commands.append(f"L{_num(e.x)} {_num(e.y)}")
            elif e.type == QPainterPath.ElementType.CurveToElement and i + 2 < count:
                c2, end = qpath.elementAt(i + 1), qpath.elementAt(i + 2)
                commands.append(f"C{_num(e.x)} {_num(e.y)} {_num(c2.x)} {_num(c2.y)} "
                                f"{_num(end.x)} {_num(end.y)}")
                i += 2
            i += 1
        if commands:
            self.out.append(f'<path d="{" ".join(commands)}" {self._paint()}/>')

    # text ------------------------------------------------------------------
    def drawText(self, rect: QRectF, flags, text: str) -> None:  # noqa: N802
        text = strip_non_xml(text)
        if not text.strip() or not self._shown(rect):
            return
        points, bold = self._font
        size = points * _UNITS_PER_POINT
        flags = int(flags.value if hasattr(flags, "value") else flags)
        if flags & int(Qt.AlignHCenter.value):
            x, anchor = rect.center().x(), "middle"
        elif flags & int(Qt.AlignRight.value):
            x, anchor = rect.right(), "end"
        else:
            x, anchor = rect.left(), "start"
        baseline = rect.center().y() + size * 0.35      # centred on the line's middle
        colour = self._pen[0] if self._pen is not None else QColor("#000000")
        # the font on every text, not inherited: the surest for simple SVG readers
        attributes = [f'x="{_num(x)}"', f'y="{_num(baseline)}"', f"font-family={_FAMILY}",
                      f'font-size="{_num(size)}"', f'fill="{_colour(colour)}"']
        if anchor != "start":
            attributes.append(f'text-anchor="{anchor}"')
        if bold:
            attributes.append('font-weight="bold"')
        alpha = colour.alphaF() * self._opacity
        if alpha < 1.0:
            attributes.append(f'fill-opacity="{_num(alpha)}"')
        self.out.append(f'<text {" ".join(attributes)} xml:space="preserve">'
                        f"{escape(text)}</text>")


def part_svg(drawing, header: float, left: float, right: float, scale: float,
             title: str = "", description: str = "") -> str:
    """One part of the diagram as an SVG document: the lane headers (the first
    ``header`` picture units; none when 0), then the slice from ``left`` to
    ``right``, ``scale`` points a picture unit.

    ``drawing`` is a :class:`~designer.export.diagram_vector.DiagramDrawing`.
    The document is ``(header + right - left) * scale`` points wide and
    ``drawing.height * scale`` high: the size of the PNG of the same part.
    """
    units_wide, units_high = header + right - left, drawing.height
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
           f'width="{_num(units_wide * scale)}pt" height="{_num(units_high * scale)}pt" '
           f'viewBox="0 0 {_num(units_wide)} {_num(units_high)}">']
    if title:
        out.append(f"<title>{escape(strip_non_xml(title))}</title>")
    if description:
        out.append(f"<desc>{escape(strip_non_xml(description))}</desc>")
    # The slice first, the lane headers over it: where a renderer ignores the clip
    # paths, the headers still hide whatever of the slice reaches left of the cut.
    parts = [(left, right, header - left)]
    if header > 0:
        parts.append((0.0, header, 0.0))
    out.append("<defs>")
    for number, (a, b, shift) in enumerate(parts):
        out.append(f'<clipPath id="part{number}"><rect x="{_num(a + shift)}" y="0" '
                   f'width="{_num(b - a)}" height="{_num(units_high)}"/></clipPath>')
    out.append("</defs>")
    out.append(f'<rect x="0" y="0" width="{_num(units_wide)}" height="{_num(units_high)}" '
               'fill="#ffffff"/>')
    for number, (a, b, shift) in enumerate(parts):
        painter = SvgPainter(keep=(a, b))
        drawing.paint(painter)
        out.append(f'<g clip-path="url(#part{number})">'
                   f'<g transform="translate({_num(shift)} 0)">'
                   f"{painter.finish()}</g></g>")
    out.append("</svg>")
    return "\n".join(out)


def key_scale(drawing, scale: float, most_width: float) -> float:
    """Points a unit for the key: the diagram's ``scale``, less if the row would be
    wider than ``most_width`` points (as the PDF's key)."""
    units = drawing.legend_width()
    return min(scale, most_width / units) if units else scale


def key_svg(drawing, scale: float, title: str = "", description: str = "") -> str:
    """The key to the diagram's shapes and badges (its legend row) as an SVG
    document, ``scale`` points a unit."""
    from designer.render.diagram_painter import LEGEND_HEIGHT

    units_wide = drawing.legend_width()
    painter = SvgPainter()
    drawing.painter(painter).paint_legend(0.0)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
           f'width="{_num(units_wide * scale)}pt" height="{_num(LEGEND_HEIGHT * scale)}pt" '
           f'viewBox="0 0 {_num(units_wide)} {_num(LEGEND_HEIGHT)}">']
    if title:
        out.append(f"<title>{escape(strip_non_xml(title))}</title>")
    if description:
        out.append(f"<desc>{escape(strip_non_xml(description))}</desc>")
    out.append(f'<rect x="0" y="0" width="{_num(units_wide)}" height="{_num(LEGEND_HEIGHT)}" '
               'fill="#ffffff"/>')
    out.append(f"{painter.finish()}</svg>")
    return "\n".join(out)


def key_png(drawing, scale: float, pixels_per_point: float = 2.0) -> bytes:
    """The same key as a PNG, ``scale`` points a unit at ``pixels_per_point``, drawn
    by Qt (the fallback for readers without SVG)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QPainter

    from designer.export.diagram import png_bytes
    from designer.render.diagram_painter import LEGEND_HEIGHT

    k = scale * pixels_per_point
    units_wide = drawing.legend_width()
    # whole pixels to the nearest: the key is a thin strip (about 34 px high), so
    # rounding its height up would stretch it by as much as 3%
    image = QImage(QSize(max(1, round(units_wide * k)), max(1, round(LEGEND_HEIGHT * k))),
                   QImage.Format_RGB888)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    painter.scale(image.width() / units_wide, image.height() / LEGEND_HEIGHT)
    drawing.painter(painter).paint_legend(0.0)
    painter.end()
    return png_bytes(image)
