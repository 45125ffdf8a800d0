"""Renaming a step re-points the scenario changes that name it, as one undo step.

A scenario change names a step (``step: prehab``) or a transition by its two step
ids (``transition: sdm->prehab``); after a rename the simulation must still find
them, and undo must put back exactly the changes the rename moved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from canvas_support import sample_pathway
from designer.graph.io import save_pathway
from designer.graph.model import Pathway, Scenario
from designer.ui.commands import RenameStepCommand
from window_support import make_window, settings  # noqa: F401 (fixtures)


def _with_scenarios() -> Pathway:
    pathway = sample_pathway()
    pathway.add_scenario(Scenario.model_validate({
        "id": "faster", "name": "Faster prehab", "changes": [
            {"step": "prehab", "duration_days": 21},
            {"transition": "sdm->prehab", "probability": 0.7},
            {"transition": "prehab->surgery", "wait_days": 2},
            {"step": "preassess", "capacity": 3},
        ]}))
    pathway.add_scenario(Scenario.model_validate({
        "id": "other", "name": "Other", "changes": [{"step": "surgery", "capacity": 2}]}))
    return pathway


def _changes(pathway: Pathway) -> list[tuple[str, str]]:
    return [(c.kind, c.target) for s in pathway.scenarios for c in s.changes]


def test_rename_re_points_scenario_changes_and_undo_restores(qapp):
    pathway = _with_scenarios()
    before = pathway.model_dump()
    stack = QUndoStack()
    stack.push(RenameStepCommand(pathway, "prehab", "prehab-gym"))
    assert stack.count() == 1
    assert _changes(pathway) == [
        ("step", "prehab-gym"), ("transition", "sdm->prehab-gym"),
        ("transition", "prehab-gym->surgery"), ("step", "preassess"), ("step", "surgery")]
    # the values travel with the change
    assert pathway.scenario("faster").changes[0].duration_days == 21
    stack.undo()
    assert pathway.model_dump() == before
    stack.redo()
    assert _changes(pathway)[0] == ("step", "prehab-gym")


def test_undo_leaves_a_change_that_named_the_new_id_before(qapp):
    # a change naming "gym" (no such step yet) is not the rename's: undo keeps it
    pathway = _with_scenarios()
    pathway.add_scenario_change("other", {"step": "gym", "capacity": 4})
    before = pathway.model_dump()
    stack = QUndoStack()
    stack.push(RenameStepCommand(pathway, "surgery", "gym-surgery"))
    stack.push(RenameStepCommand(pathway, "prehab", "gym"))
    assert _changes(pathway)[-2:] == [("step", "gym-surgery"), ("step", "gym")]
    stack.undo()
    stack.undo()
    assert pathway.model_dump() == before


def test_typing_a_new_id_in_the_properties_panel_renames_scenario_changes(
        make_window, tmp_path, qtbot):
    path = tmp_path / "scenarios.yaml"
    save_pathway(_with_scenarios(), path)
    window = make_window(path=path)
    pathway = window.document.pathway
    before = pathway.model_dump()
    window.scene.select_ids(["prehab"])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.step_page
                    and dock.step_page.key == "prehab")
    field = dock.step_page.step_id.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "prehab-gym")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pathway.step("prehab-gym") is not None)
    assert window.document.undo_stack.count() == 1
    assert ("transition", "sdm->prehab-gym") in _changes(pathway)
    assert ("step", "prehab-gym") in _changes(pathway)
    window.document.undo_stack.undo()
    assert pathway.model_dump() == before
