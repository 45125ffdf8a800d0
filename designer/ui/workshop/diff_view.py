"""The clinical diff, side by side: two read-only canvases and a table of differences.

The reference pathway (another trust's file, or the library exemplar this pathway
was made from) is on the left, this pathway on the right. Steps and transitions
are ringed green when added, red when removed and amber when changed, each with
a word label so the meaning never rests on colour alone. Choosing a row centres
both canvases on it. "Add to board specification…" exports this pathway's
specification with the differences as an appendix.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QGraphicsPathItem, QGraphicsSimpleTextItem,
    QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSplitter, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from designer.graph.diff import ADDED, CHANGED, REMOVED, PathwayDiff, diff_pathways
from designer.graph.model import Pathway
from designer.ui.workshop.overlay import step_rects
from designer.ui.workshop.panel import ask_save_path, with_format

# NHS identity colours: green, red, and orange for "amber" (strong enough on pale lanes)
MARK_COLOURS = {ADDED: "#007f3b", REMOVED: "#d5281b", CHANGED: "#ed8b00"}
MARK_WORDS = {ADDED: "ADDED", REMOVED: "REMOVED", CHANGED: "CHANGED"}
ROW_TINTS = {ADDED: "#dff2e6", REMOVED: "#fbe0de", CHANGED: "#fdebcc"}
MARK_Z = 4000.0
SPEC_FILTERS = {"PDF document (*.pdf)": "pdf", "Word document (*.docx)": "docx",
                "Web page (*.html)": "html", "Markdown (*.md)": "md"}


def fresh_copy(pathway: Pathway) -> Pathway:
    """An independent copy with no listeners (the views must not edit the original)."""
    return Pathway.model_validate(pathway.model_dump())


def step_rect(scene, pathway: Pathway, step_id: str) -> QRectF | None:
    """Where a step is drawn on ``scene`` (None for an unknown id)."""
    if pathway.step(step_id) is None:
        return None
    return step_rects(scene, pathway).get(step_id)


class DiffPane(QWidget):
    """One side: a title and a read-only canvas of a copy of the pathway, with marks."""

    def __init__(self, heading: str, pathway: Pathway, marks: dict[str, str]):
        super().__init__()
        from designer.ui.canvas.scene import PathwayScene
        from designer.ui.canvas.view import PathwayView

        self.pathway = fresh_copy(pathway)
        self.marks = marks
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(heading)
        self.title.setObjectName("diff-pane-title")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold; padding: 2px 4px;")
        layout.addWidget(self.title)
        self._stack = QUndoStack(self)     # never used: the canvas is read-only
        self.scene = PathwayScene(self.pathway, self._stack, self)
        self.view = PathwayView(self.scene)
        self.view.setInteractive(False)
        self.view.setAccessibleName(heading)
        layout.addWidget(self.view, 1)
        self.mark_items: dict[str, list] = {}
        self._draw_marks()

    def _draw_marks(self) -> None:
        font = QFont()
        font.setPointSizeF(10)
        font.setBold(True)
        for key, status in self.marks.items():
            colour = QColor(MARK_COLOURS[status])
            items = []
            if "->" in key:
                edge = self.scene.item_for(key)
                if edge is None or not hasattr(edge, "path"):
                    continue
                path = edge.sceneTransform().map(edge.path())
                item = QGraphicsPathItem(path)
                pen = QPen(colour, 7)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                item.setPen(pen)
                item.setOpacity(0.75)
                anchor = path.pointAtPercent(0.5)
            else:
                rect = step_rect(self.scene, self.pathway, key)
                if rect is None:
                    continue
                outline = QPainterPath()
                outline.addRoundedRect(rect.adjusted(-9, -9, 9, 9), 10, 10)
                item = QGraphicsPathItem(outline)
                item.setPen(QPen(colour, 6))
                fill = QColor(colour)
                fill.setAlpha(40)
                item.setBrush(QBrush(fill))
                anchor = rect.topLeft()
            item.setZValue(MARK_Z)
            item.setToolTip(f"{MARK_WORDS[status].capitalize()}")
            self.scene.addItem(item)
            items.append(item)
            self.mark_items[key] = items
            if "->" in key and status != CHANGED and any(
                    self.marks.get(end) == status for end in key.split("->", 1)):
                continue    # the step's own tag already says it; fewer words, less clutter
            label = QGraphicsSimpleTextItem(MARK_WORDS[status])
            label.setFont(font)
            label.setBrush(QBrush(QColor("#ffffff")))
            box = label.boundingRect().adjusted(-4, -2, 4, 2)
            tag = QGraphicsPathItem()
            tag_path = QPainterPath()
            tag_path.addRoundedRect(box, 4, 4)
            tag.setPath(tag_path)
            tag.setBrush(QBrush(colour))
            tag.setPen(QPen(Qt.PenStyle.NoPen))
            tag.setZValue(MARK_Z + 1)
            label.setParentItem(tag)
            tag.setPos(anchor.x() - 6, anchor.y() - box.height() - 8)
            self.scene.addItem(tag)
            items.append(tag)
            self.mark_items[key] = items

    def centre_on(self, key: str | None) -> None:
        if not key:
            return
        if "->" in key:
            a, _b = key.split("->", 1)
            edge = self.scene.item_for(key)
            if edge is not None:
                self.view.centerOn(edge.sceneBoundingRect().center())
                return
            key = a
        rect = step_rect(self.scene, self.pathway, key)
        if rect is not None:
            self.view.centerOn(rect.center())


class DiffWindow(QDialog):
    """Side-by-side comparison of a reference pathway (left) with this one (right)."""

    def __init__(self, parent: QWidget | None, reference: Pathway, current: Pathway,
                 reference_name: str, note: str = "", report=None,
                 folder: str | Path | None = None):
        super().__init__(parent)
        self.folder = Path(folder) if folder else Path.home()
        self.setObjectName("diff-window")
        self.setWindowTitle(f"Compare with the {reference_name}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1600, 1000)
        self.current = current
        self.report = report
        self.diff: PathwayDiff = diff_pathways(reference, current)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("diff-summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 24pt; font-weight: bold; color: #212b32;")
        self.summary.setText(self.diff.summary())
        layout.addWidget(self.summary)
        legend = QLabel(
            "".join(f"<span style='background:{MARK_COLOURS[s]}; color:white; "
                    f"font-weight:bold'>&nbsp;{MARK_WORDS[s]}&nbsp;</span>&nbsp;&nbsp;"
                    for s in (ADDED, REMOVED, CHANGED))
            + (f"&nbsp;&nbsp;{note}" if note else ""))
        legend.setStyleSheet("font-size: 14pt;")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        a, b = reference, current
        self.left = DiffPane(f"Before ({reference_name}): {a.title}, version {a.version}",
                             reference, self.diff.marks_a())
        self.right = DiffPane(f"After (this pathway): {b.title}, version {b.version}",
                              current, self.diff.marks_b())
        # pathways run left to right in time, so the two canvases sit one above the
        # other at full width, scrolling together; "Side by side" swaps that
        self.canvases = QSplitter(Qt.Orientation.Vertical)
        self.canvases.addWidget(self.left)
        self.canvases.addWidget(self.right)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(self.canvases)
        vertical.addWidget(self._make_table())
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        vertical.setSizes([680, 250])
        layout.addWidget(vertical, 1)
        self._syncing = False
        for one, other in ((self.left, self.right), (self.right, self.left)):
            one.view.horizontalScrollBar().valueChanged.connect(
                lambda value, other=other: self._sync_scroll(other, value))
        buttons = QHBoxLayout()
        self.layout_button = QPushButton("Side by side")
        self.layout_button.setCheckable(True)
        self.layout_button.setToolTip("Show the two canvases side by side or one above "
                                      "the other")
        self.layout_button.toggled.connect(self._side_by_side)
        buttons.addWidget(self.layout_button)
        self.spec_button = QPushButton("Add to &board specification…")
        self.spec_button.setToolTip("Export this pathway's board specification with these "
                                    "differences as an appendix")
        close = QPushButton("Close")
        buttons.addStretch(1)
        buttons.addWidget(self.spec_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.spec_button.clicked.connect(lambda _checked=False: self.export_spec())
        close.clicked.connect(self.close)
        self._fitted = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            # after the first layout, when the views know their size
            QTimer.singleShot(0, self.fit_both)

    READABLE_ZOOM = 0.85      # step names stay legible on a projector

    def fit_both(self) -> None:
        """Zoom both canvases to a readable size and show the first difference."""
        for pane in (self.left, self.right):
            view = pane.view
            view.fit_all()
            if view.zoom() < self.READABLE_ZOOM:
                view.set_zoom(self.READABLE_ZOOM)
        first = next((r for r, c in enumerate(self.diff.changes) if c.a_key or c.b_key),
                     None)
        if first is not None:
            self.table.selectRow(first)

    def _sync_scroll(self, other: DiffPane, value: int) -> None:
        if self._syncing or self.layout_button.isChecked():
            return
        self._syncing = True
        try:
            other.view.horizontalScrollBar().setValue(value)
        finally:
            self._syncing = False

    def _side_by_side(self, on: bool) -> None:
        self.canvases.setOrientation(Qt.Orientation.Horizontal if on
                                     else Qt.Orientation.Vertical)
        self.layout_button.setText("One above the other" if on else "Side by side")

    def _make_table(self) -> QTableWidget:
        rows = self.diff.rows()
        table = QTableWidget(len(rows), 5)
        table.setObjectName("diff-table")
        table.setAccessibleName("Differences")
        table.setHorizontalHeaderLabels(["Change", "Subject", "Field", "Before", "After"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.setStyleSheet("font-size: 15pt;")
        for r, (row, change) in enumerate(zip(rows, self.diff.changes)):
            for c, key in enumerate(("change", "subject", "field", "old", "new")):
                item = QTableWidgetItem(row[key])
                item.setBackground(QBrush(QColor(ROW_TINTS[change.change])))
                item.setToolTip(row[key])
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        table.resizeColumnsToContents()
        table.setColumnWidth(1, min(table.columnWidth(1), 460))
        table.setColumnWidth(2, min(table.columnWidth(2), 280))
        for c in (3, 4):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(self._on_row)
        self.table = table
        return table

    def _on_row(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        change = self.diff.changes[rows[0].row()]
        self.left.centre_on(change.a_key)
        self.right.centre_on(change.b_key)

    def export_spec(self, path: str | None = None, fmt: str | None = None) -> Path | None:
        """Write the board specification with the diff appendix (asks where when no path)."""
        from designer.export.spec import ExportError, export_spec

        if path is None:
            asked = ask_save_path(self, "Board specification with differences",
                                  self.folder / f"{self.current.id}-specification.pdf",
                                  SPEC_FILTERS)
            if asked is None:
                return None
            path, fmt = asked
        path, fmt = with_format(path, fmt, "pdf")
        try:
            written = export_spec(self.current, fmt, path, report=self.report, diff=self.diff)
        except (ExportError, ValueError, OSError) as exc:
            QMessageBox.warning(self, "Board specification not written", str(exc))
            return None
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(f"Board specification written to {written}", 8000)
        return Path(written)
