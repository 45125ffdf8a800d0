"""What the vector painters (PDF and SVG) keep of ``QPainter``'s state.

The diagram painter draws through a small part of ``QPainter``'s interface; the
PDF and SVG painters answer it by recording the pen, brush, font and opacity in
the same simple form, then writing their own output from it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen


class PainterState:
    """Pen (colour, width) or None, brush colour or None, font (size, bold), opacity."""

    def __init__(self, font_size: float):
        self._pen: tuple[QColor, float] | None = (QColor("#000000"), 1.0)
        self._brush: QColor | None = None
        self._font = (font_size, False)
        self._opacity = 1.0

    def setRenderHint(self, *_args) -> None:  # noqa: N802 (Qt's names)
        pass

    def setOpacity(self, value: float) -> None:  # noqa: N802
        self._opacity = value

    def setPen(self, pen) -> None:  # noqa: N802
        if isinstance(pen, QColor):
            self._pen = (pen, 1.0)
        elif isinstance(pen, QPen) and pen.style() != Qt.NoPen:
            self._pen = (pen.color(), pen.widthF() or 1.0)
        else:
            self._pen = None

    def setBrush(self, brush) -> None:  # noqa: N802
        self._brush = QColor(brush) if isinstance(brush, (QColor, str)) else None

    def setFont(self, font) -> None:  # noqa: N802
        self._font = (font.pointSizeF(), font.bold())
