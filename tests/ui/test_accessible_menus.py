"""Every menu item knows its own menu and place in it (what AT-SPI reads, issue 15).

Found by tools/atspi_check.py under a real AT-SPI bus: "Workshop notes" said it
was item 15 of a 9-item Workshop menu, because the same QAction sat in two menus
and Qt keeps one accessible interface per action.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QMenu

from window_support import make_window, settings  # noqa: F401 (fixtures)


def test_each_menu_item_names_its_menu_as_parent_and_its_own_index(make_window, qtbot):
    window = make_window()
    problems = []
    menus = window.findChildren(QMenu)
    assert len(menus) > 5
    for menu in menus:
        face = QAccessible.queryAccessibleInterface(menu)
        for index in range(face.childCount()):
            child = face.child(index)
            if child is None:
                problems.append(f"{menu.title()}: no item {index}")
                continue
            parent = child.parent()
            if parent is None or parent.object() is not menu:
                problems.append(f"{menu.title()} > {child.text(QAccessible.Text.Name)}: "
                                "another parent")
            elif parent.indexOfChild(child) != index:
                problems.append(f"{menu.title()} > {child.text(QAccessible.Text.Name)}: "
                                f"index {parent.indexOfChild(child)}, not {index}")
    assert problems == []
