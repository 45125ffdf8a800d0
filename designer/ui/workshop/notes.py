"""Sticky notes: the note dialog and the Notes panel (filterable by category, author, text)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
    QWidget,
)

from designer.graph.model import NoteCategory, Pathway
from designer.ui import colours
from designer.ui.workshop.overlay import CATEGORY_NAMES, NOTE_COLOURS
from designer.ui.workshop.panel import WorkshopPanel, add_ok_cancel
from designer.graph.vocabulary import plural

FREE_PLACE = ""   # the "about" value of a note placed anywhere on the canvas


def target_label(pathway: Pathway, target: str | None) -> str:
    """A note's target in words: a step's name, "A → B", or "the canvas"."""
    if not target:
        return "A place on the canvas"
    if "->" in target:
        a, b = target.split("->", 1)
        sa, sb = pathway.step(a), pathway.step(b)
        if sa is None or sb is None:
            return f"{target} (no longer in the pathway)"
        return f"{sa.name} → {sb.name}"
    step = pathway.step(target)
    return step.name if step else f"{target} (step deleted)"


def known_authors(pathway: Pathway) -> list[str]:
    names = list((pathway.workshop.participants if pathway.workshop else []))
    names += [n.author for n in pathway.notes if n.author]
    return list(dict.fromkeys(names))


class NoteDialog(QDialog):
    """Write or edit one note: text, author, category and what it is about."""

    def __init__(self, parent: QWidget | None, pathway: Pathway, *, text: str = "",
                 author: str = "", category: NoteCategory = NoteCategory.idea,
                 target: str | None = None, title: str = "Add a note"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("note-dialog")
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setAccessibleName("Note text")
        self.text_edit.setPlaceholderText("What was said, asked or agreed")
        self.text_edit.setTabChangesFocus(True)
        form.addRow("&Note:", self.text_edit)
        self.author_box = QComboBox()
        self.author_box.setEditable(True)
        self.author_box.addItems(known_authors(pathway))
        self.author_box.setCurrentText(author)
        self.author_box.setAccessibleName("Author")
        form.addRow("&Author:", self.author_box)
        self.category_box = QComboBox()
        self.category_box.setAccessibleName("Category")
        for cat in NoteCategory:
            self.category_box.addItem(CATEGORY_NAMES[cat], cat)
        self.category_box.setCurrentIndex(list(NoteCategory).index(category))
        form.addRow("&Category:", self.category_box)
        self.about_box = QComboBox()
        self.about_box.setAccessibleName("About")
        self.about_box.addItem("A place on the canvas", FREE_PLACE)
        for step in pathway.steps:
            self.about_box.addItem(f"Step: {step.name}", step.id)
        for t in pathway.transitions:
            self.about_box.addItem(f"Link: {target_label(pathway, t.key)}", t.key)
        if target and self.about_box.findData(target) < 0:
            self.about_box.addItem(target_label(pathway, target), target)
        self.about_box.setCurrentIndex(max(0, self.about_box.findData(target or FREE_PLACE)))
        form.addRow("A&bout:", self.about_box)
        self.ok_button = add_ok_cancel(self, form, self.text_edit.textChanged,
                                       lambda: bool(self.text_edit.toPlainText().strip()))

    def values(self) -> dict:
        """The note's fields as entered (``target`` None for a free note)."""
        author = self.author_box.currentText().strip()
        return {"text": self.text_edit.toPlainText().strip(),
                "author": author or None,
                "category": self.category_box.currentData(),
                "target": self.about_box.currentData() or None}


class NotesDock(WorkshopPanel):
    """Lists the notes; filters by category, author and text; add, edit, delete."""

    ALL = "All"

    def __init__(self, tools):
        super().__init__("Workshop notes", tools.window)
        self.setObjectName("workshop-notes-dock")
        self.setAccessibleName("Workshop notes")
        self.tools = tools
        self.pathway: Pathway | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        filters = QHBoxLayout()
        self.category_filter = QComboBox()
        self.category_filter.setAccessibleName("Show category")
        self.category_filter.addItem(self.ALL, None)
        for cat in NoteCategory:
            self.category_filter.addItem(CATEGORY_NAMES[cat], cat)
        self.author_filter = QComboBox()
        self.author_filter.setAccessibleName("Show author")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search notes")
        self.search.setAccessibleName("Search notes")
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.category_filter)
        filters.addWidget(self.author_filter)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Notes")
        self.tree.setHeaderLabels(["Category", "Note", "Author", "About"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnWidth(0, 90)
        self.tree.setColumnWidth(1, 260)
        layout.addWidget(self.tree, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add note…")
        self.edit_button = QPushButton("&Edit…")
        self.delete_button = QPushButton("Delete")
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.add_button.clicked.connect(lambda: tools.add_note())
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button.clicked.connect(self._delete_current)
        self.tree.itemDoubleClicked.connect(lambda *_: self._edit_current())
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemClicked.connect(self._reveal)
        self.category_filter.currentIndexChanged.connect(self.refresh)
        self.author_filter.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)

    # -------------------------------------------------------------- binding

    def _on_event(self, event) -> None:
        if event.kind.startswith(("note-", "step-", "reset", "workshop")) or \
                event.kind == "pathway-changed":
            self.schedule_refresh()

    # -------------------------------------------------------------- listing

    def _fill_authors(self) -> None:
        current = self.author_filter.currentText() or self.ALL
        self.author_filter.blockSignals(True)
        self.author_filter.clear()
        self.author_filter.addItem(self.ALL)
        self.author_filter.addItems(sorted({n.author for n in self.pathway.notes if n.author}))
        index = self.author_filter.findText(current)
        self.author_filter.setCurrentIndex(max(0, index))
        self.author_filter.blockSignals(False)

    def visible_note_ids(self) -> list[str]:
        return [self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self.tree.topLevelItemCount())]

    def refresh(self) -> None:
        if self.pathway is None:
            return
        self._fill_authors()
        keep = self.current_note_id()
        category = self.category_filter.currentData()
        author = self.author_filter.currentText()
        words = self.search.text().strip().lower()
        self.tree.clear()
        shown = 0
        for note in self.pathway.notes:
            about = target_label(self.pathway, note.target)
            if category is not None and note.category != category:
                continue
            if author not in ("", self.ALL) and note.author != author:
                continue
            if words and words not in f"{note.text} {note.author or ''} {about}".lower():
                continue
            row = QTreeWidgetItem([CATEGORY_NAMES[note.category], note.text,
                                   note.author or "", about])
            row.setData(0, Qt.ItemDataRole.UserRole, note.id)
            row.setToolTip(1, note.text)
            if not colours.dark(self.tree.palette()):
                # the pastel tint repeats the category named in words; on a dark or
                # high-contrast palette it would put white text on a light ground
                row.setBackground(0, QBrush(QColor(NOTE_COLOURS[note.category][0])))
            self.tree.addTopLevelItem(row)
            if note.id == keep:
                self.tree.setCurrentItem(row)
            shown += 1
        total = len(self.pathway.notes)
        self.count_label.setText(f"{shown} of {total} notes shown" if shown != total
                                 else plural(total, "note"))
        self._on_current()

    def current_note_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def select_note(self, note_id: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == note_id:
                self.tree.setCurrentItem(item)

    def _on_current(self, *_args) -> None:
        has = self.current_note_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _reveal(self, *_args) -> None:
        """Clicking a note shows what it is about on the canvas."""
        note_id = self.current_note_id()
        if note_id:
            self.tools.reveal_note(note_id)

    def _edit_current(self) -> None:
        note_id = self.current_note_id()
        if note_id:
            self.tools.edit_note(note_id)

    def _delete_current(self) -> None:
        note_id = self.current_note_id()
        if note_id:
            self.tools.delete_note(note_id)
