"""Batched routing of the canvas's arrows (a mixin of PathwayScene).

Model changes mark transitions dirty; one zero-delay timer then routes the whole
pathway (:meth:`EdgeRouting.flush` does it at once) with
:func:`designer.graph.routing.route_edges`, the router the exported diagrams use,
keeping a :class:`~designer.graph.routing.RouteCache` so that only the arrows whose
surroundings changed are searched again: the canvas always shows exactly the routes
an export of the same pathway draws.

While steps are dragged (the model is not changed until the drop) each mouse move
redraws only the dragged steps' arrows, and arrows a dragged box stands across, with
cheap provisional routes (:mod:`designer.graph.drag_routes`); the drop routes the
whole pathway again. Routing is "tidy" when labels and badges are placed clear of
steps and of each other; while a drag is under way, and on the first build, they go
to their preferred points at once (each mouse move must stay cheap) and the tidying
follows.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt, QTimer
from shiboken6 import isValid

from designer.graph import routing
from designer.graph.drag_routes import DragRoutes
from designer.render.diagram_layout import caption_side
from designer.ui.canvas.items.edges import TransitionItem


#: while dragging, arrows are redrawn at most once in this many milliseconds (a frame)
FRAME_MS = 16.0
#: ... and a frame that took t (its repaint included) is followed by none for
#: (FRAME_SPACING - 1) * t: arrows take at most a third of the time while dragging
FRAME_SPACING = 3.0


#: model events that leave the list of transitions (keys, ends, order) as it was
#: from this many arrows on, a re-routing after an edit places the labels in a turn of
#: its own (see ``flush``)
TIDY_APART_AT = 400

#: the label tidying that follows a routing waits this long (see _schedule_tidying)
TIDY_AFTER_MS = 1

_TRANSITIONS_KEPT = frozenset({
    # a step comes without arrows, and goes only once its arrows have gone
    "step-added", "step-removed",
    "step-changed", "role-added", "role-removed", "role-changed", "setting-added",
    "setting-removed", "setting-changed", "settings-reordered"})


class EdgeRouting:
    """Dirty-set routing with deferred label tidying."""

    _drag_drawn = 0.0          # when a drag last redrew its arrows (time.monotonic)
    _drag_next = 0.0           # no arrow frame before this (time.monotonic)
    _frame_unpainted = False   # a frame's arrows were set and not yet painted
    # Kept between routings, so that a drag's mouse moves and its drop cost what
    # changed rather than a walk over the whole pathway:
    _edge_order: dict[str, int] | None = None    # transition key -> place in the model
    _edge_list: list | None = None               # the routing.Edge list, model order
    _node_boxes: dict | None = None              # step id -> routing.Node as drawn
    _node_kinds: dict | None = None              # step id -> the kind that box was made for
    _box_index: routing.BoxIndex | None = None   # the same boxes, in buckets
    # steps whose boxes may have moved or changed kind since the boxes were last
    # looked at (the scene's _place adds them); None: any may have (a drag moves
    # items without the model, a build): every box is looked at
    _boxes_moved: set | None = None
    _kept_requests: dict | None = None           # key -> (its item, its label requests)
    _shown_labels: dict | None = None            # (key, name) -> (place put at, item)

    def _model_changed(self, kind: str = "") -> None:
        """The scene calls this round every model event it follows: transitions may
        have come, gone or changed places (the boxes are checked when next asked).
        A step's or a lane's change leaves the transitions as they were."""
        if kind not in _TRANSITIONS_KEPT:
            self._edge_order = None
            self._edge_list = None

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

        While dragging, arrows get provisional routes and labels keep to their
        preferred points (each mouse move must stay cheap); :meth:`drag_finished`
        routes the whole pathway again and tidies the labels.
        """
        moving = frozenset(step_ids)
        self._boxes_moved = None          # the mouse moves items the model knows nothing of
        if self._drag_routes is None or self._drag_routes.moving != moving:
            # what the drag starts from is kept between drags (boxes, their index,
            # the transitions) and the scene's item index answers which arrows a
            # dragged box stands across: no walk over the whole pathway here
            nodes = self._nodes_now()
            self._drag_routes = DragRoutes(nodes, self._route_edges_now(),
                                           getattr(self, "_routes", None) or {}, moving,
                                           across=self._arrows_across,
                                           boxes=self._box_index)
        self._dragging = True
        self._drag_moved = True
        # arrows follow at most once a frame (FRAME_MS), and less often where a frame
        # costs more than a third of that (drag_frame_painted): mouse moves arriving
        # faster only move the step; the last position is always drawn
        wait = (self._drag_next - time.monotonic()) * 1000.0
        if wait <= 0:
            # at once, in this mouse move: Qt then takes the moved step and the
            # redrawn arrows in one pass over its items and one repaint (a timer
            # made it two passes, each a walk over every item of the scene)
            self.flush()
        elif not self._route_pending:
            self._route_pending = True
            QTimer.singleShot(max(1, int(wait)), self.flush)

    def drag_frame_painted(self) -> None:
        """A view finished painting (it calls this while a drag is under way).

        The next arrow frame waits until the last one has taken at most a third
        of the time since it began (FRAME_SPACING), repaint included: where
        redrawing the arrows costs more than a third of a frame (a slow or busy
        machine, many long arrows on screen) they follow less often, and the
        dragged step, moved by every mouse event, keeps up with the pointer."""
        if self._frame_unpainted:
            self._frame_unpainted = False
            took = time.monotonic() - self._drag_drawn
            self._drag_next = max(self._drag_next, self._drag_drawn + FRAME_SPACING * took)

    @property
    def dragging(self) -> bool:
        """True while the mouse is dragging steps (the model is not yet changed)."""
        return self._dragging

    def drag_finished(self) -> None:
        drag, self._drag_routes = self._drag_routes, None
        self._boxes_moved = None
        self._dragging = False
        self._drag_moved = False
        if drag is not None and drag.current:
            # provisional routes on screen: the whole pathway is routed again
            self._dirty.update(drag.current)
            self._schedule_routing()
        self._schedule_tidying()
        self.map_revision += 1
        self.content_changed.emit()

    def _schedule_routing(self) -> None:
        if not self._route_pending and (self._dirty or self._drag_moved):
            self._route_pending = True
            QTimer.singleShot(0, self.flush)

    def flush(self) -> None:
        """Re-route every dirty transition now (and finish any label tidying)."""
        self._route_pending = False
        if self._torn_down() or self._building:   # (a build in slices routes at its end)
            return
        if self._dragging and self._drag_routes is not None:
            # model changes while dragging wait for the drop (which routes everything)
            if self._drag_moved:
                self._drag_moved = False
                self._route_drag()
            return
        dirty, self._dirty = self._dirty, set()
        dirty |= self._untidy
        self._untidy = set()
        if len(self._edges) >= TIDY_APART_AT:
            # a big pathway: the routes now, the labels clear of each other in the next
            # turn of the event loop (each is a pass over every arrow: together they
            # held the GUI thread 50-110 ms at 2,000 steps after adding a step)
            self._route(dirty, tidy=False)
            self._schedule_tidying()
        else:
            self._route(dirty, tidy=True)

    def _route_nodes_now(self) -> list:
        """The steps' boxes as the canvas shows them now."""
        return list(self._nodes_now().values())

    def _nodes_now(self) -> dict:
        """The steps' boxes as the canvas shows them now, by step id in the items'
        order, and :attr:`_box_index` holding the same boxes.

        Kept between calls: a box is made again only for a step that moved or
        changed kind, and only that box moves in the index; a new step's box is
        added and a removed step's taken out (all are made again only the first time,
        or when the steps came in another order). Only the steps the scene placed since
        (:meth:`_box_may_move`) are looked at, unless a drag or a build moved items."""
        steps = self._steps
        nodes, kinds, index = self._node_boxes, self._node_kinds, self._box_index
        moved, self._boxes_moved = self._boxes_moved, set()
        if nodes is None or index is None:
            nodes, kinds = {}, {}
            for sid, item in steps.items():
                pos = item.pos()
                nodes[sid] = routing.Node(sid, pos.x(), pos.y(), *item.size(),
                                          routing.shape_of(item.kind))
                kinds[sid] = item.kind
            self._node_boxes, self._node_kinds = nodes, kinds
            self._box_index = routing.BoxIndex(nodes.values())
            return nodes
        if nodes.keys() != steps.keys() or list(nodes) != list(steps):
            # a step added or removed (or renamed): the boxes follow the items' order
            for sid in nodes.keys() - steps.keys():
                index.discard(sid)
                kinds.pop(sid, None)
            fresh = {}
            for sid, item in steps.items():
                node = nodes.get(sid)
                if node is None:
                    pos = item.pos()
                    node = routing.Node(sid, pos.x(), pos.y(), *item.size(),
                                        routing.shape_of(item.kind))
                    kinds[sid] = item.kind
                    index.add(node)
                fresh[sid] = node
            nodes = self._node_boxes = fresh
        if moved is None:
            looked_at = steps.items()
        else:
            looked_at = [(sid, steps[sid]) for sid in moved if sid in steps]
        for sid, item in looked_at:
            pos = item.pos()
            x, y = pos.x(), pos.y()
            node = nodes[sid]
            if node.cx != x or node.cy != y or kinds[sid] is not item.kind:
                node = routing.Node(sid, x, y, *item.size(), routing.shape_of(item.kind))
                nodes[sid] = node
                kinds[sid] = item.kind
                index.discard(sid)
                index.add(node)
        return nodes

    def _box_may_move(self, step_id: str) -> None:
        """The scene moved a step's item (or changed its kind): its box is looked at
        when the boxes are next asked for."""
        if self._boxes_moved is not None:
            self._boxes_moved.add(step_id)

    def _arrows_across(self, rect) -> list[str]:
        """Keys of the arrows whose drawn lines' bounds meet ``rect`` (left, top,
        right, bottom), from the scene's own item index."""
        left, top, right, bottom = rect
        found = self.items(QRectF(left, top, right - left, bottom - top),
                           Qt.IntersectsItemBoundingRect)
        return [item.key for item in found if isinstance(item, TransitionItem)]

    def _route_edges_now(self) -> list:
        """The transitions shown, in the model's order (the order the exports route them)."""
        edges = self._edges
        listed = self._edge_list
        # kept until a model event (or items coming or going outside one)
        if listed is not None and len(listed) == len(edges) == len(self.pathway.transitions):
            return listed
        listed = [routing.Edge(t.key, t.source, t.target)
                  for t in self.pathway.transitions if t.key in edges]
        if len(listed) != len(edges):          # items the model no longer lists (mid-event)
            known = {e.key for e in listed}
            listed += [routing.Edge(key, edge.source, edge.target)
                       for key, edge in edges.items() if key not in known]
        self._edge_list = listed
        return listed

    def _transition_order(self) -> dict[str, int]:
        """Transition key -> its place in the model (kept until the model changes)."""
        transitions = self.pathway.transitions
        if self._edge_order is None or len(self._edge_order) != len(transitions):
            self._edge_order = {t.key: i for i, t in enumerate(transitions)}
        return self._edge_order

    def _route_drag(self) -> None:
        """One mouse move of a drag: provisional routes for the arrows that change."""
        drag = self._drag_routes
        steps = self._steps
        positions = {}
        for sid in drag.moving:
            item = steps.get(sid)
            if item is not None:
                pos = item.pos()
                positions[sid] = (pos.x(), pos.y())
        self._drag_drawn = time.monotonic()
        self._drag_next = self._drag_drawn + FRAME_MS / 1000.0
        self._frame_unpainted = True
        changed = drag.move(positions)
        routes = self._routes
        touched = set()
        for key, route in changed.items():
            edge = self._edges.get(key)
            if edge is None:
                continue
            if route != routes.get(key):
                edge.set_route(route)
                edge.place_quickly(route)
                routes[key] = route
            self._untidy.add(key)
            touched.add(edge.source)
            touched.add(edge.target)
        self._set_captions(touched)

    def _route(self, keys, tidy: bool) -> None:
        """Route the whole pathway (``keys`` changed; the cache keeps the search to
        what changed round them); untidy routing (first build) puts labels at their
        preferred points without looking round, tidy routing places every label
        clear of the rest."""
        keys = set(keys)
        if not keys:
            return
        routes_before = getattr(self, "_routes", None) or {}
        nodes = self._route_nodes_now()
        # the kept box index (moved boxes only moved in it), not one built per call
        routes = routing.route_edges(nodes, self._route_edges_now(), cache=self._route_cache,
                                     index=self._box_index)
        self._routes, self._route_nodes = routes, nodes
        touched = set()
        for key, edge in self._edges.items():
            route = routes.get(key)
            if route is None:
                edge.setVisible(False)
                continue
            before = routes_before.get(key)
            if before is route and key not in keys:
                continue            # the router's cache gave back the very same route
            edge.setVisible(True)
            if key in keys or route != before:
                if route != before or not edge.route_points:
                    edge.set_route(route)
                    touched.add(edge.source)
                    touched.add(edge.target)
                if not tidy:
                    edge.place_quickly(route)
                    self._untidy.add(key)
        self._set_captions(touched if routes_before else set(self._steps))
        if tidy:
            self._place_decorations(keys)

    def _set_captions(self, step_ids) -> None:
        """A decision's owner caption moves aside where an arrow uses its bottom corner,
        by the rule the exported diagrams use (arrows taken in the model's order)."""
        routes, edges = self._routes, self._edges
        order = None
        for sid in step_ids:
            item = self._steps.get(sid)
            if item is None:
                continue
            keys = self._by_step.get(sid, ())
            if len(keys) > 1:
                if order is None:
                    order = self._transition_order()
                keys = sorted(keys, key=lambda k: (order.get(k, len(order)), k))
            at_step = [edges[key] for key in keys if key in edges]
            item.set_caption_aside(caption_side(sid, routes, at_step))

    def _place_decorations(self, again=()) -> None:
        """Every label and badge on its own arrow, clear of steps and of each other.

        ``again``: arrows whose labels may stand elsewhere than where they were last
        placed (put at their preferred points meanwhile: while dragging, on the first
        build), besides those still marked untidy."""
        quick, self._untidy = self._untidy | set(again), set()
        requests = self._label_requests()
        if not requests:
            return
        places = routing.place_labels(self._routes, self._route_nodes,
                                      [label for label, _item in requests],
                                      keep_clear=self._captions_below(),
                                      cache=self._label_cache)
        # a label is moved only where its place changed, or where it was put at its
        # preferred point meanwhile (drawn untidy: while dragging, on the first build)
        shown = self._shown_labels
        if shown is None or len(shown) > 2 * len(requests) + 64:
            shown = self._shown_labels = {}      # (none kept for arrows long gone)
        for label, item in requests:
            where = (label.key, label.name)
            rect = places.get(where)
            if rect is None:
                continue
            if shown.get(where) == (rect, item) and label.key not in quick:
                continue
            shown[where] = (rect, item)
            if label.name == "label":
                item.use_size(rect[2] - rect[0], rect[3] - rect[1])
            item.setPos((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)

    def _label_requests(self) -> list:
        """Every arrow's label requests (TransitionItem.label_requests), in the
        items' order; an arrow's are asked again only after its decorations changed
        (:meth:`decorations_changed`) or its item was replaced."""
        kept, routes = self._kept_requests, self._routes
        if kept is None:
            kept = self._kept_requests = {}
        requests = []
        for key, edge in self._edges.items():
            if key not in routes:
                continue
            entry = kept.get(key)
            if entry is None or entry[0] is not edge:
                entry = kept[key] = (edge, edge.label_requests())
            requests += entry[1]
        if len(kept) > len(self._edges):        # arrows that went
            for key in [k for k in kept if k not in self._edges]:
                del kept[key]
        return requests

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
        if self._kept_requests is not None:
            self._kept_requests.pop(key, None)
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
            # a timer that is due only after this turn: Qt runs the input, paints and
            # timers already due first (a zero-delay one ran straight after the
            # routing that scheduled it, the two one long block of the GUI thread)
            QTimer.singleShot(TIDY_AFTER_MS, self._tidy_some)

    def tidy_now(self) -> None:
        """Finish label tidying at once (screenshots and tests)."""
        self.flush()
        if self._untidy:
            self._place_decorations()
