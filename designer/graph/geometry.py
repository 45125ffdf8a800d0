"""Diagram geometry shared by the canvas, the layout and the exported pictures.

Scene units (1 unit = 1 px at 100% zoom). Lanes are horizontal bands stacked top
to bottom in the order of ``pathway.settings``; time runs left to right.

A step's ``position`` is the centre of its shape: x in scene coordinates, y
measured from the top of its lane. So reordering lanes never moves a step within
its lane, and moving a step to another lane changes its ``setting`` and its y.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .model import Pathway, Step, StepKind

LANE_HEADER_WIDTH = 150.0
LANE_MIN_HEIGHT = 140.0
LANE_PADDING = 24.0          # below the lowest step in a lane
STEP_WIDTH = {StepKind.task: 150.0, StepKind.entry: 150.0, StepKind.exit: 150.0,
              StepKind.wait: 130.0, StepKind.decision: 120.0}
STEP_HEIGHT = {StepKind.task: 64.0, StepKind.entry: 56.0, StepKind.exit: 56.0,
               StepKind.wait: 56.0, StepKind.decision: 84.0}
LAYER_SPACING = 210.0        # x distance between layout columns
ROW_SPACING = 96.0           # y distance between rows inside a lane
FIRST_COLUMN_X = LANE_HEADER_WIDTH + 110.0
FIRST_ROW_Y = 70.0
UNPLACED_LANE_ID = ""        # band for steps whose setting is missing or unknown


def step_size(kind: StepKind) -> tuple[float, float]:
    return STEP_WIDTH[kind], STEP_HEIGHT[kind]


@dataclass(frozen=True)
class LaneBand:
    """One lane's band in scene coordinates."""

    setting_id: str
    top: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


def lane_height_for(steps: list[Step]) -> float:
    """Height a lane needs to hold ``steps`` (lane-relative y positions)."""
    need = LANE_MIN_HEIGHT
    for s in steps:
        if s.position is not None:
            need = max(need, s.position[1] + STEP_HEIGHT[s.kind] / 2 + LANE_PADDING)
    return need


def lane_bands(pathway: Pathway) -> list[LaneBand]:
    """The lanes top to bottom; an extra band (id "") when some steps have no known lane."""
    by_lane: dict[str, list[Step]] = {s.id: [] for s in pathway.settings}
    orphans: list[Step] = []
    for step in pathway.steps:
        (by_lane[step.setting] if step.setting in by_lane else orphans).append(step)
    bands: list[LaneBand] = []
    top = 0.0
    for setting in pathway.settings:
        height = lane_height_for(by_lane[setting.id])
        bands.append(LaneBand(setting.id, top, height))
        top += height
    if orphans:
        bands.append(LaneBand(UNPLACED_LANE_ID, top, lane_height_for(orphans)))
    return bands


def band_for_step(bands: list[LaneBand], step: Step) -> LaneBand:
    for band in bands:
        if band.setting_id == step.setting:
            return band
    return bands[-1]


def band_at(bands: list[LaneBand], y: float) -> LaneBand | None:
    """The band under scene y (clamped to the first/last real lane)."""
    real = [b for b in bands if b.setting_id != UNPLACED_LANE_ID]
    if not real:
        return None
    if y < real[0].top:
        return real[0]
    for band in real:
        if band.top <= y < band.bottom:
            return band
    return real[-1]


def scene_centre(bands: list[LaneBand], step: Step, fallback_x: float = FIRST_COLUMN_X
                 ) -> tuple[float, float]:
    """A step's centre in scene coordinates."""
    band = band_for_step(bands, step)
    if step.position is None:
        return fallback_x, band.top + FIRST_ROW_Y
    return step.position[0], band.top + step.position[1]


# ------------------------------------------------------------------ transitions

Point = tuple[float, float]
LOOP_DEPTH = 64.0      # how far below its steps a loop-back arrow curves
CLEARANCE = 18.0       # how far above a step an arrow passes when it has to go over it


@dataclass(frozen=True)
class StepBox:
    """A step's box in scene coordinates: centre and size."""

    cx: float
    cy: float
    w: float
    h: float


def edge_controls(a: StepBox, b: StepBox, blockers: Iterable[StepBox] = ()
                  ) -> tuple[Point, Point, Point, Point]:
    """The four control points of the cubic arrow from box ``a`` to box ``b``.

    Forwards in time the arrow leaves ``a``'s right side for ``b``'s left side;
    when one of ``blockers`` (other steps' boxes) stands across that way, the
    arrow arches over it instead of running through it. Within one column it
    runs up or down; back in time (an optimisation loop) it curves below both
    steps. The canvas and the exported diagrams both draw these curves, so the
    picture is the same everywhere.
    """
    if b.cx - b.w / 2 >= a.cx + a.w / 2 + 12:                       # forwards in time
        p0, p3 = (a.cx + a.w / 2, a.cy), (b.cx - b.w / 2, b.cy)
        c = max(40.0, (p3[0] - p0[0]) * 0.5)
        lift = _arch_over(p0, p3, blockers, a, b)
        y1, y2 = (p0[1], p3[1]) if lift is None else (lift, lift)
        return p0, (p0[0] + c, y1), (p3[0] - c, y2), p3
    if abs(b.cx - a.cx) < (a.w + b.w) / 2 and abs(b.cy - a.cy) > (a.h + b.h) / 2:
        down = 1 if b.cy > a.cy else -1                              # same column
        p0, p3 = (a.cx, a.cy + down * a.h / 2), (b.cx, b.cy - down * b.h / 2)
        c = max(30.0, abs(p3[1] - p0[1]) * 0.5) * down
        return p0, (p0[0], p0[1] + c), (p3[0], p3[1] - c), p3
    p0, p3 = (a.cx, a.cy + a.h / 2), (b.cx, b.cy + b.h / 2)           # back in time
    depth = max(p0[1], p3[1]) + LOOP_DEPTH
    return p0, (p0[0], depth), (p3[0], depth), p3


def _arch_over(p0: Point, p3: Point, blockers: Iterable[StepBox], a: StepBox, b: StepBox
               ) -> float | None:
    """The height of both inner control points that carries the arrow over every step
    standing across the straight way from ``p0`` to ``p3``; None when none does."""
    span = p3[0] - p0[0]
    lift = None
    for box in blockers:
        if box == a or box == b:
            continue
        left, right = box.cx - box.w / 2, box.cx + box.w / 2
        if right <= p0[0] or left >= p3[0]:
            continue
        top, bottom = box.cy - box.h / 2, box.cy + box.h / 2
        # with both inner points at one height y, the curve's height at t is
        # p0.y*u^3 + p3.y*t^3 + 3ut*y (u = 1 - t); x runs roughly linearly in t
        for x in (max(left, p0[0]), min(right, p3[0])):
            t = min(0.85, max(0.15, (x - p0[0]) / span))
            u = 1 - t
            ends = p0[1] * u ** 3 + p3[1] * t ** 3
            straight = p0[1] * (u ** 3 + 3 * u * u * t) + p3[1] * (3 * u * t * t + t ** 3)
            if not (top - 4 <= straight <= bottom + 4):
                continue
            needed = (top - CLEARANCE - ends) / (3 * u * t)
            lift = needed if lift is None else min(lift, needed)
    return lift
