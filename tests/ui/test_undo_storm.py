"""Undo storms (issue 10, item 3): random edits of every command kind, undo and redo mixed in.

After every push, undo and redo the saved file (``dump_pathway``, the whole file,
workshop data included) must be exactly the one recorded for that place in the
undo history; at the end, undo-all gives the starting file and redo-all the final
one. The two named defects have their own tests first.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PySide6.QtGui import QUndoStack

from canvas_support import sample_pathway
from designer.graph.io import dump_pathway
from designer.graph.model import (
    EditRefused, Note, Pathway, Priority, Role, Setting, Step, Transition, Vote, Waiver, Workshop,
)
from designer.ui.commands import (
    AddRoleCommand, AddSettingCommand, AddStepCommand, AddTransitionCommand, AddWaiverCommand,
    ApplyLayoutCommand, MoveSettingCommand, MoveStepsCommand, PasteCommand, RemoveItemsCommand,
    RemoveRoleCommand, RemoveSettingCommand, RemoveWaiverCommand, RenameStepCommand,
    UpdateHeaderCommand, UpdateRoleCommand, UpdateSettingCommand, UpdateStepCommand,
    UpdateTransitionCommand,
)
from designer.ui.commands.flow import (
    AddCohortCommand, AddResourceCommand, AddScenarioChangeCommand, AddScenarioCommand,
    RemoveCohortCommand, RemoveResourceCommand, RemoveScenarioChangeCommand,
    RemoveScenarioCommand, UpdateFlowCommand, UpdateResourceCommand,
)
from designer.ui.workshop.commands import (
    AddNoteCommand, AddPriorityCommand, RemoveNoteCommand, RemovePriorityCommand,
    SetVotesCommand, UpdateNoteCommand, UpdatePriorityCommand, UpdateWorkshopCommand,
)


def workshop_pathway() -> Pathway:
    """The canvas sample with notes, priorities, dots and waivers on its steps."""
    p = sample_pathway()
    p.workshop = Workshop(votes_per_participant=6, participants=["Sam", "Alex", "Kim"])
    p.notes = [
        Note(id="n1", text="Letters are slow", category="risk", target="referral"),
        Note(id="n2", text="Who runs this?", category="question", target="surgery"),
        Note(id="n3", text="Join the clinics", target="sdm->prehab"),
        Note(id="n4", text="Free note", position=(100.0, 400.0)),
    ]
    p.priorities = [
        Priority(id="p1", title="Faster referral", steps=["referral", "surgery"]),
        Priority(id="p2", title="Prehab for all", kind="project", steps=["prehab"]),
    ]
    p.votes = [
        Vote(participant="Sam", target="surgery", count=2),
        Vote(participant="Alex", target="p1"),
        Vote(participant="Sam", target="prehab"),
        Vote(participant="Kim", target="surgery", count=3),
        Vote(participant="Alex", target="surgery"),
    ]
    p.waivers = list(p.waivers) + [
        Waiver(rule="dead-end", target="surgery", reason="accepted at the network meeting")]
    return Pathway.model_validate(p.model_dump())


def undo_all(stack: QUndoStack) -> None:
    while stack.canUndo():
        stack.undo()


# ------------------------------------------------------------ the named defects


def test_delete_then_rename_into_the_deleted_id_then_undo_both(qapp):
    """3(a): notes, priorities and dots follow the right step through delete+rename+undo."""
    pathway = workshop_pathway()
    start = dump_pathway(pathway)
    stack = QUndoStack()
    stack.push(RemoveItemsCommand(pathway, ["surgery"]))
    stack.push(RenameStepCommand(pathway, "prehab", "surgery"))
    renamed = pathway.step("surgery")
    assert renamed.name == "Prehabilitation programme"
    # the renamed step has only what was prehab's: nothing of the deleted surgery
    assert [n.id for n in pathway.notes if n.target == "surgery"] == []
    assert [(v.participant, v.count) for v in pathway.votes if v.target == "surgery"] \
        == [("Sam", 1)]
    assert [p.steps for p in pathway.priorities] == [["referral"], ["surgery"]]
    undo_all(stack)
    assert dump_pathway(pathway) == start
    assert next(n for n in pathway.notes if n.id == "n2").target == "surgery"
    assert pathway.priorities[0].steps == ["referral", "surgery"]


def test_undo_of_a_rename_leaves_references_that_named_the_new_id_before(qapp):
    """Only what the rename moved goes back: an older note on the new id stays there."""
    pathway = workshop_pathway()
    pathway.notes.append(Note(id="orphan", text="On a step deleted by hand", target="gone"))
    start = dump_pathway(pathway)
    stack = QUndoStack()
    stack.push(RenameStepCommand(pathway, "prehab", "gone"))
    stack.undo()
    assert dump_pathway(pathway) == start


@pytest.mark.parametrize("take_back", ["all dots", "priority"])
def test_votes_come_back_at_their_place(qapp, take_back):
    """3(b): undo puts dots back where they were in the list, not at its end."""
    pathway = workshop_pathway()
    start = dump_pathway(pathway)
    stack = QUndoStack()
    if take_back == "all dots":
        stack.push(SetVotesCommand(pathway, "Sam", "surgery", 0))
    else:
        stack.push(RemovePriorityCommand(pathway, "p1"))
    stack.undo()
    assert dump_pathway(pathway) == start


def test_deleting_a_step_takes_its_workshop_data_with_it_in_one_undo_step(qapp):
    pathway = workshop_pathway()
    start = dump_pathway(pathway)
    stack = QUndoStack()
    stack.push(RemoveItemsCommand(pathway, ["surgery", "sdm"]))
    assert stack.count() == 1
    targets = [n.target for n in pathway.notes] + [v.target for v in pathway.votes] + \
        [w.target for w in pathway.waivers]
    assert not any(t and ("surgery" in t.split("->") or "sdm" in t.split("->"))
                   for t in targets)
    stack.undo()
    assert dump_pathway(pathway) == start
    stack.redo()
    stack.undo()
    assert dump_pathway(pathway) == start


# --------------------------------------------------------------------- the storm

EXAMPLES = int(os.environ.get("PERIOP_UNDO_STORM_EXAMPLES", "500"))

_KINDS = (
    "add-step", "delete", "move", "nudge", "lane-change", "update-step", "bad-step", "rename",
    "connect", "disconnect", "transition", "header", "layout", "paste",
    "add-lane", "remove-lane", "update-lane", "move-lane",
    "add-role", "remove-role", "update-role", "waive", "unwaive",
    "add-note", "remove-note", "edit-note", "move-note",
    "add-priority", "remove-priority", "update-priority", "vote", "unvote", "workshop",
    "flow", "add-resource", "remove-resource", "update-resource", "add-cohort",
    "remove-cohort", "add-scenario", "remove-scenario", "add-change", "remove-change",
    "undo", "undo", "redo", "redo",
)
_WORDS = st.text("abc XYZ", min_size=1, max_size=8).filter(str.strip)


def _command(pathway: Pathway, kind: str, draw, n: int):
    """One command of ``kind`` built from drawn values (EditRefused when it is refused)."""
    steps = [s.id for s in pathway.steps]
    lanes = [s.id for s in pathway.settings]
    roles = [r.id for r in pathway.roles]
    keys = [t.key for t in pathway.transitions]
    notes = [x.id for x in pathway.notes]
    priorities = [x.id for x in pathway.priorities]
    people = ["Sam", "Alex", "Kim", "Lee"]

    def one(items):
        if not items:
            raise EditRefused("nothing to choose")
        return draw(st.sampled_from(items))

    if kind == "add-step":
        return AddStepCommand(pathway, Step(
            id=draw(st.sampled_from([f"new-{n}", "surgery", "prehab"])), name=f"New {n}",
            setting=one(lanes), position=(300.0, 70.0)),
            draw(st.none() | st.integers(0, len(steps))))
    if kind == "delete":
        return RemoveItemsCommand(pathway, draw(st.lists(st.sampled_from(steps or ["x"]),
                                                         min_size=1, max_size=3)))
    if kind in ("move", "nudge"):
        return MoveStepsCommand(pathway, {one(steps): (draw(st.floats(0, 3000)), 70.0)},
                                nudge=kind == "nudge")
    if kind == "lane-change":
        return MoveStepsCommand(pathway, {one(steps): ((400.0, 90.0), one(lanes))})
    if kind == "update-step":
        field = draw(st.sampled_from(["name", "description", "duration_days", "owner"]))
        value = {"name": _WORDS, "description": st.none() | _WORDS,
                 "duration_days": st.none() | st.integers(0, 30),
                 "owner": st.none() | st.sampled_from(roles or ["gp"])}[field]
        return UpdateStepCommand(pathway, one(steps), **{field: draw(value)})
    if kind == "bad-step":
        return UpdateStepCommand(pathway, one(steps), duration_days=-1.0)
    if kind == "rename":
        return RenameStepCommand(pathway, one(steps),
                                 draw(st.sampled_from([f"renamed-{n}", "surgery", "prehab",
                                                       "sdm", "gone"])))
    if kind == "connect":
        return AddTransitionCommand(pathway, Transition(source=one(steps), target=one(steps)))
    if kind == "disconnect":
        return RemoveItemsCommand(pathway, transition_keys=[one(keys)])
    if kind == "transition":
        return UpdateTransitionCommand(pathway, one(keys), **draw(st.sampled_from([
            {"wait_days": 7}, {"condition": "fit"}, {"probability": 0.5},
            {"handoff": {"sender": "gp", "information": ["HbA1c"]}}, {"handoff": None}])))
    if kind == "header":
        return UpdateHeaderCommand(pathway, **draw(st.sampled_from([
            {"summary": "A summary"}, {"summary": None}, {"title": f"Title {n}"},
            {"tags": ["a", "b"]}, {"status": "in-review"}])))
    if kind == "layout":
        return ApplyLayoutCommand(pathway)
    if kind == "paste":
        chosen = [pathway.step(i) for i in draw(st.lists(st.sampled_from(steps or ["x"]),
                                                         min_size=1, max_size=3, unique=True))]
        if None in chosen:
            raise EditRefused("no step")
        return PasteCommand(pathway, chosen, list(pathway.transitions), offset=(30.0, 30.0))
    if kind == "add-lane":
        return AddSettingCommand(pathway, Setting(id=f"lane-{n}", name=f"Lane {n}",
                                                  kind="social"),
                                 draw(st.integers(0, len(lanes))))
    if kind == "remove-lane":
        return RemoveSettingCommand(pathway, one(lanes))
    if kind == "update-lane":
        return UpdateSettingCommand(pathway, one(lanes), name=draw(_WORDS))
    if kind == "move-lane":
        return MoveSettingCommand(pathway, one(lanes), draw(st.integers(0, len(lanes))))
    if kind == "add-role":
        return AddRoleCommand(pathway, Role(id=f"role-{n}", name=f"Role {n}"),
                              draw(st.none() | st.integers(0, len(roles))))
    if kind == "remove-role":
        return RemoveRoleCommand(pathway, one(roles))
    if kind == "update-role":
        return UpdateRoleCommand(pathway, one(roles), name=draw(_WORDS))
    if kind == "waive":
        return AddWaiverCommand(pathway, Waiver(
            rule=draw(st.sampled_from(["dead-end", "has-exit"])),
            target=draw(st.none() | st.sampled_from(steps + keys or ["x"])), reason="agreed"))
    if kind == "unwaive":
        waiver = draw(st.sampled_from(pathway.waivers)) if pathway.waivers else None
        if waiver is None:
            raise EditRefused("no waiver")
        return RemoveWaiverCommand(pathway, waiver.rule, waiver.target)
    if kind == "add-note":
        target = draw(st.none() | st.sampled_from(steps + keys or ["x"]))
        return AddNoteCommand(pathway, Note(
            id=f"note-{n}", text=draw(_WORDS), target=target,
            position=None if target else (50.0, 500.0)))
    if kind == "remove-note":
        return RemoveNoteCommand(pathway, one(notes))
    if kind == "edit-note":
        return UpdateNoteCommand(pathway, one(notes), text=draw(_WORDS))
    if kind == "move-note":
        return UpdateNoteCommand(pathway, one(notes), position=(draw(st.integers(0, 900)), 40.0))
    if kind == "add-priority":
        return AddPriorityCommand(pathway, Priority(
            id=f"prio-{n}", title=draw(_WORDS),
            steps=draw(st.lists(st.sampled_from(steps or ["x"]), max_size=2, unique=True))))
    if kind == "remove-priority":
        return RemovePriorityCommand(pathway, one(priorities))
    if kind == "update-priority":
        return UpdatePriorityCommand(pathway, one(priorities), **draw(st.sampled_from([
            {"status": "agreed"}, {"title": f"Priority {n}"}, {"steps": steps[:1]},
            {"owner": "gp"}])))
    if kind in ("vote", "unvote"):
        target = one(steps + priorities)
        count = draw(st.integers(1, 3)) if kind == "vote" else 0
        return SetVotesCommand(pathway, draw(st.sampled_from(people)), target, count)
    if kind == "workshop":
        return UpdateWorkshopCommand(pathway, **draw(st.sampled_from([
            {"votes_per_participant": 8}, {"votes_per_participant": 4},
            {"participants": ["Sam", "Kim"]}, {"participants": ["Sam", "Alex", "Kim", "Lee"]}])))
    resources = [x.id for x in pathway.resources]
    scenarios = [x.id for x in pathway.scenarios]
    if kind == "flow":
        return UpdateFlowCommand(pathway, **draw(st.sampled_from([
            {"horizon_weeks": 52}, {"replications": 10}, {"seed": n}, {"currency": "GBP"}])))
    if kind == "add-resource":
        return AddResourceCommand(pathway, {"id": f"res-{n}", "name": f"Beds {n}",
                                            "capacity": draw(st.integers(1, 40))},
                                  draw(st.none() | st.integers(0, len(resources))))
    if kind == "remove-resource":
        return RemoveResourceCommand(pathway, one(resources))
    if kind == "update-resource":
        return UpdateResourceCommand(pathway, one(resources), capacity=draw(st.integers(1, 9)))
    if kind == "add-cohort":
        return AddCohortCommand(pathway, {"id": f"cohort-{n}", "name": f"Cohort {n}",
                                          "share": 0.5})
    if kind == "remove-cohort":
        return RemoveCohortCommand(pathway, one([x.id for x in pathway.cohorts]))
    if kind == "add-scenario":
        return AddScenarioCommand(pathway, {"id": f"scenario-{n}", "name": f"Scenario {n}"})
    if kind == "remove-scenario":
        return RemoveScenarioCommand(pathway, one(scenarios))
    if kind == "add-change":
        return AddScenarioChangeCommand(pathway, one(scenarios),
                                        {"step": one(steps), "duration_days": 3})
    if kind == "remove-change":
        scenario = one([x for x in pathway.scenarios if x.changes])
        return RemoveScenarioChangeCommand(pathway, scenario.id,
                                           draw(st.integers(0, len(scenario.changes) - 1)))
    raise AssertionError(kind)


def saved(pathway: Pathway):
    """Every field of the model, from which the saved file is written.

    (Cheaper than the file text, so it is compared after every edit; the text itself
    is compared after undo-all and redo-all, and for the named defects above.)
    """
    return pathway.model_dump()


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_undo_storm_returns_every_saved_file(qapp, data):
    pathway = workshop_pathway()
    start_text = dump_pathway(pathway)
    stack = QUndoStack()
    history = [saved(pathway)]          # the saved file at each undo index
    for n in range(data.draw(st.integers(1, 60), label="edits")):
        kind = data.draw(st.sampled_from(_KINDS), label="kind")
        if kind in ("undo", "redo"):
            if kind == "undo" and stack.canUndo():
                stack.undo()
            elif kind == "redo" and stack.canRedo():
                stack.redo()
            assert saved(pathway) == history[stack.index()], kind
            continue
        before, depth = saved(pathway), stack.index()
        try:
            command = _command(pathway, kind, data.draw, n)
        except EditRefused:
            assert saved(pathway) == before and stack.index() == depth
            continue
        stack.push(command)
        now = saved(pathway)
        if stack.index() < depth:           # a merge back to where it was: obsolete
            assert now == history[stack.index()]
        del history[stack.index():]
        history.append(now)
        assert len(history) == stack.index() + 1
    while stack.canRedo():
        stack.redo()
    end_text = dump_pathway(pathway)
    assert stack.index() == len(history) - 1 and saved(pathway) == history[-1]
    undo_all(stack)
    assert dump_pathway(pathway) == start_text
    while stack.canRedo():
        stack.redo()
    assert dump_pathway(pathway) == end_text
