"""The pathway diagram as a picture: SVG and PNG, drawn headless with QtGui.

One painting routine draws on a :class:`QImage` (PNG) or a :class:`QSvgGenerator`
(SVG), so both files show the same picture, in the look of the canvas: the
colours come from :mod:`designer.export.style` and the positions from
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
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush, QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter,
    QPainterPath, QPen, QPolygonF,
)
from PySide6.QtSvg import QSvgGenerator

from ..graph import geometry
from ..graph.model import Pathway, Step, StepKind, Transition
from . import style
from .bpmn import with_positions

MARGIN = 16.0
MAX_PNG_PIXELS = 40_000_000   # about 160 MB of ARGB; larger pictures are scaled down
_SCREEN_DPI = 96              # fonts are sized for a 96 dpi device in both outputs
_SEVERITY_ORDER = ("error", "warning", "info")

_app = None  # the QGuiApplication we made, kept alive for the process


def _guard_none_refcount() -> bool:
    """Work around bindings that return ``None`` from void methods without a reference.

    PySide6 6.12 on Python 3.11 loses one reference to ``None`` on every call
    of a method that returns nothing (``QPainter.drawLine``, ``setPen`` ...);
    Python 3.12+ made ``None`` immortal, so it only shows on 3.11, where the
    process aborts ("deallocating None") after a few thousand calls. Drawing a
    diagram makes thousands. When the loss is detected, ``None`` is given a
    very large reference count once, which is what 3.12 does by design.
    Returns True when the guard was applied.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    probe = QRectF()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setWidth(1.0)
    if before - sys.getrefcount(None) < 8:
        return False          # the binding counts correctly
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


NONE_GUARD_APPLIED = _guard_none_refcount()


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


# ------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Box:
    step: Step
    cx: float
    cy: float
    w: float
    h: float

    @property
    def rect(self) -> QRectF:
        return QRectF(self.cx - self.w / 2, self.cy - self.h / 2, self.w, self.h)


@dataclass
class _Layout:
    pathway: Pathway            # a copy in which every step has a position
    bands: list[geometry.LaneBand]
    boxes: dict[str, _Box]
    width: float
    height: float


def _layout(pathway: Pathway) -> _Layout:
    positioned = with_positions(pathway)
    bands = geometry.lane_bands(positioned)
    boxes: dict[str, _Box] = {}
    right = geometry.LANE_HEADER_WIDTH + 300.0
    for step in positioned.steps:
        w, h = geometry.step_size(step.kind)
        cx, cy = geometry.scene_centre(bands, step) if bands else (
            geometry.FIRST_COLUMN_X, geometry.FIRST_ROW_Y)
        boxes[step.id] = _Box(step, cx, cy, w, h)
        right = max(right, cx + w / 2 + 60.0)
    height = bands[-1].bottom if bands else geometry.LANE_MIN_HEIGHT
    for t in positioned.transitions:   # loop-backs curve below their steps
        if t.source in boxes and t.target in boxes:
            bounds = _edge_path(boxes[t.source], boxes[t.target]).boundingRect()
            height = max(height, bounds.bottom() + 12.0)
            right = max(right, bounds.right() + 12.0)
    return _Layout(positioned, bands, boxes, right, height)


def _edge_path(a: _Box, b: _Box) -> QPainterPath:
    """A smooth curve from ``a`` to ``b``: forwards right-to-left ports, else round."""
    path = QPainterPath()
    if b.cx - b.w / 2 >= a.cx + a.w / 2 + 12:            # forwards in time
        p0, p3 = QPointF(a.cx + a.w / 2, a.cy), QPointF(b.cx - b.w / 2, b.cy)
        c = max(40.0, (p3.x() - p0.x()) * 0.5)
        p1, p2 = QPointF(p0.x() + c, p0.y()), QPointF(p3.x() - c, p3.y())
    elif abs(b.cx - a.cx) < (a.w + b.w) / 2 and abs(b.cy - a.cy) > (a.h + b.h) / 2:
        down = 1 if b.cy > a.cy else -1                      # same column
        p0 = QPointF(a.cx, a.cy + down * a.h / 2)
        p3 = QPointF(b.cx, b.cy - down * b.h / 2)
        c = max(30.0, abs(p3.y() - p0.y()) * 0.5) * down
        p1, p2 = QPointF(p0.x(), p0.y() + c), QPointF(p3.x(), p3.y() - c)
    else:                                                    # back in time: loop below
        p0, p3 = QPointF(a.cx, a.cy + a.h / 2), QPointF(b.cx, b.cy + b.h / 2)
        depth = max(p0.y(), p3.y()) + 46.0
        p1, p2 = QPointF(p0.x(), depth), QPointF(p3.x(), depth)
    path.moveTo(p0)
    path.cubicTo(p1, p2, p3)
    return path


def _arrow_head(path: QPainterPath) -> QPolygonF:
    tip = path.pointAtPercent(1.0)
    angle = math.radians(path.angleAtPercent(0.999))
    dx, dy = math.cos(angle), -math.sin(angle)       # Qt angles run anticlockwise
    size, half = 10.0, 4.5
    back = QPointF(tip.x() - dx * size, tip.y() - dy * size)
    normal = QPointF(-dy * half, dx * half)
    return QPolygonF([tip, back + normal, back - normal])


# ---------------------------------------------------------------------- text


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(style.FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def wrap_text(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines no wider than ``width``.

    Words longer than a line are elided; when the text does not fit, the last
    line ends with an ellipsis.
    """
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if metrics.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            current = " ".join([lines.pop(), *words[index:]])
            break
    if current:
        lines.append(current)
    lines = lines[:max_lines]
    if lines and len(lines) == max_lines and " ".join(lines) != " ".join(words):
        lines[-1] = lines[-1] + " …"
    return [metrics.elidedText(line, Qt.ElideRight, width)
            if metrics.horizontalAdvance(line) > width else line for line in lines]


# ------------------------------------------------------------------ painting


def _findings_by_target(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for finding in getattr(report, "findings", None) or ():
        for target in finding.targets:
            found.setdefault(target, []).append(finding)
    return found


def _worst(findings: list) -> str:
    return min((f.severity for f in findings),
               key=lambda s: _SEVERITY_ORDER.index(s) if s in _SEVERITY_ORDER else 9)


class _Painter:
    """Draws one laid-out pathway with a QPainter already set up on a device."""

    def __init__(self, painter: QPainter, layout: _Layout, report=None):
        self.p = painter
        self.lay = layout
        self.findings = _findings_by_target(report)
        self.name_font, self.small_font = _font(style.FONT_SIZE), _font(style.SMALL_FONT_SIZE)
        self.lane_font = _font(style.LANE_FONT_SIZE, bold=True)

    def paint(self) -> None:
        self.p.fillRect(QRectF(0, 0, self.lay.width, self.lay.height), QColor("#ffffff"))
        self._lanes()
        for t in self.lay.pathway.transitions:
            self._transition(t)
        for box in self.lay.boxes.values():
            self._step(box)
        for t in self.lay.pathway.transitions:
            self._transition_badges(t)

    # lanes -----------------------------------------------------------------
    def _lanes(self) -> None:
        p, width = self.p, self.lay.width
        header_w = geometry.LANE_HEADER_WIDTH
        for band in self.lay.bands:
            setting = self.lay.pathway.setting(band.setting_id)
            if setting is not None:
                fill, head, ink = style.lane_colours(setting.kind)
                name, kind = setting.name, style.SETTING_KIND_LABELS.get(setting.kind, "")
                kind = kind.upper()
            else:
                fill, head, ink = "#f7f7f7", "#e0e0e0", style.MUTED_TEXT
                name, kind = "No lane set", "Steps with a missing or unknown setting"
            p.fillRect(QRectF(0, band.top, width, band.height), QColor(fill))
            p.fillRect(QRectF(0, band.top, header_w, band.height), QColor(head))
            p.setPen(QPen(QColor("#b0bec5"), 1))
            p.drawLine(QPointF(0, band.bottom), QPointF(width, band.bottom))
            p.drawLine(QPointF(header_w, band.top), QPointF(header_w, band.bottom))
            inner = header_w - 24
            p.setPen(QColor(ink))
            p.setFont(self.lane_font)
            small = QFontMetricsF(self.small_font)
            line_h = QFontMetricsF(self.lane_font).height()
            # as on the canvas: fewer name lines in short lanes, clear of the band's foot
            room = max(1, int((band.height - 28 - small.height() * 2) // line_h))
            lines = wrap_text(name, QFontMetricsF(self.lane_font), inner, min(3, room))
            y = band.top + 14
            for line in lines:
                p.drawText(QRectF(12, y, inner, line_h), Qt.AlignLeft | Qt.AlignVCenter, line)
                y += line_h
            p.setFont(self.small_font)
            p.setOpacity(0.8)
            y += 4
            for line in wrap_text(kind, small, inner, 2):
                p.drawText(QRectF(12, y, inner, small.height()),
                           Qt.AlignLeft | Qt.AlignVCenter, line)
                y += small.height()
            p.setOpacity(1.0)
        p.setPen(QPen(QColor("#90a4ae"), 1))
        p.setBrush(Qt.NoBrush)
        p.drawRect(QRectF(0, 0, width, self.lay.height))

    # steps -----------------------------------------------------------------
    def _step(self, box: _Box) -> None:
        p, step, r = self.p, box.step, box.rect
        p.setBrush(QColor(style.step_fill(step.activity)))
        p.setPen(QPen(QColor(style.STEP_BORDER), 2.0 if step.kind in (
            StepKind.entry, StepKind.exit) else 1.2))
        if step.kind in (StepKind.entry, StepKind.exit):
            p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
            text = r.adjusted(16, 4, -16, -4)
        elif step.kind is StepKind.decision:
            p.drawPolygon(QPolygonF([QPointF(box.cx, r.top()), QPointF(r.right(), box.cy),
                                     QPointF(box.cx, r.bottom()), QPointF(r.left(), box.cy)]))
            text = QRectF(box.cx - box.w * 0.32, box.cy - box.h * 0.3,
                          box.w * 0.64, box.h * 0.6)
        elif step.kind is StepKind.wait:
            p.drawRoundedRect(r, 10, 10)
            self._hourglass(QPointF(r.left() + 16, box.cy))
            text = r.adjusted(28, 4, -8, -4)
        else:
            p.drawRoundedRect(r, 5, 5)
            text = r.adjusted(8, 5, -8, -5)
        self._step_text(step, text)
        found = self.findings.get(step.id)
        if found:
            self._count_badge(QPointF(r.right() - 4, r.top() + 4), found)

    def _hourglass(self, c: QPointF) -> None:
        p = self.p
        p.save()
        p.setPen(QPen(QColor(style.STEP_BORDER), 1.4))
        p.setBrush(QColor("#fff8e1"))
        top, bottom, half = c.y() - 11, c.y() + 11, 6.5
        p.drawPolygon(QPolygonF([QPointF(c.x() - half, top), QPointF(c.x() + half, top),
                                 QPointF(c.x(), c.y()), QPointF(c.x() + half, bottom),
                                 QPointF(c.x() - half, bottom), QPointF(c.x(), c.y())]))
        p.setBrush(QColor(style.STEP_BORDER))
        p.drawPolygon(QPolygonF([QPointF(c.x() - 3.5, bottom - 1), QPointF(c.x() + 3.5, bottom - 1),
                                 QPointF(c.x(), bottom - 5)]))
        p.restore()

    def _step_text(self, step: Step, area: QRectF) -> None:
        p = self.p
        role = self.lay.pathway.role(step.owner) if step.owner else None
        owner = role.name if role else (step.owner or "")
        name_m, small_m = QFontMetricsF(self.name_font), QFontMetricsF(self.small_font)
        owner_h = small_m.height() if owner else 0.0
        max_lines = max(1, int((area.height() - owner_h) // name_m.height()))
        lines = wrap_text(step.name, name_m, area.width(), max_lines)
        total = len(lines) * name_m.height() + owner_h
        y = area.center().y() - total / 2
        p.setPen(QColor(style.TEXT))
        p.setFont(self.name_font)
        for line in lines:
            p.drawText(QRectF(area.left(), y, area.width(), name_m.height()),
                       Qt.AlignHCenter | Qt.AlignVCenter, line)
            y += name_m.height()
        if owner:
            p.setPen(QColor(style.MUTED_TEXT))
            p.setFont(self.small_font)
            p.drawText(QRectF(area.left(), y, area.width(), owner_h),
                       Qt.AlignHCenter | Qt.AlignVCenter,
                       small_m.elidedText(owner, Qt.ElideRight, area.width()))

    # transitions -------------------------------------------------------------
    def _ends(self, t: Transition) -> tuple[_Box, _Box] | None:
        a, b = self.lay.boxes.get(t.source), self.lay.boxes.get(t.target)
        return (a, b) if a is not None and b is not None else None

    def _transition(self, t: Transition) -> None:
        ends = self._ends(t)
        if ends is None:
            return
        path = _edge_path(*ends)
        p = self.p
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor(style.EDGE_COLOUR), 1.4))
        p.drawPath(path)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(style.EDGE_COLOUR))
        p.drawPolygon(_arrow_head(path))

    def _transition_badges(self, t: Transition) -> None:
        ends = self._ends(t)
        if ends is None:
            return
        a, b = ends
        path = _edge_path(a, b)
        label = [t.condition] if t.condition else []
        if t.wait_days:
            label.append(f"wait {t.wait_days:g} day{'s' if t.wait_days != 1 else ''}")
        if label:
            self._edge_label(path.pointAtPercent(0.42 if t.condition else 0.5), label,
                             bool(t.condition))
        crosses = a.step.setting != b.step.setting
        if crosses or t.handoff is not None:
            complete = t.handoff is not None and t.handoff.is_complete()
            self._handoff_badge(path.pointAtPercent(0.72 if label else 0.5), complete)
        found = self.findings.get(t.key)
        if found:
            self._count_badge(path.pointAtPercent(0.84), found)

    def _edge_label(self, at: QPointF, lines: list[str], first_is_condition: bool) -> None:
        p, m = self.p, QFontMetricsF(self.small_font)
        width = 128.0
        texts: list[tuple[str, bool]] = []
        for index, line in enumerate(lines):
            muted = not (first_is_condition and index == 0)
            for part in wrap_text(line, m, width, 2 if not muted else 1):
                texts.append((part, muted))
        w = max(m.horizontalAdvance(t) for t, _ in texts) + 10
        h = m.height() * len(texts) + 4
        rect = QRectF(at.x() - w / 2, at.y() - h / 2, w, h)
        p.setPen(QPen(QColor("#b0bec5"), 0.8))
        p.setBrush(QColor(255, 255, 255, 235))
        p.drawRoundedRect(rect, 3, 3)
        p.setFont(self.small_font)
        y = rect.top() + 2
        for text, muted in texts:
            p.setPen(QColor(style.MUTED_TEXT if muted else style.TEXT))
            p.drawText(QRectF(rect.left(), y, w, m.height()), Qt.AlignCenter, text)
            y += m.height()

    def _handoff_badge(self, at: QPointF, complete: bool) -> None:
        p = self.p
        colour = QColor(style.HANDOFF_OK if complete else style.HANDOFF_INCOMPLETE)
        rect = QRectF(at.x() - 12, at.y() - 8, 24, 16)
        p.setPen(QPen(QColor("#ffffff"), 1.2))
        p.setBrush(colour)
        p.drawRoundedRect(rect, 8, 8)
        # two opposed arrows: information passing between settings
        p.setPen(QPen(QColor("#ffffff"), 1.3))
        p.setBrush(QColor("#ffffff"))
        y1, y2, x0, x1 = at.y() - 2.5, at.y() + 2.5, at.x() - 6, at.x() + 6
        p.drawLine(QPointF(x0, y1), QPointF(x1 - 1, y1))
        p.drawPolygon(QPolygonF([QPointF(x1 + 1, y1), QPointF(x1 - 2.5, y1 - 2.5),
                                 QPointF(x1 - 2.5, y1 + 2.5)]))
        p.drawLine(QPointF(x0 + 1, y2), QPointF(x1, y2))
        p.drawPolygon(QPolygonF([QPointF(x0 - 1, y2), QPointF(x0 + 2.5, y2 - 2.5),
                                 QPointF(x0 + 2.5, y2 + 2.5)]))

    def _count_badge(self, at: QPointF, findings: list) -> None:
        p = self.p
        p.setPen(QPen(QColor("#ffffff"), 1.5))
        p.setBrush(QColor(style.SEVERITY_COLOURS.get(_worst(findings), style.MUTED_TEXT)))
        p.drawEllipse(at, 9, 9)
        p.setFont(_font(style.SMALL_FONT_SIZE, bold=True))
        p.setPen(QColor("#ffffff"))
        p.drawText(QRectF(at.x() - 9, at.y() - 9, 18, 18), Qt.AlignCenter,
                   str(len(findings)) if len(findings) < 10 else "9+")


# ------------------------------------------------------------------- outputs


def _paint_on(painter: QPainter, lay: _Layout, report) -> None:
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    painter.translate(MARGIN, MARGIN)
    _Painter(painter, lay, report).paint()


def diagram_size(pathway: Pathway) -> tuple[float, float]:
    """Width and height of the picture in scene units (1 unit = 1 px at scale 1)."""
    lay = _layout(pathway)
    return lay.width + 2 * MARGIN, lay.height + 2 * MARGIN


def render_png(pathway: Pathway, scale: float = 1.0, report=None) -> bytes:
    """The diagram as PNG bytes.

    Parameters
    ----------
    pathway : Pathway
        The pathway to draw (not changed).
    scale : float
        Pixels per scene unit; 2.0 gives a sharp picture for print. A picture
        that would exceed :data:`MAX_PNG_PIXELS` is drawn at a smaller scale.
    report : ValidationReport, optional
        When given, steps and transitions with findings carry a badge
        (count of findings, coloured by the worst severity).
    """
    ensure_gui_application()
    lay = _layout(pathway)
    w, h = lay.width + 2 * MARGIN, lay.height + 2 * MARGIN
    scale = max(0.05, float(scale))
    if w * h * scale * scale > MAX_PNG_PIXELS:
        scale = math.sqrt(MAX_PNG_PIXELS / (w * h))
    image = QImage(QSize(max(1, math.ceil(w * scale)), max(1, math.ceil(h * scale))),
                   QImage.Format_ARGB32_Premultiplied)
    dots_per_metre = round(_SCREEN_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    _paint_on(painter, lay, report)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def render_svg(pathway: Pathway, report=None) -> str:
    """The diagram as an SVG document (UTF-8 text); see :func:`render_png`."""
    ensure_gui_application()
    lay = _layout(pathway)
    w, h = lay.width + 2 * MARGIN, lay.height + 2 * MARGIN
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
    _paint_on(painter, lay, report)
    painter.end()
    buffer.close()
    return bytes(data.data()).decode("utf-8")
