"""Edge routing and label placement for the diagram: pure geometry, no Qt.

One router for the canvas, the SVG/PNG pictures, the specification's diagram and
the BPMN waypoints, so every picture of a pathway draws the same arrows.

Routes are orthogonal polylines (the painters round their bends). Each one
leaves its source through a *port* on one side of the box and enters its target
through a port on another; ports sharing a side are spread along it, ordered by
where the other end lies, so arrows do not start on top of each other.

Between the two short stubs that stand off the ports, a route is the cheapest
path over a sparse grid whose lines run just clear of the boxes near the edge
and down the middle of the gaps between them (the channels between columns,
rows and lanes). Cost is length plus a penalty per bend, per crossing of an
arrow routed before, and per length run on top of one; grid steps through any
box are forbidden, so no arrow passes through a step that is not its own end.
Loop-backs (a target to the left) go out under (or over) the source, along the
gap channel, and into the target from below (or above).

:func:`place_labels` puts each label (a condition, a wait, a handoff badge) on
its own arrow: a condition as close to the decision as it fits, never over a
step, another label, or another arrow's line.

Boxes are kept in a bucket grid, so the work for one edge depends on the boxes
near it, not on the size of the pathway.
"""

from __future__ import annotations

import bisect
import heapq
import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

Point = tuple[float, float]
Rect = tuple[float, float, float, float]          # left, top, right, bottom

MARGIN = 14.0          # how far a route keeps from a box it passes (and a port's stub)
BEND_COST = 40.0       # one bend is worth this much length
CROSS_COST = 60.0      # crossing an arrow routed earlier
SHARE_COST = 8.0       # per unit of length run on top of an earlier arrow
REGION = 180.0         # how far round an edge's ends the grid first looks
BUCKET = 200.0         # bucket size of the box index
CORNER = 8.0           # radius of a rounded bend
#: Steps further apart than this (in either direction) get plain three-stretch
#: routes and labels at their preferred place: the bucket grids and the label
#: search walk the space between them, and a file with positions near 1e9 would
#: need billions of cells (issue 10). Nothing the editor draws is this large.
FAR = 200_000.0
SIDES = ("E", "W", "N", "S")
_NORMAL = {"E": (1.0, 0.0), "W": (-1.0, 0.0), "N": (0.0, -1.0), "S": (0.0, 1.0)}
_DIRS = ((1, 0), (-1, 0), (0, 1), (0, -1))      # grid moves: +x, -x, +y, -y


@dataclass(frozen=True)
class Node:
    """A step's box: centre, size and outline (``rect``, ``diamond`` or ``round``)."""

    id: str
    cx: float
    cy: float
    w: float
    h: float
    shape: str = "rect"

    @property
    def rect(self) -> Rect:
        return (self.cx - self.w / 2, self.cy - self.h / 2,
                self.cx + self.w / 2, self.cy + self.h / 2)


@dataclass(frozen=True)
class Edge:
    key: str
    source: str
    target: str


@dataclass
class Route:
    """An orthogonal polyline from the source's port to the target's port."""

    key: str
    points: list[Point]
    source_side: str = "E"
    target_side: str = "W"

    def length(self) -> float:
        return sum(abs(b[0] - a[0]) + abs(b[1] - a[1])
                   for a, b in zip(self.points, self.points[1:]))

    def point_at(self, distance: float) -> tuple[Point, bool]:
        """The point ``distance`` along the route and whether its segment is horizontal."""
        left = max(0.0, distance)
        for a, b in zip(self.points, self.points[1:]):
            seg = abs(b[0] - a[0]) + abs(b[1] - a[1])
            if seg <= 0:
                continue
            if left <= seg:
                f = left / seg
                return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f), a[1] == b[1]
            left -= seg
        a, b = self.points[-2], self.points[-1]
        return b, a[1] == b[1]

    def segments(self) -> Iterable[tuple[Point, Point]]:
        return ((a, b) for a, b in zip(self.points, self.points[1:]) if a != b)


# ----------------------------------------------------------------- box index


class BoxIndex:
    """Boxes in buckets of ``BUCKET`` units: which boxes touch a rectangle."""

    def __init__(self, nodes: Iterable[Node]):
        self.nodes: dict[str, Node] = {}
        self._buckets: dict[tuple[int, int], list[Node]] = {}
        # (left, top, right, bottom) of all the boxes, kept while boxes come, and
        # worked out again only when a box on the edge of it goes (None: to work out)
        self._extent: Rect | None = (math.inf, math.inf, -math.inf, -math.inf)
        for node in nodes:
            self.add(node)

    def add(self, node: Node) -> None:
        if node.id in self.nodes:          # a box moved: only its new place counts
            self.discard(node.id)
        self.nodes[node.id] = node
        left, top, right, bottom = node.rect
        extent = self._extent
        if extent is not None:
            self._extent = (min(extent[0], left), min(extent[1], top),
                            max(extent[2], right), max(extent[3], bottom))
        for bx in range(int(left // BUCKET), int(right // BUCKET) + 1):
            for by in range(int(top // BUCKET), int(bottom // BUCKET) + 1):
                self._buckets.setdefault((bx, by), []).append(node)

    def discard(self, node_id: str) -> None:
        """Take a box out (nothing when it is not in); ``add`` it again where it moved."""
        node = self.nodes.pop(node_id, None)
        if node is None:
            return
        left, top, right, bottom = node.rect
        extent = self._extent
        if extent is not None and (left <= extent[0] or top <= extent[1]
                                   or right >= extent[2] or bottom >= extent[3]):
            self._extent = None
        for bx in range(int(left // BUCKET), int(right // BUCKET) + 1):
            for by in range(int(top // BUCKET), int(bottom // BUCKET) + 1):
                bucket = self._buckets.get((bx, by))
                if bucket is None:
                    continue
                bucket[:] = [n for n in bucket if n is not node]
                if not bucket:
                    del self._buckets[(bx, by)]

    def extent(self) -> Rect | None:
        """(left, top, right, bottom) round every box; None when there is none."""
        if self._extent is None:
            rects = [n.rect for n in self.nodes.values()]
            self._extent = ((min(r[0] for r in rects), min(r[1] for r in rects),
                             max(r[2] for r in rects), max(r[3] for r in rects))
                            if rects else (math.inf, math.inf, -math.inf, -math.inf))
        if not self.nodes:
            return None
        return self._extent

    def far_apart(self) -> bool:
        """:func:`_far_apart` of the boxes held, without a walk over them."""
        extent = self.extent()
        return extent is not None and (extent[2] - extent[0] > FAR
                                       or extent[3] - extent[1] > FAR)

    def same_as(self, other: "BoxIndex") -> bool:
        """The same boxes in the same buckets (in whatever order each bucket holds
        them) and the same extent: what a kept index is checked against a fresh one by."""
        def content(index):
            return {k: sorted((n.id, n) for n in v) for k, v in index._buckets.items()}
        return (self.nodes == other.nodes and content(self) == content(other)
                and self.extent() == other.extent())

    def query(self, rect: Rect) -> list[Node]:
        left, top, right, bottom = rect
        found: dict[str, Node] = {}
        columns = range(int(left // BUCKET), int(right // BUCKET) + 1)
        rows = range(int(top // BUCKET), int(bottom // BUCKET) + 1)
        if len(columns) * len(rows) > len(self._buckets):
            # a rectangle wider than the boxes' buckets (steps placed very far apart):
            # look at every box rather than at billions of empty buckets
            buckets: Iterable[list[Node]] = [list(self.nodes.values())]
        else:
            buckets = (self._buckets.get((bx, by), ()) for bx in columns for by in rows)
        for bucket in buckets:
            for node in bucket:
                nl, nt, nr, nb = node.rect
                if nl < right and nr > left and nt < bottom and nb > top:
                    found[node.id] = node
        return list(found.values())


# ---------------------------------------------------------------------- ports


def _sides(a: Node, b: Node, fan: str | None = None) -> tuple[str, str]:
    """Which side of ``a`` an arrow to ``b`` leaves by, and which side of ``b`` it enters."""
    if b.cx - b.w / 2 >= a.cx + a.w / 2 + 2 * MARGIN:            # forwards in time
        return (fan or "E"), "W"
    if abs(b.cx - a.cx) < (a.w + b.w) / 2:                         # one column
        if b.cy - b.h / 2 >= a.cy + a.h / 2 + MARGIN:
            return "S", "N"
        if b.cy + b.h / 2 <= a.cy - a.h / 2 - MARGIN:
            return "N", "S"
    if b.cx > a.cx:                                                  # close, to the right
        return "E", "W"
    # back in time: a loop, out and in through the side facing the other box's row
    if b.cy + b.h / 2 <= a.cy - a.h / 2:
        return "N", "S"
    if b.cy - b.h / 2 >= a.cy + a.h / 2:
        return "S", "N"
    return "S", "S"


def _fan_sides(nodes: Mapping[str, Node], edges: Sequence[Edge]) -> dict[str, str]:
    """For a decision with several forward branches: the top- and bottom-most branches
    going to another row leave by the diamond's top and bottom corners."""
    out: dict[str, list[Edge]] = {}
    for e in edges:
        a = nodes.get(e.source)
        if a is not None and a.shape == "diamond":    # (only a decision's branches fan)
            out.setdefault(e.source, []).append(e)
    fan: dict[str, str] = {}
    for source, group in out.items():
        a = nodes[source]
        if len(group) < 2:
            continue
        forward = [e for e in group if e.target in nodes
                   and nodes[e.target].cx - nodes[e.target].w / 2 >= a.cx + a.w / 2 + 2 * MARGIN]
        if len(forward) < 2:
            continue
        forward.sort(key=lambda e: (nodes[e.target].cy, nodes[e.target].cx))
        top, bottom = forward[0], forward[-1]
        many = len(forward) >= 3      # three or more: the corners spread them apart
        if many or nodes[top.target].cy < a.cy - a.h / 2:
            fan[top.key] = "N"
        if many or nodes[bottom.target].cy > a.cy + a.h / 2:
            fan[bottom.key] = "S"
    return fan


def _outline(node: Node, side: str, offset: float) -> Point:
    """The point of ``node``'s outline on ``side``, ``offset`` from the side's middle."""
    hw, hh = node.w / 2, node.h / 2
    if side in ("E", "W"):
        sign = 1 if side == "E" else -1
        if node.shape == "diamond":
            reach = hw * (1 - min(1.0, abs(offset) / hh))
        elif node.shape == "round":
            r = hh
            reach = hw - r + math.sqrt(max(0.0, r * r - offset * offset))
        else:
            reach = hw
        return node.cx + sign * reach, node.cy + offset
    sign = 1 if side == "S" else -1
    if node.shape == "diamond":
        reach = hh * (1 - min(1.0, abs(offset) / hw))
    elif node.shape == "round" and abs(offset) > hw - hh:
        r = hh
        d = abs(offset) - (hw - hh)
        reach = math.sqrt(max(0.0, r * r - d * d))
    else:
        reach = hh
    return node.cx + offset, node.cy + sign * reach


def _spread(node: Node, side: str, count: int, index: int) -> float:
    """Offset from the side's middle of the ``index``-th of ``count`` ports."""
    if count <= 1:
        return 0.0
    length = node.h if side in ("E", "W") else node.w
    span = length * (0.5 if node.shape == "diamond" else 0.7)
    span = min(span, 16.0 * (count - 1))
    return -span / 2 + span * index / (count - 1)


def _reach(node: Node, side: str) -> float:
    """How far from a side's middle a lone port may move (to meet its arrow straight)."""
    length = node.h if side in ("E", "W") else node.w
    return length * (0.25 if node.shape == "diamond" else 0.35)


_FACING = {("E", "W"), ("W", "E"), ("N", "S"), ("S", "N")}


def _align_ports(nodes: Mapping[str, Node], edges: Sequence[Edge],
                 sides: Mapping[str, tuple[str, str]], ports: dict[tuple[str, int], Point],
                 counts: Mapping[tuple[str, str], int]) -> None:
    """Where an arrow joins two facing sides and one end is the only port on its
    side, move that port in line with the other end: a straight line, not a jog."""
    for e in edges:
        sa, sb = sides[e.key]
        if (sa, sb) not in _FACING:
            continue
        axis = 1 if sa in ("E", "W") else 0           # the coordinate along the side
        a, b = nodes[e.source], nodes[e.target]
        pa, pb = ports[(e.key, 0)], ports[(e.key, 1)]
        if pa[axis] == pb[axis]:
            continue
        lone_a, lone_b = counts[(a.id, sa)] == 1, counts[(b.id, sb)] == 1
        for lone, node, side, which, want in ((lone_b, b, sb, 1, pa[axis]),
                                              (lone_a, a, sa, 0, pb[axis])):
            centre = node.cy if axis == 1 else node.cx
            if lone and abs(want - centre) <= _reach(node, side):
                ports[(e.key, which)] = _outline(node, side, want - centre)
                break


def _stub(node: Node, side: str, port: Point) -> Point:
    """Where a route stands off ``port``: ``MARGIN`` outside the box's bounding rect."""
    left, top, right, bottom = node.rect
    if side == "E":
        return right + MARGIN, port[1]
    if side == "W":
        return left - MARGIN, port[1]
    if side == "N":
        return port[0], top - MARGIN
    return port[0], bottom + MARGIN


# ---------------------------------------------------------------------- grid


def _lines(values: list[tuple[float, float]], extra: Iterable[float], lo: float, hi: float
           ) -> list[float]:
    """Grid lines on one axis: just clear of each box and down the middle of each gap."""
    lines = {lo, hi, *extra}
    merged: list[list[float]] = []
    for start, end in sorted(values):
        lines.add(start)
        lines.add(end)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for (_, end), (start, _) in zip(merged, merged[1:]):
        if start - end > MARGIN:
            lines.add((start + end) / 2)
    return sorted(v for v in lines if lo <= v <= hi)


class _Grid:
    """The sparse routing grid of one edge, with what each grid step costs."""

    def __init__(self, xs: list[float], ys: list[float], boxes: Sequence[Rect],
                 segments: Sequence[tuple[bool, float, float, float]]):
        self.xs, self.ys = xs, ys
        nx, ny = len(xs), len(ys)
        self.blocked = bytearray(nx * ny)
        self.hblock = bytearray(nx * ny)      # step (i, j) -> (i + 1, j)
        self.vblock = bytearray(nx * ny)      # step (i, j) -> (i, j + 1)
        for left, top, right, bottom in boxes:
            i0, i1 = bisect.bisect_right(xs, left), bisect.bisect_left(xs, right)
            j0, j1 = bisect.bisect_right(ys, top), bisect.bisect_left(ys, bottom)
            # nodes strictly inside the box
            for j in range(j0, j1):
                row = j * nx
                for i in range(i0, i1):
                    self.blocked[row + i] = 1
                # horizontal steps at this height that overlap the box's width
                for i in range(max(0, i0 - 1), min(nx - 1, i1)):
                    self.hblock[row + i] = 1
            for i in range(i0, i1):
                for j in range(max(0, j0 - 1), min(ny - 1, j1)):
                    self.vblock[j * nx + i] = 1
        self.hcost: dict[int, float] = {}
        self.vcost: dict[int, float] = {}
        for horizontal, at, a, b in segments:
            if horizontal:
                _charge(xs, ys, self.vcost, self.hcost, at, a, b, nx, 1)
            else:
                _charge(ys, xs, self.hcost, self.vcost, at, a, b, nx, 0)


class _Placed:
    """Segments of the routes found so far (in buckets), to charge crossings and
    shared runs."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, int], list[tuple[str, bool, float, float, float]]] = {}

    def add(self, route: Route) -> None:
        for (x0, y0), (x1, y1) in route.segments():
            if y0 == y1:
                seg = (route.key, True, y0, min(x0, x1), max(x0, x1))
            else:
                seg = (route.key, False, x0, min(y0, y1), max(y0, y1))
            for bx in range(int(min(x0, x1) // BUCKET), int(max(x0, x1) // BUCKET) + 1):
                for by in range(int(min(y0, y1) // BUCKET), int(max(y0, y1) // BUCKET) + 1):
                    self._buckets.setdefault((bx, by), []).append(seg)

    def near(self, lo_x: float, lo_y: float, hi_x: float, hi_y: float,
             skip: str | None = None) -> tuple[tuple[bool, float, float, float], ...]:
        """The segments a grid over ``(lo_x, lo_y)-(hi_x, hi_y)`` is charged for, in the
        order they are charged (segments of the route ``skip`` left out): crossing one,
        or running along one, costs more. Everything a route's cost depends on besides
        the boxes, so it is also what :class:`RouteCache` compares."""
        seen: set[int] = set()
        found = []
        for bx in range(int(lo_x // BUCKET), int(hi_x // BUCKET) + 1):
            for by in range(int(lo_y // BUCKET), int(hi_y // BUCKET) + 1):
                for seg in self._buckets.get((bx, by), ()):
                    if id(seg) in seen or seg[0] == skip:
                        continue
                    seen.add(id(seg))
                    key, horizontal, at, a, b = seg
                    if horizontal:
                        if lo_y <= at <= hi_y and b >= lo_x and a <= hi_x:
                            found.append(seg[1:])
                    elif lo_x <= at <= hi_x and b >= lo_y and a <= hi_y:
                        found.append(seg[1:])
        return tuple(found)


def _charge(along: list[float], across: list[float], cross_cost: dict, share_cost: dict,
            at: float, a: float, b: float, nx: int, horizontal: int) -> None:
    """Charge the grid steps crossing, or running on, a segment from ``a`` to ``b`` at
    ``at`` (``along`` is the axis the segment runs on, ``across`` the other)."""
    if at < across[0] or at > across[-1] or b < along[0] or a > along[-1]:
        return
    j = bisect.bisect_left(across, at)
    on_line = j < len(across) and abs(across[j] - at) < 0.5
    k = j if on_line else j - 1          # the crossing step k -> k + 1
    inside = range(bisect.bisect_right(along, a + 0.5), bisect.bisect_left(along, b - 0.5))

    def index(i_along: int, i_across: int) -> int:
        return i_across * nx + i_along if horizontal else i_along * nx + i_across

    if 0 <= k < len(across) - 1:
        for i in inside:
            idx = index(i, k)
            cross_cost[idx] = cross_cost.get(idx, 0.0) + CROSS_COST
    if on_line:
        for i in range(bisect.bisect_left(along, a - 0.5), len(along) - 1):
            if along[i + 1] > b + 0.5:
                break
            idx = index(i, j)
            share_cost[idx] = share_cost.get(idx, 0.0) + SHARE_COST * (along[i + 1] - along[i])


def _search(grid: _Grid, start: Point, start_dir: int, goal: Point, goal_dir: int
            ) -> tuple[list[Point], float] | None:
    """Cheapest grid path from ``start`` (heading ``start_dir``) to ``goal``, arriving
    heading ``goal_dir``: A* over (node, heading) with a penalty per bend."""
    xs, ys = grid.xs, grid.ys
    nx, ny = len(xs), len(ys)
    si, sj = bisect.bisect_left(xs, start[0]), bisect.bisect_left(ys, start[1])
    gi, gj = bisect.bisect_left(xs, goal[0]), bisect.bisect_left(ys, goal[1])
    gx, gy = xs[gi], ys[gj]
    blocked, hblock, vblock = grid.blocked, grid.hblock, grid.vblock
    hcost, vcost = grid.hcost, grid.vcost

    def h(i: int, j: int) -> float:
        return abs(xs[i] - gx) + abs(ys[j] - gy)

    start_state = (si, sj, start_dir)
    best = {start_state: 0.0}
    came: dict[tuple[int, int, int], tuple[int, int, int]] = {}
    heap = [(h(si, sj), 0.0, start_state)]
    while heap:
        _, cost, state = heapq.heappop(heap)
        if cost > best.get(state, math.inf):
            continue
        i, j, d = state
        if i == gi and j == gj:
            path = [state]
            while path[-1] in came:
                path.append(came[path[-1]])
            return [(xs[p[0]], ys[p[1]]) for p in reversed(path)], cost
        for nd, (dx, dy) in enumerate(_DIRS):
            if (nd ^ 1) == d:            # no going straight back
                continue
            ni, nj = i + dx, j + dy
            if not (0 <= ni < nx and 0 <= nj < ny) or blocked[nj * nx + ni]:
                continue
            if dy == 0:
                idx = j * nx + min(i, ni)
                if hblock[idx]:
                    continue
                step = abs(xs[ni] - xs[i]) + hcost.get(idx, 0.0)
            else:
                idx = min(j, nj) * nx + i
                if vblock[idx]:
                    continue
                step = abs(ys[nj] - ys[j]) + vcost.get(idx, 0.0)
            new = cost + step + (BEND_COST if nd != d else 0.0)
            if ni == gi and nj == gj and nd != goal_dir:
                new += BEND_COST         # the last turn, into the target's stub
            nstate = (ni, nj, nd)
            if new < best.get(nstate, math.inf):
                best[nstate] = new
                came[nstate] = state
                heapq.heappush(heap, (new + h(ni, nj), new, nstate))
    return None


_HEADING = {"E": 0, "W": 1, "S": 2, "N": 3}     # index into _DIRS


class RouteCache:
    """What :func:`route_edges` found for each edge, with everything the search
    depended on (the ports, the boxes and the segments of earlier routes round it).

    Passed to later calls (the canvas keeps one), an edge whose surroundings are the
    same is not searched again: the result is the one a call without the cache gives,
    only faster when few steps moved. Entries unused for two calls are dropped.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, list[tuple[tuple, tuple[tuple[Point, ...], float], int]]] = {}
        self._call = 0
        self.searched = 0          # edges searched in the last call (the rest came from here)
        self.reused = 0
        # steps spread wider than FAR: plain routes by edge, with the two boxes and
        # sides each was drawn for (the last call's only)
        self._plain: dict[str, tuple[Node, Node, tuple[str, str], Route]] = {}

    def _plain_routes(self, edges: Sequence[Edge], by_id: Mapping[str, Node],
                      sides: Mapping[str, tuple[str, str]]) -> dict[str, Route]:
        """:func:`_plain_route` for every edge, the same Route object as last time
        for an edge whose boxes and sides did not change."""
        before, kept = self._plain, {}
        routes: dict[str, Route] = {}
        for e in edges:
            a, b, way = by_id[e.source], by_id[e.target], sides[e.key]
            old = before.get(e.key)
            if old is not None and (old[0] is a or old[0] == a) and (
                    old[1] is b or old[1] == b) and old[2] == way:
                route = old[3]
                self.reused += 1
            else:
                route = _plain_route(e, by_id, way)
                self.searched += 1
            routes[e.key] = route
            kept[e.key] = (a, b, way, route)
        self._plain = kept
        return routes

    def _begin(self) -> None:
        self._call += 1
        self.searched = self.reused = 0

    def _end(self) -> None:
        keep = self._call - 1
        self._entries = {k: kept for k, v in self._entries.items()
                         if (kept := [entry for entry in v if entry[2] >= keep])}

    def _find(self, ident: tuple, signatures: list[tuple]
              ) -> tuple[tuple[Point, ...], float] | bool | None:
        """The remembered result when every attempt so far matched and the last one
        succeeded; True when the attempts so far matched one that went on (the
        search at this size found nothing); None otherwise."""
        k = len(signatures)
        went_on = False
        for entry in self._entries.get(ident, ()):
            sigs = entry[0]
            if len(sigs) >= k and sigs[:k] == tuple(signatures):
                if len(sigs) == k:
                    self._entries[ident].remove(entry)
                    self._entries[ident].append((sigs, entry[1], self._call))
                    self.reused += 1
                    return entry[1]
                went_on = True
        return True if went_on else None

    def _store(self, ident: tuple, signatures: list[tuple],
               result: tuple[tuple[Point, ...], float]) -> None:
        self.searched += 1
        entries = self._entries.setdefault(ident, [])
        entries.append((tuple(signatures), result, self._call))
        del entries[:-4]


def _route_one(index: BoxIndex, placed: _Placed, a: Node, b: Node, pa: Point, pb: Point,
               sa: str, sb: str, skip: str | None = None, cache: RouteCache | None = None
               ) -> tuple[list[Point], float]:
    """The route from port ``pa`` of ``a`` to port ``pb`` of ``b`` and what it costs."""
    start, goal = _stub(a, sa, pa), _stub(b, sb, pb)
    start_dir = _HEADING[sa]
    goal_dir = _HEADING[{"E": "W", "W": "E", "N": "S", "S": "N"}[sb]]
    ident = (pa, pb, start, goal, sa, sb)
    signatures: list[tuple] = []
    pad = REGION
    result: tuple[tuple[Point, ...], float] | None = None
    for _attempt in range(3):
        lo_x, hi_x = min(start[0], goal[0]) - pad, max(start[0], goal[0]) + pad
        lo_y, hi_y = min(start[1], goal[1]) - pad, max(start[1], goal[1]) + pad
        boxes = tuple(n.rect for n in index.query((lo_x, lo_y, hi_x, hi_y)))
        segments = placed.near(lo_x, lo_y, hi_x, hi_y, skip)
        pad *= 3
        if cache is not None:
            signatures.append((boxes, segments))
            known = cache._find(ident, signatures)
            if known is True:
                continue                 # searched before, in just this: nothing found
            if known is not None:
                return list(known[0]), known[1]
        xs = _lines([(r[0] - MARGIN, r[2] + MARGIN) for r in boxes],
                    (start[0], goal[0]), lo_x, hi_x)
        ys = _lines([(r[1] - MARGIN, r[3] + MARGIN) for r in boxes],
                    (start[1], goal[1]), lo_y, hi_y)
        found = _search(_Grid(xs, ys, boxes, segments), start, start_dir, goal, goal_dir)
        if found is not None:
            result = ((pa, *found[0], pb), found[1])
            break
    if result is None:
        # nothing clear (a port boxed in by touching steps): a plain three-stretch line
        mid = (start[0] + goal[0]) / 2
        result = ((pa, start, (mid, start[1]), (mid, goal[1]), goal, pb), math.inf)
    if cache is not None:
        cache._store(ident, signatures, result)
    return list(result[0]), result[1]


def _loop_sides(a: Node, b: Node, chosen: tuple[str, str]) -> list[tuple[str, str]]:
    """The ways a loop back (``b`` left of ``a``) may go: under, over, or between rows."""
    options = [chosen, ("S", "S"), ("N", "N"), ("N", "S"), ("S", "N")]
    return list(dict.fromkeys(options))


def _blocked(route: Route, index: BoxIndex, edge: Edge) -> bool:
    """Does ``route`` pass through a box that is not one of its ends?"""
    for p, q in route.segments():
        rect = (min(p[0], q[0]) - 1, min(p[1], q[1]) - 1, max(p[0], q[0]) + 1,
                max(p[1], q[1]) + 1)
        for node in index.query(rect):
            if node.id not in (edge.source, edge.target) and _seg_hits_rect(p, q, node.rect):
                return True
    return False


def _simplify(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for p in points:
        if out and abs(p[0] - out[-1][0]) < 1e-9 and abs(p[1] - out[-1][1]) < 1e-9:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (a[0] == b[0] == p[0]) or (a[1] == b[1] == p[1]):
                # three in line: drop the middle one unless it turns back on itself
                if (b[0] - a[0]) * (p[0] - b[0]) >= 0 and (b[1] - a[1]) * (p[1] - b[1]) >= 0:
                    out[-1] = p
                    continue
        out.append(p)
    return out


def route_edges(nodes: Iterable[Node], edges: Iterable[Edge],
                only: Iterable[str] | None = None,
                previous: Mapping[str, Route] | None = None,
                cache: RouteCache | None = None,
                index: BoxIndex | None = None) -> dict[str, Route]:
    """Orthogonal routes for ``edges`` between ``nodes`` (by edge key).

    Edges whose ends are missing, and self-loops, are left out. Deterministic:
    the same input gives the same routes.

    Incremental use (the canvas while steps move): with ``previous`` routes and
    ``only`` the keys that must be routed again, every other edge keeps its
    previous route unless its ports moved or a step now stands in its way.

    With a :class:`RouteCache` (and no ``only``): the same routes as without it,
    searching again only the edges whose surroundings changed since the last call.

    ``index``: a :class:`BoxIndex` the caller keeps, holding exactly ``nodes`` (kept
    up to date with ``add`` and ``discard`` as boxes come, go and move): used, and
    not changed, instead of one built here from every box (the canvas re-routing a
    few arrows in a big pathway). The routes are the same either way.
    """
    if cache is not None:
        cache._begin()
        try:
            return _route_edges(nodes, edges, only, previous, cache, index)
        finally:
            cache._end()
    return _route_edges(nodes, edges, only, previous, None, index)


def _route_edges(nodes: Iterable[Node], edges: Iterable[Edge], only: Iterable[str] | None,
                 previous: Mapping[str, Route] | None, cache: RouteCache | None,
                 index: BoxIndex | None = None) -> dict[str, Route]:
    if index is None:
        index = BoxIndex(nodes)
    by_id = index.nodes
    edges = [e for e in edges if e.source in by_id and e.target in by_id
             and e.source != e.target]
    again = set(only) if only is not None else None
    fan = _fan_sides(by_id, edges)
    sides = {e.key: _sides(by_id[e.source], by_id[e.target], fan.get(e.key)) for e in edges}
    loops = [e for e in edges if by_id[e.target].cx < by_id[e.source].cx
             and sides[e.key][0] in ("N", "S")]
    for e in loops:                       # a loop kept from before keeps its way round
        old = (previous or {}).get(e.key)
        if again is not None and e.key not in again and old is not None:
            sides[e.key] = (old.source_side, old.target_side)
    if index.far_apart():
        if cache is None:
            return {e.key: _plain_route(e, by_id, sides[e.key]) for e in edges}
        return cache._plain_routes(edges, by_id, sides)
    routes = _route_pass(index, edges, sides, again, previous, cache)
    # each loop routed now: would another way round cost less (fewer crossings)?
    changed = False
    everything = _Placed()
    if loops:
        for route in routes.values():
            everything.add(route)
    for e in loops:
        if again is not None and e.key in routes and routes[e.key] is (previous or {}).get(e.key):
            continue
        a, b = by_id[e.source], by_id[e.target]
        best_sides, best_cost = sides[e.key], math.inf
        for sa, sb in _loop_sides(a, b, sides[e.key]):
            _points, cost = _route_one(index, everything, a, b, _outline(a, sa, 0.0),
                                       _outline(b, sb, 0.0), sa, sb, skip=e.key,
                                       cache=cache)
            if cost < best_cost - 1e-6:
                best_sides, best_cost = (sa, sb), cost
        if best_sides != sides[e.key]:
            sides[e.key] = best_sides
            changed = True
    if changed:
        routes = _route_pass(index, edges, sides, set(e.key for e in loops) | (again or set()),
                             routes, cache)
    routes = nudge_apart(routes, index, {e.key: (e.source, e.target) for e in edges})
    return {e.key: routes[e.key] for e in edges}


#: how far apart arrows forced into one channel are drawn
NUDGE_GAP = 6.0


def nudge_apart(routes: Mapping[str, Route], index: BoxIndex,
                ends: Mapping[str, tuple[str, str]]) -> dict[str, Route]:
    """Arrows running along one line for a stretch (forced into one channel) drawn
    side by side, ``NUDGE_GAP`` apart, so a reader can tell them apart.

    Only a route's middle stretches move (never the first or last, which meet the
    ports), each as a whole, across its own direction; the stretches either side of
    it get longer or shorter. Stretches sharing a line are ordered so that arrows
    turning off to one side lie on that side (nested turns inside out), which keeps
    them from crossing where they need not. A move that would take a stretch, or
    the stretches either side of it, into a step that is not its end, or turn one
    of those back on itself, is made smaller or not made.
    """
    # middle stretches by line: (vertical?, coordinate) -> [(lo, hi, key, index)]
    lines: dict[tuple[bool, float], list[tuple[float, float, str, int]]] = {}
    for key, route in routes.items():
        pts = route.points
        for i in range(1, len(pts) - 2):
            (x0, y0), (x1, y1) = pts[i], pts[i + 1]
            if x0 == x1 and y0 != y1:
                lines.setdefault((True, x0), []).append((min(y0, y1), max(y0, y1), key, i))
            elif y0 == y1 and x0 != x1:
                lines.setdefault((False, y0), []).append((min(x0, x1), max(x0, x1), key, i))
    moves: dict[tuple[str, int], float] = {}
    for (vertical, at), group in sorted(lines.items()):
        if len(group) < 2:
            continue
        group.sort()
        # clusters of stretches that overlap by more than a unit, from two arrows or more
        clusters: list[list[tuple[float, float, str, int]]] = []
        reach = -math.inf
        for seg in group:
            if clusters and seg[0] < reach - 1.0:
                clusters[-1].append(seg)
                reach = max(reach, seg[1])
            else:
                clusters.append([seg])
                reach = seg[1]
        for cluster in clusters:
            if len({seg[2] for seg in cluster}) < 2:
                continue
            ordered = sorted(cluster, key=lambda seg: _side_order(routes[seg[2]].points,
                                                                   seg[3], vertical))
            n = len(ordered)
            # of the order and its reverse, the one whose arrows cross each other less
            best_order, best_crossings = ordered, math.inf
            for order in (ordered, ordered[::-1]):
                trial = {}
                for k, (_lo, _hi, key, i) in enumerate(order):
                    shifted = _shifted(list(trial.get(key, routes[key].points)), i,
                                       (k - (n - 1) / 2) * NUDGE_GAP)
                    if shifted is not None:
                        trial[key] = shifted
                keys = sorted({seg[2] for seg in order})
                crossings = sum(1 for a in range(len(keys)) for b in range(a + 1, len(keys))
                                if _polylines_cross(trial.get(keys[a], routes[keys[a]].points),
                                                    trial.get(keys[b], routes[keys[b]].points)))
                if crossings < best_crossings:
                    best_order, best_crossings = order, crossings
            for k, (_lo, _hi, key, i) in enumerate(best_order):
                moves[(key, i)] = (k - (n - 1) / 2) * NUDGE_GAP
    if not moves:
        return dict(routes)
    out = dict(routes)
    by_key: dict[str, list[tuple[int, float]]] = {}
    for (key, i), offset in moves.items():
        if offset:
            by_key.setdefault(key, []).append((i, offset))
    for key in sorted(by_key):
        route = routes[key]
        pts = list(route.points)
        for i, offset in sorted(by_key[key]):
            for shrink in (1.0, 0.5):
                trial = _shifted(pts, i, offset * shrink)
                if trial is not None and not _crosses_box(trial, i, index, ends.get(key, ())):
                    pts = trial
                    break
        if pts != route.points:
            out[key] = Route(key, pts, route.source_side, route.target_side)
    return out


def _side_order(pts: Sequence[Point], i: int, vertical: bool) -> tuple[float, float]:
    """Sort key across a shared line for stretch ``i`` of ``pts``: where its
    neighbours turn off (-1 towards lower coordinates, +1 higher), so arrows turning
    to one side lie on that side; among those turning both ways the one turning in
    later lies first, and among U-turns the inner one lies nearest the open side."""
    across = 0 if vertical else 1                 # the coordinate the nudge changes
    along = 1 - across
    a, b = pts[i], pts[i + 1]
    before, after = pts[i - 1], pts[i + 2]
    side_before = (before[across] > a[across]) - (before[across] < a[across])
    side_after = (after[across] > b[across]) - (after[across] < b[across])
    total = side_before + side_after
    if total == 0 and side_before != 0:
        # in from one side, out to the other: its end on the lower side, measured in
        # the direction towards its end on the higher side
        low_end, high_end = (a, b) if side_before < 0 else (b, a)
        direction = 1.0 if high_end[along] >= low_end[along] else -1.0
        return (0.0, -low_end[along] * direction)
    span = abs(b[along] - a[along])
    # both off to the lower side: inner (shorter) ones lowest; to the higher: inner highest
    return (float(total), span if total < 0 else -span)


def _shifted(pts: list[Point], i: int, offset: float) -> list[Point] | None:
    """``pts`` with stretch ``i`` moved ``offset`` across itself; None when a stretch
    beside it would turn back on itself (or vanish)."""
    a, b = pts[i], pts[i + 1]
    if a[0] == b[0]:
        na, nb = (a[0] + offset, a[1]), (b[0] + offset, b[1])
        axis = 0
    else:
        na, nb = (a[0], a[1] + offset), (b[0], b[1] + offset)
        axis = 1
    before, after = pts[i - 1], pts[i + 2]
    for fixed, old, new in ((before, a, na), (after, b, nb)):
        d_old, d_new = old[axis] - fixed[axis], new[axis] - fixed[axis]
        if d_old == 0 or d_new == 0 or (d_old > 0) != (d_new > 0):
            return None
    out = list(pts)
    out[i], out[i + 1] = na, nb
    return out


def _crosses_box(pts: list[Point], i: int, index: BoxIndex, own: Sequence[str]) -> bool:
    """Do stretches ``i - 1`` to ``i + 1`` of ``pts`` come within half the margin of a
    step that is not their arrow's end (or stretch ``i`` run into one that is)?"""
    pad = MARGIN / 2
    for k in (i - 1, i, i + 1):
        p, q = pts[k], pts[k + 1]
        if p == q:
            continue
        rect = (min(p[0], q[0]) - MARGIN, min(p[1], q[1]) - MARGIN,
                max(p[0], q[0]) + MARGIN, max(p[1], q[1]) + MARGIN)
        for node in index.query(rect):
            left, top, right, bottom = node.rect
            if node.id in own:
                if k == i and _seg_hits_rect(p, q, node.rect):
                    return True
            elif _seg_hits_rect(p, q, (left - pad, top - pad, right + pad, bottom + pad)):
                return True
    return False


def _far_apart(nodes: Iterable[Node]) -> bool:
    """True when the boxes spread over more than :data:`FAR` units."""
    rects = [n.rect for n in nodes]
    if not rects:
        return False
    return (max(r[2] for r in rects) - min(r[0] for r in rects) > FAR
            or max(r[3] for r in rects) - min(r[1] for r in rects) > FAR)


def _plain_route(e: Edge, by_id: Mapping[str, Node], sides: tuple[str, str]) -> Route:
    """Port to port in three stretches, with no search (see :data:`FAR`)."""
    sa, sb = sides
    a, b = by_id[e.source], by_id[e.target]
    pa, pb = _outline(a, sa, 0.0), _outline(b, sb, 0.0)
    start, goal = _stub(a, sa, pa), _stub(b, sb, pb)
    mid = (start[0] + goal[0]) / 2
    return Route(e.key, _simplify([pa, start, (mid, start[1]), (mid, goal[1]), goal, pb]),
                 sa, sb)


def _route_pass(index: BoxIndex, edges: list[Edge], sides: dict[str, tuple[str, str]],
                again: set[str] | None, previous: Mapping[str, Route] | None,
                cache: RouteCache | None = None) -> dict[str, Route]:
    """Ports for ``sides``, then the routes (keeping ``previous`` ones where they still
    fit, when only ``again`` must be routed anew)."""
    by_id = index.nodes
    # spread the ports of each side, ordered by where the other end lies
    ends: dict[tuple[str, str], list[tuple[float, float, str, int]]] = {}
    for e in edges:
        sa, sb = sides[e.key]
        a, b = by_id[e.source], by_id[e.target]
        for node, side, other, which in ((a, sa, b, 0), (b, sb, a, 1)):
            along = (other.cy, other.cx) if side in ("E", "W") else (other.cx, other.cy)
            ends.setdefault((node.id, side), []).append((*along, e.key, which))
    ports: dict[tuple[str, int], Point] = {}
    for (nid, side), group in ends.items():
        group.sort()
        node = by_id[nid]
        for k, (_, _, key, which) in enumerate(group):
            ports[(key, which)] = _outline(node, side, _spread(node, side, len(group), k))

    _align_ports(by_id, edges, sides, ports, {k: len(g) for k, g in ends.items()})

    # short and forward first: they have the least room; loops last, round the rest
    def order(e: Edge) -> tuple[int, float]:
        a, b = by_id[e.source], by_id[e.target]
        return (1 if b.cx < a.cx else 0, abs(b.cx - a.cx) + abs(b.cy - a.cy))

    placed = _Placed()
    routes: dict[str, Route] = {}
    if previous is not None and again is not None:
        for e in edges:
            old = previous.get(e.key)
            if (e.key in again or old is None or len(old.points) < 2
                    or (old.source_side, old.target_side) != sides[e.key]
                    or old.points[0] != ports[(e.key, 0)]
                    or old.points[-1] != ports[(e.key, 1)]
                    or _blocked(old, index, e)):
                continue
            routes[e.key] = old
            placed.add(old)
    for e in sorted(edges, key=order):
        if e.key in routes:
            continue
        sa, sb = sides[e.key]
        a, b = by_id[e.source], by_id[e.target]
        points, _cost = _route_one(index, placed, a, b, ports[(e.key, 0)],
                                   ports[(e.key, 1)], sa, sb, cache=cache)
        route = Route(e.key, _simplify(points), sa, sb)
        placed.add(route)
        routes[e.key] = route
    return routes


# ------------------------------------------------------------------- drawing


def rounded(points: Sequence[Point], radius: float = CORNER
            ) -> list[tuple[str, tuple[float, ...]]]:
    """Drawing commands for a polyline with rounded bends.

    ``("M", (x, y))`` to start, ``("L", (x, y))`` for a line and
    ``("Q", (cx, cy, x, y))`` for a quadratic curve round a corner ``(cx, cy)``.
    """
    if not points:
        return []
    commands: list[tuple[str, tuple[float, ...]]] = [("M", tuple(points[0]))]
    for k in range(1, len(points) - 1):
        prev, corner, nxt = points[k - 1], points[k], points[k + 1]
        d_in = math.hypot(corner[0] - prev[0], corner[1] - prev[1])
        d_out = math.hypot(nxt[0] - corner[0], nxt[1] - corner[1])
        r = min(radius, d_in / 2, d_out / 2)
        if r <= 0.5:
            commands.append(("L", tuple(corner)))
            continue
        before = (corner[0] - (corner[0] - prev[0]) / d_in * r,
                  corner[1] - (corner[1] - prev[1]) / d_in * r)
        after = (corner[0] + (nxt[0] - corner[0]) / d_out * r,
                 corner[1] + (nxt[1] - corner[1]) / d_out * r)
        commands.append(("L", before))
        commands.append(("Q", (*corner, *after)))
    if len(points) > 1:
        commands.append(("L", tuple(points[-1])))
    return commands


# ------------------------------------------------------------------- labels


@dataclass(frozen=True)
class Label:
    """Something to place on an arrow: a condition card or a badge.

    ``prefer`` is the fraction of the way along the arrow where it would best
    sit (0 next to the source: a decision's condition); ``on_line`` badges sit
    centred on the line, cards may also sit beside it.
    """

    key: str              # the edge's key
    w: float
    h: float
    prefer: float = 0.0
    on_line: bool = False
    name: str = "label"
    #: other sizes the same text may take (wrapped narrower), tried where the first
    #: does not fit; the placed rectangle's size says which was taken
    others: tuple[tuple[float, float], ...] = ()


def _overlap(a: Rect, b: Rect) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _seg_hits_rect(p: Point, q: Point, r: Rect) -> bool:
    """Does the axis-parallel segment ``pq`` pass through the inside of ``r``?"""
    if p[1] == q[1]:
        return r[1] < p[1] < r[3] and min(p[0], q[0]) < r[2] and max(p[0], q[0]) > r[0]
    return r[0] < p[0] < r[2] and min(p[1], q[1]) < r[3] and max(p[1], q[1]) > r[1]


class _SegmentIndex:
    """Route segments in buckets, by edge key."""

    def __init__(self, routes: Mapping[str, Route]):
        self._buckets: dict[tuple[int, int], list[tuple[str, Point, Point]]] = {}
        for key, route in routes.items():
            for p, q in route.segments():
                for bx in range(int(min(p[0], q[0]) // BUCKET), int(max(p[0], q[0]) // BUCKET) + 1):
                    for by in range(int(min(p[1], q[1]) // BUCKET),
                                    int(max(p[1], q[1]) // BUCKET) + 1):
                        self._buckets.setdefault((bx, by), []).append((key, p, q))

    def nearer_other(self, point: Point, own: str, reach: float) -> bool:
        """Is another route's segment nearer ``point`` than ``reach``?"""
        if reach <= 0.5:
            return False
        for bx in range(int((point[0] - reach) // BUCKET), int((point[0] + reach) // BUCKET) + 1):
            for by in range(int((point[1] - reach) // BUCKET),
                            int((point[1] + reach) // BUCKET) + 1):
                for key, p, q in self._buckets.get((bx, by), ()):
                    if key != own and _distance(point, p, q) < reach - 0.5:
                        return True
        return False

    def near(self, region: Rect, own: str) -> tuple:
        """The other routes' segments touching ``region`` (in a fixed order)."""
        found = set()
        for bx in range(int(region[0] // BUCKET), int(region[2] // BUCKET) + 1):
            for by in range(int(region[1] // BUCKET), int(region[3] // BUCKET) + 1):
                for key, p, q in self._buckets.get((bx, by), ()):
                    if (key != own and min(p[0], q[0]) <= region[2]
                            and max(p[0], q[0]) >= region[0]
                            and min(p[1], q[1]) <= region[3] and max(p[1], q[1]) >= region[1]):
                        found.add((p, q))
        return tuple(sorted(found))

    def hits(self, rect: Rect, own: str) -> bool:
        for bx in range(int(rect[0] // BUCKET), int(rect[2] // BUCKET) + 1):
            for by in range(int(rect[1] // BUCKET), int(rect[3] // BUCKET) + 1):
                for key, p, q in self._buckets.get((bx, by), ()):
                    if key != own and _seg_hits_rect(p, q, rect):
                        return True
        return False


def covers(rect: Rect, node: Node, pad: float = 2.0) -> float:
    """Area of ``rect`` over ``node``'s outline (grown by ``pad``); a diamond's empty
    corners do not count."""
    left, top, right, bottom = node.rect
    area = _overlap(rect, (left - pad, top - pad, right + pad, bottom + pad))
    if area <= 0 or node.shape != "diamond":
        return area
    # nearest point of the rectangle to the centre, in the diamond's own measure:
    # how deep the rectangle reaches in (0 at the outline, 1 at the centre)
    dx = max(0.0, rect[0] - node.cx, node.cx - rect[2])
    dy = max(0.0, rect[1] - node.cy, node.cy - rect[3])
    depth = 1 - (dx / (node.w / 2 + pad) + dy / (node.h / 2 + pad))
    return area * depth if depth > 0 else 0.0


@dataclass
class _RectIndex:
    rects: dict[tuple[int, int], list] = field(default_factory=dict)
    order: list = field(default_factory=list)

    def add(self, r) -> None:
        """Add a rectangle, or a :class:`Node` (covered by its outline)."""
        self.order.append(r)
        left, top, right, bottom = r.rect if isinstance(r, Node) else r
        for bx in range(int(left // BUCKET), int(right // BUCKET) + 1):
            for by in range(int(top // BUCKET), int(bottom // BUCKET) + 1):
                self.rects.setdefault((bx, by), []).append(r)

    def covered(self, r: Rect) -> float:
        seen, total = set(), 0.0
        for bx in range(int(r[0] // BUCKET), int(r[2] // BUCKET) + 1):
            for by in range(int(r[1] // BUCKET), int(r[3] // BUCKET) + 1):
                for other in self.rects.get((bx, by), ()):
                    if id(other) not in seen:
                        seen.add(id(other))
                        total += (covers(r, other) if isinstance(other, Node)
                                  else _overlap(r, other))
        return total


class LabelCache:
    """Where :func:`place_labels` put each label, with everything near it that the
    choice depended on (its arrow, the steps, the labels placed before it and the
    other arrows' lines round it). Passed to the next call, a label whose
    surroundings are the same keeps its place without a search: the same result
    as a call without the cache."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[tuple, Rect | None]] = {}
        # places of labels on far apart pathways (see FAR): by label, its request,
        # its arrow's points then and the place
        self._far: dict[tuple[str, str], tuple[Label, list[Point], Rect]] = {}
        self.searched = 0
        self.reused = 0


class _Ordered:
    """Rectangles (or boxes) in buckets with the order they were added: which ones
    lie near a region, in that order (what a label's place can depend on)."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, int], list[tuple[int, Rect, object]]] = {}
        self._count = 0

    def add(self, rect: Rect, item: object) -> None:
        entry = (self._count, rect, item)
        self._count += 1
        for bx in range(int(rect[0] // BUCKET), int(rect[2] // BUCKET) + 1):
            for by in range(int(rect[1] // BUCKET), int(rect[3] // BUCKET) + 1):
                self._buckets.setdefault((bx, by), []).append(entry)

    def near(self, region: Rect) -> tuple:
        found = {}
        for bx in range(int(region[0] // BUCKET), int(region[2] // BUCKET) + 1):
            for by in range(int(region[1] // BUCKET), int(region[3] // BUCKET) + 1):
                for n, r, item in self._buckets.get((bx, by), ()):
                    if (r[0] <= region[2] and r[2] >= region[0] and r[1] <= region[3]
                            and r[3] >= region[1]):
                        found[n] = item
        return tuple(found[n] for n in sorted(found))


def _label_reach(lab: Label) -> float:
    """How far from its arrow a label's places (and what they are checked against)
    can reach: a card beside a line at the furthest gap, at its largest size."""
    big = max([lab.w, lab.h] + [v for size in lab.others for v in size])
    return big + 40.0


def place_labels(routes: Mapping[str, Route], nodes: Iterable[Node],
                 labels: Sequence[Label], keep_clear: Iterable[Rect] = (),
                 bounds: Rect | None = None, cache: LabelCache | None = None
                 ) -> dict[tuple[str, str], Rect]:
    """Rectangles for ``labels``, by ``(edge key, label name)``.

    Each label sits on its own arrow (centred on the line, or just beside it),
    as near its preferred place as it can while covering no step, no label
    placed before it, nothing in ``keep_clear`` and no other arrow's line.
    When nowhere along the arrow is clear, the place covering least wins.

    With a :class:`LabelCache` from the last call, labels whose surroundings did
    not change keep their place without a search (the result is the same).
    """
    nodes = list(nodes)
    if _far_apart(nodes) or any(
            route.length() > FAR for key, route in routes.items()):
        # no search over the space between (see FAR): a label's place depends on its
        # own arrow alone, so with a cache only labels whose arrow (or request)
        # changed are worked out again
        placed_far: dict[tuple[str, str], Rect] = {}
        known = cache._far if cache is not None else {}
        kept: dict[tuple[str, str], tuple[Label, list[Point], Rect]] = {}
        searched = 0
        for lab in labels:
            route = routes.get(lab.key)
            if route is None:
                continue
            where = (lab.key, lab.name)
            entry = known.get(where)
            if (entry is not None and (entry[0] is lab or entry[0] == lab)
                    and entry[1] == route.points):
                rect = entry[2]
            else:
                searched += 1
                (x, y), _ = route.point_at(lab.prefer * route.length())
                rect = (x - lab.w / 2, y - lab.h / 2, x + lab.w / 2, y + lab.h / 2)
                entry = (lab, list(route.points), rect)
            kept[where] = entry
            placed_far[where] = rect
        if cache is not None:
            cache._far = kept
            cache.searched, cache.reused = searched, len(placed_far) - searched
        return placed_far
    steps = _RectIndex()
    for node in nodes:
        steps.add(node)
    taken = _RectIndex()
    for r in keep_clear:
        taken.add(r)
    lines = _SegmentIndex(routes)
    if cache is not None:
        near_steps, near_taken = _Ordered(), _Ordered()
        for node in nodes:
            near_steps.add(node.rect, node)
        for r in taken_list(taken):
            near_taken.add(r, r)
        entries, cache._entries = cache._entries, {}
        cache.searched = cache.reused = 0
    placed: dict[tuple[str, str], Rect] = {}
    # cards first (they are bigger), conditions before waits; short arrows first
    todo = sorted((lab for lab in labels if lab.key in routes),
                  key=lambda lab: (lab.on_line, routes[lab.key].length()))
    for lab in todo:
        route = routes[lab.key]
        if cache is not None:
            xs = [p[0] for p in route.points]
            ys = [p[1] for p in route.points]
            g = _label_reach(lab) + 4.0
            region = (min(xs) - g, min(ys) - g, max(xs) + g, max(ys) + g)
            wide = (region[0] - g, region[1] - g, region[2] + g, region[3] + g)
            signature = (lab, tuple(route.points), bounds, near_steps.near(region),
                         near_taken.near(region), lines.near(wide, lab.key))
            known = entries.get((lab.key, lab.name))
            if known is not None and known[0] == signature:
                cache.reused += 1
                cache._entries[(lab.key, lab.name)] = known
                if known[1] is not None:
                    placed[(lab.key, lab.name)] = known[1]
                    taken.add(known[1])
                    near_taken.add(known[1], known[1])
                continue
            cache.searched += 1
        length = route.length()
        best, best_cost = None, math.inf
        target = lab.prefer * length
        for rect, along in _candidates(route, length, lab):
            if abs(along - target) - 4 >= best_cost:
                break                    # every place left is further from the best one
            # a label over another label is unreadable: worse than one over a line
            cost = 1000.0 * steps.covered(rect) + 100_000.0 * taken.covered(rect)
            if bounds is not None:       # outside the picture: as bad as over a step
                inside = _overlap(rect, bounds)
                cost += 1000.0 * ((rect[2] - rect[0]) * (rect[3] - rect[1]) - inside)
            if cost < best_cost and lines.hits(rect, lab.key):
                cost += 50_000.0
            if cost < best_cost and not lab.on_line:
                # a card read as belonging to the arrow nearest it: that must be its own
                centre = ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)
                own = min(_distance(centre, p, q) for p, q in route.segments())
                if lines.nearer_other(centre, lab.key, own):
                    cost += 20_000.0
            cost += abs(along - target)
            if cost < best_cost:
                best, best_cost = rect, cost
        if cache is not None:
            cache._entries[(lab.key, lab.name)] = (signature, best)
        if best is None:
            continue
        placed[(lab.key, lab.name)] = best
        taken.add(best)
        if cache is not None:
            near_taken.add(best, best)
    return placed


def taken_list(index: "_RectIndex") -> list[Rect]:
    """The rectangles of a label index in the order they were added."""
    return index.order


def _candidates(route: Route, length: float, lab: Label):
    """Places along ``route`` for ``lab``, nearest its preferred place first: on the
    line, then beside it."""
    start = min(MARGIN + 6.0, length / 2)
    stop = max(start, length - MARGIN - 12.0)        # clear of the arrow head
    step = 8.0
    target = min(stop, max(start, lab.prefer * length))
    alongs = [start + k * step for k in range(int((stop - start) // step) + 1)]
    alongs.sort(key=lambda a: abs(a - target))
    sizes = [(lab.w, lab.h), *lab.others]
    for along in alongs:
        (x, y), horizontal = route.point_at(along)
        for w, h in sizes:
            yield (x - w / 2, y - h / 2, x + w / 2, y + h / 2), along
        if lab.on_line:
            continue
        for w, h in sizes:
            yield from _beside(x, y, w, h, horizontal, along)


def _beside(x: float, y: float, w: float, h: float, horizontal: bool, along: float):
    """A card above or below a horizontal run (centred on the point, or hanging back
    or forward from it), or left or right of a vertical one; just off the line
    first, then further off (clear of a row of steps the line runs between)."""
    for gap in (3.0, 20.0, 38.0):
        cost = along + 4 + 2 * gap
        if horizontal:
            for left in (x - w / 2, x - w + 10, x - 10):
                yield (left, y - h - gap, left + w, y - gap), cost
                yield (left, y + gap, left + w, y + h + gap), cost
        else:
            yield (x + gap, y - h / 2, x + w + gap, y + h / 2), cost
            yield (x - w - gap, y - h / 2, x - gap, y + h / 2), cost


# ------------------------------------------------------------------ measures


def _through(p: Point, q: Point, r: Rect, inset: float = 1.0) -> bool:
    inner = (r[0] + inset, r[1] + inset, r[2] - inset, r[3] - inset)
    if p[0] == q[0] or p[1] == q[1]:
        return _seg_hits_rect(p, q, inner)
    # a general segment (a sampled curve): clip against the rectangle
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for pk, qk in ((-dx, p[0] - inner[0]), (dx, inner[2] - p[0]),
                   (-dy, p[1] - inner[1]), (dy, inner[3] - p[1])):
        if pk == 0:
            if qk < 0:
                return False
            continue
        t = qk / pk
        if pk < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return t1 - t0 > 1e-6


def segments_through_boxes(polylines: Mapping[str, Sequence[Point]], ends: Mapping[str, tuple[str, str]],
                           nodes: Iterable[Node]) -> int:
    """How many polyline segments pass through a box that is not their edge's own end."""
    index = BoxIndex(nodes)
    count = 0
    for key, pts in polylines.items():
        own = set(ends.get(key, ()))
        for p, q in zip(pts, pts[1:]):
            if p == q:
                continue
            rect = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]) + 0.01,
                    max(p[1], q[1]) + 0.01)
            for node in index.query(rect):
                if node.id not in own and _through(p, q, node.rect):
                    count += 1
    return count


def label_overlaps(rects: Sequence[Rect], nodes: Iterable[Node]) -> int:
    """Pairs of labels that overlap, plus labels that cover a step."""
    count = sum(1 for a in range(len(rects)) for b in range(a + 1, len(rects))
                if _overlap(rects[a], rects[b]) > 1.0)
    index = BoxIndex(nodes)
    for r in rects:
        count += sum(1 for n in index.query(r) if covers(r, n, 0.0) > 1.0)
    return count


def _distance(point: Point, p: Point, q: Point) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((point[0] - p[0]) * dx
                                                   + (point[1] - p[1]) * dy) / length))
    return math.hypot(point[0] - p[0] - t * dx, point[1] - p[1] - t * dy)


def nearest_edge(point: Point, polylines: Mapping[str, Sequence[Point]]) -> str | None:
    """The key of the polyline nearest ``point`` (ties: the first by key order)."""
    best, best_d = None, math.inf
    for key in sorted(polylines):
        pts = polylines[key]
        d = min((_distance(point, p, q) for p, q in zip(pts, pts[1:])), default=math.inf)
        if d < best_d - 1e-6:
            best, best_d = key, d
    return best


def count_crossings(polylines: Mapping[str, Sequence[Point]],
                    ends: Mapping[str, tuple[str, str]]) -> int:
    """Pairs of arrows that cross (at least once), leaving out pairs sharing a step."""
    keys = sorted(polylines)
    boxes = {}
    for k in keys:
        pts = polylines[k]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        boxes[k] = (min(xs), min(ys), max(xs), max(ys))
    keys.sort(key=lambda k: boxes[k][0])
    count = 0
    active: list[str] = []
    for k in keys:
        active = [o for o in active if boxes[o][2] >= boxes[k][0]]
        for o in active:
            if set(ends.get(k, ())) & set(ends.get(o, ())):
                continue
            if boxes[o][1] > boxes[k][3] or boxes[o][3] < boxes[k][1]:
                continue
            if _polylines_cross(polylines[k], polylines[o]):
                count += 1
        active.append(k)
    return count


def _polylines_cross(a: Sequence[Point], b: Sequence[Point]) -> bool:
    for p1, p2 in zip(a, a[1:]):
        for q1, q2 in zip(b, b[1:]):
            if _segments_cross(p1, p2, q1, q2):
                return True
    return False


def _segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    def orient(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return (d1 * d2 < 0) and (d3 * d4 < 0)


# ------------------------------------------------------------------ pathways


_SHAPE_OF: dict = {}


def shape_of(kind) -> str:
    """The outline a step kind is drawn with (for ports on its sides)."""
    # remembered per kind: an import inside a function runs PySide's import hook on
    # every call, and the canvas asks once per step whenever it routes
    shape = _SHAPE_OF.get(kind)
    if shape is None:
        from .model import StepKind
        if kind is StepKind.decision:
            shape = "diamond"
        elif kind in (StepKind.entry, StepKind.exit):
            shape = "round"
        else:
            shape = "rect"
        _SHAPE_OF[kind] = shape
    return shape


def pathway_nodes(pathway) -> dict[str, Node]:
    """The boxes of a pathway's steps as every diagram draws them (scene units).

    Steps without a position are placed by the auto-layout (as the diagrams do).
    """
    from . import geometry
    from .layout import with_positions
    positioned = with_positions(pathway)
    bands = geometry.lane_bands(positioned)
    nodes: dict[str, Node] = {}
    for step in positioned.steps:
        w, h = geometry.step_size(step.kind)
        cx, cy = (geometry.scene_centre(bands, step) if bands
                  else (geometry.FIRST_COLUMN_X, geometry.FIRST_ROW_Y))
        nodes[step.id] = Node(step.id, cx, cy, w, h, shape_of(step.kind))
    return nodes


def pathway_edges(pathway) -> list[Edge]:
    return [Edge(t.key, t.source, t.target) for t in pathway.transitions]


def route_pathway(pathway) -> dict[str, Route]:
    """Routes of every transition of ``pathway`` (by transition key)."""
    return route_edges(pathway_nodes(pathway).values(), pathway_edges(pathway))
