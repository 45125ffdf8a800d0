"""Transition items: an arrow between two steps, with its condition, wait and handoff.

The arrow is the route of :mod:`designer.graph.routing`, the same as in the
exported diagram: orthogonal, with rounded bends, round the steps in its way.
The scene routes all arrows together (ports spread on the box sides) and places
the labels and badges with :func:`designer.graph.routing.place_labels`. Labels
and badges sit above the steps (separate items with a higher z), so no shape
ever hides them, while the line itself passes under shapes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor, QPainterPath, QPainterPathStroker, QPen, QPolygonF, QStaticText,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem, QGraphicsSimpleTextItem,
)

from designer.render import style
from designer.render.shapes import polyline_path
from designer.render.text import whole_lines, wrap_text
from designer.graph.model import Transition
from designer.graph.routing import Label, Route
from designer.ui.canvas.items.steps import (
    LOW_DETAIL,
    Z_EDGE,
    Z_EDGE_DECOR,
    HC_INK,
    HC_PAPER,
    CountBadge,
    Fonts,
    colour,
    pen,
)
from designer.graph.vocabulary import days as days_text

LABEL_WIDTH = 128.0
LABEL_WIDTHS = (LABEL_WIDTH, 84.0, 64.0)    # wrapped narrower where an arrow is short


def arrow_head(points, size: float = 10.0, half: float = 4.5) -> QPolygonF:
    """A filled triangle at the end of a route, pointing along its last stretch."""
    tip = points[-1]
    before = next((p for p in reversed(points[:-1]) if p != tip), (tip[0] - 1, tip[1]))
    dx, dy = tip[0] - before[0], tip[1] - before[1]
    length = math.hypot(dx, dy) or 1.0
    dx, dy = dx / length, dy / length
    back = (tip[0] - dx * size, tip[1] - dy * size)
    return QPolygonF([QPointF(*tip), QPointF(back[0] - dy * half, back[1] + dx * half),
                      QPointF(back[0] + dy * half, back[1] - dx * half)])


def _handoff_glyph() -> QPainterPath:
    """Two opposed arrows: information passing between settings."""
    path = QPainterPath()
    y1, y2, x0, x1 = -2.5, 2.5, -6.0, 6.0
    path.moveTo(x0, y1)
    path.lineTo(x1 - 1, y1)
    path.addPolygon(QPolygonF([QPointF(x1 + 1, y1), QPointF(x1 - 2.5, y1 - 2.5),
                               QPointF(x1 - 2.5, y1 + 2.5), QPointF(x1 + 1, y1)]))
    path.moveTo(x0 + 1, y2)
    path.lineTo(x1, y2)
    path.addPolygon(QPolygonF([QPointF(x0 - 1, y2), QPointF(x0 + 2.5, y2 - 2.5),
                               QPointF(x0 + 2.5, y2 + 2.5), QPointF(x0 - 1, y2)]))
    return path


class _Decoration(QGraphicsPathItem):
    """A label or badge of a transition; a click on it selects the transition."""

    def __init__(self, owner: "TransitionItem"):
        super().__init__()
        self.owner = owner
        self.setZValue(Z_EDGE_DECOR)


_SHAPES: dict[str, QPainterPath] = {}
_WHITE = QColor("#ffffff")
_WHITE_PEN = QPen(_WHITE, 1.3)
_CARD_PEN = QPen(QColor("#b0bec5"), 0.8)
_CARD_FILL = QColor(255, 255, 255, 235)


class HandoffBadge(_Decoration):
    """A pill on a lane-crossing transition: green when the handoff is complete."""

    def __init__(self, owner: "TransitionItem"):
        super().__init__(owner)
        if not _SHAPES:
            pill = QPainterPath()
            pill.addRoundedRect(QRectF(-12, -8, 24, 16), 8, 8)
            _SHAPES["pill"], _SHAPES["glyph"] = pill, _handoff_glyph()
        self.setPath(_SHAPES["pill"])
        self.setPen(_WHITE_PEN)
        glyph = QGraphicsPathItem(_SHAPES["glyph"], self)
        glyph.setPen(_WHITE_PEN)
        glyph.setBrush(_WHITE)
        glyph.setAcceptedMouseButtons(Qt.NoButton)
        self.complete = False
        # not by colour alone: an incomplete handoff also carries a "!" mark
        self.mark = QGraphicsEllipseItem(QRectF(7, -14, 12, 12), self)
        self.mark.setBrush(QColor("#ffffff"))
        self.mark.setPen(QPen(colour(style.HANDOFF_INCOMPLETE), 1.4))
        self.mark.setAcceptedMouseButtons(Qt.NoButton)
        bang = QGraphicsSimpleTextItem("!", self.mark)
        font = bang.font()
        font.setBold(True)
        font.setPointSizeF(7.5)
        bang.setFont(font)
        bang.setBrush(colour(style.HANDOFF_INCOMPLETE))
        box = bang.boundingRect()
        bang.setPos(13 - box.width() / 2, -8 - box.height() / 2)
        bang.setAcceptedMouseButtons(Qt.NoButton)

    def show_handoff(self, transition: Transition) -> None:
        h = transition.handoff
        self.complete = h is not None and h.is_complete()
        self.setBrush(colour(style.HANDOFF_OK if self.complete else style.HANDOFF_INCOMPLETE))
        self.mark.setVisible(not self.complete)
        if h is None:
            self.setToolTip("Handoff missing: say who sends, who receives, what "
                            "information passes and how")
            return
        missing = [label for label, value in (
            ("sender", h.sender), ("receiver", h.receiver),
            ("information", h.information), ("channel", h.channel)) if not value]
        lines = [f"Handoff: {h.sender or '?'} to {h.receiver or '?'}"]
        if h.information:
            lines.append("Information: " + ", ".join(h.information))
        if h.channel:
            lines.append(f"Channel: {h.channel}")
        if missing:
            lines.append("Incomplete: no " + ", no ".join(missing))
        self.setToolTip("\n".join(lines))


class EdgeLabel(_Decoration):
    """Condition (on decision branches) and expected wait, on a white card."""

    def __init__(self, owner: "TransitionItem", fonts: Fonts):
        super().__init__(owner)
        self.fonts = fonts
        self.setPen(_CARD_PEN)
        self.setBrush(_CARD_FILL)
        self._lines: list[tuple[QPointF, QStaticText, bool]] = []
        self._content: tuple[str | None, list[str]] = (None, [])
        self._wraps: list = []

    def show_lines(self, condition: str | None, extra: list[str]) -> None:
        self._content = (condition, list(extra))
        self._wraps = whole_lines([self._wrap(width) for width in LABEL_WIDTHS])
        self.use_size(self._wraps[0][0], self._wraps[0][1])

    def _wrap(self, most_width: float):
        condition, extra = self._content
        m = self.fonts.small_m
        texts: list[tuple[str, bool, float]] = []
        for text, muted, most in ([(condition, False, 4)] if condition else []) + [
                (line, True, 2) for line in extra]:
            width = m.horizontalAdvance(text)
            if width <= most_width:          # the usual case: no wrapping needed
                texts.append((text, muted, width))
            else:
                texts += [(part, muted, m.horizontalAdvance(part))
                          for part in wrap_text(text, m, most_width, most)]
        w = max(width for _, _, width in texts) + 10
        return w, m.height() * len(texts) + 4, texts

    def sizes(self) -> list[tuple[float, float]]:
        """The sizes the card can take, widest first (see :meth:`use_size`)."""
        return [(w, h) for w, h, _ in self._wraps]

    def use_size(self, w: float, h: float) -> None:
        """Wrap the text as the size placed (one of :meth:`sizes`)."""
        w, h, texts = min(self._wraps, key=lambda wrap: abs(wrap[0] - w) + abs(wrap[1] - h))
        if getattr(self, "_used", None) == (w, h, texts):
            return                       # already drawn at this size (labels placed again)
        self._used = (w, h, texts)
        card = QPainterPath()
        card.addRoundedRect(QRectF(-w / 2, -h / 2, w, h), 3, 3)
        self.prepareGeometryChange()
        self.setPath(card)
        y = -h / 2 + 2
        self._lines = []
        for text, muted, width in texts:
            self._lines.append((QPointF(-width / 2, y), QStaticText(text), muted))
            y += self.fonts.small_m.height()
        self.update()

    def text_lines(self) -> list[str]:
        return [static.text() for _, static, _ in self._lines]

    def apply_contrast(self) -> None:
        hc = self.fonts.contrast
        self.setPen(QPen(QColor(HC_INK), 1.2) if hc else _CARD_PEN)
        self.setBrush(QColor(HC_PAPER) if hc else _CARD_FILL)
        self.update()

    def paint(self, painter, option, widget=None) -> None:
        super().paint(painter, option, widget)
        painter.setFont(self.fonts.small)
        for at, static, muted in self._lines:
            painter.setPen(self.fonts.muted if muted else self.fonts.text)
            painter.drawStaticText(at, static)


_TEXT, _MUTED = QColor(style.TEXT), QColor(style.MUTED_TEXT)


class TransitionItem(QGraphicsPathItem):
    """A transition drawn as an arrow; owns its label and badges (kept above steps)."""

    def __init__(self, transition: Transition, fonts: Fonts):
        super().__init__()
        self.key = transition.key
        self.source, self.target = transition.source, transition.target
        self.fonts = fonts
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.setZValue(Z_EDGE)
        self._head = QPolygonF()
        self.route_points: list[tuple[float, float]] = []
        self._head_brush = colour(style.EDGE_COLOUR)
        self.selected_look = False
        self.label: EdgeLabel | None = None
        self.handoff_badge: HandoffBadge | None = None
        self.count_badge: CountBadge | None = None
        self._transition = transition
        self._crosses = False
        self._shape: QPainterPath | None = None
        self.critical = False
        self.detailed = True
        self._apply_pen()

    def decorations(self) -> list[QGraphicsItem]:
        return [d for d in (self.label, self.handoff_badge, self.count_badge) if d is not None]

    # ------------------------------------------------------------- content
    def show_transition(self, transition: Transition, crosses_lanes: bool) -> None:
        """Refresh label and handoff badge from the model (geometry: :meth:`route`)."""
        self._transition = transition
        self._crosses = crosses_lanes
        tip = [f"{transition.source} → {transition.target}"]
        if transition.condition:
            tip.append(f"When: {transition.condition}")
        if transition.wait_days:
            tip.append(f"Expected wait: {transition.wait_days:g} day(s)")
        self.setToolTip("\n".join(tip))
        extra = []
        if transition.wait_days:
            days = transition.wait_days
            extra.append(f"wait {days_text(days)}")
        if transition.probability is not None:
            extra.append(f"{transition.probability:.0%} of patients")
        if transition.condition or extra:
            if self.label is None:
                self.label = EdgeLabel(self, self.fonts)
                self._adopt(self.label)
            self.label.show_lines(transition.condition, extra)
        elif self.label is not None:
            self._drop(self.label)
            self.label = None
        if crosses_lanes or transition.handoff is not None:
            if self.handoff_badge is None:
                self.handoff_badge = HandoffBadge(self)
                self._adopt(self.handoff_badge)
            self.handoff_badge.show_handoff(transition)
        elif self.handoff_badge is not None:
            self._drop(self.handoff_badge)
            self.handoff_badge = None
        self._place_decorations()

    def set_findings(self, findings: list) -> None:
        if findings:
            if self.count_badge is None:
                self.count_badge = CountBadge(None, self.fonts)
                self.count_badge.setZValue(Z_EDGE_DECOR + 0.5)
                self._adopt(self.count_badge)
            self.count_badge.show_findings(findings)
        elif self.count_badge is not None:
            self._drop(self.count_badge)
            self.count_badge = None
        self._place_decorations()

    def _adopt(self, item: QGraphicsItem) -> None:
        item.setVisible(self.detailed)
        if self.scene() is not None and item.scene() is None:
            self.scene().addItem(item)

    @staticmethod
    def _drop(item: QGraphicsItem) -> None:
        if item.scene() is not None:
            item.scene().removeItem(item)

    # ------------------------------------------------------------ geometry
    def set_route(self, route: Route) -> None:
        """Draw the arrow along ``route`` (from the scene's router)."""
        self.route_points = list(route.points)
        self._shape = None
        # setPath itself announces the geometry change and schedules the repaint; it
        # may ask for the old shape first, so the cache is dropped again after it.
        self.setPath(polyline_path(self.route_points))
        self._shape = None
        self._head = arrow_head(self.route_points)

    def label_requests(self) -> list[tuple[Label, QGraphicsItem]]:
        """What to place on this arrow (see :func:`designer.graph.routing.place_labels`):
        the condition card near the decision, the handoff badge midway, findings after."""
        wanted = []
        if self.label is not None:
            (w, h), *others = self.label.sizes()
            prefer = 0.0 if self._transition.condition else 0.5
            wanted.append((Label(self.key, w, h, prefer, False, "label", tuple(others)),
                           self.label))
        if self.handoff_badge is not None:
            wanted.append((Label(self.key, 24, 16, 0.66 if self.label is not None else 0.5,
                                 True, "handoff"), self.handoff_badge))
        if self.count_badge is not None:
            r = 2 * CountBadge.RADIUS
            wanted.append((Label(self.key, r, r, 0.84, True, "findings"), self.count_badge))
        return wanted

    def place_quickly(self, route: Route) -> None:
        """Put the decorations at their preferred points, without looking round (drags)."""
        length = route.length()
        for request, item in self.label_requests():
            (x, y), _ = route.point_at(max(30.0, request.prefer * length))
            item.setPos(x, y)

    def _place_decorations(self) -> None:
        """Content changed: the scene places the decorations again."""
        scene = self.scene()
        if scene is not None and hasattr(scene, "decorations_changed"):
            scene.decorations_changed(self.key)

    def apply_contrast(self) -> None:
        self._apply_pen()
        if self.label is not None:
            self.label.apply_contrast()

    def set_detail(self, detailed: bool) -> None:
        self.detailed = detailed
        for item in self.decorations():
            item.setVisible(detailed)

    # --------------------------------------------------------------- states
    def _apply_pen(self) -> None:
        hc = self.fonts.contrast
        stroke, width = (HC_INK, 2.0) if hc else (style.EDGE_COLOUR, 1.4)
        if self.critical:
            stroke, width = (HC_CRITICAL if hc else style.CRITICAL_PATH), 2.6
        if self.selected_look:
            stroke, width = (HC_SELECTED if hc else style.SELECTED_BORDER), 3.0 if hc else 2.6
        self.setPen(pen(stroke, width))
        self._head_brush = colour(stroke)
        self.update()

    def selection_changed(self) -> None:
        """Called by the scene when this item's selection state may have changed."""
        if self.isSelected() != self.selected_look:
            self.selected_look = self.isSelected()
            self._apply_pen()

    def set_critical(self, on: bool) -> None:
        if on != self.critical:
            self.critical = on
            self._apply_pen()

    def attach(self, scene) -> None:
        """Add the item and its decorations to ``scene``."""
        scene.addItem(self)
        for item in self.decorations():
            if item.scene() is None:
                scene.addItem(item)

    # ------------------------------------------------------------ Qt hooks
    def shape(self) -> QPainterPath:
        # A thin line is hard to hit: accept clicks a few pixels either side.
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self.path())
        return self._shape

    def paint(self, painter, option, widget=None) -> None:
        # The view skips saving painter state between items: set all we rely on.
        painter.setPen(self.pen())
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(self.path())
        if option.levelOfDetailFromTransform(painter.worldTransform()) >= LOW_DETAIL:
            painter.setPen(Qt.NoPen)
            painter.setBrush(self._head_brush)
            painter.drawPolygon(self._head)
