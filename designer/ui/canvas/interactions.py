"""Editing gestures on the canvas, one small handler class per mode.

The scene forwards its mouse, keyboard and drop events to
:class:`SceneInteractions`, which hands them to the handler in charge:

* :class:`ConnectInteraction` - drag from a step's handle to another step;
* :class:`MoveInteraction` - Qt moves the selected steps; on release one
  :class:`~designer.ui.commands.MoveStepsCommand` records the whole drag (and the
  lane change when a step is dropped in another lane);
* :class:`KeyboardEditing` - Delete and arrow-key nudges;
* :class:`InlineRename` - double-click a step to edit its name in place;
* :class:`PaletteDrop` - a step kind or activity dropped from the palette.

Rubber-band and Ctrl-click selection are Qt's own (the view's drag mode).
Handlers only push commands; the model's events update the items.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QLineEdit

from designer.render import style
from designer.graph import geometry
from designer.graph.model import EditRefused, StepKind, Transition
from designer.ui.commands import (
    AddStepCommand,
    AddTransitionCommand,
    MoveStepsCommand,
    NameStepCommand,
    RemoveItemsCommand,
)
from designer.ui.canvas.items.steps import Z_DRAG, ConnectHandle, StepItem
from designer.graph.fragment import STEP_MIME_TYPE, step_from_payload

NUDGE = 10.0
BIG_NUDGE = 50.0
_EDGE_GAP = 8.0          # a dropped step keeps this far inside its lane


def clamp_in_lane(kind: StepKind, x: float, rel_y: float) -> tuple[float, float]:
    """Keep a step right of the lane header and below its lane's top edge."""
    w, h = geometry.step_size(kind)
    x = max(x, geometry.LANE_HEADER_WIDTH + w / 2 + _EDGE_GAP)
    rel_y = max(rel_y, h / 2 + _EDGE_GAP)
    return round(x, 1), round(rel_y, 1)


class _Handler:
    def __init__(self, scene):
        self.scene = scene

    def push(self, make_command) -> bool:
        """Build and push a command through the one edit API; False when refused."""
        return self.scene.editor.push(lambda _pathway: make_command()) is not None


class ConnectInteraction(_Handler):
    """Drag from a step's handle to another step to add a transition."""

    def __init__(self, scene):
        super().__init__(scene)
        self.source: str | None = None
        self._line: QGraphicsPathItem | None = None
        self._start = QPointF()

    @property
    def active(self) -> bool:
        return self.source is not None

    def try_start(self, event) -> bool:
        item = self.scene.itemAt(event.scenePos(), QTransform())
        if not isinstance(item, ConnectHandle):
            return False
        self.source = item.step_item.step_id
        self._start = item.scenePos()
        self._line = QGraphicsPathItem()
        self._line.setPen(QPen(QColor(style.SELECTED_BORDER), 1.6, Qt.DashLine))
        self._line.setZValue(Z_DRAG)
        self.scene.addItem(self._line)
        self.update(event)
        return True

    def update(self, event) -> None:
        # Over a step that can take the arrow, the line snaps to it and turns green.
        target = self.target_at(event.scenePos())
        end = event.scenePos()
        colour = style.SELECTED_BORDER
        if target is not None:
            end = self.scene.item_for(target).scenePos()
            colour = style.HANDOFF_OK
        path = QPainterPath(self._start)
        path.lineTo(end)
        self._line.setPath(path)
        self._line.setPen(QPen(QColor(colour), 2.0 if target else 1.6, Qt.DashLine))

    def target_at(self, pos: QPointF) -> str | None:
        for item in self.scene.items(pos):
            while item is not None and not isinstance(item, StepItem):
                item = item.parentItem()
            if isinstance(item, StepItem) and item.step_id != self.source:
                return item.step_id
        return None

    def finish(self, event) -> None:
        target = self.target_at(event.scenePos())
        source = self.source
        self.cancel()
        if target is not None:
            self.push(lambda: AddTransitionCommand(
                self.scene.pathway, Transition(source=source, target=target)))

    def cancel(self) -> None:
        if self._line is not None:
            self.scene.removeItem(self._line)
        self._line = None
        self.source = None


class MoveInteraction(_Handler):
    """Turns Qt's item drag into one MoveStepsCommand on release."""

    def __init__(self, scene):
        super().__init__(scene)
        self._start: dict[str, QPointF] = {}

    @property
    def dragging(self) -> dict[str, QPointF]:
        """The steps being dragged (id -> start position); empty when none."""
        return self._start

    def begin(self) -> None:
        self._start = {}
        if not isinstance(self.scene.mouseGrabberItem(), StepItem):
            return
        for item in self.scene.selectedItems():
            if isinstance(item, StepItem):
                self._start[item.step_id] = item.pos()

    def finish(self) -> None:
        start, self._start = self._start, {}
        scene, pathway = self.scene, self.scene.pathway
        if start:
            scene.drag_finished()
        moves, untouched = {}, []
        for sid, before in start.items():
            item, step = scene.item_for(sid), pathway.step(sid)
            if item is None or step is None:
                continue
            if (item.pos() - before).manhattanLength() < 0.5:
                continue
            band = geometry.band_at(scene.bands(), item.y())
            if band is None:
                untouched.append(step)
                continue
            x, rel_y = clamp_in_lane(step.kind, item.x(), item.y() - band.top)
            lane = band.setting_id
            if (x, rel_y) == step.position and lane == step.setting:
                untouched.append(step)
                continue
            moves[sid] = ((x, rel_y), lane) if lane != step.setting else (x, rel_y)
        if moves and not self.push(lambda: MoveStepsCommand(pathway, moves)):
            untouched += [pathway.step(sid) for sid in moves]
        for step in untouched:           # snap back to where the model says
            scene._place(step)


class KeyboardEditing(_Handler):
    """Delete removes the selection; arrows nudge it (Shift for a bigger step);
    Alt+arrows move the selection to the neighbouring step; F2 renames in place."""

    ARROWS = {Qt.Key_Left: (-1, 0), Qt.Key_Right: (1, 0), Qt.Key_Up: (0, -1),
              Qt.Key_Down: (0, 1)}

    def key_press(self, event) -> bool:
        key = event.key()
        if key in (Qt.Key_Delete, Qt.Key_Backspace):
            return self.delete_selected()
        if key == Qt.Key_F2:
            steps = [i for i in self.scene.selected_ids() if self.scene.pathway.step(i)]
            return bool(steps) and self.scene.rename_in_place(steps[0])
        if key in self.ARROWS and event.modifiers() & Qt.AltModifier:
            return self.select_neighbour(*self.ARROWS[key])
        if key in self.ARROWS and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier):
            step = BIG_NUDGE if event.modifiers() & Qt.ShiftModifier else NUDGE
            dx, dy = self.ARROWS[key]
            return self.nudge_selected(dx * step, dy * step)
        return False

    def select_neighbour(self, dx: int, dy: int) -> bool:
        """Keyboard navigation: select the nearest step in direction (dx, dy).

        With nothing selected, the entry step (or the first step) is selected.
        """
        scene = self.scene
        items = scene.step_items()
        current = next((i for i in scene.selected_ids() if i in items), None)
        edge = next((scene.pathway.transition(i) for i in scene.selected_ids()
                     if scene.pathway.transition(i) is not None), None)
        if current is None and edge is not None and dx:
            # along a selected arrow: Alt+Left to where it starts, Alt+Right to its end
            choice = edge.source if dx < 0 else edge.target
            scene.select_ids([choice])
            for view in scene.views()[:1]:
                view.ensureVisible(items[choice], 40, 40)
            return True
        if current is None:
            entry = next((s.id for s in scene.pathway.steps if s.kind is StepKind.entry),
                         next(iter(items), None))
            if entry is None:
                return False
            choice = entry
        else:
            here = items[current].scenePos()
            best, choice = None, None
            for sid, item in items.items():
                d = item.scenePos() - here
                along = d.x() * dx + d.y() * dy
                if sid == current or along <= 1:
                    continue
                across = abs(d.x() * dy) + abs(d.y() * dx)
                score = along + 2 * across       # prefer steps straight ahead
                if best is None or score < best:
                    best, choice = score, sid
            if choice is None:
                return True                      # nothing further that way
        scene.select_ids([choice])
        for view in scene.views()[:1]:
            view.ensureVisible(items[choice], 40, 40)
        return True

    def delete_selected(self) -> bool:
        ids = self.scene.selected_ids()
        if not ids:
            return False
        pathway = self.scene.pathway
        steps = [i for i in ids if pathway.step(i) is not None]
        keys = [i for i in ids if "->" in i and pathway.transition(i) is not None]
        return self.push(lambda: RemoveItemsCommand(pathway, steps, keys))

    def nudge_selected(self, dx: float, dy: float) -> bool:
        scene, pathway = self.scene, self.scene.pathway
        moves = {}
        for sid in scene.selected_ids():
            step = pathway.step(sid)
            if step is None:
                continue
            if step.position is None:
                item = scene.item_for(sid)
                band = geometry.band_for_step(scene.bands(), step)
                x, y = item.x(), item.y() - band.top
            else:
                x, y = step.position
            moves[sid] = clamp_in_lane(step.kind, x + dx, y + dy)
        if not moves:
            return False
        self.push(lambda: MoveStepsCommand(pathway, moves, nudge=True))
        return True


class _NameEditor(QLineEdit):
    """The in-place editor: Enter commits, Esc cancels, leaving it commits."""

    def __init__(self, owner: "InlineRename", parent):
        super().__init__(parent)
        self.owner = owner
        self.setAccessibleName("Step name")
        self.setFrame(True)
        self.setAlignment(Qt.AlignCenter)
        self.setStyleSheet(
            f"QLineEdit {{ border: 2px solid {style.SELECTED_BORDER}; border-radius: 3px;"
            " padding: 1px 4px; background: white; }")

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.owner.commit()
        elif event.key() == Qt.Key_Escape:
            self.owner.cancel()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.PopupFocusReason:
            self.owner.commit()


class InlineRename(_Handler):
    """Edit a step's name where it is drawn; one NameStepCommand on Enter."""

    def __init__(self, scene):
        super().__init__(scene)
        self.editor: _NameEditor | None = None
        self.step_id: str | None = None

    def start(self, step_id: str) -> bool:
        views = self.scene.views()
        item, step = self.scene.item_for(step_id), self.scene.pathway.step(step_id)
        if not views or not isinstance(item, StepItem) or step is None:
            return False
        self.cancel()
        if self.scene.selected_ids() != [step_id]:
            self.scene.select_ids([step_id])
        view = views[0]
        rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        width = max(rect.width(), 180)
        self.step_id = step_id
        self.editor = _NameEditor(self, view.viewport())
        self.editor.setText(step.name)
        self.editor.setGeometry(int(rect.center().x() - width / 2),
                                int(rect.center().y() - 14), int(width), 28)
        self.editor.selectAll()
        self.editor.show()
        self.editor.setFocus(Qt.OtherFocusReason)
        return True

    def commit(self) -> None:
        if self.editor is None:
            return
        text, sid = " ".join(self.editor.text().split()), self.step_id
        self._close()
        step = self.scene.pathway.step(sid) if sid else None
        if step is None or not text or text == step.name:
            if not text:
                self.scene.edit_refused.emit("A step needs a name; the name was not changed")
            return
        # an untouched id ("new-step-2") follows the name, in the same undo step
        self.push(lambda: NameStepCommand(self.scene.pathway, sid, text))

    def cancel(self) -> None:
        self._close()

    def _close(self) -> None:
        editor, self.editor, self.step_id = self.editor, None, None
        if editor is not None:
            editor.hide()
            editor.deleteLater()
            views = self.scene.views()
            if views:
                views[0].setFocus(Qt.OtherFocusReason)


class PaletteDrop(_Handler):
    """Creates a step where a palette entry is dropped (its lane sets the setting)."""

    def accepts(self, event) -> bool:
        return event.mimeData().hasFormat(STEP_MIME_TYPE)

    def drop(self, event) -> bool:
        try:
            payload = json.loads(bytes(event.mimeData().data(STEP_MIME_TYPE)).decode())
        except (ValueError, UnicodeDecodeError):
            self.scene.edit_refused.emit("That item cannot be dropped on the pathway")
            return False
        return self.create(payload, event.scenePos()) is not None

    def _free_row(self, lane: str, kind: StepKind, x: float, rel_y: float) -> float:
        """``rel_y``, or a row further down when a step already sits there."""
        w, h = geometry.step_size(kind)
        others = []
        for s in self.scene.pathway.steps:
            if s.setting == lane and s.position is not None:
                ow, oh = geometry.step_size(s.kind)
                others.append((s.position[0], s.position[1], ow, oh))
        for row in range(8):
            y = rel_y + row * geometry.ROW_SPACING
            if not any(abs(x - ox) < (w + ow) / 2 + 4 and abs(y - oy) < (h + oh) / 2 + 4
                       for ox, oy, ow, oh in others):
                return round(y, 1)
        return rel_y

    def create(self, payload: dict, scene_pos: QPointF | None = None,
               setting_id: str | None = None) -> str | None:
        """Add a step from a palette payload; returns its id (None when refused)."""
        scene, pathway = self.scene, self.scene.pathway
        bands = [b for b in scene.bands() if b.setting_id != geometry.UNPLACED_LANE_ID]
        if not bands:
            scene.edit_refused.emit("Add a lane (a setting of care) before adding steps")
            return None
        try:
            step = step_from_payload(pathway, payload)
        except (ValueError, EditRefused) as exc:
            scene.edit_refused.emit(f"That item cannot be dropped on the pathway: {exc}")
            return None
        if scene_pos is not None:
            band = geometry.band_at(bands, scene_pos.y())
            x, rel_y = clamp_in_lane(step.kind, scene_pos.x(), scene_pos.y() - band.top)
            rel_y = self._free_row(band.setting_id, step.kind, x, rel_y)
        else:
            band = next((b for b in bands if b.setting_id == setting_id), bands[0])
            in_lane = [s.position[0] for s in pathway.steps
                       if s.setting == band.setting_id and s.position is not None]
            x = max(in_lane) + geometry.LAYER_SPACING if in_lane else geometry.FIRST_COLUMN_X
            x, rel_y = clamp_in_lane(step.kind, x, geometry.FIRST_ROW_Y)
        step = step.model_copy(update={"setting": band.setting_id, "position": (x, rel_y)})
        if not self.push(lambda: AddStepCommand(pathway, step)):
            return None
        scene.select_ids([step.id])
        return step.id


class SceneInteractions:
    """Routes the scene's events to the handler in charge."""

    def __init__(self, scene):
        self.scene = scene
        self.connect = ConnectInteraction(scene)
        self.move = MoveInteraction(scene)
        self.keys = KeyboardEditing(scene)
        self.rename = InlineRename(scene)
        self.palette_drop = PaletteDrop(scene)

    # mouse ---------------------------------------------------------------
    def mouse_press(self, event) -> None:
        if event.button() == Qt.LeftButton and self.connect.try_start(event):
            event.accept()
            return
        if event.button() == Qt.LeftButton and self._select_decorated_edge(event):
            return
        if event.button() == Qt.LeftButton and self._lane_header_clicked(event):
            return
        QGraphicsScene.mousePressEvent(self.scene, event)
        if event.button() == Qt.LeftButton:
            self.move.begin()

    def _lane_header_clicked(self, event) -> bool:
        item = self.scene.itemAt(event.scenePos(), QTransform())
        while item is not None and item.parentItem() is not None:
            item = item.parentItem()
        lane = item.data(0) if item is not None else None
        if not lane or not isinstance(lane, str) or self.scene.pathway.setting(lane) is None:
            return False
        self.scene.clearSelection()
        self.scene.lane_clicked.emit(lane)
        event.accept()
        return True

    def _select_decorated_edge(self, event) -> bool:
        item = self.scene.itemAt(event.scenePos(), QTransform())
        while item is not None and not hasattr(item, "owner"):
            item = item.parentItem()
        edge = getattr(item, "owner", None)
        if edge is None or not hasattr(edge, "key"):
            return False
        if not event.modifiers() & Qt.ControlModifier:
            self.scene.clearSelection()
        edge.setSelected(not edge.isSelected() or not event.modifiers() & Qt.ControlModifier)
        event.accept()
        return True

    def mouse_move(self, event) -> None:
        if self.connect.active:
            self.connect.update(event)
            return
        QGraphicsScene.mouseMoveEvent(self.scene, event)
        if self.move.dragging:
            self.scene.steps_dragged(self.move.dragging)

    def mouse_release(self, event) -> None:
        if self.connect.active:
            self.connect.finish(event)
            return
        QGraphicsScene.mouseReleaseEvent(self.scene, event)
        if event.button() == Qt.LeftButton:
            self.move.finish()

    def mouse_double_click(self, event) -> None:
        for item in self.scene.items(event.scenePos()):
            while item is not None and not isinstance(item, StepItem):
                item = item.parentItem()
            if isinstance(item, StepItem):
                self.rename.start(item.step_id)
                event.accept()
                return
        QGraphicsScene.mouseDoubleClickEvent(self.scene, event)

    # keyboard --------------------------------------------------------------
    def key_press(self, event) -> bool:
        return self.keys.key_press(event)

    def delete_selected(self) -> bool:
        return self.keys.delete_selected()

    def nudge_selected(self, dx: float, dy: float) -> bool:
        return self.keys.nudge_selected(dx, dy)

    # drag and drop -----------------------------------------------------------
    def drag_enter(self, event) -> None:
        if self.palette_drop.accepts(event):
            event.setDropAction(Qt.CopyAction)     # the palette keeps its entry
            event.accept()
        else:
            event.ignore()

    drag_move = drag_enter

    def drop(self, event) -> None:
        if self.palette_drop.accepts(event):
            event.setDropAction(Qt.CopyAction)
            event.accept()
            self.palette_drop.drop(event)
        else:
            event.ignore()
