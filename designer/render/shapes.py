"""The shapes of a pathway diagram (QtGui only): step outlines, the wait hourglass, arrows.

Shared by the canvas items and the exported pictures.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF

from designer.graph import geometry, routing
from designer.graph.model import StepKind


def step_outline(kind: StepKind) -> QPainterPath:
    """The shape of a step of ``kind``, centred on (0, 0)."""
    w, h = geometry.step_size(kind)
    rect = QRectF(-w / 2, -h / 2, w, h)
    path = QPainterPath()
    if kind in (StepKind.entry, StepKind.exit):
        path.addRoundedRect(rect, h / 2, h / 2)
    elif kind is StepKind.decision:
        path.addPolygon(QPolygonF([QPointF(0, -h / 2), QPointF(w / 2, 0), QPointF(0, h / 2),
                                   QPointF(-w / 2, 0), QPointF(0, -h / 2)]))
    elif kind is StepKind.wait:
        path.addRoundedRect(rect, 10, 10)
    else:
        path.addRoundedRect(rect, 5, 5)
    return path


def text_area(kind: StepKind) -> QRectF:
    """Where a step's name and owner go, inside its shape."""
    w, h = geometry.step_size(kind)
    if kind in (StepKind.entry, StepKind.exit):
        return QRectF(-w / 2 + 16, -h / 2 + 4, w - 32, h - 8)
    if kind is StepKind.decision:
        return QRectF(-w * 0.32, -h * 0.3, w * 0.64, h * 0.6)
    if kind is StepKind.wait:
        return QRectF(-w / 2 + 28, -h / 2 + 4, w - 36, h - 8)
    # three name lines and an owner line fit (a long name with its owner)
    return QRectF(-w / 2 + 8, -h / 2 + 2, w - 16, h - 4)


def hourglass(centre: QPointF) -> QPainterPath:
    c = centre
    top, bottom, half = c.y() - 11, c.y() + 11, 6.5
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(c.x() - half, top), QPointF(c.x() + half, top),
                               QPointF(c.x(), c.y()), QPointF(c.x() + half, bottom),
                               QPointF(c.x() - half, bottom), QPointF(c.x(), c.y()),
                               QPointF(c.x() - half, top)]))
    return path


def polyline_path(points) -> QPainterPath:
    """A routed arrow (designer.graph.routing) as a path: straight runs joined by
    rounded bends."""
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
