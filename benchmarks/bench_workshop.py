"""Clinical diff and action log on synthetic pathways (diff runs when a comparison opens)."""

from __future__ import annotations


from generate import make_pathway
from timing import best_of

from designer.export.action_log import to_csv
from designer.graph.diff import diff_pathways
from designer.graph.model import Priority



def _variant(n: int):
    """A copy with about 5% of steps renamed, retimed or re-owned, and one step gone."""
    a, b = make_pathway(n), make_pathway(n)
    for i, step in enumerate(list(b.steps)):
        if i % 20 == 1:
            b.update_step(step.id, duration_days=(step.duration_days or 0) + 3)
        elif i % 20 == 7:
            b.rename_step(step.id, f"{step.id}-x")
    return a, b


def run(report) -> None:
    for n, target in ((200, "<= 10"), (10_000, "<= 500")):
        a, b = _variant(n)
        seconds = best_of(5 if n < 1_000 else 3, lambda: diff_pathways(a, b))
        report("workshop", f"diff_pathways, {n:,} steps, ~10% changed", seconds * 1000, "ms",
               target)
    p = make_pathway(200)
    for i in range(100):
        p.add_priority(Priority(id=f"p{i}", title=f"Priority {i}",
                                steps=[s.id for s in p.steps[i:i + 3]]))
    report("workshop", "action log CSV, 100 priorities", best_of(5, lambda: to_csv(p)) * 1000,
           "ms", "<= 50")
