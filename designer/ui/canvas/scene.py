"""The canvas scene: shows a Pathway as swimlanes, steps and arrows.

:class:`PathwayScene` observes the model (``Pathway.subscribe``) and fills itself
from it; it keeps id <-> item maps both ways. It never edits the model directly:
user gestures (handled by the small classes in :mod:`designer.ui.canvas.interactions`)
push commands from :mod:`designer.ui.commands` onto the undo stack, the model
emits events, and the scene follows.

Edge re-routing is batched: moving steps marks their transitions dirty and one
zero-delay timer re-routes them all (``flush()`` does it at once).
"""

from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from designer.graph import geometry, routing
from designer.graph.model import ModelEvent, Pathway, Step
from designer.ui.canvas.building import ProgressiveBuild
from designer.ui.canvas.interactions import SceneInteractions
from designer.ui.canvas.items.steps import Fonts, StepItem
from designer.ui.canvas.items.lanes import LaneItem
from designer.ui.canvas.items.edges import TransitionItem
from designer.ui.canvas.overlays import SceneOverlays
from designer.ui.canvas.routing import EdgeRouting
from designer.ui.editing.edit import Editor

SCENE_MARGIN = 160.0


class PathwayScene(ProgressiveBuild, EdgeRouting, SceneOverlays, QGraphicsScene):
    """A QGraphicsScene that mirrors one :class:`Pathway`.

    Parameters
    ----------
    pathway:
        The document shown; the scene subscribes to its events.
    undo_stack:
        Where the scene's own gestures (drag, connect, delete, rename, drop from
        the palette) push their commands.
    build:
        False leaves the scene empty, for a :class:`~designer.ui.canvas.building.SceneBuilder`
        to build in slices (big pathways: the window stays live meanwhile).
    """

    #: A refused gesture, with a message for the status bar.
    edit_refused = Signal(str)
    #: A lane header was clicked (the setting id), e.g. to show the lane's properties.
    lane_clicked = Signal(str)
    #: What the scene shows changed (a model event was followed, or a drag ended).
    #: Listen to this, never to ``QGraphicsScene.changed``: a slot on ``changed``
    #: makes Qt repaint only the scene rect on a full update, so anything drawn
    #: outside it (lanes run on to the view's right edge; a removed lane below a
    #: shrunk rect) stayed on screen as a ghost.
    content_changed = Signal()
    #: The canvas went into or out of high contrast (what others draw on it follows).
    contrast_changed = Signal(bool)

    def __init__(self, pathway: Pathway, undo_stack: QUndoStack, parent=None, *,
                 build: bool = True):
        super().__init__(parent)
        self.pathway = pathway
        self.undo_stack = undo_stack
        # the canvas's edits go through the one edit API; its refusals come out of
        # edit_refused (the window shows them with every other refusal)
        self.editor = Editor(lambda: self, self)
        self.editor.refused.connect(self.edit_refused)
        self.setItemIndexMethod(QGraphicsScene.BspTreeIndex)
        self.fonts = Fonts()
        self._steps: dict[str, StepItem] = {}
        self._edges: dict[str, TransitionItem] = {}
        self._by_step: dict[str, set[str]] = {}        # step id -> its transition keys
        self._lanes: dict[str, LaneItem] = {}
        self._bands: list[geometry.LaneBand] = []
        self._dirty: set[str] = set()
        self._route_pending = False
        self._findings: dict[str, list] = {}
        self._badges_shown: dict[str, tuple] = {}   # key -> (item, what its badge shows)
        self._badge_queue: list[str] = []           # badges still to bring up to date
        self._badge_timer_set = False
        self._badge_unsorted = False
        self._badge_signs: dict[str, tuple] = {}
        #: counts the changes that may move, add or remove a step's block or a lane
        #: (what the overview map draws); arrows and text do not count
        self.map_revision = 0
        self._critical: set[str] = set()
        self._highlighted: set[str] = set()
        self._detailed = True
        self._selected: set = set()
        self._fallback: dict[str, tuple[float, float]] = {}   # see _positioned()
        self._header_x = 0.0
        self._visible_right = 0.0
        self._dragging = False
        self._drag_routes = None               # provisional routes of the drag under way
        self._drag_moved = False
        self._route_cache = routing.RouteCache()   # searches kept between routings
        self._label_cache = routing.LabelCache()   # label places kept likewise
        self._untidy: set[str] = set()        # routed without label dodging
        self._tidy_pending = False
        self.interactions = SceneInteractions(self)
        self.selectionChanged.connect(self._selection_changed)
        pathway.subscribe(self._on_event)
        if build:
            self._rebuild()

    def detach(self) -> None:
        """Stop following the model (call before dropping the scene).

        Also stops reacting to selection changes, so that Qt deleting the items
        later never calls back into half-deleted Python items.
        """
        self.pathway.unsubscribe(self._on_event)
        try:
            self.selectionChanged.disconnect(self._selection_changed)
        except (RuntimeError, TypeError):
            pass
        self._untidy.clear()
        self._dirty.clear()

    # ------------------------------------------------------------------ look-ups
    def item_for(self, key: str) -> QGraphicsItem | None:
        """The item showing a step id, a transition "A->B" or a lane id."""
        return self._steps.get(key) or self._edges.get(key) or self._lanes.get(key)

    def id_for(self, item: QGraphicsItem) -> str | None:
        """The step id or transition key an item (or one of its parts) shows."""
        while item is not None:
            if isinstance(item, StepItem):
                return item.step_id
            if isinstance(item, TransitionItem):
                return item.key
            owner = getattr(item, "owner", None)
            if isinstance(owner, TransitionItem):
                return owner.key
            item = item.parentItem()
        return None

    def step_items(self) -> dict[str, StepItem]:
        return self._steps

    def transition_items(self) -> dict[str, TransitionItem]:
        return self._edges

    def bands(self) -> list[geometry.LaneBand]:
        return self._bands

    def selected_ids(self) -> list[str]:
        """Selected step ids then transition keys, in model order."""
        chosen = {self.id_for(item) for item in self.selectedItems()}
        chosen.discard(None)
        # nothing or one thing selected (nearly always): no walk over the whole model,
        # which the panels that follow the selection asked for after every edit
        if not chosen:
            return []
        if len(chosen) == 1:
            (key,) = chosen
            return [key] if key in self._steps or key in self._edges else []
        steps = [s.id for s in self.pathway.steps if s.id in chosen]
        edges = [t.key for t in self.pathway.transitions if t.key in chosen]
        return steps + edges

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select exactly these steps and transitions (unknown ids are ignored).

        One ``selectionChanged`` follows, however many items change.
        """
        wanted = set(ids)
        self.blockSignals(True)
        try:
            self.clearSelection()
            for key in wanted:
                item = self._steps.get(key) or self._edges.get(key)
                if item is not None:
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()

    # ------------------------------------------------------------------ building
    def _owner_name(self, step: Step, roles: dict | None = None) -> str:
        if not step.owner:
            return ""
        role = roles.get(step.owner) if roles is not None else self.pathway.role(step.owner)
        return role.name if role else step.owner

    def _selection_changed(self) -> None:
        # Items show selection by their border; only those that changed are told.
        now = set(self.selectedItems())
        for item in now ^ self._selected:
            if hasattr(item, "selection_changed") and item.scene() is self:
                item.selection_changed()
        self._selected = now

    def _rebuild(self) -> None:
        self._dirty.clear()
        self._drag_routes = None
        self._routes = {}
        self._untidy = set()
        self._selected = set()
        # Deleting items must not call back into them (selection changes on the way).
        self.blockSignals(True)
        try:
            self.clear()
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()
        self._steps, self._edges, self._lanes, self._by_step = {}, {}, {}, {}
        self._bands = []
        roles = {r.id: r for r in self.pathway.roles}
        for step in self.pathway.steps:
            self._add_step_item(step, roles)
        self._sync_lanes(force=True)
        by_id = self.pathway.steps_by_id()
        for transition in self.pathway.transitions:
            self._add_edge_item(transition, by_id)
        # First routing without label dodging (fast); tidying follows in slices.
        dirty, self._dirty = self._dirty, set()
        self._route(dirty, tidy=False)
        self._untidy = set(self._edges)
        self._schedule_tidying()
        if self._findings:
            findings, self._findings = self._findings, {}
            for key, items in findings.items():
                item = self._steps.get(key) or self._edges.get(key)
                if item is not None:
                    item.set_findings(items)
                    self._findings[key] = items

    def _add_step_item(self, step: Step, roles: dict | None = None) -> StepItem:
        item = StepItem(step, self._owner_name(step, roles), self.fonts)
        if not self._detailed:
            item.set_detail(False)
        self._steps[step.id] = item
        self.addItem(item)
        return item

    def _add_edge_item(self, transition, by_id: dict | None = None) -> TransitionItem:
        item = TransitionItem(transition, self.fonts)
        self._edges[transition.key] = item
        for end in (transition.source, transition.target):
            self._by_step.setdefault(end, set()).add(transition.key)
        item.show_transition(transition, self._crosses(transition, by_id))
        item.attach(self)
        if not self._detailed:
            item.set_detail(False)
        self._dirty.add(transition.key)
        return item

    def _remove_edge_item(self, key: str) -> None:
        item = self._edges.pop(key, None)
        self._dirty.discard(key)
        self._untidy.discard(key)
        if item is None:
            return
        for end in (item.source, item.target):
            self._by_step.get(end, set()).discard(key)
            # the ports left on its ends spread out again: their arrows move
            self._dirty.update(self._by_step.get(end, ()))
        if self._dirty:
            self._schedule_routing()
        for deco in item.decorations():
            if deco.scene() is self:
                self.removeItem(deco)
        self._selected.discard(item)
        self.removeItem(item)

    def _crosses(self, transition, by_id: dict | None = None) -> bool:
        if by_id is not None:
            a, b = by_id.get(transition.source), by_id.get(transition.target)
        else:
            a, b = self.pathway.step(transition.source), self.pathway.step(transition.target)
        return a is not None and b is not None and a.setting != b.setting

    def _positioned(self) -> Pathway:
        """The pathway as drawn: steps without a position get auto-layout ones.

        Library files and hand-written YAML may leave positions out; the exported
        diagrams place those steps by :func:`designer.graph.layout.auto_layout`
        and so does the canvas (display only: the model is not changed).
        """
        missing = [s for s in self.pathway.steps if s.position is None]
        if not missing:
            self._fallback = {}
            return self.pathway
        if any(s.id not in self._fallback for s in missing):
            from designer.graph.layout import auto_layout
            self._fallback = auto_layout(self.pathway)
        steps = [s if s.position is not None
                 else s.model_copy(update={"position": self._fallback[s.id]})
                 for s in self.pathway.steps]
        return self.pathway.model_copy(update={"steps": steps})

    def _sync_lanes(self, force: bool = False) -> None:
        """Recompute lane bands; move lanes and the steps of lanes that moved."""
        bands = geometry.lane_bands(self._positioned())
        old_tops = {b.setting_id: b.top for b in self._bands}
        right = geometry.LANE_HEADER_WIDTH + 400.0
        for step in self.pathway.steps:
            position = step.position or self._fallback.get(step.id)
            if position is not None:
                right = max(right, position[0] + geometry.STEP_WIDTH[step.kind] / 2)
        width = right + SCENE_MARGIN
        wanted = {b.setting_id for b in bands}
        for sid in list(self._lanes):
            if sid not in wanted:
                self._lanes.pop(sid).detach()
        for band in bands:
            lane = self._lanes.get(band.setting_id)
            if lane is None:
                lane = LaneItem(self.pathway.setting(band.setting_id), self.fonts)
                self._lanes[band.setting_id] = lane
                lane.attach(self)
                lane.pin(self._header_x)
                lane.reach(self._visible_right)
            lane.set_band(band.top, band.height, width)
        moved = {b.setting_id for b in bands if old_tops.get(b.setting_id) != b.top}
        self._bands = bands
        if force or moved:
            for step in self.pathway.steps:
                lane = step.setting if self.pathway.setting(step.setting or "") else ""
                if force or lane in moved:
                    self._place(step)
        height = bands[-1].bottom if bands else geometry.LANE_MIN_HEIGHT
        rect = QRectF(0, 0, width, height + SCENE_MARGIN / 2)
        if rect != self.sceneRect():
            self.setSceneRect(rect)

    def _place(self, step: Step) -> None:
        item = self._steps.get(step.id)
        if item is None or not self._bands:
            return
        if step.position is None and step.id in self._fallback:
            step = step.model_copy(update={"position": self._fallback[step.id]})
        x, y = geometry.scene_centre(self._bands, step)
        before = item.sceneBoundingRect()
        item.setPos(x, y)
        self._box_may_move(step.id)
        self._mark_edges_of(step.id)
        # arrows that arched over the step's old place, or now run through its new one
        self._mark_edges_across(before)
        self._mark_edges_across(item.sceneBoundingRect())

    # -------------------------------------------------------------- model events
    def _on_event(self, event: ModelEvent) -> None:
        if self._building:          # half-built: built again from the model at the end
            self._build_stale = True
            return
        handler = _HANDLERS.get(event.kind)
        if handler is not None:
            self._model_changed(event.kind)
            handler(self, event)
            self._model_changed(event.kind)      # (a handler may have routed mid-change)
            if _moves_blocks(event):
                self.map_revision += 1
            self.content_changed.emit()

    def _step_added(self, event: ModelEvent) -> None:
        step = event.new
        self._add_step_item(step)
        self._sync_lanes()
        self._place(step)

    def _step_removed(self, event: ModelEvent) -> None:
        item = self._steps.pop(event.key, None)
        if item is not None:
            self._selected.discard(item)
            self.removeItem(item)
        self._highlighted.discard(event.key)
        self._sync_lanes()

    def _step_changed(self, event: ModelEvent) -> None:
        step: Step = event.new
        item = self._steps.get(step.id)
        if item is None:
            return
        fields = set(event.extra.get("fields", ()))
        item.show_step(step, self._owner_name(step))
        if fields & {"position", "setting", "kind"}:
            self._sync_lanes()
            self._place(step)
        if "setting" in fields:
            for t in self.pathway.transitions_of(step.id):
                edge = self._edges.get(t.key)
                if edge is not None:
                    edge.show_transition(t, self._crosses(t))

    def _step_renamed(self, event: ModelEvent) -> None:
        item = self._steps.pop(event.old, None)
        if item is None:
            return
        self._steps[event.new] = item
        item.step_id = event.new
        for key in [k for k, e in self._edges.items() if event.old in (e.source, e.target)]:
            self._remove_edge_item(key)
        for t in self.pathway.transitions_of(event.new):
            self._add_edge_item(t)
        self.flush()

    def _transition_added(self, event: ModelEvent) -> None:
        self._add_edge_item(event.new)
        self._schedule_routing()

    def _transition_removed(self, event: ModelEvent) -> None:
        self._remove_edge_item(event.key)

    def _transition_changed(self, event: ModelEvent) -> None:
        edge = self._edges.get(event.key)
        if edge is not None:
            edge.show_transition(event.new, self._crosses(event.new))

    def _lanes_changed(self, event: ModelEvent) -> None:
        for sid, lane in self._lanes.items():
            lane.show_setting(self.pathway.setting(sid))
        self._sync_lanes(force=True)
        for t in self.pathway.transitions:
            edge = self._edges.get(t.key)
            if edge is not None:
                edge.show_transition(t, self._crosses(t))

    def _role_changed(self, event: ModelEvent) -> None:
        for step in self.pathway.steps:
            if step.owner == event.key:
                self._steps[step.id].show_step(step, self._owner_name(step))

    def _reset(self, event: ModelEvent) -> None:
        self._rebuild()

    # ---------------------------------------------------------- user gestures
    def mousePressEvent(self, event) -> None:
        self.interactions.mouse_press(event)

    def mouseMoveEvent(self, event) -> None:
        self.interactions.mouse_move(event)

    def mouseReleaseEvent(self, event) -> None:
        self.interactions.mouse_release(event)

    def mouseDoubleClickEvent(self, event) -> None:
        self.interactions.mouse_double_click(event)

    def keyPressEvent(self, event) -> None:
        if not self.interactions.key_press(event):
            super().keyPressEvent(event)

    def dragEnterEvent(self, event) -> None:
        self.interactions.drag_enter(event)

    def dragMoveEvent(self, event) -> None:
        self.interactions.drag_move(event)

    def dropEvent(self, event) -> None:
        self.interactions.drop(event)

    def delete_selected(self) -> bool:
        """Delete the selected steps and transitions as one undo step."""
        return self.interactions.delete_selected()

    def nudge_selected(self, dx: float, dy: float) -> bool:
        """Move the selected steps by (dx, dy) within their lanes (consecutive nudges merge)."""
        return self.interactions.nudge_selected(dx, dy)

    def add_step_from_palette(self, payload: dict) -> str | None:
        """Add a palette entry without dragging (keyboard users): into the lane of the
        selected step, or the first lane, right of that lane's last step."""
        lane = None
        for sid in self.selected_ids():
            step = self.pathway.step(sid)
            if step is not None and self.pathway.setting(step.setting or ""):
                lane = step.setting
                break
        return self.interactions.palette_drop.create(payload, None, lane)

    def rename_in_place(self, step_id: str) -> bool:
        """Open the inline name editor on a step (needs a view)."""
        return self.interactions.rename.start(step_id)


#: the fields of a step whose change can move its block (or the lanes)
_PLACING_FIELDS = frozenset({"position", "setting", "kind"})


def _moves_blocks(event: ModelEvent) -> bool:
    """Whether a model event can change where steps or lanes are drawn."""
    kind = event.kind
    if kind.startswith(("transition-", "role-")) or kind == "step-renamed":
        return False
    if kind == "step-changed":
        return bool(_PLACING_FIELDS.intersection(event.extra.get("fields", ())))
    return True


_HANDLERS = {
    "step-added": PathwayScene._step_added,
    "step-removed": PathwayScene._step_removed,
    "step-changed": PathwayScene._step_changed,
    "step-renamed": PathwayScene._step_renamed,
    "transition-added": PathwayScene._transition_added,
    "transition-removed": PathwayScene._transition_removed,
    "transition-changed": PathwayScene._transition_changed,
    "setting-added": PathwayScene._lanes_changed,
    "setting-removed": PathwayScene._lanes_changed,
    "setting-changed": PathwayScene._lanes_changed,
    "settings-reordered": PathwayScene._lanes_changed,
    "role-added": PathwayScene._role_changed,
    "role-removed": PathwayScene._role_changed,
    "role-changed": PathwayScene._role_changed,
    "reset": PathwayScene._reset,
}
