"""Overlays on the canvas: finding badges, critical path, find matches, detail level.

A mixin of :class:`designer.ui.canvas.scene.PathwayScene` (kept apart to keep each file
about one job). None of these change the model or the undo stack.
"""

from __future__ import annotations

import time
from typing import Iterable

from PySide6.QtCore import QTimer

#: badges changed at once after a result, the ones in sight first; more wait for
#: the next turns of the event loop (a delete that cuts a 2,000-step pathway in two
#: gives ~2,000 new findings, and making a badge costs ~0.1 ms)
BADGES_AT_ONCE_MS = 6.0
#: up to this many changed badges are changed at once, in the same turn
BADGES_NOW = 64
#: the wait between two slices: the live checks' worker shares the interpreter lock,
#: and slices back to back slowed the next edit's check (a delete made ~2,000 badges
#: while the next edit was being checked)
BADGE_GAP_MS = 6


def _badge_sign(findings: list) -> tuple:
    """What a badge shows of its findings (count, severities, messages)."""
    return tuple((f.severity, f.message) for f in findings)


def badge_groups(report) -> tuple[dict[str, list], dict[str, tuple]]:
    """The findings of each step or arrow, and what its badge shows of them.

    Qt-free: the live checks work it out in their worker (``prepare_badges``)."""
    found: dict[str, list] = {}
    for finding in getattr(report, "findings", None) or ():
        for target in finding.targets:
            found.setdefault(target, []).append(finding)
    return found, {key: _badge_sign(findings) for key, findings in found.items()}


def prepare_badges(result) -> tuple[dict[str, list], dict[str, tuple]] | None:
    """A live-checks preparer (see ``LiveChecks.add_preparer``): the badge groups."""
    return badge_groups(result.report) if result.report is not None else None


class SceneOverlays:
    """Finding badges, critical path, find highlight, lane header pinning, detail level."""

    def set_findings(self, report, groups=None) -> None:
        """Show finding badges from a ValidationReport (None clears them); ``groups``
        is :func:`badge_groups` of that report when worked out already.

        Only badges whose findings changed are touched (most edits change few). When
        many changed, those in sight are done now and the rest in short slices."""
        found, signs = groups if groups is not None else badge_groups(report)
        self._findings = found
        shown = self._badges_shown
        changed = []
        steps, edges = self._steps, self._edges
        for key in shown.keys() | found.keys():
            item = steps.get(key) or edges.get(key)
            if item is None:
                shown.pop(key, None)
                continue
            was = shown.get(key)
            if was is None or was[0] is not item or was[1] != signs.get(key, ()):
                changed.append(key)
        self._badge_signs = signs
        self._badge_queue = changed
        if len(changed) > BADGES_NOW:
            # many (a delete that cuts a big pathway in two): those in sight first, all
            # of them from the next turn of the event loop, so this one (which also
            # shows the findings and the timeline) stays short
            self._badge_unsorted = True
            if not self._badge_timer_set:
                self._badge_timer_set = True
                QTimer.singleShot(0, self._badges_later)
        elif changed:
            self._show_badges()

    def flush_badges(self) -> None:
        """Bring every badge up to date now (tests, exports of the canvas)."""
        while self._badge_queue:
            self._show_badges(budget_ms=None)

    def _sort_in_sight_first(self, keys: list[str]) -> None:
        in_sight: set[str] = set()
        for view in self.views():
            seen = view.mapToScene(view.viewport().rect()).boundingRect()
            for item in self.items(seen):     # the scene's index: what is in sight
                key = getattr(item, "step_id", None) or getattr(item, "key", None)
                if isinstance(key, str):
                    in_sight.add(key)
        if in_sight:
            keys[:] = [k for k in keys if k in in_sight] + [k for k in keys if k not in in_sight]

    def _badges_later(self) -> None:
        self._badge_timer_set = False
        if self._torn_down():
            return
        if self._badge_unsorted:
            self._badge_unsorted = False
            self._sort_in_sight_first(self._badge_queue)
        self._show_badges()

    def _show_badges(self, budget_ms: float | None = BADGES_AT_ONCE_MS) -> None:
        queue = self._badge_queue
        if not queue:
            return
        shown = self._badges_shown
        found = self._findings
        signs = self._badge_signs
        deadline = None if budget_ms is None else time.perf_counter() + budget_ms / 1000.0
        done = 0
        for key in queue:
            done += 1
            item = self._steps.get(key) or self._edges.get(key)
            if item is not None:
                findings = found.get(key, [])
                item.set_findings(findings)
                if findings:
                    shown[key] = (item, signs.get(key) or _badge_sign(findings))
                else:
                    shown.pop(key, None)
            if deadline is not None and done % 16 == 0 and time.perf_counter() > deadline:
                break
        del queue[:done]
        if queue and budget_ms is not None and not self._badge_timer_set:
            self._badge_timer_set = True
            QTimer.singleShot(BADGE_GAP_MS, self._badges_later)

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
