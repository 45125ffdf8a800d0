"""The Properties panel: edits whatever is selected on the canvas.

Nothing selected shows the pathway (header, lanes, roles); one step, one
transition or one lane shows its page; several items show a short summary.
All edits are undo commands; refused values are explained next to the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QScrollArea, QStackedWidget, QWidget

from designer.ui.panels.properties.pages import (
    LanePage,
    PropertyPage,
    StepPage,
    TransitionPage,
)
from designer.ui.panels.properties.pathway import PathwayPage

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext

_CHOICE_EVENTS = ("setting-", "settings-", "role-", "reset")

#: pages built ahead of time, in this order, once the pathway has been drawn: the first
#: click on a step (or adding one, which selects it) then only fills a ready page
_AHEAD = (StepPage, TransitionPage, LanePage)


class PropertiesDock(QDockWidget):
    """The Properties panel: the page for what is selected in ``context``'s canvas."""

    def __init__(self, context: "EditorContext", parent: QWidget | None = None) -> None:
        super().__init__("Properties", parent)
        self.setObjectName("properties-dock")
        self.setAccessibleName("Properties")
        self.context = context
        self._pathway = None
        self._scene = None
        # timers owned by the dock die with it: no deferred call into a closed window
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self.show_selection)

        self.stack = QStackedWidget()
        # pages are built the first time they are needed (a quicker start)
        self._built: dict[type, PropertyPage] = {}
        # after the canvas's first paint, one page built per event-loop turn (each
        # well under a frame's budget), so neither start-up nor the first selection
        # pays for it (building the step page was most of adding a step's block)
        self._ahead: list = []
        self._ahead_watching: QWidget | None = None
        self._ahead_timer = QTimer(self)
        self._ahead_timer.setSingleShot(True)
        self._ahead_timer.setInterval(0)
        self._ahead_timer.timeout.connect(self._build_ahead_slice)
        self.pathway_page = self._page(PathwayPage)
        self.multi_page = QLabel("")
        self.multi_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.multi_page.setWordWrap(True)
        self.multi_page.setMargin(12)
        self.stack.addWidget(self.multi_page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.stack)
        scroll.setAccessibleName("Properties of the selection")
        self.setWidget(scroll)
        self.setMinimumWidth(300)
        context.document_changed.connect(self._rebind)
        context.lane_requested.connect(self.show_lane)
        context.selection_requested.connect(self.show_selection)

    @property
    def current_page(self):
        return self.stack.currentWidget()

    def _page(self, kind: type) -> PropertyPage:
        page = self._built.get(kind)
        if page is None:
            page = kind(self.context)
            self._built[kind] = page
            self.stack.addWidget(page)
            if self.context.document is not None:
                page.refresh_choices()
        return page

    @property
    def step_page(self) -> StepPage:
        return self._page(StepPage)

    @property
    def transition_page(self) -> TransitionPage:
        return self._page(TransitionPage)

    @property
    def lane_page(self) -> LanePage:
        return self._page(LanePage)

    def _watch_first_paint(self) -> None:
        """Build the other pages ahead once the canvas has painted (see ``_AHEAD``)."""
        view = self.context.view
        if self._ahead or self._ahead_watching is not None or view is None \
                or all(kind in self._built for kind in _AHEAD):
            return
        self._ahead_watching = view.viewport()
        self._ahead_watching.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._ahead_watching and event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            self._ahead_watching = None
            # one page a turn (the step page ~20 ms CPU at 2,000 steps, the others less)
            self._ahead = [lambda k=kind: self._page(k) for kind in _AHEAD]
            self._ahead_timer.start()   # the next turn: after this paint is on screen
        return super().eventFilter(obj, event)

    def _build_ahead_slice(self) -> None:
        if self._ahead:
            self._ahead.pop(0)()
        if self._ahead:
            self._ahead_timer.start()

    def _pages(self) -> tuple[PropertyPage, ...]:
        return tuple(self._built.values())

    def _rebind(self) -> None:
        if self._pathway is not None:
            self._pathway.unsubscribe(self._on_model_event)
        self._pathway = self.context.pathway
        self._pathway.subscribe(self._on_model_event)
        self._scene = self.context.scene
        self._scene.selectionChanged.connect(self._selection_changed)
        for page in self._pages():
            page.refresh_choices()
        self.show_selection()
        self._watch_first_paint()

    def _selection_changed(self) -> None:
        # a rubber band changes the selection item by item: show the result once
        self._selection_timer.start()

    def show_selection(self) -> None:
        """Show the page for what is selected on the canvas now."""
        self._selection_timer.stop()
        scene = self.context.scene
        if scene is None or scene is not self._scene:
            return
        pathway = self.context.pathway
        ids = list(scene.selected_ids())
        if not ids:
            self._show(self.pathway_page, pathway.id)
        elif len(ids) == 1 and pathway.step(ids[0]) is not None:
            self._show(self.step_page, ids[0])
        elif len(ids) == 1 and pathway.transition(ids[0]) is not None:
            self._show(self.transition_page, ids[0])
        elif len(ids) == 1 and pathway.setting(ids[0]) is not None:
            self._show(self.lane_page, ids[0])
        else:
            steps = sum(1 for i in ids if pathway.step(i) is not None)
            transitions = sum(1 for i in ids if pathway.transition(i) is not None)
            self.multi_page.setText(
                f"<b>{len(ids)} items selected</b><br>{steps} step(s), "
                f"{transitions} transition(s).<br><br>Select a single item to edit it. "
                "Drag to move them together; Delete removes them in one undoable step.")
            self.stack.setCurrentWidget(self.multi_page)

    def show_lane(self, setting_id: str) -> None:
        """Show one lane's page (from the lanes list); Back returns to the pathway."""
        if self.context.pathway.setting(setting_id) is not None:
            self._show(self.lane_page, setting_id)

    def _show(self, page: PropertyPage, key: str) -> None:
        page.show_key(key)
        self.stack.setCurrentWidget(page)

    def _on_model_event(self, event) -> None:
        kind = event.kind
        if kind.startswith(_CHOICE_EVENTS):
            for page in self._pages():
                page.refresh_choices()
        if kind == "step-renamed":
            self.step_page.follow_rename(event.old, event.new)
        if kind == "pathway-changed":
            self.pathway_page.key = self.context.pathway.id
        page = self.current_page
        if not isinstance(page, PropertyPage):
            return
        if page.item() is None:
            # what it showed was deleted (or undone away): show the pathway instead
            self._selection_timer.start()
            return
        page.refresh()
        if page is self.pathway_page and kind.startswith(("step-", "reset")):
            self.pathway_page.refresh_choices()  # the "(n steps)" counts
