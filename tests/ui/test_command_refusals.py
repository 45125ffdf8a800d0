"""A refused edit says the same thing whether the model or an undo command refuses it.

The commands ask the model to check an edit (``Pathway.check_*`` / ``find_*``) before
they are pushed; the model's edit methods run the same checks. So each refusal is
written once and the two can never drift apart.
"""

from __future__ import annotations

import pytest

from canvas_support import sample_pathway
from designer.graph.model import EditRefused, Note, Priority, Transition
from designer.ui.commands import (
    AddRoleCommand, AddSettingCommand, AddStepCommand, AddTransitionCommand,
    MoveSettingCommand, RemoveRoleCommand, RemoveSettingCommand, RenameStepCommand,
    UpdateRoleCommand, UpdateSettingCommand, UpdateStepCommand,
)
from designer.ui.workshop.commands import AddNoteCommand, AddPriorityCommand, RemovePriorityCommand


def refusal(call) -> str:
    with pytest.raises(EditRefused) as info:
        call()
    return str(info.value)


def _cases(p):
    step = p.steps[0]
    lane = next(s for s in p.settings if any(x.setting == s.id for x in p.steps))
    owner = next(r for r in p.roles if any(x.owner == r.id for x in p.steps))
    loop = Transition.model_validate({"from": step.id, "to": step.id})
    existing = p.transitions[0]
    note = Note(id="n1", text="Who rings the patient?")
    priority = Priority(id="p1", title="Text reminders", kind="quick-win")
    p.add_note(note)
    p.add_priority(priority)
    return [
        (lambda: p.add_step(step), lambda: AddStepCommand(p, step)),
        (lambda: p.add_transition(loop), lambda: AddTransitionCommand(p, loop)),
        (lambda: p.add_transition(existing), lambda: AddTransitionCommand(p, existing)),
        (lambda: p.add_setting(lane), lambda: AddSettingCommand(p, lane)),
        (lambda: p.remove_setting(lane.id), lambda: RemoveSettingCommand(p, lane.id)),
        (lambda: p.update_setting(lane.id, id="x"),
         lambda: UpdateSettingCommand(p, lane.id, id="x")),
        (lambda: p.add_role(owner), lambda: AddRoleCommand(p, owner)),
        (lambda: p.remove_role(owner.id), lambda: RemoveRoleCommand(p, owner.id)),
        (lambda: p.update_role(owner.id, id="x"), lambda: UpdateRoleCommand(p, owner.id, id="x")),
        (lambda: p.update_step(step.id, id="x"), lambda: UpdateStepCommand(p, step.id, id="x")),
        (lambda: p.rename_step(step.id, "has space"),
         lambda: RenameStepCommand(p, step.id, "has space")),
        (lambda: p.rename_step(step.id, p.steps[1].id),
         lambda: RenameStepCommand(p, step.id, p.steps[1].id)),
        (lambda: p.update_step("nowhere", name="x"),
         lambda: UpdateStepCommand(p, "nowhere", name="x")),
        (lambda: p.move_setting("nowhere", 0), lambda: MoveSettingCommand(p, "nowhere", 0)),
        (lambda: p.add_note(note), lambda: AddNoteCommand(p, note)),
        (lambda: p.add_priority(priority), lambda: AddPriorityCommand(p, priority)),
        (lambda: p.remove_priority("nowhere"), lambda: RemovePriorityCommand(p, "nowhere")),
    ]


def test_the_model_and_the_command_refuse_in_the_same_words(qapp):
    p = sample_pathway()
    for model_edit, command in _cases(p):
        before = p.model_dump()
        said = refusal(model_edit)
        assert refusal(command) == said
        assert p.model_dump() == before


def test_refusals_name_things_as_people_do(qapp):
    p = sample_pathway()
    assert refusal(lambda: p.move_setting("nowhere", 0)) == "there is no lane 'nowhere'"
    assert refusal(lambda: p.remove_priority("p9")) == "there is no priority 'p9'"
    lane = next(s for s in p.settings if any(x.setting == s.id for x in p.steps))
    assert f"the lane '{lane.name}' still holds" in refusal(lambda: p.remove_setting(lane.id))
    assert "(s)" not in refusal(lambda: p.remove_setting(lane.id))
