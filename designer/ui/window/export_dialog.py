"""File > Export…: choose formats and a folder, write them with progress, show the result.

The dialog writes the pathway on screen (unsaved edits included) through
:func:`designer.export.export_one`, the same code the ``periop export``
command uses, so both give the same files. Exports run in the GUI thread, one
format at a time, with the progress dialog kept responsive between formats;
Cancel stops before the next one. Failures are reported as messages, never as
tracebacks, and the pathway file itself is never written over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressDialog, QPushButton, QVBoxLayout,
    QWidget,
)

from designer.export import FORMATS, ExportRefused, default_file_name, export_one
from designer.graph.vocabulary import plural

GROUPS = (
    ("board", "For the ICS board"),
    ("patients", "For patients (Surgery School)"),
    ("systems", "For other systems"),
    ("pictures", "Diagram pictures"),
)
DEFAULT_FORMATS = ("spec-pdf", "school-pdf")
SETTINGS_FORMATS = "export/formats"
SETTINGS_FOLDER = "export/folder"
SETTINGS_LARGE_PRINT = "export/large_print"


@dataclass
class ExportResult:
    """What one run wrote, warned about and failed to write."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False


class ExportDialog(QDialog):
    """Format chooser, output folder and large-print option for one window's pathway."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Export pathway")
        self.setObjectName("export-dialog")
        self.result_box: QMessageBox | None = None
        self.last_result: ExportResult | None = None
        self.checks: dict[str, QCheckBox] = {}

        layout = QVBoxLayout(self)
        intro = QLabel("Choose what to write. Files are named after the pathway and "
                       "saved in the folder below.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        for index, (group, title) in enumerate(GROUPS):
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            for fmt in (f for f in FORMATS.values() if f.group == group):
                check = QCheckBox(fmt.label)
                check.setObjectName(f"format-{fmt.key}")
                check.toggled.connect(self._update_state)
                self.checks[fmt.key] = check
                box_layout.addWidget(check)
            if group == "patients":
                self.large_print = QCheckBox("Large print (16 pt or more)")
                self.large_print.setObjectName("large-print")
                box_layout.addWidget(self.large_print)
            box_layout.addStretch(1)
            grid.addWidget(box, index // 2, index % 2)
        layout.addLayout(grid)

        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Save in folder:"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("export-folder")
        self.folder_edit.setAccessibleName("Output folder")
        self.folder_edit.textChanged.connect(self._update_state)
        folder_row.addWidget(self.folder_edit, 1)
        choose = QPushButton("Choose…")
        choose.setObjectName("choose-folder")
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(choose)
        layout.addLayout(folder_row)
        self.names_label = QLabel()
        self.names_label.setWordWrap(True)
        self.names_label.setObjectName("export-names")
        self.names_label.setStyleSheet("color: #4c6272;")
        layout.addWidget(self.names_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.export_button.setObjectName("export-button")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.run_exports)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.restore_choices()

    # ------------------------------------------------------------------ state

    def _settings(self):
        return self.window_.settings

    def _document(self):
        return self.window_.document

    def restore_choices(self) -> None:
        """Tick last time's formats and folder; else beside the pathway file, else Documents."""
        settings = self._settings()
        chosen = list(DEFAULT_FORMATS)
        folder = ""
        large = False
        if settings is not None:
            stored = settings.value(SETTINGS_FORMATS)
            if stored:
                chosen = [stored] if isinstance(stored, str) else list(stored)
            folder = str(settings.value(SETTINGS_FOLDER) or "")
            large = str(settings.value(SETTINGS_LARGE_PRINT, "false")).lower() == "true"
        document = self._document()
        if not folder and document is not None and getattr(document, "path", None):
            beside = Path(document.path).parent
            # not into a read-only place such as the installed library of exemplars
            from designer.library.index import builtin_folder

            if os.access(beside, os.W_OK) and beside.resolve() != builtin_folder():
                folder = str(beside)
        if not folder:
            folder = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        for key, check in self.checks.items():
            check.setChecked(key in chosen)
        self.large_print.setChecked(large)
        self.folder_edit.setText(folder)
        self._update_state()

    def selected_formats(self) -> list[str]:
        return [key for key, check in self.checks.items() if check.isChecked()]

    def _update_state(self, *_args) -> None:
        formats = self.selected_formats()
        self.large_print.setEnabled(any(f.startswith("school-") for f in formats))
        self.export_button.setEnabled(bool(formats) and bool(self.folder_edit.text().strip()))
        document = self._document()
        if document is not None and formats:
            names = [default_file_name(document.pathway, f) for f in formats]
            self.names_label.setText("Files: " + ", ".join(names))
        else:
            self.names_label.setText("Choose at least one format." if not formats else "")

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save exports in", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    # ------------------------------------------------------------------ export

    def _report(self, pathway):
        report = self.window_.findings_report
        if report is not None:
            return report
        from designer.graph.validate import validate

        return validate(pathway)

    def run_exports(self) -> ExportResult | None:
        """Write every chosen format; show progress, then the result. Returns the result."""
        document = self._document()
        formats = self.selected_formats()
        if document is None or not formats:
            return None
        folder = Path(self.folder_edit.text().strip()).expanduser()
        result = ExportResult(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            result.errors.append(f"The folder {folder} cannot be used: {exc.strerror or exc}")
            self._finish(result)
            return result
        self._remember(formats, folder)
        pathway = document.pathway
        source = getattr(document, "path", None)
        report = self._report(pathway) if any(f.startswith("spec-") for f in formats) else None
        progress = QProgressDialog("Preparing the export…", "Cancel", 0, len(formats), self)
        progress.setWindowTitle("Exporting")
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setValue(0)
        for index, fmt in enumerate(formats):
            if progress.wasCanceled():
                result.cancelled = True
                break
            label = FORMATS[fmt].label
            progress.setLabelText(f"Writing {label}…")
            QApplication.processEvents()
            target = folder / default_file_name(pathway, fmt)
            try:
                # the board pack reuses the Simulation panel's last results while the
                # pathway is unchanged since (else it simulates at the file's settings)
                record = (document.current_simulation()
                          if hasattr(document, "current_simulation") else None)
                warnings = export_one(pathway, fmt, target, source_path=source,
                                      large_print=self.large_print.isChecked(), report=report,
                                      results=record.results if record is not None else None)
            except ExportRefused as exc:
                result.errors.append(f"{label}: {exc}")
            except Exception as exc:  # noqa: BLE001 - shown to the user as a message
                result.errors.append(f"{label}: could not be written ({exc}).")
            else:
                result.written.append(target)
                # the same booklet text in HTML, PDF and Word: each warning once
                result.warnings.extend(w for w in warnings if w not in result.warnings)
            progress.setValue(index + 1)
        progress.close()
        progress.deleteLater()
        self._finish(result)
        return result

    def _remember(self, formats: list[str], folder: Path) -> None:
        settings = self._settings()
        if settings is not None:
            settings.setValue(SETTINGS_FORMATS, formats)
            settings.setValue(SETTINGS_FOLDER, str(folder))
            settings.setValue(SETTINGS_LARGE_PRINT, self.large_print.isChecked())

    def _finish(self, result: ExportResult) -> None:
        self.last_result = result
        if result.written and not result.errors:
            self.accept()
        self.show_result(result)

    def show_result(self, result: ExportResult) -> QMessageBox:
        """A message listing the files written, reading-age warnings and any failures."""
        box = QMessageBox(self.window_)
        box.setObjectName("export-result")
        box.setWindowTitle("Export")
        files = plural(len(result.written), "file")
        if result.errors:
            box.setIcon(QMessageBox.Warning)
            box.setText(f"{files} written; {plural(len(result.errors), 'export')} failed.")
        elif result.cancelled:
            box.setIcon(QMessageBox.Information)
            box.setText(f"Export cancelled after {files}.")
        else:
            box.setIcon(QMessageBox.Information)
            box.setText(f"{files} written to {result.folder}.")
        parts = []
        if result.written:
            parts.append("Written:\n" + "\n".join(f"• {p.name}" for p in result.written))
        if result.warnings:
            parts.append("Reading age to look at (NHS aim: 11 or below):\n"
                         + "\n".join(f"• {w}" for w in result.warnings))
        if result.errors:
            parts.append("Not written:\n" + "\n".join(f"• {e}" for e in result.errors))
        box.setInformativeText("\n\n".join(parts))
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)
        open_button = None
        if result.written:
            open_button = box.addButton("Open folder", QMessageBox.ActionRole)
            open_button.setObjectName("open-folder")
        box.addButton(QMessageBox.Close)

        def clicked(button) -> None:
            if button is open_button:
                self.open_folder(result.folder)

        box.buttonClicked.connect(clicked)
        box.setModal(False)
        box.open()
        self.result_box = box
        return box

    def open_folder(self, folder) -> bool:
        """Show ``folder`` in the file manager; when there is none, say where the files are."""
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        box = QMessageBox(QMessageBox.Warning, "Open folder",
                          "The folder could not be opened: no file manager answered.",
                          QMessageBox.Close, self.window_)
        box.setObjectName("open-folder-failed")
        box.setInformativeText(f"The files are in:\n{folder}")
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.setModal(False)
        box.open()
        self.folder_failed_box = box
        return False


class ExportExtension:
    """File > Export… of one window and its dialog (made on first use, then reused)."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog: ExportDialog | None = None
        action = QAction("&Export…", window)
        action.setObjectName("action-export")
        action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        action.setStatusTip("Write the board specification, Surgery School materials, "
                            "FHIR, BPMN, GraphML or a diagram")
        action.triggered.connect(lambda: self.open())
        self.action = action

    def open(self) -> ExportDialog:
        """Show the export dialog for the window's current document."""
        self.window.commit_pending_edits()   # a value still being typed belongs in the export
        if self.dialog is None:
            self.dialog = ExportDialog(self.window)
        else:
            self.dialog.restore_choices()
        self.dialog.open()
        return self.dialog


def install(window) -> ExportExtension:
    """Add File > Export… to ``window``, above Close (at its ``file_extras_separator``).

    Returns the extension; the window keeps it (nothing is set on the window here).
    """
    extension = ExportExtension(window)
    window.menu_file.insertAction(window.file_extras_separator, extension.action)
    return extension
