"""The palette: step kinds and perioperative activities to drag onto a lane.

Dragging an entry carries a small JSON payload under :data:`STEP_MIME_TYPE`
(``{"kind": ..., "activity": ..., "name": ...}``); the scene's drop handler turns
it into a step with :func:`designer.graph.fragment.step_from_payload`. Pressing Enter on an entry emits
:attr:`PaletteWidget.step_requested` so the same can be done from the keyboard.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from designer.render import style
from designer.graph.fragment import STEP_MIME_TYPE, payload_for
from designer.graph.model import ACTIVITY_LABELS, Activity, StepKind
from designer.graph.vocabulary import STEP_KIND_LABELS
from designer.ui import colours

_PAYLOAD_ROLE = Qt.UserRole + 1
_ICON_ROLE = Qt.UserRole + 2      # (kind, pastel fill) the entry's icon is drawn from

KIND_ENTRIES: list[tuple[StepKind, str, str]] = [
    (StepKind.task, STEP_KIND_LABELS[StepKind.task], "Something done with or for the patient"),
    (StepKind.decision, STEP_KIND_LABELS[StepKind.decision],
     "A point where the route divides; label each branch"),
    (StepKind.wait, STEP_KIND_LABELS[StepKind.wait], "Time the patient spends waiting"),
    (StepKind.entry, STEP_KIND_LABELS[StepKind.entry], "Where patients enter the pathway"),
    (StepKind.exit, STEP_KIND_LABELS[StepKind.exit], "Where patients leave the pathway"),
]

# In the order a patient meets them; the palette shows them like this.
ACTIVITY_ORDER: list[Activity] = [
    Activity.referral, Activity.shared_decision_making, Activity.risk_assessment,
    Activity.listing, Activity.preassessment, Activity.optimisation,
    Activity.prehabilitation, Activity.education, Activity.smoking_cessation,
    Activity.glycaemic_optimisation, Activity.anaemia_management, Activity.nutrition,
    Activity.frailty_assessment, Activity.cga, Activity.psychological_support,
    Activity.waiting_well, Activity.diabetes_plan, Activity.discharge_planning,
    Activity.admission, Activity.surgery, Activity.inpatient_recovery, Activity.discharge,
    Activity.follow_up, Activity.rehabilitation,
]

def _icon(kind: StepKind, fill: str, palette: QPalette | None = None) -> QIcon:
    """The step shape of ``kind``: pastel ``fill`` with a dark border on a light
    palette; on a dark or high-contrast ``palette`` its text colour on its ground,
    so the shape, not the colour, tells the kinds apart."""
    border, brush = QColor(style.STEP_BORDER), QColor(fill)
    if palette is not None and colours.dark(palette):
        border = palette.color(QPalette.ColorRole.Text)
        brush = palette.color(QPalette.ColorRole.Base)
    pix = QPixmap(QSize(28, 20))
    pix.fill(Qt.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    width = 1.6 if palette is not None and colours.dark(palette) else 1.2
    p.setPen(QPen(border, width))
    p.setBrush(brush)
    r = QRectF(2, 3, 24, 14)
    if kind is StepKind.decision:
        p.drawPolygon(QPolygonF([QPointF(14, 1), QPointF(26, 10), QPointF(14, 19),
                                 QPointF(2, 10)]))
    elif kind in (StepKind.entry, StepKind.exit):
        p.setPen(QPen(border, max(width, 1.4)))
        p.drawRoundedRect(r, 7, 7)
        if kind is StepKind.exit:
            # a second, inner outline: the end differs from the start in shape
            p.setBrush(Qt.NoBrush)
            p.drawRoundedRect(r.adjusted(3, 3, -3, -3), 4, 4)
    elif kind is StepKind.wait:
        p.drawRoundedRect(r, 4, 4)
        p.drawPolygon(QPolygonF([QPointF(6, 5), QPointF(12, 5), QPointF(9, 10),
                                 QPointF(12, 15), QPointF(6, 15), QPointF(9, 10)]))
    else:
        p.drawRoundedRect(r, 2, 2)
    p.end()
    return QIcon(pix)


class PaletteWidget(QTreeWidget):
    """Step kinds and perioperative activities, dragged onto a lane to add a step."""

    #: Enter or double-click on an entry: add it without dragging (payload dict).
    step_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName("Palette of steps")
        self.setToolTip("Drag onto a lane to add a step; Enter adds it to the selected lane")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setDefaultDropAction(Qt.CopyAction)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setIconSize(QSize(28, 20))
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        kinds = QTreeWidgetItem(self, ["Step kinds"])
        for kind, label, tip in KIND_ENTRIES:
            self._entry(kinds, label, tip, payload_for(kind, name=_default_name(kind)),
                        (kind, style.DEFAULT_STEP_FILL))
        activities = QTreeWidgetItem(self, ["Perioperative activities"])
        for activity in ACTIVITY_ORDER:
            label = ACTIVITY_LABELS[activity]
            self._entry(activities, label, f"A {label.lower()} step",
                        payload_for(StepKind.task, activity),
                        (StepKind.task, style.step_fill(activity)))
        for group in (kinds, activities):
            group.setFlags(Qt.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            # rows are as tall as the first (this heading), so room for the icons
            group.setSizeHint(0, QSize(1, 24))
        self.expandAll()
        self.itemActivated.connect(self._activated)
        self._draw_icons()

    def _entry(self, group: QTreeWidgetItem, label: str, tip: str, payload: dict,
               shape: tuple[StepKind, str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(group, [label])
        item.setData(0, _ICON_ROLE, shape)
        item.setToolTip(0, tip)
        item.setData(0, _PAYLOAD_ROLE, payload)
        item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled)
        return item

    def _draw_icons(self) -> None:
        """(Re)draw every entry's icon in the palette now in force."""
        palette = self.palette()
        for g in range(self.topLevelItemCount()):
            group = self.topLevelItem(g)
            for i in range(group.childCount()):
                item = group.child(i)
                kind, fill = item.data(0, _ICON_ROLE)
                item.setIcon(0, _icon(kind, fill, palette))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # View > High Contrast sets a palette and a style sheet; a new desktop theme a palette
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._draw_icons()

    def entry(self, label: str) -> QTreeWidgetItem | None:
        """The palette entry with this label (for tests and keyboard users)."""
        found = self.findItems(label, Qt.MatchExactly | Qt.MatchRecursive)
        return next((i for i in found if i.data(0, _PAYLOAD_ROLE)), None)

    @staticmethod
    def payload(item: QTreeWidgetItem) -> dict | None:
        return item.data(0, _PAYLOAD_ROLE)

    def mimeTypes(self) -> list[str]:
        return [STEP_MIME_TYPE]

    def mimeData(self, items) -> QMimeData:
        data = QMimeData()
        payloads = [self.payload(i) for i in items if self.payload(i)]
        if payloads:
            data.setData(STEP_MIME_TYPE, json.dumps(payloads[0]).encode())
            data.setText(payloads[0]["name"])
        return data

    def startDrag(self, _actions) -> None:
        # Copy only: a "move" drop would make the view remove the palette entry.
        super().startDrag(Qt.CopyAction)

    def supportedDropActions(self):
        return Qt.CopyAction

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        payload = self.payload(item)
        if payload:
            self.step_requested.emit(dict(payload))


def _default_name(kind: StepKind) -> str:
    return {StepKind.task: "New task", StepKind.decision: "Decision?",
            StepKind.wait: "Wait", StepKind.entry: "Start",
            StepKind.exit: "End"}[kind]
