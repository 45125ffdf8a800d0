"""Keyboard focus across the window: Tab always moves on, focus is always visible."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def no_tab_traps(window) -> int:
    """Tab and Shift+Tab leave every table, tree and list (the arrow keys move inside).

    Qt's item views use Tab to go from cell to cell by default: a keyboard user
    pressed Tab 174 times in the Timeline table and never left it. Returns how
    many views were changed.
    """
    views = window.findChildren(QAbstractItemView)
    for view in views:
        view.setTabKeyNavigation(False)
    return len(views)
