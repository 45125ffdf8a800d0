"""The canvas view and overlays: zoom, pan, overview map, findings, critical path, find."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from canvas_support import make_canvas, view_point
from designer.render import style
from designer.graph.validate import validate


@pytest.fixture
def canvas(qtbot):
    return make_canvas(qtbot)


def _finding(severity, *targets):
    return SimpleNamespace(rule="x", severity=severity, message=f"{severity} here",
                           targets=targets)


def test_zoom_steps_reset_and_fit(canvas):
    _, stack, scene, view = canvas
    view.zoom_in()
    assert view.zoom() == pytest.approx(1.25)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom() == pytest.approx(0.8)
    view.zoom_reset()
    assert view.zoom() == 1.0
    view.fit_all()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for item in list(scene.step_items().values()) + list(scene.transition_items().values()):
        assert visible.contains(item.sceneBoundingRect())
    assert stack.count() == 0          # zoom is never an edit


def test_keyboard_and_ctrl_wheel_zoom(canvas, qtbot):
    _, _, _, view = canvas
    QTest.keyClick(view, Qt.Key_Equal, Qt.ControlModifier)
    assert view.zoom() == pytest.approx(1.25)
    QTest.keyClick(view, Qt.Key_0, Qt.ControlModifier)
    assert view.zoom() == 1.0
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.viewport().mapToGlobal(centre), QPoint(), QPoint(0, -240),
                        Qt.NoButton, Qt.ControlModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() == pytest.approx(1 / 1.25 ** 2)


def test_zoomed_far_out_hides_text(canvas):
    _, _, scene, view = canvas
    owner_below_diamond = scene.item_for("fit")._below
    assert owner_below_diamond.isVisible() and scene.item_for("sdm").detailed
    view.set_zoom(0.2)
    assert not owner_below_diamond.isVisible() and not scene.item_for("sdm").detailed
    assert not scene.item_for("fit->surgery").label.isVisible()
    view.zoom_reset()
    assert owner_below_diamond.isVisible()
    assert scene.item_for("sdm").text_lines() == [
        "Shared decision", "making clinic", "Consultant surgeon"]


def test_space_drag_and_middle_button_pan(canvas):
    _, stack, scene, view = canvas
    view.set_zoom(2.0)
    view.home()
    bar = view.horizontalScrollBar()
    vp = view.viewport()
    QTest.keyPress(view, Qt.Key_Space)
    QTest.mousePress(vp, Qt.LeftButton, Qt.NoModifier, QPoint(600, 400))
    QTest.mouseMove(vp, QPoint(400, 400))
    QTest.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, QPoint(400, 400))
    QTest.keyRelease(view, Qt.Key_Space)
    assert bar.value() == 200
    assert scene.selected_ids() == [] and stack.count() == 0
    QTest.mousePress(vp, Qt.MiddleButton, Qt.NoModifier, QPoint(400, 400))
    QTest.mouseMove(vp, QPoint(500, 400))
    QTest.mouseRelease(vp, Qt.MiddleButton, Qt.NoModifier, QPoint(500, 400))
    assert bar.value() == 100


def test_overview_map_click_moves_the_view(canvas):
    _, _, scene, view = canvas
    view.set_zoom(2.0)
    view.home()
    minimap = view.minimap
    assert minimap.isVisible()
    before = view.mapToScene(view.viewport().rect().center())
    QTest.mouseClick(minimap, Qt.LeftButton, Qt.NoModifier,
                     QPoint(minimap.width() - 5, minimap.height() - 5))
    after = view.mapToScene(view.viewport().rect().center())
    assert after.x() > before.x() + 300


def test_centre_on_id_and_selection_api(canvas):
    _, stack, scene, view = canvas
    view.set_zoom(2.0)
    view.home()
    assert view.centre_on_id("fit")
    centre = view.mapToScene(view.viewport().rect().center())
    target = scene.item_for("fit").scenePos()
    assert abs(centre.x() - target.x()) < 5
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(scene.item_for("fit").sceneBoundingRect())
    assert not view.centre_on_id("no-such-step")
    scene.select_ids(["sdm", "fit->surgery", "ghost"])
    assert scene.selected_ids() == ["sdm", "fit->surgery"]
    assert stack.count() == 0


def test_finding_badges_show_count_and_worst_severity(canvas):
    pathway, _, scene, _ = canvas
    report = SimpleNamespace(findings=[
        _finding("warning", "sdm"), _finding("error", "sdm", "fit->surgery"),
        _finding("info", "fit->surgery")])
    scene.set_findings(report)
    badge = scene.item_for("sdm")._badge
    assert badge.isVisible() and badge._label.text() == "2"
    assert badge.brush().color() == QColor(style.SEVERITY_COLOURS["error"])
    edge_badge = scene.item_for("fit->surgery").count_badge
    assert edge_badge is not None and edge_badge.scene() is scene
    scene.set_findings(SimpleNamespace(findings=[]))
    assert not badge.isVisible()
    assert scene.item_for("fit->surgery").count_badge is None
    # a real report from the rules engine shows too
    scene.set_findings(validate(pathway))
    # two errors and a note (no service level) on this handoff
    assert scene.item_for("sdm->prehab").count_badge._label.text() == "3"


def test_critical_path_and_find_highlight(canvas):
    _, _, scene, _ = canvas
    scene.set_critical_path(["referral", "sdm", "prehab"])
    assert scene.item_for("sdm").critical
    assert scene.item_for("sdm->prehab").critical
    assert scene.item_for("sdm->prehab").pen().color() == QColor(style.CRITICAL_PATH)
    assert not scene.item_for("sdm->preassess").critical
    scene.set_critical_path(None)
    assert not scene.item_for("sdm").critical
    scene.highlight(["fit", "surgery"])
    assert scene.item_for("fit").highlighted and scene.item_for("fit")._halo.isVisible()
    scene.highlight([])
    assert not scene.item_for("fit")._halo.isVisible()


def test_a_dropped_payload_without_lanes_is_refused(qtbot):
    from designer.graph.model import Pathway
    pathway, stack, scene, view = make_canvas(qtbot, Pathway(id="empty", title="Empty"))
    with qtbot.waitSignal(scene.edit_refused) as blocker:
        assert scene.interactions.palette_drop.create({"kind": "task", "name": "X"},
                                                      QPointF(300, 50)) is None
    assert "Add a lane" in blocker.args[0]
    assert stack.count() == 0


def test_overview_hides_while_everything_fits(canvas):
    _, _, _, view = canvas
    view.fit_all()
    assert not view.minimap.isVisible()
    view.set_zoom(2.0)
    assert view.minimap.isVisible()
    view.set_overview_visible(False)
    assert not view.minimap.isVisible()


def test_steps_without_positions_are_drawn_where_auto_layout_puts_them(qtbot):
    from canvas_support import sample_pathway
    from designer.graph import geometry
    from designer.graph.layout import auto_layout
    pathway = sample_pathway()
    for step in list(pathway.steps):
        pathway.update_step(step.id, position=None)
    placed = auto_layout(pathway)
    _, _, scene, _ = make_canvas(qtbot, pathway)
    assert all(s.position is None for s in pathway.steps)     # the model is untouched
    drawn = pathway.model_copy(update={"steps": [
        s.model_copy(update={"position": placed[s.id]}) for s in pathway.steps]})
    bands = geometry.lane_bands(drawn)
    for step in drawn.steps:
        item = scene.item_for(step.id)
        assert (item.x(), item.y()) == geometry.scene_centre(bands, step)


def test_lane_headers_stay_in_view_while_scrolling(canvas):
    _, _, scene, view = canvas
    view.set_zoom(1.5)
    view.horizontalScrollBar().setValue(600)
    left = view.mapToScene(0, 0).x()
    assert left > 300
    for lane in (scene.item_for("gp"), scene.item_for("hospital")):
        assert lane.header.scenePos().x() == pytest.approx(left)
    view.home()
    assert scene.item_for("gp").header.scenePos().x() == 0


def test_labels_and_badges_keep_clear_of_steps(canvas, qtbot):
    _, _, scene, view = canvas
    scene.tidy_now()
    # the steps' outlines: a decision's diamond leaves the corners of its box free
    steps = [item.mapToScene(item.shape()) for item in scene.step_items().values()]
    for edge in scene.transition_items().values():
        for deco in edge.decorations():
            box = deco.sceneBoundingRect()
            assert not any(s.intersects(box) for s in steps), edge.key
    # after a drag the labels of the moved step's arrows are tidied again
    from PySide6.QtTest import QTest
    start = view_point(view, scene.item_for("surgery").scenePos())
    QTest.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    QTest.mouseMove(view.viewport(), start + QPoint(0, 30))
    QTest.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, start + QPoint(0, 30))
    qtbot.waitUntil(lambda: not scene._untidy and not scene._dirty)
