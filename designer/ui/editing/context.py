"""The editor context: what a panel needs, instead of the whole main window.

A panel gets one :class:`EditorContext` and reads the open document, its canvas
(scene and view), the one edit API (:class:`~designer.ui.editing.edit.Editor`),
the live checks (:class:`~designer.ui.editing.live_checks.LiveChecks`) and a way
to tell the user something (:meth:`EditorContext.status`). The window fills it
in; nothing else sets anything on the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from designer.ui.editing.edit import REFUSAL_MS, Editor
from designer.ui.editing.live_checks import LiveChecks

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.canvas.scene import PathwayScene
    from designer.ui.canvas.view import PathwayView
    from designer.ui.editing.document import Document


class EditorContext(QObject):
    """The open document and the services around it, for panels and extensions.

    Signals
    -------
    document_changed()
        A different document is open (the scene and view are new too).
    lane_requested(str), selection_requested()
        Requests between panels (the Properties panel answers them).
    """

    document_changed = Signal()
    #: show this lane's own properties (the lanes list's Details button, the canvas)
    lane_requested = Signal(str)
    #: show the properties of what is selected on the canvas again (a page's Back)
    selection_requested = Signal()

    def __init__(self, host: QWidget, status: Callable[[str, int], None]) -> None:
        super().__init__(host)
        self.host = host                     # the parent for dialogs
        self._status = status
        self.document: "Document | None" = None
        self.scene: "PathwayScene | None" = None
        self.view: "PathwayView | None" = None
        self.editor = Editor(lambda: self.document, self)
        self.editor.refused.connect(lambda message: self.status(message, REFUSAL_MS))
        self.checks = LiveChecks(self)

    @property
    def pathway(self):
        return self.document.pathway

    def status(self, message: str, timeout_ms: int = 5000) -> None:
        """Show a short message in the window's status bar."""
        self._status(message, timeout_ms)

    def set_document(self, document: "Document", scene: "PathwayScene",
                     view: "PathwayView") -> None:
        """Called by the window when it shows another document."""
        self.document, self.scene, self.view = document, scene, view
        self.checks.bind(document.pathway)
        self.document_changed.emit()
