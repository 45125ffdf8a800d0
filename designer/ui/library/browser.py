"""The library browser: find an exemplar pathway, preview it, start a local copy.

``install(window)`` adds File > New from Template…, File > Save to My Library…,
Tools > Pathway Library… and a "blank or from template" drop-down on the toolbar's
New button. The browser itself is a dialog with a search box, specialty and tag
filters, the list of pathways, and a preview (diagram thumbnail when the diagram
renderer can draw it, summary, population and the evidence behind the pathway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListView,
    QListWidget, QListWidgetItem, QMenu, QMessageBox, QPushButton, QScrollArea, QSplitter,
    QTextBrowser, QToolButton, QVBoxLayout, QWidget,
)

from designer.library import (
    BUILTIN,
    Library,
    LibraryEntry,
    LibraryError,
    save_to_user_library,
)
from designer.ui.library.preview import (
    SUBTITLE_ROLE,
    EntryDelegate,
    Preview,
    load_preview,
    preview_html,
)
from designer.graph.vocabulary import STATUS_LABELS, Status

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.host import WindowHost

ALL_SPECIALTIES = "All specialties"
ALL_TAGS = "All tags"
THUMB_HEIGHT = 220
ENTRY_ROLE = Qt.ItemDataRole.UserRole


# ----------------------------------------------------------------- window actions


def open_as_untitled(window: "WindowHost", pathway) -> bool:
    """Show ``pathway`` in ``window`` as a new untitled document.

    Asks about unsaved changes first; returns False when the user cancels.
    """
    from designer.graph.blank import place_unpositioned_steps
    from designer.ui.editing.document import Document

    if not window.files.maybe_save():
        return False
    place_unpositioned_steps(pathway)
    window.set_document(Document(pathway, None))
    window.statusBar().showMessage(
        f"New pathway from the “{pathway.derived_from.id if pathway.derived_from else ''}” "
        "template: save it to keep it", 6000)
    return True


def _save_in_writer(pathway, overwrite: bool = False):
    """:func:`save_to_user_library` of a snapshot of ``pathway``, written by the background
    writer while the window keeps painting (as File > Save): serialising a big pathway
    on the GUI thread froze the window for seconds. Raises what it raises."""
    from designer.ui.editing import writer

    snapshot = pathway.snapshot()
    job = writer.submit(lambda: save_to_user_library(snapshot, overwrite=overwrite))
    writer.wait(job)
    if job.error is not None:
        raise job.error
    return job.result


def save_current_to_library(window: "WindowHost", parent: QWidget | None = None):
    """Save the window's pathway into the user's library; returns the file or None."""
    parent = parent or window
    pathway = window.document.pathway
    try:
        return _save_in_writer(pathway)
    except LibraryError as exc:
        if "already has" not in str(exc):
            _message(parent, QMessageBox.Icon.Warning, "Cannot save to your library", str(exc))
            return None
    box = QMessageBox(QMessageBox.Icon.Question, "Replace library pathway",
                      f"Your library already holds a pathway with the id “{pathway.id}”.",
                      QMessageBox.StandardButton.Cancel, parent)
    replace = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
    box.setInformativeText("Replace it with this version? To keep both, change the id in "
                           "the pathway's properties first.")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setObjectName("replace-library-pathway")
    box.exec()
    if box.clickedButton() is not replace:
        return None
    try:
        return _save_in_writer(pathway, overwrite=True)
    except LibraryError as exc:
        _message(parent, QMessageBox.Icon.Warning, "Cannot save to your library", str(exc))
        return None


def _message(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("library-message")
    box.exec()


# --------------------------------------------------------------------- the dialog


class LibraryBrowser(QDialog):
    """Browse the exemplar library and the user's own pathways.

    Parameters
    ----------
    window
        The main window that receives a new pathway made from a template.
    library
        The library to show (tests pass one on temporary folders); the built-in
        exemplars plus the user's library when None.
    """

    def __init__(self, window: "WindowHost", library: Library | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("library-browser")
        self.setWindowTitle("Pathway library")
        self.setAccessibleName("Pathway library")
        self.resize(1100, 720)
        if library is None:
            from designer.library.shared import library_for_browsing
            library, self.source_problems = library_for_browsing()
        self.library = library
        self._previews: dict[tuple[str, int], Preview] = {}
        self._thumb_source: QPixmap | None = None

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("library-search")
        self.search_box.setPlaceholderText("Search title, summary, population or tags")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search the library")
        self.specialty_box = QComboBox(self)
        self.specialty_box.setObjectName("library-specialty")
        self.specialty_box.setAccessibleName("Filter by specialty")
        self.tag_box = QComboBox(self)
        self.tag_box.setObjectName("library-tag")
        self.tag_box.setAccessibleName("Filter by tag")

        self.list = QListWidget(self)
        self.list.setObjectName("library-list")
        self.list.setAccessibleName("Library pathways")
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setItemDelegate(EntryDelegate(self.list))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("library-count")
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("library-problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #8a4b00;")

        self.thumbnail = QLabel(self)
        self.thumbnail.setObjectName("library-thumbnail")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setStyleSheet("background: white; border: 1px solid #c8ccd0;")
        self.details = QTextBrowser(self)
        self.details.setObjectName("library-preview")
        self.details.setAccessibleName("Pathway preview")
        self.details.setOpenExternalLinks(True)

        self.new_button = QPushButton("New from Template", self)
        self.new_button.setObjectName("library-new-from-template")
        self.new_button.setToolTip("Open an editable copy of the selected pathway "
                                   "(the copy remembers which exemplar it came from)")
        self.new_button.setDefault(True)
        self.save_button = QPushButton("Save Current Pathway to My Library", self)
        self.save_button.setObjectName("library-save-current")
        self.save_button.setToolTip("Keep a copy of the pathway you are editing in your "
                                    "own library")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        self._build_layout()
        self.search_box.textChanged.connect(self._refilter)
        self.specialty_box.currentIndexChanged.connect(self._refilter)
        self.tag_box.currentIndexChanged.connect(self._refilter)
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemDoubleClicked.connect(lambda _item: self.new_from_template())
        self.new_button.clicked.connect(self.new_from_template)
        self.save_button.clicked.connect(self.save_current)
        self._fill_filters()
        self._refilter()
        self.search_box.setFocus()

    def _build_layout(self) -> None:
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search_box)
        filters = QHBoxLayout()
        filters.addWidget(self.specialty_box, 1)
        filters.addWidget(self.tag_box, 1)
        lv.addLayout(filters)
        lv.addWidget(self.list, 1)
        lv.addWidget(self.count_label)
        lv.addWidget(self.problems_label)

        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidget(self.thumbnail)
        scroll.setWidgetResizable(True)
        scroll.setFixedHeight(THUMB_HEIGHT + 8)
        # the picture is scaled to fit, so scroll bars would only steal its width
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName("Diagram thumbnail")
        self.thumb_scroll = scroll
        scroll.viewport().installEventFilter(self)
        rv.addWidget(scroll)
        rv.addWidget(self.details, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([400, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

    # ---------------------------------------------------------------- filtering

    def _fill_filters(self) -> None:
        for box, first, values in ((self.specialty_box, ALL_SPECIALTIES,
                                    self.library.specialties()),
                                   (self.tag_box, ALL_TAGS, self.library.tags())):
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItem(first)
            box.addItems(values)
            index = box.findText(current)
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)

    def _filter_value(self, box: QComboBox) -> str | None:
        return box.currentText() if box.currentIndex() > 0 else None

    def visible_entries(self) -> list[LibraryEntry]:
        """The entries listed now, in list order."""
        return [self.list.item(i).data(ENTRY_ROLE) for i in range(self.list.count())]

    def _refilter(self, *_args) -> None:
        from designer.library.update import newer_source_version

        selected = self.current_entry()
        found = self.library.search(self.search_box.text(),
                                    self._filter_value(self.specialty_box),
                                    self._filter_value(self.tag_box))
        self.list.blockSignals(True)
        self.list.clear()
        for entry in found:
            item = QListWidgetItem(entry.title)
            item.setData(ENTRY_ROLE, entry)
            newer = newer_source_version(entry, self.library)
            update = f"  ·  update available: v{newer}" if newer else ""
            item.setData(SUBTITLE_ROLE, self._subtitle(entry) + update)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, self._item_text(entry) + update)
            item.setToolTip(entry.summary or entry.title)
            self.list.addItem(item)
        self.list.blockSignals(False)
        total = len(self.library.entries)
        self.count_label.setText(f"{len(found)} of {total} pathways")
        problems = self.library.problems
        self.problems_label.setVisible(bool(problems))
        if problems:
            self.problems_label.setText(
                f"{len(problems)} file(s) in the library could not be read "
                "(hover for details).")
            self.problems_label.setToolTip("\n\n".join(p.message for p in problems))
        row = next((i for i, e in enumerate(found) if selected and e.path == selected.path), 0)
        if found:
            self.list.setCurrentRow(row)
        self._show_current()

    @staticmethod
    def _subtitle(entry: LibraryEntry) -> str:
        where = entry.organisation or (STATUS_LABELS[Status.exemplar] if entry.origin == BUILTIN else "")
        origin = "" if entry.origin == BUILTIN else f"  ·  {entry.origin}"
        detail = " · ".join(x for x in (where, ", ".join(entry.specialties)) if x)
        state = " ".join(x for x in (entry.status if entry.origin != BUILTIN else "",
                                     f"v{entry.version}" if entry.version else "") if x)
        return f"{detail}{origin}" + (f"  ·  {state}" if state else "")

    @classmethod
    def _item_text(cls, entry: LibraryEntry) -> str:
        return f"{entry.title}\n{cls._subtitle(entry)}"

    def current_entry(self) -> LibraryEntry | None:
        item = self.list.currentItem()
        return item.data(ENTRY_ROLE) if item is not None else None

    def select_id(self, pathway_id: str) -> bool:
        """Make the entry with this id current; False when it is not listed."""
        for i, entry in enumerate(self.visible_entries()):
            if entry.id == pathway_id:
                self.list.setCurrentRow(i)
                return True
        return False

    # ------------------------------------------------------------------ preview

    def _show_current(self, *_args) -> None:
        entry = self.current_entry()
        self.new_button.setEnabled(entry is not None)
        if entry is None:
            self.thumbnail.clear()
            self.thumbnail.setText("")
            self.details.setHtml(
                "<p>No pathway matches. Clear the search or choose "
                f"“{ALL_SPECIALTIES}” and “{ALL_TAGS}”.</p>")
            return
        preview = self._preview(entry)
        self.new_button.setEnabled(preview.error is None)
        self.details.setHtml(preview_html(entry, preview.size, preview.error))
        self._thumb_source = preview.picture
        self._fit_thumbnail()

    def _fit_thumbnail(self) -> None:
        """Scale the diagram to the preview's width (long pathways are wide and low)."""
        source = self._thumb_source
        if source is None:
            self.thumbnail.setPixmap(QPixmap())
            self.thumbnail.setText("Diagram preview not available")
            self.thumb_scroll.setFixedHeight(48)
            return
        width = max(120, self.thumb_scroll.viewport().width() - 8)
        scaled = source.scaled(QSize(width, THUMB_HEIGHT), Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        self.thumbnail.setPixmap(scaled)
        self.thumb_scroll.setFixedHeight(max(60, scaled.height() + 12))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        # the preview area gets its real width only once laid out: rescale then
        if watched is self.thumb_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_thumbnail()
        return super().eventFilter(watched, event)

    def _preview(self, entry: LibraryEntry) -> Preview:
        try:
            key = (str(entry.path), entry.path.stat().st_mtime_ns)
        except OSError as exc:
            return Preview(None, None, f"{entry.path.name} cannot be read "
                                        f"({exc.strerror or exc}).")
        if key not in self._previews:
            self._previews[key] = load_preview(self.library, entry)
        return self._previews[key]

    # ------------------------------------------------------------------ actions

    def new_from_template(self) -> bool:
        """Open an untitled copy of the selected pathway in the window, then close."""
        entry = self.current_entry()
        if entry is None:
            return False
        try:
            pathway = self.library.new_from_template(entry)
        except LibraryError as exc:
            _message(self, QMessageBox.Icon.Warning, "Cannot use this template", str(exc))
            return False
        if not open_as_untitled(self.window_, pathway):
            return False
        self.accept()
        return True

    def save_current(self) -> None:
        """Save the window's pathway to the user's library and show it in the list."""
        saved = save_current_to_library(self.window_, self)
        if saved is None:
            return
        self.library.refresh()
        self._fill_filters()
        self.search_box.clear()
        self._refilter()
        self.select_id(self.window_.document.pathway.id)
        self.window_.statusBar().showMessage(f"Saved to your library: {saved}", 6000)


# ------------------------------------------------------------------- installation


class LibraryExtension:
    """The library's menu items for one window and its browser (made on first use)."""

    def __init__(self, window) -> None:
        self.window = window
        self.browser: LibraryBrowser | None = None
        self.actions: dict[str, QAction] = {}

    def open_browser(self) -> LibraryBrowser:
        """Show the library browser (one per window, reused)."""
        browser = self.browser
        if browser is None:
            browser = self.browser = LibraryBrowser(self.window)
        else:
            browser.library.refresh()
            browser._fill_filters()
            browser._refilter()
        browser.show()
        browser.raise_()
        browser.activateWindow()
        return browser

    def save_from_menu(self) -> None:
        saved = save_current_to_library(self.window)
        if saved is not None:
            self.window.statusBar().showMessage(f"Saved to your library: {saved}", 6000)
            if self.browser is not None:
                QTimer.singleShot(0, self.browser.library.refresh)


def install(window: "WindowHost") -> LibraryExtension:
    """Add the library's menu items and the New button's drop-down to ``window``.

    Returns the extension; the window keeps it (nothing is set on the window here).
    """
    extension = LibraryExtension(window)
    new_template = QAction("New from &Template…", window)
    new_template.setObjectName("action-new-from-template")
    new_template.setShortcut(QKeySequence("Ctrl+Shift+N"))
    new_template.setStatusTip("Start a new pathway from an exemplar in the library")
    new_template.triggered.connect(lambda _c=False: extension.open_browser())
    save_library = QAction("Save to My &Library…", window)
    save_library.setObjectName("action-save-to-library")
    save_library.setStatusTip("Keep a copy of this pathway in your own library")
    save_library.triggered.connect(lambda _c=False: extension.save_from_menu())
    browse = QAction("Pathway &Library…", window)
    browse.setObjectName("action-pathway-library")
    browse.setStatusTip("Browse the exemplar pathways and your own library")
    browse.triggered.connect(lambda _c=False: extension.open_browser())
    for action in (new_template, save_library, browse):
        window.addAction(action)
    extension.actions = {"new_from_template": new_template,
                         "save_to_library": save_library, "browse": browse}

    # New from Template… goes just below New; Save to My Library… above Close
    menu = window.menu_file
    file_actions = menu.actions()
    index = file_actions.index(window.act.new)
    after_new = file_actions[index + 1] if index + 1 < len(file_actions) else None
    menu.insertAction(after_new, new_template) if after_new else menu.addAction(new_template)
    menu.insertAction(window.file_extras_separator, save_library)
    window.menu_tools.addSeparator()
    window.menu_tools.addAction(browse)
    _add_new_button_menu(window, new_template)
    return extension


def _add_new_button_menu(window: "WindowHost", new_template: QAction) -> None:
    """File > New offers blank or from template: a drop-down on the toolbar's New button."""
    actions = window.act
    button = window.toolbar.widgetForAction(actions.new)
    if not isinstance(button, QToolButton):
        return
    menu = QMenu(button)
    menu.setObjectName("new-pathway-menu")
    blank = menu.addAction("Blank Pathway")
    blank.setStatusTip("Start a new pathway with the six standard lanes")
    blank.triggered.connect(lambda _c=False: actions.new.trigger())
    from designer.ui.menu_mirror import mirror

    menu.addAction(mirror(new_template, menu))   # the File menu has the original
    button.setMenu(menu)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
