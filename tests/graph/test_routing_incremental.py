"""Routing while steps move: the cache gives exactly a fresh route; the drag's
provisional routes join the right ports and go round boxes."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from designer.graph import routing
from designer.graph.drag_routes import DragRoutes, quick_path
from designer.graph.routing import (
    Edge, Label, LabelCache, Node, RouteCache, place_labels, route_edges,
)

from test_routing import _random_diagram, _through


def _moved(node: Node, dx: float, dy: float) -> Node:
    return Node(node.id, node.cx + dx, node.cy + dy, node.w, node.h, node.shape)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 24))
def test_a_cached_route_equals_a_fresh_route_after_any_moves(seed, size):
    nodes, edges = _random_diagram(seed, size)
    rng = random.Random(seed)
    cache = RouteCache()
    assert route_edges(nodes.values(), edges.values(), cache=cache) == \
        route_edges(nodes.values(), edges.values())
    for _ in range(4):
        sid = rng.choice(list(nodes))
        nodes[sid] = _moved(nodes[sid], rng.uniform(-160, 160), rng.uniform(-120, 120))
        cached = route_edges(nodes.values(), edges.values(), cache=cache)
        assert cached == route_edges(nodes.values(), edges.values())


def test_the_cache_searches_only_round_what_moved():
    # a long chain over four rows, each step joined to the next two (as pathways are)
    nodes = {f"n{i}": Node(f"n{i}", 260 + 210 * (i // 2), 70 + 110 * (i % 4), 150, 64)
             for i in range(120)}
    edges = [Edge(f"n{i}->n{j}", f"n{i}", f"n{j}") for i in range(120)
             for j in (i + 1, i + 3) if j < 120]
    cache = RouteCache()
    route_edges(nodes.values(), edges, cache=cache)
    first = cache.searched
    route_edges(nodes.values(), edges, cache=cache)
    assert cache.searched == 0 and cache.reused >= len(edges)
    nodes["n60"] = _moved(nodes["n60"], 30, 40)
    again = route_edges(nodes.values(), edges, cache=cache)
    assert 0 < cache.searched < first / 4
    assert again == route_edges(nodes.values(), edges)


def test_quick_path_goes_round_a_box_in_the_way():
    start, goal = (100.0, 100.0), (500.0, 100.0)
    box = (250.0, 60.0, 350.0, 140.0)
    pts = quick_path(start, (1, 0), goal, (1, 0), [box])
    assert pts[0] == start and pts[-1] == goal
    for p, q in zip(pts, pts[1:]):
        assert p[0] == q[0] or p[1] == q[1]            # orthogonal
        assert not routing._seg_hits_rect(p, q, box)
    # nothing in the way: straight
    assert quick_path(start, (1, 0), goal, (1, 0), []) == [start, goal]


def test_a_loop_back_provisional_route_goes_under_or_over():
    pts = quick_path((500.0, 150.0), (0, 1), (100.0, 150.0), (0, -1),
                     [(60.0, 80.0, 140.0, 136.0), (460.0, 80.0, 540.0, 136.0)])
    assert max(p[1] for p in pts) >= 150.0
    assert pts[0] == (500.0, 150.0) and pts[-1] == (100.0, 150.0)


def test_drag_routes_follow_the_moving_step_and_keep_the_rest():
    nodes, edges = _random_diagram(11, 16)
    routes = route_edges(nodes.values(), edges.values())
    moving = "n4"
    own = {k for k, e in edges.items() if moving in (e.source, e.target)}
    drag = DragRoutes(nodes.values(), edges.values(), routes, [moving])
    n = nodes[moving]
    for step in range(1, 8):
        changed = drag.move({moving: (n.cx + 9 * step, n.cy + 6 * step)})
        assert own <= set(changed)
        box = drag.nodes[moving]
        left, top, right, bottom = box.rect
        for key in own:
            route = changed[key]
            end = route.points[0] if edges[key].source == moving else route.points[-1]
            assert left - 0.5 <= end[0] <= right + 0.5 and top - 0.5 <= end[1] <= bottom + 0.5
            for p, q in zip(route.points, route.points[1:]):
                assert p[0] == q[0] or p[1] == q[1]
        # arrows not touching the step are left as they were unless the box stands on them
        for key in set(changed) - own:
            assert changed[key] == routes[key] or any(
                routing._seg_hits_rect(p, q, box.rect) for p, q in routes[key].segments())


def test_provisional_routes_avoid_boxes_in_a_simple_row():
    a, m, b = Node("a", 300, 100, 150, 64), Node("m", 510, 100, 150, 64), Node("b", 720, 300, 150, 64)
    edges = [Edge("a->b", "a", "b")]
    routes = route_edges([a, m, b], edges)
    drag = DragRoutes([a, m, b], edges, routes, ["b"])
    route = drag.move({"b": (720.0, 100.0)})["a->b"]   # now straight through m's row
    assert not _through({"a->b": route}, {"a": a, "m": m, "b": drag.nodes["b"]},
                        {"a->b": edges[0]})


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 24))
def test_cached_label_places_equal_a_fresh_placement_after_any_moves(seed, size):
    nodes, edges = _random_diagram(seed, size)
    rng = random.Random(seed)
    keys = list(edges)
    labels = [Label(k, rng.choice((70, 100, 128)), rng.choice((21, 38)), rng.choice((0.0, 0.5)),
                    False, "label", ((64.0, 52.0),)) for k in keys[::2]]
    labels += [Label(k, 24, 16, 0.66, True, "handoff") for k in keys[1::3]]
    keep = [(300.0, 90.0, 360.0, 110.0)]
    route_cache, label_cache = RouteCache(), LabelCache()
    for step in range(5):
        if step:
            sid = rng.choice(list(nodes))
            nodes[sid] = _moved(nodes[sid], rng.uniform(-160, 160), rng.uniform(-120, 120))
        routes = route_edges(nodes.values(), edges.values(), cache=route_cache)
        cached = place_labels(routes, nodes.values(), labels, keep_clear=keep, cache=label_cache)
        assert cached == place_labels(routes, nodes.values(), labels, keep_clear=keep)
    # nothing moved: nothing searched again
    place_labels(routes, nodes.values(), labels, keep_clear=keep, cache=label_cache)
    assert label_cache.searched == 0


def _labels_for(key: str, rng: random.Random) -> list[Label]:
    """A condition card, a handoff badge, or both, as the canvas asks for an arrow."""
    card = Label(key, rng.choice((70, 100, 128)), rng.choice((21, 38)), rng.choice((0.0, 0.5)),
                 False, "label", ((64.0, 52.0),))
    badge = Label(key, 24, 16, 0.66, True, "handoff")
    return rng.choice(([card], [badge], [card, badge], []))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 24), far=st.booleans())
def test_cached_label_places_equal_a_fresh_placement_after_adds_deletes_and_moves(
        seed, size, far):
    """Steps and arrows added, deleted and moved, labels changed: after each edit the
    cached placement is a placement from scratch. ``far``: one step beyond FAR (as a
    2,000-step pathway spreads), where labels sit at their preferred points and only
    the labels of arrows that changed are worked out again."""
    nodes, edges = _random_diagram(seed, size)
    if far:
        nodes["far"] = Node("far", routing.FAR + 5_000.0, 100.0, 150.0, 64.0)
    rng = random.Random(seed)
    # one request list per arrow, kept between edits (as the canvas keeps them)
    asked = {key: _labels_for(key, rng) for key in edges}
    keep = [(300.0, 90.0, 360.0, 110.0)]
    route_cache, label_cache = RouteCache(), LabelCache()
    before: dict = {}
    asked_before: set = set()
    made = 0
    for step in range(8):
        what = rng.choice(("move", "add", "delete", "arrow", "relabel")) if step else "none"
        ids = [sid for sid in nodes if sid != "far"]
        if what == "move":
            sid = rng.choice(ids)
            nodes[sid] = _moved(nodes[sid], rng.uniform(-160, 160), rng.uniform(-120, 120))
        elif what == "add":
            made += 1
            sid = f"new{made}"
            nodes[sid] = Node(sid, rng.uniform(200, 1400), rng.uniform(60, 500), 150, 64)
            other = rng.choice(ids)
            key = f"{other}->{sid}"
            edges[key] = Edge(key, other, sid)
            asked[key] = _labels_for(key, rng)
        elif what == "delete" and len(ids) > 2:
            sid = rng.choice(ids)
            del nodes[sid]
            for key in [k for k, e in edges.items() if sid in (e.source, e.target)]:
                del edges[key], asked[key]
        elif what == "arrow":
            a, b = rng.sample(ids, 2)
            key = f"{a}->{b}"
            if key in edges:
                del edges[key], asked[key]
            else:
                edges[key] = Edge(key, a, b)
                asked[key] = _labels_for(key, rng)
        elif what == "relabel" and asked:
            key = rng.choice(list(asked))
            asked[key] = _labels_for(key, rng)
        labels = [lab for key in edges for lab in asked[key]]
        routes = route_edges(nodes.values(), edges.values(), cache=route_cache)
        cached = place_labels(routes, nodes.values(), labels, keep_clear=keep, cache=label_cache)
        assert cached == place_labels(routes, nodes.values(), labels, keep_clear=keep)
        if far and step:
            # the labels of arrows that are new or drawn elsewhere, and new requests
            changed = {key for key, route in routes.items()
                       if key not in before or before[key] != route.points}
            assert label_cache.searched == sum(
                1 for lab in labels if lab.key in routes
                and (lab.key in changed or lab not in asked_before))
        before = {key: list(route.points) for key, route in routes.items()}
        asked_before = set(labels)


def test_arrows_on_one_line_are_drawn_side_by_side_without_crossing():
    """Two arrows whose middle stretches share x = 100 for a while (as when forced
    into one channel): drawn NUDGE_GAP apart, ends where they were, not crossed."""
    r1 = routing.Route("a", [(0, 0), (100, 0), (100, 200), (200, 200)])
    r2 = routing.Route("b", [(0, 50), (100, 50), (100, 250), (200, 250)])
    index = routing.BoxIndex([])
    out = routing.nudge_apart({"a": r1, "b": r2}, index, {})
    xa = {p[0] for p in out["a"].points[1:3]}
    xb = {p[0] for p in out["b"].points[1:3]}
    assert len(xa) == len(xb) == 1
    assert abs(xa.pop() - xb.pop()) == routing.NUDGE_GAP
    for key, old in (("a", r1), ("b", r2)):
        assert out[key].points[0] == old.points[0] and out[key].points[-1] == old.points[-1]
    assert not routing._polylines_cross(out["a"].points, out["b"].points)


def test_nudging_leaves_fewer_shared_lines_and_no_arrow_through_a_box(monkeypatch):
    from test_routing import _shared_runs

    def measure():
        shared = through = 0
        for seed in range(20):
            nodes, edges = _random_diagram(seed, 12)
            routes = route_edges(nodes.values(), edges.values())
            shared += len(_shared_runs(routes))
            through += len(_through(routes, nodes, edges))
        return shared, through

    after = measure()
    monkeypatch.setattr(routing, "NUDGE_GAP", 0.0)
    before = measure()
    assert after[1] == 0 and before[1] == 0
    assert after[0] < before[0] / 2


def _bounds_meet(route, rect) -> bool:
    """The route's bounding box (grown by half a pen) meets ``rect``: what a scene's
    item index answers for an arrow item (a superset of the arrows crossing it)."""
    xs = [p[0] for p in route.points]
    ys = [p[1] for p in route.points]
    return (min(xs) - 0.7 < rect[2] and max(xs) + 0.7 > rect[0]
            and min(ys) - 0.7 < rect[3] and max(ys) + 0.7 > rect[1])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 24))
def test_drag_routes_with_the_canvas_indexes_equal_drag_routes_on_their_own(seed, size):
    """The canvas starts a drag from what it keeps (an index of every box, the
    dragged ones included; its item index for the arrows a box stands across, asked
    about the lines as drawn now): every move gives the routes the self-contained
    DragRoutes gives."""
    nodes, edges = _random_diagram(seed, size)
    routes = route_edges(nodes.values(), edges.values())
    rng = random.Random(seed)
    moving = rng.choice(list(nodes))
    drawn = dict(routes)                 # what the canvas shows, updated per move

    def across(rect):
        return [k for k, r in drawn.items() if _bounds_meet(r, rect)]

    plain = DragRoutes(nodes.values(), edges.values(), routes, [moving])
    kept = DragRoutes(dict(nodes), edges.values(), routes, [moving], across=across,
                      boxes=routing.BoxIndex(nodes.values()))
    n = nodes[moving]
    x, y = n.cx, n.cy
    for _ in range(12):
        x += rng.uniform(-90, 90)
        y += rng.uniform(-70, 70)
        expected = plain.move({moving: (x, y)})
        got = kept.move({moving: (x, y)})
        assert got == expected
        drawn.update(got)
    assert kept.current == plain.current


def test_a_box_index_with_boxes_moved_answers_as_a_fresh_one():
    nodes, _edges = _random_diagram(5, 20)
    index = routing.BoxIndex(nodes.values())
    rng = random.Random(5)
    for _ in range(15):
        sid = rng.choice(list(nodes))
        nodes[sid] = _moved(nodes[sid], rng.uniform(-400, 400), rng.uniform(-300, 300))
        index.discard(sid)
        index.add(nodes[sid])
    index.discard("not-a-step")
    fresh = routing.BoxIndex(nodes.values())
    assert index.nodes == fresh.nodes
    for _ in range(30):
        x, y = rng.uniform(-200, 2000), rng.uniform(-200, 1200)
        rect = (x, y, x + rng.uniform(10, 900), y + rng.uniform(10, 600))
        assert {n.id for n in index.query(rect)} == {n.id for n in fresh.query(rect)}


def test_a_kept_box_index_routes_as_a_fresh_one():
    """route_edges with an index kept through adds, moves and removals gives the
    routes of one built from the boxes (and the kept one is the fresh one)."""
    nodes, edges = _random_diagram(7, 18)
    index = routing.BoxIndex(nodes.values())
    rng = random.Random(7)
    for n in range(20):
        op = rng.choice(["add", "move", "move", "remove"])
        if op == "add":
            node = routing.Node(f"x{n}", rng.uniform(0, 1500), rng.uniform(0, 900), 120, 56)
            nodes[node.id] = node
            index.add(node)
        elif op == "move":
            sid = rng.choice(list(nodes))
            n0 = nodes[sid]
            nodes[sid] = routing.Node(sid, n0.cx + rng.uniform(-300, 300),
                                      n0.cy + rng.uniform(-200, 200), n0.w, n0.h, n0.shape)
            index.discard(sid)
            index.add(nodes[sid])
        else:
            sid = rng.choice(list(nodes))
            del nodes[sid]
            index.discard(sid)
        fresh = routing.BoxIndex(nodes.values())
        assert index.same_as(fresh)
        assert index.far_apart() == routing._far_apart(nodes.values())
        kept_routes = routing.route_edges(nodes.values(), edges.values(), index=index)
        assert kept_routes == routing.route_edges(nodes.values(), edges.values())
    # spread wider than FAR, and back: the kept extent follows
    far = routing.Node("far", routing.FAR + 3_000.0, 100.0, 120, 56)
    index.add(far)
    assert index.far_apart()
    index.discard("far")
    assert index.same_as(routing.BoxIndex(nodes.values())) and not index.far_apart()
