"""Graphics items of the canvas: lanes and steps (transitions: items_edges.py).

Items are built from Qt's own C++ items (path, rect, simple text) so that most
painting happens in C++; the only Python ``paint()`` overrides drop Qt's dashed
selection rectangle (the selection is shown by the border colour instead) and draw
a plain block when zoomed far out. Items never change the model: they show it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QPainterPath, QPen, QPolygonF, QStaticText,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem,
    QGraphicsSimpleTextItem, QStyle,
)

from designer.render import style
from designer.render.shapes import hourglass, step_outline, text_area
from designer.render.text import step_text
from designer.graph import geometry
from designer.graph.model import Step, StepKind
from designer.graph.vocabulary import SEVERITY_LABELS

Z_LANE, Z_EDGE, Z_STEP, Z_EDGE_DECOR, Z_HEADER, Z_DRAG = -10.0, 0.0, 1.0, 2.0, 4.0, 5.0
LOW_DETAIL = 0.3           # below this zoom, names and badges are not drawn
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# high contrast: light lines and text on black, selection in yellow, critical path in cyan
HC_PAPER, HC_INK, HC_SELECTED, HC_CRITICAL = "#000000", "#ffffff", "#ffff00", "#00ffff"


_COLOURS: dict[str, QColor] = {}
_PENS: dict[tuple[str, float], QPen] = {}


def colour(hex_code: str) -> QColor:
    """A shared QColor per colour (thousands of items use a handful of colours)."""
    found = _COLOURS.get(hex_code)
    if found is None:
        found = _COLOURS[hex_code] = QColor(hex_code)
    return found


def pen(hex_code: str, width: float) -> QPen:
    """A shared pen per colour and width."""
    found = _PENS.get((hex_code, width))
    if found is None:
        found = _PENS[(hex_code, width)] = QPen(colour(hex_code), width)
    return found


def make_font(size: float, bold: bool = False) -> QFont:
    font = QFont(style.FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


class Fonts:
    """Fonts and metrics made once per scene (QFontMetricsF is not free)."""

    def __init__(self) -> None:
        self.name = make_font(style.FONT_SIZE)
        self.small = make_font(style.SMALL_FONT_SIZE)
        self.small_bold = make_font(style.SMALL_FONT_SIZE, bold=True)
        self.lane = make_font(style.LANE_FONT_SIZE, bold=True)
        self.name_m = QFontMetricsF(self.name)
        self.small_m = QFontMetricsF(self.small)
        self.lane_m = QFontMetricsF(self.lane)
        self.set_contrast(False)

    def set_contrast(self, on: bool) -> None:
        """The scene's look: the usual colours, or high contrast (light on black)."""
        self.contrast = on
        self.text = QColor(HC_INK if on else style.TEXT)
        self.muted = QColor(HC_INK if on else style.MUTED_TEXT)


def text_item(parent: QGraphicsItem, text: str, font: QFont, ink: str) -> QGraphicsSimpleTextItem:
    """A built-in (C++-painted) text item that lets clicks through to its parent."""
    item = QGraphicsSimpleTextItem(text, parent)
    item.setFont(font)
    item.setBrush(colour(ink))
    item.setAcceptedMouseButtons(Qt.NoButton)
    return item


def worst_severity(findings) -> str:
    return min((f.severity for f in findings), key=lambda s: SEVERITY_RANK.get(s, 9))


_SHAPES: dict[tuple[str, float], QPainterPath] = {}


def severity_shape(severity: str, r: float) -> QPainterPath:
    """A badge outline that tells the severity without colour: a diamond for an error,
    a triangle for a warning, a circle for a note (as in the key of the documents).

    Made once per severity and size (badges share it; Qt copies paths on write)."""
    path = _SHAPES.get((severity, r))
    if path is None:
        path = _SHAPES[(severity, r)] = _severity_shape(severity, r)
    return QPainterPath(path)


def _severity_shape(severity: str, r: float) -> QPainterPath:
    path = QPainterPath()
    if severity == "error":
        k = r * 1.15
        path.addPolygon(QPolygonF([QPointF(0, -k), QPointF(k, 0), QPointF(0, k),
                                   QPointF(-k, 0), QPointF(0, -k)]))
    elif severity == "warning":
        k = r * 1.25
        path.addPolygon(QPolygonF([QPointF(0, -k), QPointF(k * 0.95, k * 0.7),
                                   QPointF(-k * 0.95, k * 0.7), QPointF(0, -k)]))
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


class CountBadge(QGraphicsPathItem):
    """The number of findings, on a badge whose colour and shape give the worst severity."""

    RADIUS = 9.0

    def __init__(self, parent: QGraphicsItem | None, fonts: Fonts):
        super().__init__(severity_shape("info", self.RADIUS), parent)
        self.setPen(QPen(QColor("#ffffff"), 1.5))
        self.setAcceptedMouseButtons(Qt.NoButton)
        self._label = text_item(self, "", fonts.small_bold, "#ffffff")
        self._metrics = QFontMetricsF(fonts.small_bold)
        self.severity = "info"

    def show_findings(self, findings) -> None:
        worst = worst_severity(findings)
        if worst != self.severity:
            self.severity = worst
            self.setPath(severity_shape(worst, self.RADIUS))
        self.setBrush(QColor(style.SEVERITY_COLOURS.get(worst, style.MUTED_TEXT)))
        text = str(len(findings)) if len(findings) < 10 else "9+"
        self._label.setText(text)
        lift = 2.0 if worst == "warning" else 0.0     # the triangle's middle is lower
        self._label.setPos(-self._metrics.horizontalAdvance(text) / 2,
                           -self._metrics.height() / 2 + lift)
        label = SEVERITY_LABELS.get(worst, worst)
        tips = [f"{SEVERITY_LABELS.get(f.severity, f.severity)}: {f.message}" for f in findings[:6]]
        if len(findings) > 6:
            tips.append(f"... and {len(findings) - 6} more")
        self.setToolTip(f"{len(findings)} finding(s), worst: {label}\n" + "\n".join(tips))


# ------------------------------------------------------------------------- steps


class ConnectHandle(QGraphicsEllipseItem):
    """The round handle on a step's right edge; drag it to another step to connect."""

    RADIUS = 6.5

    def __init__(self, step_item: "StepItem"):
        r = self.RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r, step_item)
        self.step_item = step_item
        self.setBrush(QColor(style.SELECTED_BORDER))
        self.setPen(QPen(QColor("#ffffff"), 1.5))
        self.setCursor(Qt.CrossCursor)
        self.setToolTip("Drag to another step to connect")
        self.setZValue(3)


_OUTLINES: dict[StepKind, QPainterPath] = {}
# Combining Qt flag enums costs Python time per call: do it once.
_STEP_FLAGS = QGraphicsItem.ItemIsSelectable | QGraphicsItem.ItemIsMovable


def cached_outline(kind: StepKind) -> QPainterPath:
    """One shared outline per kind (QPainterPath is implicitly shared: copies are free)."""
    if kind not in _OUTLINES:
        _OUTLINES[kind] = step_outline(kind)
    return _OUTLINES[kind]


class StepItem(QGraphicsPathItem):
    """A step: shape by kind, fill by activity, name and owner inside.

    The shape is Qt's own path item. The name and owner are drawn in
    :meth:`paint` from cached ``QStaticText`` lines, laid out on first paint:
    building a scene of thousands of steps then costs no text layout, and
    zoomed-out paints skip text altogether.
    """

    def __init__(self, step: Step, owner_name: str, fonts: Fonts):
        super().__init__()
        self.step_id = step.id
        self.kind = step.kind
        self.fonts = fonts
        self.setFlags(_STEP_FLAGS)
        self.setAcceptHoverEvents(True)
        self.setZValue(Z_STEP)
        # Kept as a pixmap at screen resolution: repainting round a moving arrow then
        # copies the box instead of drawing its shape and text again.
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self._glyph: QGraphicsPathItem | None = None
        self._below: QGraphicsSimpleTextItem | None = None
        self._caption_aside: str | None = None   # see set_caption_aside
        self._handle: ConnectHandle | None = None
        self._badge: CountBadge | None = None
        self._halo: QGraphicsPathItem | None = None
        self._name = ""
        self._owner = ""
        self._lines: list | None = None        # [(QPointF, QStaticText, is_owner)]
        self.critical = False
        self.highlighted = False
        self.selected_look = False
        self.detailed = True
        self._hovered = False
        self.show_step(step, owner_name)

    # -------------------------------------------------------------- content
    def show_step(self, step: Step, owner_name: str) -> None:
        """Refresh shape, colours and text from the model's step."""
        if step.kind != self.kind or self.path().isEmpty():
            self.prepareGeometryChange()
            self.kind = step.kind
            self._lines = None              # the text area depends on the shape
            self.setPath(cached_outline(step.kind))
            if self._handle is not None:
                self._handle.setPos(self.handle_pos())
            if self._halo is not None:
                self._halo.setPath(cached_outline(step.kind))
            if self._badge is not None:
                self._badge.setPos(self.badge_pos())
        self.step_id = step.id
        self._fill = style.step_fill(step.activity)
        self.setBrush(colour(HC_PAPER if self.fonts.contrast else self._fill))
        self._apply_pen()
        self._set_glyph(step.kind is StepKind.wait)
        if (step.name, owner_name) != (self._name, self._owner) or self._lines is None:
            self._name, self._owner = step.name, owner_name
            self._lines = None
            self._set_owner_below()
            self.update()
        tip = step.name + (f"\n{owner_name}" if owner_name else "")
        if step.duration_days is not None:
            tip += f"\nTypically {step.duration_days:g} day(s)"
        self.setToolTip(tip)

    @property
    def name(self) -> str:
        return self._name

    def _set_glyph(self, wait: bool) -> None:
        if wait and self._glyph is None:
            w, _ = geometry.step_size(StepKind.wait)
            self._glyph = QGraphicsPathItem(hourglass(QPointF(-w / 2 + 16, 0)), self)
            self._glyph.setPen(QPen(QColor(style.STEP_BORDER), 1.4))
            self._glyph.setBrush(QColor("#fff8e1"))
            self._glyph.setAcceptedMouseButtons(Qt.NoButton)
        elif not wait and self._glyph is not None:
            _discard(self._glyph)
            self._glyph = None

    def _set_owner_below(self) -> None:
        # A diamond has no room for its owner: it goes under the tip (render.text.step_text).
        want = self.kind is StepKind.decision and bool(self._owner)
        if not want:
            if self._below is not None:
                _discard(self._below)
                self._below = None
            return
        f = self.fonts
        shown = "\n".join(step_text(self.kind, self._name, self._owner, f.name_m,
                                     f.small_m).caption)
        if self._below is None:
            self._below = text_item(self, shown, f.small, style.MUTED_TEXT)
        self._below.setText(shown)
        self._place_caption()
        self._below.setVisible(self.detailed)

    def set_caption_aside(self, side: str | None) -> None:
        """Put a decision's owner caption ``"left"`` or ``"right"`` of its bottom corner
        (an arrow leaves there, turning the other way) or, by default, centred under it."""
        if side != self._caption_aside:
            self._caption_aside = side
            self._place_caption()

    def _place_caption(self) -> None:
        if self._below is None:
            return
        w, h = self.size()
        width = max(self.fonts.small_m.horizontalAdvance(line)
                    for line in self._below.text().split("\n"))
        x = {"left": -8.0 - width, "right": 8.0}.get(self._caption_aside, -width / 2)
        self._below.setPos(x, h / 2 + 2)

    def _layout_text(self) -> list:
        f = self.fonts
        words = step_text(self.kind, self._name, self._owner, f.name_m, f.small_m)
        cx = text_area(self.kind).center().x()
        y = words.top
        out = []
        for line in words.name:
            out.append((QPointF(cx - f.name_m.horizontalAdvance(line) / 2, y),
                        QStaticText(line), False))
            y += f.name_m.height()
        for line in words.owner:
            out.append((QPointF(cx - f.small_m.horizontalAdvance(line) / 2, y),
                        QStaticText(line), True))
            y += f.small_m.height()
        return out

    def text_lines(self) -> list[str]:
        """The name (and owner) lines as drawn, for tests and accessibility."""
        if self._lines is None:
            self._lines = self._layout_text()
        return [static.text() for _, static, _ in self._lines]

    def set_detail(self, detailed: bool) -> None:
        self.detailed = detailed
        if self._below is not None:
            self._below.setVisible(detailed)
        if self._badge is not None:
            self._badge.setVisible(detailed and bool(self._badge.data(0)))

    # ------------------------------------------------------------ geometry
    def size(self) -> tuple[float, float]:
        return geometry.step_size(self.kind)

    def handle_pos(self) -> QPointF:
        w, _ = self.size()
        return QPointF(w / 2, 0)

    def badge_pos(self) -> QPointF:
        w, h = self.size()
        if self.kind is StepKind.decision:
            return QPointF(w / 4 + 4, -h / 4 - 4)
        return QPointF(w / 2 - 6, -h / 2 + 2)

    # --------------------------------------------------------------- states
    def _apply_pen(self) -> None:
        width = 2.2 if self.kind is StepKind.exit else (
            1.8 if self.kind is StepKind.entry else 1.2)
        hc = self.fonts.contrast
        stroke = HC_INK if hc else style.STEP_BORDER
        if hc:
            width += 1.0
        if self.critical:
            stroke, width = (HC_CRITICAL if hc else style.CRITICAL_PATH), 3.0
        if self.selected_look:
            stroke, width = (HC_SELECTED if hc else style.SELECTED_BORDER), 4.0 if hc else 3.0
        self.setPen(pen(stroke, width))

    def apply_contrast(self) -> None:
        """The scene's look changed: colours again (shape and text stay)."""
        self.setBrush(colour(HC_PAPER if self.fonts.contrast else self._fill))
        self._apply_pen()
        if self._below is not None:
            self._below.setBrush(self.fonts.muted)
        self.update()

    def selection_changed(self) -> None:
        """Called by the scene when this item's selection state may have changed."""
        selected = self.isSelected()
        if selected != self.selected_look:
            self.selected_look = selected
            self._apply_pen()
            self._update_handle()

    def set_critical(self, on: bool) -> None:
        if on != self.critical:
            self.critical = on
            self._apply_pen()

    def set_highlighted(self, on: bool) -> None:
        """Find matches: a soft yellow halo behind the shape."""
        self.highlighted = on
        if on and self._halo is None:
            self._halo = QGraphicsPathItem(self.path(), self)
            self._halo.setFlag(QGraphicsItem.ItemStacksBehindParent)
            self._halo.setPen(QPen(QColor(255, 196, 0, 200), 12, Qt.SolidLine, Qt.RoundCap,
                                   Qt.RoundJoin))
            self._halo.setAcceptedMouseButtons(Qt.NoButton)
        if self._halo is not None:
            self._halo.setVisible(on)

    def set_findings(self, findings: list) -> None:
        if findings and self._badge is None:
            self._badge = CountBadge(self, self.fonts)
            self._badge.setPos(self.badge_pos())
            self._badge.setZValue(4)
        if self._badge is not None:
            self._badge.setData(0, bool(findings))
            self._badge.setVisible(bool(findings) and self.detailed)
            if findings:
                self._badge.show_findings(findings)

    def _update_handle(self) -> None:
        show = self._hovered or self.isSelected()
        if show and self._handle is None:
            self._handle = ConnectHandle(self)
            self._handle.setPos(self.handle_pos())
        if self._handle is not None:
            self._handle.setVisible(show)

    def handle(self) -> ConnectHandle | None:
        return self._handle if self._handle is not None and self._handle.isVisible() else None

    # ------------------------------------------------------------ Qt hooks
    def hoverEnterEvent(self, event) -> None:
        self._hovered = True
        self._update_handle()
        self.setCursor(Qt.SizeAllCursor)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self._update_handle()
        super().hoverLeaveEvent(event)

    def paint(self, painter, option, widget=None) -> None:
        option.state &= ~QStyle.State_Selected
        if option.levelOfDetailFromTransform(painter.worldTransform()) < LOW_DETAIL:
            # Far out a plain block reads better and costs a fraction.
            painter.setPen(self.pen())
            painter.setBrush(self.brush())
            painter.drawPath(self.path())
            return
        super().paint(painter, option, widget)
        if self._lines is None:
            self._lines = self._layout_text()
        f = self.fonts
        painter.setFont(f.name)
        painter.setPen(f.text)
        owner_started = False
        for at, static, is_owner in self._lines:
            if is_owner and not owner_started:
                owner_started = True
                painter.setFont(f.small)
                painter.setPen(f.muted)
            painter.drawStaticText(at, static)


_TEXT_COLOUR = QColor(style.TEXT)
_MUTED_COLOUR = QColor(style.MUTED_TEXT)


def _discard(item: QGraphicsItem) -> None:
    scene = item.scene()
    item.setParentItem(None)
    if scene is not None:
        scene.removeItem(item)
