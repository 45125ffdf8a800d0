"""Where things go in the exported diagram: step boxes, lanes and curves.

Positions follow :mod:`designer.graph.geometry` (a step's position is its
centre; x in scene units, y from the top of its lane); steps without one are
placed by the auto-layout. The arrows are the routes of
:mod:`designer.graph.routing`, as on the canvas (designer.ui.canvas.items.edges);
text wrapping is in :mod:`designer.render.text`. QtGui only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath

from designer.graph import geometry, routing
from designer.graph.layout import with_positions
from designer.graph.model import Pathway, Step
from designer.render.shapes import polyline_path

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
    routes: dict[str, routing.Route] = field(default_factory=dict)
    nodes: dict[str, routing.Node] = field(default_factory=dict)


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
    lanes_bottom = height
    nodes = {sid: routing.Node(sid, box.cx, box.cy, box.w, box.h, routing.shape_of(box.step.kind))
             for sid, box in boxes.items()}
    routes = routing.route_edges(nodes.values(), routing.pathway_edges(positioned))
    paths: dict[str, QPainterPath] = {}
    for key, route in routes.items():
        path = polyline_path(route.points)
        paths[key] = path
        bounds = path.boundingRect()          # loop-backs run below their steps
        height = max(height, bounds.bottom() + 12.0)
        right = max(right, bounds.right() + 12.0)
    if bands and height > lanes_bottom:
        # An arrow running under the last lane's steps stays inside that lane: the
        # lane grows to hold it, so no empty band opens between the lanes and the
        # picture's foot. (Labels are placed inside the picture, see the painter.)
        last = bands[-1]
        bands[-1] = geometry.LaneBand(last.setting_id, last.top, height - last.top)
    return Layout(positioned, bands, boxes, right, height, paths, routes, nodes)


def caption_side(step_id: str, routes: dict[str, routing.Route], transitions
                 ) -> str | None:
    """Where a decision's owner caption goes (``transitions``: those at the step).

    ``"left"`` or ``"right"`` of its bottom corner when an arrow leaves or enters
    there (the caption stands clear of the way the arrow turns), else ``None``
    (centred under the tip).
    """
    aside = None
    for t in transitions:
        if step_id not in (t.source, t.target):
            continue
        route = routes.get(t.key)
        if route is None or len(route.points) <= 2:
            continue
        pts = route.points
        if t.source == step_id and route.source_side == "S":
            aside = "left" if pts[2][0] - pts[1][0] >= 0 else "right"
        if t.target == step_id and route.target_side == "S":
            aside = "left" if pts[-3][0] - pts[-2][0] >= 0 else "right"
    return aside
