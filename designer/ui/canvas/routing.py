"""Batched routing of the canvas's arrows (a mixin of PathwayScene).

Moving steps marks their transitions dirty; one zero-delay timer re-routes them
all (:meth:`EdgeRouting.flush` does it at once). Routing is "tidy" when labels
and badges may look around for a place clear of steps and of each other; while
a drag is under way, and on the first build, routing skips that (each mouse
move must stay cheap) and the tidying follows in small slices.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer

from designer.ui.canvas.items.steps import StepItem
from designer.ui.canvas.items.edges import Box, TransitionItem


class EdgeRouting:
    """Dirty-set routing with deferred label tidying."""

    def _mark_edges_of(self, step_id: str) -> None:
        self._dirty.update(self._by_step.get(step_id, ()))
        self._schedule_routing()

    def _mark_edges_across(self, rect: QRectF) -> None:
        """Re-route the arrows whose span covers ``rect`` (they may need to arch, or not)."""
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

    def _schedule_routing(self) -> None:
        if not self._route_pending and self._dirty:
            self._route_pending = True
            QTimer.singleShot(0, self.flush)

    def flush(self) -> None:
        """Re-route every dirty transition now (and finish any label tidying)."""
        self._route_pending = False
        dirty, self._dirty = self._dirty, set()
        if not self._dragging:
            dirty |= self._untidy
            self._untidy = set()
        self._route(dirty, tidy=not self._dragging)

    def _route(self, keys, tidy: bool) -> None:
        """Route ``keys``; untidy routing (drags, first build) skips label dodging."""
        for key in keys:
            edge = self._edges.get(key)
            if edge is None:
                continue
            a, b = self._steps.get(edge.source), self._steps.get(edge.target)
            if a is None or b is None:
                edge.setVisible(False)
                continue
            edge.setVisible(True)
            box_a, box_b = self._box(a), self._box(b)
            # like label dodging, arching over steps waits for the drag to end
            blockers = self._steps_between(box_a, box_b) if tidy else ()
            edge.route(box_a, box_b, tidy, blockers)

    def _tidy_some(self) -> None:
        """Let labels dodge steps, a slice at a time after a build (stays responsive)."""
        self._tidy_pending = False
        if self._dragging or not self._untidy:
            return
        batch = [self._untidy.pop() for _ in range(min(200, len(self._untidy)))]
        self._route(batch, tidy=True)
        self._schedule_tidying()

    def _schedule_tidying(self) -> None:
        if self._untidy and not self._tidy_pending:
            self._tidy_pending = True
            QTimer.singleShot(0, self._tidy_some)

    def tidy_now(self) -> None:
        """Finish label tidying at once (screenshots and tests)."""
        self.flush()

    def _obstruction(self, rect: QRectF, edge: TransitionItem) -> float:
        """Area of ``rect`` covering steps or other arrows' labels and badges."""
        area = 0.0
        for item in self.items(rect, Qt.IntersectsItemBoundingRect):
            top = item.topLevelItem()
            owner = getattr(top, "owner", None)
            if top is item and (isinstance(top, StepItem) or (
                    isinstance(owner, TransitionItem) and owner is not edge)):
                hit = rect.intersected(top.sceneBoundingRect())
                area += hit.width() * hit.height()
        return area

    def _steps_between(self, a: Box, b: Box) -> list[Box]:
        """Boxes of the steps standing between two steps, where a forward arrow would run."""
        left, right = a.cx + a.w / 2, b.cx - b.w / 2
        if right <= left:
            return []
        top = min(a.cy - a.h / 2, b.cy - b.h / 2)
        bottom = max(a.cy + a.h / 2, b.cy + b.h / 2)
        corridor = QRectF(left, top, right - left, bottom - top)
        return [self._box(item) for item in self.items(corridor)
                if isinstance(item, StepItem) and item.isVisible()]

    @staticmethod
    def _box(item: StepItem) -> Box:
        w, h = item.size()
        pos = item.pos()
        return Box(pos.x(), pos.y(), w, h)
