"""The Properties panel: typing edits the model through undo commands; bad values are refused."""

from __future__ import annotations

from PySide6.QtCore import Qt

from designer.graph.model import SettingKind
from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)


def _show_step(window, qtbot, step_id):
    window.scene.select_ids([step_id])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.step_page and dock.step_page.key == step_id)
    return dock.step_page


def test_typing_a_name_is_one_merged_undo_step_and_undo_restores_the_model(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    before = window.document.pathway.model_dump()
    page = _show_step(window, qtbot, "prehab")
    field = page.name.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Prehab at the leisure centre")
    assert window.document.pathway.step("prehab").name == "Prehab at the leisure centre"
    assert window.document.undo_stack.count() == 1
    assert field.text() == "Prehab at the leisure centre"

    qtbot.keyClick(field, Qt.Key.Key_Tab)  # leaving the field keeps the value
    window.document.undo_stack.undo()
    assert window.document.pathway.model_dump() == before
    assert field.text() == before["steps"][5]["name"]
    window.document.undo_stack.redo()
    assert field.text() == "Prehab at the leisure centre"


def test_a_refused_duration_is_explained_and_never_applied(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _show_step(window, qtbot, "prehab")
    before = window.document.pathway.model_dump()
    field = page.duration.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "-3")
    assert page.duration.error.isVisible()
    # in plain words, naming the field as labelled (not pydantic's duration_days)
    assert page.duration.error.text() == "Duration (days) must be 0 or more."
    assert window.document.pathway.model_dump() == before
    assert window.document.undo_stack.count() == 0

    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert field.text() == "28"  # back to the model's value
    assert page.duration.error.text().startswith("Not changed")

    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "six")
    assert "Enter a number" in page.duration.error.text()
    assert window.document.pathway.step("prehab").duration_days == 28

    field.selectAll()
    qtbot.keyClicks(field, "42")
    assert not page.duration.error.isVisible()
    assert window.document.pathway.step("prehab").duration_days == 42


def test_choosers_change_lane_and_owner_by_keyboard(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _show_step(window, qtbot, "prehab")
    combo = page.setting.widget
    combo.setFocus()
    target = combo.findData("home")
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    assert window.document.pathway.step("prehab").setting == "home"

    owner = page.owner.widget
    owner.setFocus()
    qtbot.keyClick(owner, Qt.Key.Key_Up)
    assert window.document.pathway.step("prehab").owner != "physio"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    step = window.document.pathway.step("prehab")
    assert (step.setting, step.owner) == ("hub", "physio")
    assert combo.currentData() == "hub"


def test_renaming_the_id_follows_references_and_a_taken_id_is_refused(make_window,
                                                                      sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _show_step(window, qtbot, "prehab")
    field = page.step_id.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "surgery")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "already exists" in page.step_id.error.text()
    assert field.text() == "prehab"
    assert window.document.pathway.step("prehab") is not None

    field.selectAll()
    qtbot.keyClicks(field, "prehabilitation")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    pathway = window.document.pathway
    assert pathway.step("prehabilitation") is not None
    assert pathway.transition("sdm->prehabilitation") is not None
    assert page.key == "prehabilitation"


def test_transition_handoff_fields_and_information_list(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["sdm->prehab"])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.transition_page)
    page = dock.transition_page
    assert page.handoff_box.isChecked()
    entry = page.information.entry
    entry.setFocus()
    qtbot.keyClicks(entry, "exercise plan")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    qtbot.keyClicks(entry, "medicines list")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    handoff = window.document.pathway.transition("sdm->prehab").handoff
    assert handoff.information == ["exercise plan", "medicines list"]
    assert page.information.values() == ["exercise plan", "medicines list"]

    page.information.list.setCurrentRow(0)
    qtbot.mouseClick(page.information.remove_button, Qt.MouseButton.LeftButton)
    assert window.document.pathway.transition("sdm->prehab").handoff.information == [
        "medicines list"]

    wait = page.wait.widget
    wait.setFocus()
    qtbot.keyClicks(wait, "10")
    assert window.document.pathway.transition("sdm->prehab").wait_days == 10
    probability = page.probability.widget
    probability.setFocus()
    qtbot.keyClicks(probability, "2")
    assert page.probability.error.isVisible()
    assert window.document.pathway.transition("sdm->prehab").probability is None


def test_pathway_header_and_lanes_add_reorder_and_delete(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids([])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.pathway_page)
    page = dock.pathway_page
    title = page.title_field.widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Hip replacement")
    assert window.document.pathway.title == "Hip replacement"
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    assert page.title_field.error.isVisible()  # a title cannot be empty
    assert window.document.pathway.title == "Hip replacement"

    lanes = page.lanes
    qtbot.waitUntil(lambda: lanes.list.count() == 4)
    lanes.list.setCurrentRow(3)  # Hospital
    qtbot.mouseClick(lanes.up, Qt.MouseButton.LeftButton)
    assert [s.id for s in window.document.pathway.settings] == ["home", "gp", "hospital", "hub"]
    qtbot.waitUntil(lambda: lanes.current_id() == "hospital")

    qtbot.mouseClick(lanes.buttons.itemAt(0).widget(), Qt.MouseButton.LeftButton)  # Add
    assert len(window.document.pathway.settings) == 5
    qtbot.waitUntil(lambda: lanes.current_id() == "new-lane")
    # the new lane is empty, so Delete removes it without asking
    qtbot.mouseClick(lanes.delete, Qt.MouseButton.LeftButton)
    assert window.document.pathway.setting("new-lane") is None


def test_deleting_a_lane_with_steps_moves_them_in_one_undo_step(make_window, sample_file,
                                                                qtbot):
    window = make_window(path=sample_file)
    page = window.properties_dock.pathway_page
    lanes = page.lanes
    qtbot.waitUntil(lambda: lanes.list.count() == 4)
    lanes.list.setCurrentRow(2)  # Community hub, holds the prehab step
    assert lanes.delete_lane(ask=False) is False
    assert "still holds steps" in lanes.message.text()
    before = window.document.pathway.model_dump()
    count = window.document.undo_stack.count()
    assert lanes.delete_lane(move_to="hospital")
    pathway = window.document.pathway
    assert pathway.setting("hub") is None
    assert pathway.step("prehab").setting == "hospital"
    assert window.document.undo_stack.count() == count + 1
    window.document.undo_stack.undo()
    assert window.document.pathway.model_dump() == before

    # lane kind by keyboard
    qtbot.waitUntil(lambda: lanes.list.count() == 4)
    lanes.list.setCurrentRow(0)
    lanes.kind.setFocus()
    qtbot.keyClick(lanes.kind, Qt.Key.Key_Down)
    assert window.document.pathway.settings[0].kind == SettingKind.primary


def test_roles_add_and_a_role_in_use_cannot_be_deleted(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    roles = window.properties_dock.pathway_page.roles
    qtbot.waitUntil(lambda: roles.list.count() == 5)
    roles.list.setCurrentRow(0)  # Patient owns the exit step
    qtbot.mouseClick(roles.delete, Qt.MouseButton.LeftButton)
    assert "still owns" in roles.message.text()
    assert window.document.pathway.role("patient") is not None
    assert roles.add_role(name="Perioperative care coordinator")
    assert window.document.pathway.role("perioperative-care-coordinator") is not None


def test_tab_moves_through_the_step_fields_in_order(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _show_step(window, qtbot, "prehab")
    order = [page.name.widget, page.step_id.widget, page.kind.widget, page.activity.widget,
             page.phase.widget, page.setting.widget, page.owner.widget, page.duration.widget,
             page.channel.widget, page.description.widget, page.patient_info.widget]
    order[0].setFocus()
    for current, following in zip(order, order[1:]):
        assert current.hasFocus()
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        qtbot.waitUntil(following.hasFocus)


def test_dropping_a_lane_onto_another_row_reorders_the_lanes(make_window, sample_file, qtbot):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    window = make_window(path=sample_file)
    lanes = window.properties_dock.pathway_page.lanes
    qtbot.waitUntil(lambda: lanes.list.count() == 4)
    lanes.list.setCurrentRow(3)  # Hospital
    target = lanes.list.visualItemRect(lanes.list.item(0)).center()
    drop = QDropEvent(QPointF(target), Qt.DropAction.MoveAction, QMimeData(),
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    lanes.list.dropEvent(drop)
    qtbot.waitUntil(lambda: window.document.pathway.settings[0].id == "hospital")
    assert [lanes.list.item(i).text() for i in range(4)][0] == "Hospital"
    window.document.undo_stack.undo()
    assert window.document.pathway.settings[0].id == "home"


def test_ctrl_z_in_a_field_undoes_the_document_edit(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _show_step(window, qtbot, "surgery")
    field = page.name.widget
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_End)
    qtbot.keyClicks(field, " today")
    assert window.document.pathway.step("surgery").name == "Surgery today"
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.pathway.step("surgery").name == "Surgery"
    assert field.text() == "Surgery"
    assert not window.document.dirty


def test_lane_details_page_renames_and_describes_a_lane(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.properties_dock
    lanes = dock.pathway_page.lanes
    qtbot.waitUntil(lambda: lanes.list.count() == 4)
    lanes.list.setCurrentRow(2)
    qtbot.mouseClick(lanes.details, Qt.MouseButton.LeftButton)
    assert dock.current_page is dock.lane_page
    page = dock.lane_page
    assert page.heading.text() == "Lane: Community hub (1 step)"
    page.name.widget.setFocus()
    page.name.widget.selectAll()
    qtbot.keyClicks(page.name.widget, "Leisure centre")
    page.description.widget.setFocus()
    qtbot.keyClicks(page.description.widget, "Supervised exercise classes")
    lane = window.document.pathway.setting("hub")
    assert (lane.name, lane.description) == ("Leisure centre", "Supervised exercise classes")
    page.name.widget.selectAll()
    qtbot.keyClick(page.name.widget, Qt.Key.Key_Backspace)
    assert page.name.error.isVisible()  # a lane needs a name
    assert window.document.pathway.setting("hub").name == "Leisure centre"
