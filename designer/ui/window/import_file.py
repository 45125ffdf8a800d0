"""File > Import…: bring a BPMN 2.0 or FHIR PlanDefinition file in as a new pathway.

The work is done by :func:`designer.export.interop.importing.import_file`
(Qt-free, shared with ``periop import``); this module only asks for the file,
shows the result as a new untitled pathway and the import report beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QTextBrowser, QVBoxLayout, QWidget,
)

if TYPE_CHECKING:
    from designer.ui.window.main_window import MainWindow

FILE_FILTER = ("BPMN 2.0 or FHIR PlanDefinition (*.bpmn *.bpmn2 *.xml *.json);;"
               "BPMN 2.0 (*.bpmn *.bpmn2 *.xml);;FHIR JSON (*.json);;All files (*)")


class ImportReportDialog(QDialog):
    """The import report: kept, mapped, not carried over, what to complete."""

    def __init__(self, markdown: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-report")
        self.setWindowTitle(f"Import report: {title}")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Import report")
        self.text.setMarkdown(markdown)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)


def import_into_window(window: "MainWindow", path: str | Path) -> bool:
    """Import ``path`` and show it in ``window`` as a new untitled pathway.

    A file that cannot be imported is explained in a message; the pathway on
    show is left as it was. Returns True when the import is on show.
    """
    from designer.export.interop.import_common import ImportRefused
    from designer.export.interop.importing import import_file
    from designer.graph.blank import place_unpositioned_steps
    from designer.ui.editing.document import Document

    path = Path(path)
    try:
        result = import_file(path)
    except ImportRefused as exc:
        _tell(window, str(exc))
        return False
    except Exception as exc:  # a bug: say so, keep the current pathway
        _tell(window, f"Cannot import {path.name}: unexpected error ({type(exc).__name__}: "
                      f"{exc}). This is a bug in the designer; please report it.")
        return False
    if not window.files.maybe_save():
        return False
    pathway = result.pathway
    place_unpositioned_steps(pathway)
    window.set_document(Document(pathway, None))
    dialog = ImportReportDialog(result.report.to_markdown(), path.name, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.extension("import").report = dialog
    dialog.show()
    dropped = result.report.dropped_count()
    window.statusBar().showMessage(
        f"Imported {path.name}: {len(pathway.steps)} steps"
        + (f", {dropped} elements with no equivalent (see the report)" if dropped else "")
        + "; save it to keep it", 8000)
    return True


def _tell(window: "MainWindow", text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Cannot import", text,
                      QMessageBox.StandardButton.Ok, window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setObjectName("import-error")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.extension("import").error = box
    box.open()


def ask_and_import(window: "MainWindow") -> bool:
    """Ask for a file and import it."""
    start = str(window.document.path.parent) if window.document.path else ""
    name, _ = QFileDialog.getOpenFileName(window, "Import BPMN or FHIR", start, FILE_FILTER)
    return import_into_window(window, name) if name else False


class ImportExtension:
    """What File > Import keeps: its action and the last report or error shown."""

    def __init__(self) -> None:
        self.action: QAction | None = None
        self.report = None
        self.error = None


def install(window: "MainWindow") -> ImportExtension:
    """Add File > Import… just below File > Open."""
    action = QAction("&Import BPMN or FHIR…", window)
    action.setObjectName("action-import")
    action.setShortcut(QKeySequence("Ctrl+Shift+I"))
    action.setStatusTip("Bring in a pathway drawn in another tool (BPMN 2.0) or a FHIR "
                        "PlanDefinition")
    action.triggered.connect(lambda _c=False: ask_and_import(window))
    window.addAction(action)
    menu = window.menu_file
    actions = menu.actions()
    index = actions.index(window.act.open)
    menu.insertAction(actions[index + 1] if index + 1 < len(actions) else None, action)
    extension = ImportExtension()
    extension.action = action
    return extension
