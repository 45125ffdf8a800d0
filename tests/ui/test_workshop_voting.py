"""Dot voting: participants, dots on steps and priorities, badges, ranking, the limit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from designer.graph.io import load_pathway
from designer.graph.model import Priority
from designer.ui.workshop.commands import AddPriorityCommand

from workshop_sample import activate, close_window, open_window, settle


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path)
    yield w
    close_window(w)


def add_participant(qtbot, dock, name):
    dock.new_name.setFocus()
    qtbot.keyClicks(dock.new_name, name)
    qtbot.keyClick(dock.new_name, Qt.Key.Key_Return)


def choose_row(dock, target):
    dock.select_target(target)
    assert dock.current_target() == target


def test_dots_tally_rank_and_show_as_badges(window, qtbot):
    tools = window.workshop
    pathway = window.document.pathway
    window.document.undo_stack.push(AddPriorityCommand(
        pathway, Priority(id="p-hub", title="Community hub clinic", kind="project")))
    dock = tools.voting_dock
    window.workshop.show_dock(dock)
    settle(qtbot)
    assert dock.left_label.text() == "Add a participant to start voting."
    add_participant(qtbot, dock, "Ann")
    add_participant(qtbot, dock, "Ben")
    assert pathway.workshop.participants == ["Ann", "Ben"]
    assert dock.participant == "Ben"

    # three dots lower: limit 3 each
    dock.limit_box.setFocus()
    dock.limit_box.selectAll()
    qtbot.keyClicks(dock.limit_box, "3")
    qtbot.keyClick(dock.limit_box, Qt.Key.Key_Return)
    assert pathway.workshop.votes_per_participant == 3

    # Ben: two dots on the preassessment step from the canvas selection (Ctrl+.)
    window.scene.select_ids(["pac"])
    activate(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    # Ben's last dot on the priority, from the ranked list
    settle(qtbot)
    choose_row(dock, "p-hub")
    qtbot.mouseClick(dock.plus, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert pathway.tally() == {"pac": 2, "p-hub": 1}
    assert dock.left_label.text() == "Ben: 0 of 3 dots left"

    # a fourth dot is refused with a clear message, and nothing changes
    choose_row(dock, "referral")
    qtbot.mouseClick(dock.plus, Qt.MouseButton.LeftButton)
    assert "Ben has used all 3 dots" in dock.message.text()
    assert "Ben has used all 3 dots" in window.statusBar().currentMessage()
    assert pathway.tally() == {"pac": 2, "p-hub": 1}

    # Ann puts two on the priority, which then ranks first
    dock.participant_box.setCurrentText("Ann")
    choose_row(dock, "p-hub")
    qtbot.mouseClick(dock.plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dock.plus, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert pathway.tally() == {"p-hub": 3, "pac": 2}
    top = [dock.tree.topLevelItem(i) for i in range(2)]
    assert [(r.text(0), r.text(1), r.text(2)) for r in top] == [
        ("1", "Community hub clinic  (priority)", "3"),
        ("2", "Preoperative assessment  (step)", "2")]
    tools.show_dock(tools.priorities_dock)
    assert tools.priorities_dock.table.item(0, 6).text() == "3"
    tools.show_dock(dock)

    # the canvas shows a badge with the tally on the step (not on priorities)
    badge = tools.overlay.badges["pac"]
    assert badge.count == 2 and "Ben 2" in badge.toolTip()
    assert set(tools.overlay.badges) == {"pac"}
    step_rect = window.scene.item_for("pac").sceneBoundingRect()
    assert badge.sceneBoundingRect().intersects(step_rect)

    # take one back (Ctrl+,) for Ben: undoable like every edit
    dock.participant_box.setCurrentText("Ben")
    window.scene.select_ids(["pac"])
    activate(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert pathway.tally()["pac"] == 1
    assert tools.overlay.badges["pac"].count == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pathway.tally()["pac"] == 2

    # the dots are saved in the file
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = load_pathway(window.document.path)
    assert saved.tally() == {"p-hub": 3, "pac": 2}
    assert saved.workshop.votes_per_participant == 3
    assert saved.workshop.participants == ["Ann", "Ben"]


def test_limit_cannot_drop_below_dots_already_placed(window, qtbot):
    tools = window.workshop
    pathway = window.document.pathway
    dock = tools.voting_dock
    window.workshop.show_dock(dock)
    add_participant(qtbot, dock, "Ann")
    choose_row(dock, "surgery")
    for _ in range(4):
        qtbot.mouseClick(dock.plus, Qt.MouseButton.LeftButton)
    assert pathway.tally() == {"surgery": 4}
    dock.limit_box.setFocus()
    dock.limit_box.selectAll()
    qtbot.keyClicks(dock.limit_box, "2")
    qtbot.keyClick(dock.limit_box, Qt.Key.Key_Return)
    assert "Ann has already placed 4 dots" in dock.message.text()
    assert (pathway.workshop.votes_per_participant, dock.limit_box.value()) == (5, 5)


def test_voting_needs_a_participant(window, qtbot):
    tools = window.workshop
    window.scene.select_ids(["pac"])
    assert not tools.dot_on_selection(+1)
    assert "Add a participant" in tools.voting_dock.message.text()
    assert window.document.pathway.votes == []
