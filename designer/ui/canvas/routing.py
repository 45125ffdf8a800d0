"""Batched routing of the canvas's arrows (a mixin of PathwayScene).

Moving steps marks their transitions dirty; one zero-delay timer re-routes them
all (:meth:`EdgeRouting.flush` does it at once) with :mod:`designer.graph.routing`,
the router the exported diagrams use; the other arrows keep their routes unless
their ports moved or a step now stands in their way. Routing is "tidy" when
labels and badges are placed clear of steps and of each other; while a drag is
under way, and on the first build, they go to their preferred points at once
(each mouse move must stay cheap) and the tidying follows.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from shiboken6 import isValid

from designer.graph import routing
from designer.ui.canvas.items.edges import TransitionItem


class EdgeRouting:
    """Dirty-set routing with deferred label tidying."""

    def _mark_edges_of(self, step_id: str) -> None:
        self._dirty.update(self._by_step.get(step_id, ()))
        self._schedule_routing()

    def _mark_edges_across(self, rect: QRectF) -> None:
        """Re-route the arrows whose span covers ``rect`` (a step moved there, or away:
        they may have a shorter way now)."""
        if len(self._dirty) >= len(self._edges):    # a full build routes everything anyway
            return
        for item in self.items(rect, Qt.IntersectsItemBoundingRect):
            if isinstance(item, TransitionItem):
                self._dirty.add(item.key)
        self._schedule_routing()

    def steps_dragged(self, step_ids) -> None:
        """Steps moved by the mouse (not yet in the model): their arrows follow.

        While dragging, labels keep their first place (no look-ups: each mouse
        move must stay cheap); :meth:`drag_finished` tidies them.
        """
        self._dragging = True
        for sid in step_ids:
            keys = self._by_step.get(sid, ())
            self._dirty.update(keys)
            self._untidy.update(keys)
        self._schedule_routing()

    @property
    def dragging(self) -> bool:
        """True while the mouse is dragging steps (the model is not yet changed)."""
        return self._dragging

    def drag_finished(self) -> None:
        self._dragging = False
        self._schedule_tidying()
        self.content_changed.emit()

    def _schedule_routing(self) -> None:
        if not self._route_pending and self._dirty:
            self._route_pending = True
            QTimer.singleShot(0, self.flush)

    def flush(self) -> None:
        """Re-route every dirty transition now (and finish any label tidying)."""
        self._route_pending = False
        if self._torn_down():
            return
        dirty, self._dirty = self._dirty, set()
        if not self._dragging:
            dirty |= self._untidy
            self._untidy = set()
        self._route(dirty, tidy=not self._dragging)

    def _route(self, keys, tidy: bool) -> None:
        """Route ``keys`` (and any arrow a moved step now stands across); untidy
        routing (drags, first build) puts labels at their preferred points without
        looking round, tidy routing places every label clear of the rest."""
        keys = set(keys)
        if not keys:
            return
        routes_before = getattr(self, "_routes", None) or {}
        nodes = [routing.Node(sid, item.pos().x(), item.pos().y(), *item.size(),
                              routing.shape_of(item.kind))
                 for sid, item in self._steps.items()]
        edges = [routing.Edge(key, edge.source, edge.target) for key, edge in self._edges.items()]
        routes = routing.route_edges(nodes, edges, only=keys, previous=routes_before)
        self._routes, self._route_nodes = routes, nodes
        for key, edge in self._edges.items():
            route = routes.get(key)
            if route is None:
                edge.setVisible(False)
                continue
            edge.setVisible(True)
            if key in keys or route is not routes_before.get(key):
                edge.set_route(route)
                if not tidy:
                    edge.place_quickly(route)
                    self._untidy.add(key)
        # a decision's owner caption moves aside where an arrow uses its bottom corner
        aside: dict[str, str] = {}
        for key, route in routes.items():
            edge, pts = self._edges[key], route.points
            if route.source_side == "S" and len(pts) > 2:
                turn = pts[2][0] - pts[1][0]            # the arrow turns this way
                aside[edge.source] = "left" if turn >= 0 else "right"
            if route.target_side == "S" and len(pts) > 2:
                turn = pts[-3][0] - pts[-2][0]          # the arrow comes from this way
                aside[edge.target] = "left" if turn >= 0 else "right"
        for sid, item in self._steps.items():
            item.set_caption_aside(aside.get(sid))
        if tidy:
            self._place_decorations()

    def _place_decorations(self) -> None:
        """Every label and badge on its own arrow, clear of steps and of each other."""
        self._untidy = set()
        requests = [request for edge in self._edges.values() if edge.key in self._routes
                    for request in edge.label_requests()]
        if not requests:
            return
        places = routing.place_labels(self._routes, self._route_nodes,
                                      [label for label, _item in requests],
                                      keep_clear=self._captions_below())
        for label, item in requests:
            rect = places.get((label.key, label.name))
            if rect is None:
                continue
            if label.name == "label":
                item.use_size(rect[2] - rect[0], rect[3] - rect[1])
            item.setPos((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)

    def _captions_below(self) -> list[tuple[float, float, float, float]]:
        """Text a step shows outside its shape (a decision's owner, under the tip)."""
        rects = []
        for item in self._steps.values():
            if not item.isVisible() or not item.childItems():
                continue
            bottom = item.pos().y() + item.size()[1] / 2
            text = item.mapRectToScene(item.childrenBoundingRect())
            if text.bottom() > bottom + 1:
                rects.append((text.left(), bottom, text.right(), text.bottom()))
        return rects

    def decorations_changed(self, key: str) -> None:
        """A transition's label or badges changed: place them (with the rest) again."""
        route = getattr(self, "_routes", {}).get(key)
        edge = self._edges.get(key)
        if route is None or edge is None:
            return
        edge.place_quickly(route)
        self._untidy.add(key)
        self._schedule_tidying()

    def _torn_down(self) -> bool:
        """True once Qt has deleted the scene or its items (a timer may still fire)."""
        first = next(iter(self._steps.values()), None)
        return not isValid(self) or (first is not None and not isValid(first))

    def _tidy_some(self) -> None:
        """Place the labels clear of each other once a build or drag is over."""
        self._tidy_pending = False
        if self._dragging or not self._untidy or self._torn_down():
            return
        if self._dirty:
            self.flush()
        else:
            self._place_decorations()

    def _schedule_tidying(self) -> None:
        if self._untidy and not self._tidy_pending:
            self._tidy_pending = True
            QTimer.singleShot(0, self._tidy_some)

    def tidy_now(self) -> None:
        """Finish label tidying at once (screenshots and tests)."""
        self.flush()
        if self._untidy:
            self._place_decorations()
