"""A canvas overlay: steps coloured by utilisation or by wait, with the value as text.

Each measured step gets a coloured halo behind it and a label above it that says
the value ("82% busy", "waits 3.2 days"), so the colour is never the only
carrier of the meaning. A legend sits in the top right corner of the canvas. Nothing
here changes the model or the undo stack; :meth:`SimulationOverlay.clear`
removes every item it added.
"""

from __future__ import annotations

import html
import math

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem, QGraphicsPathItem, QGraphicsRectItem, QGraphicsSimpleTextItem, QLabel,
)

MODES = {"off": "Off", "utilisation": "Utilisation", "wait": "Wait before the step"}

#: (upper bound, colour, words); read in order, the first bound above the value wins
UTILISATION_BANDS = ((0.70, "#1b9e77", "under 70% busy"), (0.85, "#e6ab02", "70 to 85%"),
                     (0.95, "#e66101", "85 to 95%"), (math.inf, "#b2182b", "95% or more"))
WAIT_BANDS = ((1.0, "#1b9e77", "under 1 day"), (7.0, "#e6ab02", "1 to 7 days"),
              (28.0, "#e66101", "1 to 4 weeks"), (math.inf, "#b2182b", "4 weeks or more"))
Z_OVERLAY = 3.5        # below the pinned lane headers (4)
#: the legend over a light canvas, and over a canvas in high contrast (white on black:
#: the window's high-contrast style sheet makes every label's text white)
LEGEND_STYLE = ("QLabel#simulation-legend { background: rgba(255,255,255,235);"
                " border: 1px solid #888; padding: 6px; }")
LEGEND_STYLE_DARK = ("QLabel#simulation-legend { background: rgba(0,0,0,235);"
                     " color: #ffffff; border: 1px solid #ffffff; padding: 6px; }")


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
    if value < 1 / 24:
        return "under an hour"
    if value >= 14:
        return f"{value / 7:.1f} weeks"
    return f"{value:.1f} days" if value != 1 else "1 day"


_FOOTNOTES = {
    "utilisation": "Busy share of the step's capacity, or of the busiest resource it "
                   "uses. The value is written on each step.",
    "wait": "Mean queue for the step's capacity or resources (waits on arrows are "
            "not in it). The value is written on each step.",
}


class _OnResize(QObject):
    """Calls ``callback`` when the watched widget is resized."""

    def __init__(self, callback) -> None:
        super().__init__()
        self.callback = callback

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.callback()
        return False


def _short(name: str, most: int = 26) -> str:
    return name if len(name) <= most else name[:most - 1].rstrip() + "…"


class SimulationOverlay:
    """Colours the steps of ``scene`` by a simulation result (see the module notes)."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self.mode = "off"
        self._items: list[QGraphicsItem] = []
        self.values: dict[str, tuple[float, str]] = {}
        self.labels: dict[str, QGraphicsSimpleTextItem] = {}
        self.legend: QLabel | None = None
        self._placed: list[QRectF] = []
        self._resize_watch = _OnResize(self._place_legend)
        self._shown: tuple | None = None      # what show() was last asked for

    @property
    def dark(self) -> bool:
        """Whether the canvas is in high contrast (light marks on black)."""
        return bool(getattr(self.scene, "high_contrast", False))

    def show(self, results, pathway, mode: str, scenario_id: str | None = None) -> None:
        """Colour the steps by ``mode`` ("utilisation", "wait"; "off" clears)."""
        self.clear()
        self.mode = mode
        self._shown = (results, pathway, mode, scenario_id)
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

    def restyle(self) -> None:
        """Show the same again in the canvas's colours (after View > High Contrast)."""
        if self._shown is not None:
            self.show(*self._shown)

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
        # labels of neighbouring steps never overlap: a later one moves up a line
        while any(box.sceneBoundingRect().intersects(other) for other in self._placed):
            box.moveBy(0, -(rect.height() + 6))
        self._placed.append(box.sceneBoundingRect())
        self.scene.addItem(box)
        self._items += [halo, box]
        self.labels[item.step_id] = label

    def _legend(self, bands, title: str, results, scenario_id) -> None:
        """A legend in the top right corner of the canvas (it stays put while scrolling)."""
        scenarios = results.scenarios
        s = next((x for x in scenarios if x.id == scenario_id), scenarios[-1])
        views = self.scene.views()
        if not views:
            return
        rows = "".join(
            f"<tr><td style='background:{colour}'>&nbsp;&nbsp;&nbsp;&nbsp;</td>"
            f"<td>&nbsp;{html.escape(words)}</td></tr>" for _b, colour, words in bands)
        legend = QLabel(f"<b>{html.escape(title)}</b><br>{html.escape(s.name)}"
                        f"<table cellspacing='2'>{rows}</table>"
                        f"<small>{html.escape(_FOOTNOTES[self.mode])}</small>",
                        views[0].viewport())
        legend.setObjectName("simulation-legend")
        legend.setWordWrap(True)
        legend.setFixedWidth(240)
        legend.setAccessibleName("Simulation colour legend")
        legend.setStyleSheet(LEGEND_STYLE_DARK if self.dark else LEGEND_STYLE)
        legend.adjustSize()
        self.legend = legend
        self._place_legend()
        legend.show()
        views[0].viewport().installEventFilter(self._resize_watch)

    def _place_legend(self) -> None:
        legend = self.legend
        if legend is None or not shiboken6.isValid(legend):
            return
        parent = legend.parentWidget()
        legend.move(max(0, parent.width() - legend.width() - 12), 12)

    def clear(self) -> None:
        for item in self._items:
            if shiboken6.isValid(item) and item.scene() is not None:
                item.scene().removeItem(item)
        self._items = []
        self.values = {}
        self.labels = {}
        self._placed = []
        self.mode = "off"
        self._shown = None
        if self.legend is not None and shiboken6.isValid(self.legend):
            self.legend.parentWidget().removeEventFilter(self._resize_watch)
            self.legend.hide()
            self.legend.deleteLater()
        self.legend = None
