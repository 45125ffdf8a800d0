"""Sticky notes: add (keyboard), show on the canvas, edit (double-click), undo, save, reopen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from designer.graph.io import load_pathway
from designer.graph.model import Note
from designer.ui.workshop.notes import NoteDialog

from workshop_sample import activate, close_window, open_window, settle, when_dialog_opens


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path)
    yield w
    close_window(w)


def fill_note_dialog(qtbot, text: str, author: str, category: str, replace: bool = False):
    """Type into the modal note dialog when it opens, then press OK."""
    def fill(dialog):
        if replace:
            dialog.text_edit.selectAll()
        qtbot.keyClicks(dialog.text_edit, text)
        dialog.author_box.lineEdit().selectAll()
        qtbot.keyClicks(dialog.author_box.lineEdit(), author)
        dialog.category_box.setCurrentIndex(dialog.category_box.findText(category))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    when_dialog_opens(NoteDialog, fill)


def test_add_note_to_selected_step_edit_undo_save_reopen(window, qtbot, tmp_path):
    tools = window.workshop
    pathway = window.document.pathway
    window.scene.select_ids(["pac"])
    fill_note_dialog(qtbot, "Who chases the HbA1c result?", "Dr Shah", "Question")
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    [note] = pathway.notes
    assert (note.text, note.author, note.category.value, note.target) == (
        "Who chases the HbA1c result?", "Dr Shah", "question", "pac")
    # on the canvas near its step, and in the Notes panel
    item = tools.overlay.note_items[note.id]
    assert item.scene() is window.scene
    step_rect = window.scene.item_for("pac").sceneBoundingRect()
    assert abs(item.sceneBoundingRect().bottom() - step_rect.top()) < 40
    assert tools.notes_dock.isVisible()
    assert tools.notes_dock.visible_note_ids() == [note.id]

    # double-click the note on the canvas to edit it
    window.view.centerOn(item.sceneBoundingRect().center())
    settle(qtbot)
    point = window.view.mapFromScene(item.sceneBoundingRect().center())
    fill_note_dialog(qtbot, "Who chases the result, and when?", "Dr Shah", "Risk",
                     replace=True)
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    settle(qtbot, 50)
    [note] = pathway.notes
    assert note.text == "Who chases the result, and when?"
    assert note.category.value == "risk"

    # undo the edit, then the addition, then redo both
    activate(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pathway.notes[0].text == "Who chases the HbA1c result?"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pathway.notes == []
    settle(qtbot)
    assert tools.overlay.note_items == {}
    assert tools.notes_dock.visible_note_ids() == []
    window.document.undo_stack.redo()
    window.document.undo_stack.redo()
    settle(qtbot)
    assert list(tools.overlay.note_items) == [pathway.notes[0].id]

    # save, reopen: the note is in the file
    path = window.document.path
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.document.dirty
    reopened = load_pathway(path)
    assert [(n.text, n.author, n.category.value, n.target) for n in reopened.notes] == [
        ("Who chases the result, and when?", "Dr Shah", "risk", "pac")]
    assert "notes:" in path.read_text(encoding="utf-8")
    window.files.open_path(path)
    settle(qtbot)
    assert [n.text for n in window.document.pathway.notes] == [
        "Who chases the result, and when?"]
    assert len(window.workshop.overlay.note_items) == 1


def test_free_note_is_placed_and_dragged_with_one_undo_step(window, qtbot):
    tools = window.workshop
    pathway = window.document.pathway
    window.scene.clearSelection()
    fill_note_dialog(qtbot, "Parking lot: transport to the hub", "", "Idea")
    tools.act_add_note.trigger()
    settle(qtbot)
    [note] = pathway.notes
    assert note.target is None and note.position is not None
    item = tools.overlay.note_items[note.id]
    start = window.view.mapFromScene(item.sceneBoundingRect().center())
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(viewport, start + QPoint(12 * step, 6 * step))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 30))
    settle(qtbot)
    moved = pathway.notes[0].position
    assert moved != note.position
    assert window.document.undo_stack.undoText() == "Move note"
    window.document.undo_stack.undo()
    assert pathway.notes[0].position == note.position


def test_notes_panel_filters_by_category_author_and_text(window, qtbot):
    from designer.ui.workshop.commands import AddNoteCommand

    pathway = window.document.pathway
    stack = window.document.undo_stack
    for i, (cat, who, text) in enumerate([("risk", "Ann", "Hub capacity"),
                                          ("idea", "Ben", "Text reminders"),
                                          ("risk", "Ben", "Lost letters")]):
        stack.push(AddNoteCommand(pathway, Note(id=f"n{i}", text=text, author=who,
                                                category=cat, target="referral")))
    dock = window.workshop.notes_dock
    window.workshop.show_dock(dock)
    settle(qtbot)
    assert dock.visible_note_ids() == ["n0", "n1", "n2"]
    dock.category_filter.setCurrentIndex(dock.category_filter.findText("Risk"))
    assert dock.visible_note_ids() == ["n0", "n2"]
    dock.author_filter.setCurrentIndex(dock.author_filter.findText("Ben"))
    assert dock.visible_note_ids() == ["n2"]
    dock.category_filter.setCurrentIndex(0)
    dock.author_filter.setCurrentIndex(0)
    qtbot.keyClicks(dock.search, "remind")
    assert dock.visible_note_ids() == ["n1"]
    assert dock.count_label.text() == "1 of 3 notes shown"
    # clicking a note selects what it is about on the canvas
    window.scene.clearSelection()
    row = dock.tree.topLevelItem(0)
    qtbot.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=dock.tree.visualItemRect(row).center())
    assert window.scene.selected_ids() == ["referral"]
    # delete from the panel, with undo
    dock.search.clear()
    dock.select_note("n1")
    qtbot.mouseClick(dock.delete_button, Qt.MouseButton.LeftButton)
    assert [n.id for n in pathway.notes] == ["n0", "n2"]
    stack.undo()
    assert [n.id for n in pathway.notes] == ["n0", "n1", "n2"]


def test_empty_note_cannot_be_saved(window, qtbot):
    dialog = NoteDialog(window, window.document.pathway)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.text_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.text_edit, "x")
    assert dialog.ok_button.isEnabled()


def test_hidden_panel_catches_up_when_shown(window, qtbot):
    from designer.ui.workshop.commands import AddNoteCommand

    dock = window.workshop.notes_dock
    dock.hide()
    window.document.undo_stack.push(AddNoteCommand(
        window.document.pathway, Note(id="n9", text="Late note", target="surgery")))
    settle(qtbot)
    assert dock.visible_note_ids() == []          # not redrawn while hidden
    window.workshop.show_dock(dock)
    assert dock.visible_note_ids() == ["n9"]
    assert "n9" in window.workshop.overlay.note_items
