"""Cut, copy, paste, duplicate, select all, and the Find bar.

Copied steps travel as a small YAML fragment in the pathway format (the steps
and the transitions between them), as plain text on the system clipboard, so
they can be pasted into another designer window or read in a text editor.
Pasting gives fresh ids where the ids are already taken and shifts the copies
so they do not sit on top of the originals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget,
)

from ..graph.model import Pathway, Step, Transition
from .commands_base import plural

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

FRAGMENT_HEADER = "# periop-pathway/1 fragment: steps and the transitions between them\n"
PASTE_OFFSET = (40.0, 30.0)


def fragment_text(pathway: Pathway, step_ids: list[str]) -> str:
    """YAML text holding ``step_ids`` and the transitions among them."""
    from ..graph.io import pathway_to_data

    chosen = set(step_ids)
    part = pathway.model_copy(update={
        "steps": [s for s in pathway.steps if s.id in chosen],
        "transitions": [t for t in pathway.transitions
                        if t.source in chosen and t.target in chosen],
        "waivers": [], "notes": [], "priorities": [], "votes": []})
    data = _plain(pathway_to_data(part))
    fragment = {"steps": data.get("steps", [])}
    if data.get("transitions"):
        fragment["transitions"] = data["transitions"]
    # flow style for leaf lists only: positions read as [x, y], like the saved file
    return FRAGMENT_HEADER + yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True,
                                            width=100, default_flow_style=None)


def _plain(value):
    """Plain dicts, lists and scalars (the file writer's list types are its own)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def parse_fragment(text: str) -> tuple[list[Step], list[Transition]]:
    """Steps and transitions from clipboard text; raises ValueError with a message."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ValueError("The clipboard does not hold pathway steps.") from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValueError("The clipboard does not hold pathway steps.")
    if not isinstance(data.get("transitions") or [], list):
        raise ValueError("The steps on the clipboard cannot be pasted: their transitions "
                         "are not a list.")
    try:
        steps = [Step.model_validate(item) for item in data["steps"]]
        transitions = [Transition.model_validate(item)
                       for item in data.get("transitions") or []]
    except ValidationError as exc:
        from ..graph.model import friendly_validation_message

        raise ValueError("The steps on the clipboard cannot be pasted: "
                         + friendly_validation_message(exc)) from None
    except (TypeError, ValueError, AttributeError):  # shapes pydantic does not expect
        raise ValueError("The clipboard does not hold pathway steps.") from None
    if not steps:
        raise ValueError("The clipboard holds no steps.")
    return steps, transitions


class ClipboardCommands:
    """Edit menu behaviour for ``window``."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window

    def _selected_steps(self) -> list[str]:
        return self.window.selected_split()[0]

    def copy(self) -> bool:
        steps = self._selected_steps()
        if not steps:
            self.window.statusBar().showMessage("Select one or more steps to copy.", 4000)
            return False
        text = fragment_text(self.window.document.pathway, steps)
        QApplication.clipboard().setText(text)
        count = len(steps)
        self.window.statusBar().showMessage(
            f"Copied {plural(count, 'step')}.", 3000)
        return True

    def cut(self) -> bool:
        from .commands import RemoveItemsCommand

        steps, transitions = self.window.selected_split()
        if not steps or not self.copy():
            return False
        try:
            command = RemoveItemsCommand(self.window.document.pathway, steps, transitions)
        except Exception as exc:  # EditRefused: show it, never half-cut
            self.window.statusBar().showMessage(str(exc), 6000)
            return False
        command.setText("Cut " + command.text().removeprefix("Delete "))
        self.window.document.undo_stack.push(command)
        return True

    def paste(self) -> bool:
        return self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str, offset: tuple[float, float] | None = None) -> bool:
        from .commands import EditRefused, PasteCommand

        window = self.window
        pathway = window.document.pathway
        try:
            steps, transitions = parse_fragment(text or "")
        except ValueError as exc:
            window.statusBar().showMessage(str(exc), 6000)
            return False
        if offset is None:
            clash = any(pathway.step(s.id) is not None for s in steps)
            offset = PASTE_OFFSET if clash else (0.0, 0.0)
        fallback = pathway.settings[0].id if pathway.settings else None
        try:
            command = PasteCommand(pathway, steps, transitions, offset=offset,
                                   fallback_setting=fallback)
        except EditRefused as exc:
            window.statusBar().showMessage(str(exc), 6000)
            return False
        window.document.undo_stack.push(command)
        if command.refused:  # refused while applying: the stack has dropped it
            window.statusBar().showMessage(f"Nothing pasted: {command.refused}", 6000)
            return False
        window.scene.select_ids(command.pasted_ids)
        count = len(command.pasted_ids)
        window.statusBar().showMessage(
            f"Pasted {plural(count, 'step')}.", 3000)
        return True

    def duplicate(self) -> bool:
        steps = self._selected_steps()
        if not steps:
            self.window.statusBar().showMessage("Select one or more steps to duplicate.", 4000)
            return False
        text = fragment_text(self.window.document.pathway, steps)
        return self.paste_text(text, offset=PASTE_OFFSET)

    def select_all(self) -> None:
        pathway = self.window.document.pathway
        ids = [s.id for s in pathway.steps] + [t.key for t in pathway.transitions]
        self.window.scene.select_ids(ids)


class FindBar(QWidget):
    """A bar above the canvas: type part of a step's name; Enter goes to the next match."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("find-bar")
        self.matches: list[str] = []
        self.index = -1
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        label = QLabel("Find step:")
        self.field = QLineEdit()
        self.field.setObjectName("find-field")
        self.field.setAccessibleName("Find step by name")
        self.field.setPlaceholderText("Part of a step's name or id")
        self.field.setClearButtonEnabled(True)
        label.setBuddy(self.field)
        self.count = QLabel("")
        self.count.setAccessibleName("Matches found")
        self.count.setMinimumWidth(110)
        previous = QToolButton()
        previous.setText("Previous")
        previous.setAccessibleName("Previous match")
        previous.clicked.connect(lambda: self.step(-1))
        following = QToolButton()
        following.setText("Next")
        following.setAccessibleName("Next match")
        following.clicked.connect(lambda: self.step(1))
        close = QToolButton()
        close.setText("Close")
        close.setAccessibleName("Close the find bar")
        close.clicked.connect(self.finish)
        for widget in (label, self.field, self.count, previous, following, close):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        self.setAutoFillBackground(True)
        self.hide()

    def start(self) -> None:
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self._search(self.field.text())

    def finish(self) -> None:
        self.hide()
        if self.window_.scene is not None:
            self.window_.scene.highlight([])
        if self.window_.view is not None:
            self.window_.view.setFocus()

    def _search(self, text: str) -> None:
        needle = text.strip().casefold()
        pathway = self.window_.document.pathway
        self.matches = [s.id for s in pathway.steps
                        if needle and (needle in s.name.casefold() or needle in s.id.casefold())]
        self.index = -1
        self.window_.scene.highlight(self.matches)
        if not needle:
            self.count.setText("")
        elif self.matches:
            n = len(self.matches)
            self.count.setText(f"{n} match{'es' if n != 1 else ''}")
        else:
            self.count.setText("No matches")

    def step(self, direction: int) -> None:
        """Select and centre the next (1) or previous (-1) match."""
        if not self.matches:
            return
        self.index = (self.index + direction) % len(self.matches)
        target = self.matches[self.index]
        self.window_.scene.select_ids([target])
        self.window_.view.centre_on_id(target)
        self.count.setText(f"{self.index + 1} of {len(self.matches)}")

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.field and isinstance(event, QKeyEvent) \
                and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.step(-1 if back else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.finish()
                return True
        return super().eventFilter(obj, event)
