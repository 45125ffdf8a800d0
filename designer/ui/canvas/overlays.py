"""Overlays on the canvas: finding badges, critical path, find matches, detail level.

A mixin of :class:`designer.ui.canvas.scene.PathwayScene` (kept apart to keep each file
about one job). None of these change the model or the undo stack.
"""

from __future__ import annotations

from typing import Iterable


class SceneOverlays:
    """Finding badges, critical path, find highlight, lane header pinning, detail level."""

    def set_findings(self, report) -> None:
        """Show finding badges from a ValidationReport (None clears them)."""
        found: dict[str, list] = {}
        for finding in getattr(report, "findings", None) or ():
            for target in finding.targets:
                found.setdefault(target, []).append(finding)
        for key in set(self._findings) | set(found):
            item = self._steps.get(key) or self._edges.get(key)
            if item is not None:
                item.set_findings(found.get(key, []))
        self._findings = found

    def set_critical_path(self, ids: Iterable[str] | None) -> None:
        """Emphasise the critical path (step ids in order); None clears it."""
        order = list(ids or ())
        wanted = set(order)
        pairs = {f"{a}->{b}" for a, b in zip(order, order[1:])}
        wanted |= pairs
        for key in self._critical - wanted:
            item = self._steps.get(key) or self._edges.get(key)
            if item is not None:
                item.set_critical(False)
        for key in wanted:
            item = self._steps.get(key) or self._edges.get(key)
            if item is not None:
                item.set_critical(True)
        self._critical = wanted

    def highlight(self, ids: Iterable[str]) -> None:
        """Mark find matches (steps) with a halo; an empty list clears."""
        wanted = set(ids)
        for key in self._highlighted - wanted:
            if key in self._steps:
                self._steps[key].set_highlighted(False)
        for key in wanted:
            if key in self._steps:
                self._steps[key].set_highlighted(True)
        self._highlighted = wanted & set(self._steps)

    def pin_lane_headers(self, x: float, visible_right: float | None = None) -> None:
        """Keep lane headers at scene x (the view's left edge) while scrolling, and
        run the lanes on to the view's right edge when the pathway is narrower."""
        if x != self._header_x:
            self._header_x = x
            for lane in self._lanes.values():
                lane.pin(x)
        if visible_right is not None and visible_right != self._visible_right:
            self._visible_right = visible_right
            for lane in self._lanes.values():
                lane.reach(visible_right)

    def set_detail(self, detailed: bool) -> None:
        """Show or hide text and badges (the view turns them off when zoomed far out)."""
        if detailed == self._detailed:
            return
        self._detailed = detailed
        for item in self._steps.values():
            item.set_detail(detailed)
        for edge in self._edges.values():
            edge.set_detail(detailed)

    def set_high_contrast(self, on: bool) -> None:
        """Light lines and text on black (selection yellow), for low vision and for
        a dark or high-contrast system palette; the model is not changed."""
        if on == self.fonts.contrast:
            return
        self.fonts.set_contrast(on)
        for lane in self._lanes.values():
            lane.show_setting(lane._setting)
        for item in self._steps.values():
            item.apply_contrast()
        for edge in self._edges.values():
            edge.apply_contrast()
        self.map_revision += 1
        self.content_changed.emit()
        self.contrast_changed.emit(on)

    @property
    def high_contrast(self) -> bool:
        return self.fonts.contrast
