"""Property editors for the issue-13 fields, driven by real mouse and keyboard events.

Pathway: cancer pathway, older people, the rule settings table. Step: milestone and
the surgery facts. Transition: parallel. Each edit is one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from designer.graph.model import Milestone, RuleLevel, rule_level, rule_reason
from window_support import make_window, sample_file, settings  # noqa: F401 (fixtures)


def _choose(qtbot, combo, value) -> None:
    """Pick ``value`` in a combo box with the arrow keys (as a keyboard user would)."""
    combo.setFocus()
    target = combo.findData(value)
    assert target >= 0, value
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def _pathway_page(window, qtbot):
    window.scene.select_ids([])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.pathway_page)
    return dock.pathway_page


def _step_page(window, qtbot, step_id):
    window.scene.select_ids([step_id])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.step_page
                    and dock.step_page.key == step_id)
    return dock.step_page


def test_cancer_pathway_and_older_people_with_undo(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _pathway_page(window, qtbot)
    pathway = window.document.pathway
    assert page.cancer_pathway.widget.currentText() == "(not said)"
    _choose(qtbot, page.cancer_pathway.widget, True)
    assert pathway.cancer_pathway is True
    _choose(qtbot, page.older_people.widget, False)
    assert pathway.older_people is False
    stack = window.document.undo_stack
    assert stack.count() == 2
    stack.undo()
    assert pathway.older_people is None
    assert page.older_people.widget.currentText() == "(not said)"
    stack.undo()
    assert pathway.cancer_pathway is None
    stack.redo()
    assert pathway.cancer_pathway is True
    assert page.cancer_pathway.widget.currentText() == "Yes"


def test_rule_settings_add_level_reason_remove_each_undoable(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _pathway_page(window, qtbot)
    editor = page.rule_settings
    pathway = window.document.pathway
    stack = window.document.undo_stack

    _choose(qtbot, editor.chooser, "missing-phase")
    qtbot.mouseClick(editor.add, Qt.MouseButton.LeftButton)
    assert rule_level(pathway.rule_config["missing-phase"]) == RuleLevel.warning  # default
    assert editor.table.rowCount() == 1

    qtbot.mouseClick(editor.add, Qt.MouseButton.LeftButton)   # twice: said, not added
    assert editor.error.isVisible() and "already has a setting" in editor.error.text()
    assert stack.count() == 1

    level = editor.level_box("missing-phase")
    _choose(qtbot, level, RuleLevel.off)
    assert rule_level(pathway.rule_config["missing-phase"]) == RuleLevel.off
    assert not editor.error.isVisible()

    # the reason: double-click the cell, type, press Enter
    table = editor.table
    rect = table.visualRect(table.model().index(0, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.state() == table.State.EditingState)
    qtbot.keyClicks(table.focusWidget(), "clinic pathway: no surgery here")
    qtbot.keyClick(table.focusWidget(), Qt.Key.Key_Return)
    # the delegate commits the typed text on the next turn of the event loop
    qtbot.waitUntil(lambda: rule_reason(pathway.rule_config["missing-phase"])
                    == "clinic pathway: no surgery here")
    assert rule_level(pathway.rule_config["missing-phase"]) == RuleLevel.off
    assert stack.count() == 3

    stack.undo()
    assert rule_reason(pathway.rule_config["missing-phase"]) is None
    assert table.item(0, 2).text() == ""
    stack.redo()
    assert table.item(0, 2).text() == "clinic pathway: no surgery here"

    table.selectRow(0)
    qtbot.mouseClick(editor.remove, Qt.MouseButton.LeftButton)
    assert pathway.rule_config == {}
    assert table.rowCount() == 0
    stack.undo()
    assert rule_level(pathway.rule_config["missing-phase"]) == RuleLevel.off
    assert table.rowCount() == 1
    assert editor.level_box("missing-phase").currentData() == RuleLevel.off


def test_rule_chooser_lists_the_registry(make_window, sample_file, qtbot):
    from designer.graph.rules import catalogue

    window = make_window(path=sample_file)
    chooser = _pathway_page(window, qtbot).rule_settings.chooser
    assert [chooser.itemData(i) for i in range(chooser.count())] == [
        r["id"] for r in catalogue()]


def test_step_milestone_and_surgery_facts(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    page = _step_page(window, qtbot, "surgery")
    pathway = window.document.pathway
    stack = window.document.undo_stack

    _choose(qtbot, page.surgery["major"].widget, True)
    _choose(qtbot, page.surgery["day_case"].widget, False)
    _choose(qtbot, page.surgery["extended_vte_prophylaxis"].widget, True)
    facts = pathway.step("surgery").surgery
    assert (facts.major, facts.day_case, facts.major_blood_loss,
            facts.extended_vte_prophylaxis) == (True, False, None, True)
    assert stack.count() == 3
    stack.undo()
    assert pathway.step("surgery").surgery.extended_vte_prophylaxis is None
    assert page.surgery["extended_vte_prophylaxis"].widget.currentText() == "(not said)"
    stack.redo()
    assert page.surgery["extended_vte_prophylaxis"].widget.currentText() == "Yes"

    # clearing every fact leaves no empty `surgery:` block
    for fact in ("major", "day_case", "extended_vte_prophylaxis"):
        _choose(qtbot, page.surgery[fact].widget, None)
    assert pathway.step("surgery").surgery is None

    page = _step_page(window, qtbot, "referral")
    _choose(qtbot, page.milestone.widget, Milestone.referral)
    assert pathway.step("referral").milestone == Milestone.referral
    stack.undo()
    assert pathway.step("referral").milestone is None
    assert page.milestone.widget.currentText() == "(none)"


def test_transition_parallel(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["sdm->prehab"])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.transition_page)
    page = dock.transition_page
    _choose(qtbot, page.parallel.widget, True)
    assert window.document.pathway.transition("sdm->prehab").parallel is True
    window.document.undo_stack.undo()
    assert window.document.pathway.transition("sdm->prehab").parallel is None
    assert page.parallel.widget.currentIndex() == 0
    window.document.undo_stack.redo()
    assert page.parallel.widget.currentData() is True


def test_refusals_are_shown_and_nothing_changes(make_window, sample_file, qtbot, monkeypatch):
    """A refused edit (here the model is made to refuse) is said in words, like any field."""
    from designer.graph.elements import EditRefused

    window = make_window(path=sample_file)
    pathway = window.document.pathway
    page = _step_page(window, qtbot, "surgery")

    def refuse(*_args, **_kw):
        raise EditRefused("surgery facts are locked in this test")

    monkeypatch.setattr(type(pathway), "check_step_changes", refuse)
    combo = page.surgery["major"].widget
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)       # "(not said)" -> "Yes": refused
    assert pathway.step("surgery").surgery is None
    assert page.surgery["major"].error.isVisible()
    assert "locked in this test" in page.surgery["major"].error.text()
    assert page.surgery["major"].widget.currentText() == "(not said)"   # back to the model
    assert window.document.undo_stack.count() == 0
    monkeypatch.undo()

    editor = _pathway_page(window, qtbot).rule_settings
    monkeypatch.setattr(type(pathway), "checked_header", refuse)
    _choose(qtbot, editor.chooser, "vte-plan")
    qtbot.mouseClick(editor.add, Qt.MouseButton.LeftButton)
    assert pathway.rule_config == {}
    assert editor.table.rowCount() == 0
    assert editor.error.isVisible() and "locked in this test" in editor.error.text()
    assert window.document.undo_stack.count() == 0


def test_step_day_assumed(make_window, sample_file, qtbot):
    """``timing_assumed``: the booklet then gives the step no day count."""
    window = make_window(path=sample_file)
    page = _step_page(window, qtbot, "referral")
    pathway = window.document.pathway
    stack = window.document.undo_stack
    before = stack.count()
    _choose(qtbot, page.timing_assumed.widget, True)
    assert pathway.step("referral").timing_assumed is True
    assert stack.count() == before + 1
    stack.undo()
    assert pathway.step("referral").timing_assumed is None
