"""The window layout: toolbars and panels, kept between sessions, each with a View toggle.

:func:`install_layout` runs once the main window and every extension have made
their toolbars and docks (the saved state names them by object name, and Qt
silently skips a name that does not exist yet: restoring earlier put the
workshop toolbar wherever Qt liked, over the menu bar of a maximised window).
It adds View > Toolbars (one toggle per toolbar), keeps View > Panels complete
and adds View > Reset Layout, which puts every toolbar and panel back where a
new installation has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QToolBar

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

STATE_KEY, GEOMETRY_KEY = "window/state", "window/geometry"


class WindowLayout:
    """Default, saved and restored layout of one main window."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        self.default_state: QByteArray = window.saveState()
        self.default_visible = {w.objectName(): not w.isHidden() for w in self._parts()}
        menu = window.menu_view
        self.menu_toolbars = menu.addMenu("&Toolbars")
        for bar in self.toolbars():
            self.menu_toolbars.addAction(bar.toggleViewAction())
        listed = set(window.menu_panels.actions())
        for dock in self.docks():
            if dock.toggleViewAction() not in listed:
                window.menu_panels.addAction(dock.toggleViewAction())
        self.reset_action = QAction("&Reset Layout", window)
        self.reset_action.setObjectName("action-reset-layout")
        self.reset_action.setStatusTip("Put every toolbar and panel back where it starts")
        self.reset_action.triggered.connect(lambda _c=False: self.reset())
        menu.addAction(self.reset_action)
        window.addAction(self.reset_action)

    def toolbars(self) -> list[QToolBar]:
        return [b for b in self.window.findChildren(QToolBar) if b.parent() is self.window]

    def docks(self) -> list[QDockWidget]:
        return [d for d in self.window.findChildren(QDockWidget) if d.parent() is self.window]

    def _parts(self):
        return self.toolbars() + self.docks()

    def restore(self) -> None:
        """The saved geometry and state, then a check that the essentials are showing."""
        settings, w = self.window.settings, self.window
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is not None:
            w.restoreGeometry(geometry)
        state = settings.value(STATE_KEY)
        if state is not None:
            w.restoreState(state)
        for bar in self.toolbars():
            # a toolbar the state put in no area would sit over the menu bar
            if w.toolBarArea(bar) not in _AREAS:
                w.addToolBar(bar)

    def save(self) -> None:
        self.window.settings.setValue(STATE_KEY, self.window.saveState())
        self.window.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())

    def reset(self) -> None:
        """Every toolbar and panel where (and as visible as) a new window has it."""
        w = self.window
        w.restoreState(self.default_state)
        for part in self._parts():
            visible = self.default_visible.get(part.objectName())
            if visible is not None:
                part.setVisible(visible)
        w.statusBar().showMessage("Toolbars and panels are back where they start.", 5000)


def _areas():
    from PySide6.QtCore import Qt

    area = Qt.ToolBarArea
    return {area.TopToolBarArea, area.BottomToolBarArea, area.LeftToolBarArea,
            area.RightToolBarArea}


_AREAS = _areas()
