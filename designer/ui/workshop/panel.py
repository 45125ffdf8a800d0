"""Base of the workshop panels: refresh once per edit, and only when on show."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget


class WorkshopPanel(QDockWidget):
    """A dock that redraws from the model after edits.

    Many model events arrive for one edit (a macro), so a redraw is posted once;
    a hidden panel (closed, or a tab behind another) only notes that it is out of
    date and redraws when it is shown, so large pathways stay quick to edit.
    """

    def __init__(self, title: str, parent) -> None:
        super().__init__(title, parent)
        self._pending = False
        self._stale = False

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def schedule_refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._run_refresh)

    def _run_refresh(self) -> None:
        self._pending = False
        self._stale = False
        try:
            self.refresh()
        except RuntimeError:    # the panel was deleted while the redraw was queued
            pass

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._run_refresh()
