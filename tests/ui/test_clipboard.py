"""Cut, copy and paste as YAML text (also between two windows), duplicate, select all, find."""

from __future__ import annotations

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from window_support import (  # noqa: F401 (fixtures)
    activate, make_window, sample_file, settings,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def test_copy_in_one_window_and_paste_in_another(make_window, sample_file, qtbot):
    source = make_window(path=sample_file)
    source.scene.select_ids(["preassess", "fit", "optimise"])
    qtbot.keyClick(source.view, Qt.Key.Key_C, CTRL)
    text = QApplication.clipboard().text()
    fragment = yaml.safe_load(text)
    assert [s["id"] for s in fragment["steps"]] == ["preassess", "fit", "optimise"]
    assert {(t["from"], t["to"]) for t in fragment["transitions"]} == {
        ("preassess", "fit"), ("fit", "optimise"), ("optimise", "preassess")}

    target = make_window()  # a new pathway: its lanes are home, gp, hub, hospital...
    activate(qtbot, target)
    steps_before = len(target.document.pathway.steps)
    qtbot.keyClick(target.view, Qt.Key.Key_V, CTRL)
    pathway = target.document.pathway
    assert len(pathway.steps) == steps_before + 3
    assert pathway.step("fit").name == "Fit for surgery?"
    assert pathway.transition("fit->optimise").condition == "needs optimisation"
    assert pathway.transition("fit->optimise").handoff.information == ["HbA1c"]
    assert target.scene.selected_ids() == ["preassess", "fit", "optimise"]
    # one paste is one undo step
    target.document.undo_stack.undo()
    assert len(target.document.pathway.steps) == steps_before


def test_paste_into_the_same_pathway_gives_fresh_ids_and_shifts_positions(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["prehab"])
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL)
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL)
    pathway = window.document.pathway
    copy = pathway.step("prehab-2")
    assert copy is not None and copy.name == "Prehabilitation programme (copy)"
    original = pathway.step("prehab")
    assert copy.position != original.position
    assert window.scene.selected_ids() == ["prehab-2"]

    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL)  # duplicate the selected copy
    assert len(pathway.steps) == 11
    (third,) = window.scene.selected_ids()
    assert third not in ("prehab", "prehab-2")
    assert pathway.step(third).name == "Prehabilitation programme (copy 2)"


def test_cut_removes_and_paste_brings_back(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    before = window.document.pathway.model_dump()
    window.scene.select_ids(["discharge"])
    qtbot.keyClick(window.view, Qt.Key.Key_X, CTRL)
    assert window.document.pathway.step("discharge") is None
    assert window.document.undo_stack.undoText().startswith("Cut")
    window.document.undo_stack.undo()
    assert window.document.pathway.model_dump() == before


def test_paste_of_text_that_is_not_steps_is_refused_with_a_message(make_window, qtbot):
    window = make_window()
    QApplication.clipboard().setText("just some words")
    before = window.document.pathway.model_dump()
    qtbot.keyClick(window.view, Qt.Key.Key_V, CTRL)
    assert window.document.pathway.model_dump() == before
    assert "does not hold pathway steps" in window.statusBar().currentMessage()


def test_select_all_then_find_highlights_and_enter_cycles(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    qtbot.keyClick(window.view, Qt.Key.Key_A, CTRL)
    assert len(window.scene.selected_ids()) == 9 + 10

    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "pre")
    assert bar.matches == ["preassess", "prehab"]
    assert window.scene.item_for("preassess").highlighted
    assert not window.scene.item_for("surgery").highlighted
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.scene.selected_ids() == ["preassess"]
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.scene.selected_ids() == ["prehab"]
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.item_for("prehab").sceneBoundingRect().center())
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.scene.selected_ids() == ["preassess"]
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert not window.scene.item_for("preassess").highlighted
