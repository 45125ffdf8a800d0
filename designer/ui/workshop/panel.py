"""Base of the workshop panels (refresh once per edit, only when on show) and dialog parts."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QTimer, SignalInstance
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QDockWidget, QFileDialog, QFormLayout, QPushButton, QWidget,
)


def ask_save_path(parent: QWidget, title: str, suggested: Path, filters: dict[str, str]
                  ) -> tuple[str, str | None] | None:
    """Ask where to save: ``(path, format of the chosen filter)``, or None if cancelled.

    ``filters`` maps each file-dialog filter to its format.
    """
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(suggested),
                                               ";;".join(filters))
    return (path, filters.get(chosen)) if path else None


def with_format(path: str, fmt: str | None, fallback: str) -> tuple[str, str]:
    """The format (given, else the path's suffix, else ``fallback``) and a path ending in it."""
    fmt = fmt or Path(path).suffix.lstrip(".").lower() or fallback
    if Path(path).suffix.lower() != f".{fmt}":
        path = f"{path}.{fmt}"
    return path, fmt


def add_ok_cancel(dialog: QDialog, form: QFormLayout, changed: SignalInstance,
                  filled: Callable[[], bool]) -> QPushButton:
    """OK and Cancel at the foot of a form; OK is enabled only while ``filled()``.

    ``changed`` is the signal of the required field (re-checked on every change).
    """
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)

    def enable(*_args) -> None:
        ok_button.setEnabled(filled())

    changed.connect(enable)
    enable()
    return ok_button


class WorkshopPanel(QDockWidget):
    """A dock that redraws from the model after edits.

    Many model events arrive for one edit (a macro), so a redraw is posted once;
    a hidden panel (closed, or a tab behind another) only notes that it is out of
    date and redraws when it is shown, so large pathways stay quick to edit.
    """

    def __init__(self, title: str, parent) -> None:
        super().__init__(title, parent)
        self.pathway = None
        self._pending = False
        self._stale = False

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def _on_event(self, event) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def bind(self, pathway) -> None:
        """Follow ``pathway`` (a new document) instead of the one shown so far."""
        if self.pathway is not None:
            self.pathway.unsubscribe(self._on_event)
        self.pathway = pathway
        pathway.subscribe(self._on_event)
        if self.isVisible():
            self.refresh()
        else:       # drawn when shown (a 2,000-step list costs 0.1-0.2 s)
            self._stale = True

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

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # View > High Contrast or a new desktop theme: rows tinted or greyed for the
        # old palette are drawn again for the new one
        if (event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
                and self.pathway is not None):
            self.schedule_refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self._run_refresh()
