"""The designer's main window: the canvas in the middle, panels docked around it.

The window holds one :class:`~designer.ui.editing.document.Document` at a time. Opening
or starting a pathway builds a fresh scene and view for it and emits
``document_changed``; panels and extensions rebind to ``window.document`` then.
Other parts of the product add their menus and docks through ``install(window)``.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPalette, QUndoGroup
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox, QStyle, QToolBar,
    QUndoView, QVBoxLayout, QWidget,
)

from designer import paths

# Only Qt above: the window's frame can be shown before the model, the panels and
# the extensions are imported (see MainWindow(opening=...) and finish_opening).
if TYPE_CHECKING:  # pragma: no cover
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from designer.ui.editing.document import Document

APP_TITLE = paths.APP_NAME


def user_settings() -> QSettings:
    """The user's settings: one ini file in the folder :mod:`designer.paths` names."""
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)
READABLE_ZOOM = 0.6   # below this step names are hard to read
#: the start-up frame's menu titles and panels (title, object name), as the editor has them
FRAME_MENUS = ("&File", "&Edit", "&View", "&Tools", "&Workshop", "&Simulation", "&Help")
FRAME_DOCKS = (("Palette", "palette-dock"), ("Properties", "properties-dock"),
               ("Undo history", "undo-dock"), ("Findings", "findings-dock"),
               ("Timeline", "timeline-dock"))
OPENING_ZOOM = 0.8
DockArea = Qt.DockWidgetArea


class MainWindow(QMainWindow):
    """One designer window editing one document.

    Parameters
    ----------
    document:
        The document to show; a new untitled pathway when None.
    settings:
        Where recent files and the window layout are kept (tests pass a
        QSettings on a temporary ini file).
    """

    document_changed = Signal()
    findings_updated = Signal(object)

    # the menu bar and the main toolbar (built by actions.build_menus; extensions add to
    # them through the WindowHost protocol)
    menu_file: QMenu
    menu_recent: QMenu
    file_extras_separator: QAction
    menu_edit: QMenu
    menu_view: QMenu
    menu_panels: QMenu
    menu_tools: QMenu
    menu_workshop: QMenu
    menu_help: QMenu
    toolbar: QToolBar

    def __init__(self, document: Document | None = None, settings: QSettings | None = None,
                 parent: QWidget | None = None, *, opening: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designer-main-window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.settings = settings if settings is not None else user_settings()
        self.findings_report = None
        self.undo_group = QUndoGroup(self)
        self.document: Document | None = None
        self.scene = None
        self.view = None
        self._extensions: dict[str, object] = {}
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_readable)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.resize(1600, 1000)

        # central area: the canvas with the find bar above it
        self._centre = QWidget(self)
        self._centre_layout = QVBoxLayout(self._centre)
        self._centre_layout.setContentsMargins(0, 0, 0, 0)
        self._centre_layout.setSpacing(0)
        self.setCentralWidget(self._centre)

        self._frame: list[QWidget] | None = None
        if opening is not None:
            self._show_frame(opening)   # finish_opening() builds the rest
        else:
            self._build(document)

    @property
    def ready(self) -> bool:
        """True once the editor is built (False only while start-up shows the frame)."""
        return self.document is not None

    def _build(self, document: Document | None, frame_state=None, scene=None) -> None:
        """Everything that edits: panels, menus and toolbar, the document, extensions.

        ``frame_state`` is the start-up frame's layout: the panels take its places;
        ``scene`` the document's canvas when it was built beforehand.
        """
        from designer.ui.editing.context import EditorContext
        from designer.ui.editing.document import Document
        from designer.ui.panels.findings import FindingsDock
        from designer.ui.panels.properties.panel import PropertiesDock
        from designer.ui.panels.timeline import TimelineDock
        from designer.ui.window.actions import WindowActions, build_menus
        from designer.ui.window.clipboard import ClipboardCommands
        from designer.ui.window.files import FileCommands
        from designer.ui.window.find_bar import FindBar

        # what panels get instead of the window: the document, canvas, edit API,
        # live checks and the status bar
        self.context = EditorContext(self, lambda message, ms: self.statusBar().showMessage(
            message, ms))
        self.editor = self.context.editor
        self.checks = self.context.checks

        self.files = FileCommands(self)
        self.clipboard = ClipboardCommands(self)
        self.find_bar = FindBar(self)
        self._centre_layout.addWidget(self.find_bar)

        self.properties_dock = PropertiesDock(self.context, self)
        self.findings_dock = FindingsDock(self.context, self)
        self.timeline_dock = TimelineDock(self.context, self)
        self.checks.checked.connect(self._on_checked)   # after the panels: they show first
        from designer.ui.canvas.overlays import prepare_badges
        self.checks.add_preparer("badges", prepare_badges)   # the canvas's, in the worker
        self.undo_view = QUndoView(self.undo_group)
        self.undo_view.setEmptyLabel("No changes yet")
        self.undo_view.setAccessibleName("Undo history")
        self.undo_dock = self._wrap_dock("Undo history", "undo-dock", self.undo_view)
        self.palette_dock = self._make_palette_dock()

        self.act = WindowActions(self)
        menus = build_menus(self, self.act)
        self.menu_file, self.menu_recent = menus.file, menus.recent
        self.file_extras_separator = menus.file_extras_separator
        self.menu_edit, self.menu_view, self.menu_panels = menus.edit, menus.view, menus.panels
        self.menu_tools, self.menu_workshop = menus.tools, menus.workshop
        self.menu_help, self.toolbar = menus.help, menus.toolbar
        self._place_docks()
        if frame_state is not None:
            # docks added to a window already on screen share its space out otherwise
            self.restoreState(frame_state)
        self._build_status_bar()

        self.set_document(document if document is not None else Document.new_untitled(),
                          scene=scene)
        self._install_extensions()
        # after every toolbar and dock exists (the saved state names them)
        from designer.ui.window.layout import WindowLayout
        self.layout_keeper = WindowLayout(self)
        from designer.ui.window.focus import no_tab_traps
        no_tab_traps(self)
        self._restore_layout()

    # ------------------------------------------------------------ start-up frame

    def _show_frame(self, opening: str) -> None:
        """What start-up shows while the editor loads: the menu bar, the toolbar's row,
        each panel's frame where it will be, an empty canvas and "Opening …".

        Only Qt is needed for it, so it is on screen long before the model and the
        panels are imported. Nothing in it works, and nothing needs to: the event
        loop is busy until :meth:`finish_opening` replaces it, in one go and before
        the next paint, with the real thing in the same places.
        """
        bar = self.menuBar()
        for title in FRAME_MENUS:
            bar.addMenu(title)
        tools = QToolBar("Main toolbar", self)
        tools.setObjectName("main-toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        icon, pixmap = self.style().standardIcon, QStyle.StandardPixmap
        for text, kind in (("New", pixmap.SP_FileIcon), ("Open", pixmap.SP_DialogOpenButton),
                           ("Save", pixmap.SP_DialogSaveButton)):
            tools.addAction(icon(kind), text).setEnabled(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tools)
        canvas = QWidget(self._centre)
        canvas.setObjectName("opening-canvas")
        canvas.setAutoFillBackground(True)
        canvas.setBackgroundRole(QPalette.ColorRole.Base)
        self._centre_layout.addWidget(canvas, 1)
        docks = {name: QDockWidget(title, self) for title, name in FRAME_DOCKS}
        for name, dock in docks.items():
            dock.setObjectName(name)
            dock.setWidget(QWidget(dock))
        self._arrange_docks(docks["palette-dock"], docks["properties-dock"],
                            docks["undo-dock"], docks["findings-dock"],
                            docks["timeline-dock"])
        from designer.ui.window.layout import GEOMETRY_KEY, STATE_KEY

        geometry, state = (self.settings.value(GEOMETRY_KEY), self.settings.value(STATE_KEY))
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        from designer.ui.window import contrast

        if contrast.wanted(self.settings):   # the editor's colours from the first frame
            self.setPalette(contrast.high_contrast_palette())
            self.setStyleSheet(contrast.STYLE_SHEET)
        self.statusBar().showMessage(f"Opening {opening}…" if opening else "Starting…")
        self.setWindowTitle(f"{opening} — {APP_TITLE}" if opening else APP_TITLE)
        self._frame = [tools, canvas, *docks.values()]

    def finish_opening(self, document: Document | None, scene=None) -> None:
        """Replace the start-up frame with the editor on ``document`` (new when None),
        showing ``scene`` as its canvas when it was built beforehand."""
        frame, self._frame = self._frame or [], None
        frame_state = self.saveState()
        self.setUpdatesEnabled(False)    # one paint: the frame, then the finished window
        try:
            self.menuBar().clear()
            for part in frame:
                if isinstance(part, QDockWidget):
                    self.removeDockWidget(part)
                elif isinstance(part, QToolBar):
                    self.removeToolBar(part)
                else:
                    self._centre_layout.removeWidget(part)
                part.setObjectName("")   # the real parts take the names (and places)
                part.hide()
                part.deleteLater()
            self.statusBar().clearMessage()
            self._build(document, frame_state, scene)
        finally:
            self.setUpdatesEnabled(True)

    # ------------------------------------------------------------------- docks

    def _wrap_dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        return dock

    def _make_palette_dock(self) -> QDockWidget:
        from designer.ui.panels.palette import PaletteWidget

        widget = PaletteWidget(self)
        widget.setAccessibleName("Step palette")
        # Enter on a palette entry adds that step without a mouse drag
        widget.step_requested.connect(
            lambda payload: self.scene is not None and self.scene.add_step_from_palette(payload))
        return self._wrap_dock("Palette", "palette-dock", widget)

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea = DockArea.RightDockWidgetArea
                 ) -> None:
        """Add a panel and list it under View > Panels."""
        if not dock.objectName():
            dock.setObjectName(dock.windowTitle().lower().replace(" ", "-") or "dock")
        self.addDockWidget(area, dock)
        self.menu_panels.addAction(dock.toggleViewAction())

    def _place_docks(self) -> None:
        for dock in (self.palette_dock, self.properties_dock, self.undo_dock,
                     self.findings_dock, self.timeline_dock):
            self.menu_panels.addAction(dock.toggleViewAction())
        self._arrange_docks(self.palette_dock, self.properties_dock, self.undo_dock,
                            self.findings_dock, self.timeline_dock)

    def _arrange_docks(self, palette: QDockWidget, properties: QDockWidget,
                       undo: QDockWidget, findings: QDockWidget, timeline: QDockWidget
                       ) -> None:
        """The panels where a new installation has them (the start-up frame too)."""
        self.addDockWidget(DockArea.LeftDockWidgetArea, palette)
        self.addDockWidget(DockArea.RightDockWidgetArea, properties)
        self.addDockWidget(DockArea.RightDockWidgetArea, undo)
        self.tabifyDockWidget(properties, undo)
        properties.raise_()
        self.addDockWidget(DockArea.BottomDockWidgetArea, findings)
        self.addDockWidget(DockArea.BottomDockWidgetArea, timeline)
        self.splitDockWidget(findings, timeline, Qt.Orientation.Horizontal)
        self.resizeDocks([properties], [400], Qt.Orientation.Horizontal)
        self.resizeDocks([palette], [250], Qt.Orientation.Horizontal)
        self.resizeDocks([findings], [240], Qt.Orientation.Vertical)
        self.resizeDocks([findings, timeline], [1000, 600], Qt.Orientation.Horizontal)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.findings_label = QLabel("Checking…")
        self.findings_label.setAccessibleName("Findings summary")
        self.findings_label.setObjectName("findings-summary")
        self.zoom_label = QLabel("100%")
        self.zoom_label.setAccessibleName("Zoom level")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.counts_label = QLabel("")
        self.counts_label.setAccessibleName("Size of the pathway")
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.findings_label)
        bar.addPermanentWidget(self.zoom_label)

    def _install_extensions(self) -> None:
        from designer.ui.window import canvas_commands, contrast, export_dialog
        from designer.ui.library import browser as library_browser
        from designer.ui import sim, workshop
        from designer.ui.window import import_file, library_update_dialog

        for name, module in (("library", library_browser), ("export", export_dialog),
                             ("workshop", workshop), ("simulation", sim),
                             ("import", import_file), ("library-update", library_update_dialog),
                             ("canvas", canvas_commands), ("contrast", contrast)):
            self._extensions[name] = module.install(self)

    def extension(self, name: str):
        """The installed extension ``name`` (library, export, workshop, simulation), or None."""
        return self._extensions.get(name)

    @property
    def workshop(self):
        return self.extension("workshop")

    @property
    def simulation(self):
        return self.extension("simulation")

    @property
    def export_action(self):
        return self.extension("export").action

    @property
    def export_dialog(self):
        return self.extension("export").dialog

    @property
    def library_actions(self) -> dict:
        return self.extension("library").actions

    @property
    def library_browser(self):
        return self.extension("library").browser

    # ---------------------------------------------------------------- document

    def set_document(self, document: Document, scene=None) -> None:
        """Show ``document`` here (the caller has dealt with unsaved changes).

        ``scene`` is its canvas when that was built beforehand (a big file opened in
        the background: :mod:`designer.ui.window.opening`); else it is built here.
        """
        from designer.ui.canvas.scene import PathwayScene
        from designer.ui.canvas.view import PathwayView

        files = getattr(self, "files", None)
        if files is not None and files.opening is not None:
            files.cancel_opening()      # another document replaces the one being opened
        gc.unfreeze()   # what the previous document left can be collected again
        # the new canvas first: if it cannot be built, the old document stays intact
        if scene is None:
            scene = PathwayScene(document.pathway, document.undo_stack)
        try:
            view = PathwayView(scene)
        except Exception:
            scene.detach()
            scene.deleteLater()
            raise

        old = self.document
        if old is not None:
            old.close()
            self.undo_group.removeStack(old.undo_stack)
        document.setParent(self)
        self.document = document
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)

        old_view, old_scene = self.view, self.scene
        self.scene = scene
        self.scene.setParent(self)
        self.view = view
        self.view.setAccessibleName("Pathway canvas")
        self.view.setObjectName("pathway-canvas")
        if old_view is not None:
            self._centre_layout.replaceWidget(old_view, self.view)
            old_view.hide()
            old_view.deleteLater()
        else:
            self._centre_layout.addWidget(self.view, 1)
        if old_scene is not None:
            from designer.ui.canvas.building import retire

            retire(old_scene)       # detached now; a big one deleted a slice at a time
        from designer.ui.canvas.building import settle_activation

        settle_activation(scene)        # a canvas built beforehand (see building.py)
        self.scene.selectionChanged.connect(self._on_selection_changed)
        self.scene.edit_refused.connect(self.editor.refuse)   # the canvas's own refusals
        self.scene.lane_clicked.connect(self.properties_dock.show_lane)
        self.view.set_overview_visible(self.act.overview.isChecked())
        self._connect_zoom()

        document.dirty_changed.connect(self._update_title)
        document.path_changed.connect(self._update_title)
        document.changed_on_disk.connect(self.files.report_changed_on_disk)
        document.autosave_failed.connect(self.files.report_autosave_failed)
        self._update_title()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)  # arrow keys and Delete work at once
        self.findings_report = None
        self.context.set_document(document, scene, view)
        self.document_changed.emit()
        self._fit_timer.start()
        # Everything built so far lives as long as the document. Moved out of the
        # cycle collector's sight, a full collection during editing walks only what
        # is new: on a 2,000-step canvas it took 0.2-0.45 s on the GUI thread.
        gc.freeze()

    def fit_readable(self) -> None:
        """Show the whole pathway when it is readable; otherwise its start at a readable zoom."""
        view = self.view
        if view is None:
            return
        view.fit_readable(READABLE_ZOOM)
        self._show_zoom()

    def _connect_zoom(self) -> None:
        self.view.zoom_changed.connect(lambda *_a: self._show_zoom())
        self._show_zoom()

    def _show_zoom(self) -> None:
        if self.view is not None:
            scale = self.view.zoom()
            self.zoom_label.setText(f"{scale * 100:.0f}%")

    def _on_selection_changed(self) -> None:
        count = len(self.scene.selected_ids()) if self.scene is not None else 0
        if count > 1:
            self.statusBar().showMessage(f"{count} items selected", 3000)

    def _update_title(self, *_args) -> None:
        doc = self.document
        self.setWindowTitle(f"{doc.display_name}[*] — {APP_TITLE}")
        self.setWindowModified(doc.dirty)
        self.setWindowFilePath(str(doc.path) if doc.path else "")

    def _on_checked(self, result) -> None:
        """A fresh result of the live checks: badges on the canvas, the status bar."""
        if result.report is None:
            return
        if self.scene is not None:
            self.scene.set_findings(result.report, result.prepared.get("badges"))
        self.set_findings(result.report)

    def set_findings(self, report) -> None:
        """Show a validation report's counts in the status bar."""
        from designer.graph.vocabulary import plural
        from designer.ui.panels.findings import SEVERITY_COLOURS

        self.findings_report = report
        summary = report.summary
        errors, warnings = summary.get("error", 0), summary.get("warning", 0)
        infos = summary.get("info", 0)
        if not (errors or warnings or infos):
            text = "No findings"
        else:
            parts = [plural(errors, "error"), plural(warnings, "warning")]
            if infos:
                parts.append(plural(infos, "note"))
            text = ", ".join(parts)
        colour = (SEVERITY_COLOURS["error"] if errors
                  else SEVERITY_COLOURS["warning"] if warnings else "#2e7d32")
        self.findings_label.setText(f"<span style='color:{colour}'>●</span> {text}")
        self.findings_label.setToolTip("Open the Findings panel for details")
        pathway = self.document.pathway
        steps, lanes = len(pathway.steps), len(pathway.settings)
        self.counts_label.setText(f"{plural(steps, 'step')} · {plural(lanes, 'lane')}   ")
        self.findings_updated.emit(report)

    # ------------------------------------------------------------------- edits

    def push(self, command_factory, *args, **kwargs) -> bool:
        """Build and push an undo command (see :meth:`Editor.push`); False when refused."""
        return self.editor.push(command_factory, *args, **kwargs) is not None

    def commit_pending_edits(self) -> None:
        """Finish the edit in the focused text box (see FileCommands.commit_pending_edits)."""
        self.files.commit_pending_edits()

    def selected_split(self) -> tuple[list[str], list[str]]:
        """The selection as (step ids, transition keys)."""
        steps, transitions = [], []
        pathway = self.document.pathway
        for key in self.scene.selected_ids():
            if pathway.step(key) is not None:
                steps.append(key)
            elif pathway.transition(key) is not None:
                transitions.append(key)
        return steps, transitions

    def delete_selection(self) -> None:
        from designer.ui.commands import RemoveItemsCommand

        steps, transitions = self.selected_split()
        if steps or transitions:
            self.push(RemoveItemsCommand, steps, transitions)

    def apply_auto_layout(self) -> None:
        from designer.ui.commands import ApplyLayoutCommand

        if self.push(ApplyLayoutCommand):
            self.statusBar().showMessage("Steps arranged by the flow of the pathway. "
                                         "Undo puts them back.", 5000)

    # ------------------------------------------------------------------ events

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.ready:      # still the start-up frame: nothing to save or keep
            starting = getattr(self, "start_opening", None)
            if starting is not None:
                starting.cancel()       # the file it was opening stays as it is on disk
            event.accept()
            return
        # a close event arrives accepted: an error while saving must not let the
        # window (and the unsaved pathway) go
        event.ignore()
        if self.document.saving:
            # Save is still writing (keys and clicks wait for it; the title bar's close
            # does not): close once the file is written; a failed save keeps it open
            self._close_after_save()
            return
        if not self.files.maybe_save():
            return
        self.files.cancel_opening()     # a big file still opening: nothing of it to keep
        presenting = getattr(self.extension("workshop"), "presentation", None)
        if presenting is not None and presenting.active:
            presenting.leave()      # keep the layout people work in, not the full screen
        self.layout_keeper.save()
        self.document.close()
        event.accept()

    def _close_after_save(self) -> None:
        """Close once the save under way has written the file (the window's close
        button pressed while Save was writing)."""
        document = self.document
        if getattr(self, "_close_waits_for", None) is document:
            return      # asked already

        def ended(ok: bool) -> None:
            self._close_waits_for = None
            document.save_finished.disconnect(ended)
            if ok and self.document is document:
                # after the save has returned (an edit made meanwhile is still asked about)
                QTimer.singleShot(0, self, self.close)
            # failed: its message is shown and the window stays, the work in it

        self._close_waits_for = document
        document.save_finished.connect(ended)
        self.statusBar().showMessage("Saving… the window closes when the file is written.")

    def _restore_layout(self) -> None:
        self.layout_keeper.restore()
        core = [self.properties_dock, self.findings_dock, self.palette_dock]
        if all(dock.isHidden() for dock in core):
            # a layout saved with every panel hidden (say, closed while presenting)
            # would leave a newcomer without the tools: bring them back
            for dock in core + [self.timeline_dock]:
                dock.show()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        # any local file is accepted, so a wrong one gets an explanation, not silence
        if _local_file_urls(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if _local_file_urls(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = _local_file_urls(event.mimeData())
        if not files or not self.ready:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.files.open_dropped(files)

    def quit_application(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and not widget.close():
                return
        QApplication.quit()

    # ------------------------------------------------------------------- help

    def show_about(self) -> None:
        QMessageBox.about(
            self, f"About {APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>Design perioperative care pathways across settings "
            "of care, check them for unsafe handoffs and gaps, and export documents for "
            "boards and patients.</p><p>Pathways are saved as plain YAML files.</p>")

    def show_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence

        from designer.ui.window.shortcuts import shortcuts_html

        QMessageBox.information(self, "Keyboard shortcuts", shortcuts_html(self))


def _local_file_urls(mime) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
