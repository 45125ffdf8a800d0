"""Help > Keyboard Shortcuts: every menu's keys (Workshop included) and the canvas's own."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QKeySequence

from designer.ui.canvas.keys import CANVAS_KEYS


def _menu_rows(menu) -> list[tuple[str, str]]:
    rows = []
    for action in menu.actions():
        if action.menu() is not None:
            rows += _menu_rows(action.menu())
            continue
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                         for k in action.shortcuts())
        if keys:
            rows.append((action.text().replace("&", ""), keys))
    return rows


def shortcut_rows(window) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(what, keys)]) for each menu of the window, then the canvas."""
    groups = []
    for top in window.menuBar().actions():
        menu = top.menu()
        rows = _menu_rows(menu) if menu is not None else []
        if rows:
            groups.append((menu.title().replace("&", ""), rows))
    groups.append(("Canvas", [(what, keys) for keys, what in CANVAS_KEYS]))
    return groups


def shortcuts_html(window) -> str:
    parts = []
    for heading, rows in shortcut_rows(window):
        parts.append(f"<tr><td colspan='2'><h4>{escape(heading)}</h4></td></tr>")
        parts += [f"<tr><td>{escape(what)}</td><td><b>{escape(keys)}</b></td></tr>"
                  for what, keys in rows]
    return "<table cellspacing='4'>" + "".join(parts) + "</table>"
