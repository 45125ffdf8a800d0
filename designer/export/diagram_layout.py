"""Where things go in the exported diagram: step boxes, lanes, curves and wrapped text.

Positions follow :mod:`designer.graph.geometry` (a step's position is its
centre; x in scene units, y from the top of its lane); steps without one are
placed by the auto-layout. The arrows are the
routes of :mod:`designer.graph.routing`, as on the canvas (designer.ui.items_edges),
which also shares :func:`wrap_text`. QtGui only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainterPath, QPolygonF

from ..graph import geometry, routing
from ..graph.layout import with_positions
from ..graph.model import Pathway, Step
from . import style

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
        # an arrow low in the last lane leaves room below it for its label
        room = 40.0 if bounds.bottom() > lanes_bottom - 30.0 else 12.0
        height = max(height, bounds.bottom() + room)
        right = max(right, bounds.right() + 12.0)
    return Layout(positioned, bands, boxes, right, height, paths, routes, nodes)


def polyline_path(points) -> QPainterPath:
    """A routed arrow as a path: straight runs joined by rounded bends."""
    path = QPainterPath()
    for op, args in routing.rounded(points):
        if op == "M":
            path.moveTo(*args)
        elif op == "L":
            path.lineTo(*args)
        else:
            path.quadTo(args[0], args[1], args[2], args[3])
    return path


def arrow_head(path: QPainterPath) -> QPolygonF:
    tip = path.pointAtPercent(1.0)
    angle = math.radians(path.angleAtPercent(0.999))
    dx, dy = math.cos(angle), -math.sin(angle)       # Qt angles run anticlockwise
    size, half = 10.0, 4.5
    back = QPointF(tip.x() - dx * size, tip.y() - dy * size)
    normal = QPointF(-dy * half, dx * half)
    return QPolygonF([tip, back + normal, back - normal])


# ---------------------------------------------------------------------- text


def font(size: float, bold: bool = False) -> QFont:
    font = QFont(style.FONT_FAMILY)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def wrap_text(text: str, metrics: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines no wider than ``width``.

    Words longer than a line are elided; when the text does not fit, the last
    line ends with an ellipsis.
    """
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if metrics.horizontalAdvance(trial) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            current = " ".join([lines.pop(), *words[index:]])
            break
    if current:
        lines.append(current)
    lines = lines[:max_lines]
    if lines and len(lines) == max_lines and " ".join(lines) != " ".join(words):
        lines[-1] = lines[-1] + " …"
    return [metrics.elidedText(line, Qt.ElideRight, width)
            if metrics.horizontalAdvance(line) > width else line for line in lines]
