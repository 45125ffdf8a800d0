"""Presentation mode: walk a room through the pathway on one projected screen.

Full screen, docks and bars hidden, the canvas zoomed in, and a large
high-contrast caption (white and yellow on black, 24 pt and up) naming the
current step, its owner, its timing and what is handed over to the next setting.
Right or Space moves on, Left goes back, Home and End jump to the ends; Esc
leaves and puts the window back exactly as it was (docks, geometry, zoom).
Nothing here edits the pathway: the canvas is made non-interactive meanwhile.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QLabel, QWidget

from designer.graph.geometry import lane_bands, scene_centre, step_size
from designer.graph.model import Pathway
from designer.graph.walk import Caption, caption_for, walk_order

__all__ = ["PresentationMode", "CaptionPanel", "Caption", "caption_for", "walk_order"]

CAPTION_BG = "#000000"
CAPTION_TEXT = "#ffffff"
ACCENT = "#ffd600"           # yellow on black: the highest-contrast accent
TITLE_PT, BODY_PT = 36, 26   # readable from the back of a room
HIGHLIGHT_Z = 5000.0


class CaptionPanel(QLabel):
    """The large caption along the bottom of the canvas."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("presentation-caption")
        self.setAccessibleName("Presentation caption")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setStyleSheet(f"QLabel#presentation-caption {{ background: {CAPTION_BG}; "
                           f"color: {CAPTION_TEXT}; padding: 18px 36px; "
                           f"border-top: 6px solid {ACCENT}; }}")

    def show_caption(self, caption: Caption, hint: str) -> None:
        def esc(text: str) -> str:
            return html.escape(text)
        rows = [f"<div style='font-size:{TITLE_PT}pt; font-weight:bold; color:{ACCENT}'>"
                f"<span style='color:#e0e0e0; font-size:{BODY_PT}pt'>{esc(caption.counter)}"
                f"</span>&nbsp;&nbsp;&nbsp;{esc(caption.title)}</div>",
                f"<div style='font-size:{BODY_PT}pt'>{esc(caption.who)}</div>",
                f"<div style='font-size:{BODY_PT}pt'>{esc(caption.timing)}</div>"]
        for line, complete in caption.handoffs:
            mark = "➜" if complete else "⚠"
            colour = CAPTION_TEXT if complete else ACCENT
            rows.append(f"<div style='font-size:{BODY_PT}pt; color:{colour}'>"
                        f"{mark} {esc(line)}</div>")
        for line in caption.notes:
            rows.append(f"<div style='font-size:{BODY_PT - 2}pt; color:#9fd3ff'>"
                        f"✎ {esc(line)}</div>")
        rows.append(f"<div style='font-size:{BODY_PT - 2}pt; color:#d0d0d0'>{esc(hint)}</div>")
        self.setText("".join(rows))

    PADDING = (36, 18)      # matches the style sheet: horizontal, vertical

    def needed_height(self, width: int) -> int:
        """The height the caption needs at ``width`` (QLabel's own estimate runs tall)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setHtml(self.text())
        doc.setTextWidth(width - 2 * self.PADDING[0])
        return int(doc.size().height()) + 2 * self.PADDING[1] + 6


def _minimap_visible(view) -> bool:
    return view.minimap.isVisible()


class PresentationMode(QObject):
    """Enter and leave presentation mode on a main window; walk its pathway.

    Parameters
    ----------
    window:
        The main window (uses ``document``, ``scene``, ``view``, its docks and bars).
    """

    HINT = "Right or Space: next   ·   Left: back   ·   Home / End   ·   Esc: leave"

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.active = False
        self.order: list[str] = []
        self.index = 0
        self._saved: dict = {}
        self._caption: CaptionPanel | None = None
        self._marks: list[QGraphicsRectItem] = []
        self._timeline = None

    # -------------------------------------------------------------- entering

    def enter(self) -> None:
        w = self.window
        if self.active or w.view is None:
            return
        w.commit_pending_edits()   # present the pathway as typed, not as last committed
        pathway = w.document.pathway
        self.order = walk_order(pathway)
        if not self.order:
            w.statusBar().showMessage("There are no steps to present yet.", 6000)
            return
        try:
            from designer.graph.timeline import compute_timeline
            self._timeline = compute_timeline(pathway)
        except Exception:  # timing is helpful, never a reason to refuse presenting
            self._timeline = None
        view = w.view
        self._saved = {
            "state": w.saveState(), "rect": w.geometry(),
            "window_state": w.windowState(),
            "menubar": w.menuBar().isVisible(), "statusbar": w.statusBar().isVisible(),
            "transform": view.transform(),
            "scroll": (view.horizontalScrollBar().value(), view.verticalScrollBar().value()),
            "interactive": view.isInteractive(),
            # a view following its scene's rect reports the same rect: restore it as "unset"
            "scene_rect": (None if view.sceneRect() == w.scene.sceneRect()
                           else view.sceneRect()),
            "minimap": _minimap_visible(view),
            "scrollbars": (view.horizontalScrollBarPolicy(), view.verticalScrollBarPolicy()),
            "selection": list(w.scene.selected_ids()) if w.scene is not None else [],
        }
        self.active = True
        for dock in self._docks():
            dock.hide()
        for bar in self._toolbars():
            bar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        view.setInteractive(False)
        view.minimap.hide()
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        w.showFullScreen()
        self._caption = CaptionPanel(view)
        self._caption.show()
        QApplication.instance().installEventFilter(self)
        w.document_changed.connect(self.leave)
        self.go(0)

    def _room_below(self) -> None:
        """Let the view scroll far enough for the last lane's steps to clear the caption."""
        view = self.window.view
        scale = view.transform().m11() or 1.0
        extra = (self._caption.height() if self._caption else 0) / scale + 40
        view.setSceneRect(self.window.scene.sceneRect().adjusted(0, 0, 0, extra))

    def _docks(self):
        from PySide6.QtWidgets import QDockWidget
        return [d for d in self.window.findChildren(QDockWidget) if d.isVisible()]

    def _toolbars(self):
        from PySide6.QtWidgets import QToolBar
        return [b for b in self.window.findChildren(QToolBar) if b.isVisible()]

    # -------------------------------------------------------------- walking

    def go(self, index: int) -> None:
        """Show the ``index``-th step of the walk (clamped to the ends)."""
        if not self.active:
            return
        self.index = max(0, min(index, len(self.order) - 1))
        step_id = self.order[self.index]
        pathway = self.window.document.pathway
        step = pathway.step(step_id)
        if step is None:
            return
        self._layout_caption()
        self._caption.show_caption(
            caption_for(pathway, step_id, self.index + 1, len(self.order), self._timeline),
            self.HINT)
        self._layout_caption()
        self._mark(pathway, step)
        self._focus_notes(step.id)
        self._centre(pathway, step)

    def _focus_notes(self, step_id: str | None) -> None:
        overlay = self.window.workshop.overlay
        if overlay is not None:
            overlay.set_focus(step_id)

    def current_step(self) -> str | None:
        return self.order[self.index] if self.active and self.order else None

    def _layout_caption(self) -> None:
        view = self.window.view
        cap = self._caption
        width = view.viewport().width()
        cap.setFixedWidth(width)
        cap.setFixedHeight(max(cap.needed_height(width), 120))
        cap.move(0, view.height() - cap.height())
        cap.raise_()

    def _step_rect(self, pathway: Pathway, step) -> QRectF:
        item = self.window.scene.item_for(step.id)
        if item is not None:
            # the owner line of a decision sits in a child item below the diamond
            return item.sceneBoundingRect().united(
                item.mapRectToScene(item.childrenBoundingRect()))
        x, y = scene_centre(lane_bands(pathway), step)
        width, height = step_size(step.kind)
        return QRectF(x - width / 2, y - height / 2, width, height)

    def _mark(self, pathway: Pathway, step) -> None:
        self._clear_marks()
        scene = self.window.scene
        rect = self._step_rect(pathway, step)
        # a black ring under a yellow one stays visible on light and dark lanes alike
        for grow, colour, width in ((16, "#000000", 12), (14, ACCENT, 6)):
            item = QGraphicsRectItem(rect.adjusted(-grow, -grow, grow, grow))
            item.setPen(QPen(QColor(colour), width))
            item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            item.setZValue(HIGHLIGHT_Z)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            scene.addItem(item)
            self._marks.append(item)
        scene.select_ids([step.id])

    def _clear_marks(self) -> None:
        for item in self._marks:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self._marks.clear()

    def _centre(self, pathway: Pathway, step) -> None:
        view = self.window.view
        viewport = view.viewport()
        # zoom so about five columns of steps fill the width: big, but with context
        scale = max(1.0, min(2.4, viewport.width() / 1050.0))
        view.set_zoom(scale)
        self._room_below()
        rect = self._step_rect(pathway, step)
        caption_h = self._caption.height() if self._caption else 0
        # centre the step in the part of the screen above the caption
        shift = caption_h / 2 / scale
        view.centerOn(QPointF(rect.center().x(), rect.center().y() + shift))

    # -------------------------------------------------------------- keys

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if not self.active:
            return False
        kind = event.type()
        if kind == QEvent.Type.Resize and obj is self.window.view:
            self._layout_caption()
            return False
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if QApplication.activeModalWidget() is not None:
            return False        # keys belong to a dialog opened over the presentation
        key = event.key()
        steps = {Qt.Key.Key_Right: 1, Qt.Key.Key_Space: 1, Qt.Key.Key_PageDown: 1,
                 Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_PageUp: -1,
                 Qt.Key.Key_Up: -1, Qt.Key.Key_Backspace: -1}
        handled = key in steps or key in (Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Escape)
        if not handled:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()          # keep these keys from menu shortcuts while presenting
            return True
        if key == Qt.Key.Key_Escape:
            self.leave()
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.order) - 1)
        else:
            self.go(self.index + steps[key])
        return True

    # -------------------------------------------------------------- leaving

    def leave(self) -> None:
        """Leave presentation mode and restore the window exactly as it was."""
        if not self.active:
            return
        self.active = False
        w = self.window
        QApplication.instance().removeEventFilter(self)
        try:
            w.document_changed.disconnect(self.leave)
        except (RuntimeError, TypeError):
            pass
        self._clear_marks()
        self._focus_notes(None)
        if self._caption is not None:
            self._caption.hide()
            self._caption.deleteLater()
            self._caption = None
        saved = self._saved
        before = saved["window_state"]
        if before & Qt.WindowState.WindowFullScreen:
            w.showFullScreen()
        elif before & Qt.WindowState.WindowMaximized:
            w.showMaximized()
        else:
            w.showNormal()
            # setGeometry, not restoreGeometry: the latter squeezes a window larger
            # than the screen, and the window must come back exactly as it was
            w.setGeometry(saved["rect"])
        w.restoreState(saved["state"])
        w.menuBar().setVisible(saved["menubar"])
        w.statusBar().setVisible(saved["statusbar"])
        view = w.view
        if view is not None:
            view.setInteractive(saved["interactive"])
            view.setSceneRect(saved["scene_rect"] if saved["scene_rect"] is not None
                              else QRectF())
            view.setTransform(saved["transform"])
            view._zoomed()          # tell the zoom label and level of detail
            view.setHorizontalScrollBarPolicy(saved["scrollbars"][0])
            view.setVerticalScrollBarPolicy(saved["scrollbars"][1])
            if saved["minimap"]:
                view.minimap.show()
            h, v = saved["scroll"]
            view.horizontalScrollBar().setValue(h)
            view.verticalScrollBar().setValue(v)
            if w.scene is not None:
                w.scene.select_ids(saved["selection"])
