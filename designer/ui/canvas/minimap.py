"""An overview map in the corner of the canvas: lanes, steps and the visible area.

It paints a simplified picture itself (coloured bands and blocks) rather than
rendering the scene again, so it stays cheap on pathways of thousands of steps.
Click or drag in it to move the main view there.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from designer.render import style
from designer.ui.canvas.items.steps import HC_INK, HC_PAPER, HC_SELECTED

WIDTH, MAX_HEIGHT, MARGIN = 220, 150, 12


class MiniMap(QWidget):
    """Overview of the whole scene for a :class:`~designer.ui.canvas.view.PathwayView`."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.setAccessibleName("Overview map")
        self.setToolTip("Overview: click or drag to move around the pathway")
        self.setCursor(Qt.PointingHandCursor)
        self._pending = False
        self._picture: QPixmap | None = None     # the scene part, redrawn after changes
        self._drawn = None     # what the picture was drawn from (see _drawn_key)
        self.enabled_by_user = True
        scene = view.scene()
        if scene is not None:
            scene.content_changed.connect(self._scene_changed)
            scene.sceneRectChanged.connect(lambda _r: self.reposition())
        self.reposition()

    # ------------------------------------------------------------ placement
    def refresh_visibility(self) -> None:
        """Shown only while part of the pathway is out of sight."""
        scene = self.view.scene()
        if scene is None:
            self.hide()
            return
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        whole = scene.sceneRect()
        # Worth showing only when a good part of the pathway is out of sight.
        hidden = (whole.width() > visible.width() * 1.15
                  or whole.height() > visible.height() * 1.15)
        self.setVisible(self.enabled_by_user and hidden)
        self.update()

    def _geometry(self) -> tuple[QRectF, float]:
        rect = self.view.scene().sceneRect() if self.view.scene() else QRectF(0, 0, 1, 1)
        scale = min(WIDTH / max(rect.width(), 1.0), MAX_HEIGHT / max(rect.height(), 1.0))
        return rect, scale

    def reposition(self) -> None:
        rect, scale = self._geometry()
        w, h = max(60, int(rect.width() * scale) + 2), max(30, int(rect.height() * scale) + 2)
        if (w, h) != (self.width(), self.height()):
            self._picture = None
        self.resize(w, h)
        area = self.view.viewport().geometry()
        self.move(area.right() - w - MARGIN, area.bottom() - h - MARGIN)
        self.refresh_visibility()

    def _scene_changed(self, _regions=None) -> None:
        # Many changes arrive per edit; one repaint a moment later covers them all.
        if not self._pending:
            self._pending = True
            QTimer.singleShot(400, self._refresh)

    def _refresh(self) -> None:
        self._pending = False
        if getattr(self.view.scene(), "dragging", False):
            # Redrawing thousands of blocks mid-drag would stutter the drag: wait.
            self._scene_changed(None)
            return
        drawn = self._drawn
        if self._picture is not None and drawn is not None and drawn[1] is not None \
                and drawn == self._drawn_key():
            # nothing the map draws changed (a duration, a name, an arrow): redrawing
            # every block of a 2,000-step pathway took the GUI thread ~10 ms per edit
            return
        self._picture = None
        self.update()

    def _drawn_key(self) -> tuple:
        scene = self.view.scene()
        rect, _scale = self._geometry()
        return (id(scene), getattr(scene, "map_revision", None), rect.getRect(),
                self._contrast(), self.size().toTuple())

    # -------------------------------------------------------------- painting
    def _contrast(self) -> bool:
        """High contrast, as the canvas has it (View > High Contrast)."""
        return bool(getattr(self.view.scene(), "high_contrast", False))

    def _draw_scene(self) -> QPixmap:
        """Lanes and steps at map scale (only after the scene changed)."""
        scene = self.view.scene()
        rect, scale = self._geometry()
        contrast = self._contrast()
        picture = QPixmap(self.size())
        picture.fill(QColor(HC_PAPER if contrast else "#ffffff"))
        p = QPainter(picture)
        p.translate(1, 1)
        p.scale(scale, scale)
        p.translate(-rect.left(), -rect.top())
        pathway = scene.pathway
        if contrast:
            # black lanes parted by white lines, as the canvas draws them
            rule = QPen(QColor(HC_INK), 0)
            rule.setCosmetic(True)
            p.setPen(rule)
            for band in scene.bands()[1:]:
                p.drawLine(QPointF(rect.left(), band.top), QPointF(rect.right(), band.top))
        else:
            for band in scene.bands():
                setting = pathway.setting(band.setting_id)
                head = style.lane_colours(setting.kind)[1] if setting else "#e0e0e0"
                p.fillRect(QRectF(rect.left(), band.top, rect.width(), band.height),
                           QColor(head))
        ink = QColor(HC_INK if contrast else style.STEP_BORDER)
        sizes: dict = {}                 # one size per kind (thousands of steps)
        blocks = []
        for item in scene.step_items().values():
            kind = item.kind
            size = sizes.get(kind)
            if size is None:
                size = sizes[kind] = item.size()
            w, h = size
            pos = item.pos()
            blocks.append(QRectF(pos.x() - w / 2, pos.y() - h / 2, w, h))
        # all blocks in one call (a call per block was most of the ~10 ms at 2,000)
        p.setPen(Qt.NoPen)
        p.setBrush(ink)
        p.drawRects(blocks)
        p.end()
        return picture

    def paintEvent(self, _event) -> None:
        if self.view.scene() is None:
            return
        if self._picture is None or self._picture.size() != self.size():
            self._picture = self._draw_scene()
            self._drawn = self._drawn_key()
        rect, scale = self._geometry()
        p = QPainter(self)
        p.drawPixmap(0, 0, self._picture)
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        frame = QRectF(1 + (visible.left() - rect.left()) * scale,
                       1 + (visible.top() - rect.top()) * scale,
                       visible.width() * scale, visible.height() * scale)
        contrast = self._contrast()
        if contrast:   # the visible area in the selection yellow, the edge in white
            p.setPen(QPen(QColor(HC_SELECTED), 2))
            p.setBrush(Qt.NoBrush)
        else:
            p.setPen(QPen(QColor(style.SELECTED_BORDER), 1.5))
            p.setBrush(QColor(0, 94, 184, 40))
        p.drawRect(frame.intersected(QRectF(self.rect()).adjusted(0, 0, -1, -1)))
        p.setPen(QPen(QColor(HC_INK if contrast else "#90a4ae"), 1))
        p.setBrush(Qt.NoBrush)
        p.drawRect(QRectF(self.rect()).adjusted(0, 0, -1, -1))
        p.end()

    # ----------------------------------------------------------------- mouse
    def _centre_view(self, pos: QPointF) -> None:
        rect, scale = self._geometry()
        self.view.centerOn(QPointF(rect.left() + (pos.x() - 1) / scale,
                                   rect.top() + (pos.y() - 1) / scale))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self._centre_view(event.position())
            event.accept()

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton:
            self._centre_view(event.position())
            event.accept()
