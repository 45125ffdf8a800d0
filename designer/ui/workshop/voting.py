"""Dot voting: participants, dots per participant, and a ranked list of tallies."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSpinBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from designer.graph.model import Pathway, Workshop
from designer.ui.workshop.commands import votes_left, votes_of
from designer.ui import colours
from designer.ui.workshop.panel import WorkshopPanel

REFUSED_COLOUR = "#c62828"


def ranked_targets(pathway: Pathway) -> list[tuple[str, str, str, int]]:
    """Every step and priority as ``(target id, kind, name, dots)``, most dots first."""
    tally = pathway.tally()
    rows = [(s.id, "Step", s.name, tally.get(s.id, 0)) for s in pathway.steps]
    rows += [(p.id, "Priority", p.title, tally.get(p.id, 0)) for p in pathway.priorities]
    return sorted(rows, key=lambda r: (-r[3], r[1] != "Priority", r[2].lower()))


def participants_of(pathway: Pathway) -> list[str]:
    """Named participants first, then anyone who voted without being named."""
    names = list(pathway.workshop.participants if pathway.workshop else [])
    names += [v.participant for v in pathway.votes]
    return list(dict.fromkeys(names))


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class VotingDock(WorkshopPanel):
    """Who votes, how many dots each, and the ranked tallies with +/- for the chosen row."""

    def __init__(self, tools):
        super().__init__("Dot voting", tools.window)
        self.setObjectName("workshop-voting-dock")
        self.setAccessibleName("Dot voting")
        self.tools = tools
        self.pathway: Pathway | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        form = QFormLayout()
        people = QHBoxLayout()
        self.participant_box = QComboBox()
        self.participant_box.setAccessibleName("Voting as")
        self.participant_box.setMinimumWidth(140)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Add a participant")
        self.new_name.setAccessibleName("New participant's name")
        self.add_person = QPushButton("Add")
        self.remove_person = QPushButton("Remove")
        self.remove_person.setToolTip("Remove this participant (only when they have no dots)")
        people.addWidget(self.participant_box, 1)
        people.addWidget(self.remove_person)
        form.addRow(_buddy("Voting &as:", self.participant_box), people)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_person)
        form.addRow("", add_row)
        self.limit_box = QSpinBox()
        self.limit_box.setRange(1, 100)
        self.limit_box.setAccessibleName("Dots per participant")
        form.addRow(_buddy("&Dots each:", self.limit_box), self.limit_box)
        layout.addLayout(form)
        self.left_label = QLabel()
        self.left_label.setObjectName("votes-left")
        layout.addWidget(self.left_label)
        self.message = QLabel()
        self.message.setObjectName("voting-message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {REFUSED_COLOUR}; font-weight: bold")
        layout.addWidget(self.message)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Ranked tallies")
        self.tree.setHeaderLabels(["#", "Step or priority", "Dots", "Mine"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 36)
        self.tree.setColumnWidth(1, 220)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.plus = QPushButton("+ Place a dot")
        self.minus = QPushButton("− Take one back")
        buttons.addWidget(self.plus)
        buttons.addWidget(self.minus)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.add_person.clicked.connect(self._add_participant)
        self.new_name.returnPressed.connect(self._add_participant)
        self.remove_person.clicked.connect(self._remove_participant)
        self.limit_box.editingFinished.connect(self._set_limit)
        self.participant_box.currentIndexChanged.connect(lambda *_: self._show_counts())
        self.plus.clicked.connect(lambda: self._vote(+1))
        self.minus.clicked.connect(lambda: self._vote(-1))

    # -------------------------------------------------------------- binding

    def bind(self, pathway: Pathway) -> None:
        self.message.clear()
        super().bind(pathway)

    def _on_event(self, event) -> None:
        if event.kind.startswith(("votes-", "priority-", "step-", "pathway-", "reset")):
            self.schedule_refresh()

    @property
    def participant(self) -> str:
        return self.participant_box.currentText().strip()

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    # -------------------------------------------------------------- showing

    def refresh(self) -> None:
        if self.pathway is None:
            return
        pathway = self.pathway
        current = self.participant
        self.participant_box.blockSignals(True)
        self.participant_box.clear()
        self.participant_box.addItems(participants_of(pathway))
        index = self.participant_box.findText(current)
        self.participant_box.setCurrentIndex(index if index >= 0 else 0)
        self.participant_box.blockSignals(False)
        self.limit_box.blockSignals(True)
        self.limit_box.setValue((pathway.workshop or Workshop()).votes_per_participant)
        self.limit_box.blockSignals(False)
        self._show_counts()

    def _show_counts(self) -> None:
        pathway = self.pathway
        keep = self.current_target()
        who = self.participant
        self.tree.clear()
        palette = self.tree.palette()
        # targets without votes in grey, or in the palette's own dimmed text where
        # the grey would not read (High Contrast's black)
        muted = QColor("#5f6b73")
        if not colours.readable(muted, palette):
            muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        rank = 0
        for target, kind, name, dots in ranked_targets(pathway):
            rank += 1
            mine = votes_of(pathway, who, target) if who else 0
            row = QTreeWidgetItem([str(rank) if dots else "", f"{name}  ({kind.lower()})",
                                   str(dots), str(mine) if mine else ""])
            row.setData(0, Qt.ItemDataRole.UserRole, target)
            if not dots:
                for col in range(4):
                    row.setForeground(col, QBrush(muted))
            self.tree.addTopLevelItem(row)
            if target == keep:
                self.tree.setCurrentItem(row)
        if who:
            limit = (pathway.workshop or Workshop()).votes_per_participant
            left = votes_left(pathway, who)
            self.left_label.setText(f"{who}: {left} of {limit} dots left")
        else:
            self.left_label.setText("Add a participant to start voting.")
        self.remove_person.setEnabled(bool(who))

    def current_target(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def select_target(self, target: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == target:
                self.tree.setCurrentItem(item)

    # -------------------------------------------------------------- editing

    def _vote(self, delta: int) -> None:
        target = self.current_target()
        if not target:
            self.show_message("Choose a step or priority in the list first.")
            return
        self.tools.change_dots(target, delta)

    def _add_participant(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            return
        names = list(self.pathway.workshop.participants if self.pathway.workshop else [])
        if name in names:
            self.show_message(f"{name} is already taking part.")
            return
        if self.tools.update_workshop(participants=[*names, name]):
            self.new_name.clear()
            self.refresh()
            self.participant_box.setCurrentText(name)
            self.message.clear()

    def _remove_participant(self) -> None:
        who = self.participant
        if any(v.participant == who for v in self.pathway.votes):
            self.show_message(f"{who} still has dots placed; take them back first.")
            return
        names = [n for n in (self.pathway.workshop.participants if self.pathway.workshop
                             else []) if n != who]
        self.tools.update_workshop(participants=names)

    def _set_limit(self) -> None:
        value = self.limit_box.value()
        if value == (self.pathway.workshop or Workshop()).votes_per_participant:
            return
        if not self.tools.update_workshop(votes_per_participant=value):
            self.refresh()          # put the spin box back to the stored value
