"""Tools > Library Sources…, Review Update from Source… and Sync Conflict Copies…

"Review update" shows the clinical diff between the version a local variant
was derived from and the newer source, lists the places where both changed
with a choice each, and applies the three-way merge as one undo step.
The merge itself is Qt-free (:mod:`designer.library.update`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QLabel, QListWidget, QSplitter, QTableWidget,
    QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from designer.graph.model import Pathway
from designer.ui.commands.base import ModelCommand

if TYPE_CHECKING:
    from designer.ui.window.main_window import MainWindow


class ReplacePathwayCommand(ModelCommand):
    """Replace the whole pathway (an update from its source): one undo step."""

    def __init__(self, pathway: Pathway, new: Pathway, text: str) -> None:
        super().__init__(pathway, text)
        self.old = pathway.model_copy(deep=True)
        self.new = new.model_copy(deep=True)

    def _do(self) -> None:
        self.pathway.replace_with(self.new)

    def _undo(self) -> None:
        self.pathway.replace_with(self.old)


class UpdateReviewDialog(QDialog):
    """What changed in the source, where both changed (a choice each), Apply."""

    def __init__(self, window: "MainWindow", update, base: Pathway | None, theirs: Pathway
                 ) -> None:
        from designer.graph.diff import diff_pathways
        from designer.library.update import OURS, three_way_merge

        super().__init__(window)
        self.window_ = window
        self.update_ = update
        self.base, self.theirs = base, theirs
        self.setObjectName("update-review")
        self.setWindowTitle("Review update from the source")
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(update.describe(), self))
        self.diff_text = QTextBrowser(self)
        self.diff_text.setAccessibleName("What changed in the source")
        if base is not None:
            self.diff_text.setMarkdown(diff_pathways(base, theirs).to_markdown())
        else:
            self.diff_text.setPlainText(
                f"The version {update.from_version} this pathway was derived from was not "
                "found, so every difference is listed below as changed on both sides.")
        # a first merge, keeping ours everywhere, finds the places where both changed
        self.preview = three_way_merge(base, window.document.pathway, theirs,
                                       lambda c: OURS)
        self.table = QTableWidget(len(self.preview.conflicts), 2, self)
        self.table.setObjectName("update-conflicts")
        self.table.setAccessibleName("Where both changed")
        self.table.setHorizontalHeaderLabels(["Where both changed", "Keep"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 660)
        self.choices: list[QComboBox] = []
        for row, conflict in enumerate(self.preview.conflicts):
            item = QTableWidgetItem(conflict.describe())
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            combo = QComboBox(self.table)
            combo.addItem("Ours (local)", "ours")
            combo.addItem("Theirs (source)", "theirs")
            combo.setAccessibleName(f"Keep for {conflict.describe()}")
            self.table.setCellWidget(row, 1, combo)
            self.choices.append(combo)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.diff_text)
        split.addWidget(self.table)
        layout.addWidget(split)
        summary = (f"{len(self.preview.taken)} change(s) come in from the source; "
                   f"{len(self.preview.conflicts)} place(s) where both changed.")
        layout.addWidget(QLabel(summary, self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = buttons.addButton("Apply update",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def set_choice(self, row: int, choice: str) -> None:
        combo = self.choices[row]
        combo.setCurrentIndex(combo.findData(choice))

    def apply(self) -> None:
        from designer.library.update import three_way_merge

        chosen = {(c.area, c.key, c.field): combo.currentData()
                  for c, combo in zip(self.preview.conflicts, self.choices)}
        result = three_way_merge(self.base, self.window_.document.pathway, self.theirs,
                                 lambda c: chosen.get((c.area, c.key, c.field), "ours"))
        doc = self.window_.document
        doc.undo_stack.push(ReplacePathwayCommand(
            doc.pathway, result.merged,
            f"Update from {self.update_.source.id} {self.update_.to_version}"))
        self.window_.statusBar().showMessage(
            f"Updated from {self.update_.source.title} {self.update_.to_version}; "
            "Undo reverses it.", 8000)
        self.accept()


def review_update(window: "MainWindow") -> UpdateReviewDialog | None:
    """Open the review of the newer source version, or say that there is none."""
    from designer.library import LibraryError
    from designer.library.shared import GIT, git_checkout, library_for_browsing, load_sources
    from designer.library.update import find_base, update_for

    pathway = window.document.pathway
    if pathway.derived_from is None:
        window.statusBar().showMessage(
            "This pathway was not made from a library pathway: there is no source to "
            "update from.", 8000)
        return None
    library, _problems = library_for_browsing()
    update = update_for(pathway, library)
    if update is None:
        window.statusBar().showMessage(
            f"Up to date with {pathway.derived_from.id} {pathway.derived_from.version}.", 8000)
        return None
    try:
        theirs = library.load(update.source)
        sources = load_sources()
    except LibraryError as exc:
        window.statusBar().showMessage(str(exc), 10000)
        return None
    git_folders = [git_checkout(s) for s in sources if s.kind == GIT]
    base = find_base(pathway.derived_from.id, pathway.derived_from.version, library,
                     git_folders)
    dialog = UpdateReviewDialog(window, update, base, theirs)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.extension("library-update").update_review = dialog
    dialog.open()
    return dialog


class ConflictCopiesDialog(QDialog):
    """Copies a sync service kept when two people saved at once, and how they differ."""

    def __init__(self, conflicts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflicts = conflicts
        self.setObjectName("conflict-copies")
        self.setWindowTitle("Sync conflict copies")
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Conflict copies")
        for conflict in conflicts:
            self.list.addItem(f"{conflict.copy.path.name}  (copy of "
                              f"{conflict.original.path.name}, {conflict.copy.origin})")
        self.diff_text = QTextBrowser(self)
        self.diff_text.setAccessibleName("Differences from the original to the copy")
        layout.addWidget(QLabel(
            "A sync service (OneDrive, SharePoint) kept both versions when two people "
            "saved at once. Compare each copy with the original, keep the right one and "
            "delete the other." if conflicts else "No sync conflict copies.", self))
        layout.addWidget(self.list)
        layout.addWidget(self.diff_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self.compare)
        if conflicts:
            self.list.setCurrentRow(0)

    def compare(self, row: int) -> None:
        from designer.library.shared import compare_conflict

        if not 0 <= row < len(self.conflicts):
            return
        try:
            self.diff_text.setMarkdown(compare_conflict(self.conflicts[row]).to_markdown())
        except Exception as exc:  # noqa: BLE001 - an unreadable copy: say so
            self.diff_text.setPlainText(f"Cannot compare: {exc}")


def show_conflict_copies(window: "MainWindow") -> ConflictCopiesDialog:
    from designer.library.shared import find_conflict_copies, library_for_browsing

    library, _problems = library_for_browsing()
    dialog = ConflictCopiesDialog(find_conflict_copies(library), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.extension("library-update").conflict_copies = dialog
    dialog.show()
    return dialog


def show_sources(window: "MainWindow"):
    from designer.ui.library.sources import SourcesDialog

    dialog = SourcesDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.extension("library-update").sources_dialog = dialog
    dialog.show()
    return dialog


class LibraryUpdateExtension:
    """The Tools menu's library items and the dialogs they last opened."""

    def __init__(self, actions: dict) -> None:
        self.actions = actions
        self.update_review = None
        self.conflict_copies = None
        self.sources_dialog = None


def install(window: "MainWindow") -> LibraryUpdateExtension:
    """Add the three items to the Tools menu."""
    review = QAction("Review &Update from Source…", window)
    review.setObjectName("action-review-update")
    review.setStatusTip("Bring the newer version of the pathway this one was made from "
                        "into it, asking where both changed")
    review.triggered.connect(lambda _c=False: review_update(window))
    conflicts = QAction("Sync &Conflict Copies…", window)
    conflicts.setObjectName("action-conflict-copies")
    conflicts.setStatusTip("Find copies a sync service kept when two people saved at once")
    conflicts.triggered.connect(lambda _c=False: show_conflict_copies(window))
    sources = QAction("Library &Sources…", window)
    sources.setObjectName("action-library-sources")
    sources.setStatusTip("Shared folders and git remotes the library reads")
    sources.triggered.connect(lambda _c=False: show_sources(window))
    window.menu_tools.addSeparator()
    window.menu_tools.addActions([sources, review, conflicts])
    return LibraryUpdateExtension({"review": review, "conflicts": conflicts, "sources": sources})
