"""A canvas built in slices (big files) is the canvas the synchronous build gives.

The truth here is the synchronous ``PathwayScene`` build followed by its label
tidying (what the window showed before issue 16's "fast open"): the sliced build
must leave every item in the same place, with the same routes, label sizes and
places, captions and visibility, and edits must then behave the same on both.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from canvas_support import sample_pathway
from designer.ui.canvas.building import SceneBuilder
from designer.ui.canvas.scene import PathwayScene
from designer.ui.commands import MoveStepsCommand

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402


def picture(scene) -> dict:
    """Everything the canvas shows, item by item (independent of how it was built)."""
    items = sorted((type(item).__name__, round(item.zValue(), 3), item.isVisible(),
                    tuple(round(v, 3) for v in item.sceneBoundingRect().getRect()))
                   for item in scene.items())
    edges = {key: (tuple(edge.route_points), edge.isVisible(),
                   [(deco.pos().x(), deco.pos().y(), deco.path().boundingRect().getRect())
                    for deco in edge.decorations()],
                   edge.label.text_lines() if edge.label is not None else None)
             for key, edge in scene.transition_items().items()}
    steps = {key: (step.pos().x(), step.pos().y(), step._caption_aside, step.text_lines())
             for key, step in scene.step_items().items()}
    lanes = [(band.setting_id, band.top, band.height) for band in scene.bands()]
    return {"items": items, "edges": edges, "steps": steps, "lanes": lanes,
            "rect": scene.sceneRect().getRect()}


def synchronous(pathway) -> PathwayScene:
    scene = PathwayScene(pathway, QUndoStack())
    scene.tidy_now()
    return scene


def in_slices(qtbot, pathway, slice_ms: float = 20.0):
    scene = PathwayScene(pathway, QUndoStack(), build=False)
    builder = SceneBuilder(scene, slice_ms=slice_ms)
    with qtbot.waitSignal(builder.finished, timeout=120_000):
        builder.start()
    return scene, builder


@pytest.mark.parametrize("pathway", [sample_pathway, lambda: make_pathway(240)],
                         ids=["sample", "240-steps"])
def test_a_canvas_built_in_slices_is_the_synchronous_canvas(qtbot, pathway):
    pathway = pathway()
    expected = picture(synchronous(pathway))
    scene, builder = in_slices(qtbot, pathway)
    assert builder.done and builder.slices > 1
    assert picture(scene) == expected
    # nothing left to do once it is finished (no routing or tidying pending)
    assert not scene._dirty and not scene._untidy
    assert gc.isenabled()           # paused only while each piece ran


def test_edits_and_undo_on_a_canvas_built_in_slices_match_the_synchronous_one(qtbot):
    first, second = make_pathway(120), make_pathway(120)
    plain = synchronous(first)
    sliced, _builder = in_slices(qtbot, second)
    step = first.steps[40]
    for scene in (plain, sliced):
        scene.undo_stack.push(MoveStepsCommand(scene.pathway, {
            step.id: (step.position[0] + 230, step.position[1])}))
        scene.tidy_now()
    assert picture(sliced) == picture(plain)
    for scene in (plain, sliced):
        scene.undo_stack.undo()
        scene.tidy_now()
    assert picture(sliced) == picture(plain)
    assert sliced.pathway.step(step.id).position == step.position


def test_no_slice_holds_the_gui_thread_long(qtbot):
    _scene, builder = in_slices(qtbot, make_pathway(400), slice_ms=15.0)
    # CPU time of the GUI thread (wall time on a shared machine counts others' work)
    assert builder.longest_slice_cpu_ms < 50
    assert builder.slices > 5


def test_a_change_to_the_model_while_building_is_shown_when_it_ends(qtbot):
    pathway = make_pathway(150)
    scene = PathwayScene(pathway, QUndoStack(), build=False)
    builder = SceneBuilder(scene, slice_ms=2.0)
    builder.start()
    qtbot.waitUntil(lambda: builder.slices >= 3)
    assert not builder.done
    step = pathway.steps[10]
    scene.undo_stack.push(MoveStepsCommand(pathway, {
        step.id: (step.position[0] + 300, step.position[1])}))
    qtbot.waitUntil(lambda: builder.done, timeout=60_000)
    scene.tidy_now()
    assert picture(scene) == picture(synchronous(pathway))


def test_a_cancelled_build_stops_and_can_be_dropped(qtbot):
    scene = PathwayScene(make_pathway(150), QUndoStack(), build=False)
    builder = SceneBuilder(scene, slice_ms=2.0)
    builder.start()
    qtbot.waitUntil(lambda: builder.slices >= 2)
    builder.cancel()
    count = builder.slices
    qtbot.wait(50)
    assert builder.cancelled and not builder.done and builder.slices == count
    assert gc.isenabled()
    scene.detach()
    scene.deleteLater()


def test_a_big_scene_is_retired_a_slice_at_a_time(qtbot, monkeypatch):
    from shiboken6 import isValid

    from designer.ui.canvas import building

    monkeypatch.setattr(building, "RETIRE_AT_ONCE", 100)
    scene, _builder = in_slices(qtbot, make_pathway(200))
    step = next(iter(scene.step_items().values()))
    count = len(scene.items())
    building.retire(scene, slice_ms=1.0)
    assert isValid(scene) and len(scene.items()) == count    # nothing at once
    with qtbot.waitSignal(scene.destroyed, timeout=30_000):
        pass
    assert step.scene() is None     # taken out (deleted once nothing refers to it)


def test_a_canvas_built_in_slices_is_inactive_when_shown_nowhere_active(qtbot):
    from designer.ui.canvas.building import settle_activation

    scene, _builder = in_slices(qtbot, sample_pathway())
    assert scene.isActive()             # counted active while it was built
    settle_activation(scene)            # shown in no active window
    qtbot.waitUntil(lambda: not scene._pre_activated)
    assert not scene.isActive()
