"""Tools > Library Sources…: the shared folders and git remotes the library reads.

The list and the fetching are Qt-free (:mod:`designer.library.shared`); this
dialog shows them and adds, removes and pulls sources.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)


class SourcesDialog(QDialog):
    """The library's sources: add a shared folder or a git remote, remove, pull."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("library-sources")
        self.setWindowTitle("Library sources")
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Besides the built-in exemplars and your own library, the library reads these "
            "shared folders (e.g. a Teams or SharePoint folder synced by OneDrive) and git "
            "remotes. Each pathway shows where it came from.", self))
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Library sources")
        self.table.setHorizontalHeaderLabels(["Label", "Kind", "Where"])
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.message = QLabel("", self)
        self.message.setObjectName("library-sources-message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        for text, slot in (("Add Shared Folder…", self.ask_folder),
                           ("Add Git Remote…", self.ask_git),
                           ("Remove", self.remove_selected), ("Fetch Git Remotes", self.sync)):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        from designer.library import LibraryError
        from designer.library.shared import load_sources

        try:
            sources = load_sources()
        except LibraryError as exc:
            self.message.setText(str(exc))
            sources = []
        self.table.setRowCount(len(sources))
        for i, source in enumerate(sources):
            for j, text in enumerate((source.label, source.kind, source.location)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def labels(self) -> list[str]:
        return [self.table.item(i, 0).text() for i in range(self.table.rowCount())]

    def _add(self, kind: str, location: str, label: str | None = None) -> bool:
        from designer.library import LibraryError
        from designer.library.shared import FOLDER, add_source, check_shared_folder

        try:
            if kind == FOLDER:
                check_shared_folder(Path(location))
            source = add_source(kind, location, label)
        except LibraryError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(f"Added '{source.label}'.")
        self.refresh()
        return True

    def add_folder(self, folder: str | Path, label: str | None = None) -> bool:
        from designer.library.shared import FOLDER

        return self._add(FOLDER, str(folder), label)

    def add_git(self, url: str, label: str | None = None) -> bool:
        from designer.library.shared import GIT

        added = self._add(GIT, url, label)
        if added:
            self.sync()
        return added

    def ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Shared folder of pathways")
        if folder:
            self.add_folder(folder)

    def ask_git(self) -> None:
        url, ok = QInputDialog.getText(self, "Git remote", "Address of the git repository:")
        if ok and url.strip():
            self.add_git(url.strip())

    def remove_selected(self) -> None:
        from designer.library import LibraryError
        from designer.library.shared import remove_source

        row = self.table.currentRow()
        if row < 0:
            self.message.setText("Choose a source to remove.")
            return
        label = self.table.item(row, 0).text()
        try:
            remove_source(label)
        except LibraryError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"Removed '{label}'.")
        self.refresh()

    def sync(self) -> None:
        from designer.library.shared import shared_library

        _library, problems = shared_library(sync=True)
        self.message.setText("\n".join(problems) if problems else
                             "The git remotes are up to date.")
