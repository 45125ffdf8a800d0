"""The pathway diagram as a picture: SVG and PNG, drawn headless with QtGui.

One painting routine draws on a :class:`QImage` (PNG) or a :class:`QSvgGenerator`
(SVG), so both files show the same picture, in the look of the canvas: the
colours come from :mod:`designer.render.style` and the positions from
:mod:`designer.graph.geometry` (a step's position is its centre; x in scene
units, y from the top of its lane). Steps without a position are placed by
:func:`designer.graph.layout.auto_layout`.

Only QtCore/QtGui/QtSvg are used, never QtWidgets: the CLI exports without a
display. A :class:`QGuiApplication` is created when no Qt application exists
(on the ``offscreen`` platform when there is no display).
"""

from __future__ import annotations

import math
import os
import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from designer.graph.model import Pathway
from designer.render import style
from designer.render.diagram_layout import Layout, lay_out
from designer.render.diagram_painter import LEGEND_GAP, LEGEND_HEIGHT, DiagramPainter
from designer.export.kit.xmltext import strip_non_xml

MARGIN = 16.0
MAX_PNG_PIXELS = 40_000_000   # about 160 MB of ARGB; larger pictures are scaled down
# A PNG file is capped lower: 16 megapixels (48 MB as RGB) is every exemplar at scale
# 2 and, for a wide pathway, 12,000 x 1,333 px, over 300 dpi across an A1 sheet;
# more only slows the encoding. No side is longer than 32,767 px (a signed 16-bit
# size, a limit in some image programs).
MAX_PNG_FILE_PIXELS = 16_000_000
MAX_PNG_SIDE = 32_767
_SCREEN_DPI = 96              # fonts are sized for a 96 dpi device in both outputs
_FONT = style.FONT_FAMILY
_FONT_STACK = f"{style.FONT_FAMILY}, Verdana, Arial, Helvetica, sans-serif"

_app = None  # the QGuiApplication we made, kept alive for the process


# ------------------------------------------------------------------ Qt start-up


def ensure_gui_application() -> None:
    """Create a QGuiApplication if the process has no Qt application yet."""
    global _app
    from PySide6.QtCore import QCoreApplication

    existing = QCoreApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("the diagram needs a Qt GUI application to measure text")
        return
    if not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or sys.platform in ("win32", "darwin")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # A process that already loaded QtWidgets (a test run, a host application) will
    # want widgets later, which need a QApplication; we never load QtWidgets ourselves.
    widgets = sys.modules.get("PySide6.QtWidgets")
    application = widgets.QApplication if widgets is not None else QGuiApplication
    _app = application(sys.argv[:1] or ["periop"])


# ------------------------------------------------------------------- outputs


def _prepare(pathway: Pathway, report, legend: bool) -> tuple[Layout, float, float]:
    """The layout and the picture's size (scene units, margins included)."""
    lay = lay_out(pathway)
    height = lay.height
    if legend:
        lay.width = max(lay.width, DiagramPainter(None, lay, report).legend_width())
        height += LEGEND_GAP + LEGEND_HEIGHT
    return lay, lay.width + 2 * MARGIN, height + 2 * MARGIN


def _paint_on(painter: QPainter, lay: Layout, report, legend: bool) -> DiagramPainter:
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    painter.translate(MARGIN, MARGIN)
    drawer = DiagramPainter(painter, lay, report)
    drawer.paint(legend=legend)
    return drawer


def occupied_spans(pathway: Pathway, report=None) -> list[tuple[float, float, bool]]:
    """Left and right edges (picture units, margin included) of every step box,
    condition label and badge, each with whether it is a step, sorted: where a
    cut through the picture would split text. The picture is painted on a
    1-pixel image to place the labels."""
    ensure_gui_application()
    lay, _w, _h = _prepare(pathway, report, False)
    image = QImage(QSize(1, 1), QImage.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.setClipRect(QRectF(0, 0, 1, 1))
    drawer = _paint_on(painter, lay, report, False)
    painter.end()
    return sorted((r.left() + MARGIN, r.right() + MARGIN, is_step)
                  for r, is_step in drawer.occupied)


def diagram_size(pathway: Pathway, legend: bool = False) -> tuple[float, float]:
    """Width and height of the picture in scene units (1 unit = 1 px at scale 1)."""
    ensure_gui_application()      # the legend's width depends on font metrics
    _lay, width, height = _prepare(pathway, None, legend)
    return width, height


def render_png(pathway: Pathway, scale: float = 1.0, report=None, legend: bool = False
               ) -> bytes:
    """The diagram as PNG bytes.

    Parameters
    ----------
    pathway : Pathway
        The pathway to draw (not changed). Steps without a position are placed
        by the auto-layout.
    scale : float
        Pixels per scene unit; 2.0 gives a sharp picture for print. A picture
        that would exceed :data:`MAX_PNG_FILE_PIXELS` pixels or
        :data:`MAX_PNG_SIDE` pixels a side is drawn at a smaller scale.
    report : ValidationReport, optional
        When given, steps and transitions with findings carry a badge
        (count of findings, coloured by the worst severity).
    legend : bool
        Add a row below the lanes explaining the shapes and badges (for a
        picture that stands alone; documents that explain it leave it out).
    """
    return png_bytes(render_image(pathway, scale, report, legend, _file=True))


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def render_image(pathway: Pathway, scale: float = 1.0, report=None, legend: bool = False,
                 *, _file: bool = False) -> QImage:
    """The diagram as a :class:`QImage` (white background, 96 dpi); see :func:`render_png`.

    For callers that cut or convert the picture themselves: it saves encoding
    and decoding a PNG, the slowest part for a large diagram. The image is
    premultiplied ARGB, capped at :data:`MAX_PNG_PIXELS`; for a PNG file
    (``_file``) it is RGB (opaque: no alpha to encode), capped at
    :data:`MAX_PNG_FILE_PIXELS` and :data:`MAX_PNG_SIDE`.
    """
    ensure_gui_application()
    lay, w, h = _prepare(pathway, report, legend)
    scale = max(0.05, float(scale))
    cap = MAX_PNG_FILE_PIXELS if _file else MAX_PNG_PIXELS
    size = math.ceil               # whole pixels, rounded up when not capped
    if w * h * scale * scale > cap:
        scale, size = math.sqrt(cap / (w * h)), math.floor
    if _file and max(w, h) * scale > MAX_PNG_SIDE:
        scale, size = MAX_PNG_SIDE / max(w, h), round
    image = QImage(QSize(max(1, size(w * scale)), max(1, size(h * scale))),
                   QImage.Format_RGB888 if _file else QImage.Format_ARGB32_Premultiplied)
    if image.isNull():   # Qt refused the size (no memory, or wider than it can draw)
        raise MemoryError(f"a {w:.0f} x {h:.0f} picture is too large to draw")
    dots_per_metre = round(_SCREEN_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    _paint_on(painter, lay, report, legend)
    painter.end()
    return image


def render_svg(pathway: Pathway, report=None, legend: bool = False) -> str:
    """The diagram as an SVG document (UTF-8 text); see :func:`render_png`.

    Text stays text (searchable, selectable); its font falls back to common
    sans-serif fonts where DejaVu Sans is not installed.
    """
    ensure_gui_application()
    lay, w, h = _prepare(pathway, report, legend)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(_SCREEN_DPI)
    generator.setSize(QSize(math.ceil(w), math.ceil(h)))
    generator.setViewBox(QRectF(0, 0, math.ceil(w), math.ceil(h)))
    generator.setTitle(pathway.title)
    generator.setDescription(f"Care pathway diagram: {pathway.title} (version {pathway.version})")
    painter = QPainter(generator)
    _paint_on(painter, lay, report, legend)
    painter.end()
    buffer.close()
    svg = strip_non_xml(bytes(data.data()).decode("utf-8"))
    # Attribute values only: user text is escaped (quotes become &quot;), so it cannot match.
    return svg.replace(f'font-family="{_FONT}"', f'font-family="{_FONT_STACK}"')
