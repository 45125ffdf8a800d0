"""Auto-layout: lanes respected, flow left to right, no overlaps, fewer crossings."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from designer.graph import geometry
from designer.graph.layout import auto_layout, count_crossings
from designer.graph.model import Pathway, Setting, Step, Transition

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402


def _overlaps(pathway: Pathway, positions) -> list[tuple[str, str]]:
    boxes = []
    for s in pathway.steps:
        x, y = positions[s.id]
        w, h = geometry.step_size(s.kind)
        boxes.append((s.id, s.setting, x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] == b[1] and a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]:
                bad.append((a[0], b[0]))
    return bad


@pytest.mark.parametrize("n", [12, 60, 200])
def test_no_overlaps_and_lanes_kept(n):
    pathway = make_pathway(n, seed=n)
    positions = auto_layout(pathway)
    assert set(positions) == {s.id for s in pathway.steps}
    assert not _overlaps(pathway, positions)
    for s in pathway.steps:
        x, y = positions[s.id]
        w, h = geometry.step_size(s.kind)
        assert x - w / 2 > geometry.LANE_HEADER_WIDTH      # right of the lane header
        assert y - h / 2 > 0                                 # inside its own lane
    assert pathway.model_dump() == make_pathway(n, seed=n).model_dump()   # pure


def test_flow_runs_left_to_right_except_loop_backs():
    from designer.graph.network import loop_back_edges
    pathway = make_pathway(80)
    positions = auto_layout(pathway)
    back = loop_back_edges(pathway)
    for t in pathway.transitions:
        if (t.source, t.target) not in back:
            assert positions[t.source][0] < positions[t.target][0], t.key


def _shuffled(seed: int) -> Pathway:
    """Two lanes, random DAG edges, steps in a naive order (file order, one row)."""
    rng = random.Random(seed)
    lanes = [Setting(id="gp", name="GP", kind="primary"),
             Setting(id="hosp", name="Hospital", kind="secondary")]
    steps = [Step(id=f"s{i}", name=f"S{i}", setting=rng.choice(["gp", "hosp"]),
                  position=(300.0 + 210 * (i // 3), 70.0 + 96 * (i % 3))) for i in range(24)]
    edges = set()
    for i in range(1, 24):
        edges.add((f"s{rng.randrange(0, i)}", f"s{i}"))
    for _ in range(12):
        a, b = sorted(rng.sample(range(24), 2))
        edges.add((f"s{a}", f"s{b}"))
    return Pathway(id="random", title="Random", settings=lanes, steps=steps,
                   transitions=[Transition(source=a, target=b) for a, b in sorted(edges)])


@pytest.mark.parametrize("seed", range(6))
def test_crossings_not_worse_than_naive_order(seed):
    pathway = _shuffled(seed)
    naive = {s.id: s.position for s in pathway.steps}
    laid = auto_layout(pathway)
    assert count_crossings(pathway, laid) <= count_crossings(pathway, naive)
    assert not _overlaps(pathway, laid)


def test_count_crossings_counts_an_x():
    lanes = [Setting(id="a", name="A", kind="home")]
    steps = [Step(id=i, name=i, setting="a", position=pos) for i, pos in
             (("p", (300, 70)), ("q", (300, 166)), ("r", (510, 70)), ("s", (510, 166)))]
    cross = Pathway(id="x", title="X", settings=lanes, steps=steps, transitions=[
        Transition(source="p", target="s"), Transition(source="q", target="r")])
    assert count_crossings(cross, {s.id: s.position for s in steps}) == 1
    parallel = cross.model_copy(update={"transitions": [
        Transition(source="p", target="r"), Transition(source="q", target="s")]})
    assert count_crossings(parallel, {s.id: s.position for s in steps}) == 0
    # auto-layout untangles the X
    assert count_crossings(cross, auto_layout(cross)) == 0


def test_cycles_without_entry_and_unknown_lanes_do_not_break_it():
    steps = [Step(id="a", name="A", setting="gp"), Step(id="b", name="B", setting="nowhere"),
             Step(id="c", name="C", setting="gp")]
    pathway = Pathway(id="loop", title="Loop", settings=[
        Setting(id="gp", name="GP", kind="primary")], steps=steps, transitions=[
        Transition(source="a", target="b"), Transition(source="b", target="c"),
        Transition(source="c", target="a"), Transition(source="c", target="ghost")])
    positions = auto_layout(pathway)
    assert set(positions) == {"a", "b", "c"}
    assert not _overlaps(pathway, positions)
    assert auto_layout(Pathway(id="empty", title="Empty")) == {}
