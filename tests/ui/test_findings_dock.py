"""The Findings panel: live re-validation, click to select and centre, waive and withdraw."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from window_support import (  # noqa: F401 (fixtures)
    make_window, sample_file, settings,
)


def _leaf(dock, rule, target):
    for item in dock.leaf_items():
        finding, _waived = dock.finding_of(item)
        if finding.rule == rule and target in finding.targets:
            return item
    return None


def _click(tree, item):
    tree.scrollTo(item)
    rect = tree.visualRect(item)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_findings_are_grouped_by_severity_then_pack_with_a_summary(make_window, sample_file,
                                                                   qtbot):
    window = make_window(path=sample_file)
    dock = window.findings_dock
    qtbot.waitUntil(lambda: window.findings_report is not None)
    model = dock.tree.model()
    tops = [model.index(i, 0).data() for i in range(model.rowCount())]
    # the handoffs set no service level (within_days): four notes
    assert tops == ["Errors (4)", "Information (4)", "Waived (1)"]
    assert model.index(0, 0, model.index(0, 0)).data() == "Core checks"
    assert "4 errors, 0 warnings" in window.findings_label.text()


def test_an_edit_revalidates_after_a_short_delay(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    reports = []
    window.findings_updated.connect(reports.append)
    from designer.ui.commands import UpdateTransitionCommand

    window.push(UpdateTransitionCommand, "prehab->surgery",
                {"handoff": {"sender": "physio", "receiver": "surgeon",
                             "information": ["fitness report"], "channel": "email"}})
    window.push(UpdateTransitionCommand, "prehab->surgery", {"wait_days": 2})
    assert reports == []  # nothing runs inside the edit itself
    qtbot.waitUntil(lambda: len(reports) == 1)
    assert reports[0].summary["error"] == 3
    assert _leaf(window.findings_dock, "handoff-missing", "prehab->surgery") is None


def test_clicking_a_finding_selects_and_centres_its_target(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.findings_dock
    qtbot.waitUntil(lambda: window.findings_report is not None)
    window.view.zoom_reset()
    window.view.centre_on_id("referral")
    item = _leaf(dock, "handoff-missing", "optimise->preassess")
    _click(dock.tree, item)
    assert window.scene.selected_ids() == ["optimise->preassess"]
    assert dock.detail.isVisible() and "Rule handoff-missing" in dock.detail.text()
    edge = window.scene.item_for("optimise->preassess")
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(edge.sceneBoundingRect().center())
    dock_ = window.properties_dock
    qtbot.waitUntil(lambda: dock_.current_page is dock_.transition_page)


def test_waive_with_a_reason_is_undoable_and_can_be_withdrawn(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.findings_dock
    qtbot.waitUntil(lambda: window.findings_report is not None)
    _click(dock.tree, _leaf(dock, "handoff-missing", "prehab->surgery"))
    assert dock.waive_button.isEnabled()

    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "waive-dialog":
            QTimer.singleShot(20, answer)
            return
        ok = dialog.buttons.buttons()[0]
        assert not ok.isEnabled()  # no reason yet
        QTest.keyClicks(dialog.reason, "Physio reports by phone at the weekly MDT")
        QTest.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dock.waive_button, Qt.MouseButton.LeftButton)
    waivers = window.document.pathway.waivers
    assert [(w.rule, w.target, w.reason) for w in waivers][-1] == (
        "handoff-missing", "prehab->surgery", "Physio reports by phone at the weekly MDT")
    dock.revalidate_now()
    assert window.findings_report.summary["error"] == 3
    waived = [f for f in window.findings_report.waived if f.rule == "handoff-missing"]
    assert waived and waived[0].waived_reason.startswith("Physio reports")

    window.document.undo_stack.undo()
    dock.revalidate_now()
    assert window.findings_report.summary["error"] == 4

    # withdraw the waiver that came with the file
    item = next(i for i in dock.leaf_items() if dock.finding_of(i)[1])
    _click(dock.tree, item)
    assert dock.unwaive_button.isEnabled()
    qtbot.mouseClick(dock.unwaive_button, Qt.MouseButton.LeftButton)
    assert window.document.pathway.waivers == []
    dock.revalidate_now()
    assert window.findings_report.summary["warning"] == 1
