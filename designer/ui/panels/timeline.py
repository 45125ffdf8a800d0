"""The Timeline panel: steps in expected-day order, relative to the day of surgery.

Shows what :class:`~designer.ui.editing.live_checks.LiveChecks` worked out after
each edit (off the GUI thread, with the findings, from one index). The rows are a
:class:`TimelineModel`, reset once per result. A toggle
highlights the critical path (the route from entry to exit that takes longest)
on the canvas; clicking a row selects and centres that step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDockWidget, QHBoxLayout, QHeaderView, QLabel, QTableView,
    QToolButton, QVBoxLayout, QWidget,
)

from designer.graph.vocabulary import days
from designer.ui import colours

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext
    from designer.ui.editing.live_checks import CheckResult

from designer.graph.timeline import TIMELINE_COLUMNS as COLUMNS
HEADER_TIPS = {
    1: "Days relative to the day of surgery: T-42 is six weeks before, T+3 three days after",
    4: "On the critical path: the route from entry to exit that takes longest",
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CRITICAL = QColor("#d5281b")


class TimelineModel(QAbstractTableModel):
    """The timeline's rows (one per step, in expected-day order); reset per result.

    The cell texts are worked out once per result; the view asks only for the
    rows it shows.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ...]] = []
        self._ids: list[str] = []
        self._critical: list[bool] = []
        self._surgery: str | None = None
        self.bold = QFont()
        self.bold.setBold(True)
        self._red = QBrush(_CRITICAL)
        #: whether the red reads on the view's ground (not on High Contrast black);
        #: the critical column says "yes" in words either way. Set by the dock.
        self.red_reads = True

    def set_timeline(self, timeline, rows: list[tuple[str, ...]]) -> bool:
        """Show ``timeline`` with its rows in words (from :func:`timeline_rows`).

        When the steps are the same, in the same order (an edit of a duration, a
        name...), only the rows that changed are redrawn: no reset, so the view
        keeps its selection and scroll position. Returns True after a reset."""
        entries = timeline.entries if timeline is not None else []
        rows = rows if timeline is not None else []
        ids = [e.step_id for e in entries]
        critical = [bool(e.on_critical_path) for e in entries]
        surgery = timeline.surgery_step if timeline is not None else None
        if ids == self._ids and surgery == self._surgery and len(rows) == len(self._rows):
            old_rows, old_critical = self._rows, self._critical
            self._rows, self._critical = rows, critical
            changed = [i for i, (a, b) in enumerate(zip(old_rows, rows))
                       if a != b or old_critical[i] != critical[i]]
            if changed:
                last = len(COLUMNS) - 1
                self.dataChanged.emit(self.index(changed[0], 0),
                                      self.index(changed[-1], last))
            return False
        self.beginResetModel()
        self._rows, self._ids, self._critical, self._surgery = rows, ids, critical, surgery
        self.endResetModel()
        return True

    def step_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, step_id: str) -> int:
        try:
            return self._ids.index(step_id)
        except ValueError:
            return -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[row][column]
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[row]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 1):
            return int(_RIGHT.value)
        if role == Qt.ItemDataRole.FontRole and self._ids[row] == self._surgery:
            return self.bold
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and self._critical[row]:
            return self._red if self.red_reads else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None


class TimelineDock(QDockWidget):
    """The Timeline panel: observes the live checks of ``context``."""

    def __init__(self, context: "EditorContext", parent: QWidget | None = None) -> None:
        super().__init__("Timeline", parent)
        self.setObjectName("timeline-dock")
        self.setAccessibleName("Timeline")
        self.context = context
        self.timeline = None
        self.model = TimelineModel(self)

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

        self.table = QTableView(body)
        self.table.setObjectName("timeline-table")
        self.table.setAccessibleName("Timeline of steps")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # fixed widths from the font, never "resize to contents" over every row
        metrics = self.table.fontMetrics()
        widths = {0: metrics.horizontalAdvance("0000.0") + 16,
                  1: metrics.horizontalAdvance("if needed") + 16,
                  4: metrics.horizontalAdvance("Critical") + 20}
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 150)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self.table.clicked.connect(self._on_row_clicked)
        self.table.activated.connect(self._on_row_clicked)
        layout.addWidget(self.table)
        self.setWidget(body)

        context.checks.checked.connect(self.show_result)
        context.document_changed.connect(self._rebind)

    def _follow_palette(self) -> None:
        reads = colours.readable(_CRITICAL, self.palette())
        if reads != self.model.red_reads:
            self.model.red_reads = reads
            self.update()
            for child in self.findChildren(QWidget):
                child.update()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # View > High Contrast (a palette and a style sheet) or a new desktop theme
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._follow_palette()

    def _rebind(self) -> None:
        self.context.scene.selectionChanged.connect(self._follow_selection)

    def _follow_selection(self) -> None:
        """Show the selected step's row, so its day is easy to find.

        Also after each new result (the rows are rebuilt then), and never a row of
        another step: until a just-added step's row exists, no row is highlighted.
        """
        scene = self.context.scene
        ids = scene.selected_ids() if scene is not None else []
        row = self.model.row_of(ids[0]) if len(ids) == 1 else -1
        if row < 0:
            self.table.clearSelection()
            return
        if self.table.selectionModel().selectedRows() != [self.model.index(row, 0)]:
            self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def recompute_now(self) -> None:
        """Work the timeline (and the findings) out now."""
        self.context.checks.check_now()

    def show_result(self, result: "CheckResult") -> None:
        self.timeline = timeline = result.timeline
        if timeline is None:
            self.model.set_timeline(None, [])
            self.total_label.setText("The timeline cannot be worked out for this pathway yet.")
            return
        if self.model.set_timeline(timeline, result.timeline_rows):
            self._follow_selection()        # the reset dropped the highlighted row
        self.total_label.setText(self._summary(result, timeline))
        if self.critical_path_action.isChecked():
            self._apply_critical_path(True)

    @staticmethod
    def _summary(result: "CheckResult", timeline) -> str:
        if not timeline.entries:
            return "No steps yet."
        text = f"<b>About {days(timeline.total_days)}</b> expected from entry to exit"
        if timeline.surgery_step:
            text += f"; surgery (T0): {result.target_name(timeline.surgery_step)}"
        else:
            text += "; no surgery step, so no T-minus days"
        return text + "."

    def _apply_critical_path(self, on: bool) -> None:
        scene = self.context.scene
        if scene is None:
            return
        if on and self.timeline is not None:
            scene.set_critical_path(list(self.timeline.critical_path))
        else:
            scene.set_critical_path(None)

    def _on_row_clicked(self, index: QModelIndex) -> None:
        step_id = self.model.step_id(index.row())
        if step_id is None or self.context.pathway.step(step_id) is None:
            return
        self.context.scene.select_ids([step_id])
        self.context.view.centre_on_id(step_id)
