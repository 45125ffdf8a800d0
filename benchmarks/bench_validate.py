"""validate() with every rule pack on synthetic pathways (the editor runs it on every edit)."""

from __future__ import annotations


from generate import make_pathway
from timing import best_of

from designer.graph.network import build_graph
from designer.graph.timeline import compute_timeline
from designer.graph.validate import validate

SIZES = ((200, "<= 5"), (10_000, "<= 100"))
PACKS = ["perioperative", "diabetes"]



def _python_speed() -> float:
    """Seconds for a million empty loop turns: says how fast this machine runs Python."""
    def spin():
        for _ in range(1_000_000):
            pass
    return best_of(5, spin)


def run(report) -> None:
    report("validate", "machine: 1M empty Python loops (reference)", _python_speed() * 1000,
           "ms")
    for n, target in SIZES:
        pathway = make_pathway(n)
        repeats = 30 if n < 1_000 else 15  # best of many: the machine is shared
        validate(pathway, packs=PACKS)  # warm imports and caches of the modules
        whole = best_of(repeats, lambda: validate(pathway, packs=PACKS))
        graph = best_of(repeats, lambda: build_graph(pathway))
        timeline = best_of(repeats, lambda: compute_timeline(pathway))
        report("validate", f"all packs, {n:,} steps", whole * 1000, "ms", target)
        report("validate", f"build graph, {n:,} steps", graph * 1000, "ms")
        report("validate", f"timeline, {n:,} steps", timeline * 1000, "ms")


if __name__ == "__main__":
    def _print(area, measure, value, unit, target=""):
        print(f"{area:10} {measure:32} {value:10.2f} {unit:3} {target}")

    run(_print)
