"""The model owns each edit's rules and messages; the undo commands ask it first.

A refused edit says the same thing whether it came through a command (the
editor) or straight through the model (scripts, import), and the command's
refusal comes before anything changes.
"""

from __future__ import annotations

import pytest

from designer.graph.model import EditRefused, Note, Priority, Role, Setting, Step, Transition
from designer.ui import commands
from designer.ui.workshop import commands as workshop_commands

from canvas_support import sample_pathway as surgical


def _both(model_edit, make_command):
    """The model's and the command's refusal messages for the same edit."""
    with pytest.raises(EditRefused) as by_command:
        make_command()
    with pytest.raises(EditRefused) as by_model:
        model_edit()
    return str(by_command.value), str(by_model.value)


def _cases(p):
    step = p.steps[0]
    transition = p.transitions[0]
    setting = next(s for s in p.settings if any(x.setting == s.id for x in p.steps))
    role = next(r for r in p.roles if any(x.owner == r.id for x in p.steps))
    other = p.steps[1]
    p.add_note(Note(id="n1", text="a note"))
    p.add_priority(Priority(id="p1", title="a priority"))
    return {
        "step exists": (lambda: p.add_step(step), lambda: commands.AddStepCommand(p, step)),
        "rename onto a step": (lambda: p.rename_step(other.id, step.id),
                               lambda: commands.RenameStepCommand(p, other.id, step.id)),
        "step id as a field": (lambda: p.update_step(step.id, id="x"),
                               lambda: commands.UpdateStepCommand(p, step.id, {"id": "x"})),
        "self loop": (lambda: p.add_transition(Transition(source=step.id, target=step.id)),
                      lambda: commands.AddTransitionCommand(
                          p, Transition(source=step.id, target=step.id))),
        "transition exists": (lambda: p.add_transition(transition),
                              lambda: commands.AddTransitionCommand(p, transition)),
        "lane exists": (lambda: p.add_setting(setting),
                        lambda: commands.AddSettingCommand(p, setting)),
        "lane holds steps": (lambda: p.remove_setting(setting.id),
                             lambda: commands.RemoveSettingCommand(p, setting.id)),
        "lane id": (lambda: p.update_setting(setting.id, id="x"),
                    lambda: commands.UpdateSettingCommand(p, setting.id, {"id": "x"})),
        "role exists": (lambda: p.add_role(role), lambda: commands.AddRoleCommand(p, role)),
        "role owns steps": (lambda: p.remove_role(role.id),
                            lambda: commands.RemoveRoleCommand(p, role.id)),
        "role id": (lambda: p.update_role(role.id, id="x"),
                    lambda: commands.UpdateRoleCommand(p, role.id, {"id": "x"})),
        "note exists": (lambda: p.add_note(Note(id="n1", text="again")),
                        lambda: workshop_commands.AddNoteCommand(p, Note(id="n1", text="again"))),
        "priority exists": (lambda: p.add_priority(Priority(id="p1", title="again")),
                            lambda: workshop_commands.AddPriorityCommand(
                                p, Priority(id="p1", title="again"))),
    }


@pytest.mark.parametrize("case", list(_cases(surgical())))
def test_command_and_model_refuse_with_the_same_message(case):
    p = surgical()
    model_edit, make_command = _cases(p)[case]
    after_setup = p.model_dump()
    by_command, by_model = _both(model_edit, make_command)
    assert by_command == by_model and by_command
    assert p.model_dump() == after_setup   # neither changed anything


def test_the_lane_and_role_messages_name_them_and_count_in_words():
    p = surgical()
    cases = _cases(p)
    by_command, _ = _both(*cases["lane holds steps"])
    setting = next(s for s in p.settings if any(x.setting == s.id for x in p.steps))
    held = sum(1 for x in p.steps if x.setting == setting.id)
    assert f"the lane '{setting.name}' still holds {held} step" in by_command
    assert "step(s)" not in by_command
