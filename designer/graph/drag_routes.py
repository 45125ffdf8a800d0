"""Provisional arrows while steps are dragged: cheap, and replaced on the drop.

Routing a pathway (:func:`designer.graph.routing.route_edges`) searches a grid per
arrow, about a millisecond each; a mouse move must cost a few. So while the mouse
drags, :class:`DragRoutes` draws only the arrows that must change:

* the arrows of the dragged steps, with ports chosen as the router chooses them
  (:func:`routing._sides`, ports spread along a side with the arrows already
  there), joined by the cheapest of a few one- and two-bend shapes that clears
  every box (:func:`quick_path`);
* arrows of other steps that a dragged box now stands across, joined the same
  way between their own ports; they get their route back when the box moves on.

Every other arrow keeps the route it had. On the drop the canvas routes the whole
pathway again (with a :class:`routing.RouteCache`, so only what changed is
searched), which gives exactly the routes the exported pictures draw.

Pure geometry, no Qt.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from .routing import (
    MARGIN,
    BEND_COST,
    BUCKET,
    BoxIndex,
    Edge,
    Node,
    Point,
    Rect,
    Route,
    _NORMAL,
    _align_ports,
    _fan_sides,
    _outline,
    _seg_hits_rect,
    _sides,
    _simplify,
    _spread,
    _stub,
)

#: how far from a box a provisional route keeps (less than MARGIN: the stubs stand
#: MARGIN off their own box, so a route along its own box's side is still allowed)
CLEAR = MARGIN - 2.0
#: boxes this far round an arrow's ends are looked at
AROUND = 160.0


def _grown(rect: Rect, by: float) -> Rect:
    return rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by


def _clear(points: list[Point], rects: list[Rect]) -> bool:
    for p, q in zip(points, points[1:]):
        if p == q:
            continue
        for r in rects:
            if _seg_hits_rect(p, q, r):
                return False
    return True


def _shape_cost(points: list[Point], head_in: tuple[float, float],
                head_out: tuple[float, float]) -> float | None:
    """Length plus bends of ``points`` leaving along ``head_in`` and arriving along
    ``head_out``; None when a stretch turns straight back."""
    heading = head_in
    cost = 0.0
    for p, q in zip(points, points[1:]):
        dx, dy = q[0] - p[0], q[1] - p[1]
        if dx == 0 and dy == 0:
            continue
        d = ((dx > 0) - (dx < 0), (dy > 0) - (dy < 0))
        if d[0] == -heading[0] and d[1] == -heading[1]:
            return None
        if d != heading:
            cost += BEND_COST
        heading = d
        cost += abs(dx) + abs(dy)
    if heading != head_out:
        if heading[0] == -head_out[0] and heading[1] == -head_out[1]:
            return None
        cost += BEND_COST
    return cost


def quick_path(start: Point, head_in: tuple[float, float], goal: Point,
               head_out: tuple[float, float], boxes: Iterable[Rect]) -> list[Point]:
    """The cheapest of a few orthogonal shapes from ``start`` (leaving along
    ``head_in``) to ``goal`` (arriving along ``head_out``) that runs through none of
    ``boxes`` (kept ``CLEAR`` off them): straight, one bend, or two bends with the
    middle stretch on the line nearest half-way that clears them. When none clears,
    the two-bend shape through the middle."""
    rects = [_grown(r, CLEAR) for r in boxes]
    sx, sy = start
    gx, gy = goal
    best, best_cost = None, float("inf")
    shapes: list[list[Point]] = [[start, (gx, sy), goal], [start, (sx, gy), goal]]
    if sx == gx or sy == gy:
        shapes.insert(0, [start, goal])
    for pts in shapes:
        cost = _shape_cost(pts, head_in, head_out)
        if cost is not None and cost < best_cost and _clear(pts, rects):
            best, best_cost = pts, cost
    for across in (False, True):
        m = _middle(start, head_in, goal, head_out, rects, across)
        if m is None:
            continue
        pts = [start, (sx, m), (gx, m), goal] if across else [start, (m, sy), (m, gy), goal]
        cost = _shape_cost(pts, head_in, head_out)
        if cost is not None and cost < best_cost:
            best, best_cost = pts, cost
    if best is None:
        mid = (sx + gx) / 2
        best = [start, (mid, sy), (mid, gy), goal]
    return best


def _middle(start: Point, head_in: tuple[float, float], goal: Point,
            head_out: tuple[float, float], rects: list[Rect], across: bool) -> float | None:
    """Where the middle stretch of a two-bend shape runs (an x; a y when ``across``,
    the shape then going first along y): nearest half-way, clear of ``rects``."""
    if across:                      # the same question with x and y swapped
        start, goal = (start[1], start[0]), (goal[1], goal[0])
        head_in, head_out = (head_in[1], head_in[0]), (head_out[1], head_out[0])
        rects = [(r[1], r[0], r[3], r[2]) for r in rects]
    su, sv = start
    gu, gv = goal
    lo, hi = -float("inf"), float("inf")
    # no running straight back into the box left, or out of the far side of the one entered
    if head_in[0] > 0:
        lo = su
    elif head_in[0] < 0:
        hi = su
    if head_out[0] > 0:
        hi = min(hi, gu)
    elif head_out[0] < 0:
        lo = max(lo, gu)
    vlo, vhi = (sv, gv) if sv <= gv else (gv, sv)
    banned = []
    for r in rects:
        for pu, pv in ((su, sv), (gu, gv)):
            if r[1] < pv < r[3]:    # a box on the first or last run's line stops it
                if r[2] <= pu:
                    lo = max(lo, r[2])
                elif r[0] >= pu:
                    hi = min(hi, r[0])
                else:
                    return None
        if vlo < vhi and r[1] < vhi and r[3] > vlo:
            banned.append((r[0], r[2]))
    if lo > hi:
        return None
    ideal = min(hi, max(lo, (su + gu) / 2))
    banned.sort()
    merged: list[list[float]] = []
    for a, b in banned:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    for a, b in merged:
        if a < ideal < b:
            options = [v for v in (a, b) if lo <= v <= hi]
            return min(options, key=lambda v: abs(v - ideal)) if options else None
    return ideal


def _heading(side: str, arriving: bool) -> tuple[float, float]:
    nx, ny = _NORMAL[side]
    return (-nx, -ny) if arriving else (nx, ny)


class DragRoutes:
    """Provisional routes for one drag of ``moving`` steps (see the module notes).

    ``routes`` are the arrows as drawn when the drag began (a full route).

    ``across``, when given, answers "which arrows may have a line through this
    rectangle?" with a superset of their keys (the canvas asks its scene's item
    index, which it keeps anyway); without it the arrows' segments are put in a
    bucket grid here, which costs a walk over every route at the start of a drag.
    Either way an arrow counts as crossed only when one of its segments (as routed
    when the drag began) runs through the dragged box. ``boxes``, when given, is an
    index of every step's box as the drag began (the caller keeps it between drags).
    """

    def __init__(self, nodes: Iterable[Node] | Mapping[str, Node], edges: Iterable[Edge],
                 routes: Mapping[str, Route], moving: Iterable[str],
                 across: Callable[[Rect], Iterable[str]] | None = None,
                 boxes: BoxIndex | None = None):
        # a copy either way: move() replaces the dragged steps' boxes
        self.nodes = (dict(nodes) if isinstance(nodes, Mapping)
                      else {n.id: n for n in nodes})
        self.moving = frozenset(m for m in moving if m in self.nodes)
        self.edges = [e for e in edges if e.source in self.nodes and e.target in self.nodes
                      and e.source != e.target]
        self.before = dict(routes)
        self.live = [e for e in self.edges
                     if e.source in self.moving or e.target in self.moving]
        live_keys = {e.key for e in self.live}
        # the boxes that stay put (an index of every box, the dragged ones where the
        # drag began, may be passed in: they are skipped when asked)
        self.still = boxes if boxes is not None else BoxIndex(
            n for n in self.nodes.values() if n.id not in self.moving)
        # a decision's branches fan out by all its branches: those of the live arrows'
        # sources
        sources = {e.source for e in self.live}
        self._fan_edges = [e for e in self.edges if e.source in sources]
        # ports already on the sides of the steps the live arrows join
        ends = {e.source for e in self.live} | {e.target for e in self.live}
        self._fixed: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for e in self.edges:
            if e.key in live_keys:
                continue
            route = self.before.get(e.key)
            if route is None:
                continue
            for which, (nid, side) in enumerate(((e.source, route.source_side),
                                                 (e.target, route.target_side))):
                if nid in ends:
                    self._fixed.setdefault((nid, side), []).append((e.key, which))
        # segments of the other arrows, to find the ones a dragged box stands across
        self._live_keys = live_keys
        self._edge_of = {e.key: e for e in self.edges}
        self._across = across
        self._segments: dict[tuple[int, int], list[tuple[str, Point, Point]]] = {}
        if across is None:
            for key, route in self.before.items():
                if key in live_keys or key not in self._edge_of:
                    continue
                for p, q in route.segments():
                    for cell in _cells((min(p[0], q[0]), min(p[1], q[1]),
                                        max(p[0], q[0]), max(p[1], q[1]))):
                        self._segments.setdefault(cell, []).append((key, p, q))
        self._detoured: set[str] = set()
        self.current: dict[str, Route] = {}

    def move(self, positions: Mapping[str, tuple[float, float]]) -> dict[str, Route]:
        """The dragged steps' centres now: the routes that change (to draw now)."""
        nodes = self.nodes
        for sid, (cx, cy) in positions.items():
            n = nodes.get(sid)
            if n is not None and sid in self.moving:
                nodes[sid] = Node(n.id, cx, cy, n.w, n.h, n.shape)
        moved = BoxIndex(nodes[m] for m in self.moving)
        changed: dict[str, Route] = {}
        fan = _fan_sides(nodes, self._fan_edges)
        sides = {e.key: _sides(nodes[e.source], nodes[e.target], fan.get(e.key))
                 for e in self.live}
        # ports: spread along each side with the arrows already there, ordered by where
        # the other end lies (as the router does)
        groups: dict[tuple[str, str], list[tuple[float, float, str, int]]] = {}
        for e in self.live:
            sa, sb = sides[e.key]
            a, b = nodes[e.source], nodes[e.target]
            for node, side, other, which in ((a, sa, b, 0), (b, sb, a, 1)):
                groups.setdefault((node.id, side), []).append(
                    (*_along(side, other), e.key, which))
        ports: dict[tuple[str, int], Point] = {}
        counts: dict[tuple[str, str], int] = {}
        for (nid, side), group in groups.items():
            for key, which in self._fixed.get((nid, side), ()):
                e = self._edge_of[key]
                other = nodes[e.target if which == 0 else e.source]
                group.append((*_along(side, other), key, which))
            group.sort()
            node = nodes[nid]
            counts[(nid, side)] = len(group)
            for k, (_, _, key, which) in enumerate(group):
                ports[(key, which)] = _outline(node, side, _spread(node, side, len(group), k))
        _align_ports(nodes, self.live, sides, ports, counts)
        for e in self.live:
            sa, sb = sides[e.key]
            route = self._path(e, ports[(e.key, 0)], ports[(e.key, 1)], sa, sb, moved)
            changed[e.key] = route
        # other arrows that a dragged box now stands across go round it
        across: set[str] = set()
        for m in self.moving:
            rect = nodes[m].rect
            if self._across is not None:
                self._crossed(rect, across)
                continue
            for cell in _cells(rect):
                for key, p, q in self._segments.get(cell, ()):
                    if key not in across and _seg_hits_rect(p, q, rect):
                        across.add(key)
        for key in sorted(across):
            old = self.before[key]
            e = self._edge_of[key]
            changed[key] = self._path(e, old.points[0], old.points[-1], old.source_side,
                                      old.target_side, moved)
        for key in self._detoured - across:
            changed[key] = self.before[key]
        self._detoured = across
        self.current.update(changed)
        return changed

    def _crossed(self, rect: Rect, found: set[str]) -> None:
        """Add to ``found`` the other arrows whose routes from before the drag run
        through ``rect`` (candidates from ``across``, and those detoured now: they are
        drawn round the box, so their drawn lines may no longer reach it)."""
        before, live, edge_of = self.before, self._live_keys, self._edge_of
        for key in {*self._across(rect), *self._detoured}:
            if key in found or key in live or key not in edge_of:
                continue
            route = before.get(key)
            if route is not None and any(_seg_hits_rect(p, q, rect)
                                         for p, q in route.segments()):
                found.add(key)

    def _path(self, e: Edge, pa: Point, pb: Point, sa: str, sb: str, moved: BoxIndex
              ) -> Route:
        a, b = self.nodes[e.source], self.nodes[e.target]
        start, goal = _stub(a, sa, pa), _stub(b, sb, pb)
        region = (min(start[0], goal[0]) - AROUND, min(start[1], goal[1]) - AROUND,
                  max(start[0], goal[0]) + AROUND, max(start[1], goal[1]) + AROUND)
        moving = self.moving
        boxes = [n.rect for n in self.still.query(region) if n.id not in moving]
        boxes += [n.rect for n in moved.query(region)]
        middle = quick_path(start, _heading(sa, False), goal, _heading(sb, True), boxes)
        return Route(e.key, _simplify([pa, *middle, pb]), sa, sb)


def _along(side: str, other: Node) -> tuple[float, float]:
    return (other.cy, other.cx) if side in ("E", "W") else (other.cx, other.cy)


def _cells(rect: Rect):
    for bx in range(int(rect[0] // BUCKET), int(rect[2] // BUCKET) + 1):
        for by in range(int(rect[1] // BUCKET), int(rect[3] // BUCKET) + 1):
            yield bx, by

