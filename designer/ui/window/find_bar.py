"""The Find bar above the canvas: find steps by part of their name or id."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from designer.graph.vocabulary import plural

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow


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
            self.count.setText(plural(n, "match", "matches"))
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
