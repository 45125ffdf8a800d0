"""Diagram geometry shared by the canvas, the layout and the exported pictures.

Scene units (1 unit = 1 px at 100% zoom). Lanes are horizontal bands stacked top
to bottom in the order of ``pathway.settings``; time runs left to right.

A step's ``position`` is the centre of its shape: x in scene coordinates, y
measured from the top of its lane. So reordering lanes never moves a step within
its lane, and moving a step to another lane changes its ``setting`` and its y.
"""

from __future__ import annotations

from dataclasses import dataclass

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
