"""Priorities: add from the canvas selection (keyboard and mouse), edit, delete, export CSV."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog

from designer.ui.workshop.priorities import PriorityDialog

from workshop_sample import activate, close_window, open_window, settle, when_dialog_opens


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path)
    yield w
    close_window(w)


def click_step(qtbot, window, step_id, modifier=Qt.KeyboardModifier.NoModifier):
    view = window.view
    view.centre_on_id(step_id)
    point = view.mapFromScene(window.scene.item_for(step_id).sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, pos=point)


def test_add_priority_linked_to_selection_then_export_csv(window, qtbot, tmp_path,
                                                           monkeypatch):
    tools = window.workshop
    pathway = window.document.pathway
    window.view.zoom_reset()
    click_step(qtbot, window, "referral")
    click_step(qtbot, window, "pac", Qt.KeyboardModifier.ControlModifier)
    assert window.scene.selected_ids() == ["referral", "pac"]

    def fill(dialog: PriorityDialog):
        qtbot.keyClicks(dialog.title_edit, "Put HbA1c in every referral")
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findText("Critical milestone"))
        dialog.owner_box.lineEdit().selectAll()
        qtbot.keyClicks(dialog.owner_box.lineEdit(), "General practitioner")
        dialog.due_edit.setDate(QDate(2027, 3, 31))
        dialog.status_box.setCurrentIndex(dialog.status_box.findText("In progress"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    when_dialog_opens(PriorityDialog, fill)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)
    [p] = pathway.priorities
    assert (p.title, p.kind.value, p.owner, p.due, p.status.value, p.steps) == (
        "Put HbA1c in every referral", "critical-milestone", "gp", "2027-03-31",
        "in-progress", ["referral", "pac"])
    dock = tools.priorities_dock
    assert dock.isVisible()
    assert [dock.table.item(0, c).text() for c in range(dock.table.columnCount())] == [
        "Critical milestone", "Put HbA1c in every referral", "General practitioner",
        "31 Mar 2027", "In progress", "Referral; Preoperative assessment", "0"]

    # clicking it haloes its linked steps without changing the selection
    window.scene.clearSelection()
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=dock.table.visualItemRect(dock.table.item(0, 1)).center())
    haloed = {k for k, item in window.scene.step_items().items() if item.highlighted}
    assert haloed == {"referral", "pac"}
    assert window.scene.selected_ids() == []

    # a quick win with no due date, from the panel's button

    def fill_quick(dialog: PriorityDialog):
        qtbot.keyClicks(dialog.title_edit, "Text reminders")
        dialog.no_due.setChecked(True)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    when_dialog_opens(PriorityDialog, fill_quick)
    qtbot.mouseClick(dock.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert [p.title for p in pathway.priorities] == ["Put HbA1c in every referral",
                                                     "Text reminders"]
    assert pathway.priorities[1].due is None and pathway.priorities[1].steps == []

    out = tmp_path / "actions.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(out), "Spreadsheet (CSV) (*.csv)"))
    qtbot.mouseClick(dock.export_button, Qt.MouseButton.LeftButton)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["Kind", "Title", "Owner", "Due", "Status", "Linked steps", "Votes", "Description"],
        ["Quick win", "Text reminders", "", "", "Open", "", "0", ""],
        ["Critical milestone", "Put HbA1c in every referral", "General practitioner",
         "2027-03-31", "In progress", "Referral; Preoperative assessment", "0", ""],
    ]


def test_edit_and_delete_priority_are_undoable(window, qtbot):
    from designer.graph.model import Priority
    from designer.ui.workshop.commands import AddPriorityCommand

    pathway = window.document.pathway
    stack = window.document.undo_stack
    stack.push(AddPriorityCommand(pathway, Priority(id="p1", title="Hub clinic",
                                                    kind="project")))
    dock = window.workshop.priorities_dock
    window.workshop.show_dock(dock)
    settle(qtbot)
    dock.select_priority("p1")

    def rename(dialog: PriorityDialog):
        assert dialog.title_edit.text() == "Hub clinic"
        assert dialog.no_due.isChecked()
        dialog.title_edit.selectAll()
        qtbot.keyClicks(dialog.title_edit, "Community hub clinic")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    when_dialog_opens(PriorityDialog, rename)
    qtbot.mouseClick(dock.edit_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert pathway.priorities[0].title == "Community hub clinic"
    pathway.set_votes("Ann", "p1", 2)
    dock.select_priority("p1")
    qtbot.mouseClick(dock.delete_button, Qt.MouseButton.LeftButton)
    assert pathway.priorities == [] and pathway.votes == []
    activate(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pathway.priorities[0].title == "Community hub clinic"
    assert pathway.tally() == {"p1": 2}
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pathway.priorities[0].title == "Hub clinic"


def test_priority_needs_a_title(window, qtbot):
    dialog = PriorityDialog(window, window.document.pathway)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.title_edit, "X")
    assert dialog.ok_button.isEnabled()
