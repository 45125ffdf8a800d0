"""Defect 2 of issue 15: the window layout comes back whole, and can always be reset."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from window_support import make_window, settings  # noqa: F401 (fixtures)

Area = Qt.ToolBarArea


def _menu_actions(menu: QMenu) -> list:
    found = []
    for action in menu.actions():
        found.append(action)
        if action.menu() is not None:
            found += _menu_actions(action.menu())
    return found


def test_the_workshop_toolbar_and_panels_come_back_where_they_were_left(make_window):
    window = make_window()
    bar = window.workshop.toolbar
    window.addToolBar(Area.LeftToolBarArea, bar)
    window.workshop.notes_dock.show()
    window.close()

    again = make_window()
    assert again.toolBarArea(again.workshop.toolbar) == Area.LeftToolBarArea
    assert not again.workshop.notes_dock.isHidden()


def test_closing_while_presenting_keeps_the_working_layout(make_window, qtbot):
    window = make_window()
    window.workshop.presentation.enter()
    assert window.workshop.presentation.active
    window.close()
    again = make_window()
    assert again.workshop.toolbar.isVisible()
    assert again.toolbar.isVisible()
    assert again.menuBar().isVisible()
    assert not again.isFullScreen()


def test_every_toolbar_and_panel_has_a_view_menu_toggle(make_window):
    window = make_window()
    in_view = _menu_actions(window.menu_view)
    bars = [b for b in window.findChildren(QToolBar) if b.parent() is window]
    docks = [d for d in window.findChildren(QDockWidget) if d.parent() is window]
    assert len(bars) >= 2 and len(docks) >= 7
    for part in bars + docks:
        assert part.toggleViewAction() in in_view, part.windowTitle()


def test_reset_layout_brings_back_hidden_and_moved_toolbars_and_panels(make_window):
    window = make_window()
    window.addToolBar(Area.BottomToolBarArea, window.toolbar)
    window.workshop.toolbar.toggleViewAction().trigger()
    window.properties_dock.toggleViewAction().trigger()
    window.findings_dock.setFloating(True)
    assert window.workshop.toolbar.isHidden() and window.properties_dock.isHidden()

    reset = next(a for a in _menu_actions(window.menu_view) if a.text() == "&Reset Layout")
    reset.trigger()
    assert window.toolBarArea(window.toolbar) == Area.TopToolBarArea
    assert window.toolBarArea(window.workshop.toolbar) == Area.TopToolBarArea
    assert not window.workshop.toolbar.isHidden()
    assert not window.properties_dock.isHidden()
    assert not window.findings_dock.isFloating()
    assert window.workshop.notes_dock.isHidden()    # hidden in a new window too
