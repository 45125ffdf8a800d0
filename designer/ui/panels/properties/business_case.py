"""The "Business case" part of the Pathway page: what the board pack needs from people.

Decision sought, sponsor, recommendation (three lines at most), the share of
released bed-days to be cash-releasing, the implications considered, and three
small tables: options considered (with the scenario that models each), benefits
and how each is measured, and risks with owner and mitigation. Every edit is one
undoable :class:`~designer.ui.commands.UpdateBusinessCaseCommand`; a refused edit
shows the model's message (naming the field) and the table goes back to the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from designer.graph.business_case import IMPLICATION_LABELS, IMPLICATIONS
from designer.ui.panels.properties.fields import ERROR_STYLE, LongTextField, NumberField, \
    TextField

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.panels.properties.pages import PropertyPage

#: the three tables: field, title, columns (key, header), what a new row holds
TABLES = (
    ("options", "Options considered",
     (("name", "Option"), ("scenario", "Scenario"), ("description", "Description"),
      ("preferred", "Preferred (yes/no)")), {"name": "New option"}),
    ("benefits", "Benefits and how each is measured",
     (("benefit", "Benefit"), ("measure", "Measure"), ("owner", "Owner")),
     {"benefit": "New benefit", "measure": "How it is measured"}),
    ("risks", "Risks not captured elsewhere",
     (("risk", "Risk"), ("owner", "Owner"), ("mitigation", "Mitigation")),
     {"risk": "New risk", "owner": "Owner", "mitigation": "Mitigation"}),
)


def _case(pathway):
    return pathway.business_case


def _get(field: str):
    def getter(pathway) -> Any:
        case = pathway.business_case
        if case is None:
            return None
        head, _, sub = field.partition(".")
        value = getattr(case, head)
        return getattr(value, sub) if (sub and value is not None) else (None if sub else value)
    return getter


class CaseTable(QWidget):
    """One list of the business case as an editable table, with Add and Remove."""

    def __init__(self, page: "PropertyPage", field: str, columns, new_row: dict) -> None:
        super().__init__()
        self.page, self.field, self.columns, self.new_row = page, field, columns, new_row
        self._filling = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([h for _, h in columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(field.capitalize())
        self.table.itemChanged.connect(self._edited)
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.add_button.setAccessibleName(f"Add to {field}")
        self.remove_button.setAccessibleName(f"Remove from {field}")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        column.addWidget(self.error)

    # model -> table
    def refresh(self) -> None:
        case = self.page.pathway.business_case
        items = getattr(case, self.field) if case is not None else []
        self._filling = True
        try:
            self.table.setRowCount(len(items))
            for row, item in enumerate(items):
                for col, (key, _) in enumerate(self.columns):
                    value = getattr(item, key)
                    text = ("yes" if value else "") if key == "preferred" else (value or "")
                    cell = self.table.item(row, col)
                    if cell is None:
                        self.table.setItem(row, col, QTableWidgetItem(text))
                    elif cell.text() != text:
                        cell.setText(text)
        finally:
            self._filling = False

    # table -> model
    def _rows(self) -> list[dict]:
        rows = []
        for row in range(self.table.rowCount()):
            data: dict[str, Any] = {}
            for col, (key, _) in enumerate(self.columns):
                cell = self.table.item(row, col)
                text = cell.text().strip() if cell is not None else ""
                if key == "preferred":
                    if text.lower() in ("yes", "y", "true", "1", "preferred"):
                        data[key] = True
                elif text:
                    data[key] = text
            rows.append(data)
        return rows

    def _push(self, rows: list[dict]) -> bool:
        from designer.ui.commands import UpdateBusinessCaseCommand

        message = self.page.push(None, UpdateBusinessCaseCommand, {self.field: rows})
        if message:
            self.error.setText(message)
            self.error.show()
            self.refresh()
            return False
        self.error.hide()
        self.error.setText("")
        return True

    def _edited(self, _item) -> None:
        if not self._filling:
            self._push(self._rows())

    def add_row(self) -> None:
        self._push(self._rows() + [dict(self.new_row)])

    def remove_row(self) -> None:
        row = self.table.currentRow()
        rows = self._rows()
        if 0 <= row < len(rows):
            del rows[row]
            self._push(rows)


class BusinessCaseBox(QGroupBox):
    """The business case fields and tables, bound to the Pathway page."""

    def __init__(self, page: "PropertyPage") -> None:
        super().__init__("Business case (for the board pack)")
        self.page = page
        column = QVBoxLayout(self)
        holder = QWidget()
        from PySide6.QtWidgets import QFormLayout

        form = QFormLayout(holder)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 4, 0, 0)
        column.addWidget(holder)

        def update(field: str, attr: str):
            from designer.ui.commands import UpdateBusinessCaseCommand

            def apply(value: Any) -> str | None:
                return page.push(getattr(self, attr), UpdateBusinessCaseCommand,
                                 {field: value})
            return apply

        self.decision = page.bind(form, LongTextField(
            "Decision sought", update("decision", "decision"),
            tip="What the board is asked to decide", lines=2), _get("decision"))
        self.sponsor = page.bind(form, TextField(
            "Sponsor", update("sponsor", "sponsor"),
            placeholder="Senior responsible owner"), _get("sponsor"))
        self.recommendation = page.bind(form, LongTextField(
            "Recommendation", update("recommendation", "recommendation"),
            tip="At most three lines: what is asked, its cost and benefit, how it is "
                "measured", lines=3), _get("recommendation"))
        self.cash_share = page.bind(form, NumberField(
            "Cash-releasing share", update("cash_releasing_share", "cash_share"),
            unit="a share from 0 to 1",
            tip="The share of released bed-days to be released as cash (beds closed); "
                "the rest is capacity for other patients"), _get("cash_releasing_share"))
        for key in IMPLICATIONS:
            attr = f"implication_{key}"
            setattr(self, attr, page.bind(form, TextField(
                f"{IMPLICATION_LABELS[key]} implication",
                update(f"implications.{key}", attr)), _get(f"implications.{key}")))
        self.tables: dict[str, CaseTable] = {}
        for field, title, columns, new_row in TABLES:
            label = QLabel(title)
            label.setStyleSheet("font-weight: bold")
            column.addWidget(label)
            table = CaseTable(page, field, columns, new_row)
            self.tables[field] = table
            column.addWidget(table)

    def refresh(self) -> None:
        for table in self.tables.values():
            table.refresh()
