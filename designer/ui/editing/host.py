"""What an extension may use of the window it is installed into.

The library, export and workshop extensions add menus and docks to a window
(``install(window)`` returns the extension object, which the window keeps). They
see the window through this protocol, not as ``MainWindow``: the window package
is the only one that knows the concrete class. Panels do not get the window at
all; they get an :class:`~designer.ui.editing.context.EditorContext`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMenu, QStatusBar, QToolBar

    from designer.ui.editing.context import EditorContext
    from designer.ui.editing.document import Document


class WindowHost(Protocol):
    """The parts of the main window an extension relies on."""

    context: "EditorContext"
    document: "Document"
    scene: Any
    view: Any
    settings: "QSettings"
    files: Any                    # open, save, maybe_save (the window's file commands)
    act: Any                      # the window's actions by name
    findings_report: Any
    menu_file: "QMenu"
    menu_tools: "QMenu"
    menu_panels: "QMenu"
    menu_workshop: "QMenu"
    file_extras_separator: "QAction"
    toolbar: "QToolBar"
    document_changed: Any         # Signal()

    def set_document(self, document: "Document") -> None: ...

    def add_dock(self, dock: "QDockWidget", area: "Qt.DockWidgetArea" = ...) -> None: ...

    def commit_pending_edits(self) -> None: ...

    def statusBar(self) -> "QStatusBar": ...
