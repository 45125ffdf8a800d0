"""Auto-layout: time for 500 steps, and crossings against Graphviz ``dot``.

All layouts are scored by the same counter
(:func:`designer.graph.layout.count_crossings_at`: straight centre-to-centre
segments). Graphviz gets the same graph with ``rankdir=LR`` twice: with one
cluster per lane (the fair comparison: steps must stay in their lane) and free
(no lanes, for reference: it may put a step anywhere). When ``dot`` is not
installed the rows say so.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import time

from generate import make_pathway

from designer.graph import geometry
from designer.graph.layout import auto_layout, count_crossings, count_crossings_at


def _dot_source(pathway, lanes: bool = True) -> str:
    lines = ["digraph pathway {", "  rankdir=LR;", "  node [shape=box, width=2, height=0.8];"]
    for setting in pathway.settings if lanes else ():
        members = [s.id for s in pathway.steps if s.setting == setting.id]
        lines.append(f'  subgraph "cluster_{setting.id}" {{')
        lines += [f'    "{sid}";' for sid in members]
        lines.append("  }")
    lines += [f'  "{t.source}" -> "{t.target}";' for t in pathway.transitions]
    lines.append("}")
    return "\n".join(lines)


def dot_points(pathway, lanes: bool = True, timeout: float = 120.0):
    """Node centres from ``dot -Tplain`` (inches; scale does not change crossings)."""
    out = subprocess.run(["dot", "-Tplain"], input=_dot_source(pathway, lanes), text=True,
                         capture_output=True, timeout=timeout, check=True).stdout
    points = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            points[parts[1].strip('"')] = (float(parts[2]), float(parts[3]))
    return points


def _naive(pathway):
    return {s.id: (geometry.FIRST_COLUMN_X + i * geometry.LAYER_SPACING, geometry.FIRST_ROW_Y)
            for i, s in enumerate(pathway.steps)}


def run(report) -> None:
    pathway = make_pathway(500)
    best = math.inf
    for _ in range(3):
        t = time.perf_counter()
        auto_layout(pathway)
        best = min(best, time.perf_counter() - t)
    report("layout", "auto-layout, 500 steps", best, "s", "<= 1")

    have_dot = shutil.which("dot") is not None
    for n, seed in ((60, 1), (200, 2), (500, 0)):
        pathway = make_pathway(n, seed=seed)
        ours = count_crossings(pathway, auto_layout(pathway))
        report("layout", f"crossings, ours ({n} steps)", ours, "crossings")
        report("layout", f"crossings, file order ({n} steps)",
               count_crossings(pathway, _naive(pathway)), "crossings")
        if not have_dot:
            report("layout", f"crossings, Graphviz dot ({n} steps): dot not installed",
                   math.nan, "crossings")
            continue
        t = time.perf_counter()
        theirs = count_crossings_at(pathway, dot_points(pathway))
        spent = time.perf_counter() - t
        report("layout", f"crossings, dot with a cluster per lane ({n} steps)", theirs,
               "crossings")
        report("layout", f"ours minus dot with lanes ({n} steps)", ours - theirs,
               "crossings", "<= 0")
        report("layout", f"crossings, dot free of lanes ({n} steps; reference)",
               count_crossings_at(pathway, dot_points(pathway, lanes=False)), "crossings")
        report("layout", f"Graphviz dot time, with lanes ({n} steps)", spent, "s")


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(lambda *row: print(*row))
