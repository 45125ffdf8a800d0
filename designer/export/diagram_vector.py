"""The diagram drawn into a PDF as vector graphics (lines, shapes and real text).

The same :class:`~designer.export.diagram_painter.DiagramPainter` that paints the
PNG and SVG draws here, through :class:`PdfPainter`: a stand-in for the few
``QPainter`` calls it makes, turned into reportlab canvas operations. So the
printed specification shows exactly the picture of the exports, sharp at any
zoom, with text a reader can select and search.

:class:`DiagramStrip` is a reportlab flowable for one part of a wide diagram
(the lane headers and the slice between two cuts, see
:mod:`designer.export.diagram_pages`). QtGui is used for the layout and the
text measures, never QtWidgets.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath
from reportlab.platypus import Flowable

from designer.export.kit.pdf import fonts, plain_for_font
from designer.export.painter_state import PainterState

_UNITS_PER_POINT = 96 / 72       # the diagram's fonts are sized for a 96 dpi device
#: Room around a shape (scene units) for its stroke, its joins and antialiasing when
#: deciding it lies wholly outside the window (pens are at most 2 units wide).
_STROKE_ROOM = 12.0


class PdfPainter(PainterState):
    """The part of ``QPainter`` the diagram painter uses, drawing on a reportlab canvas
    whose user space is the diagram's (scene units, y downwards)."""

    def __init__(self, canv, window: tuple[float, float] | None = None):
        self.c = canv
        #: the part of the picture (x from, x to) the page shows: text wholly outside
        #: it is left out, or a PDF reader would find it under the clip, mixed
        #: into the text of the part shown
        self.window = window
        self._dx = 0.0
        self._sx = 1.0
        super().__init__(9.5)
        self._stack: list = []
        self._fonts = fonts()
        #: what the page's graphics state holds now: stroke colour, line width and fill
        #: colour (None: not known), so an unchanged one is not written again
        self._ink: tuple = (None, None, None)

    # state -----------------------------------------------------------------
    def save(self) -> None:
        self._stack.append((self._pen, self._brush, self._font, self._opacity, self._dx,
                            self._sx, self._ink))
        self.c.saveState()

    def restore(self) -> None:
        self.c.restoreState()
        (self._pen, self._brush, self._font, self._opacity, self._dx,
         self._sx, self._ink) = self._stack.pop()

    def translate(self, *args) -> None:
        x, y = (args[0].x(), args[0].y()) if len(args) == 1 else args
        self._dx += x * self._sx
        self.c.translate(x, y)

    def scale(self, sx: float, sy: float) -> None:
        self._sx *= sx
        self.c.scale(sx, sy)

    def _outside(self, left: float, right: float) -> bool:
        """Whether x from ``left`` to ``right`` (current units) lies wholly outside the
        window, stroke room included: such a shape is clipped away whole, so it is not
        written at all (a strip then holds only its own share of the drawing)."""
        if self.window is None:
            return False
        a, b = left * self._sx + self._dx, right * self._sx + self._dx
        if a > b:
            a, b = b, a
        return b + _STROKE_ROOM < self.window[0] or a - _STROKE_ROOM > self.window[1]

    def _colours(self, fill: QColor | None = None) -> tuple[bool, bool]:
        stroke = self._pen is not None
        fill = fill if fill is not None else self._brush
        line, width_now, paint = self._ink
        if stroke:
            colour, width = self._pen
            rgba = (colour.redF(), colour.greenF(), colour.blueF(),
                    colour.alphaF() * self._opacity)
            if rgba != line:
                self.c.setStrokeColorRGB(*rgba)
                line = rgba
            if width != width_now:
                self.c.setLineWidth(width)
                width_now = width
        if fill is not None:
            rgba = (fill.redF(), fill.greenF(), fill.blueF(), fill.alphaF() * self._opacity)
            if rgba != paint:
                self.c.setFillColorRGB(*rgba)
                paint = rgba
        self._ink = (line, width_now, paint)
        return stroke, fill is not None

    # shapes ----------------------------------------------------------------
    def fillRect(self, rect: QRectF, colour) -> None:  # noqa: N802
        if self._outside(rect.left(), rect.right()):
            return
        pen, self._pen = self._pen, None
        self._colours(QColor(colour))
        self.c.rect(rect.x(), rect.y(), rect.width(), rect.height(), stroke=0, fill=1)
        self._pen = pen

    def drawRect(self, rect: QRectF) -> None:  # noqa: N802
        if self._outside(rect.left(), rect.right()):
            return
        stroke, fill = self._colours()
        self.c.rect(rect.x(), rect.y(), rect.width(), rect.height(), stroke=int(stroke),
                    fill=int(fill))

    def drawRoundedRect(self, rect: QRectF, rx: float, ry: float) -> None:  # noqa: N802
        if self._outside(rect.left(), rect.right()):
            return
        stroke, fill = self._colours()
        radius = max(0.0, min(rx, ry, rect.width() / 2, rect.height() / 2))
        self.c.roundRect(rect.x(), rect.y(), rect.width(), rect.height(), radius,
                         stroke=int(stroke), fill=int(fill))

    def drawLine(self, a: QPointF, b: QPointF) -> None:  # noqa: N802
        if self._outside(min(a.x(), b.x()), max(a.x(), b.x())):
            return
        if self._colours(QColor(0, 0, 0, 0))[0]:
            self.c.line(a.x(), a.y(), b.x(), b.y())

    def drawEllipse(self, centre: QPointF, rx: float, ry: float) -> None:  # noqa: N802
        if self._outside(centre.x() - rx, centre.x() + rx):
            return
        stroke, fill = self._colours()
        self.c.ellipse(centre.x() - rx, centre.y() - ry, centre.x() + rx, centre.y() + ry,
                       stroke=int(stroke), fill=int(fill))

    def drawPolygon(self, polygon) -> None:  # noqa: N802
        points = [(polygon.at(i).x(), polygon.at(i).y()) for i in range(polygon.count())]
        if len(points) < 2 or self._outside(min(x for x, _y in points),
                                            max(x for x, _y in points)):
            return
        path = self.c.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.close()
        stroke, fill = self._colours()
        self.c.drawPath(path, stroke=int(stroke), fill=int(fill))

    def drawPath(self, qpath: QPainterPath) -> None:  # noqa: N802
        bounds = qpath.controlPointRect()        # holds the whole curve
        if self._outside(bounds.left(), bounds.right()):
            return
        path = self.c.beginPath()
        i, count = 0, qpath.elementCount()
        while i < count:
            e = qpath.elementAt(i)
            if e.type == QPainterPath.ElementType.MoveToElement:
                path.moveTo(e.x, e.y)
            elif e.type == QPainterPath.ElementType.LineToElement:
                path.lineTo(e.x, e.y)
            elif e.type == QPainterPath.ElementType.CurveToElement and i + 2 < count:
                c2, end = qpath.elementAt(i + 1), qpath.elementAt(i + 2)
                path.curveTo(e.x, e.y, c2.x, c2.y, end.x, end.y)
                i += 2
            i += 1
        stroke, fill = self._colours()
        self.c.drawPath(path, stroke=int(stroke), fill=int(fill))

    # text ------------------------------------------------------------------
    def drawText(self, rect: QRectF, flags, text: str) -> None:  # noqa: N802
        from reportlab.pdfbase.pdfmetrics import stringWidth

        points, bold = self._font
        name = self._fonts[1] if bold else self._fonts[0]
        size = points * _UNITS_PER_POINT
        text = plain_for_font(text) if name.startswith("Helvetica") else text
        width = stringWidth(text, name, size)
        flags = int(flags.value if hasattr(flags, "value") else flags)
        if flags & int(Qt.AlignHCenter.value):
            x = rect.center().x() - width / 2
        elif flags & int(Qt.AlignRight.value):
            x = rect.right() - width
        else:
            x = rect.left()
        if self.window is not None and (x + self._dx > self.window[1]
                                        or x + width + self._dx < self.window[0]):
            return
        baseline = rect.center().y() + size * 0.35      # centred on the line's middle
        colour = self._pen[0] if self._pen is not None else QColor("#000000")
        rgba = (colour.redF(), colour.greenF(), colour.blueF(), colour.alphaF() * self._opacity)
        # One text object, its matrix flipped (the user space runs downwards; glyphs must
        # not): the same placing as a saved state translated and scaled, in fewer operators.
        # Its fill colour stays set after it, as a shape's does.
        words = self.c.beginText()
        words.setTextTransform(1, 0, 0, -1, x, baseline)
        if rgba != self._ink[2]:
            words.setFillColorRGB(*rgba)
            self._ink = (self._ink[0], self._ink[1], rgba)
        words.setFont(name, size)
        words.textOut(text)
        self.c.drawText(words)


class DiagramStrip(Flowable):
    """One printed part of the diagram: the lane headers, then the slice from
    ``left`` to ``right`` (picture units), ``scale`` points a unit."""

    def __init__(self, layout_bundle, header: float, left: float, right: float,
                 scale: float, height: float):
        super().__init__()
        self.bundle = layout_bundle
        self.header, self.left, self.right = header, left, right
        self.scale = scale
        self.units_high = height
        self.width = (header + right - left) * scale
        self.height = height * scale
        self.hAlign = "LEFT"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(0, self.height)
        c.scale(self.scale, -self.scale)      # diagram units, y downwards from the top
        # the lane headers, then the slice beside them
        for clip_left, clip_right, shift in ((0.0, self.header, 0.0),
                                             (self.left, self.right, self.header - self.left)):
            if clip_right <= clip_left:         # no lane headers (an overview): nothing shows
                continue
            c.saveState()
            path = c.beginPath()
            path.rect(clip_left + shift, 0, clip_right - clip_left, self.units_high)
            c.clipPath(path, stroke=0, fill=0)
            c.translate(shift, 0)
            self.bundle.paint(PdfPainter(c, (clip_left, clip_right)))
            c.restoreState()
        c.restoreState()


class DiagramKey(Flowable):
    """The drawn key to the diagram's shapes and badges (the legend row of the
    exported picture), at most ``most_width`` points wide."""

    def __init__(self, layout_bundle, scale: float, most_width: float):
        super().__init__()
        from designer.render.diagram_painter import LEGEND_HEIGHT

        self.bundle = layout_bundle
        units = layout_bundle.legend_width()
        self.scale = min(scale, most_width / units) if units else scale
        self.units_high = LEGEND_HEIGHT
        self.width, self.height = units * self.scale, LEGEND_HEIGHT * self.scale
        self.hAlign = "LEFT"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(0, self.height)
        c.scale(self.scale, -self.scale)
        self.bundle.painter(PdfPainter(c)).paint_legend(0.0)
        c.restoreState()


class _Recorder:
    """Takes down every call the diagram painter makes on its device, in order, to be
    made again on any number of real devices (see :meth:`DiagramDrawing.paint`)."""

    def __init__(self):
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, name: str):
        calls = self.calls

        def call(*args) -> None:
            calls.append((name, args))
        return call


class DiagramDrawing:
    """A pathway's laid-out diagram, ready to paint any number of times.

    The diagram painter runs once (text wrapped, labels placed) on a recorder; each
    :meth:`paint` then makes the same calls on its device. So a diagram printed in
    strips, the lane headers beside each, is worked out once, not twice a strip.
    """

    def __init__(self, pathway, report=None):
        from designer.export import diagram
        from designer.render.diagram_painter import DiagramPainter

        diagram.ensure_gui_application()
        self.layout, self.width, self.height = diagram._prepare(pathway, report, False)
        self.margin = diagram.MARGIN
        self.report = report
        self._painter_class = DiagramPainter
        self._calls: list[tuple[str, tuple]] | None = None
        self._occupied: list[tuple[float, float, bool]] = []

    def painter(self, device: PdfPainter):
        """The diagram painter drawing this layout on ``device``."""
        return self._painter_class(device, self.layout, self.report)

    def legend_width(self) -> float:
        return self._painter_class(None, self.layout, self.report).legend_width()

    def _recorded(self) -> list[tuple[str, tuple]]:
        if self._calls is None:
            recorder = _Recorder()
            recorder.fillRect(QRectF(0, 0, self.width, self.height), QColor("#ffffff"))
            recorder.translate(self.margin, self.margin)
            drawer = self.painter(recorder)
            drawer.paint(legend=False)
            self._calls = recorder.calls
            self._occupied = sorted((r.left() + self.margin, r.right() + self.margin, is_step)
                                    for r, is_step in drawer.occupied)
        return self._calls

    def occupied_spans(self) -> list[tuple[float, float, bool]]:
        """As :func:`designer.export.diagram.occupied_spans` for this drawing: the left
        and right edges (picture units) of every step, label and badge, each with
        whether it is a step, sorted."""
        self._recorded()
        return list(self._occupied)

    def paint(self, painter: PdfPainter) -> None:
        """The whole picture (white ground, margin, lanes, arrows, steps, labels) on
        ``painter``: a :class:`PdfPainter` or an ``SvgPainter``."""
        for name, args in self._recorded():
            getattr(painter, name)(*args)
