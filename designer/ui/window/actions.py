"""The main window's actions, menus and toolbar.

Every command the window offers is a :class:`QAction` here, with a standard
shortcut where the platform has one, so everything is reachable from the
keyboard and from the menus. The handlers live on the window's helpers
(files, clipboard, find bar); this module only wires them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

SK = QKeySequence.StandardKey


class WindowActions:
    """All actions of one main window, by name (``window.actions.save`` ...)."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        w = window
        files, clip = w.files, w.clipboard

        # File
        self.new = self._make("&New", files.new_document, SK.New, None,
                              "Start a new pathway with the six standard lanes")
        self.open = self._make("&Open…", files.open_dialog, SK.Open,
                               None, "Open a pathway file")
        self.save = self._make("&Save", files.save, SK.Save, None,
                               "Save the pathway")
        self.save_as = self._make("Save &As…", files.save_as, SK.SaveAs, None,
                                  "Save the pathway under a new name")
        self.revert = self._make("Re&vert to Saved", files.revert, None, None,
                                 "Throw away unsaved changes and reload the file")
        self.close = self._make("&Close", w.close, SK.Close, None, "Close this window")
        self.quit = self._make("&Quit", w.quit_application, SK.Quit, None,
                               "Close every window and quit")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        if not self.quit.shortcuts():  # some platforms define no standard Quit key
            self.quit.setShortcut(QKeySequence("Ctrl+Q"))

        # Edit (undo and redo follow the active document's stack)
        self.undo = w.undo_group.createUndoAction(w, "&Undo")
        self.undo.setShortcuts(SK.Undo)
        self.redo = w.undo_group.createRedoAction(w, "&Redo")
        # Ctrl+Y as well as the platform's own (Linux has only Ctrl+Shift+Z)
        self.redo.setShortcuts(_with(QKeySequence.keyBindings(SK.Redo), "Ctrl+Y"))
        for action, tip in ((self.undo, "Undo the last edit"), (self.redo, "Redo the edit")):
            action.setStatusTip(tip)
            w.addAction(action)
        self.cut = self._make("Cu&t", clip.cut, SK.Cut, None,
                              "Cut the selected steps to the clipboard")
        self.copy = self._make("&Copy", clip.copy, SK.Copy, None,
                               "Copy the selected steps and the transitions between them")
        self.paste = self._make("&Paste", clip.paste, SK.Paste, None,
                                "Paste steps from the clipboard")
        self.duplicate = self._make("D&uplicate", clip.duplicate, "Ctrl+D", None,
                                    "Duplicate the selected steps")
        self.delete = self._make("&Delete", w.delete_selection, SK.Delete,
                                 None, "Delete the selected steps and transitions")
        self.select_all = self._make("Select &All", clip.select_all, SK.SelectAll, None,
                                     "Select every step")
        self.find = self._make("&Find Step…", w.find_bar.start, SK.Find,
                               None, "Find steps by name")

        # View
        self.zoom_in = self._make("Zoom &In", lambda: w.view.zoom_in(), SK.ZoomIn, None,
                                  "Zoom in")
        self.zoom_out = self._make("Zoom &Out", lambda: w.view.zoom_out(), SK.ZoomOut, None,
                                   "Zoom out")
        self.zoom_reset = self._make("&Actual Size", lambda: w.view.zoom_reset(), "Ctrl+0",
                                     None, "Zoom to 100%")
        self.fit_all = self._make("&Fit Pathway", w.fit_readable, "Ctrl+9", None,
                                  "Show as much of the pathway as stays readable, with the "
                                  "lane names on the left")
        self.fit_whole = self._make("Fit &Whole Pathway", lambda: w.view.fit_all(),
                                    "Ctrl+Shift+9", None,
                                    "Show the whole pathway, however small")
        self.overview = self._make("&Overview Map", lambda: w.view.set_overview_visible(
            self.overview.isChecked()), "Ctrl+Shift+O", None,
            "Show a small map of the whole pathway when it does not fit the window")
        self.overview.setCheckable(True)
        self.overview.setChecked(True)

        # Tools
        self.auto_layout = self._make("&Auto-layout", w.apply_auto_layout, "Ctrl+L", None,
                                      "Arrange the steps by the flow of the pathway "
                                      "(undoable)")
        self.validate = self._make("&Check Pathway Now", w.findings_dock.revalidate_now,
                                   "F5", None, "Run the validation rules again")

        # Help
        self.shortcuts = self._make("&Keyboard Shortcuts", w.show_shortcuts, SK.HelpContents,
                                    None, "List the keyboard shortcuts")
        self.about = self._make("&About", w.show_about, None, None,
                                "About the Perioperative Pathway Designer")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        # line icons in the window's text colour, drawn again when the palette changes
        # (High Contrast, a dark system theme): the style's stock pictures are not
        from designer.ui.window.icons import PaletteIcons

        self.icons = PaletteIcons(w, {"new": self.new, "open": self.open, "save": self.save,
                                      "undo": self.undo, "redo": self.redo,
                                      "delete": self.delete, "find": self.find})

    def _make(self, text: str, slot: Callable[[], object],
              shortcut: "QKeySequence.StandardKey | str | None", icon, tip: str) -> QAction:
        action = QAction(text, self.window)
        if icon is not None:
            action.setIcon(icon)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # shortcuts work even when a menu is hidden
        return action


@dataclass(frozen=True)
class WindowMenus:
    """The menus and the main toolbar :func:`build_menus` makes; the window keeps them
    (``window.menu_file`` ...), and extensions add to them."""

    file: QMenu
    recent: QMenu
    file_extras_separator: QAction   # exports and library go above Close
    edit: QMenu
    view: QMenu
    panels: QMenu                    # View > Panels: each dock's toggle
    tools: QMenu
    workshop: QMenu
    help: QMenu
    toolbar: QToolBar


def build_menus(window: "MainWindow", a: WindowActions) -> WindowMenus:
    """Fill the window's menu bar and add its main toolbar; returns what was made."""
    bar = window.menuBar()
    file = m = bar.addMenu("&File")
    m.addActions([a.new, a.open])
    recent = QMenu("Open &Recent", m)
    recent.aboutToShow.connect(window.files.fill_recent_menu)
    m.addMenu(recent)
    m.addSeparator()
    m.addActions([a.save, a.save_as, a.revert])
    m.addSeparator()
    extras = m.addSeparator()
    m.addActions([a.close, a.quit])

    edit = m = bar.addMenu("&Edit")
    m.addActions([a.undo, a.redo])
    m.addSeparator()
    m.addActions([a.cut, a.copy, a.paste, a.duplicate, a.delete])
    m.addSeparator()
    m.addActions([a.select_all, a.find])

    view = m = bar.addMenu("&View")
    m.addActions([a.zoom_in, a.zoom_out, a.zoom_reset, a.fit_all, a.fit_whole])
    m.addSeparator()
    m.addAction(a.overview)
    m.addAction(window.timeline_dock.critical_path_action)
    m.addSeparator()
    panels = m.addMenu("&Panels")

    tools_menu = bar.addMenu("&Tools")
    tools_menu.addActions([a.auto_layout, a.validate])

    workshop = bar.addMenu("&Workshop")

    help_menu = bar.addMenu("&Help")
    help_menu.addActions([a.shortcuts, a.about])

    tools = QToolBar("Main toolbar", window)
    tools.setObjectName("main-toolbar")
    tools.setAccessibleName("Main toolbar")
    tools.setMovable(False)
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tools.addActions([a.new, a.open, a.save])
    tools.addSeparator()
    tools.addActions([a.undo, a.redo])
    for action in (a.undo, a.redo):
        # "Undo Move 3 steps" changes length with every edit: icon only here, so the
        # buttons after it stay put (the full text is in the tooltip and the Edit menu)
        button = tools.widgetForAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    tools.addSeparator()
    tools.addActions([a.auto_layout, a.fit_all, a.find])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, tools)
    return WindowMenus(file=file, recent=recent, file_extras_separator=extras, edit=edit,
                       view=view, panels=panels, tools=tools_menu, workshop=workshop,
                       help=help_menu, toolbar=tools)


def _with(keys: list[QKeySequence], extra: str) -> list[QKeySequence]:
    extra_key = QKeySequence(extra)
    return keys + ([extra_key] if extra_key not in keys else [])
