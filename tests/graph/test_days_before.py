"""days_before (the "before surgery" timeline of the rules) against a plain relaxation.

The index counts in-degrees while it collects the steps before the target (a
speed-up); this checks the start days it gives equal a slow, obvious longest-route
computation on the exemplars and on a generated 2,000-step pathway.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from designer.graph.io import load_pathway
from designer.graph.pathway_index import PathwayIndex
from designer.graph.vocabulary import Activity

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _pathways():
    for path in sorted((ROOT / "pathway_library").glob("*.yaml")):
        yield path.stem, load_pathway(path)
    from generate import make_pathway

    yield "generated-2000", make_pathway(2000)


def _slow_days(index: PathwayIndex, pathway, target: str, backs) -> tuple[set, dict]:
    edges = [(t.source, t.target, t.wait_days or 0.0) for t in pathway.transitions
             if (t.source, t.target) not in backs]
    before = {target}
    grew = True
    while grew:
        grew = False
        for a, b, _w in edges:
            if b in before and a not in before:
                before.add(a)
                grew = True
    duration = {s.id: s.duration_days or 0.0 for s in pathway.steps}
    start = dict.fromkeys(before, 0.0)
    for _ in range(len(before) + 1):          # Bellman-Ford style: at most |V| rounds
        changed = False
        for a, b, w in edges:
            if a in before and b in before and start[a] + duration[a] + w > start[b]:
                start[b] = start[a] + duration[a] + w
                changed = True
        if not changed:
            break
    return before, start


@pytest.mark.parametrize("name, pathway", list(_pathways()))
def test_days_before_matches_a_plain_longest_route(name, pathway):
    index = PathwayIndex(pathway)
    surgeries = index.with_activity(Activity.surgery) or [s.id for s in pathway.steps][-3:]
    assert surgeries
    for target in surgeries:
        before, start = index.days_before(target)
        backs = index._back_edges(index.reach([target], reverse=True))
        slow_before, slow_start = _slow_days(index, pathway, target, backs)
        assert before == slow_before, (name, target)
        assert start == pytest.approx(slow_start), (name, target)
