"""Edge routing and label placement (designer.graph.routing): time and what a reader sees.

Time: routing every transition of a synthetic pathway (benchmarks/generate.py,
auto-laid out) of 60, 200 and 500 steps, and placing their labels.

Picture: over the exemplars and six seeded random 40-step pathways, the
exported diagram measured by benchmarks/diagram_measures.py: (arrow, step)
pairs where an arrow runs through a step that is not its end, labels over
other labels or steps, labels nearer another arrow than their own, and pairs
of crossing arrows. The "before" rows are the same instrument run on the
drawing before the router (commit 8353af8: cubic curves arching over steps).
"""

from __future__ import annotations

from generate import make_pathway
from timing import best_of

# measured on 8353af8 with diagram_measures.py (exemplars; random 40-step, seeds 0-5)
BEFORE = {"exemplars": {"through": 8, "label_overlaps": 3, "label_not_nearest_own": 10,
                        "crossings": 13},
          "random": {"through": 12, "label_overlaps": 0, "label_not_nearest_own": 28,
                     "crossings": 24}}
_NAMES = {"through": "arrows through a step", "label_overlaps": "overlapping labels",
          "label_not_nearest_own": "labels nearer another arrow",
          "crossings": "crossing arrows"}


def run(report) -> None:
    from designer.graph import routing
    from designer.graph.layout import with_positions

    for n in (60, 200, 500):
        pathway = with_positions(make_pathway(n))
        nodes = routing.pathway_nodes(pathway)
        edges = routing.pathway_edges(pathway)
        seconds = best_of(3, lambda: routing.route_edges(nodes.values(), edges))
        report("routing", f"route all arrows, {n} steps", seconds * 1000, "ms",
               "<= 1000" if n == 500 else "")
        if n == 500:
            routes = routing.route_edges(nodes.values(), edges)
            labels = [routing.Label(t.key, 100, 38, 0.0) for t in pathway.transitions
                      if t.condition or t.wait_days]
            seconds = best_of(3, lambda: routing.place_labels(routes, nodes.values(), labels))
            report("routing", f"place {len(labels)} labels, {n} steps", seconds * 1000, "ms")
            moved = next(iter(nodes))
            node = nodes[moved]
            nodes[moved] = routing.Node(node.id, node.cx + 40, node.cy + 30, node.w, node.h,
                                        node.shape)
            own = [e.key for e in edges if moved in (e.source, e.target)]
            seconds = best_of(3, lambda: routing.route_edges(nodes.values(), edges,
                                                             only=own, previous=routes))
            report("routing", f"re-route after moving one step, {n} steps",
                   seconds * 1000, "ms", "<= 100")

    from diagram_measures import totals
    sums: dict[str, dict[str, int]] = {"exemplars": {}, "random": {}}
    for name, figures in totals().items():
        bucket = sums["random" if name.startswith("random") else "exemplars"]
        for key, value in figures.items():
            bucket[key] = bucket.get(key, 0) + value
    for group, figures in sums.items():
        for key, label in _NAMES.items():
            report("routing", f"{label}, {group}, before", BEFORE[group][key], "count")
            target = f"<= {BEFORE[group][key]}" if key == "crossings" else "<= 0"
            report("routing", f"{label}, {group}, now", figures[key], "count", target)
