"""File handling for one main window: new, open, save, save as, revert, recent files.

Nothing here ever loses work: every way of replacing or closing a document
with unsaved changes asks first, a failed save leaves the document unsaved
with a clear message, and a file changed on disk by someone else is never
overwritten without asking.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QFileDialog, QLineEdit, QMessageBox,
)

from designer.ui.editing.document import Document

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

RECENT_KEY = "files/recent"
RECENT_MAX = 10
FILE_FILTER = "Pathway files (*.yaml *.yml);;All files (*)"
PATHWAY_SUFFIXES = (".yaml", ".yml")
MB = QMessageBox.StandardButton


class FileCommands:
    """The File menu's behaviour for ``window``."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        self._opening = None          # a big file being opened in the background
        self._asked_at: int | None = None

    # ------------------------------------------------------------ recent files

    def recent_files(self) -> list[str]:
        value = self.window.settings.value(RECENT_KEY, [])
        if isinstance(value, str):  # QSettings returns a lone string for one item
            value = [value]
        if not isinstance(value, (list, tuple)):  # a damaged or hand-edited settings file
            return []
        return [v for v in value if isinstance(v, str) and v]

    def remember(self, path: Path) -> None:
        recent = self.recent_files()
        if recent[:1] == [str(path)]:
            return   # already first (File > Save of the open file): nothing to write
        entries = [p for p in recent if p != str(path)]
        entries.insert(0, str(path))
        settings = self.window.settings
        settings.setValue(RECENT_KEY, entries[:RECENT_MAX])
        # written to disk on the next turn of the event loop, not inside the Save or
        # Open that called this (the settings file holds the window layout too:
        # 10-20 ms); dropped if the window goes first (Qt writes it on exit then)
        QTimer.singleShot(0, self.window, settings.sync)

    def forget(self, path: str) -> None:
        self.window.settings.setValue(RECENT_KEY, [p for p in self.recent_files() if p != path])

    def fill_recent_menu(self) -> None:
        menu = self.window.menu_recent
        menu.clear()
        entries = self.recent_files()
        for number, path in enumerate(entries, start=1):
            label = f"&{number} {Path(path).name}" if number < 10 else Path(path).name
            action = menu.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not entries:
            menu.addAction("No recent files").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear Recent Files", self._clear_recent)

    def _clear_recent(self) -> None:
        self.window.settings.setValue(RECENT_KEY, [])

    # ------------------------------------------------------- pending edits, news

    def commit_pending_edits(self) -> None:
        """Finish the edit in the focused text box, as leaving it would.

        A step id (or a handoff item) is applied when the user leaves its box;
        Save, Close or Quit pressed while still in the box must see that edit,
        or it would be left out of the file and lost with the window.
        """
        # a step name being typed on the canvas itself (double-click rename)
        interactions = getattr(self.window.scene, "interactions", None)
        rename = getattr(interactions, "rename", None)
        if rename is not None and getattr(rename, "editor", None) is not None:
            rename.commit()
        focused = QApplication.focusWidget()
        if focused is None or not self.window.isAncestorOf(focused):
            return
        if isinstance(focused, (QLineEdit, QAbstractSpinBox)):
            focused.editingFinished.emit()

    def report_autosave_failed(self, reason: str) -> None:
        self.window.statusBar().showMessage(
            f"The recovery copy could not be written ({reason}). Save your work now to be "
            "safe.", 20000)

    def report_changed_on_disk(self) -> None:
        doc = self.window.document
        name = doc.display_name
        if doc.path is not None and not doc.path.exists():
            self.window.statusBar().showMessage(
                f"{name} was deleted or moved by another program. Your pathway is still "
                "open here; Save writes it again.", 15000)
            return
        self.window.statusBar().showMessage(
            f"{name} was changed by another program. Saving will ask before overwriting it; "
            "File > Revert to Saved loads the other version.", 15000)

    def open_dropped(self, files: list[str]) -> None:
        """Files dropped on the window: open the first pathway, explain anything else."""
        paths = [p for p in files if Path(p).suffix.lower() in PATHWAY_SUFFIXES]
        if paths:
            # open after the drop finishes so a prompt does not block the drag source
            QTimer.singleShot(0, lambda: self.open_path(paths[0]))
        else:
            self.window.statusBar().showMessage(
                f"{Path(files[0]).name} is not a pathway file: the designer opens "
                ".yaml pathway files.", 8000)

    # ------------------------------------------------------------------ prompts

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; True when it is fine to replace or close the document."""
        self.commit_pending_edits()
        doc = self.window.document
        if not doc.dirty:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to “{doc.display_name}” before closing it?",
                          MB.Save | MB.Discard | MB.Cancel, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("If you don't save, your changes since the last save are lost."
                               if doc.path else "If you don't save, this new pathway is lost.")
        box.setDefaultButton(MB.Save)
        box.setObjectName("unsaved-changes-prompt")
        answer = box.exec()
        if answer == MB.Save:
            return self.save()
        return answer == MB.Discard

    def _error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, MB.Ok, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("file-error")
        box.exec()

    # ---------------------------------------------------------------- commands

    def new_document(self) -> None:
        if self.maybe_save():
            self.window.set_document(Document.new_untitled())

    def open_dialog(self) -> None:
        start = str(self.window.document.path.parent) if self.window.document.path else ""
        name, _ = QFileDialog.getOpenFileName(self.window, "Open pathway", start, FILE_FILTER)
        if name:
            self.open_path(name)

    def _window_showing(self, path: Path):
        """Another designer window holding ``path``, or None."""
        from PySide6.QtWidgets import QApplication

        window_class = type(self.window)   # the main window class, without importing it here
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, window_class) and widget is not self.window \
                    and widget.document is not None and widget.document.path == path:
                return widget
        return None

    def open_path(self, path: str | Path) -> bool:
        """Open ``path`` in this window (after the unsaved-changes prompt).

        A file already open in another window is brought to the front there
        instead: two copies of one file would overwrite each other's changes.
        The file is read before asking about unsaved changes, so a file that
        cannot be opened never costs the user a decision.
        """
        from designer.graph.io import PathwayLoadError

        path = Path(path)
        current = self.window.document
        asked = False
        if current.path and current.path == path.resolve():
            if not current.dirty:
                return True
            # opening the file this window holds, with unsaved changes: Save keeps
            # them on show; Discard reloads the file as it is on disk
            if not self.maybe_save():
                return False
            if not current.dirty:
                return True
            asked = True
        elsewhere = self._window_showing(path.resolve())
        if elsewhere is not None:
            elsewhere.show()
            elsewhere.raise_()
            elsewhere.activateWindow()
            elsewhere.statusBar().showMessage(
                f"{path.name} is already open in this window.", 6000)
            return False
        from designer.ui.window.opening import opens_in_background

        if opens_in_background(path):
            return self._open_in_background(path, asked)
        self.cancel_opening()           # a big file still opening: this one wins
        try:
            doc = Document.open(path)
        except PathwayLoadError as exc:
            if not path.exists():
                self.forget(str(path))
            self._error("Cannot open pathway", str(exc))
            return False
        if not asked and not self.maybe_save():
            doc.close()
            doc.deleteLater()
            return False
        try:
            self.window.set_document(doc)
        except Exception as exc:  # a canvas bug on this file: keep the current pathway
            logging.getLogger("designer").exception("Showing %s failed", path)
            doc.close()
            doc.deleteLater()
            self._error("Cannot open pathway", f"The designer could not show “{path.name}”: "
                        f"{exc or type(exc).__name__}. The pathway you had open is unchanged.")
            return False
        self.remember(doc.path)
        self.window.statusBar().showMessage(f"Opened {doc.display_name}", 4000)
        return True

    # ------------------------------------------------- big files, in the background

    @property
    def opening(self):
        """The :class:`~designer.ui.window.opening.Opening` under way, or None."""
        return self._opening

    def _open_in_background(self, path: Path, asked: bool,
                            error_title: str = "Cannot open pathway") -> bool:
        """Read and draw ``path`` while the window stays live; True once it is under way
        (its outcome is shown when it ends: the new pathway, or a message)."""
        from designer.ui.window import opening

        current = self._opening
        if current is not None and current.path.resolve() == path.resolve():
            return True                   # already on its way
        self.cancel_opening()
        job = opening.Opening(path, self.window)
        job.error_title = error_title
        self._opening = job
        self._asked_at = self.window.document._revision if asked else None
        bar = opening.bar_for(self.window)
        opening.connect_bar(job, bar)
        if not bar.property("wired"):
            bar.setProperty("wired", True)
            bar.cancel_button.clicked.connect(lambda: self.cancel_opening(say=True))
        job.ready.connect(lambda: self._opened(job))
        job.failed.connect(lambda exc: self._open_failed(job, exc))
        self.window.statusBar().showMessage(f"Opening {path.name}…")
        job.start()
        return True

    def cancel_opening(self, say: bool = False) -> None:
        """Stop opening a big file (Cancel, another file chosen, the window closing)."""
        job, self._opening = self._opening, None
        if job is None:
            return
        job.cancel()
        job.deleteLater()
        self._hide_opening_bar()
        if say:
            self.window.statusBar().showMessage(
                f"Stopped opening {job.name}. The pathway that was open is unchanged.", 6000)

    def _hide_opening_bar(self) -> None:
        bar = getattr(self.window, "_opening_bar", None)
        if bar is not None:
            bar.hide()

    def _opened(self, job) -> None:
        """The file is read and its canvas drawn: ask about unsaved work, then show it."""
        if job is not self._opening:
            return
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            # a gesture under way (a step being dragged on the canvas): after it
            QTimer.singleShot(50, lambda: self._opened(job))
            return
        self._opening = None
        self._hide_opening_bar()
        self.window.statusBar().clearMessage()
        doc, scene = job.document, job.scene
        current = self.window.document
        # asked before reading (the same file, reloaded): ask again only if the open
        # pathway was edited since
        asked = self._asked_at is not None and current._revision == self._asked_at
        if not asked and not self.maybe_save():
            job.discard()
            job.deleteLater()
            return
        job.document = job.scene = None       # the window owns them from here
        try:
            self.window.set_document(doc, scene=scene)
        except Exception as exc:  # a canvas bug on this file: keep the current pathway
            logging.getLogger("designer").exception("Showing %s failed", job.path)
            scene.detach()
            scene.deleteLater()
            doc.close()
            doc.deleteLater()
            self._error("Cannot open pathway", f"The designer could not show “{job.name}”: "
                        f"{exc or type(exc).__name__}. The pathway you had open is unchanged.")
            job.deleteLater()
            return
        job.deleteLater()
        self.remember(doc.path)
        self.window.statusBar().showMessage(f"Opened {doc.display_name}", 4000)

    def _open_failed(self, job, exc: BaseException) -> None:
        from designer.graph.io import PathwayLoadError

        if job is not self._opening:
            return
        self._opening = None
        self._hide_opening_bar()
        self.window.statusBar().clearMessage()
        job.deleteLater()
        if isinstance(exc, PathwayLoadError):
            if not job.path.exists():
                self.forget(str(job.path))
            self._error(job.error_title, str(exc))
            return
        logging.getLogger("designer").error("Showing %s failed", job.path, exc_info=exc)
        self._error(job.error_title, f"The designer could not show “{job.name}”: "
                    f"{exc or type(exc).__name__}. The pathway you had open is unchanged.")

    def save(self) -> bool:
        self.commit_pending_edits()
        doc = self.window.document
        if doc.path is None:
            return self.save_as()
        # the file is read and hashed in the writer thread, the window painting meanwhile
        if doc.changed_on_disk_since_load(off_thread=True):
            box = QMessageBox(QMessageBox.Icon.Warning, "File changed on disk",
                              f"“{doc.display_name}” was changed by another program since "
                              "you opened it.", MB.Save | MB.Cancel, self.window)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText("Overwrite it with your version? Choose Cancel and then "
                                   "Save As to keep both.")
            box.button(MB.Save).setText("Overwrite")
            box.setDefaultButton(MB.Cancel)
            box.setObjectName("changed-on-disk-prompt")
            if box.exec() != MB.Save:
                return False
            doc.accept_disk_version(off_thread=True)
        return self._write(doc.path)

    def save_as(self, path: str | Path | None = None) -> bool:
        self.commit_pending_edits()
        doc = self.window.document
        if path is None:
            start = str(doc.path) if doc.path else f"{doc.pathway.id}.yaml"
            name, _ = QFileDialog.getSaveFileName(self.window, "Save pathway as", start,
                                                  FILE_FILTER)
            if not name:
                return False
            path = name
        path = Path(path)
        if path.suffix.lower() not in (".yaml", ".yml"):
            path = path.with_name(path.name + ".yaml")
            # the dialog only asked about the name as typed, not this one
            if path.exists() and path.resolve() != doc.path and not self._confirm_replace(path):
                return False
        elsewhere = self._window_showing(path.resolve())
        if elsewhere is not None:
            self._error("Cannot save over an open pathway",
                        f"“{path.name}” is open in another window. Close it there first, "
                        "or choose another name, so neither window's work is overwritten.")
            return False
        return self._write(path)

    def _confirm_replace(self, path: Path) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Replace file?",
                          f"“{path.name}” already exists in {path.parent}.",
                          MB.Save | MB.Cancel, self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Replace it with this pathway?")
        box.button(MB.Save).setText("Replace")
        box.setDefaultButton(MB.Cancel)
        box.setObjectName("replace-prompt")
        return box.exec() == MB.Save

    def _write(self, path: Path) -> bool:
        from designer.graph.io import PathwaySaveError

        if path.is_file() and not os.access(path, os.W_OK):
            # saving swaps a new file in, which the folder allows even for a file
            # marked read-only (say, a signed-off version): respect the mark
            self._error("Could not save", f"“{path.name}” is read-only, so it was not "
                        "changed.\n\nYour changes are still open here; use Save As to "
                        "save them under another name.")
            return False
        try:
            saved = self.window.document.save(path)
        except (PathwaySaveError, OSError) as exc:
            self._error("Could not save", f"{exc}\n\nYour changes are still open here; "
                        "try Save As to choose another folder.")
            return False
        self.remember(saved)
        self.window.statusBar().showMessage(f"Saved {saved.name}", 4000)
        return True

    def revert(self) -> None:
        doc = self.window.document
        if doc.path is None:
            self._error("Cannot revert", "This pathway has not been saved to a file yet.")
            return
        if not doc.path.exists():
            self._error("Cannot revert", f"“{doc.display_name}” is no longer in "
                        f"{doc.path.parent}, so there is no saved version to go back to. "
                        "Your pathway is still open here: use Save As to keep it.")
            return
        if doc.dirty:
            box = QMessageBox(QMessageBox.Icon.Question, "Revert to saved",
                              f"Throw away all changes since “{doc.display_name}” was last "
                              "saved?", MB.Discard | MB.Cancel, self.window)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.button(MB.Discard).setText("Revert")
            box.setObjectName("revert-prompt")
            if box.exec() != MB.Discard:
                return
        from designer.graph.io import PathwayLoadError
        from designer.ui.window.opening import opens_in_background

        if opens_in_background(doc.path):    # a big file: read and drawn, window live
            self._open_in_background(doc.path, asked=True, error_title="Cannot revert")
            return
        try:
            fresh = Document.open(doc.path)
        except PathwayLoadError as exc:
            self._error("Cannot revert", str(exc))
            return
        self.window.set_document(fresh)
