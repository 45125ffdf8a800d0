"""Dragging a step with the mouse: its arrows follow while the mouse moves, and on the
drop the canvas shows exactly the routes an export of the same pathway draws.

The truth here is a fresh route of the saved model (``route_pathway``: what the
SVG/PDF/BPMN exports draw), and boxes checked by sampling the drawn paths, not
the router's own measures.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from canvas_support import labels_equal_a_fresh_placement, make_canvas
from designer.graph import routing
from designer.graph.io import load_pathway
from designer.ui.canvas.routing import FRAME_MS

ROOT = Path(__file__).resolve().parents[2]


def _drawn_points(edge, n: int = 240):
    path = edge.path()
    return [path.pointAtPercent(i / n) for i in range(n + 1)]


def _through_a_box(scene) -> list[tuple[str, str]]:
    """(arrow, step) pairs where the drawn arrow enters a step that is not its end."""
    found = []
    steps = scene.step_items()
    for key, edge in scene.transition_items().items():
        if not edge.isVisible():
            continue
        pts = _drawn_points(edge)
        for sid, item in steps.items():
            if sid in (edge.source, edge.target):
                continue
            inner = item.sceneBoundingRect().adjusted(2, 2, -2, -2)
            if any(inner.contains(p) for p in pts):
                found.append((key, sid))
    return found


def _drag_step(view, scene, step_id: str, by: QPoint, moves: int = 24, during=None) -> None:
    vp = view.viewport()
    start = view.mapFromScene(scene.item_for(step_id).scenePos())
    QTest.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    QApplication.processEvents()
    for i in range(1, moves + 1):
        QTest.mouseMove(vp, start + QPoint(by.x() * i // moves, by.y() * i // moves))
        QApplication.processEvents()
        if during is not None:
            # arrows follow once a frame (less often when frames are dear): once the
            # frame that was due is drawn they are where the step is
            QTest.qWait(int(FRAME_MS) + 10)
            deadline = time.monotonic() + 5
            while scene._route_pending and time.monotonic() < deadline:
                QTest.qWait(5)
            assert not scene._route_pending
            during(i)
    QTest.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start + by)
    QApplication.processEvents()


def _routes_equal_a_fresh_route(scene) -> None:
    scene.tidy_now()
    fresh = routing.route_pathway(scene.pathway)
    assert set(fresh) == set(scene.transition_items())
    for key, route in fresh.items():
        edge = scene.transition_items()[key]
        assert scene._routes[key] == route, key
        # and that is what is drawn
        assert [tuple(p) for p in edge.route_points] == [tuple(p) for p in route.points], key


def test_dragging_a_step_moves_its_arrows_and_the_drop_equals_a_fresh_route(qtbot):
    pathway = load_pathway(ROOT / "pathway_library" / "diabetes-preop-clinic.yaml")
    _, stack, scene, view = make_canvas(qtbot, pathway)
    scene.tidy_now()
    _routes_equal_a_fresh_route(scene)
    # a step with several arrows, dragged down and right with real mouse events
    busiest = max(scene.step_items(), key=lambda s: len(scene.pathway.transitions_of(s)))
    own = [t.key for t in scene.pathway.transitions_of(busiest)]
    before = {k: list(scene.transition_items()[k].route_points) for k in own}
    followed = []

    def check(i):
        item = scene.item_for(busiest)
        box = item.sceneBoundingRect()
        for key in own:
            edge = scene.transition_items()[key]
            end = edge.route_points[0] if edge.source == busiest else edge.route_points[-1]
            # the arrow's end sits on the dragged step's box as it moves
            followed.append(box.adjusted(-2, -2, 2, 2).contains(QPointF(*end)))

    _drag_step(view, scene, busiest, QPoint(90, 60), during=check)
    assert followed and all(followed)
    assert stack.count() == 1                       # one undoable move
    assert any(scene.transition_items()[k].route_points != before[k] for k in own)
    _routes_equal_a_fresh_route(scene)
    assert _through_a_box(scene) == []


def test_one_step_after_another_dragged_each_drop_equals_a_fresh_route(qtbot):
    """Drags one after another (each drop starts from the last): the canvas never
    drifts from what an export draws (it did: arrows kept from before a drop were
    routed round a picture that no longer existed)."""
    pathway = load_pathway(ROOT / "pathway_library" / "diabetes-preop-clinic.yaml")
    _, stack, scene, view = make_canvas(qtbot, pathway)
    scene.tidy_now()
    for step in list(scene.pathway.steps)[:9]:
        view.centre_on_id(step.id)
        QApplication.processEvents()
        _drag_step(view, scene, step.id, QPoint(96, 60), moves=12)
        _routes_equal_a_fresh_route(scene)
    assert stack.count() >= 8
    assert _through_a_box(scene) == []


def test_dragging_over_other_arrows_then_away_leaves_a_fresh_route(qtbot):
    """A step dragged across a row (over other steps' arrows) and dropped elsewhere:
    nothing left over from the provisional routes."""
    pathway = load_pathway(ROOT / "pathway_library" / "eras-plus-colorectal.yaml")
    _, stack, scene, view = make_canvas(qtbot, pathway)
    scene.tidy_now()
    sid = next(s.id for s in scene.pathway.steps if len(scene.pathway.transitions_of(s.id)) >= 2)
    _drag_step(view, scene, sid, QPoint(150, 120), moves=30)
    _routes_equal_a_fresh_route(scene)
    assert _through_a_box(scene) == []
    # undo puts the step back: again what a fresh route draws
    stack.undo()
    QApplication.processEvents()
    _routes_equal_a_fresh_route(scene)
    assert _through_a_box(scene) == []


def test_a_drag_released_where_it_began_restores_the_full_routes(qtbot):
    pathway = load_pathway(ROOT / "pathway_library" / "diabetes-preop-clinic.yaml")
    _, stack, scene, view = make_canvas(qtbot, pathway)
    scene.tidy_now()
    sid = scene.pathway.steps[2].id
    vp = view.viewport()
    start = view.mapFromScene(scene.item_for(sid).scenePos())
    QTest.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    for dx in (20, 60, 100, 60, 20, 0):
        QTest.mouseMove(vp, start + QPoint(dx, dx // 2))
        QApplication.processEvents()
    QTest.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start)
    QApplication.processEvents()
    assert stack.count() == 0                       # nothing moved in the end
    _routes_equal_a_fresh_route(scene)


def test_labels_after_drags_and_edits_are_where_a_full_placement_puts_them(qtbot):
    from designer.ui.commands import UpdateTransitionCommand

    pathway = load_pathway(ROOT / "pathway_library" / "eras-plus-colorectal.yaml")
    _, stack, scene, view = make_canvas(qtbot, pathway)
    assert labels_equal_a_fresh_placement(scene) > 4
    cache = scene._label_cache
    reused = 0
    for step in list(scene.pathway.steps)[3:9]:
        view.centre_on_id(step.id)
        QApplication.processEvents()
        _drag_step(view, scene, step.id, QPoint(40, 30), moves=8)
        reused += cache.reused
        labels_equal_a_fresh_placement(scene)
    assert reused > 0                          # not every label searched again
    branch = next(t for t in scene.pathway.transitions if t.condition)
    stack.push(UpdateTransitionCommand(scene.pathway, branch.key,
                                       condition="A much longer condition than before"))
    QApplication.processEvents()
    labels_equal_a_fresh_placement(scene)


def test_provisional_routes_on_the_canvas_equal_drag_routes_on_their_own(qtbot):
    """While dragging, the canvas draws what DragRoutes draws for the step where it
    is now, started from the routes as they were (the canvas asks its item index
    which arrows the box stands across and keeps its box index between drags)."""
    from designer.graph.drag_routes import DragRoutes

    pathway = load_pathway(ROOT / "pathway_library" / "eras-plus-colorectal.yaml")
    _, stack, scene, view = make_canvas(qtbot, pathway)
    scene.tidy_now()
    nodes = scene._route_nodes_now()
    by_id = {n.id: n for n in nodes}

    def lands_across(sid, dx, dy):
        """A drag of ``sid`` by (dx, dy) ends with its box across another arrow."""
        left, top, right, bottom = by_id[sid].rect
        rect = (left + dx, top + dy, right + dx, bottom + dy)
        return any(routing._seg_hits_rect(p, q, rect)
                   for key, route in scene._routes.items() if sid not in key.split("->")
                   for p, q in route.segments())

    sid, dx, dy = next((s.id, dx, dy) for s in scene.pathway.steps
                       if len(scene.pathway.transitions_of(s.id)) >= 2
                       for dx, dy in ((0, 110), (0, -110), (140, 70), (-140, 70), (200, 0))
                       if lands_across(s.id, dx, dy))
    view.centre_on_id(sid)
    QApplication.processEvents()
    edges = scene._route_edges_now()
    routes = dict(scene._routes)
    crossed = []

    def check(_i):
        item = scene.item_for(sid)
        truth = DragRoutes(nodes, edges, routes, [sid])
        expected = dict(routes)
        changed = truth.move({sid: (item.pos().x(), item.pos().y())})
        expected.update(changed)
        crossed.append(len(changed) - len(scene._by_step[sid]))
        assert scene._routes == expected
        for key, route in expected.items():
            assert scene.transition_items()[key].route_points == route.points, key

    _drag_step(view, scene, sid, QPoint(dx, dy), moves=14, during=check)
    assert any(crossed)                 # the box stood across other arrows on the way
    _routes_equal_a_fresh_route(scene)
    labels_equal_a_fresh_placement(scene)


def test_a_drop_on_a_pathway_spread_wider_than_far_equals_a_fresh_route(qtbot):
    """Steps further apart than routing.FAR get plain routes, kept between routings
    for arrows whose boxes did not move: the drop still draws a fresh route."""
    from canvas_support import sample_pathway

    pathway = sample_pathway()
    last = pathway.steps[-1]
    pathway.update_step(last.id, position=(routing.FAR + 5_000.0, last.position[1]))
    _, stack, scene, view = make_canvas(qtbot, pathway)
    scene.tidy_now()
    _routes_equal_a_fresh_route(scene)
    for step in list(scene.pathway.steps)[1:4]:
        view.centre_on_id(step.id)
        QApplication.processEvents()
        _drag_step(view, scene, step.id, QPoint(70, 50), moves=6)
        assert scene._route_cache.reused > 0          # unmoved arrows kept their routes
        _routes_equal_a_fresh_route(scene)
        labels_equal_a_fresh_placement(scene)
    assert stack.count() == 3


def test_the_overview_map_is_drawn_again_after_a_drag_not_during_it(qtbot):
    _, stack, scene, view = make_canvas(qtbot)
    view.set_zoom(2.5)                         # part of the pathway out of sight
    QApplication.processEvents()
    minimap = view.minimap
    assert minimap.isVisible()
    minimap.repaint()
    drawn = minimap._picture
    assert drawn is not None
    sid = scene.pathway.steps[1].id
    view.centre_on_id(sid)
    QApplication.processEvents()
    seen_mid_drag = []

    def during(i):
        if i == 3:
            QTest.qWait(600)                  # longer than the map's 400 ms delay
            minimap.repaint()
            seen_mid_drag.append(minimap._picture is drawn)

    _drag_step(view, scene, sid, QPoint(160, 90), moves=6, during=during)
    assert seen_mid_drag == [True]            # not redrawn while the mouse drags
    assert stack.count() == 1
    QTest.qWait(600)
    minimap.repaint()
    assert minimap._picture is not None and minimap._picture is not drawn
    # the new picture has the step's block where the step now is
    item = scene.item_for(sid)
    rect, scale = minimap._geometry()
    x = int(1 + (item.pos().x() - rect.left()) * scale)
    y = int(1 + (item.pos().y() - rect.top()) * scale)
    image = minimap._picture.toImage()
    from designer.render import style
    from PySide6.QtGui import QColor
    assert image.pixelColor(x, y) == QColor(style.STEP_BORDER)
