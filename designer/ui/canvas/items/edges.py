"""Transition items: an arrow between two steps, with its condition, wait and handoff.

The curve follows the same rules as the exported diagram (designer.export.diagram):
forwards in time it leaves the right side and enters the left side; within one
column it runs straight up or down; backwards (a loop back) it curves below both
steps. Labels and badges sit above the steps (separate items with a higher z), so
no shape ever hides them, while the line itself passes under shapes.
"""

from __future__ import annotations

import math
from typing import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor, QPainterPath, QPainterPathStroker, QPen, QPolygonF, QStaticText,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from designer.render import style
from designer.render.text import wrap_text
from designer.graph.geometry import StepBox, edge_controls
from designer.graph.model import Transition
from designer.ui.canvas.items.steps import (
    LOW_DETAIL,
    Z_EDGE,
    Z_EDGE_DECOR,
    CountBadge,
    Fonts,
    colour,
    pen,
)
from designer.graph.vocabulary import days as days_text

LABEL_WIDTH = 128.0


Box = StepBox   # a step's box in scene coordinates (centre and size)


def edge_curve(a: Box, b: Box, blockers: Iterable[Box] = ()
               ) -> tuple[QPointF, QPointF, QPointF, QPointF]:
    """The four control points of the arrow from box ``a`` to box ``b`` (shared geometry)."""
    return tuple(QPointF(x, y) for x, y in edge_controls(a, b, blockers))


def edge_path(a: Box, b: Box, blockers: Iterable[Box] = ()) -> QPainterPath:
    """The curve of a transition from box ``a`` to box ``b``."""
    p0, p1, p2, p3 = edge_curve(a, b, blockers)
    path = QPainterPath(p0)
    path.cubicTo(p1, p2, p3)
    return path


def curve_point(ctrl, t: float) -> QPointF:
    """A point on the cubic at parameter ``t`` (cheaper than arc-length look-ups)."""
    p0, p1, p2, p3 = ctrl
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return QPointF(a * p0.x() + b * p1.x() + c * p2.x() + d * p3.x(),
                   a * p0.y() + b * p1.y() + c * p2.y() + d * p3.y())


def arrow_head(ctrl, size: float = 10.0, half: float = 4.5) -> QPolygonF:
    """A filled triangle at the end of the curve, pointing along its last tangent."""
    tip, before = ctrl[3], ctrl[2]
    if (tip - before).manhattanLength() < 0.5:
        before = ctrl[1] if (tip - ctrl[1]).manhattanLength() >= 0.5 else ctrl[0]
    dx, dy = tip.x() - before.x(), tip.y() - before.y()
    length = math.hypot(dx, dy) or 1.0
    dx, dy = dx / length, dy / length
    back = QPointF(tip.x() - dx * size, tip.y() - dy * size)
    normal = QPointF(-dy * half, dx * half)
    return QPolygonF([tip, back + normal, back - normal])


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


def _area(rect: QRectF) -> float:
    return rect.width() * rect.height() if rect.isValid() else 0.0


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

    def show_handoff(self, transition: Transition) -> None:
        h = transition.handoff
        self.complete = h is not None and h.is_complete()
        self.setBrush(colour(style.HANDOFF_OK if self.complete else style.HANDOFF_INCOMPLETE))
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

    def show_lines(self, condition: str | None, extra: list[str]) -> None:
        m = self.fonts.small_m
        texts: list[tuple[str, bool, float]] = []
        for text, muted, most in ([(condition, False, 2)] if condition else []) + [
                (line, True, 1) for line in extra]:
            width = m.horizontalAdvance(text)
            if width <= LABEL_WIDTH:          # the usual case: no wrapping needed
                texts.append((text, muted, width))
            else:
                texts += [(part, muted, m.horizontalAdvance(part))
                          for part in wrap_text(text, m, LABEL_WIDTH, most)]
        w = max(width for _, _, width in texts) + 10
        h = m.height() * len(texts) + 4
        card = QPainterPath()
        card.addRoundedRect(QRectF(-w / 2, -h / 2, w, h), 3, 3)
        self.prepareGeometryChange()
        self.setPath(card)
        y = -h / 2 + 2
        self._lines = []
        for text, muted, width in texts:
            self._lines.append((QPointF(-width / 2, y), QStaticText(text), muted))
            y += m.height()
        self.update()

    def text_lines(self) -> list[str]:
        return [static.text() for _, static, _ in self._lines]

    def paint(self, painter, option, widget=None) -> None:
        super().paint(painter, option, widget)
        painter.setFont(self.fonts.small)
        for at, static, muted in self._lines:
            painter.setPen(_MUTED if muted else _TEXT)
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
        self.obstruction = None             # (QRectF, TransitionItem) -> area, from the scene
        self._tidy = True
        self._head = QPolygonF()
        self._ctrl: tuple[QPointF, QPointF, QPointF, QPointF] | None = None
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
    def route(self, a: Box, b: Box, tidy: bool = True, blockers: Iterable[Box] = ()) -> None:
        """Follow the steps (arching over ``blockers`` in the way); ``tidy`` lets labels
        dodge steps and other labels."""
        self._tidy = tidy
        self._ctrl = edge_curve(a, b, blockers)
        path = QPainterPath(self._ctrl[0])
        path.cubicTo(*self._ctrl[1:])
        self.prepareGeometryChange()
        self._shape = None
        self.setPath(path)
        # setPath asks for the old bounding rect (hence shape()) first: drop that cache.
        self._shape = None
        self.update()
        self._head = arrow_head(self._ctrl)
        self._place_decorations()

    def _place_decorations(self) -> None:
        """Label near the start, handoff badge on the lane crossing, findings beside it.

        Each decoration tries a few places along the arrow and takes the first
        that covers no step and no other arrow's label or badge (``obstruction``,
        set by the scene, measures the covered area); when none is clear, the
        place covering least wins.
        """
        ctrl = self._ctrl
        if ctrl is None:
            return
        taken: list[QRectF] = []

        check = self.obstruction if self._tidy else None

        def covered(rect: QRectF) -> float:
            area = sum(_area(rect.intersected(r)) for r in taken)
            if check is not None:
                area += check(rect, self)
            return area

        def place(item: QGraphicsItem, spots) -> None:
            local = item.boundingRect()
            best, best_area = None, None
            for spot in spots:
                if best is None and check is None and not taken:
                    best = spot          # quick placement: the first spot, no look-ups
                    break
                area = covered(local.translated(spot))
                if best_area is None or area < best_area:
                    best, best_area = spot, area
                if area == 0:
                    break
            item.setPos(best)
            taken.append(local.translated(best))

        if self.label is not None:
            place(self.label, self._label_spots(ctrl))
        if self.handoff_badge is not None:
            first = 0.66 if self.label is not None else 0.5
            place(self.handoff_badge, (curve_point(ctrl, t) for t in (
                first, 0.5, 0.4, 0.6, 0.3, 0.75, 0.2, 0.85)))
        if self.count_badge is not None:
            anchor = self.handoff_badge or self.label
            spots = [curve_point(ctrl, t) for t in (0.5, 0.4, 0.6)]
            if anchor is not None:
                box = anchor.sceneBoundingRect()
                r = CountBadge.RADIUS
                spots = [QPointF(box.right() + r - 2, box.top()),
                         QPointF(box.left() - r + 2, box.top())] + spots
            place(self.count_badge, iter(spots))

    def _label_spots(self, ctrl):
        half_h = self.label.boundingRect().height() / 2
        if abs(ctrl[3].y() - ctrl[0].y()) < 12:
            # A straight run: above or below the line, so line and arrow stay visible.
            for lift in (half_h + 4, 3 * half_h + 8):
                for t in (0.5, 0.35, 0.65):
                    at = curve_point(ctrl, t)
                    yield QPointF(at.x(), at.y() - lift)
                    yield QPointF(at.x(), at.y() + lift)
            return
        first = 0.34 if self._transition.condition else 0.5
        for t in (first, 0.5, 0.22, 0.62, 0.75):
            yield curve_point(ctrl, t)

    def set_detail(self, detailed: bool) -> None:
        self.detailed = detailed
        for item in self.decorations():
            item.setVisible(detailed)

    # --------------------------------------------------------------- states
    def _apply_pen(self) -> None:
        stroke, width = style.EDGE_COLOUR, 1.4
        if self.critical:
            stroke, width = style.CRITICAL_PATH, 2.6
        if self.selected_look:
            stroke, width = style.SELECTED_BORDER, 2.6
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
