"""A canvas overlay: steps coloured by utilisation or by wait, with the value as text.

Each measured step gets a coloured halo behind it and a label above it that says
the value ("82% busy", "waits 3.2 days"), so the colour is never the only
carrier of the meaning. A legend sits at the top left of the pathway. Nothing
here changes the model or the undo stack; :meth:`SimulationOverlay.clear`
removes every item it added.
"""

from __future__ import annotations

import math

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QGraphicsSimpleTextItem,
)

MODES = {"off": "Off", "utilisation": "Utilisation", "wait": "Wait before the step"}

#: (upper bound, colour, words); read in order, the first bound above the value wins
UTILISATION_BANDS = ((0.70, "#1b9e77", "under 70% busy"), (0.85, "#e6ab02", "70 to 85%"),
                     (0.95, "#e66101", "85 to 95%"), (math.inf, "#b2182b", "95% or more"))
WAIT_BANDS = ((1.0, "#1b9e77", "under 1 day"), (7.0, "#e6ab02", "1 to 7 days"),
              (28.0, "#e66101", "1 to 4 weeks"), (math.inf, "#b2182b", "4 weeks or more"))
Z_OVERLAY = 40.0


def band(value: float, bands) -> tuple[str, str]:
    for bound, colour, words in bands:
        if value < bound:
            return colour, words
    return bands[-1][1], bands[-1][2]


def step_values(results, pathway, mode: str, scenario_id: str | None = None
                ) -> dict[str, tuple[float, str]]:
    """step id -> (value, text) for ``mode`` from one scenario (default: the last run)."""
    scenarios = results.scenarios
    s = next((x for x in scenarios if x.id == scenario_id), scenarios[-1])
    keys = set(s.keys())
    out: dict[str, tuple[float, str]] = {}
    for step in pathway.steps:
        queues = step.capacity is not None or bool(step.uses)
        if mode == "utilisation":
            own = f"steps.{step.id}.utilisation"
            if own in keys:
                value = s.summary(own)["mean"]
                out[step.id] = (value, f"{value:.0%} busy")
                continue
            shared = [(s.summary(f"resources.{r}.utilisation")["mean"], r) for r in step.uses
                      if f"resources.{r}.utilisation" in keys]
            shared = [(v, r) for v, r in shared if v is not None and math.isfinite(v)]
            if shared:
                value, rid = max(shared)
                resource = pathway.resource(rid) if hasattr(pathway, "resource") else None
                name = resource.name if resource is not None else rid
                out[step.id] = (value, f"{_short(name)} {value:.0%} busy")
        elif mode == "wait":
            key = f"steps.{step.id}.wait_days_mean"
            if key in keys:
                value = s.summary(key)["mean"]
                if value is None or not math.isfinite(value) or (not queues and value == 0):
                    continue
                out[step.id] = (value, f"waits {_days(value)}")
    return out


def _days(value: float) -> str:
    if value >= 14:
        return f"{value / 7:.1f} weeks"
    return f"{value:.1f} days" if value != 1 else "1 day"


def _short(name: str, most: int = 18) -> str:
    return name if len(name) <= most else name[:most - 1].rstrip() + "…"


class SimulationOverlay:
    """Colours the steps of ``scene`` by a simulation result (see the module notes)."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self.mode = "off"
        self._items: list[QGraphicsItem] = []
        self.values: dict[str, tuple[float, str]] = {}
        self.labels: dict[str, QGraphicsSimpleTextItem] = {}

    def show(self, results, pathway, mode: str, scenario_id: str | None = None) -> None:
        """Colour the steps by ``mode`` ("utilisation", "wait"; "off" clears)."""
        self.clear()
        self.mode = mode
        if mode == "off" or results is None:
            return
        self.values = step_values(results, pathway, mode, scenario_id)
        bands = UTILISATION_BANDS if mode == "utilisation" else WAIT_BANDS
        items = self.scene.step_items()
        for step_id, (value, text) in self.values.items():
            item = items.get(step_id)
            if item is None:
                continue
            colour, _words = band(value, bands)
            self._mark(item, QColor(colour), text)
        self._legend(bands, MODES[mode], results, scenario_id)

    def _mark(self, item, colour: QColor, text: str) -> None:
        stroker = QPainterPathStroker()
        stroker.setWidth(14)
        halo = QGraphicsPathItem(stroker.createStroke(item.path()), item)
        halo.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        halo.setBrush(QBrush(colour))
        halo.setPen(QPen(Qt.PenStyle.NoPen))
        halo.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        label = QGraphicsSimpleTextItem(text)
        font = QFont()
        font.setPointSizeF(9)
        font.setBold(True)
        label.setFont(font)
        label.setBrush(QBrush(QColor("#111111")))
        rect = label.boundingRect()
        box = QGraphicsRectItem(QRectF(-4, -2, rect.width() + 8, rect.height() + 4))
        box.setBrush(QBrush(colour.lighter(175)))
        box.setPen(QPen(colour.darker(120), 1.2))
        box.setZValue(Z_OVERLAY)
        box.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        label.setParentItem(box)
        top = item.sceneBoundingRect()
        box.setPos(QPointF(top.center().x() - rect.width() / 2, top.top() - rect.height() - 12))
        self.scene.addItem(box)
        self._items += [halo, box]
        self.labels[item.step_id] = label

    def _legend(self, bands, title: str, results, scenario_id) -> None:
        scenarios = results.scenarios
        s = next((x for x in scenarios if x.id == scenario_id), scenarios[-1])
        font = QFont()
        font.setPointSizeF(9)
        lines = [(None, f"{title}: {s.name}")] + [(colour, words) for _b, colour, words in bands]
        box = QGraphicsRectItem()
        box.setBrush(QBrush(QColor(255, 255, 255, 235)))
        box.setPen(QPen(QColor("#888888"), 1))
        box.setZValue(Z_OVERLAY + 1)
        y, width = 6.0, 0.0
        for colour, words in lines:
            x = 8.0
            if colour is not None:
                swatch = QGraphicsRectItem(QRectF(x, y + 2, 14, 12), box)
                swatch.setBrush(QBrush(QColor(colour)))
                swatch.setPen(QPen(QColor("#444444"), 0.8))
                x += 20
            text = QGraphicsSimpleTextItem(words, box)
            bold = QFont(font)
            bold.setBold(colour is None)
            text.setFont(bold)
            text.setPos(x, y)
            width = max(width, x + text.boundingRect().width())
            y += text.boundingRect().height() + 4
        box.setRect(QRectF(0, 0, width + 10, y + 4))
        steps = [i.sceneBoundingRect() for i in self.scene.step_items().values()]
        if steps:
            left = min(r.left() for r in steps)
            top = min(r.top() for r in steps)
            box.setPos(left, top - y - 60)
        self.scene.addItem(box)
        self._items.append(box)
        self.legend = box

    def clear(self) -> None:
        for item in self._items:
            if shiboken6.isValid(item) and item.scene() is not None:
                item.scene().removeItem(item)
        self._items = []
        self.values = {}
        self.labels = {}
        self.mode = "off"
