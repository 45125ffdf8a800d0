"""The canvas follows the model through any sequence of edits, undos and redos."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from PySide6.QtGui import QUndoStack

from canvas_support import sample_pathway
from designer.graph import geometry
from designer.graph.model import EditRefused, Setting, Step, Transition
from designer.ui.commands import (
    AddSettingCommand,
    AddStepCommand,
    AddTransitionCommand,
    ApplyLayoutCommand,
    MoveSettingCommand,
    MoveStepsCommand,
    RemoveItemsCommand,
    RenameStepCommand,
    UpdateSettingCommand,
    UpdateStepCommand,
    UpdateTransitionCommand,
)
from designer.ui.canvas.scene import PathwayScene


def assert_in_sync(scene: PathwayScene) -> None:
    pathway = scene.pathway
    scene.flush()
    assert set(scene.step_items()) == {s.id for s in pathway.steps}
    assert set(scene.transition_items()) == {t.key for t in pathway.transitions}
    bands = geometry.lane_bands(pathway)
    assert [b.setting_id for b in scene.bands()] == [b.setting_id for b in bands]
    for step in pathway.steps:
        item = scene.item_for(step.id)
        assert item.name == step.name and item.kind == step.kind
        assert (item.x(), item.y()) == geometry.scene_centre(bands, step)
    for t in pathway.transitions:
        edge = scene.item_for(t.key)
        a, b = scene.item_for(t.source), scene.item_for(t.target)
        start = edge.path().elementAt(0)
        # every arrow starts on the edge of its source step's box
        assert a.sceneBoundingRect().adjusted(-2, -2, 2, 2).contains(start.x, start.y)
        crosses = pathway.step(t.source).setting != pathway.step(t.target).setting
        assert (edge.handoff_badge is not None) == (crosses or t.handoff is not None)
        assert b is not None


_OPS = ("add", "remove", "move", "lane", "rename", "connect", "condition", "layout",
        "lane-order", "lane-kind", "new-lane", "reset")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_scene_follows_random_edits_and_undo(qapp, data):
    pathway = sample_pathway()
    stack = QUndoStack()
    scene = PathwayScene(pathway, stack)
    try:
        for n in range(data.draw(st.integers(1, 10), label="edits")):
            op = data.draw(st.sampled_from(_OPS), label="op")
            ids = [s.id for s in pathway.steps]
            lanes = [s.id for s in pathway.settings]
            try:
                if op == "add":
                    stack.push(AddStepCommand(pathway, Step(
                        id=f"n{n}", name=f"New {n}", kind=data.draw(st.sampled_from(
                            ["task", "decision", "wait"])),
                        setting=data.draw(st.sampled_from(lanes)),
                        position=(400.0 + 50 * n, 70.0 + 96 * data.draw(st.integers(0, 2))))))
                elif op == "remove" and ids:
                    stack.push(RemoveItemsCommand(pathway, [data.draw(st.sampled_from(ids))]))
                elif op == "move" and ids:
                    stack.push(MoveStepsCommand(pathway, {data.draw(st.sampled_from(ids)): (
                        data.draw(st.floats(250, 2500)), data.draw(st.floats(40, 400)))}))
                elif op == "lane" and ids:
                    stack.push(MoveStepsCommand(pathway, {data.draw(st.sampled_from(ids)): (
                        (500.0, 70.0), data.draw(st.sampled_from(lanes)))}))
                elif op == "rename" and ids:
                    stack.push(RenameStepCommand(pathway, data.draw(st.sampled_from(ids)),
                                                 f"r{n}"))
                elif op == "connect" and len(ids) > 1:
                    stack.push(AddTransitionCommand(pathway, Transition(
                        source=data.draw(st.sampled_from(ids)),
                        target=data.draw(st.sampled_from(ids)))))
                elif op == "condition" and pathway.transitions:
                    key = data.draw(st.sampled_from([t.key for t in pathway.transitions]))
                    stack.push(UpdateTransitionCommand(pathway, key, condition=f"c{n}"))
                elif op == "layout":
                    stack.push(ApplyLayoutCommand(pathway))
                elif op == "lane-order":
                    stack.push(MoveSettingCommand(pathway, data.draw(st.sampled_from(lanes)),
                                                  data.draw(st.integers(0, len(lanes) - 1))))
                elif op == "lane-kind":
                    stack.push(UpdateSettingCommand(pathway, data.draw(st.sampled_from(lanes)),
                                                    kind="social", name=f"Lane {n}"))
                elif op == "new-lane":
                    stack.push(AddSettingCommand(pathway, Setting(
                        id=f"lane{n}", name=f"Lane {n}", kind="voluntary"),
                        data.draw(st.integers(0, len(lanes)))))
                elif op == "reset":
                    other = sample_pathway()
                    other.update_step("sdm", name="Reset name")
                    pathway.replace_with(other)
                    stack.clear()
                elif op in ("remove", "move", "lane", "rename", "connect"):
                    stack.push(UpdateStepCommand(pathway, ids[0], name="x")) if ids else None
            except EditRefused:
                pass
            assert_in_sync(scene)
        while stack.canUndo():
            stack.undo()
            assert_in_sync(scene)
        while stack.canRedo():
            stack.redo()
        assert_in_sync(scene)
    finally:
        scene.detach()
        scene.clear()
