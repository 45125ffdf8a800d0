"""Arrows on the canvas go round the steps in their way (shared geometry with exports)."""

from __future__ import annotations

from canvas_support import make_canvas
from PySide6.QtCore import QPointF

from designer.graph.model import Pathway


def _skipping_pathway() -> Pathway:
    steps = [{"id": f"s{i}", "name": f"Step {i}", "setting": "hospital", "owner": "nurse",
              "kind": kind, "position": [260 + 210 * i, 70]}
             for i, kind in enumerate(["entry", "decision", "task", "exit"])]
    return Pathway.model_validate({
        "id": "skip", "title": "Skip",
        "settings": [{"id": "hospital", "name": "Hospital", "kind": "secondary"}],
        "roles": [{"id": "nurse", "name": "Nurse"}], "steps": steps,
        "transitions": [{"from": "s0", "to": "s1"},
                        {"from": "s1", "to": "s2", "condition": "Problem found"},
                        {"from": "s1", "to": "s3", "condition": "No problem found"},
                        {"from": "s2", "to": "s3"}]})


def _runs_through(path, rect) -> bool:
    return any(rect.contains(path.pointAtPercent(i / 200)) for i in range(201))


def test_a_branch_that_skips_a_step_arches_over_it(qtbot):
    _, _, scene, _ = make_canvas(qtbot, _skipping_pathway())
    scene.flush()
    skipping = scene.item_for("s1->s3")
    in_the_way = scene.item_for("s2").sceneBoundingRect()
    assert not _runs_through(skipping.path(), in_the_way)
    # the neighbours' own arrows still run straight, side to side
    straight = scene.item_for("s1->s2").path()
    assert abs(straight.pointAtPercent(0.5).y() - straight.pointAtPercent(0).y()) < 1


def test_the_arch_follows_when_the_step_in_the_way_moves_out(qtbot):
    _, stack, scene, _ = make_canvas(qtbot, _skipping_pathway())
    from designer.ui.commands import MoveStepsCommand

    scene.flush()
    arched = scene.item_for("s1->s3").path().boundingRect().top()
    stack.push(MoveStepsCommand(scene.pathway, {"s2": (680.0, 200.0)}))
    scene.flush()
    assert scene.item_for("s1->s3").path().boundingRect().top() > arched


def test_canvas_draws_the_shared_routes_round_steps_with_labels_on_their_own_arrow(qtbot):
    """The diabetes clinic on the canvas: no arrow through a step that is not its end,
    and each condition card nearest its own arrow (as in the exported diagram)."""
    import math
    from pathlib import Path

    from designer.graph.io import load_pathway

    root = Path(__file__).resolve().parents[2]
    pathway = load_pathway(root / "pathway_library" / "diabetes-preop-clinic.yaml")
    _, _, scene, _ = make_canvas(qtbot, pathway)
    scene.tidy_now()
    steps = scene.step_items()
    samples = {}
    for key, edge in scene.transition_items().items():
        path = edge.path()
        samples[key] = [(path.pointAtPercent(i / 300).x(), path.pointAtPercent(i / 300).y())
                        for i in range(301)]
        for sid, item in steps.items():
            if sid in (edge.source, edge.target):
                continue
            inner = item.mapToScene(item.shape())
            assert not any(inner.contains(QPointF(x, y)) for x, y in samples[key]), (key, sid)
    # a decision's owner caption (under the diamond) is not crossed by an arrow
    for sid, item in steps.items():
        if item._below is not None:
            caption = item._below.sceneBoundingRect().adjusted(1, 1, -1, -1)
            assert not any(caption.contains(QPointF(x, y))
                           for pts in samples.values() for x, y in pts), sid
    for key, edge in scene.transition_items().items():
        if edge.label is None:
            continue
        centre = edge.label.sceneBoundingRect().center()

        def distance(k):
            return min(math.hypot(centre.x() - x, centre.y() - y) for x, y in samples[k])

        assert min(samples, key=distance) == key
