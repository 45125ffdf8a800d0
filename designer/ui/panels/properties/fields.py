"""Editors for one field each, with an inline error line, shared by the property pages.

A field editor shows a model value, turns what the user types into a new value
and hands it to ``apply(value) -> str | None`` (None when accepted, otherwise
the refusal message). A refused value is marked and its message shown under
the field; when the user leaves the field, it goes back to the model's value.
Refreshing from the model never fires ``apply``. The message and the mark follow
the palette: light red on black with View > High Contrast (see :class:`ErrorLabel`).
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from designer.ui import colours

ApplyFn = Callable[[Any], "str | None"]
ERROR_STYLE = "color: #c62828;"
MARKED = "border: 1px solid #c62828; background: #fff4f4;"
#: the same on a dark palette (High Contrast): the red above is 3.7:1 on black, under
#: the 4.5:1 text needs, this one 7.6:1; a marked field keeps the black ground and
#: white text (on the light pink, what was typed turned white on pink: unreadable)
ERROR_STYLE_DARK = "color: #ff6b6b;"
MARKED_DARK = "border: 2px solid #ff6b6b; background: #000000; color: #ffffff;"


def _dark(widget: QWidget) -> bool:
    """Whether ``widget`` sits on a dark palette (judged by its parent: its own style
    sheet may colour it)."""
    return colours.dark((widget.parentWidget() or widget).palette())


class ErrorLabel(QLabel):
    """A refusal message under a field: red on a light palette, light red on a dark one,
    following the palette when it changes (View > High Contrast)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setStyleSheet(ERROR_STYLE)

    def _follow(self) -> None:
        wanted = ERROR_STYLE_DARK if _dark(self) else ERROR_STYLE
        if self.styleSheet() != wanted:     # setting it is a style change of its own
            self.setStyleSheet(wanted)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange,
                            QEvent.Type.ParentChange):
            self._follow()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._follow()
        super().showEvent(event)


# The model's checks speak pydantic ("duration_days: Input should be greater than or
# equal to 0"); next to a field a clinician reads "Duration (days) must be 0 or more."
_PLAIN_PHRASES = (
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be \1 or more"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be \1 or less"),
    (re.compile(r"^Input should be greater than (\S+)$"), r"must be more than \1"),
    (re.compile(r"^Input should be less than (\S+)$"), r"must be less than \1"),
    (re.compile(r"^String should have at least 1 character$"), "cannot be blank"),
    (re.compile(r"^Input should be a finite number$"), "must be a number"),
)
_FIELD_PREFIX = re.compile(r"^[a-z_]+(?:\.[a-z_]+)*: ")


NOT_CHANGED = "Not changed: "


def plain_refusal(message: str, label: str) -> str:
    """A refusal in plain words, naming the field by its label (other messages unchanged)."""
    body = _FIELD_PREFIX.sub("", message, count=1)
    for pattern, replacement in _PLAIN_PHRASES:
        if pattern.match(body):
            return f"{label} {pattern.sub(replacement, body)}."
    return message


class FieldEditor(QObject):
    """Base: a widget, its error label and the apply callback."""

    def __init__(self, label: str, widget: QWidget, apply: ApplyFn, tip: str = "") -> None:
        super().__init__(widget)
        self.label_text = label
        self.widget = widget
        self.apply = apply
        self.error = ErrorLabel("")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(f"{label} problem")
        self.error.hide()
        widget.setAccessibleName(label)
        if tip:
            widget.setToolTip(tip)
            widget.setAccessibleDescription(tip)
        self._model_value: Any = None
        self._value_at_focus: Any = None
        self._reverted = False
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        # Ctrl+Z in a field undoes the document's edit (typing there is already one
        # merged undo step), rather than the field's private undo history.
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)):
            return True
        if event.type() == QEvent.Type.FocusIn:
            self._value_at_focus = self._model_value
        # (getattr: Qt may deliver an event while the Python side is still being set
        # up or already torn down, and an AttributeError here reaches stderr)
        if obj is getattr(self, "widget", None) and event.type() in (
                QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            # View > High Contrast while the field is marked: once the new palette has
            # reached every widget (a style sheet set sooner keeps the old text colour)
            QTimer.singleShot(0, self, self._mark)
        return super().eventFilter(obj, event)

    def _mark(self) -> None:
        """Mark a refused field in the palette's colours (setting one is a style change)."""
        if self.widget.styleSheet() in (MARKED, MARKED_DARK):
            wanted = MARKED_DARK if _dark(self.widget) else MARKED
            if self.widget.styleSheet() != wanted:
                self.widget.setStyleSheet(wanted)

    # the model's value goes in; user edits come out through apply()
    def set_value(self, value: Any) -> None:
        self._model_value = value
        self._value_at_focus = value  # another item (or undo): a fresh starting point
        self.clear_error()
        self._show(value)

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _submit(self, value: Any) -> bool:
        message = self.apply(value)
        if message:
            self.show_error(message)
            return False
        self.clear_error()
        return True

    def show_error(self, message: str) -> None:
        self._reverted = False
        message = plain_refusal(message, self.label_text)
        self.error.setText(message)
        self.error.show()
        self.widget.setStyleSheet(MARKED)
        self._mark()

    def clear_error(self) -> None:
        self._reverted = False
        if self.error.isVisible() or self.error.text():
            self.error.setText("")
            self.error.hide()
            self.widget.setStyleSheet("")

    @property
    def has_error(self) -> bool:
        """A refused value is still in the box (not once the model's value is back)."""
        return bool(self.error.text()) and not self._reverted

    def revert(self) -> None:
        """Show the model's value again (after a refused edit), keeping the message."""
        message = self.error.text()
        self._show(self._model_value)
        if message:
            # said once, however often the field is left (Enter, then Tab, then another item)
            if not message.startswith(NOT_CHANGED):
                message = NOT_CHANGED + message
            self.error.setText(message)
            self.widget.setStyleSheet("")
            self._reverted = True

    def settle(self) -> None:
        """Before the page shows another item: finish a refused edit (text fields)."""

    def add_to(self, form: QFormLayout) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.widget)
        column.addWidget(self.error)
        label = QLabel(self.label_text + ":")
        label.setBuddy(self.widget)
        form.addRow(label, box)


class TextField(FieldEditor):
    """A one-line text; blank means None when ``optional``. Applied as the user types."""

    def __init__(self, label: str, apply: ApplyFn, optional: bool = True, tip: str = "",
                 placeholder: str = "") -> None:
        super().__init__(label, QLineEdit(), apply, tip)
        self.optional = optional
        self.widget.setPlaceholderText(placeholder)
        self.widget.textEdited.connect(self._edited)
        self.widget.editingFinished.connect(self._finished)

    def _show(self, value: Any) -> None:
        self._set_text("" if value is None else str(value))

    def _set_text(self, text: str) -> None:
        if self.widget.text() != text:
            self.widget.setText(text)
            if not self.widget.hasFocus():
                self.widget.setCursorPosition(0)  # show the start of a long title

    def parse(self, text: str) -> Any:
        text = text.strip()
        return None if (self.optional and not text) else text

    def _edited(self, text: str) -> None:
        try:
            value = self.parse(text)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self._submit(value)

    def settle(self) -> None:
        if self.has_error:
            self._finished()

    def _finished(self) -> None:
        if self.has_error:
            # Typing applies each keystroke, so "1e400" left "1" behind and
            # "eras colorectal" left "eras". The text the user ended with was
            # refused: put back the value from before they started typing (this
            # merges into the same undo step, which then drops out as a no-op).
            if self._model_value != self._value_at_focus:
                message = self.error.text()
                if self.apply(self._value_at_focus) is None:
                    self._model_value = self._value_at_focus
                self.show_error(message)
            self.revert()
        else:
            self._value_at_focus = self._model_value


class NumberField(TextField):
    """Days, a share between 0 and 1, ...: typed as text so a blank can mean 'not given'."""

    def __init__(self, label: str, apply: ApplyFn, unit: str = "days", tip: str = "",
                 placeholder: str = "not given") -> None:
        super().__init__(label, apply, optional=True, tip=tip, placeholder=placeholder)
        self.unit = unit

    def _show(self, value: Any) -> None:
        if value is None:
            text = ""
        else:
            text = f"{value:g}" if isinstance(value, float) else str(value)
        self._set_text(text)

    def parse(self, text: str) -> Any:
        text = text.strip().replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"Enter a number ({self.unit}), or leave it blank.") from None
        if not math.isfinite(value):  # 'nan', 'inf' and 1e400 read as floats too
            raise ValueError(f"Enter a number ({self.unit}), or leave it blank.")
        return value


class ListTextField(TextField):
    """A comma-separated list of short words (tags, specialties)."""

    def _show(self, value: Any) -> None:
        self._set_text(", ".join(value or []))

    def parse(self, text: str) -> Any:
        return [part.strip() for part in text.split(",") if part.strip()]


class LongTextField(FieldEditor):
    """Several lines of text (descriptions, patient information)."""

    def __init__(self, label: str, apply: ApplyFn, tip: str = "", lines: int = 4) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)  # Tab moves on, so the dock stays keyboard friendly
        edit.setUndoRedoEnabled(False)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        super().__init__(label, edit, apply, tip)
        self._showing = False
        edit.textChanged.connect(self._changed)

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.widget.toPlainText() != text:
            self._showing = True
            self.widget.setPlainText(text)
            self._showing = False

    def _changed(self) -> None:
        if self._showing:
            return
        text = self.widget.toPlainText().strip()
        self._submit(text or None)


class ChoiceField(FieldEditor):
    """A combo box of (value, label) choices; ``none_label`` adds a 'not set' entry."""

    def __init__(self, label: str, apply: ApplyFn, choices: Iterable[tuple[Any, str]] = (),
                 none_label: str | None = None, tip: str = "") -> None:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        super().__init__(label, combo, apply, tip)
        self.none_label = none_label
        self.set_choices(choices)
        combo.activated.connect(self._activated)

    def set_choices(self, choices: Iterable[tuple[Any, str]]) -> None:
        combo = self.widget
        combo.blockSignals(True)
        combo.clear()
        if self.none_label is not None:
            combo.addItem(self.none_label, None)
        for value, text in choices:
            combo.addItem(text, value)
        combo.blockSignals(False)
        self._show(self._model_value)

    def _show(self, value: Any) -> None:
        combo = self.widget
        index = combo.findData(value)
        if index < 0 and value is not None:
            # an unknown reference in the file: show it rather than hide it
            combo.addItem(f"{value} (unknown)", value)
            index = combo.count() - 1
        combo.blockSignals(True)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _activated(self, index: int) -> None:
        value = self.widget.itemData(index)
        if value == self._model_value:
            return
        if not self._submit(value):
            self.revert()


class StringListEditor(QWidget):
    """An editable list of short texts (a handoff's information items)."""

    changed = Signal(list)

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Add an item, e.g. medicines list")
        self.entry.setAccessibleName(f"New {label.lower()} item")
        self.entry.returnPressed.connect(self.add_from_entry)
        # leaving the box keeps what was typed (adding it), rather than dropping it
        self.entry.editingFinished.connect(self.add_from_entry)
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName(f"Add {label.lower()} item")
        self.add_button.clicked.connect(self.add_from_entry)
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.list = QListWidget()
        self.list.setAccessibleName(f"{label} items")
        self.list.setToolTip("Double-click an item to change it")
        self.list.setMaximumHeight(120)
        self.list.itemChanged.connect(self._emit)
        layout.addWidget(self.list)
        self.remove_button = QPushButton("Remove Selected Item")
        self.remove_button.setAccessibleName(f"Remove selected {label.lower()} item")
        self.remove_button.clicked.connect(self.remove_selected)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        layout.addLayout(bottom)
        self._loading = False

    def values(self) -> list[str]:
        return [self.list.item(i).text().strip() for i in range(self.list.count())
                if self.list.item(i).text().strip()]

    def set_values(self, values: list[str]) -> None:
        if values == self.values():
            return
        self._loading = True
        self.list.clear()
        for text in values:
            item = QListWidgetItem(text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self._loading = False

    def add_from_entry(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        self.entry.clear()
        self.changed.emit(self.values() + [text])

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        values = [self.list.item(i).text() for i in range(self.list.count())]
        del values[row]
        self.changed.emit([v for v in values if v.strip()])

    def _emit(self, _item) -> None:
        if not self._loading:
            self.changed.emit(self.values())
