"""Toolbar icons drawn as lines in the window's text colour, so they follow the palette.

The style's stock icons are pictures in fixed colours: on the high-contrast
palette (white on black) the Undo and Redo arrows were dark grey on black and
the Save disk dark blue. These icons are drawn at whatever size is asked for,
in the palette's button-text colour (the disabled colour when the action is
disabled), and :class:`PaletteIcons` draws them again whenever the window's
palette changes (View > High Contrast, or a new system theme).
"""

from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor, QIcon, QIconEngine, QPainter, QPainterPath, QPalette, QPen, QPixmap,
)

Draw = Callable[[QPainter], None]


# ---------------------------------------------------------------- the drawings
# Each draws in a 24 x 24 box with the pen already set.

def _page(p: QPainter) -> None:
    path = QPainterPath(QPointF(6, 3))
    path.lineTo(14, 3)
    path.lineTo(19, 8)
    path.lineTo(19, 21)
    path.lineTo(6, 21)
    path.closeSubpath()
    p.drawPath(path)
    p.drawPolyline([QPointF(14, 3), QPointF(14, 8), QPointF(19, 8)])
    p.drawLine(QPointF(12.5, 11), QPointF(12.5, 18))
    p.drawLine(QPointF(9, 14.5), QPointF(16, 14.5))


def _folder(p: QPainter) -> None:
    path = QPainterPath(QPointF(3, 19))
    path.lineTo(3, 5)
    path.lineTo(9, 5)
    path.lineTo(11, 7.5)
    path.lineTo(19, 7.5)
    path.lineTo(19, 10)
    p.drawPath(path)
    lid = QPainterPath(QPointF(3, 19))
    lid.lineTo(6.5, 10)
    lid.lineTo(21.5, 10)
    lid.lineTo(18, 19)
    lid.closeSubpath()
    p.drawPath(lid)


def _disk(p: QPainter) -> None:
    path = QPainterPath(QPointF(4, 4))
    path.lineTo(17, 4)
    path.lineTo(20, 7)
    path.lineTo(20, 20)
    path.lineTo(4, 20)
    path.closeSubpath()
    p.drawPath(path)
    p.drawRect(QRectF(8, 4, 7, 5))
    p.drawRect(QRectF(7, 13, 10, 7))


def _turn(p: QPainter, mirror: bool) -> None:
    if mirror:
        p.translate(24, 0)
        p.scale(-1, 1)
    arc = QPainterPath(QPointF(6, 10))
    arc.cubicTo(QPointF(10, 5.5), QPointF(19, 6), QPointF(19.5, 13))
    arc.cubicTo(QPointF(20, 18), QPointF(16, 20), QPointF(12, 20))
    p.drawPath(arc)
    head = QPainterPath(QPointF(5, 4))
    head.lineTo(5.5, 10.5)
    head.lineTo(12, 10.5)
    p.drawPath(head)


def _bin(p: QPainter) -> None:
    p.drawLine(QPointF(4, 6.5), QPointF(20, 6.5))
    p.drawPolyline([QPointF(9.5, 6.5), QPointF(9.5, 3.5), QPointF(14.5, 3.5),
                    QPointF(14.5, 6.5)])
    p.drawPolyline([QPointF(6, 6.5), QPointF(7, 21), QPointF(17, 21), QPointF(18, 6.5)])
    for x in (10, 14):
        p.drawLine(QPointF(x, 10), QPointF(x, 17.5))


def _lens(p: QPainter) -> None:
    p.drawEllipse(QPointF(10, 10), 6, 6)
    pen = p.pen()
    pen.setWidthF(pen.widthF() * 1.6)
    p.setPen(pen)
    p.drawLine(QPointF(14.5, 14.5), QPointF(20.5, 20.5))


DRAWINGS: dict[str, Draw] = {
    "new": _page, "open": _folder, "save": _disk,
    "undo": lambda p: _turn(p, False), "redo": lambda p: _turn(p, True),
    "delete": _bin, "find": _lens,
}


# ------------------------------------------------------------------ the engine

class LineIconEngine(QIconEngine):
    """Draws one drawing at any size in ``colour`` (``disabled`` when disabled)."""

    def __init__(self, draw: Draw, colour: QColor, disabled: QColor) -> None:
        super().__init__()
        self.draw, self.colour, self.disabled = draw, QColor(colour), QColor(disabled)

    def paint(self, painter: QPainter, rect, mode, state) -> None:  # noqa: N802
        colour = self.disabled if mode == QIcon.Mode.Disabled else self.colour
        side = min(rect.width(), rect.height())
        if side <= 0:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(rect.x() + (rect.width() - side) / 2,
                          rect.y() + (rect.height() - side) / 2)
        painter.scale(side / 24.0, side / 24.0)
        # never thinner than about 1.5 device pixels, so small icons stay solid
        width = max(1.8, 1.5 * 24.0 / side)
        pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self.draw(painter)
        painter.restore()

    def pixmap(self, size: QSize, mode, state) -> QPixmap:  # noqa: N802
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, pixmap.rect(), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> "LineIconEngine":
        return LineIconEngine(self.draw, self.colour, self.disabled)


def line_icon(name: str, palette: QPalette) -> QIcon:
    """Icon ``name`` (see :data:`DRAWINGS`) in ``palette``'s button-text colours."""
    colour = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    if math.isclose(disabled.lightnessF(), colour.lightnessF(), abs_tol=0.05):
        # a palette with one text colour: disabled is half way to the background
        back = palette.color(QPalette.ColorRole.Button)
        disabled = QColor.fromRgbF((colour.redF() + back.redF()) / 2,
                                   (colour.greenF() + back.greenF()) / 2,
                                   (colour.blueF() + back.blueF()) / 2)
    return QIcon(LineIconEngine(DRAWINGS[name], colour, disabled))


class PaletteIcons(QObject):
    """Keeps the icons of ``actions`` (name -> QAction) in ``window``'s palette colours."""

    def __init__(self, window, actions: dict[str, object]) -> None:
        super().__init__(window)
        self.window, self.actions = window, actions
        self.apply()
        window.installEventFilter(self)

    def apply(self) -> None:
        palette = self.window.palette()
        for name, action in self.actions.items():
            action.setIcon(line_icon(name, palette))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        # a style sheet (High Contrast sets one) changes the colours by a style change
        if obj is self.window and event.type() in (QEvent.Type.PaletteChange,
                                                   QEvent.Type.StyleChange):
            self.apply()
        return False
