"""Every exemplar says which of a step's ways on are taken together and which are chosen.

The truth is the model's documented meaning (docs/design-extensions.md,
``transitions[].parallel``): unmarked branches out of a task are alternatives,
and an alternative needs a condition saying when it is taken. So where a
non-decision step has two or more ways on without a condition, those ways are
marked ``parallel`` (a choice needs its conditions first). The PREPARE plan's parts come from /work/shared/DOMAIN.md
("a 4-6 week personal plan: activity, diet, psychological wellbeing").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.graph.elements import StepKind
from designer.graph.io import load_pathway

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_unconditioned_way_out_of_a_fork_is_marked_parallel(path):
    pathway = load_pathway(path)
    kinds = {s.id: s.kind for s in pathway.steps}
    ways: dict[str, list] = {}
    for t in pathway.transitions:
        ways.setdefault(t.source, []).append(t)
    unmarked = [t.key for step, out in ways.items()
                if kinds[step] is not StepKind.decision
                and sum(not t.condition for t in out) >= 2
                for t in out if not t.condition and not t.parallel]
    assert unmarked == []


def test_prepare_plan_parts_run_alongside_each_other():
    pathway = load_pathway(LIBRARY / "prepare-og-imperial.yaml")
    out = {t.target: t.parallel for t in pathway.transitions if t.source == "personal-plan"}
    assert out == {"plan-activity": True, "plan-diet": True, "plan-wellbeing": True}
