"""Lists of the pathway's lanes and roles: add, rename, reorder, change kind, delete.

A lane is renamed in place (double-click or F2), reordered by dragging or with
the Up and Down buttons, and deleted only when empty; a lane that still holds
steps can have them moved to another lane first, in one undoable edit.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QInputDialog, QLabel, QListWidget,
    QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from designer.graph.vocabulary import SETTING_KIND_LABELS
from designer.graph.geometry import FIRST_COLUMN_X, FIRST_ROW_Y
from designer.graph.model import Role, Setting, SettingKind
from designer.graph.vocabulary import plural

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext

_ROLE = Qt.ItemDataRole.UserRole


def fresh_id(name: str, taken: set[str], fallback: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name.strip().lower()).strip("-._") or fallback
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


class _OrderList(QListWidget):
    """A list whose rows can be dragged to a new place; the model makes the move.

    The drop itself changes nothing in the list (so Qt never removes a row that a
    refresh has already replaced); the owner pushes the move command just after.
    """

    def __init__(self, on_reordered) -> None:
        super().__init__()
        self._on_reordered = on_reordered
        self._move: tuple[str, int] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._apply_move)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        moved = self.currentItem().data(_ROLE) if self.currentItem() else None
        target = self.indexAt(event.position().toPoint())
        row = target.row() if target.isValid() else self.count() - 1
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if moved is not None:
            self._move = (moved, row)
            self._timer.start()

    def _apply_move(self) -> None:
        if self._move is not None:
            key, row = self._move
            self._move = None
            self._on_reordered(key, row)


class _ListEditorBase(QWidget):
    noun = "item"

    def __init__(self, context: "EditorContext", title: str) -> None:
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = _OrderList(self._reordered)
        self.list.setAccessibleName(title)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.itemChanged.connect(self._renamed)
        self.list.currentRowChanged.connect(lambda _r: self._current_changed())
        layout.addWidget(self.list)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.setAccessibleName(f"{title} message")
        layout.addWidget(self.message)
        self._loading = False

    def button(self, text: str, slot, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    @property
    def pathway(self):
        return self.context.pathway

    def push(self, factory, *args) -> bool:
        """Push through the one edit API; a refusal is also shown under the list."""
        editor = self.context.editor
        done = editor.push(factory, *args) is not None
        self.message.setText("" if done else editor.last_refusal or "")
        return done

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(_ROLE) if item else None

    def items(self):
        raise NotImplementedError

    def labels(self) -> list[tuple[str, str]]:
        """(id, text) of each row, in order."""
        return [(obj.id, self.label_of(obj)) for obj in self.items()]

    def refresh(self) -> None:
        keep = self.current_id()
        rows = self.labels()
        shown = [(self.list.item(i).data(_ROLE), self.list.item(i).text())
                 for i in range(self.list.count())]
        if rows == shown:
            # nothing to redo (most edits of steps): a rebuilt list is laid out and
            # painted again, and the panel follows every edit of a step
            self._current_changed()
            return
        self._loading = True
        self.list.clear()
        for obj_id, text in rows:
            item = QListWidgetItem(text)
            item.setData(_ROLE, obj_id)
            item.setToolTip(f"id: {obj_id}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
            if obj_id == keep:
                self.list.setCurrentItem(item)
        count = max(self.list.count(), 3)
        self.list.setFixedHeight(min(count, 8) * (self.list.sizeHintForRow(0) or 20) + 8)
        self._loading = False
        self._current_changed()

    def label_of(self, obj) -> str:
        return obj.name

    def _current_changed(self) -> None:
        pass

    def _reordered(self, _key: str, _index: int) -> None:
        self.refresh()

    def _renamed(self, item: QListWidgetItem) -> None:
        raise NotImplementedError


class LanesEditor(_ListEditorBase):
    """The lanes (settings of care), top to bottom."""

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context, "Lanes")
        self.button("Add", self.add_lane, "Add a lane")
        self.up = self.button("Up", lambda: self.move(-1), "Move the selected lane up")
        self.down = self.button("Down", lambda: self.move(1), "Move the selected lane down")
        self.delete = self.button("Delete…", self.delete_lane, "Delete the selected lane")
        self.details = self.button("Details…", self.show_details,
                                   "Edit the selected lane's name, kind and description")
        row = QHBoxLayout()
        label = QLabel("Kind:")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of the selected lane")
        for kind in SettingKind:
            self.kind.addItem(SETTING_KIND_LABELS[kind], kind)
        label.setBuddy(self.kind)
        self.kind.activated.connect(self._kind_chosen)
        row.addWidget(label)
        row.addWidget(self.kind, 1)
        self.buttons.removeWidget(self.details)
        row.addWidget(self.details)
        self.layout().insertLayout(2, row)

    def items(self):
        return self.pathway.settings

    def label_of(self, setting) -> str:
        return setting.name

    def _current_changed(self) -> None:
        setting = self.pathway.setting(self.current_id() or "")
        self.kind.setEnabled(setting is not None)
        for widget in (self.up, self.down, self.delete, self.details):
            widget.setEnabled(setting is not None)
        if setting is not None:
            self.kind.setCurrentIndex(self.kind.findData(setting.kind))

    def show_details(self) -> None:
        key = self.current_id()
        if key is not None:
            self.context.lane_requested.emit(key)

    def _kind_chosen(self, index: int) -> None:
        from designer.ui.commands import UpdateSettingCommand

        key = self.current_id()
        setting = self.pathway.setting(key or "")
        kind = self.kind.itemData(index)
        if setting is not None and kind != setting.kind:
            self.push(UpdateSettingCommand, key, {"kind": kind})

    def _renamed(self, item: QListWidgetItem) -> None:
        from designer.ui.commands import UpdateSettingCommand

        if self._loading:
            return
        key, name = item.data(_ROLE), item.text().strip()
        setting = self.pathway.setting(key)
        if setting is None or name == setting.name:
            return
        if not self.push(UpdateSettingCommand, key, {"name": name}):
            self.refresh()

    def add_lane(self) -> None:
        from designer.ui.commands import AddSettingCommand

        taken = {s.id for s in self.pathway.settings}
        lane = Setting(id=fresh_id("new-lane", taken, "lane"), name="New lane",
                       kind=SettingKind.community)
        if self.push(AddSettingCommand, lane):
            self.refresh()
            for i in range(self.list.count()):
                if self.list.item(i).data(_ROLE) == lane.id:
                    self.list.setCurrentRow(i)
                    self.list.editItem(self.list.item(i))

    def move(self, delta: int) -> None:
        key = self.current_id()
        if key is None:
            return
        index = [s.id for s in self.pathway.settings].index(key)
        self._reordered(key, index + delta)

    def _reordered(self, key: str, index: int) -> None:
        from designer.ui.commands import MoveSettingCommand

        self.push(MoveSettingCommand, key, index)
        self.refresh()

    def delete_lane(self, _checked: bool = False, *, move_to: str | None = None,
                    ask: bool = True) -> bool:
        """Delete the selected lane; one holding steps can have them moved first."""
        from designer.ui.commands import MoveStepsCommand, RemoveSettingCommand

        key = self.current_id()
        setting = self.pathway.setting(key or "")
        if setting is None:
            return False
        held = [s for s in self.pathway.steps if s.setting == key]
        if not held:
            return self.push(RemoveSettingCommand, key)
        others = [s for s in self.pathway.settings if s.id != key]
        if not others:
            self.message.setText("The only lane cannot be deleted while it holds steps.")
            return False
        if move_to is None and ask:
            names = [s.name for s in others]
            choice, ok = QInputDialog.getItem(
                self, "Delete lane",
                f"The lane “{setting.name}” holds {plural(len(held), 'step')}. Move them to:",
                names, 0, False)
            if not ok:
                return False
            move_to = others[names.index(choice)].id
        if move_to is None:
            self.message.setText(f"The lane “{setting.name}” still holds steps; "
                                 "move or delete them first.")
            return False
        moves = {s.id: (s.position or (FIRST_COLUMN_X, FIRST_ROW_Y), move_to) for s in held}
        editor = self.context.editor
        move_cmd = editor.build(MoveStepsCommand, moves)
        if move_cmd is None:
            self.message.setText(editor.last_refusal or "")
            return False
        with editor.macro(f"Delete lane '{setting.name}'"):
            editor.push_command(move_cmd)
            ok = self.push(RemoveSettingCommand, key)
        if not ok:
            editor.undo_stack.undo()  # never leave half of the edit applied
        return ok


class RolesEditor(_ListEditorBase):
    """The roles that own steps and send or receive handoffs."""

    def __init__(self, context: "EditorContext") -> None:
        super().__init__(context, "Roles")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.button("Add", self.add_role, "Add a role")
        self.delete = self.button("Delete", self.delete_role, "Delete the selected role")

    def items(self):
        return self.pathway.roles

    def label_of(self, role, used: int | None = None) -> str:
        if used is None:
            used = sum(1 for s in self.pathway.steps if s.owner == role.id)
        return f"{role.name}" + (f"  ({plural(used, 'step')})" if used else "")

    def labels(self) -> list[tuple[str, str]]:
        # one pass over the steps for every role (not one per role)
        used = Counter(s.owner for s in self.pathway.steps)
        return [(role.id, self.label_of(role, used.get(role.id, 0))) for role in self.items()]

    def _current_changed(self) -> None:
        self.delete.setEnabled(self.current_id() is not None)

    def _renamed(self, item: QListWidgetItem) -> None:
        from designer.ui.commands import UpdateRoleCommand

        if self._loading:
            return
        key = item.data(_ROLE)
        role = self.pathway.role(key)
        name = re.sub(r"\s+\(\d+ steps?\)$", "", item.text().strip())
        if role is None or name == role.name:
            self.refresh()
            return
        self.push(UpdateRoleCommand, key, {"name": name})
        self.refresh()

    def add_role(self, _checked: bool = False, name: str | None = None) -> bool:
        from designer.ui.commands import AddRoleCommand

        if name is None:
            name, ok = QInputDialog.getText(self, "Add role", "Name of the role, e.g. "
                                            "“Preassessment nurse”:")
            if not ok or not name.strip():
                return False
        taken = {r.id for r in self.pathway.roles}
        try:
            role = Role(id=fresh_id(name, taken, "role"), name=name.strip())
        except ValueError as exc:
            self.message.setText(str(exc))
            return False
        ok = self.push(AddRoleCommand, role)
        self.refresh()
        return ok

    def delete_role(self) -> bool:
        from designer.ui.commands import RemoveRoleCommand

        key = self.current_id()
        if key is None:
            return False
        return self.push(RemoveRoleCommand, key)

