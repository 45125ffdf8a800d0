"""The canvas for assistive technology: every lane, step and transition an accessible object.

Qt sees a QGraphicsView as one object; a screen reader (AT-SPI on Linux, UI
Automation on Windows: both read Qt's accessibility interfaces) would find none
of the pathway in it. :func:`install` registers a factory (``QAccessible.installFactory``)
that gives the canvas view an interface whose children are the lanes, then the
steps, then the transitions, each with a name, a description (kind, owner, lane,
findings; from, to, condition, handoff state) and its place on screen. When the
selection changes, a Focus event names the selected element, so a screen reader
announces it and moving through the pathway by keyboard (Alt+arrows) reads it.

Interfaces are made per element key and kept in a table on the view's interface
(Python owns them; Qt is only handed them), so repeated queries return the same
object and nothing is deleted under Qt's feet. An element that left the model
reports itself invalid.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QAccessibleObject

from designer.graph.vocabulary import STEP_KIND_LABELS

Role, Text, State = QAccessible.Role, QAccessible.Text, QAccessible.State

_VIEWS: dict[int, "CanvasInterface"] = {}


def step_description(pathway, step, findings=()) -> str:
    parts = [STEP_KIND_LABELS.get(step.kind, str(step.kind))]
    role = pathway.role(step.owner) if step.owner else None
    if step.owner:
        parts.append(f"owner {role.name if role else step.owner}")
    lane = pathway.setting(step.setting) if step.setting else None
    parts.append(f"in {lane.name}" if lane else "in no lane")
    if findings:
        parts.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}: "
                     + "; ".join(f.message for f in findings[:3]))
    return ", ".join(parts)


def handoff_state(transition, crosses: bool) -> str:
    h = transition.handoff
    if h is None:
        return "handoff missing" if crosses else ""
    return "handoff complete" if h.is_complete() else "handoff incomplete"


def transition_name(pathway, transition) -> str:
    a, b = pathway.step(transition.source), pathway.step(transition.target)
    return f"{a.name if a else transition.source} to {b.name if b else transition.target}"


def transition_description(pathway, transition, findings=()) -> str:
    a, b = pathway.step(transition.source), pathway.step(transition.target)
    crosses = a is not None and b is not None and a.setting != b.setting
    parts = ["Transition"]
    if transition.condition:
        parts.append(f"when {transition.condition}")
    state = handoff_state(transition, crosses)
    if state:
        parts.append(state)
    if findings:
        parts.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
    return ", ".join(parts)


class ElementInterface(QAccessibleInterface):
    """One lane, step or transition of the canvas (not a QObject: a graphics item)."""

    def __init__(self, canvas: "CanvasInterface", kind: str, key: str):
        super().__init__()
        self.canvas, self.kind, self.key = canvas, kind, key

    # -- identity
    def _model(self):
        p = self.canvas.scene().pathway
        if self.kind == "lane":
            return p.setting(self.key)
        if self.kind == "step":
            return p.step(self.key)
        return p.transition(self.key)

    def isValid(self) -> bool:
        return self.canvas.isValid() and self._model() is not None

    def object(self):
        return None

    def window(self):
        return self.canvas.window()

    # -- tree
    def parent(self):
        return self.canvas

    def childCount(self) -> int:
        return 0

    def child(self, _index):
        return None

    def indexOfChild(self, _child) -> int:
        return -1

    def childAt(self, _x, _y):
        return None

    # -- content
    def role(self):
        return {"lane": Role.Grouping, "step": Role.ListItem}.get(self.kind, Role.Link)

    def text(self, which):
        model = self._model()
        if model is None:
            return ""
        scene = self.canvas.scene()
        p = scene.pathway
        findings = scene._findings.get(self.key, []) if self.kind != "lane" else []
        if which == Text.Name:
            if self.kind == "lane":
                return f"Lane {model.name}"
            if self.kind == "step":
                return model.name
            return transition_name(p, model)
        if which == Text.Description:
            if self.kind == "lane":
                count = sum(1 for s in p.steps if s.setting == self.key)
                return f"Setting of care, {count} step{'s' if count != 1 else ''}"
            if self.kind == "step":
                return step_description(p, model, findings)
            return transition_description(p, model, findings)
        return ""

    def setText(self, _which, _text) -> None:
        pass

    def state(self):
        state = State()
        item = self.canvas.scene().item_for(self.key)
        state.focusable = self.kind != "lane"
        state.selectable = self.kind != "lane"
        if item is not None and self.kind != "lane":
            state.selected = item.isSelected()
            state.focused = item.isSelected()
        state.invisible = item is None or not item.isVisible()
        return state

    def rect(self) -> QRect:
        view = self.canvas.view
        item = self.canvas.scene().item_for(self.key)
        if item is None:
            return QRect()
        box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        corner = view.viewport().mapToGlobal(box.topLeft())
        return QRect(corner, box.size())


class CanvasInterface(QAccessibleObject):
    """The canvas view: a pane whose children are its lanes, steps and transitions."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self._elements: dict[tuple[str, str], ElementInterface] = {}

    def scene(self):
        return self.view.scene()

    def keys(self) -> list[tuple[str, str]]:
        scene = self.scene()
        if scene is None:
            return []
        p = scene.pathway
        return ([("lane", s.id) for s in p.settings] + [("step", s.id) for s in p.steps]
                + [("transition", t.key) for t in p.transitions])

    def element(self, kind: str, key: str) -> ElementInterface:
        found = self._elements.get((kind, key))
        if found is None:
            found = self._elements[(kind, key)] = ElementInterface(self, kind, key)
        return found

    def window(self):
        handle = self.view.window().windowHandle()
        return handle

    def parent(self):
        parent = self.view.parentWidget()
        return QAccessible.queryAccessibleInterface(parent) if parent is not None else None

    def childCount(self) -> int:
        return len(self.keys())

    def child(self, index: int):
        keys = self.keys()
        return self.element(*keys[index]) if 0 <= index < len(keys) else None

    def indexOfChild(self, child) -> int:
        if isinstance(child, ElementInterface):
            try:
                return self.keys().index((child.kind, child.key))
            except ValueError:
                return -1
        return -1

    def childAt(self, x: int, y: int):
        for index in range(self.childCount()):
            child = self.child(index)
            if child.kind != "lane" and child.rect().contains(x, y):
                return child
        return None

    def focusChild(self):
        scene = self.scene()
        chosen = scene.selected_ids() if scene is not None else []
        if not chosen:
            return None
        kind = "step" if scene.pathway.step(chosen[0]) is not None else "transition"
        return self.element(kind, chosen[0])

    def role(self):
        return Role.Pane

    def text(self, which):
        if which == Text.Name:
            return self.view.accessibleName() or "Pathway canvas"
        if which == Text.Description:
            return self.view.accessibleDescription()
        return ""

    def setText(self, _which, _text) -> None:
        pass

    def state(self):
        state = State()
        state.focusable = True
        state.focused = self.view.hasFocus()
        return state

    def rect(self) -> QRect:
        corner = self.view.mapToGlobal(self.view.rect().topLeft())
        return QRect(corner, self.view.size())

    # -- events
    def selection_changed(self) -> None:
        """Tell assistive technology which element is now selected (it announces it)."""
        if not QAccessible.isActive():
            return
        focus = self.focusChild()
        if focus is None or not focus.isValid():
            return
        QAccessible.updateAccessibility(QAccessibleEvent(focus, QAccessible.Event.Focus))
        QAccessible.updateAccessibility(QAccessibleEvent(focus, QAccessible.Event.Selection))


def _factory(class_name: str, obj):
    # by class name: importing the view here would make an import circle
    if class_name == "PathwayView" and hasattr(obj, "scene"):
        found = _VIEWS.get(id(obj))
        if found is None:
            found = _VIEWS[id(obj)] = CanvasInterface(obj)
            obj.destroyed.connect(lambda *_a, key=id(obj): _VIEWS.pop(key, None))
        return found
    return None


_installed = False


def install() -> None:
    """Register the factory once per process (the canvas view asks for it)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def interface_for(view) -> CanvasInterface | None:
    return _VIEWS.get(id(view))
