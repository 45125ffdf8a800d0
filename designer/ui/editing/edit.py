"""The one edit API: build an undo command, push it, report a refusal in one place.

Every panel, the canvas handlers and the window's own actions edit through
:meth:`Editor.push`. A command checks its edit when it is built and raises
:class:`~designer.graph.model.EditRefused` (the model's message for people); if
the model still refuses while applying it, the stack drops it and the command
keeps the message in ``refused``. Either way the message is sent once, through
:attr:`Editor.refused`, which the window shows in its status bar.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from PySide6.QtCore import QObject, Signal

from designer.graph.model import EditRefused

REFUSAL_MS = 8000


class Editor(QObject):
    """Pushes commands onto the current document's undo stack.

    ``document`` is a callable returning the open :class:`Document` (the editor
    outlives documents: opening a file swaps the document, not the editor).
    """

    refused = Signal(str)

    def __init__(self, document: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.last_refusal: str | None = None

    @property
    def pathway(self):
        return self._document().pathway

    @property
    def undo_stack(self):
        return self._document().undo_stack

    def push(self, factory: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Build ``factory(pathway, *args, **kwargs)`` and push it.

        Returns the command when it was applied, None when it was refused (the
        message is in :attr:`last_refusal` and was sent through :attr:`refused`).
        """
        self.last_refusal = None
        try:
            command = factory(self.pathway, *args, **kwargs)
        except EditRefused as exc:
            self.refuse(str(exc))
            return None
        return self.push_command(command)

    def push_command(self, command: Any) -> Any:
        """Push a command built already; the command, or None when the model refused it."""
        self.last_refusal = None
        try:
            self.undo_stack.push(command)
        except EditRefused as exc:   # a command that checks only when applied
            self.refuse(str(exc))
            return None
        refused = getattr(command, "refused", None)
        if refused:
            self.refuse(refused)
            return None
        return command

    def build(self, factory: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Build a command without pushing it (for a macro); None, reported, when refused."""
        self.last_refusal = None
        try:
            return factory(self.pathway, *args, **kwargs)
        except EditRefused as exc:
            self.refuse(str(exc))
            return None

    def refuse(self, message: str) -> None:
        """Report a refused edit (the model's own message)."""
        self.last_refusal = message
        self.refused.emit(message)

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Group the pushes inside into one undo step."""
        stack = self.undo_stack
        stack.beginMacro(text)
        try:
            yield
        finally:
            stack.endMacro()
