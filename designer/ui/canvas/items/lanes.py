"""The swimlane item: a band per setting of care, with a pinned header."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from designer.render import style
from designer.render.text import wrap_text
from designer.graph import geometry
from designer.graph.model import Setting
from designer.ui.canvas.items.steps import HC_INK, HC_PAPER, Z_HEADER, Z_LANE, Fonts, text_item
from designer.graph.vocabulary import SETTING_KIND_LABELS


class LaneItem(QGraphicsRectItem):
    """One swimlane: a band across the scene with a header naming the setting.

    The header is a separate item above the steps, so that the view can keep it
    pinned to the left edge while the pathway scrolls beneath it (:meth:`pin`).
    """

    def __init__(self, setting: Setting | None, fonts: Fonts):
        super().__init__()
        self.setting_id = setting.id if setting else geometry.UNPLACED_LANE_ID
        self.fonts = fonts
        self.setZValue(Z_LANE)
        self.setPen(QPen(QColor("#b0bec5"), 1))
        self.setAcceptedMouseButtons(Qt.NoButton)
        self.header = QGraphicsRectItem()
        self.header.setData(0, self.setting_id)      # lets a click name its lane
        self.header.setPen(QPen(QColor("#90a4ae"), 1))
        self.header.setZValue(Z_HEADER)
        self.header.setCursor(Qt.PointingHandCursor)
        self._pinned_x = 0.0
        self._reach = 0.0
        self._width = 0.0
        self._band_height = geometry.LANE_MIN_HEIGHT
        self._texts: list[QGraphicsSimpleTextItem] = []
        self._setting = setting
        self._height = geometry.LANE_MIN_HEIGHT

    def show_setting(self, setting: Setting | None) -> None:
        self._setting = setting
        self._refresh_text()

    def attach(self, scene) -> None:
        scene.addItem(self)
        scene.addItem(self.header)

    def detach(self) -> None:
        scene = self.scene()
        if scene is not None:
            scene.removeItem(self.header)
            scene.removeItem(self)

    def pin(self, x: float) -> None:
        """Keep the header at scene x (the left edge of the view), never left of 0."""
        self._pinned_x = max(0.0, x)
        self.header.setPos(self._pinned_x, self.y())

    def reach(self, right: float) -> None:
        """Draw the band at least as far as scene x ``right`` (the view's right edge)."""
        self._reach = right
        self._resize()

    def _resize(self) -> None:
        width = max(self._width, self._reach)
        if self.rect().width() != width or self.rect().height() != self._band_height:
            self.setRect(QRectF(0, 0, width, self._band_height))

    def set_band(self, top: float, height: float, width: float) -> None:
        """Place the band; text is redrawn only when the height changes (it may wrap)."""
        self.setPos(0, top)
        self.header.setPos(self._pinned_x, top)
        self._width, self._band_height = width, height
        self._resize()
        if self.header.rect().height() != height:
            self.header.setRect(QRectF(0, 0, geometry.LANE_HEADER_WIDTH, height))
        if height != self._height or not self._texts:
            self._height = height
            self._refresh_text()

    def _refresh_text(self) -> None:
        for item in self._texts:
            item.setParentItem(None)
            if item.scene() is not None:
                item.scene().removeItem(item)
        self._texts = []
        setting = self._setting
        if setting is not None:
            fill, head, ink = style.lane_colours(setting.kind)
            name = setting.name
            kind = SETTING_KIND_LABELS.get(setting.kind, "")
            if kind.casefold() in name.casefold():
                kind = ""       # "Hospital / HOSPITAL" says nothing twice
            self.setToolTip(f"{name}\n{kind}" + (f"\n{setting.description}"
                                                 if setting.description else ""))
        else:
            fill, head, ink = "#f7f7f7", "#e0e0e0", style.MUTED_TEXT
            name, kind = "No lane set", "Steps with a missing or unknown setting"
        if self.fonts.contrast:
            fill, head, ink = HC_PAPER, HC_PAPER, HC_INK
        line = QColor(HC_INK if self.fonts.contrast else "#b0bec5")
        self.setPen(QPen(line, 2 if self.fonts.contrast else 1))
        self.header.setPen(QPen(QColor(HC_INK if self.fonts.contrast else "#90a4ae"),
                                2 if self.fonts.contrast else 1))
        self.setBrush(QColor(fill))
        self.header.setBrush(QColor(head))
        f = self.fonts
        inner = geometry.LANE_HEADER_WIDTH - 24
        y = 14.0
        # The header keeps clear of the band's bottom: fewer lines in short lanes.
        room = max(1, int((self.rect().height() - 28 - f.small_m.height() * 2)
                          // f.lane_m.height()))
        for line in wrap_text(name, f.lane_m, inner, min(3, room)):
            item = text_item(self.header, line, f.lane, ink)
            item.setPos(12, y)
            self._texts.append(item)
            y += f.lane_m.height()
        y += 4
        kind_label = kind.upper() if setting is not None else kind
        for line in wrap_text(kind_label, f.small_m, inner, 2) if kind_label else ():
            item = text_item(self.header, line, f.small, ink)
            item.setOpacity(0.8)
            item.setPos(12, y)
            self._texts.append(item)
            y += f.small_m.height()
