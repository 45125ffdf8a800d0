"""The canvas keeps its steps' boxes, and their bucket index, between routings and
looks only at the steps the scene placed since (issue 16: re-routing one arrow at
2,000 steps rebuilt both). After any run of edits they must be what a fresh build
from the items gives, the routes what a fresh routing of the pathway gives, and
every label and badge where a placement from scratch puts it (the canvas places
labels from its kept label places, working out again only what changed)."""

from __future__ import annotations

import random

import pytest
from canvas_support import labels_equal_a_fresh_placement, make_canvas, sample_pathway
from PySide6.QtWidgets import QApplication

from designer.graph import routing
from designer.graph.model import Step
from designer.ui.commands import (AddStepCommand, MoveSettingCommand, MoveStepsCommand,
                                  RemoveItemsCommand, UpdateStepCommand)


def _fresh_boxes(scene) -> dict:
    boxes = {}
    for sid, item in scene._steps.items():
        pos = item.pos()
        boxes[sid] = routing.Node(sid, pos.x(), pos.y(), *item.size(),
                                  routing.shape_of(item.kind))
    return boxes


def _check(scene) -> None:
    QApplication.processEvents()
    scene.flush()
    scene.tidy_now()
    fresh = _fresh_boxes(scene)
    kept = scene._nodes_now()
    assert list(kept.items()) == list(fresh.items())          # same boxes, same order
    assert scene._box_index.same_as(routing.BoxIndex(fresh.values()))
    assert scene._box_index.far_apart() == routing._far_apart(fresh.values())
    expected = routing.route_pathway(scene.pathway)
    assert set(expected) == set(scene.transition_items())
    for key, route in expected.items():
        assert scene._routes[key] == route, key
        edge = scene.transition_items()[key]
        assert [tuple(p) for p in edge.route_points] == [tuple(p) for p in route.points], key
    labels_equal_a_fresh_placement(scene)


@pytest.mark.parametrize("far", [False, True])
def test_kept_boxes_and_index_equal_fresh_ones_after_adds_deletes_and_moves(qtbot, far):
    """``far``: one step stands beyond routing.FAR (as a 2,000-step pathway spreads),
    where labels sit at their preferred points, kept for arrows that did not change."""
    pathway = sample_pathway()
    if far:
        pathway = pathway.model_copy(update={"steps": [*pathway.steps, Step(
            id="far", name="Far away", kind="task", setting=pathway.settings[0].id,
            position=(routing.FAR + 5_000.0, 70.0))]})
    _, stack, scene, _view = make_canvas(qtbot, pathway)
    _check(scene)
    assert scene._box_index.far_apart() is far
    rng = random.Random(16)
    lanes = [s.id for s in pathway.settings]
    for n in range(24):
        ids = [s.id for s in pathway.steps if s.id != "far"]
        op = rng.choice(["add", "add", "remove", "move", "move", "lane", "kind", "lanes",
                         "undo"])
        if op == "add":
            stack.push(AddStepCommand(pathway, Step(
                id=f"n{n}", name=f"New {n}", kind=rng.choice(["task", "decision", "wait"]),
                setting=rng.choice(lanes),
                position=(300.0 + 60 * rng.randint(0, 20), 70.0 + 96 * rng.randint(0, 2)))))
        elif op == "remove":
            stack.push(RemoveItemsCommand(pathway, [rng.choice(ids)]))
        elif op == "move":
            stack.push(MoveStepsCommand(pathway, {rng.choice(ids): (
                rng.uniform(250, 2000), rng.uniform(40, 300))}))
        elif op == "lane":
            stack.push(MoveStepsCommand(pathway, {rng.choice(ids): (
                (rng.uniform(300, 1500), 70.0), rng.choice(lanes))}))
        elif op == "kind":
            sid = rng.choice([s.id for s in pathway.steps if s.kind.value == "task"])
            stack.push(UpdateStepCommand(pathway, sid, kind="wait"))
        elif op == "lanes":
            stack.push(MoveSettingCommand(pathway, rng.choice(
                [s.id for s in pathway.settings][1:]), 0))
        elif stack.canUndo():
            stack.undo()
        _check(scene)

