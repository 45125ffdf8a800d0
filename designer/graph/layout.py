"""Lane-aware layered auto-layout: pure geometry, no Qt.

Steps stay in their setting's lane (the lanes are fixed horizontal bands, see
:mod:`designer.graph.geometry`); time runs left to right:

1. Columns by longest-path layering over the forward graph (loop-back
   transitions, such as an optimisation loop, are ignored), with start-less
   side steps pulled next to the step they lead to.
2. Inside each lane, steps sharing a column take separate rows; the order of
   the rows comes from barycentre sweeps (down and up the columns, several
   passes), keeping the order with the fewest crossings.
3. Positions use the shared spacing (``LAYER_SPACING``, ``ROW_SPACING``), so no
   two steps overlap.

:func:`count_crossings` counts pairs of transitions whose straight centre-to-centre
segments cross; the benchmark uses it for our layout and for Graphviz's alike.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from . import geometry
from .model import Pathway, StepKind

Position = tuple[float, float]
_PASSES = 8


def _back_edges(pathway: Pathway) -> set[tuple[str, str]]:
    from .network import loop_back_edges
    return loop_back_edges(pathway)


def _layers(pathway: Pathway, edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path column of each step over the forward (acyclic) edges."""
    ids = [s.id for s in pathway.steps]
    succ: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    indeg = {sid: 0 for sid in ids}
    for a, b in edges:
        succ[a].append(b)
        pred[b].append(a)
        indeg[b] += 1
    order: list[str] = []
    ready = [sid for sid in ids if indeg[sid] == 0]
    while ready:
        nxt: list[str] = []
        for sid in ready:
            order.append(sid)
            for b in succ[sid]:
                indeg[b] -= 1
                if indeg[b] == 0:
                    nxt.append(b)
        ready = nxt
    # Anything left sits on a cycle the loop-back search did not cut: append it.
    seen = set(order)
    order += [sid for sid in ids if sid not in seen]
    layer = {sid: 0 for sid in ids}
    for sid in order:
        for b in succ[sid]:
            if layer[b] < layer[sid] + 1:
                layer[b] = layer[sid] + 1
    kinds = {s.id: s.kind for s in pathway.steps}
    # A side step with no way in (say, a waiting-well offer) belongs just before
    # the step it leads to, not in the first column with the entry.
    for sid in reversed(order):
        if not pred[sid] and succ[sid] and kinds[sid] is not StepKind.entry:
            layer[sid] = max(0, min(layer[b] for b in succ[sid]) - 1)
    return layer


def _lane_of(pathway: Pathway) -> dict[str, int]:
    lanes = {s.id: i for i, s in enumerate(pathway.settings)}
    orphan = len(pathway.settings)
    return {s.id: lanes.get(s.setting or "", orphan) for s in pathway.steps}


def _positions(cells: dict[tuple[int, int], list[str]], lane_count: int
               ) -> tuple[dict[str, Position], dict[str, float]]:
    """Lane-relative positions and scene y (for crossing counts) from cell orders."""
    rows_in_lane = [1] * (lane_count + 1)
    for (lane, _layer), members in cells.items():
        rows_in_lane[lane] = max(rows_in_lane[lane], len(members))
    tops, top = [], 0.0
    for rows in rows_in_lane:
        tops.append(top)
        top += max(geometry.LANE_MIN_HEIGHT,
                   geometry.FIRST_ROW_Y + (rows - 1) * geometry.ROW_SPACING + 80.0)
    positions: dict[str, Position] = {}
    scene_y: dict[str, float] = {}
    for (lane, layer), members in cells.items():
        x = geometry.FIRST_COLUMN_X + layer * geometry.LAYER_SPACING
        for row, sid in enumerate(members):
            y = geometry.FIRST_ROW_Y + row * geometry.ROW_SPACING
            positions[sid] = (x, y)
            scene_y[sid] = tops[lane] + y
    return positions, scene_y


def _sweep(cells: dict[tuple[int, int], list[str]], scene_y: dict[str, float],
           neighbours: dict[str, list[str]], layers: list[int]) -> None:
    """Reorder each cell by the mean height of each step's neighbours."""
    by_layer: dict[int, list[list[str]]] = defaultdict(list)
    for (_lane, lay), members in cells.items():     # index once; keeps the cells' order
        if len(members) >= 2:
            by_layer[lay].append(members)
    for layer in layers:
        for members in by_layer.get(layer, ()):
            current = {sid: i for i, sid in enumerate(members)}

            def weight(sid: str) -> tuple[float, int]:
                ys = [scene_y[n] for n in neighbours[sid] if n in scene_y]
                return (sum(ys) / len(ys) if ys else scene_y[sid], current[sid])

            members.sort(key=weight)
            base = min(scene_y[m] for m in members)
            for row, sid in enumerate(members):
                scene_y[sid] = base + row * geometry.ROW_SPACING


def auto_layout(pathway: Pathway) -> dict[str, Position]:
    """Positions (lane-relative, see geometry) for every step; nothing overlaps.

    Parameters
    ----------
    pathway:
        The pathway; it is not changed (apply the result with an undoable command).

    Returns
    -------
    dict
        step id -> ``(x, y)`` centre, x in scene units, y from the top of its lane.
    """
    if not pathway.steps:
        return {}
    known = {s.id for s in pathway.steps}
    edges = [(t.source, t.target) for t in pathway.transitions
             if t.source in known and t.target in known and t.source != t.target]
    back = _back_edges(pathway)
    forward = list(dict.fromkeys(e for e in edges if e not in back))
    layer = _layers(pathway, forward)
    lane = _lane_of(pathway)
    # Start from the current vertical order (a stable, user-recognisable start).
    start_y = {s.id: (s.position[1] if s.position else 0.0, i)
               for i, s in enumerate(pathway.steps)}
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for sid in sorted(known, key=lambda k: start_y[k]):
        cells[(lane[sid], layer[sid])].append(sid)
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for a, b in forward:
        succs[a].append(b)
        preds[b].append(a)
    lane_count = len(pathway.settings)
    positions, scene_y = _positions(cells, lane_count)
    best = (count_crossings(pathway, positions), {k: list(v) for k, v in cells.items()})
    if best[0] == 0 or all(len(v) < 2 for v in cells.values()):
        return positions
    order = sorted({lay for _, lay in cells})
    for n in range(_PASSES):
        if n % 2 == 0:
            _sweep(cells, scene_y, preds, order[1:])
        else:
            _sweep(cells, scene_y, succs, order[-2::-1])
        positions, scene_y = _positions(cells, lane_count)
        crossings = count_crossings(pathway, positions)
        if crossings < best[0]:
            best = (crossings, {k: list(v) for k, v in cells.items()})
            if crossings == 0:
                break
    positions, _ = _positions(best[1], lane_count)
    return positions


# ------------------------------------------------------------------ crossings


def _scene_points(pathway: Pathway, positions: Mapping[str, Position]
                  ) -> dict[str, Position]:
    """Scene centres for lane-relative ``positions`` (lanes as tall as they need)."""
    need: dict[str, float] = defaultdict(lambda: geometry.LANE_MIN_HEIGHT)
    lane_ids = [s.id for s in pathway.settings]
    lane = {s.id: (s.setting if s.setting in lane_ids else "") for s in pathway.steps}
    for s in pathway.steps:
        if s.id in positions:
            h = geometry.STEP_HEIGHT[s.kind]
            need[lane[s.id]] = max(need[lane[s.id]],
                                   positions[s.id][1] + h / 2 + geometry.LANE_PADDING)
    tops, top = {}, 0.0
    for lid in lane_ids + [""]:
        tops[lid] = top
        top += need[lid]
    return {sid: (x, tops[lane[sid]] + y) for sid, (x, y) in positions.items()
            if sid in lane}


def _cross(p1: Position, p2: Position, q1: Position, q2: Position) -> bool:
    def orient(a: Position, b: Position, c: Position) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return ((d1 > 0) != (d2 > 0) and d1 != 0 and d2 != 0
            and (d3 > 0) != (d4 > 0) and d3 != 0 and d4 != 0)


def count_crossings(pathway: Pathway, positions: Mapping[str, Position]) -> int:
    """How many pairs of transitions cross, drawn as straight centre-to-centre lines.

    ``positions`` are lane-relative (the geometry convention); transitions that
    share a step never count as crossing.
    """
    return count_crossings_at(pathway, _scene_points(pathway, positions))


def count_crossings_at(pathway: Pathway, points: Mapping[str, Position]) -> int:
    """:func:`count_crossings` for absolute points (e.g. another tool's layout).

    A sweep over x keeps this fast on large pathways: only segments whose x
    ranges overlap are compared.
    """
    segments = []
    for t in pathway.transitions:
        a, b = points.get(t.source), points.get(t.target)
        if a is None or b is None or t.source == t.target:
            continue
        lo, hi = min(a[0], b[0]), max(a[0], b[0])
        segments.append((lo, hi, a, b, t.source, t.target))
    segments.sort(key=lambda s: s[0])
    active: list[tuple] = []
    count = 0
    for seg in segments:
        lo = seg[0]
        active = [s for s in active if s[1] >= lo]
        for other in active:
            if {seg[4], seg[5]} & {other[4], other[5]}:
                continue
            if _cross(seg[2], seg[3], other[2], other[3]):
                count += 1
        active.append(seg)
    return count


def with_positions(pathway: Pathway) -> Pathway:
    """A shallow copy in which every step has a position (auto-laid-out where missing).

    Shared by the interop exports and the diagram so all of them agree on where
    a step is. The pathway passed in is not changed.
    """
    if all(s.position is not None for s in pathway.steps):
        return pathway
    placed = auto_layout(pathway)
    steps = [s if s.position is not None or s.id not in placed
             else s.model_copy(update={"position": tuple(placed[s.id])})
             for s in pathway.steps]
    return pathway.model_copy(update={"steps": steps})
