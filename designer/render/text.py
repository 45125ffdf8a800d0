"""Text on the diagram: the font and word wrapping shared by the canvas and the pictures."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

from designer.render import style


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
