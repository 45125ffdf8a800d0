"""Workshop marks on the canvas: sticky notes and dot-vote badges.

The overlay watches the pathway (notes, votes, steps moving) and redraws its own
items on the editor's scene; it never edits anything itself. Dragging a free
note or double-clicking any note calls back into the workshop tools, which push
undo commands.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem, QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem,
    QGraphicsSimpleTextItem, QGraphicsTextItem,
)

from designer.render.style import FONT_FAMILY
from designer.graph.geometry import lane_bands, scene_centre, step_size
from designer.graph.model import ModelEvent, Note, NoteCategory, Pathway
from designer.graph.vocabulary import NOTE_CATEGORY_LABELS

# (fill, border) per category; the border also marks the category for colour-blind
# readers through the label text, never by colour alone.
NOTE_COLOURS = {
    NoteCategory.question: ("#d6eaff", "#005eb8"),
    NoteCategory.risk: ("#ffd9d6", "#c62828"),
    NoteCategory.idea: ("#fff3a8", "#8a6d00"),
    NoteCategory.decision: ("#d5f0d2", "#2e7d32"),
}
CATEGORY_NAMES = NOTE_CATEGORY_LABELS
NOTE_WIDTH = 170.0
NOTE_Z, BADGE_Z = 3000.0, 3100.0
BADGE_FILL = "#330072"       # NHS purple: white text on it is very high contrast
_WATCHED = ("note-", "votes-", "step-", "transition-", "setting", "reset", "priority-")


def step_rects(scene, pathway: Pathway) -> dict[str, QRectF]:
    """Each step's rectangle on ``scene``: from its item, else from the lane geometry.

    The item is the truth (the scene places steps that have no saved position);
    the geometry is the fallback for a step the scene has not drawn yet.
    """
    bands = lane_bands(pathway)
    rects = {}
    for step in pathway.steps:
        item = scene.item_for(step.id)
        if item is not None:
            rects[step.id] = item.sceneBoundingRect()
            continue
        x, y = scene_centre(bands, step)
        w, h = step_size(step.kind)
        rects[step.id] = QRectF(x - w / 2, y - h / 2, w, h)
    return rects


def note_label(note: Note) -> str:
    who = f" · {note.author}" if note.author else ""
    return f"{CATEGORY_NAMES[note.category]}{who}"


class NoteItem(QGraphicsRectItem):
    """One sticky note: category and author on top, the text below."""

    def __init__(self, note: Note, on_edit: Callable[[str], None],
                 on_move: Callable[[str, tuple[float, float]], None]):
        super().__init__()
        self.note_id = note.id
        self._on_edit, self._on_move = on_edit, on_move
        fill, border = NOTE_COLOURS[note.category]
        self.setBrush(QBrush(QColor(fill)))
        self.setPen(QPen(QColor(border), 2))
        self.setZValue(NOTE_Z)
        self.setToolTip(f"{note_label(note)}\n{note.text}\n(double-click to edit)")
        self.setData(0, "workshop-note")
        # keep a Python reference: PySide6 deletes a QGraphicsTextItem child with its wrapper
        self.text_item = text = QGraphicsTextItem(self)
        text.setTextWidth(NOTE_WIDTH - 12)
        font = QFont(FONT_FAMILY)
        font.setPointSizeF(8.5)
        text.setFont(font)
        shown = note.text if len(note.text) <= 140 else note.text[:139] + "…"
        from html import escape
        text.setHtml(f"<b style='color:{border}'>{escape(note_label(note))}</b><br>"
                     f"{escape(shown)}")
        text.setPos(6, 4)
        text.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        height = text.boundingRect().height() + 8
        self.setRect(QRectF(0, 0, NOTE_WIDTH, height))
        self.free = note.target is None
        if self.free:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._press_pos: QPointF | None = None

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._press_pos = self.pos()
        super().mousePressEvent(event)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if self.free and self._press_pos is not None and self.pos() != self._press_pos:
            self._on_move(self.note_id, (self.pos().x(), self.pos().y()))
        self._press_pos = None

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        event.accept()
        # after the event returns: the edit rebuilds the overlay, deleting this item
        QTimer.singleShot(0, lambda nid=self.note_id: self._on_edit(nid))


class VoteBadge(QGraphicsEllipseItem):
    """A round badge with the number of dots on a step."""

    SIZE = 30.0

    def __init__(self, count: int, tip: str):
        super().__init__(0, 0, self.SIZE, self.SIZE)
        self.count = count
        self.setBrush(QBrush(QColor(BADGE_FILL)))
        self.setPen(QPen(QColor("#ffffff"), 2))
        self.setZValue(BADGE_Z)
        self.setToolTip(tip)
        self.setData(0, "workshop-votes")
        label = QGraphicsSimpleTextItem(str(count), self)
        font = QFont(FONT_FAMILY)
        font.setPointSizeF(11)
        font.setBold(True)
        label.setFont(font)
        label.setBrush(QBrush(QColor("#ffffff")))
        r = label.boundingRect()
        label.setPos((self.SIZE - r.width()) / 2, (self.SIZE - r.height()) / 2)


class WorkshopOverlay(QObject):
    """Keeps note items and vote badges on ``scene`` in step with ``pathway``."""

    def __init__(self, scene, pathway: Pathway, on_edit: Callable[[str], None],
                 on_move: Callable[[str, tuple[float, float]], None]):
        super().__init__(scene)
        self.scene, self.pathway = scene, pathway
        self._on_edit, self._on_move = on_edit, on_move
        self.notes_visible = True
        self.votes_visible = True
        self.focus: str | None = None     # presentation: the step being talked about
        self.note_items: dict[str, NoteItem] = {}
        self.badges: dict[str, VoteBadge] = {}
        self._others: list[QGraphicsItem] = []
        self._pending = False
        pathway.subscribe(self._on_model_event)
        self.refresh()

    def detach(self) -> None:
        """Stop watching the pathway and take the marks off the canvas."""
        self.pathway.unsubscribe(self._on_model_event)
        self._clear()

    def _on_model_event(self, event: ModelEvent) -> None:
        if event.kind.startswith(_WATCHED) and not self._pending:
            # many events arrive per edit (a macro); redraw once afterwards
            self._pending = True
            QTimer.singleShot(0, self.refresh)

    def set_visible(self, notes: bool | None = None, votes: bool | None = None) -> None:
        if notes is not None:
            self.notes_visible = notes
        if votes is not None:
            self.votes_visible = votes
        self.refresh()

    def set_focus(self, step_id: str | None) -> None:
        """Fade the notes that are not about ``step_id`` (None: show all alike)."""
        self.focus = step_id
        for note in self.pathway.notes:
            item = self.note_items.get(note.id)
            if item is not None:
                item.setOpacity(1.0 if self._in_focus(note) else 0.25)

    def _in_focus(self, note: Note) -> bool:
        if self.focus is None:
            return True
        return note.target == self.focus or bool(
            note.target and note.target.startswith(self.focus + "->"))

    def _clear(self) -> None:
        for item in [*self.note_items.values(), *self.badges.values(), *self._others]:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.note_items.clear()
        self.badges.clear()
        self._others.clear()

    # ---------------------------------------------------------------- drawing

    def refresh(self) -> None:
        self._pending = False
        try:
            self.scene.sceneRect()
        except RuntimeError:        # the scene was deleted with its document
            return
        self._clear()
        if not (self.pathway.notes or self.pathway.votes):
            return      # most editing sessions: nothing to draw, so cost nothing
        rects = step_rects(self.scene, self.pathway)
        if self.notes_visible:
            self._draw_notes(rects)
        if self.votes_visible:
            self._draw_badges(rects)

    def _anchor(self, note: Note, rects: dict[str, QRectF]) -> QPointF | None:
        target = note.target
        if not target:
            return None
        if "->" in target:
            a, b = target.split("->", 1)
            if a in rects and b in rects:
                return (rects[a].center() + rects[b].center()) / 2
            return None
        if target in rects:
            return rects[target].topRight()
        return None

    def _draw_notes(self, rects: dict[str, QRectF]) -> None:
        stacked: dict[str, int] = {}
        for note in self.pathway.notes:
            item = NoteItem(note, self._on_edit, self._on_move)
            anchor = self._anchor(note, rects)
            if note.target and anchor is None:
                continue            # its step was deleted: still listed in the Notes panel
            if anchor is None:
                pos = QPointF(*(note.position or (200.0, 20.0)))
            else:
                n = stacked.get(note.target, 0)
                stacked[note.target] = n + 1
                height = item.rect().height()
                if "->" in note.target:
                    # below and right of the link's middle: clear of notes on its steps
                    pos = QPointF(anchor.x() + 16 + 14 * n, anchor.y() + 16 + 14 * n)
                    line = QGraphicsLineItem(anchor.x(), anchor.y(), pos.x() + 10, pos.y())
                else:
                    # above and to the right of the step, cascading when several
                    pos = QPointF(anchor.x() - 40 + 14 * n, anchor.y() - height - 10 + 14 * n)
                    line = QGraphicsLineItem(pos.x() + 20, pos.y() + height,
                                             anchor.x() - 20, anchor.y() + 8)
                pen = QPen(QColor(NOTE_COLOURS[note.category][1]), 1.5, Qt.PenStyle.DashLine)
                line.setPen(pen)
                line.setZValue(NOTE_Z - 1)
                self.scene.addItem(line)
                self._others.append(line)
            item.setPos(pos)
            item.setOpacity(1.0 if self._in_focus(note) else 0.25)
            self.scene.addItem(item)
            self.note_items[note.id] = item

    def _draw_badges(self, rects: dict[str, QRectF]) -> None:
        by_target: dict[str, list[str]] = {}
        for v in self.pathway.votes:
            by_target.setdefault(v.target, []).append(f"{v.participant} {v.count}")
        for target, total in self.pathway.tally().items():
            if target not in rects or total <= 0:
                continue
            dots = "dot" if total == 1 else "dots"
            badge = VoteBadge(total, f"{total} {dots}: " + ", ".join(by_target[target]))
            corner = rects[target].topLeft()
            badge.setPos(corner.x() - VoteBadge.SIZE / 2, corner.y() - VoteBadge.SIZE / 2)
            self.scene.addItem(badge)
            self.badges[target] = badge
