"""Keyboard commands and context menus for the canvas: everything the mouse does.

* Insert - add a step of a chosen kind into the current lane (then name it in place);
* Ctrl+K - "Connect to…": a searchable list of steps; Enter connects;
* Ctrl+Shift+Up / Ctrl+Shift+Down - move the selected steps to the lane above / below;
* Ctrl+Shift+H - edit the handoff of the selected transition (made when missing);
* Enter - edit the selection in the Properties panel (Esc there comes back);
* Shift+F10, the Menu key or a right click - the context menu of a step, a
  transition, a lane or the empty canvas.

The actions are listed in Edit > Canvas, so they can be found without knowing a
key. Each edit is one undo command through the window's editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTransform
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu,
    QVBoxLayout,
)

from shiboken6 import isValid

from designer.graph import geometry
from designer.graph.fragment import payload_for
from designer.graph.model import StepKind, Transition
from designer.graph.vocabulary import STEP_KIND_LABELS

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

#: The kinds offered by Insert, with their menu mnemonics.
KIND_MENU = [(StepKind.task, "&Task"), (StepKind.decision, "&Decision"),
             (StepKind.wait, "&Wait"), (StepKind.entry, "E&ntry"), (StepKind.exit, "E&xit")]


class ConnectDialog(QDialog):
    """Choose the step to connect to: type to narrow the list, Enter to connect."""

    def __init__(self, parent, pathway, source_id: str):
        super().__init__(parent)
        source = pathway.step(source_id)
        self.setWindowTitle("Connect to")
        self.setObjectName("connect-dialog")
        self.setMinimumSize(560, 440)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Connect <b>{_html(source.name)}</b> to the step you choose:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type part of a step's name, lane or owner")
        self.search.setAccessibleName("Find a step")
        self.search.setClearButtonEnabled(True)
        find_label = QLabel("&Find:")
        find_label.setBuddy(self.search)
        layout.addWidget(find_label)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName("Steps to connect to")
        layout.addWidget(self.list, 1)
        linked = {t.target for t in pathway.transitions if t.source == source_id}
        for step in pathway.steps:
            if step.id == source_id:
                continue
            lane = pathway.setting(step.setting) if step.setting else None
            role = pathway.role(step.owner) if step.owner else None
            detail = ", ".join(x for x in (STEP_KIND_LABELS.get(step.kind, ""),
                                           lane.name if lane else "",
                                           role.name if role else "") if x)
            text = f"{step.name} — {detail}" if detail else step.name
            if step.id in linked:
                text += " (already connected)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            if step.id in linked:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Connect")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.search.installEventFilter(self)
        self._filter("")

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        # Up and Down in the search box move through the list, as in a combo box
        if obj is self.search and event.type() == event.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(obj, event)

    def _visible_rows(self) -> list[int]:
        return [i for i in range(self.list.count()) if not self.list.item(i).isHidden()
                and self.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]

    def _move(self, step: int) -> None:
        rows = self._visible_rows()
        if not rows:
            return
        now = self.list.currentRow()
        at = rows.index(now) + step if now in rows else 0
        self.list.setCurrentRow(rows[max(0, min(at, len(rows) - 1))])

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(not all(w in item.text().casefold() for w in words))
        rows = self._visible_rows()
        if rows:
            # a step whose name starts with the text comes first, then any match
            start = text.strip().casefold()
            best = next((r for r in rows if start
                         and self.list.item(r).text().casefold().startswith(start)), rows[0])
            self.list.setCurrentRow(best)
        elif not rows:
            self.list.setCurrentRow(-1)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden() or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return item.data(Qt.ItemDataRole.UserRole)


def _html(text: str) -> str:
    from html import escape
    return escape(text)


class CanvasCommands:
    """The canvas's keyboard commands and context menus for one main window."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        self.current_lane: str | None = None
        w = window
        self.add_step = self._action("&Add Step…", self.choose_kind_and_add, "Ins",
                                     "Add a step of a chosen kind into the current lane")
        self.connect = self._action("&Connect To…", self.connect_to, "Ctrl+K",
                                    "Connect the selected step to another step")
        self.lane_up = self._action("Move to Lane &Above", lambda: self.move_lane(-1),
                                    "Ctrl+Shift+Up", "Move the selected steps one lane up")
        self.lane_down = self._action("Move to Lane &Below", lambda: self.move_lane(+1),
                                      "Ctrl+Shift+Down",
                                      "Move the selected steps one lane down")
        self.handoff = self._action("Edit &Handoff…", self.edit_handoff, "Ctrl+Shift+H",
                                    "Edit the handoff of the selected transition")
        # keys the canvas handles itself are shown after a tab (not bound twice)
        self.rename = self._action("&Rename Step\tF2", self.rename_step, None,
                                   "Rename the selected step in place (F2 on the canvas)")
        self.properties = self._action("Edit &Properties\tEnter", self.edit_properties, None,
                                       "Edit the selection in the Properties panel "
                                       "(Enter on the canvas)")
        self.menu_key = self._action("Context &Menu", self.menu_for_selection, "Shift+F10",
                                     "Open the context menu of the selection")
        menu = QMenu("Ca&nvas", w.menu_edit)
        menu.addActions([self.add_step, self.connect, self.lane_up, self.lane_down,
                         self.handoff, self.rename, self.properties, self.menu_key])
        w.menu_edit.addSeparator()
        w.menu_edit.addMenu(menu)
        self.menu = menu
        # Esc in the Properties panel goes back to the canvas
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), w.properties_dock)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.focus_canvas)
        w.document_changed.connect(self.rebind)
        self.rebind()

    def _action(self, text: str, slot, shortcut: str | None, tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # on the canvas only: the same keys mean other things in text boxes
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ------------------------------------------------------------------ binding
    def rebind(self) -> None:
        view = self.window.view
        if view is None:
            return
        for action in (self.add_step, self.connect, self.lane_up, self.lane_down,
                       self.handoff, self.menu_key):
            view.addAction(action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._menu_at)
        view.enter_pressed.connect(self.edit_properties)
        self.window.scene.lane_clicked.connect(self._lane_chosen)
        self.window.scene.selectionChanged.connect(self._follow_selection)
        self.current_lane = None

    @property
    def scene(self):
        return self.window.scene

    @property
    def pathway(self):
        return self.window.document.pathway

    def _lane_chosen(self, lane: str) -> None:
        self.current_lane = lane

    def _follow_selection(self) -> None:
        if self.scene is None or not isValid(self.scene):
            return
        for key in self.scene.selected_ids():
            step = self.pathway.step(key)
            if step is not None and step.setting:
                self.current_lane = step.setting
                return

    def selected_steps(self) -> list[str]:
        return [k for k in self.scene.selected_ids() if self.pathway.step(k) is not None]

    def selected_transition(self) -> str | None:
        keys = [k for k in self.scene.selected_ids() if self.pathway.transition(k) is not None]
        return keys[0] if len(keys) == 1 else None

    def tell(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 6000)

    def focus_canvas(self) -> None:
        self.window.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ commands
    def lane_for_new_step(self) -> str | None:
        lanes = [s.id for s in self.pathway.settings]
        if self.current_lane in lanes:
            return self.current_lane
        return lanes[0] if lanes else None

    def kind_menu(self, lane: str | None = None) -> QMenu:
        menu = QMenu("Add &Step", self.window)
        menu.setObjectName("add-step-menu")
        for kind, label in KIND_MENU:
            action = menu.addAction(label)
            # once the menu has closed (it gives the focus back to where it was opened),
            # so the new step's name editor keeps the focus
            action.triggered.connect(lambda _c=False, k=kind: QTimer.singleShot(
                0, lambda: self.add_step_of(k, lane)))
        return menu

    def choose_kind_and_add(self) -> None:
        menu = self.kind_menu()
        menu.exec(self._anchor())

    def add_step_of(self, kind: StepKind, lane: str | None = None,
                    rename: bool = True) -> str | None:
        """Add a step of ``kind`` into ``lane`` (default: the current lane), selected and
        ready to be named in place."""
        lane = lane or self.lane_for_new_step()
        label = STEP_KIND_LABELS.get(kind, "Step")
        name = {StepKind.decision: "New decision", StepKind.wait: "New wait"}.get(
            kind, f"New {label.lower()}" if kind is not StepKind.task else "New step")
        step_id = self.scene.interactions.palette_drop.create(payload_for(kind, None, name),
                                                              None, lane)
        if step_id is not None:
            self.current_lane = lane
            self.window.view.centre_on_id(step_id)
            if rename:
                self.scene.rename_in_place(step_id)
        return step_id

    def connect_to(self, target: str | None = None) -> str | None:
        """Connect the selected step to ``target`` (asked for in a searchable list)."""
        steps = self.selected_steps()
        if len(steps) != 1:
            self.tell("Select one step to connect from (Alt+arrow keys move between steps)")
            return None
        source = steps[0]
        if target is None:
            dialog = ConnectDialog(self.window, self.pathway, source)
            self.connect_dialog = dialog
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
                return None
            target = dialog.chosen()
        from designer.ui.commands import AddTransitionCommand

        transition = Transition(source=source, target=target)
        if self.window.editor.push(AddTransitionCommand, transition) is None:
            return None
        self.scene.select_ids([transition.key])
        self.focus_canvas()
        self.tell(f"Connected to {self.pathway.step(target).name}. Enter edits the "
                  "transition; Ctrl+Shift+H its handoff.")
        return transition.key

    def move_lane(self, direction: int) -> bool:
        steps = self.selected_steps()
        lanes = [s.id for s in self.pathway.settings]
        if not steps or not lanes:
            return False
        moves = {}
        for sid in steps:
            step = self.pathway.step(sid)
            here = lanes.index(step.setting) if step.setting in lanes else 0
            there = max(0, min(len(lanes) - 1, here + direction))
            if there == here:
                continue
            position = step.position
            if position is None:
                item = self.scene.item_for(sid)
                position = (item.x(), geometry.FIRST_ROW_Y)
            moves[sid] = ((position[0], position[1]), lanes[there])
        if not moves:
            self.tell("Already in the " + ("top" if direction < 0 else "bottom") + " lane")
            return False
        from designer.ui.commands import MoveStepsCommand

        if self.window.editor.push(MoveStepsCommand, moves) is None:
            return False
        self.scene.select_ids(steps)
        lane = self.pathway.setting(next(iter(moves.values()))[1])
        self.current_lane = lane.id
        self.tell(f"Moved to {lane.name}")
        return True

    def edit_handoff(self) -> bool:
        key = self.selected_transition()
        if key is None:
            self.tell("Select one transition to edit its handoff")
            return False
        dock = self.window.properties_dock
        dock.show()
        dock.raise_()
        dock.show_selection()
        page = dock.transition_page
        if not page.handoff_box.isChecked():
            page.handoff_box.setChecked(True)      # adds an empty handoff (undoable)
        page.sender.widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def rename_step(self) -> bool:
        steps = self.selected_steps()
        return bool(steps) and self.scene.rename_in_place(steps[0])

    def edit_properties(self) -> None:
        """Move to the Properties panel, on the field that matters most for the selection."""
        dock = self.window.properties_dock
        dock.show()
        dock.raise_()
        dock.show_selection()
        page = dock.stack.currentWidget()
        pathway = self.pathway
        target = None
        if page is dock.step_page:
            target = page.name.widget
        elif page is dock.transition_page:
            t = pathway.transition(page.key)
            source = pathway.step(t.source) if t else None
            target = (page.condition.widget if source is not None
                      and source.kind is StepKind.decision else page.wait.widget)
        if target is None:
            target = page.nextInFocusChain() if page is not None else dock
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ menus
    def _anchor(self) -> QPoint:
        """Where a keyboard-opened menu appears: at the selection, else mid-canvas."""
        view = self.window.view
        ids = self.scene.selected_ids()
        item = self.scene.item_for(ids[0]) if ids else None
        if item is not None:
            point = view.mapFromScene(item.sceneBoundingRect().center())
            if view.viewport().rect().contains(point):
                return view.viewport().mapToGlobal(point)
        return view.viewport().mapToGlobal(view.viewport().rect().center())

    def menu_for_selection(self) -> QMenu:
        menu = self.build_menu(None)
        self.context_menu = menu
        menu.popup(self._anchor())
        return menu

    def _menu_at(self, pos: QPoint) -> None:
        menu = self.build_menu(self.window.view.mapToScene(pos))
        self.context_menu = menu
        menu.popup(self.window.view.viewport().mapToGlobal(pos))

    def target_at(self, scene_pos: QPointF | None) -> tuple[str, str | None]:
        """("step"|"transition"|"lane"|"canvas", key) under a point, or for the selection."""
        scene, pathway = self.scene, self.pathway
        if scene_pos is None:
            ids = scene.selected_ids()
            if len(ids) >= 1 and pathway.step(ids[0]) is not None:
                return "step", ids[0]
            if len(ids) == 1 and pathway.transition(ids[0]) is not None:
                return "transition", ids[0]
            return ("lane", self.current_lane) if self.current_lane else ("canvas", None)
        item = scene.itemAt(scene_pos, QTransform())
        key = scene.id_for(item) if item is not None else None
        if key is not None:
            if key not in scene.selected_ids():
                scene.select_ids([key])
            return ("step" if pathway.step(key) is not None else "transition"), key
        band = geometry.band_at(scene.bands(), scene_pos.y())
        if band is not None and pathway.setting(band.setting_id) is not None \
                and scene_pos.y() <= scene.bands()[-1].bottom:
            scene.clearSelection()
            self.current_lane = band.setting_id
            return "lane", band.setting_id
        scene.clearSelection()
        return "canvas", None

    def build_menu(self, scene_pos: QPointF | None) -> QMenu:
        kind, key = self.target_at(scene_pos)
        w = self.window
        menu = QMenu(w)
        menu.setObjectName(f"canvas-menu-{kind}")
        if kind == "step":
            step = self.pathway.step(key)
            menu.setTitle(step.name)
            menu.addSection(f"Step: {step.name}")
            menu.addActions([self.rename, self.properties, self.connect])
            menu.addSeparator()
            menu.addActions([self.lane_up, self.lane_down])
            menu.addSeparator()
            menu.addActions([w.act.cut, w.act.copy, w.act.duplicate, w.act.delete])
        elif kind == "transition":
            t = self.pathway.transition(key)
            menu.addSection("Transition: " + " → ".join(
                (self.pathway.step(e).name if self.pathway.step(e) else e)
                for e in (t.source, t.target)))
            menu.addActions([self.properties, self.handoff])
            menu.addSeparator()
            menu.addAction(w.act.delete)
        else:
            if kind == "lane":
                lane = self.pathway.setting(key)
                menu.addSection(f"Lane: {lane.name}")
            else:
                menu.addSection("Pathway")
            add = self.kind_menu(key if kind == "lane" else None)
            add.setTitle("Add &Step Here" if kind == "lane" else "Add &Step")
            menu.addMenu(add)
            if kind == "lane":
                lane_props = menu.addAction("Lane &Properties")
                lane_props.triggered.connect(lambda _c=False, k=key: self._lane_properties(k))
            menu.addSeparator()
            menu.addActions([w.act.paste, w.act.select_all])
            menu.addSeparator()
            menu.addActions([w.act.fit_all, w.act.auto_layout])
        return menu

    def _lane_properties(self, lane: str) -> None:
        dock = self.window.properties_dock
        dock.show()
        dock.raise_()
        dock.show_lane(lane)


def install(window) -> CanvasCommands:
    """The canvas commands of ``window`` (the window keeps them as extension "canvas")."""
    return CanvasCommands(window)
