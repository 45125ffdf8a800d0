"""One checkable action shown in a second menu, as its own QAction.

Qt keeps one accessibility interface per QAction, with the menu it was first
seen in as its parent; the same action in two menus then tells a screen reader
(AT-SPI) the wrong parent and the wrong place in the second menu
(tools/atspi_check.py found "Workshop notes" at index 15 of a 9-item menu).
A mirror is a separate action that follows the original both ways.
"""

from __future__ import annotations

from PySide6.QtGui import QAction


def mirror(action: QAction, parent) -> QAction:
    """A new action with ``action``'s text and check state, kept in step with it."""
    copy = QAction(action.text(), parent)
    copy.setCheckable(action.isCheckable())
    copy.setChecked(action.isChecked())
    copy.setStatusTip(action.statusTip())
    copy.setToolTip(action.toolTip())
    if action.objectName():
        copy.setObjectName(action.objectName() + "-mirror")

    def follow() -> None:
        copy.setText(action.text())
        copy.setEnabled(action.isEnabled())
        if copy.isChecked() != action.isChecked():
            copy.setChecked(action.isChecked())

    action.changed.connect(follow)
    action.toggled.connect(lambda on: copy.setChecked(on) if copy.isChecked() != on else None)
    copy.triggered.connect(lambda checked=False: action.trigger()
                           if not action.isCheckable() or action.isChecked() != checked
                           else None)
    return copy
