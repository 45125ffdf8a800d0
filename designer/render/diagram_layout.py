"""Where things go in the exported diagram: step boxes, lanes and curves.

Positions follow :mod:`designer.graph.geometry` (a step's position is its
centre; x in scene units, y from the top of its lane); steps without one are
placed by the auto-layout. The curves follow the same rules as the canvas
(designer.ui.canvas.items.edges); text wrapping is in :mod:`designer.render.text`. QtGui only.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

from designer.graph import geometry
from designer.graph.layout import with_positions
from designer.graph.model import Pathway, Step
from designer.render.shapes import edge_path

# ------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
    step: Step
    cx: float
    cy: float
    w: float
    h: float

    @property
    def rect(self) -> QRectF:
        return QRectF(self.cx - self.w / 2, self.cy - self.h / 2, self.w, self.h)


@dataclass
class Layout:
    pathway: Pathway            # a copy in which every step has a position
    bands: list[geometry.LaneBand]
    boxes: dict[str, Box]
    width: float
    height: float
    paths: dict[str, QPainterPath] = field(default_factory=dict)   # by "FROM->TO"


def lay_out(pathway: Pathway) -> Layout:
    positioned = with_positions(pathway)
    bands = geometry.lane_bands(positioned)
    boxes: dict[str, Box] = {}
    right = geometry.LANE_HEADER_WIDTH + 300.0
    for step in positioned.steps:
        w, h = geometry.step_size(step.kind)
        cx, cy = geometry.scene_centre(bands, step) if bands else (
            geometry.FIRST_COLUMN_X, geometry.FIRST_ROW_Y)
        boxes[step.id] = Box(step, cx, cy, w, h)
        right = max(right, cx + w / 2 + 60.0)
    height = bands[-1].bottom if bands else geometry.LANE_MIN_HEIGHT
    by_left = sorted(boxes.values(), key=lambda box: box.cx - box.w / 2)
    lefts = [box.cx - box.w / 2 for box in by_left]
    widest = max((box.w for box in by_left), default=0.0)
    paths: dict[str, QPainterPath] = {}
    for t in positioned.transitions:
        a, b = boxes.get(t.source), boxes.get(t.target)
        if a is None or b is None:
            continue
        # only steps whose box starts between the two can stand in the arrow's way
        start = bisect.bisect_left(lefts, a.cx - widest)
        stop = bisect.bisect_right(lefts, b.cx + b.w / 2)
        path = edge_path(a, b, by_left[start:stop])
        paths[t.key] = path
        bounds = path.boundingRect()          # loop-backs curve below their steps
        height = max(height, bounds.bottom() + 12.0)
        right = max(right, bounds.right() + 12.0)
    return Layout(positioned, bands, boxes, right, height, paths)
