"""Text on the diagram: the font, word wrapping and a step's lines, shared by the
canvas and the pictures."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

from designer.graph.geometry import step_size
from designer.graph.model import StepKind
from designer.render import style
from designer.render.shapes import text_area


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



def whole_lines(wraps: list) -> list:
    """The wrappings of a label (``(w, h, lines)``, each line a tuple whose text comes
    first) that cut no word short; the widest one when every one does.

    A narrow wrapping that elides a long word ("mmol/mol") would leave the reader
    guessing, so the label is never offered that size.
    """
    whole = [wrap for wrap in wraps if not any(line[0].endswith("…") for line in wrap[2])]
    return whole or wraps[:1]

#: How much wider than a decision's diamond its owner caption may run (scene units).
CAPTION_OVERHANG = 30.0
#: Most lines an owner takes (inside a box, or under a diamond).
OWNER_LINES = 2


@dataclass(frozen=True)
class StepText:
    """A step's words as drawn: the same on the canvas and in every export.

    ``name`` and ``owner`` lines go inside the shape, centred, the first line's
    top at ``top`` (relative to the shape's centre); ``caption`` lines go under
    the shape (a decision's owner: a diamond has no room for it inside).
    """

    name: list[str]
    owner: list[str]
    caption: list[str]
    top: float
    line_height: float          # of a name line
    small_height: float         # of an owner or caption line

    def elided(self) -> bool:
        """Whether any line had to be cut short (ends with an ellipsis)."""
        return any(line.endswith("…") for line in (*self.name, *self.owner, *self.caption))


def step_text(kind: StepKind, name: str, owner: str, name_metrics: QFontMetricsF,
              small_metrics: QFontMetricsF) -> StepText:
    """Break a step's name and owner into the lines shown in its shape.

    The owner is never cut short while it fits on :data:`OWNER_LINES` lines; the
    name takes the lines left. A decision's owner goes under the diamond, where
    it may run :data:`CAPTION_OVERHANG` wider than the diamond.
    """
    area = text_area(kind)
    name_h, small_h = name_metrics.height(), small_metrics.height()
    caption: list[str] = []
    owner_lines: list[str] = []
    if owner and kind is StepKind.decision:
        caption = wrap_text(owner, small_metrics, step_size(kind)[0] + CAPTION_OVERHANG,
                            OWNER_LINES)
    elif owner:
        owner_lines = wrap_text(owner, small_metrics, area.width(), OWNER_LINES)
    owner_h = len(owner_lines) * small_h
    max_lines = max(1, int((area.height() - owner_h + 0.5) // name_h))
    lines = wrap_text(name, name_metrics, area.width(), max_lines)
    total = len(lines) * name_h + owner_h
    return StepText(lines, owner_lines, caption, area.center().y() - total / 2, name_h, small_h)
