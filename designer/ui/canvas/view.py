"""The canvas view: zoom, pan, rubber-band selection and an overview map.

Zoom: Ctrl+wheel, Ctrl++ / Ctrl+- / Ctrl+0 (100%) / Ctrl+9 (fit), or the window's
menu actions calling :meth:`PathwayView.zoom_in` and friends. Pan: the scroll
bars, the wheel, the middle mouse button, or Space held while dragging. Zoom and
pan are view state: they never go on the undo stack.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QGraphicsView, QLabel

from designer.render import style
from designer.ui.canvas.items.steps import LOW_DETAIL
from designer.ui.canvas.minimap import MiniMap

MIN_ZOOM, MAX_ZOOM = 0.05, 4.0
READABLE_ZOOM = 0.6      # below this step names are hard to read
FOCUS_FRAME = ("PathwayView { border: 2px solid transparent; }"
               " PathwayView:focus { border: 2px solid #005eb8; }")
ZOOM_STEP = 1.25


class PathwayView(QGraphicsView):
    """A QGraphicsView tuned for large pathways (BSP index, smart updates, LOD)."""

    #: The zoom factor after every change (1.0 = 100%).
    zoom_changed = Signal(float)
    #: Enter on the canvas: edit the selection (the window moves to its properties).
    enter_pressed = Signal()

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.DontSavePainterState)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        # Only what lies wholly inside the band: a long arrow merely crossing it
        # must not be picked up (and then deleted) by accident.
        self.setRubberBandSelectionMode(Qt.ContainsItemShape)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName("Pathway canvas")
        from designer.ui.canvas import accessible
        from designer.ui.canvas.keys import keys_description

        self.setAccessibleDescription(
            "Lanes are settings of care; time runs left to right. " + keys_description())
        accessible.install()        # lanes, steps and transitions as accessible objects
        self.setBackgroundBrush(Qt.white)
        # visible focus: a blue frame while the canvas has the keyboard
        self.setStyleSheet(FOCUS_FRAME)
        self._space = False
        self._pan_from: QPoint | None = None
        self.minimap = MiniMap(self)
        self._hint = QLabel(self.viewport())
        self._hint.setAlignment(Qt.AlignCenter)
        self._hint.setWordWrap(True)
        self._hint.setFont(QFont(style.FONT_FAMILY, 11))
        self._hint.setStyleSheet(f"color: {style.MUTED_TEXT}; background: transparent;")
        self._hint.setAttribute(Qt.WA_TransparentForMouseEvents)
        self._hint.hide()
        if scene is not None:
            scene.content_changed.connect(self._update_hint)
            scene.selectionChanged.connect(self._announce_selection)
        self._shown_once = False
        self._hold_detail = False    # see fit_readable
        self._update_detail()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        scene = self.scene()
        if scene is not None and getattr(scene, "dragging", False):
            scene.drag_frame_painted()     # paces the arrows' frames (EdgeRouting)

    # ------------------------------------------------------------------ zoom
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom()
        if abs(factor - current) > 1e-9:
            self.scale(factor / current, factor / current)
        self._zoomed()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def zoom_reset(self) -> None:
        """100%: one scene unit per screen pixel."""
        self.set_zoom(1.0)

    def fit_all(self) -> None:
        """Show the whole pathway (never enlarged beyond 150%)."""
        # The scene rect is the pathway's extent (lanes may run on to the view's edge).
        rect = self.scene().sceneRect()
        self.fitInView(rect.adjusted(-4, -4, 4, 4), Qt.KeepAspectRatio)
        if self.zoom() > 1.5:
            self.set_zoom(1.5)
        if self.zoom() < MIN_ZOOM:
            self.set_zoom(MIN_ZOOM)
        self._zoomed()

    def set_high_contrast(self, on: bool) -> None:
        """The canvas in high contrast (see PathwayScene.set_high_contrast), and the
        overview map with it, at once."""
        self.scene().set_high_contrast(on)
        self.minimap._refresh()
        self.setBackgroundBrush(Qt.black if on else Qt.white)
        self._hint.setStyleSheet(f"color: {'#ffffff' if on else style.MUTED_TEXT}; "
                                 "background: transparent;")

    def fit_readable(self, readable: float = READABLE_ZOOM) -> None:
        """Fit the pathway, but never below a zoom where names can be read: then every
        lane fits the height (when that is readable) and the view starts at the left,
        the lane names pinned at the edge while the rest scrolls."""
        # the detail level follows the zoom it ends at, not the whole-pathway fit on
        # the way (showing and hiding every label twice: 0.2 s at 2,000 steps)
        self._hold_detail = True
        try:
            self.fit_all()
            if self.zoom() < readable:
                rect = self.scene().sceneRect()
                by_height = (self.viewport().height() - 8) / max(rect.height(), 1.0)
                self.set_zoom(max(readable, min(1.0, by_height)))
                self.home()
        finally:
            self._hold_detail = False
        self._zoomed()

    def set_overview_visible(self, on: bool) -> None:
        """Turn the overview map on or off (it also hides while everything fits)."""
        self.minimap.enabled_by_user = on
        self.minimap.refresh_visibility()

    def home(self) -> None:
        """Scroll to the top-left corner (the lane headers and the start)."""
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    def centre_on_id(self, key: str) -> bool:
        """Scroll (and zoom in if far out) so that a step or transition is in view."""
        item = self.scene().item_for(key)
        if item is None:
            return False
        if self.zoom() < 0.6:
            self.set_zoom(0.8)
        self.centerOn(item.sceneBoundingRect().center())
        return True

    def _pin_headers(self) -> None:
        scene = self.scene()
        if scene is not None:
            scene.pin_lane_headers(self.mapToScene(0, 0).x(),
                                   self.mapToScene(self.viewport().width(), 0).x())

    def _zoomed(self) -> None:
        self._update_detail()
        self._pin_headers()
        self.zoom_changed.emit(self.zoom())
        self.minimap.refresh_visibility()

    def _update_detail(self) -> None:
        scene = self.scene()
        if scene is not None and not self._hold_detail:
            scene.set_detail(self.zoom() >= LOW_DETAIL)

    def _announce_selection(self) -> None:
        from designer.ui.canvas import accessible

        canvas = accessible.interface_for(self)
        if canvas is not None:
            canvas.selection_changed()

    # ------------------------------------------------------------------ hint
    def _update_hint(self, *_args) -> None:
        """On an empty pathway, say how to begin (a label over the canvas).

        A label rather than a ``drawForeground`` override: a Python override there
        runs on every repaint and slows dragging on large pathways.
        """
        scene = self.scene()
        empty = scene is not None and not scene.pathway.steps
        if not empty:
            self._hint.hide()
            return
        if scene.pathway.settings:
            text = ("Drag a step from the palette onto a lane to begin.\n"
                    "Connect steps by dragging from the blue handle on a step's right edge.")
        else:
            text = ("This pathway has no lanes yet.\nAdd a setting of care (a lane) in the "
                    "Properties panel, then drag steps from the palette onto it.")
        self._hint.setText(text)
        area = self.viewport().rect().adjusted(40, 40, -40, -40)
        bands = scene.bands()
        if bands:    # under the lanes when there is room, else over them
            below = self.mapFromScene(0, bands[-1].bottom).y() + 24
            if below < area.bottom() - 60:
                area.setTop(below)
                area.setHeight(60)
        self._hint.setGeometry(area)
        self._hint.show()

    # ------------------------------------------------------------- Qt events
    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self.zoom() * (ZOOM_STEP ** steps))
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        key, ctrl = event.key(), bool(event.modifiers() & Qt.ControlModifier)
        if key == Qt.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.OpenHandCursor)
            event.accept()
            return
        if ctrl and key in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_in()
        elif ctrl and key == Qt.Key_Minus:
            self.zoom_out()
        elif ctrl and key == Qt.Key_0:
            self.zoom_reset()
        elif key in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers():
            self.enter_pressed.emit()
        elif ctrl and key == Qt.Key_9:
            if event.modifiers() & Qt.ShiftModifier:
                self.fit_all()
            else:
                self.fit_readable()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self._space = False
            if self._pan_from is None:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MiddleButton or (
                event.button() == Qt.LeftButton and self._space):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_from is not None and event.button() in (Qt.MiddleButton, Qt.LeftButton):
            self._pan_from = None
            if self._space:
                self.viewport().setCursor(Qt.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self._space = False
        super().focusOutEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if dx:
            self._pin_headers()
        self.minimap.refresh_visibility()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.home()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._pin_headers()
        self._update_hint()
        self.minimap.reposition()
