"""Workshop tools for clinical network away-days, plugged into the main window.

``install(window)`` adds the Workshop menu and toolbar, the Notes, Priorities and
Dot voting panels, the canvas marks (sticky notes and dot badges), presentation
mode and the side-by-side clinical diff. Everything rebinds when the window
opens another document (``document_changed``). Every edit is an undo command
from :mod:`designer.ui.workshop.commands`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QToolBar

from designer.graph.model import Note, Pathway
from designer.ui.workshop.commands import (
    AddNoteCommand,
    AddPriorityCommand,
    RemoveNoteCommand,
    RemovePriorityCommand,
    SetVotesCommand,
    UpdateNoteCommand,
    UpdatePriorityCommand,
    UpdateWorkshopCommand,
    votes_of,
)
from designer.ui.workshop.notes import NoteDialog, NotesDock
from designer.ui.workshop.overlay import WorkshopOverlay
from designer.ui.workshop.panel import ask_save_path, with_format
from designer.ui.workshop.presentation import PresentationMode
from designer.ui.workshop.priorities import PrioritiesDock, PriorityDialog, new_priority
from designer.ui.workshop.voting import VotingDock

ACTION_LOG_FILTERS = {"Spreadsheet (CSV) (*.csv)": "csv", "Word document (*.docx)": "docx",
                      "Markdown (*.md)": "md"}


class WorkshopTools(QObject):
    """The workshop features of one main window (see the module notes)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.overlay: WorkshopOverlay | None = None
        self.presentation = PresentationMode(window)
        self.notes_dock = NotesDock(self)
        self.priorities_dock = PrioritiesDock(self)
        self.voting_dock = VotingDock(self)
        self.diff_window = None
        self._build_actions()
        Area = Qt.DockWidgetArea
        window.add_dock(self.notes_dock, Area.RightDockWidgetArea)
        window.add_dock(self.priorities_dock, Area.RightDockWidgetArea)
        window.add_dock(self.voting_dock, Area.RightDockWidgetArea)
        for dock in (self.notes_dock, self.priorities_dock, self.voting_dock):
            dock.hide()     # shown from the Workshop menu when a workshop starts
        # one tabbed group, so each panel gets the full height beside the canvas
        window.tabifyDockWidget(self.notes_dock, self.priorities_dock)
        window.tabifyDockWidget(self.notes_dock, self.voting_dock)
        window.document_changed.connect(self.rebind)
        self.rebind()

    # ------------------------------------------------------------------ set-up

    def _action(self, text: str, slot, shortcut: str | None, tip: str,
                checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.setChecked(True)
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)   # shortcuts work while the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_present = a("&Present Pathway", self.presentation.enter, "F11",
                             "Walk the room through the pathway, full screen")
        self.act_add_note = a("Add &Note…", self.add_note, "Ctrl+M",
                              "Add a sticky note to the selected step or link, or the canvas")
        self.act_show_notes = a("Show Notes on Canvas", self._show_notes, None,
                                "Show or hide the sticky notes on the canvas", True)
        self.act_add_priority = a("Add &Priority…", self.add_priority, "Ctrl+Shift+P",
                                  "Record a quick win, critical milestone or project")
        self.act_export_log = a("Export &Action Log…", self.export_action_log,
                                "Ctrl+Shift+L", "Save the priorities and notes as CSV, "
                                "Word or Markdown")
        self.act_place_dot = a("Place a &Dot", lambda: self.dot_on_selection(+1), "Ctrl+.",
                               "Place one of your dots on the selected step or priority")
        self.act_take_dot = a("&Take Back a Dot", lambda: self.dot_on_selection(-1), "Ctrl+,",
                              "Take back a dot from the selected step or priority")
        self.act_show_votes = a("Show Dot Tallies on Canvas", self._show_votes, None,
                                "Show or hide the dot badges on the steps", True)
        self.act_compare_file = a("&Compare with File…", self.compare_with_file,
                                  "Ctrl+Shift+D", "Compare this pathway with another file")
        self.act_compare_exemplar = a("Compare with &Exemplar", self.compare_with_exemplar,
                                      "Ctrl+Alt+D", "Show how this pathway differs from the "
                                      "library exemplar it was made from")
        menu = self.window.menu_workshop
        menu.addAction(self.act_present)
        menu.addSeparator()
        menu.addActions([self.act_add_note, self.act_show_notes])
        menu.addSeparator()
        menu.addActions([self.act_add_priority, self.act_export_log])
        menu.addSeparator()
        menu.addActions([self.act_place_dot, self.act_take_dot, self.act_show_votes])
        menu.addSeparator()
        menu.addActions([self.act_compare_file, self.act_compare_exemplar])
        menu.addSeparator()
        from designer.ui.menu_mirror import mirror

        # the docks' own toggles are in View > Panels: a mirror here (see menu_mirror)
        for dock in (self.notes_dock, self.priorities_dock, self.voting_dock):
            menu.addAction(mirror(dock.toggleViewAction(), menu))
        bar = QToolBar("Workshop", self.window)
        bar.setObjectName("workshop-toolbar")
        bar.setAccessibleName("Workshop toolbar")
        bar.addActions([self.act_present, self.act_add_note, self.act_add_priority,
                        self.act_place_dot, self.act_compare_file])
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    # ----------------------------------------------------------------- binding

    @property
    def pathway(self) -> Pathway:
        return self.window.document.pathway

    def rebind(self) -> None:
        """Follow the window's current document and canvas."""
        if self.overlay is not None:
            try:
                self.overlay.detach()
            except RuntimeError:
                pass
            self.overlay = None
        if self.window.document is None or self.window.scene is None:
            return
        self.overlay = WorkshopOverlay(self.window.scene, self.pathway, self.edit_note,
                                       self.move_note)
        self.overlay.set_visible(self.act_show_notes.isChecked(),
                                 self.act_show_votes.isChecked())
        for dock in (self.notes_dock, self.priorities_dock, self.voting_dock):
            dock.bind(self.pathway)
        if self.diff_window is not None:
            self.diff_window.close()
            self.diff_window = None

    def _show_notes(self, on: bool) -> None:
        if self.overlay is not None:
            self.overlay.set_visible(notes=on)

    def _show_votes(self, on: bool) -> None:
        if self.overlay is not None:
            self.overlay.set_visible(votes=on)

    def push(self, factory, *args, **kwargs) -> bool:
        """Build and push a command (the one edit API); False when refused (and said why)."""
        return self.window.context.editor.push(factory, *args, **kwargs) is not None

    def show_dock(self, dock) -> None:
        """Show a workshop panel and bring its tab to the front."""
        dock.show()
        dock.raise_()

    def tell(self, message: str, timeout: int = 8000) -> None:
        self.window.statusBar().showMessage(message, timeout)

    def _selection(self) -> list[str]:
        scene = self.window.scene
        return list(scene.selected_ids()) if scene is not None else []

    # ------------------------------------------------------------------- notes

    def add_note(self, target: str | None = None, dialog: NoteDialog | None = None) -> bool:
        """Ask for a note about ``target`` (default: the first selected step or link)."""
        if target is None:
            chosen = self._selection()
            target = chosen[0] if chosen else None
        dialog = dialog or NoteDialog(self.window, self.pathway, target=target,
                                      author=self.voting_dock.participant)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        values = dialog.values()
        position = None
        if values["target"] is None:
            view = self.window.view
            centre = view.mapToScene(view.viewport().rect().center()) if view else QPointF()
            position = (round(centre.x(), 1), round(centre.y(), 1))
        note = Note(id=self.pathway.new_id("note"), position=position, **values)
        if self.push(AddNoteCommand, note):
            self.show_dock(self.notes_dock)
            self.notes_dock.select_note(note.id)
            return True
        return False

    def edit_note(self, note_id: str, dialog: NoteDialog | None = None) -> bool:
        note = next((n for n in self.pathway.notes if n.id == note_id), None)
        if note is None:
            return False
        dialog = dialog or NoteDialog(self.window, self.pathway, text=note.text,
                                      author=note.author or "", category=note.category,
                                      target=note.target, title="Edit note")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        values = dialog.values()
        changes = {k: v for k, v in values.items() if getattr(note, k) != v}
        if values["target"] is None and note.position is None:
            view = self.window.view
            centre = view.mapToScene(view.viewport().rect().center())
            changes["position"] = (round(centre.x(), 1), round(centre.y(), 1))
        return bool(changes) and self.push(UpdateNoteCommand, note_id, **changes)

    def move_note(self, note_id: str, position: tuple[float, float]) -> None:
        self.push(UpdateNoteCommand, note_id,
                  position=(round(position[0], 1), round(position[1], 1)))

    def reveal_note(self, note_id: str) -> None:
        """Select and centre what a note is about (or scroll to a free note)."""
        note = next((n for n in self.pathway.notes if n.id == note_id), None)
        scene, view = self.window.scene, self.window.view
        if note is None or scene is None or view is None:
            return
        if note.target and scene.item_for(note.target) is not None:
            scene.select_ids([note.target])
            view.centre_on_id(note.target)
        elif self.overlay is not None and note_id in self.overlay.note_items:
            view.centerOn(self.overlay.note_items[note_id])

    def halo_steps(self, step_ids: list[str]) -> None:
        """Halo steps on the canvas and bring the first into view."""
        scene, view = self.window.scene, self.window.view
        known = [s for s in step_ids if self.pathway.step(s) is not None]
        if scene is None or view is None:
            return
        scene.highlight(known)
        if known:
            view.centre_on_id(known[0])

    def delete_note(self, note_id: str) -> bool:
        return self.push(RemoveNoteCommand, note_id)

    # -------------------------------------------------------------- priorities

    def add_priority(self, dialog: PriorityDialog | None = None) -> bool:
        """Ask for a new priority, linked by default to the steps selected on the canvas."""
        steps = [k for k in self._selection() if self.pathway.step(k) is not None]
        dialog = dialog or PriorityDialog(self.window, self.pathway, linked=steps)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        priority = new_priority(self.pathway, dialog.values())
        if self.push(AddPriorityCommand, priority):
            self.show_dock(self.priorities_dock)
            self.priorities_dock.refresh()
            self.priorities_dock.select_priority(priority.id)
            return True
        return False

    def edit_priority(self, priority_id: str, dialog: PriorityDialog | None = None) -> bool:
        priority = next((p for p in self.pathway.priorities if p.id == priority_id), None)
        if priority is None:
            return False
        dialog = dialog or PriorityDialog(self.window, self.pathway, priority)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        changes = {k: v for k, v in dialog.values().items() if getattr(priority, k) != v}
        return bool(changes) and self.push(UpdatePriorityCommand, priority_id, **changes)

    def delete_priority(self, priority_id: str) -> bool:
        return self.push(RemovePriorityCommand, priority_id)

    def export_action_log(self, path: str | None = None, fmt: str | None = None) -> Path | None:
        """Save the action log; asks for the file when ``path`` is None."""
        from designer.export.action_log import ActionLogError, export_action_log

        self.window.commit_pending_edits()
        if path is None:
            doc = self.window.document
            folder = Path(doc.path).parent if doc.path else Path.home()
            asked = ask_save_path(self.window, "Export the workshop action log",
                                  folder / f"{self.pathway.id}-action-log.csv",
                                  ACTION_LOG_FILTERS)
            if asked is None:
                return None
            path, fmt = asked
        path, fmt = with_format(path, fmt, "csv")
        try:
            export_action_log(self.pathway, fmt, path)
        except ActionLogError as exc:
            QMessageBox.warning(self.window, "Action log not saved", str(exc))
            return None
        self.tell(f"Action log saved to {path}")
        return Path(path)

    # ------------------------------------------------------------------- votes

    def change_dots(self, target: str, delta: int) -> bool:
        """Place (+1) or take back (-1) one dot of the current participant on ``target``."""
        who = self.voting_dock.participant
        if not who:
            message = "Add a participant in the Dot voting panel first."
            self.show_dock(self.voting_dock)
            self.voting_dock.show_message(message)
            self.tell(message)
            return False
        old = votes_of(self.pathway, who, target)
        if delta < 0 and old == 0:
            message = f"{who} has no dot here to take back."
            self.voting_dock.show_message(message)
            self.tell(message)
            return False
        done = self.push(SetVotesCommand, who, target, old + delta)
        self.voting_dock.show_message("" if done else self.window.context.editor.last_refusal)
        return done

    def dot_on_selection(self, delta: int) -> bool:
        """Vote on the selected canvas step, else on the selected priority."""
        steps = [k for k in self._selection() if self.pathway.step(k) is not None]
        target = steps[0] if steps else self.priorities_dock.current_priority_id()
        if target is None:
            self.tell("Select a step on the canvas or a priority first.")
            return False
        self.show_dock(self.voting_dock)
        return self.change_dots(target, delta)

    def update_workshop(self, **changes) -> bool:
        done = self.push(UpdateWorkshopCommand, **changes)
        if not done:
            self.voting_dock.show_message(self.window.context.editor.last_refusal)
        return done

    # -------------------------------------------------------------------- diff

    def compare_with_file(self, path: str | None = None):
        """Open the side-by-side diff against another pathway file."""
        from designer.graph.io import PathwayLoadError, load_pathway

        if path is None:
            doc = self.window.document
            folder = str(Path(doc.path).parent) if doc.path else str(Path.home())
            path, _ = QFileDialog.getOpenFileName(self.window, "Compare with pathway file",
                                                  folder, "Pathway files (*.yaml *.yml)")
            if not path:
                return None
        try:
            reference = load_pathway(path)
        except PathwayLoadError as exc:
            QMessageBox.warning(self.window, "Cannot compare", str(exc))
            return None
        return self.show_diff(reference, Path(path).name)

    def compare_with_exemplar(self):
        """Open the diff against the library exemplar this pathway was made from."""
        from designer.library.exemplar import ExemplarNotFound, find_exemplar

        try:
            reference, note = find_exemplar(self.pathway)
        except ExemplarNotFound as exc:
            QMessageBox.information(self.window, "No exemplar to compare with", str(exc))
            return None
        return self.show_diff(reference, "library exemplar", note)

    def show_diff(self, reference: Pathway, name: str, note: str = ""):
        from designer.ui.workshop.diff_view import DiffWindow

        self.window.commit_pending_edits()   # compare what the person has typed so far
        if self.diff_window is not None:
            self.diff_window.close()
        doc = self.window.document
        self.diff_window = DiffWindow(self.window, reference, self.pathway, name, note,
                                      report=self.window.findings_report,
                                      folder=Path(doc.path).parent if doc.path else None)
        self.diff_window.show()
        return self.diff_window


def install(window) -> WorkshopTools:
    """Add the workshop tools to ``window``; returns them (the window keeps them)."""
    return WorkshopTools(window)
