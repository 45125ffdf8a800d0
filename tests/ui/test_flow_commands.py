"""Undo commands for the simulation inputs (designer/ui/commands/flow.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PySide6.QtGui import QUndoStack

from designer.graph.model import EditRefused, Pathway
from designer.ui.commands import (
    AddCohortCommand, AddCostCommand, AddResourceCommand, AddScenarioChangeCommand,
    AddScenarioCommand, RemoveCohortCommand, RemoveCostCommand, RemoveResourceCommand,
    RemoveScenarioChangeCommand, RemoveScenarioCommand, UpdateCohortCommand, UpdateCostCommand,
    UpdateFlowCommand, UpdateResourceCommand, UpdateScenarioChangeCommand,
    UpdateScenarioCommand,
)


def _pathway(with_flow: bool = True) -> Pathway:
    data = {
        "format": "periop-pathway/1", "id": "p", "title": "P",
        "settings": [{"id": "hospital", "name": "Hospital", "kind": "secondary"}],
        "steps": [
            {"id": "in", "name": "Referral", "kind": "entry", "duration_days": 0},
            {"id": "op", "name": "Operation", "activity": "surgery", "uses": ["theatre"],
             "costs": [{"cost": "episode"}], "duration_days": 1},
            {"id": "out", "name": "Home", "kind": "exit"},
        ],
        "transitions": [{"from": "in", "to": "op"}, {"from": "op", "to": "out"}],
        "resources": [{"id": "theatre", "name": "Theatre", "capacity": 1},
                      {"id": "beds", "name": "Beds", "capacity": 10, "bed": True}],
        "cohorts": [{"id": "a", "name": "A", "share": 0.2}, {"id": "b", "name": "B", "share": 0.8}],
        "costs": [{"id": "episode", "name": "Episode", "amount": 3000, "year": "2016/17"},
                  {"id": "spare", "name": "Spare", "amount": 10}],
        "scenarios": [{"id": "before", "name": "Before",
                       "changes": [{"resource": "beds", "capacity": 8}]}],
    }
    if with_flow:
        data["flow"] = {"arrivals": {"per_week": 5}, "horizon_weeks": 52}
    return Pathway.model_validate(data)


def test_flow_edits_merge_and_undo_to_no_flow_at_all(qapp):
    pathway = _pathway(with_flow=False)
    stack = QUndoStack()
    for text in ("1", "10", "104"):
        stack.push(UpdateFlowCommand(pathway, horizon_weeks=float(text)))
    assert stack.count() == 1 and pathway.flow.horizon_weeks == 104
    assert stack.undoText() == "Change simulation horizon weeks"
    stack.undo()
    assert pathway.flow is None
    stack.redo()
    assert pathway.flow.horizon_weeks == 104


def test_typing_back_to_the_original_flow_leaves_nothing(qapp):
    pathway = _pathway()
    stack = QUndoStack()
    stack.push(UpdateFlowCommand(pathway, horizon_weeks=5.0))
    stack.push(UpdateFlowCommand(pathway, horizon_weeks=52.0))
    assert stack.count() == 0


@pytest.mark.parametrize("factory, args, field", [
    (UpdateFlowCommand, ({"replications": 0},), "flow.replications"),
    (UpdateFlowCommand, ({"arrivals": {"per_week": -2}},), "flow.arrivals.per_week"),
    (UpdateResourceCommand, ("theatre", {"capacity": 0}), "resources[0].capacity"),
    (UpdateCohortCommand, ("a", {"share": 2}), "cohorts[0].share"),
    (UpdateCostCommand, ("spare", {"amount": -5}), "costs[1].amount"),
    (AddResourceCommand, ({"id": "x", "name": "", "capacity": 1},), "resources[2].name"),
    (RemoveResourceCommand, ("theatre",), "the resource 'theatre' is still used"),
    (RemoveCostCommand, ("episode",), "the unit cost 'episode' is still used"),
    (AddScenarioChangeCommand, ("before", {"cohort": "a"}), "scenarios[0].changes[1]"),
    (UpdateScenarioChangeCommand, ("before", 5, {"cohort": "a", "share": 1}), "scenario"),
    (RemoveScenarioChangeCommand, ("nope", 0), "there is no scenario"),
    # the model's own checks, asked before the push (not only when the command runs)
    (UpdateScenarioCommand, ("before", {"changes": []}), "use add_scenario_change"),
    (UpdateCohortCommand, ("a", {"id": "z"}), "cohorts[0].id: a cohort's id cannot"),
    (AddCostCommand, ({"id": "spare", "name": "Again", "amount": 1},),
     "costs: a unit cost with id 'spare' already exists"),
    (RemoveCohortCommand, ("nobody",), "there is no cohort 'nobody'"),
])
def test_refused_commands_never_reach_the_stack(qapp, factory, args, field):
    pathway = _pathway()
    stack = QUndoStack()
    before = pathway.model_dump()
    with pytest.raises(EditRefused) as refused:
        stack.push(factory(pathway, *args))
    assert str(refused.value).startswith(field)
    assert stack.count() == 0 and pathway.model_dump() == before


def test_remove_then_undo_restores_the_same_index(qapp):
    pathway = _pathway()
    stack = QUndoStack()
    stack.push(RemoveCohortCommand(pathway, "a"))
    stack.push(RemoveScenarioChangeCommand(pathway, "before", 0))
    stack.push(RemoveResourceCommand(pathway, "beds"))
    assert [r.id for r in pathway.resources] == ["theatre"]
    while stack.canUndo():
        stack.undo()
    assert pathway.model_dump() == _pathway().model_dump()


@pytest.mark.parametrize("factory, item_id", [
    (UpdateResourceCommand, "beds"), (UpdateCohortCommand, "b"),
    (UpdateCostCommand, "spare"), (UpdateScenarioCommand, "before")])
def test_renaming_any_item_undoes(qapp, factory, item_id):
    # "name" is both an item field and (once) the model method's own argument name
    pathway = _pathway()
    stack = QUndoStack()
    stack.push(factory(pathway, item_id, name="Renamed"))
    items = {UpdateResourceCommand: pathway.resources, UpdateCohortCommand: pathway.cohorts,
             UpdateCostCommand: pathway.costs, UpdateScenarioCommand: pathway.scenarios}
    assert [x.name for x in items[factory] if x.id == item_id] == ["Renamed"]
    stack.undo()
    assert pathway.model_dump() == _pathway().model_dump()


# ------------------------------------------------------------ random sequences

_OPS = ("flow", "arrivals", "schedule", "add-resource", "remove-resource", "resource",
        "add-cohort", "remove-cohort", "cohort", "add-cost", "remove-cost", "cost",
        "add-scenario", "remove-scenario", "scenario", "add-change", "change",
        "remove-change", "bad")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_flow_edits_undo_and_redo_exactly(qapp, data):
    pathway = _pathway(with_flow=data.draw(st.booleans(), label="with flow"))
    stack = QUndoStack()
    original = pathway.model_dump()
    for n in range(data.draw(st.integers(1, 14), label="edits")):
        op = data.draw(st.sampled_from(_OPS), label="op")
        pick = lambda items: data.draw(st.sampled_from([x.id for x in items]))  # noqa: E731
        where = lambda items: data.draw(st.none() | st.integers(0, len(items)))  # noqa: E731
        snapshot, depth = pathway.model_dump(), stack.count()
        try:
            if op == "flow":
                field = data.draw(st.sampled_from(["horizon_weeks", "warmup_weeks",
                                                   "replications", "seed", "currency"]))
                value = {"horizon_weeks": data.draw(st.floats(-5, 400, allow_nan=False)),
                         "warmup_weeks": data.draw(st.none() | st.floats(0, 60)),
                         "replications": data.draw(st.integers(-1, 50)),
                         "seed": data.draw(st.integers(0, 99)),
                         "currency": data.draw(st.sampled_from(["GBP", "EUR", ""]))}[field]
                stack.push(UpdateFlowCommand(pathway, {field: value}))
            elif op == "arrivals":
                stack.push(UpdateFlowCommand(pathway, arrivals={
                    "per_week": data.draw(st.floats(-1, 50, allow_nan=False))}))
            elif op == "schedule":
                weeks = data.draw(st.lists(st.integers(0, 100), min_size=1, max_size=3))
                stack.push(UpdateFlowCommand(pathway, arrivals={
                    "schedule": [[w, 3.0] for w in weeks]}))
            elif op == "add-resource":
                stack.push(AddResourceCommand(pathway, {
                    "id": f"r{n}", "name": f"R {n}",
                    "capacity": data.draw(st.integers(0, 5))}, where(pathway.resources)))
            elif op == "remove-resource" and pathway.resources:
                stack.push(RemoveResourceCommand(pathway, pick(pathway.resources)))
            elif op == "resource" and pathway.resources:
                stack.push(UpdateResourceCommand(pathway, pick(pathway.resources),
                                                 capacity=data.draw(st.integers(0, 9))))
            elif op == "add-cohort":
                stack.push(AddCohortCommand(pathway, {
                    "id": f"c{n}", "name": f"C {n}",
                    "share": data.draw(st.floats(0, 1.2))}, where(pathway.cohorts)))
            elif op == "remove-cohort" and pathway.cohorts:
                stack.push(RemoveCohortCommand(pathway, pick(pathway.cohorts)))
            elif op == "cohort" and pathway.cohorts:
                stack.push(UpdateCohortCommand(pathway, pick(pathway.cohorts),
                                               name=data.draw(st.text("ab ", max_size=4))))
            elif op == "add-cost":
                stack.push(AddCostCommand(pathway, {
                    "id": f"k{n}", "name": f"K {n}", "amount": 5.0}, where(pathway.costs)))
            elif op == "remove-cost" and pathway.costs:
                stack.push(RemoveCostCommand(pathway, pick(pathway.costs)))
            elif op == "cost" and pathway.costs:
                stack.push(UpdateCostCommand(pathway, pick(pathway.costs),
                                             amount=data.draw(st.floats(-1, 1e4))))
            elif op == "add-scenario":
                stack.push(AddScenarioCommand(pathway, {"id": f"s{n}", "name": f"S {n}"},
                                              where(pathway.scenarios)))
            elif op == "remove-scenario" and pathway.scenarios:
                stack.push(RemoveScenarioCommand(pathway, pick(pathway.scenarios)))
            elif op == "scenario" and pathway.scenarios:
                stack.push(UpdateScenarioCommand(pathway, pick(pathway.scenarios),
                                                 description=f"d{n}"))
            elif op == "add-change" and pathway.scenarios:
                sid = pick(pathway.scenarios)
                stack.push(AddScenarioChangeCommand(pathway, sid, {
                    "flow": "arrivals", "per_week": data.draw(st.floats(-1, 20))},
                    where(pathway.scenario(sid).changes)))
            elif op in ("change", "remove-change") and pathway.scenarios:
                sid = pick(pathway.scenarios)
                count = len(pathway.scenario(sid).changes)
                index = data.draw(st.integers(0, max(0, count)))
                if op == "change":
                    stack.push(UpdateScenarioChangeCommand(pathway, sid, index, {
                        "resource": "theatre", "capacity": data.draw(st.integers(0, 4))}))
                else:
                    stack.push(RemoveScenarioChangeCommand(pathway, sid, index))
            elif op == "bad":
                stack.push(UpdateFlowCommand(pathway, horizon_weeks=-1.0))
        except EditRefused:
            assert pathway.model_dump() == snapshot
            assert stack.count() == depth
    final = pathway.model_dump()
    while stack.canUndo():
        stack.undo()
    assert pathway.model_dump() == original
    while stack.canRedo():
        stack.redo()
    assert pathway.model_dump() == final
