"""Editing on the canvas with real mouse and keyboard events on the view's viewport."""

from __future__ import annotations

import warnings

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from canvas_support import make_canvas, view_point
from designer.graph import geometry
from designer.ui.commands import ApplyLayoutCommand
from designer.ui.canvas.items.steps import StepItem
from designer.ui.panels.palette import PaletteWidget


def _centre(scene, step_id) -> QPointF:
    return scene.item_for(step_id).scenePos()


def _drag(view, start: QPoint, end: QPoint, modifier=Qt.NoModifier, steps: int = 6) -> None:
    vp = view.viewport()
    QTest.mousePress(vp, Qt.LeftButton, modifier, start)
    for i in range(1, steps + 1):
        QTest.mouseMove(vp, start + (end - start) * (i / steps))
    QTest.mouseRelease(vp, Qt.LeftButton, modifier, end)
    QApplication.processEvents()


def _click(view, at: QPoint, modifier=Qt.NoModifier) -> None:
    QTest.mouseClick(view.viewport(), Qt.LeftButton, modifier, at)


@pytest.fixture
def canvas(qtbot):
    return make_canvas(qtbot)


def test_scene_mirrors_the_model(canvas):
    pathway, _, scene, _ = canvas
    assert set(scene.step_items()) == {s.id for s in pathway.steps}
    assert set(scene.transition_items()) == {t.key for t in pathway.transitions}
    bands = geometry.lane_bands(pathway)
    for step in pathway.steps:
        item = scene.item_for(step.id)
        assert scene.id_for(item) == step.id
        assert (item.x(), item.y()) == geometry.scene_centre(bands, step)
    # the crossing transition carries a handoff badge, red while incomplete
    badge = scene.item_for("sdm->prehab").handoff_badge
    assert badge is not None and not badge.complete
    assert scene.item_for("referral->sdm").handoff_badge.complete
    assert scene.item_for("sdm->preassess").handoff_badge is None
    assert scene.item_for("fit->surgery").label is not None   # decision branch condition


def test_create_from_palette_by_drag_and_drop(canvas, qtbot):
    pathway, stack, scene, view = canvas
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    entry = palette.entry("Surgery School / education")
    mime = palette.mimeData([entry])
    hub = next(b for b in scene.bands() if b.setting_id == "hub")
    target = view_point(view, QPointF(1000, hub.top + 60))
    vp = view.viewport()
    with warnings.catch_warnings():
        # PySide6 marks the QPoint constructors deprecated but offers no other.
        warnings.simplefilter("ignore", DeprecationWarning)
        events = (QDragEnterEvent(target, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier),
                  QDragMoveEvent(target, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    for event in events:
        QApplication.sendEvent(vp, event)
        assert event.isAccepted()
    drop = QDropEvent(QPointF(target), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(vp, drop)
    step = pathway.step("surgery-school-education")
    assert step is not None
    assert (step.setting, step.activity.value, step.phase.value) == (
        "hub", "education", "preoperative")
    assert step.position == pytest.approx((1000, 60), abs=1.5)
    assert scene.selected_ids() == [step.id]
    assert stack.count() == 1
    stack.undo()
    assert pathway.step(step.id) is None
    assert scene.item_for(step.id) is None


def test_a_drop_onto_a_step_lands_in_the_next_free_row(canvas):
    pathway, stack, scene, _ = canvas
    on_top = scene.item_for("surgery").scenePos()
    new_id = scene.interactions.palette_drop.create(
        {"kind": "task", "activity": "admission", "name": "Admission"}, on_top)
    step = pathway.step(new_id)
    assert step.setting == "hospital"
    assert step.position == (1100.0, 70.0 + geometry.ROW_SPACING)
    assert step.phase.value == "preoperative"


def test_palette_keyboard_adds_to_a_lane(canvas, qtbot):
    pathway, stack, scene, _ = canvas
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    scene.select_ids(["optimise"])                     # a step in the GP lane
    palette.step_requested.connect(scene.add_step_from_palette)
    palette.setCurrentItem(palette.entry("Decision"))
    palette.show()
    QTest.keyClick(palette, Qt.Key_Return)
    step = pathway.step("decision")
    assert step is not None and step.kind.value == "decision" and step.setting == "gp"
    assert step.position[0] > pathway.step("optimise").position[0]


def test_connect_by_dragging_the_handle(canvas):
    pathway, stack, scene, view = canvas
    _click(view, view_point(view, _centre(scene, "referral")))
    handle = scene.item_for("referral").handle()
    assert handle is not None
    start = view_point(view, handle.scenePos())
    _drag(view, start, view_point(view, _centre(scene, "prehab")))
    assert pathway.transition("referral->prehab") is not None
    assert "referral->prehab" in scene.transition_items()
    assert stack.count() == 1
    stack.undo()
    assert pathway.transition("referral->prehab") is None
    assert "referral->prehab" not in scene.transition_items()


def test_refused_connection_reports_and_changes_nothing(canvas, qtbot):
    pathway, stack, scene, view = canvas
    _click(view, view_point(view, _centre(scene, "referral")))
    start = view_point(view, scene.item_for("referral").handle().scenePos())
    with qtbot.waitSignal(scene.edit_refused) as blocker:
        _drag(view, start, view_point(view, _centre(scene, "sdm")))
    assert "already a transition" in blocker.args[0]
    assert stack.count() == 0


def test_move_within_a_lane_is_one_undo_step(canvas):
    pathway, stack, scene, view = canvas
    before = pathway.model_dump()
    start = view_point(view, _centre(scene, "discharge"))
    _drag(view, start, start + QPoint(100, 10), steps=10)
    assert stack.count() == 1
    assert pathway.step("discharge").position == pytest.approx((1410, 80), abs=1.5)
    assert pathway.step("discharge").setting == "hospital"
    stack.undo()
    assert pathway.model_dump() == before
    assert _centre(scene, "discharge").x() == pytest.approx(1310)


def test_move_to_another_lane_changes_the_setting(canvas):
    pathway, stack, scene, view = canvas
    before = pathway.model_dump()
    home = next(b for b in scene.bands() if b.setting_id == "home")
    start = view_point(view, _centre(scene, "prehab"))
    _drag(view, start, view_point(view, QPointF(700, home.top + 80)))
    step = pathway.step("prehab")
    assert step.setting == "home"
    assert step.position == pytest.approx((700, 80), abs=1.5)
    assert stack.count() == 1
    # the item sits where the model says, inside the home lane
    assert home.top < _centre(scene, "prehab").y() < home.bottom
    stack.undo()
    assert pathway.model_dump() == before


def test_ctrl_click_and_drag_moves_the_selection_as_one(canvas):
    pathway, stack, scene, view = canvas
    _click(view, view_point(view, _centre(scene, "surgery")))
    _click(view, view_point(view, _centre(scene, "discharge")), Qt.ControlModifier)
    assert scene.selected_ids() == ["surgery", "discharge"]
    start = view_point(view, _centre(scene, "surgery"))
    _drag(view, start, start + QPoint(40, 0))
    assert stack.count() == 1
    assert pathway.step("surgery").position[0] == pytest.approx(1140, abs=1.5)
    assert pathway.step("discharge").position[0] == pytest.approx(1350, abs=1.5)
    stack.undo()
    assert pathway.step("surgery").position == (1100.0, 70.0)


def test_rubber_band_selects_without_editing(canvas):
    pathway, stack, scene, view = canvas
    hospital = next(b for b in scene.bands() if b.setting_id == "hospital")
    start = view_point(view, QPointF(380, hospital.top + 5))
    end = view_point(view, QPointF(760, hospital.bottom - 5))
    _drag(view, start, end, steps=8)
    assert set(scene.selected_ids()) == {"sdm", "preassess", "sdm->preassess"}
    assert stack.count() == 0


def test_delete_key_removes_step_with_its_transitions(canvas):
    pathway, stack, scene, view = canvas
    before = pathway.model_dump()
    _click(view, view_point(view, _centre(scene, "preassess")))
    QTest.keyClick(view.viewport(), Qt.Key_Delete)
    assert pathway.step("preassess") is None
    assert not [k for k in scene.transition_items() if "preassess" in k]
    assert stack.count() == 1
    stack.undo()
    assert pathway.model_dump() == before
    assert {"sdm->preassess", "optimise->preassess"} <= set(scene.transition_items())


def test_clicking_an_edge_badge_selects_the_transition(canvas):
    _, _, scene, view = canvas
    badge = scene.item_for("fit->optimise").handoff_badge
    _click(view, view_point(view, badge.scenePos()))
    assert scene.selected_ids() == ["fit->optimise"]


def test_arrow_nudges_merge_into_one_step(canvas):
    pathway, stack, scene, view = canvas
    _click(view, view_point(view, _centre(scene, "surgery")))
    for _ in range(3):
        QTest.keyClick(view.viewport(), Qt.Key_Right)
    QTest.keyClick(view.viewport(), Qt.Key_Down, Qt.ShiftModifier)
    assert pathway.step("surgery").position == (1130.0, 120.0)
    assert stack.count() == 1
    stack.undo()
    assert pathway.step("surgery").position == (1100.0, 70.0)
    assert _centre(scene, "surgery").x() == pytest.approx(1100)


def test_alt_arrows_walk_between_steps(canvas):
    _, stack, scene, view = canvas
    vp = view.viewport()
    view.setFocus()
    QTest.keyClick(vp, Qt.Key_Right, Qt.AltModifier)
    assert scene.selected_ids() == ["referral"]          # the entry step first
    QTest.keyClick(vp, Qt.Key_Right, Qt.AltModifier)
    assert scene.selected_ids() == ["optimise"]          # straight ahead in its lane
    QTest.keyClick(vp, Qt.Key_Down, Qt.AltModifier)
    assert scene.selected_ids() == ["fit"]
    QTest.keyClick(vp, Qt.Key_Left, Qt.AltModifier)
    assert scene.selected_ids() == ["preassess"]
    QTest.keyClick(vp, Qt.Key_Up, Qt.AltModifier)
    assert scene.selected_ids() == ["prehab"]
    assert stack.count() == 0                             # selection is never an edit


def test_double_click_renames_in_place(canvas):
    pathway, stack, scene, view = canvas
    at = view_point(view, _centre(scene, "prehab"))
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at)
    editor = scene.interactions.rename.editor
    assert editor is not None and editor.text() == "Prehabilitation programme"
    editor.selectAll()
    QTest.keyClicks(editor, "Prehab class")
    QTest.keyClick(editor, Qt.Key_Return)
    assert pathway.step("prehab").name == "Prehab class"
    assert scene.interactions.rename.editor is None
    assert stack.count() == 1
    stack.undo()
    assert pathway.step("prehab").name == "Prehabilitation programme"


def test_f2_renames_the_selected_step(canvas):
    pathway, stack, scene, view = canvas
    _click(view, view_point(view, _centre(scene, "surgery")))
    QTest.keyClick(view.viewport(), Qt.Key_F2)
    editor = scene.interactions.rename.editor
    assert editor is not None and editor.hasFocus()
    editor.selectAll()
    QTest.keyClicks(editor, "Hip replacement")
    QTest.keyClick(editor, Qt.Key_Enter)
    assert pathway.step("surgery").name == "Hip replacement"
    assert stack.count() == 1


def test_escape_cancels_rename(canvas):
    pathway, stack, scene, view = canvas
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier,
                      view_point(view, _centre(scene, "sdm")))
    editor = scene.interactions.rename.editor
    QTest.keyClicks(editor, "Nonsense")
    QTest.keyClick(editor, Qt.Key_Escape)
    assert pathway.step("sdm").name == "Shared decision making clinic"
    assert stack.count() == 0


def test_auto_layout_undo_restores_model_and_items(canvas):
    pathway, stack, scene, _ = canvas
    before = pathway.model_dump()
    old = {sid: (item.x(), item.y()) for sid, item in scene.step_items().items()}
    stack.push(ApplyLayoutCommand(pathway))
    scene.flush()
    assert stack.count() == 1
    assert pathway.step("optimise").position[0] > pathway.step("fit").position[0]
    stack.undo()
    scene.flush()
    assert pathway.model_dump() == before
    assert {sid: (i.x(), i.y()) for sid, i in scene.step_items().items()} == old


def test_model_edits_from_elsewhere_update_the_canvas(canvas):
    pathway, _, scene, _ = canvas
    pathway.update_step("sdm", name="SDM", kind="wait")
    item = scene.item_for("sdm")
    assert isinstance(item, StepItem) and item.kind.value == "wait"
    name, *owner = item.text_lines()      # the owner wraps in a narrow wait box, never cut
    assert name == "SDM" and " ".join(owner) == "Consultant surgeon"
    pathway.update_step("sdm", kind="decision")
    assert scene.item_for("sdm").text_lines() == ["SDM"]      # owner goes under a diamond
    assert scene.item_for("sdm")._below.text() == "Consultant surgeon"
    pathway.rename_step("sdm", "sdm-clinic")
    assert scene.item_for("sdm") is None
    assert "referral->sdm-clinic" in scene.transition_items()
    pathway.update_setting("hub", name="Health and wellbeing hub", kind="voluntary")
    pathway.move_setting("home", 3)
    bands = geometry.lane_bands(pathway)
    for step in pathway.steps:
        assert (scene.item_for(step.id).x(), scene.item_for(step.id).y()) == \
            geometry.scene_centre(bands, step)


def test_clicking_a_lane_header_names_the_lane(canvas, qtbot):
    _, stack, scene, view = canvas
    _click(view, view_point(view, _centre(scene, "sdm")))
    gp = next(b for b in scene.bands() if b.setting_id == "gp")
    with qtbot.waitSignal(scene.lane_clicked) as blocker:
        _click(view, view_point(view, QPointF(60, gp.top + 100)))
    assert blocker.args == ["gp"]
    assert scene.selected_ids() == [] and stack.count() == 0
