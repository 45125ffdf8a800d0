"""The pathway's own rule settings (``rule_config``): a small table of rule, level, reason.

Every change (add, level, reason, remove) is one ``UpdateHeaderCommand`` through the
editor, so it is undone and redone like any other field; a refusal is shown under
the table in the fields' own style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from designer.graph.model import RuleLevel, rule_level, rule_reason
from designer.ui.panels.properties.fields import ERROR_STYLE, plain_refusal

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext

#: what each level is called in the table
LEVEL_LABELS = {RuleLevel.error: "Error", RuleLevel.warning: "Warning",
                RuleLevel.info: "Information", RuleLevel.off: "Off (not run)"}
RULE_COL, LEVEL_COL, REASON_COL = range(3)


def _rules() -> list[tuple[str, str]]:
    """(id, "id: title") for every registered rule, in the catalogue's order."""
    from designer.graph.rules import catalogue

    return [(r["id"], f"{r['id']}: {r['title']}") for r in catalogue()]


class RuleSettingsEditor(QWidget):
    """Add a rule from the registry, set its level and reason, or remove the setting."""

    def __init__(self, context: "EditorContext", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._filling = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Rule", "Level", "Reason"])
        self.table.setAccessibleName("Rule settings")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RULE_COL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LEVEL_COL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COL, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.itemChanged.connect(self._reason_edited)
        column.addWidget(self.table)

        row = QHBoxLayout()
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Rule to set")
        self.chooser.setToolTip("A rule from the designer's list of rules")
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(14)
        for rule_id, text in _rules():
            self.chooser.addItem(text, rule_id)
        self.add = QPushButton("Add")
        self.add.setAccessibleName("Add a rule setting")
        self.add.clicked.connect(self._add)
        self.remove = QPushButton("Remove")
        self.remove.setAccessibleName("Remove the selected rule setting")
        self.remove.clicked.connect(self._remove)
        row.addWidget(self.chooser, 1)
        row.addWidget(self.add)
        row.addWidget(self.remove)
        column.addLayout(row)

        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Rule settings problem")
        self.error.hide()
        column.addWidget(self.error)

    # ------------------------------------------------------------ model -> table

    @property
    def config(self) -> dict[str, Any]:
        return self.context.pathway.rule_config

    def refresh(self) -> None:
        self._filling = True
        try:
            current = self.current_rule()
            config = self.config
            self.table.setRowCount(len(config))
            for row, (rule_id, setting) in enumerate(config.items()):
                item = QTableWidgetItem(rule_id)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, RULE_COL, item)
                level = QComboBox()
                level.setAccessibleName(f"Level of {rule_id}")
                for value, text in LEVEL_LABELS.items():
                    level.addItem(text, value)
                level.setCurrentIndex(level.findData(rule_level(setting)))
                level.activated.connect(
                    lambda _i, r=rule_id, box=level: self._level_chosen(r, box.currentData()))
                self.table.setCellWidget(row, LEVEL_COL, level)
                self.table.setItem(row, REASON_COL, QTableWidgetItem(rule_reason(setting) or ""))
                if rule_id == current:
                    self.table.selectRow(row)
        finally:
            self._filling = False

    def current_rule(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, RULE_COL) if row >= 0 else None
        return item.text() if item else None

    def level_box(self, rule_id: str) -> QComboBox | None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, RULE_COL).text() == rule_id:
                return self.table.cellWidget(row, LEVEL_COL)
        return None

    # ------------------------------------------------------------ table -> model

    def _push(self, config: dict[str, Any], aspect: Any = None) -> bool:
        from designer.ui.commands import UpdateRuleSettingsCommand

        editor = self.context.editor
        done = editor.push(UpdateRuleSettingsCommand, {"rule_config": config},
                           aspect=aspect) is not None
        message = None if done else editor.last_refusal
        if message:
            self.error.setText(plain_refusal(message, "Rule settings"))
            self.error.show()
        else:
            self.error.setText("")
            self.error.hide()
        self.refresh()
        return done

    @staticmethod
    def _setting(level: Any, reason: str | None) -> Any:
        level = RuleLevel(level)
        return {"level": level, "reason": reason} if reason else level

    def _add(self) -> None:
        rule_id = self.chooser.currentData()
        if rule_id is None:
            return
        if rule_id in self.config:
            self.error.setText(f"{rule_id} already has a setting: change its level in the "
                               "table.")
            self.error.show()
            return
        from designer.graph.rules import RULES

        default = RULES[rule_id].severity if rule_id in RULES else "warning"
        config = dict(self.config)
        config[rule_id] = RuleLevel(default)
        if self._push(config):
            row = list(config).index(rule_id)
            self.table.selectRow(row)

    def _remove(self) -> None:
        rule_id = self.current_rule()
        if rule_id is None or rule_id not in self.config:
            return
        config = {k: v for k, v in self.config.items() if k != rule_id}
        self._push(config)

    def _level_chosen(self, rule_id: str, level: Any) -> None:
        setting = self.config.get(rule_id)
        if setting is None or rule_level(setting) == level:
            return
        config = dict(self.config)
        config[rule_id] = self._setting(level, rule_reason(setting))
        self._push(config, (rule_id, "level"))

    def _reason_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != REASON_COL:
            return
        rule_id = self.table.item(item.row(), RULE_COL).text()
        setting = self.config.get(rule_id)
        if setting is None:
            return
        reason = item.text().strip() or None
        if reason == rule_reason(setting):
            return
        config = dict(self.config)
        config[rule_id] = self._setting(rule_level(setting), reason)
        self._push(config, (rule_id, "reason"))
