"""Priorities from the workshop: the priority dialog and the Priorities panel."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from designer.export.action_log import ordered_priorities
from designer.graph.vocabulary import PRIORITY_KIND_LABELS as KIND_LABELS
from designer.graph.vocabulary import PRIORITY_STATUS_LABELS as STATUS_LABELS
from designer.graph.model import Pathway, Priority, PriorityKind, PriorityStatus
from designer.ui.workshop.panel import WorkshopPanel, add_ok_cancel

COLUMNS = ("Kind", "Title", "Owner", "Due", "Status", "Linked steps", "Dots")


class PriorityDialog(QDialog):
    """Add or edit one priority: kind, title, owner, due date, status, linked steps."""

    def __init__(self, parent: QWidget | None, pathway: Pathway,
                 priority: Priority | None = None, linked: list[str] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit priority" if priority else "Add a priority")
        self.setObjectName("priority-dialog")
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self.title_edit = QLineEdit(priority.title if priority else "")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("What will be done, in a few words")
        form.addRow("&Title:", self.title_edit)
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("Kind")
        for kind, label in KIND_LABELS.items():
            self.kind_box.addItem(label, kind)
        if priority:
            self.kind_box.setCurrentIndex(self.kind_box.findData(priority.kind))
        form.addRow("&Kind:", self.kind_box)
        self.owner_box = QComboBox()
        self.owner_box.setEditable(True)
        # Enter in the box must not add a row without a role id (the owner was lost)
        self.owner_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.owner_box.setAccessibleName("Owner")
        self.owner_box.addItem("", None)
        for role in pathway.roles:
            self.owner_box.addItem(role.name, role.id)
        for name in (pathway.workshop.participants if pathway.workshop else []):
            self.owner_box.addItem(name, name)
        owner = priority.owner if priority else None
        if owner:
            index = self.owner_box.findData(owner)
            if index >= 0:
                self.owner_box.setCurrentIndex(index)
            else:
                self.owner_box.setCurrentText(owner)
        form.addRow("&Owner:", self.owner_box)
        due_row = QHBoxLayout()
        self.due_edit = QDateEdit()
        self.due_edit.setAccessibleName("Due date")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("d MMM yyyy")
        self.no_due = QCheckBox("No due date yet")
        if priority and priority.due:
            self.due_edit.setDate(QDate.fromString(priority.due, "yyyy-MM-dd"))
        else:
            self.due_edit.setDate(QDate.currentDate().addMonths(3))
            self.no_due.setChecked(priority is not None)
        self.no_due.toggled.connect(lambda on: self.due_edit.setEnabled(not on))
        self.due_edit.setEnabled(not self.no_due.isChecked())
        due_row.addWidget(self.due_edit)
        due_row.addWidget(self.no_due)
        due_label = QLabel("&Due:")
        due_label.setBuddy(self.due_edit)     # a row of widgets: the label needs its buddy
        form.addRow(due_label, due_row)
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Status")
        for status, label in STATUS_LABELS.items():
            self.status_box.addItem(label, status)
        if priority:
            self.status_box.setCurrentIndex(self.status_box.findData(priority.status))
        form.addRow("&Status:", self.status_box)
        self.steps_list = QListWidget()
        self.steps_list.setAccessibleName("Linked steps")
        chosen = set(priority.steps if priority else (linked or []))
        for step in pathway.steps:
            item = QListWidgetItem(step.name)
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if step.id in chosen
                               else Qt.CheckState.Unchecked)
            self.steps_list.addItem(item)
        self.steps_list.setMaximumHeight(160)
        form.addRow("Linked &steps:", self.steps_list)
        self.description_edit = QPlainTextEdit(priority.description or "" if priority else "")
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMaximumHeight(90)
        form.addRow("&Description:", self.description_edit)
        self.ok_button = add_ok_cancel(self, form, self.title_edit.textChanged,
                                       lambda: bool(self.title_edit.text().strip()))

    def values(self) -> dict:
        """The priority's fields as entered."""
        text = self.owner_box.currentText().strip()
        index = self.owner_box.findText(text, Qt.MatchFlag.MatchExactly)
        known = self.owner_box.itemData(index) if index > 0 else None
        owner = (known or text) or None     # a name typed in is kept as typed
        steps = [self.steps_list.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(self.steps_list.count())
                 if self.steps_list.item(i).checkState() == Qt.CheckState.Checked]
        return {
            "title": self.title_edit.text().strip(),
            "kind": self.kind_box.currentData(),
            "owner": owner,
            "due": None if self.no_due.isChecked()
            else self.due_edit.date().toString("yyyy-MM-dd"),
            "status": self.status_box.currentData(),
            "steps": steps,
            "description": self.description_edit.toPlainText().strip() or None,
        }


class PrioritiesDock(WorkshopPanel):
    """The priorities agreed so far, grouped by kind, with dots; add, edit, delete, export."""

    def __init__(self, tools):
        super().__init__("Priorities", tools.window)
        self.setObjectName("workshop-priorities-dock")
        self.setAccessibleName("Priorities")
        self.tools = tools
        self.pathway: Pathway | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Priorities")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add priority…")
        self.edit_button = QPushButton("&Edit…")
        self.delete_button = QPushButton("Delete")
        self.export_button = QPushButton("E&xport action log…")
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.add_button.clicked.connect(lambda: tools.add_priority())
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button.clicked.connect(self._delete_current)
        self.export_button.clicked.connect(lambda: tools.export_action_log())
        self.table.itemDoubleClicked.connect(lambda *_: self._edit_current())
        self.table.itemSelectionChanged.connect(self._on_current)
        self.table.itemClicked.connect(self._reveal)

    def _on_event(self, event) -> None:
        if event.kind.startswith(("priority-", "votes-", "step-", "role-", "reset")):
            self.schedule_refresh()

    def refresh(self) -> None:
        if self.pathway is None:
            return
        keep = self.current_priority_id()
        pathway = self.pathway
        votes = pathway.tally()
        priorities = ordered_priorities(pathway)
        self.table.setRowCount(len(priorities))
        for row, p in enumerate(priorities):
            role = pathway.role(p.owner) if p.owner else None
            names = [pathway.step(s).name if pathway.step(s) else f"{s} (deleted)"
                     for s in p.steps]
            due = QDate.fromString(p.due, "yyyy-MM-dd").toString("d MMM yyyy") if p.due else ""
            cells = (KIND_LABELS[p.kind], p.title, role.name if role else (p.owner or ""),
                     due, STATUS_LABELS[p.status], "; ".join(names), str(votes.get(p.id, 0)))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
            if p.id == keep:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        for col in (1, 5):      # long titles and step lists: full text in the tooltip
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))
        self._on_current()

    def current_priority_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_priority(self, priority_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == priority_id:
                self.table.selectRow(row)

    def _on_current(self) -> None:
        has = self.current_priority_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _reveal(self, *_args) -> None:
        """Clicking a priority haloes its linked steps (not a selection: dots stay put)."""
        pid = self.current_priority_id()
        priority = next((p for p in self.pathway.priorities if p.id == pid), None)
        if priority is not None:
            self.tools.halo_steps(priority.steps)

    def _edit_current(self) -> None:
        pid = self.current_priority_id()
        if pid:
            self.tools.edit_priority(pid)

    def _delete_current(self) -> None:
        pid = self.current_priority_id()
        if pid:
            self.tools.delete_priority(pid)


def new_priority(pathway: Pathway, values: dict) -> Priority:
    """A :class:`Priority` with a fresh id from the dialog's values."""
    return Priority(id=pathway.new_id("priority-" + values["title"][:40]), **values)


__all__ = ["PriorityDialog", "PrioritiesDock", "new_priority", "PriorityKind",
           "PriorityStatus"]
