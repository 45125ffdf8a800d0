"""A missing item is named with the same word by the model and by the undo commands.

The editor calls the swimlanes "lanes" (Lane page, "Lane Properties", "Move to Lane
Above"), so a refusal about a missing one says "lane", never the file's "setting".
"""

from __future__ import annotations

import pytest

from canvas_support import sample_pathway
from designer.graph.model import EditRefused
from designer.ui.commands import (
    MoveSettingCommand,
    MoveStepsCommand,
    RemoveItemsCommand,
    RemoveRoleCommand,
    RemoveScenarioChangeCommand,
    RemoveSettingCommand,
    UpdateRoleCommand,
    UpdateScenarioChangeCommand,
    UpdateSettingCommand,
    UpdateStepCommand,
    UpdateTransitionCommand,
)
from designer.ui.workshop.commands import (
    RemoveNoteCommand, RemovePriorityCommand, UpdateNoteCommand, UpdatePriorityCommand,
)


def _refusal(call) -> str:
    with pytest.raises(EditRefused) as info:
        call()
    return str(info.value)


# (what the model is asked, what the command is asked, the message both must give)
CASES = [
    (lambda p: p.update_setting("moon", name="Moon"),
     lambda p: UpdateSettingCommand(p, "moon", name="Moon"), "there is no lane 'moon'"),
    (lambda p: p.move_setting("moon", 0),
     lambda p: MoveSettingCommand(p, "moon", 0), "there is no lane 'moon'"),
    (lambda p: p.remove_setting("moon"),
     lambda p: RemoveSettingCommand(p, "moon"), "there is no lane 'moon'"),
    (lambda p: p.update_role("ghost", name="Ghost"),
     lambda p: UpdateRoleCommand(p, "ghost", name="Ghost"), "there is no role 'ghost'"),
    (lambda p: p.remove_role("ghost"),
     lambda p: RemoveRoleCommand(p, "ghost"), "there is no role 'ghost'"),
    (lambda p: p.update_step("nowhere", name="X"),
     lambda p: UpdateStepCommand(p, "nowhere", name="X"), "there is no step 'nowhere'"),
    (lambda p: p.update_transition("a->b", label="x"),
     lambda p: UpdateTransitionCommand(p, "a->b", label="x"),
     "there is no transition 'a->b'"),
    (lambda p: p.remove_transition("a->b"),
     lambda p: RemoveItemsCommand(p, (), ["a->b"]), "there is no transition 'a->b'"),
    (lambda p: p.remove_note("n9"), lambda p: RemoveNoteCommand(p, "n9"),
     "there is no note 'n9'"),
    (lambda p: p.update_note("n9", text="x"), lambda p: UpdateNoteCommand(p, "n9", text="x"),
     "there is no note 'n9'"),
    (lambda p: p.remove_priority("p9"), lambda p: RemovePriorityCommand(p, "p9"),
     "there is no priority 'p9'"),
    (lambda p: p.update_priority("p9", title="x"),
     lambda p: UpdatePriorityCommand(p, "p9", title="x"), "there is no priority 'p9'"),
]


@pytest.mark.parametrize("model_call, command_call, expected", CASES)
def test_model_and_command_say_the_same(qapp, model_call, command_call, expected):
    pathway = sample_pathway()
    assert _refusal(lambda: model_call(pathway)) == expected
    assert _refusal(lambda: command_call(pathway)) == expected


def test_a_move_to_a_missing_lane_says_lane(qapp):
    pathway = sample_pathway()
    message = _refusal(lambda: MoveStepsCommand(pathway, {"prehab": ((1.0, 2.0), "moon")}))
    assert message == "there is no lane 'moon'"


@pytest.mark.parametrize("call", [
    lambda p: p.remove_priority("p9"), lambda p: p.update_priority("p9", title="x")])
def test_a_missing_priority_is_spelt_right(qapp, call):
    assert _refusal(lambda: call(sample_pathway())) == "there is no priority 'p9'"


@pytest.mark.parametrize("model_call, command_call", [
    (lambda p: p.update_scenario_change("nope", 0, {"step": "prehab", "capacity": 2}),
     lambda p: UpdateScenarioChangeCommand(p, "nope", 0, {"step": "prehab", "capacity": 2})),
    (lambda p: p.remove_scenario_change("nope", 0),
     lambda p: RemoveScenarioChangeCommand(p, "nope", 0)),
])
def test_a_missing_scenario_is_named_alike(qapp, model_call, command_call):
    pathway = sample_pathway()
    expected = "there is no scenario 'nope'"
    assert _refusal(lambda: model_call(pathway)) == expected
    assert _refusal(lambda: command_call(pathway)) == expected
