"""Colour sums shared by the panels that follow the window's palette (issue 15).

A panel that draws its own marks (icons, tinted rows, red text) asks
:func:`dark` whether the palette in force is a dark or high-contrast one, and
:func:`readable` whether a fixed colour still reads on that palette's ground
(WCAG 2 contrast, 4.5:1 for text, 3:1 for graphics).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of ``colour``."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light marks on a dark ground (High Contrast, dark themes)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 100


def readable(colour: QColor, palette: QPalette, ratio: float = 4.5) -> bool:
    """Whether ``colour`` stands ``ratio``:1 against ``palette``'s Base colour."""
    return contrast(QColor(colour), palette.color(QPalette.ColorRole.Base)) >= ratio
