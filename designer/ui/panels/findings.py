"""The Findings panel: live validation results, grouped by severity then rule pack.

The pathway is checked again shortly after each edit (one short timer, restarted
by every model event, so a burst of edits costs one validation and nothing runs
inside painting). Clicking a finding selects and centres what it is about; a
finding can be waived with a reason, which is an ordinary undoable edit.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QDockWidget, QHBoxLayout, QHeaderView, QLabel,
    QPlainTextEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from designer.render import style
from designer.graph.rules import RULES
from designer.graph.validate import SEVERITY_HEADINGS

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

SEVERITY_ORDER = ("error", "warning", "info")
# the canvas and exported diagrams use the same colours for the same severities
SEVERITY_COLOURS = {**style.SEVERITY_COLOURS, "waived": "#78909c"}
PACK_TITLES = {"core": "Core checks", "perioperative": "Perioperative",
               "diabetes": "Diabetes"}
REVALIDATE_DELAY_MS = 120
_ROLE = Qt.ItemDataRole.UserRole


def severity_icon(severity: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(SEVERITY_COLOURS.get(severity, "#78909c")))
    painter.drawEllipse(2, 2, 10, 10)
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


class FindingsDock(QDockWidget):
    """The Findings panel of ``window``."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__("Findings", window)
        self.setObjectName("findings-dock")
        self.setAccessibleName("Findings")
        self.window_ = window
        self._pathway = None
        self._pending = False
        self._entries: list[tuple[object, bool]] = []

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tree = QTreeWidget(body)
        self.tree.setObjectName("findings-tree")
        self.tree.setAccessibleName("Findings list")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Finding", "Where"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(1, 200)
        self.tree.itemClicked.connect(self._on_item_activated)
        self.tree.itemActivated.connect(self._on_item_activated)
        self.tree.currentItemChanged.connect(self._update_buttons)
        layout.addWidget(self.tree, 1)
        self.detail = QLabel("")
        self.detail.setObjectName("finding-detail")
        self.detail.setAccessibleName("Selected finding in full")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()
        layout.addWidget(self.detail)

        row = QHBoxLayout()
        self.summary = QLabel("")
        self.summary.setAccessibleName("Findings count")
        row.addWidget(self.summary, 1)
        self.waive_button = QPushButton("Waive…")
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

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REVALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._run_if_pending)
        window.document_changed.connect(self._rebind)
        self._update_buttons()

    # -------------------------------------------------------------- validation

    def _rebind(self) -> None:
        if self._pathway is not None:
            self._pathway.unsubscribe(self._on_model_event)
        self._pathway = self.window_.document.pathway
        self._pathway.subscribe(self._on_model_event)
        # checked just after the window appears, so opening a file is never held up
        self._pending = True
        self._timer.start(REVALIDATE_DELAY_MS)  # after the window's first paint

    def _on_model_event(self, _event) -> None:
        self._pending = True
        self._timer.start(REVALIDATE_DELAY_MS)

    def _run_if_pending(self) -> None:
        if self._pending:
            self.revalidate_now()

    def revalidate_now(self) -> None:
        """Check the pathway now and show the result everywhere."""
        from designer.graph.validate import validate

        self._pending = False
        self._timer.stop()
        try:
            report = validate(self.window_.document.pathway)
        except Exception:  # a faulty rule must not interrupt editing after every keystroke
            logging.getLogger("designer").exception("validation failed")
            self.summary.setText("The checks could not run; see the log file.")
            return
        self._show(report)
        scene = self.window_.scene
        if scene is not None:
            scene.set_findings(report)
        self.window_.set_findings(report)

    # ----------------------------------------------------------------- display

    def _where(self, targets) -> str:
        pathway = self.window_.document.pathway
        return "; ".join(pathway.target_name(t) for t in targets) or "Whole pathway"

    def _show(self, report) -> None:
        tree = self.tree
        selected = self._current_finding()
        tree.setUpdatesEnabled(False)
        tree.clear()
        self._entries.clear()
        groups = [(sev, [f for f in report.findings if f.severity == sev], False)
                  for sev in SEVERITY_ORDER]
        groups.append(("waived", list(report.waived), True))
        reselect = None
        for severity, findings, waived in groups:
            if not findings:
                continue
            title = "Waived" if waived else SEVERITY_HEADINGS[severity]
            top = QTreeWidgetItem(tree, [f"{title} ({len(findings)})", ""])
            top.setIcon(0, severity_icon(severity))
            top.setFirstColumnSpanned(True)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            packs: dict[str, QTreeWidgetItem] = {}
            for finding in findings:
                pack = finding.pack or "core"
                if pack not in packs:
                    packs[pack] = QTreeWidgetItem(top, [PACK_TITLES.get(pack, pack.title()), ""])
                    packs[pack].setFirstColumnSpanned(True)
                text = finding.message
                if waived and finding.waived_reason:
                    text += f" — waived: {finding.waived_reason}"
                leaf = QTreeWidgetItem(packs[pack], [text, self._where(finding.targets)])
                leaf.setIcon(0, severity_icon("waived" if waived else finding.severity))
                leaf.setToolTip(0, f"{finding.title}\n\n{finding.message}\n\nRule: "
                                   f"{finding.rule} ({PACK_TITLES.get(pack, pack)})")
                leaf.setToolTip(1, self._where(finding.targets))
                leaf.setData(0, _ROLE, len(self._entries))
                self._entries.append((finding, waived))
                if selected is not None and _same(selected, finding):
                    reselect = leaf
            top.setExpanded(severity != "waived" and severity != "info" or len(findings) < 6)
            for pack_item in packs.values():
                pack_item.setExpanded(True)
        if not report.findings and not report.waived:
            QTreeWidgetItem(tree, ["No findings: every check passed.", ""])
        tree.setUpdatesEnabled(True)
        if reselect is not None:
            tree.setCurrentItem(reselect)
        s = report.summary
        self.summary.setText(f"{s.get('error', 0)} errors, {s.get('warning', 0)} warnings, "
                             f"{s.get('info', 0)} information, {len(report.waived)} waived")
        self._update_buttons()

    def leaf_items(self) -> list[QTreeWidgetItem]:
        """Every finding row, top to bottom (for tests and keyboard navigation)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                pack = top.child(j)
                out.extend(pack.child(k) for k in range(pack.childCount()))
        return out

    def finding_of(self, item: QTreeWidgetItem | None):
        if item is None:
            return None
        index = item.data(0, _ROLE)
        if not isinstance(index, int) or not 0 <= index < len(self._entries):
            return None
        return self._entries[index]

    def _current_finding(self):
        entry = self.finding_of(self.tree.currentItem())
        return entry[0] if entry else None

    def _update_buttons(self, *_args) -> None:
        entry = self.finding_of(self.tree.currentItem())
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
            meta += f" · source: {html.escape(source)}"
        parts.append(f"<span style='color:#4c6272'>{meta}</span>")
        self.detail.setText("<br>".join(parts))
        self.detail.show()

    # ------------------------------------------------------------------ actions

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entry = self.finding_of(item)
        if not entry:
            return
        targets = [t for t in entry[0].targets if self._exists(t)]
        if not targets:
            return
        scene, view = self.window_.scene, self.window_.view
        scene.select_ids(targets)
        first = targets[0]
        if "->" in first and self.window_.document.pathway.step(first) is None:
            first = first.partition("->")[0]
        view.centre_on_id(first)

    def _exists(self, target: str) -> bool:
        pathway = self.window_.document.pathway
        return pathway.step(target) is not None or pathway.transition(target) is not None

    def waive_selected(self, reason: str | None = None) -> bool:
        """Waive the current finding (asks for the reason unless given)."""
        from designer.graph.model import Waiver
        from designer.ui.commands import AddWaiverCommand

        entry = self.finding_of(self.tree.currentItem())
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
            self.window_.statusBar().showMessage("A waiver needs a reason.", 6000)
            return False
        return self.window_.push(AddWaiverCommand, waiver)

    def unwaive_selected(self) -> bool:
        from designer.ui.commands import RemoveWaiverCommand

        entry = self.finding_of(self.tree.currentItem())
        if not entry or not entry[1]:
            return False
        finding = entry[0]
        pathway = self.window_.document.pathway
        for waiver in pathway.waivers:
            if waiver.rule == finding.rule and (waiver.target is None
                                                or waiver.target in finding.targets):
                return self.window_.push(RemoveWaiverCommand, waiver.rule, waiver.target)
        return False


def _same(a, b) -> bool:
    return a.rule == b.rule and tuple(a.targets) == tuple(b.targets)
