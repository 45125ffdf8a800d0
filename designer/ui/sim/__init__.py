"""The Simulation panel and its canvas overlay and animation, plugged into the main window.

``install(window)`` adds the Simulation dock (its toggle under View > Panels)
and a Simulation menu with "Run simulation". Everything goes through the
window's :class:`~designer.ui.editing.context.EditorContext`: the panel edits
the simulation inputs with undo commands, runs :func:`designer.sim.run` off
the GUI thread, and keeps the last results on the document
(``document.last_simulation``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from designer.ui.sim.panel import SimulationDock

__all__ = ["SimulationDock", "SimulationTools", "install"]


class SimulationTools(QObject):
    """The simulation features of one main window."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.dock = SimulationDock(window.context, window)
        window.add_dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea)
        # a tab beside Properties: the panel gets the full height its charts need
        properties = window.findChild(QDockWidget, "properties-dock")
        if properties is not None:
            window.tabifyDockWidget(properties, self.dock)
            properties.raise_()
        self.dock.hide()   # shown from the menu; the canvas keeps its room meanwhile
        self.run_action = QAction("&Run Simulation", window)
        self.run_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        tip = "Simulate patient flow and costs for the pathway's scenarios"
        self.run_action.setStatusTip(tip)
        self.run_action.setToolTip(f"{tip} (Ctrl+Shift+R)")
        self.run_action.triggered.connect(self.run)
        window.addAction(self.run_action)
        self.show_action = self.dock.toggleViewAction()
        self.show_action.setText("Simulation &Panel")
        menu = window.menuBar().addMenu("&Simulation")
        # before Help, where menus belong
        help_menu = getattr(window, "menu_help", None)
        if help_menu is not None:
            window.menuBar().insertMenu(help_menu.menuAction(), menu)
        menu.addAction(self.run_action)
        from designer.ui.menu_mirror import mirror

        # the dock's own toggle goes in View > Panels: a mirror here (see menu_mirror)
        menu.addAction(mirror(self.show_action, menu))
        self.menu = menu
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(self.run_action)

    def run(self) -> None:
        """Show the panel and start a run."""
        self.dock.show()
        self.dock.raise_()
        self.dock.run()


def install(window) -> SimulationTools:
    """Add the simulation tools to ``window`` (a WindowHost); the window keeps what it returns."""
    return SimulationTools(window)
