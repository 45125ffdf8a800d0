"""The Findings panel: live validation results, grouped by severity then rule pack.

The panel shows what :class:`~designer.ui.editing.live_checks.LiveChecks` found
(checked off the GUI thread shortly after each edit). The rows come from a
:class:`FindingsModel` that is reset once per result: the step names come from
one id->name map per result and the severity icons are drawn once. Clicking a
finding selects and centres what it is about; a finding can be waived with a
reason, which is an ordinary undoable edit.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QDockWidget, QHBoxLayout, QHeaderView,
    QLabel, QPlainTextEdit, QPushButton, QTreeView, QVBoxLayout, QWidget,
)

from designer.render import style
from designer.ui import colours
from designer.graph.rules import RULES
from designer.graph.validate import SEVERITY_HEADINGS

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext
    from designer.ui.editing.live_checks import CheckResult

SEVERITY_ORDER = ("error", "warning", "info")
# the canvas and exported diagrams use the same colours for the same severities
SEVERITY_COLOURS = {**style.SEVERITY_COLOURS, "waived": "#78909c"}
PACK_TITLES = {"core": "Core checks", "perioperative": "Perioperative",
               "diabetes": "Diabetes"}
_ROLE = Qt.ItemDataRole.UserRole


@lru_cache(maxsize=None)
def severity_icon(severity: str, dark: bool = False) -> QIcon:
    """A mark whose shape tells the severity, not only its colour: a disc for an
    error, a triangle for a warning, a square for information, a ring when waived.
    On a dark or high-contrast palette (``dark``) every mark is white."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor("#ffffff") if dark else QColor(SEVERITY_COLOURS.get(severity, "#78909c"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    if severity == "warning":
        painter.drawPolygon(QPolygonF([QPointF(7, 1), QPointF(13.5, 12.5),
                                       QPointF(0.5, 12.5)]))
    elif severity == "info":
        painter.drawRect(QRectF(2.5, 2.5, 9, 9))
    elif severity == "error":
        painter.drawEllipse(QRectF(1.5, 1.5, 11, 11))
    else:
        painter.setPen(QPen(colour, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(2.5, 2.5, 9, 9))
    painter.end()
    return QIcon(pixmap)


class WaiveDialog(QDialog):
    """Asks why a finding is accepted; OK stays disabled until a reason is written."""

    def __init__(self, finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Waive finding")
        self.setObjectName("waive-dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{finding.title or finding.rule}</b><br>{finding.message}")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Why is this accepted? The reason is saved in the pathway "
                                "and shown in exported documents."))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for waiving")
        self.reason.setTabChangesFocus(True)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Waive")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(460, 260)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))


_ROOT = -1

#: a rule pack with more findings than this starts closed
OPEN_AT_MOST = 200


class _Node:
    """One row of the findings tree: a severity group, a rule pack or a finding."""

    __slots__ = ("parent", "row", "children", "texts", "icon", "tips", "bold", "entry",
                 "spanned")

    def __init__(self, parent: int, row: int, texts: tuple[str, str], icon=None,
                 tips: tuple[str, str] | None = None, bold: bool = False, entry: int = -1,
                 spanned: bool = False) -> None:
        self.parent = parent
        self.row = row
        self.children: list[int] = []
        self.texts = texts
        self.icon = icon
        self.tips = tips
        self.bold = bold
        self.entry = entry
        self.spanned = spanned


class FindingsTree:
    """The rows of the findings tree, built without Qt (in the live checks' worker).

    Linear in the number of findings: target names come from one id->name map per
    result. Icons are named by severity here and drawn (once each) by the model.
    """

    def __init__(self, report=None, target_name=None) -> None:
        self.nodes: list[_Node] = []
        self.top: list[int] = []
        self.entries: list[tuple[Any, bool]] = []
        self.top_severities: list[str] = []
        self.group_sizes: dict[str, int] = {}
        if report is not None:
            self._build(report, target_name)
        #: everything the rows show and point at: two trees with the same signature
        #: are shown alike, so the panel swaps one for the other without a reset
        self.signature = (
            tuple((n.parent, n.row, n.texts, n.icon, n.tips, n.bold, n.entry, n.spanned)
                  for n in self.nodes),
            tuple((f.rule, tuple(f.targets), f.severity, waived) for f, waived in self.entries))

    def _add(self, parent: int, node_args: tuple, **kw) -> int:
        siblings = self.top if parent == _ROOT else self.nodes[parent].children
        number = len(self.nodes)
        self.nodes.append(_Node(parent, len(siblings), *node_args, **kw))
        siblings.append(number)
        return number

    def _build(self, report, target_name) -> None:
        groups: dict[str, list] = {sev: [] for sev in SEVERITY_ORDER}
        for f in report.findings:
            groups.setdefault(f.severity, []).append(f)
        ordered = [(sev, groups[sev], False) for sev in groups]
        ordered.append(("waived", list(report.waived), True))
        for severity, findings, waived in ordered:
            if not findings:
                continue
            self.group_sizes[severity] = len(findings)
            title = "Waived" if waived else SEVERITY_HEADINGS[severity]
            top = self._add(_ROOT, ((f"{title} ({len(findings)})", ""), severity),
                            bold=True, spanned=True)
            self.top_severities.append(severity)
            packs: dict[str, int] = {}
            for finding in findings:
                pack = finding.pack or "core"
                if pack not in packs:
                    packs[pack] = self._add(top, ((PACK_TITLES.get(pack, pack.title()), ""),),
                                            spanned=True)
                text = finding.message
                if waived and finding.waived_reason:
                    text += f" \u2014 waived: {finding.waived_reason}"
                where = "; ".join(target_name(t) for t in finding.targets) or "Whole pathway"
                tip = (f"{finding.title}\n\n{finding.message}\n\nRule: "
                       f"{finding.rule} ({PACK_TITLES.get(pack, pack)})")
                self._add(packs[pack], ((text, where), "waived" if waived else finding.severity,
                                        (tip, where)), entry=len(self.entries))
                self.entries.append((finding, waived))
            for number in packs.values():   # a pack that starts closed gives its count
                node = self.nodes[number]
                if len(node.children) > OPEN_AT_MOST:
                    node.texts = (f"{node.texts[0]} ({len(node.children):,})", "")
        if not report.findings and not report.waived:
            self._add(_ROOT, (("No findings: every check passed.", ""),))
            self.top_severities.append("")


def prepare_findings(result) -> FindingsTree | None:
    """The live checks' preparer for this panel (runs in the worker; no Qt)."""
    if result.report is None:
        return None
    return FindingsTree(result.report, result.target_name)


class FindingsModel(QAbstractItemModel):
    """Findings grouped by severity (and waived), then rule pack; reset per result."""

    HEADERS = ("Finding", "Where")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._tree = FindingsTree()
        self._bold = QFont()
        self._bold.setBold(True)
        #: the icons are drawn for a dark (high-contrast) palette; set by the dock
        self.dark = False

    @property
    def _nodes(self) -> list[_Node]:
        return self._tree.nodes

    @property
    def _top(self) -> list[int]:
        return self._tree.top

    @property
    def entries(self) -> list[tuple[Any, bool]]:
        return self._tree.entries

    @property
    def top_severities(self) -> list[str]:
        return self._tree.top_severities

    @property
    def group_sizes(self) -> dict[str, int]:
        return self._tree.group_sizes

    def set_tree(self, tree: FindingsTree) -> None:
        self.beginResetModel()
        self._tree = tree
        self.endResetModel()

    def same_rows(self, tree: FindingsTree) -> bool:
        """Whether ``tree`` shows exactly the rows shown now (same texts, same findings)."""
        return tree.signature == self._tree.signature

    def swap_tree(self, tree: FindingsTree) -> None:
        """Take ``tree``, which :meth:`same_rows` says is shown alike, without a reset
        (the view keeps its rows, expansion, selection and scroll position)."""
        self._tree = tree

    def set_result(self, report, target_name) -> None:
        """Show ``report``; ``target_name(target)`` words a step id or "A->B"."""
        self.set_tree(FindingsTree(report, target_name))

    def clear(self) -> None:
        self.set_tree(FindingsTree())

    # ------------------------------------------------------------- model API

    def _node(self, index: QModelIndex) -> _Node | None:
        if not index.isValid():
            return None
        return self._nodes[index.internalId()]

    # index(), parent(), rowCount() and hasChildren() are asked once or twice for
    # every row whenever the tree is laid out (thousands of rows after a delete cuts
    # a big pathway in two): kept to a few attribute look-ups each
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        tree = self._tree
        siblings = (tree.nodes[parent.internalId()].children if parent.isValid()
                    else tree.top)
        if 0 <= row < len(siblings) and 0 <= column < 2:
            return self.createIndex(row, column, siblings[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        nodes = self._tree.nodes
        up = nodes[index.internalId()].parent
        if up == _ROOT:
            return QModelIndex()
        return self.createIndex(nodes[up].row, 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._tree.top)
        if parent.column() != 0:
            return 0
        return len(self._tree.nodes[parent.internalId()].children)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return self.rowCount(parent) > 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 2

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.texts[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and node.icon:
            return severity_icon(node.icon, self.dark)
        if role == Qt.ItemDataRole.ToolTipRole and node.tips is not None:
            return node.tips[column]
        if role == Qt.ItemDataRole.FontRole and node.bold and column == 0:
            return self._bold
        if role == _ROLE and column == 0 and node.entry >= 0:
            return node.entry
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def spanned(self, row: int, parent: QModelIndex) -> bool:
        siblings = self._top if not parent.isValid() else self._nodes[parent.internalId()].children
        return self._nodes[siblings[row]].spanned

    def entry(self, index: QModelIndex):
        """(finding, waived) for a finding row, else None."""
        node = self._node(index)
        if node is None or node.entry < 0:
            return None
        return self.entries[node.entry]

    def leaves(self) -> list[QModelIndex]:
        out = []
        for n, node in enumerate(self._nodes):
            if node.entry >= 0:
                out.append(self.createIndex(node.row, 0, n))
        return out


class FindingsDock(QDockWidget):
    """The Findings panel: observes the live checks of ``context``."""

    def __init__(self, context: "EditorContext", parent: QWidget | None = None) -> None:
        super().__init__("Findings", parent)
        self.setObjectName("findings-dock")
        self.setAccessibleName("Findings")
        self.context = context
        self.model = FindingsModel(self)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeView(body)
        self.tree.setObjectName("findings-tree")
        self.tree.setAccessibleName("Findings list")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(1, 200)
        self.tree.clicked.connect(self._on_item_activated)
        self.tree.activated.connect(self._on_item_activated)
        self.tree.selectionModel().currentChanged.connect(self._update_buttons)
        layout.addWidget(self.tree, 1)
        self.detail = QLabel("")
        self.detail.setObjectName("finding-detail")
        self.detail.setAccessibleName("Selected finding in full")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()
        layout.addWidget(self.detail)
        self._follow_palette()

        row = QHBoxLayout()
        self.summary = QLabel("")
        self.summary.setAccessibleName("Findings count")
        row.addWidget(self.summary, 1)
        self.waive_button = QPushButton("Waive\u2026")
        self.waive_button.setAccessibleName("Waive the selected finding")
        self.waive_button.setToolTip("Accept this finding on purpose, with a reason "
                                     "(undoable)")
        self.waive_button.clicked.connect(lambda: self.waive_selected())
        self.unwaive_button = QPushButton("Withdraw Waiver")
        self.unwaive_button.setAccessibleName("Withdraw the waiver of the selected finding")
        self.unwaive_button.clicked.connect(self.unwaive_selected)
        row.addWidget(self.waive_button)
        row.addWidget(self.unwaive_button)
        layout.addLayout(row)
        self.setWidget(body)

        context.checks.add_preparer("findings", prepare_findings)
        context.checks.checked.connect(self.show_result)
        self._update_buttons()

    # -------------------------------------------------------------- validation

    def _follow_palette(self) -> None:
        dark = colours.dark(self.tree.palette())
        if dark != self.model.dark:
            self.model.dark = dark
            self.tree.viewport().update()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # View > High Contrast (a palette and a style sheet) or a new desktop theme
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._follow_palette()

    def revalidate_now(self) -> None:
        """Check the pathway now and show the result everywhere."""
        self.context.checks.check_now()

    def show_result(self, result: "CheckResult") -> None:
        if result.report is None:
            self.summary.setText("The checks could not run; see the log file.")
            return
        rows = result.prepared.get("findings")
        if rows is None:   # the preparer failed (logged): build the rows here
            rows = FindingsTree(result.report, result.target_name)
        self._show(result.report, rows)

    # ----------------------------------------------------------------- display

    def _show(self, report, rows: FindingsTree) -> None:
        if self.model.same_rows(rows):
            # most edits leave the findings as they were: no reset, no new layout of
            # the tree (thousands of rows after a delete that cuts a big pathway)
            self.model.swap_tree(rows)
            self._show_summary(report)
            return
        tree = self.tree
        selected = self._current_finding()
        tree.setUpdatesEnabled(False)
        self.model.set_tree(rows)
        root = QModelIndex()
        reselect = None
        for row in range(self.model.rowCount(root)):
            top = self.model.index(row, 0, root)
            tree.setFirstColumnSpanned(row, root, True)
            size = self.model.rowCount(top)
            severity = self.model.top_severities[row]
            for p in range(size):
                tree.setFirstColumnSpanned(p, top, True)
                pack = self.model.index(p, 0, top)
                # a rule pack with hundreds of findings starts closed (its heading
                # gives the count): laying out every row held the GUI thread ~25 ms
                # per 2,000 rows, and so many rows are read by opening the pack
                tree.setExpanded(pack, self.model.rowCount(pack) <= OPEN_AT_MOST)
            count = self.model.group_sizes.get(severity, 0)
            tree.setExpanded(top, severity not in ("waived", "info") or count < 6)
        if selected is not None:
            for leaf in self.model.leaves():
                entry = self.model.entry(leaf)
                if entry and _same(selected, entry[0]):
                    reselect = leaf
                    break
        tree.setUpdatesEnabled(True)
        if reselect is not None:
            tree.setCurrentIndex(reselect)
        self._show_summary(report)

    def _show_summary(self, report) -> None:
        s = report.summary
        self.summary.setText(f"{s.get('error', 0)} errors, {s.get('warning', 0)} warnings, "
                             f"{s.get('info', 0)} information, {len(report.waived)} waived")
        self._update_buttons()

    def leaf_items(self) -> list[QModelIndex]:
        """Every finding row, top to bottom (for tests and keyboard navigation)."""
        return self.model.leaves()

    def finding_of(self, index: QModelIndex | QPersistentModelIndex | None):
        if index is None or not index.isValid():
            return None
        return self.model.entry(self.model.index(index.row(), 0, index.parent()))

    def _current_finding(self):
        entry = self.finding_of(self.tree.currentIndex())
        return entry[0] if entry else None

    def _update_buttons(self, *_args) -> None:
        entry = self.finding_of(self.tree.currentIndex())
        self.waive_button.setEnabled(bool(entry) and not entry[1])
        self.unwaive_button.setEnabled(bool(entry) and entry[1])
        self._show_detail(entry)

    def _show_detail(self, entry) -> None:
        """The whole message of the current finding, since the list row may cut it short."""
        if not entry:
            self.detail.hide()
            return
        finding, waived = entry
        rule = RULES.get(finding.rule)
        source = rule.source if rule is not None else ""
        parts = [f"<b>{html.escape(finding.title or finding.rule)}</b>",
                 html.escape(finding.message)]
        if waived and finding.waived_reason:
            parts.append(f"<i>Waived: {html.escape(finding.waived_reason)}</i>")
        meta = f"Rule {html.escape(finding.rule)}"
        if source:
            meta += f" \u00b7 source: {html.escape(source)}"
        parts.append(f"<span style='color:#4c6272'>{meta}</span>")
        self.detail.setText("<br>".join(parts))
        self.detail.show()

    # ------------------------------------------------------------------ actions

    def _on_item_activated(self, index: QModelIndex) -> None:
        entry = self.finding_of(index)
        if not entry:
            return
        targets = [t for t in entry[0].targets if self._exists(t)]
        if not targets:
            return
        scene, view = self.context.scene, self.context.view
        scene.select_ids(targets)
        first = targets[0]
        if "->" in first and self.context.pathway.step(first) is None:
            first = first.partition("->")[0]
        view.centre_on_id(first)

    def _exists(self, target: str) -> bool:
        pathway = self.context.pathway
        return pathway.step(target) is not None or pathway.transition(target) is not None

    def waive_selected(self, reason: str | None = None) -> bool:
        """Waive the current finding (asks for the reason unless given)."""
        from designer.graph.model import Waiver
        from designer.ui.commands import AddWaiverCommand

        entry = self.finding_of(self.tree.currentIndex())
        if not entry or entry[1]:
            return False
        finding = entry[0]
        if reason is None:
            dialog = WaiveDialog(finding, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            reason = dialog.reason.toPlainText().strip()
        target = finding.targets[0] if finding.targets else None
        try:
            waiver = Waiver(rule=finding.rule, target=target, reason=reason)
        except ValueError:
            self.context.editor.refuse("A waiver needs a reason.")
            return False
        return self.context.editor.push(AddWaiverCommand, waiver) is not None

    def unwaive_selected(self) -> bool:
        from designer.ui.commands import RemoveWaiverCommand

        entry = self.finding_of(self.tree.currentIndex())
        if not entry or not entry[1]:
            return False
        finding = entry[0]
        for waiver in self.context.pathway.waivers:
            if waiver.rule == finding.rule and (waiver.target is None
                                                or waiver.target in finding.targets):
                return self.context.editor.push(RemoveWaiverCommand, waiver.rule,
                                                waiver.target) is not None
        return False


def _same(a, b) -> bool:
    return a.rule == b.rule and tuple(a.targets) == tuple(b.targets)
