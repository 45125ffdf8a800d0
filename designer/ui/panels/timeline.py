"""The Timeline panel: steps in expected-day order, relative to the day of surgery.

Recomputed shortly after each edit (debounced like the findings). A toggle
highlights the critical path (the route from entry to exit that takes longest)
on the canvas; clicking a row selects and centres that step.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDockWidget, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
    QTableWidgetItem, QToolButton, QVBoxLayout, QWidget,
)

from designer.graph.vocabulary import days, number

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

RECOMPUTE_DELAY_MS = 150
COLUMNS = ("Day", "T", "Step", "Setting", "Critical")


def _day_text(value: float | None) -> str:
    if value is None:
        return "–"
    return number(value)


class TimelineDock(QDockWidget):
    """The Timeline panel of ``window``."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__("Timeline", window)
        self.setObjectName("timeline-dock")
        self.setAccessibleName("Timeline")
        self.window_ = window
        self.timeline = None
        self._pathway = None
        self._pending = False

        self.critical_path_action = QAction("Highlight &Critical Path", self)
        self.critical_path_action.setCheckable(True)
        self.critical_path_action.setShortcut("Ctrl+Shift+K")
        self.critical_path_action.setStatusTip(
            "Highlight on the canvas the route from entry to exit that takes longest")
        self.critical_path_action.toggled.connect(self._apply_critical_path)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.total_label = QLabel("")
        self.total_label.setObjectName("timeline-total")
        self.total_label.setAccessibleName("Total expected days")
        self.total_label.setWordWrap(True)
        top.addWidget(self.total_label, 1)
        toggle = QToolButton(body)
        toggle.setDefaultAction(self.critical_path_action)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toggle.setAccessibleName("Highlight critical path")
        self.critical_path_button = toggle
        top.addWidget(toggle)
        layout.addLayout(top)

        self.table = QTableWidget(0, len(COLUMNS), body)
        self.table.setObjectName("timeline-table")
        self.table.setAccessibleName("Timeline of steps")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 150)
        self.table.horizontalHeaderItem(1).setToolTip(
            "Days relative to the day of surgery: T-42 is six weeks before, T+3 three "
            "days after")
        self.table.horizontalHeaderItem(4).setToolTip("On the critical path: the route "
                                                      "from entry to exit that takes longest")
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        self.table.cellClicked.connect(self._on_row_clicked)
        self.table.cellActivated.connect(self._on_row_clicked)
        layout.addWidget(self.table)
        self.setWidget(body)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self._run_if_pending)
        window.document_changed.connect(self._rebind)

    def _rebind(self) -> None:
        if self._pathway is not None:
            self._pathway.unsubscribe(self._on_model_event)
        self._pathway = self.window_.document.pathway
        self._pathway.subscribe(self._on_model_event)
        self.window_.scene.selectionChanged.connect(self._follow_selection)
        self._pending = True
        self._timer.start(RECOMPUTE_DELAY_MS)  # after the window's first paint

    def _follow_selection(self) -> None:
        """Show the selected step's row, so its day is easy to find."""
        ids = self.window_.scene.selected_ids()
        if len(ids) != 1:
            return
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == ids[0]:
                self.table.selectRow(row)
                self.table.scrollToItem(item)
                return

    def _on_model_event(self, _event) -> None:
        self._pending = True
        self._timer.start(RECOMPUTE_DELAY_MS)

    def _run_if_pending(self) -> None:
        if self._pending:
            self.recompute_now()

    def recompute_now(self) -> None:
        from designer.graph.timeline import compute_timeline, format_relative

        self._pending = False
        self._timer.stop()
        pathway = self.window_.document.pathway
        try:
            self.timeline = timeline = compute_timeline(pathway)
        except Exception:  # a bug there must not interrupt editing after every keystroke
            logging.getLogger("designer").exception("timeline failed")
            self.timeline = None
            self.table.setRowCount(0)
            self.total_label.setText("The timeline cannot be worked out for this pathway yet.")
            return
        steps = pathway.steps_by_id()
        lanes = {s.id: s.name for s in pathway.settings}
        self.table.setRowCount(len(timeline.entries))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, entry in enumerate(timeline.entries):
            step = steps.get(entry.step_id)
            relative = (format_relative(entry.relative_day)
                        if entry.relative_day is not None else "–")
            name = step.name if step else entry.step_id
            if entry.detour:   # an optimisation loop: not a date on the way to surgery
                relative = "if needed"
                name += (f" (loops back, adds about {days(round(entry.loop_days))})"
                         if entry.loop_days else " (loops back)")
            cells = (_day_text(entry.start_day), relative, name,
                     lanes.get(step.setting, "–") if step else "–",
                     "Yes" if entry.on_critical_path else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.step_id)
                if column in (0, 1):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if entry.step_id == timeline.surgery_step:
                    item.setFont(bold)
                if entry.on_critical_path and column == 4:
                    item.setForeground(QBrush(QColor("#d5281b")))
                self.table.setItem(row, column, item)
        self.total_label.setText(self._summary(pathway, timeline))
        if self.critical_path_action.isChecked():
            self._apply_critical_path(True)

    @staticmethod
    def _summary(pathway, timeline) -> str:
        if not timeline.entries:
            return "No steps yet."
        text = f"<b>About {days(timeline.total_days)}</b> expected from entry to exit"
        if timeline.surgery_step:
            step = pathway.step(timeline.surgery_step)
            text += f"; surgery (T0): {step.name if step else timeline.surgery_step}"
        else:
            text += "; no surgery step, so no T-minus days"
        return text + "."

    def _apply_critical_path(self, on: bool) -> None:
        scene = self.window_.scene
        if scene is None:
            return
        if on and self.timeline is not None:
            scene.set_critical_path(list(self.timeline.critical_path))
        else:
            scene.set_critical_path(None)

    def _on_row_clicked(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is None:
            return
        step_id = item.data(Qt.ItemDataRole.UserRole)
        if self.window_.document.pathway.step(step_id) is None:
            return
        self.window_.scene.select_ids([step_id])
        self.window_.view.centre_on_id(step_id)
