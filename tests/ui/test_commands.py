"""Undo commands: each edit goes through the model, undoes exactly, refuses cleanly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PySide6.QtGui import QUndoStack

from canvas_support import sample_pathway
from designer.graph.model import EditRefused, Role, Setting, Step, Transition, Waiver
from designer.ui.commands import (
    AddRoleCommand,
    AddSettingCommand,
    AddStepCommand,
    AddTransitionCommand,
    AddWaiverCommand,
    ApplyLayoutCommand,
    MoveSettingCommand,
    MoveStepsCommand,
    PasteCommand,
    RemoveItemsCommand,
    RemoveRoleCommand,
    RemoveSettingCommand,
    RemoveWaiverCommand,
    RenameStepCommand,
    UpdateHeaderCommand,
    UpdateRoleCommand,
    UpdateSettingCommand,
    UpdateStepCommand,
    UpdateTransitionCommand,
)


@pytest.fixture
def doc(qapp):
    pathway = sample_pathway()
    stack = QUndoStack()
    events = []
    pathway.subscribe(events.append)
    return pathway, stack, events


def _undo_all(stack: QUndoStack) -> None:
    while stack.canUndo():
        stack.undo()


def test_add_step_undo_redo(doc):
    pathway, stack, events = doc
    before = pathway.model_dump()
    step = Step(id="school", name="Surgery School", activity="education", setting="hub",
                position=(900.0, 70.0))
    stack.push(AddStepCommand(pathway, step))
    assert pathway.step("school") is not None
    assert events[-1].kind == "step-added"
    assert stack.undoText() == "Add step 'Surgery School'"
    stack.undo()
    assert pathway.model_dump() == before
    stack.redo()
    assert pathway.step("school").name == "Surgery School"


def test_remove_step_takes_its_transitions_and_restores_order(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    cmd = RemoveItemsCommand(pathway, ["preassess"])
    assert len(cmd.parts) == 4  # three transitions, then the step
    stack.push(cmd)
    assert pathway.step("preassess") is None
    assert not pathway.transitions_of("preassess")
    assert stack.count() == 1
    stack.undo()
    assert pathway.model_dump() == before


def test_multi_delete_is_one_macro(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    stack.push(RemoveItemsCommand(pathway, ["sdm", "surgery", "referral"],
                                  ["fit->optimise"]))
    assert stack.count() == 1
    assert stack.undoText() == "Delete 3 steps and 1 transition"
    assert {s.id for s in pathway.steps}.isdisjoint({"sdm", "surgery", "referral"})
    assert pathway.transition("fit->optimise") is None
    stack.undo()
    assert pathway.model_dump() == before
    stack.redo()
    stack.undo()
    assert pathway.model_dump() == before


def test_remove_nothing_or_unknown_is_refused(doc):
    pathway, stack, _ = doc
    with pytest.raises(EditRefused):
        RemoveItemsCommand(pathway, [])
    with pytest.raises(EditRefused, match="no step 'ghost'"):
        RemoveItemsCommand(pathway, ["ghost"])
    assert stack.count() == 0


def test_move_between_lanes_is_one_step(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    stack.push(MoveStepsCommand(pathway, {
        "prehab": ((700.0, 90.0), "home"), "optimise": (905.04, 70.0)}))
    assert stack.count() == 1
    assert pathway.step("prehab").setting == "home"
    assert pathway.step("prehab").position == (700.0, 90.0)
    assert pathway.step("optimise").position == (905.0, 70.0)
    stack.undo()
    assert pathway.model_dump() == before


def test_move_to_unknown_lane_is_refused(doc):
    pathway, stack, _ = doc
    with pytest.raises(EditRefused, match="no lane"):
        MoveStepsCommand(pathway, {"prehab": ((1.0, 2.0), "moon")})


def test_consecutive_nudges_merge(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    for dx in (10, 20, 30):
        stack.push(MoveStepsCommand(pathway, {"sdm": (470.0 + dx, 70.0)}, nudge=True))
    assert stack.count() == 1
    assert pathway.step("sdm").position == (500.0, 70.0)
    stack.undo()
    assert pathway.model_dump() == before
    # A drag is never merged with a nudge.
    stack.push(MoveStepsCommand(pathway, {"sdm": (480.0, 70.0)}, nudge=True))
    stack.push(MoveStepsCommand(pathway, {"sdm": (600.0, 70.0)}))
    assert stack.count() == 2


def test_typing_in_one_field_merges(doc):
    pathway, stack, _ = doc
    for text in ("S", "Su", "Surgery School"):
        stack.push(UpdateStepCommand(pathway, "prehab", name=text))
    assert stack.count() == 1
    assert pathway.step("prehab").name == "Surgery School"
    stack.push(UpdateStepCommand(pathway, "prehab", duration_days=21))
    stack.push(UpdateStepCommand(pathway, "sdm", name="SDM"))
    assert stack.count() == 3
    _undo_all(stack)
    assert pathway.step("prehab").name == "Prehabilitation programme"
    assert pathway.step("prehab").duration_days == 28


def test_typing_back_to_the_original_leaves_nothing(doc):
    pathway, stack, _ = doc
    stack.push(UpdateStepCommand(pathway, "sdm", name="SDM clinic"))
    stack.push(UpdateStepCommand(pathway, "sdm", name="Shared decision making clinic"))
    assert stack.count() == 0
    assert pathway.step("sdm").name == "Shared decision making clinic"


@pytest.mark.parametrize("changes, words", [
    ({"duration_days": -3}, "duration_days"),
    ({"name": ""}, "name"),
    ({"kind": "banana"}, "kind"),
    ({"colour": "red"}, "no field 'colour'"),
])
def test_refused_step_edit_changes_nothing(doc, changes, words):
    pathway, stack, events = doc
    before = pathway.model_dump()
    with pytest.raises(EditRefused, match=words):
        stack.push(UpdateStepCommand(pathway, "prehab", **changes))
    assert stack.count() == 0
    assert not events
    assert pathway.model_dump() == before


def test_refused_edit_after_merge_chain_keeps_stack(doc):
    pathway, stack, _ = doc
    stack.push(UpdateStepCommand(pathway, "prehab", duration_days=20))
    with pytest.raises(EditRefused):
        stack.push(UpdateStepCommand(pathway, "prehab", duration_days=99999))
    assert stack.count() == 1
    assert pathway.step("prehab").duration_days == 20


def test_rename_step_updates_references(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    stack.push(RenameStepCommand(pathway, "sdm", "sdm-clinic"))
    assert pathway.transition("referral->sdm-clinic") is not None
    assert pathway.waivers[0].target == "sdm-clinic->prehab"
    stack.undo()
    assert pathway.model_dump() == before
    with pytest.raises(EditRefused, match="already exists"):
        RenameStepCommand(pathway, "sdm", "fit")
    with pytest.raises(EditRefused, match="not a valid id"):
        RenameStepCommand(pathway, "sdm", "has space")


def test_connect_and_refusals(doc):
    pathway, stack, _ = doc
    stack.push(AddTransitionCommand(pathway, Transition(source="referral", target="prehab")))
    assert pathway.transition("referral->prehab") is not None
    with pytest.raises(EditRefused, match="already a transition"):
        AddTransitionCommand(pathway, Transition(source="referral", target="prehab"))
    with pytest.raises(EditRefused, match="itself"):
        AddTransitionCommand(pathway, Transition(source="sdm", target="sdm"))
    stack.undo()
    assert pathway.transition("referral->prehab") is None


def test_update_transition_handoff_and_merge(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    stack.push(UpdateTransitionCommand(pathway, "fit->surgery", condition="f"))
    stack.push(UpdateTransitionCommand(pathway, "fit->surgery", condition="fit now"))
    stack.push(UpdateTransitionCommand(pathway, "sdm->prehab", handoff={
        "sender": "surgeon", "receiver": "physio", "information": ["plan"],
        "channel": "email"}))
    assert stack.count() == 2
    assert pathway.transition("sdm->prehab").handoff.is_complete()
    with pytest.raises(EditRefused, match="probability"):
        UpdateTransitionCommand(pathway, "fit->surgery", probability=2)
    with pytest.raises(EditRefused, match="within_days"):
        UpdateTransitionCommand(pathway, "fit->surgery", handoff={"within_days": -1})
    with pytest.raises(EditRefused, match="reconnect"):
        UpdateTransitionCommand(pathway, "fit->surgery", target="sdm")
    _undo_all(stack)
    assert pathway.model_dump() == before


def test_header_edit(doc):
    pathway, stack, _ = doc
    stack.push(UpdateHeaderCommand(pathway, title="Hip"))
    stack.push(UpdateHeaderCommand(pathway, title="Hip replacement"))
    assert stack.count() == 1
    with pytest.raises(EditRefused):
        UpdateHeaderCommand(pathway, title="")
    with pytest.raises(EditRefused, match="not a pathway header field"):
        UpdateHeaderCommand(pathway, steps=[])
    with pytest.raises(EditRefused):
        UpdateHeaderCommand(pathway, status="finished")
    stack.undo()
    assert pathway.title == "Sample elective surgery pathway"


def test_lanes(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    stack.push(AddSettingCommand(pathway, Setting(id="care", name="Care home", kind="social")))
    stack.push(UpdateSettingCommand(pathway, "care", name="Residential care"))
    stack.push(MoveSettingCommand(pathway, "care", 0))
    assert pathway.settings[0].name == "Residential care"
    stack.push(RemoveSettingCommand(pathway, "care"))
    with pytest.raises(EditRefused, match="still holds 2 steps"):
        RemoveSettingCommand(pathway, "gp")
    with pytest.raises(EditRefused, match="kind"):
        UpdateSettingCommand(pathway, "gp", kind="spaceship")
    _undo_all(stack)
    assert pathway.model_dump() == before


def test_roles_and_waivers(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    stack.push(AddRoleCommand(pathway, Role(id="dietitian", name="Dietitian")))
    stack.push(UpdateRoleCommand(pathway, "dietitian", name="Specialist dietitian"))
    stack.push(RemoveRoleCommand(pathway, "dietitian"))
    with pytest.raises(EditRefused, match="still owns"):
        RemoveRoleCommand(pathway, "surgeon")
    stack.push(AddWaiverCommand(pathway, Waiver(rule="dead-end", target="fit",
                                                reason="reviewed at MDT")))
    with pytest.raises(EditRefused, match="already waived"):
        AddWaiverCommand(pathway, Waiver(rule="dead-end", target="fit", reason="again"))
    stack.push(RemoveWaiverCommand(pathway, "handoff-without-channel", "sdm->prehab"))
    assert len(pathway.waivers) == 1
    _undo_all(stack)
    assert pathway.model_dump() == before


def test_apply_layout_is_one_step(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    positions = {s.id: (300.0 + 200 * i, 70.0) for i, s in enumerate(pathway.steps)}
    stack.push(ApplyLayoutCommand(pathway, positions))
    assert stack.count() == 1
    assert pathway.step("fit").position == (300.0 + 200 * 3, 70.0)
    stack.undo()
    assert pathway.model_dump() == before
    with pytest.raises(EditRefused, match="already laid out"):
        ApplyLayoutCommand(pathway, {s.id: s.position for s in pathway.steps})


def test_paste_renames_clashing_ids(doc):
    pathway, stack, _ = doc
    before = pathway.model_dump()
    copied = [pathway.step("surgery"), pathway.step("discharge")]
    edges = [pathway.transition("surgery->discharge"), pathway.transition("prehab->surgery")]
    cmd = PasteCommand(pathway, copied, edges, offset=(20.0, 20.0))
    stack.push(cmd)
    assert cmd.pasted_ids == ["surgery-2", "discharge-2"]
    assert pathway.transition("surgery-2->discharge-2") is not None
    assert pathway.step("surgery-2").position == (1120.0, 90.0)
    assert len(pathway.transitions) == len(before["transitions"]) + 1
    stack.undo()
    assert pathway.model_dump() == before


# ------------------------------------------------------------------ random sequences

_OPS = ("add", "remove", "move", "lane", "update", "bad", "connect", "rename",
        "disconnect", "nudge", "header", "setting", "layout", "lane-order", "new-lane",
        "waive", "paste", "handoff")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edits_undo_to_the_original(qapp, data):
    pathway = sample_pathway()
    stack = QUndoStack()
    original = pathway.model_dump()
    counter = 0
    for _ in range(data.draw(st.integers(1, 14), label="edits")):
        op = data.draw(st.sampled_from(_OPS), label="op")
        ids = [s.id for s in pathway.steps]
        lanes = [s.id for s in pathway.settings]
        pick = (lambda: data.draw(st.sampled_from(ids))) if ids else None
        counter += 1
        snapshot = pathway.model_dump()
        depth = stack.count()
        try:
            if op == "add":
                stack.push(AddStepCommand(pathway, Step(
                    id=f"new-{counter}", name=f"New step {counter}",
                    setting=data.draw(st.sampled_from(lanes)), position=(300.0, 70.0)),
                    data.draw(st.none() | st.integers(0, len(ids)))))
            elif op == "remove" and ids:
                chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))
                stack.push(RemoveItemsCommand(pathway, chosen))
            elif op in ("move", "nudge") and ids:
                sid = pick()
                x = data.draw(st.floats(0, 3000, allow_nan=False))
                stack.push(MoveStepsCommand(pathway, {sid: (x, 70.0)}, nudge=op == "nudge"))
            elif op == "lane" and ids:
                stack.push(MoveStepsCommand(pathway, {pick(): (
                    (400.0, 90.0), data.draw(st.sampled_from(lanes)))}))
            elif op == "update" and ids:
                stack.push(UpdateStepCommand(pathway, pick(), name=data.draw(
                    st.text("abc XYZ", min_size=1, max_size=8))))
            elif op == "bad" and ids:
                stack.push(UpdateStepCommand(pathway, pick(), duration_days=-1.0))
            elif op == "connect" and len(ids) > 1:
                stack.push(AddTransitionCommand(pathway, Transition(
                    source=pick(), target=pick())))
            elif op == "disconnect" and pathway.transitions:
                key = data.draw(st.sampled_from([t.key for t in pathway.transitions]))
                stack.push(RemoveItemsCommand(pathway, transition_keys=[key]))
            elif op == "rename" and ids:
                stack.push(RenameStepCommand(pathway, pick(), f"renamed-{counter}"))
            elif op == "header":
                stack.push(UpdateHeaderCommand(pathway, summary=data.draw(
                    st.none() | st.text("ab ", max_size=5))))
            elif op == "setting":
                stack.push(UpdateSettingCommand(pathway, data.draw(st.sampled_from(lanes)),
                                                name=f"Lane {counter}"))
            elif op == "layout":
                stack.push(ApplyLayoutCommand(pathway))
            elif op == "lane-order":
                stack.push(MoveSettingCommand(pathway, data.draw(st.sampled_from(lanes)),
                                              data.draw(st.integers(0, len(lanes)))))
            elif op == "new-lane":
                stack.push(AddSettingCommand(pathway, Setting(
                    id=f"lane-{counter}", name=f"Lane {counter}", kind="social"),
                    data.draw(st.integers(0, len(lanes)))))
            elif op == "waive":
                stack.push(AddWaiverCommand(pathway, Waiver(
                    rule=data.draw(st.sampled_from(["dead-end", "has-exit"])),
                    target=data.draw(st.sampled_from(ids)) if ids else None,
                    reason="accepted at the network meeting")))
            elif op == "paste" and ids:
                chosen = [pathway.step(i) for i in data.draw(
                    st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))]
                stack.push(PasteCommand(pathway, chosen, list(pathway.transitions),
                                        offset=(30.0, 30.0)))
            elif op == "handoff" and pathway.transitions:
                key = data.draw(st.sampled_from([t.key for t in pathway.transitions]))
                stack.push(UpdateTransitionCommand(pathway, key, handoff={
                    "sender": "gp", "information": data.draw(st.lists(
                        st.sampled_from(["HbA1c", "medicines list"]), max_size=2))}))
        except EditRefused:
            assert pathway.model_dump() == snapshot
            assert stack.count() == depth
    final = pathway.model_dump()
    _undo_all(stack)
    assert pathway.model_dump() == original
    while stack.canRedo():
        stack.redo()
    assert pathway.model_dump() == final
