"""Edit methods for the simulation inputs (designer/graph/flow_edit.py): no Qt."""

from __future__ import annotations

import pytest

from designer.graph.flow import Change, Resource
from designer.graph.flow_edit import simulation_hash
from designer.graph.model import EditRefused, Pathway


def _pathway() -> Pathway:
    return Pathway.model_validate({
        "format": "periop-pathway/1", "id": "p", "title": "P",
        "settings": [{"id": "hospital", "name": "Hospital", "kind": "secondary"}],
        "steps": [
            {"id": "in", "name": "Referral", "kind": "entry", "duration_days": 0},
            {"id": "op", "name": "Operation", "activity": "surgery", "uses": ["theatre"],
             "costs": [{"cost": "episode"}], "duration_days": 1},
            {"id": "out", "name": "Home", "kind": "exit"},
        ],
        "transitions": [{"from": "in", "to": "op"}, {"from": "op", "to": "out"}],
        "flow": {"arrivals": {"per_week": 5}, "horizon_weeks": 52},
        "resources": [{"id": "theatre", "name": "Theatre", "capacity": 1},
                      {"id": "beds", "name": "Beds", "capacity": 10, "bed": True}],
        "cohorts": [{"id": "a", "name": "A", "share": 0.2}, {"id": "b", "name": "B", "share": 0.8}],
        "costs": [{"id": "episode", "name": "Episode", "amount": 3000, "year": "2016/17"},
                  {"id": "spare", "name": "Spare", "amount": 10}],
        "scenarios": [{"id": "before", "name": "Before",
                       "changes": [{"resource": "beds", "capacity": 8}]}],
    })


class _Recorded:
    """The pathway and the events it emitted."""

    def __init__(self) -> None:
        self.pathway = _pathway()
        self.events: list = []
        self.pathway.subscribe(self.events.append)

    def __getattr__(self, name):
        return getattr(self.pathway, name)


@pytest.fixture
def p():
    return _Recorded()


@pytest.mark.parametrize("call, field", [
    (lambda p: p.update_flow(horizon_weeks=0), "flow.horizon_weeks"),
    (lambda p: p.update_flow(replications=0), "flow.replications"),
    (lambda p: p.update_flow(arrivals={"per_week": -1}), "flow.arrivals.per_week"),
    (lambda p: p.update_flow(arrivals={"schedule": [[10, 1], [5, 2]]}), "flow.arrivals"),
    (lambda p: p.update_flow(arrivals={"per_week": 1, "schedule": [[0, 1]]}), "flow.arrivals"),
    (lambda p: p.update_flow(currency=""), "flow.currency"),
    (lambda p: p.update_resource("beds", capacity=0), "resources[1].capacity"),
    (lambda p: p.update_resource("beds", name=""), "resources[1].name"),
    (lambda p: p.update_cohort("a", share=1.5), "cohorts[0].share"),
    (lambda p: p.update_cost("spare", amount=-1), "costs[1].amount"),
    (lambda p: p.add_resource({"id": "bad id", "name": "X", "capacity": 1}), "resources[2].id"),
    (lambda p: p.add_scenario_change("before", {"step": "op", "amount": 1}),
     "scenarios[0].changes[1]"),
    (lambda p: p.update_scenario_change("before", 0, {"resource": "beds", "capacity": 0}),
     "scenarios[0].changes[0].capacity"),
])
def test_bad_values_are_refused_naming_the_field_and_change_nothing(p, call, field):
    before = p.model_dump()
    with pytest.raises(EditRefused) as refused:
        call(p)
    assert str(refused.value).startswith(field)
    assert p.model_dump() == before
    assert p.events == []


@pytest.mark.parametrize("call, words", [
    (lambda p: p.remove_resource("theatre"), "step 'Operation'"),
    (lambda p: p.remove_resource("beds"), "scenario 'Before'"),
    (lambda p: p.remove_cost("episode"), "step 'Operation'"),
    (lambda p: p.add_resource(Resource(id="beds", name="B", capacity=1)), "already exists"),
    (lambda p: p.remove_cohort("nobody"), "there is no cohort 'nobody'"),
    (lambda p: p.update_resource("beds", id="other"), "cannot be changed"),
    (lambda p: p.remove_scenario_change("before", 3), "no change 4"),
    (lambda p: p.update_flow(speed=3), "no field 'speed'"),
])
def test_refusals_say_why(p, call, words):
    before = p.model_dump()
    with pytest.raises(EditRefused, match=words):
        call(p)
    assert p.model_dump() == before


def test_update_flow_returns_the_old_block_and_set_flow_restores_it(p):
    old = p.update_flow(horizon_weeks=104, arrivals={"schedule": [[0, 5], [26, 7]]})
    assert p.flow.horizon_weeks == 104 and p.flow.arrivals.schedule == [(0, 5), (26, 7)]
    assert p.flow.arrivals.per_week is None
    assert p.events[-1].kind == "flow-changed"
    assert old.horizon_weeks == 52
    p.set_flow(old)
    assert p.model_dump() == _pathway().model_dump()


def test_a_pathway_without_flow_gets_one(p):
    p.set_flow(None)
    p.update_flow(replications=3)
    assert p.flow.replications == 3 and p.flow.arrivals is None


def test_lists_add_update_remove_with_events_and_order(p):
    p.add_resource({"id": "clinic", "name": "Clinic", "capacity": 4}, 0)
    assert [r.id for r in p.resources] == ["clinic", "theatre", "beds"]
    old = p.update_resource("clinic", capacity=6)
    assert old == {"capacity": 4} and p.resource("clinic").capacity == 6
    item, index = p.remove_resource("clinic")
    assert (item.id, index) == ("clinic", 0)
    p.update_cohort("a", share=0.3)
    p.update_cost("spare", amount=12.5, year="2023/24")
    assert p.unit_cost("spare").year == "2023/24"
    p.remove_cost("spare")
    assert [e.kind for e in p.events] == ["resource-added", "resource-changed",
                                          "resource-removed", "cohort-changed",
                                          "cost-changed", "cost-removed"]


def test_scenario_changes(p):
    p.add_scenario({"id": "more", "name": "More theatre"})
    at = p.add_scenario_change("more", {"resource": "theatre", "capacity": 2})
    assert at == 0
    p.add_scenario_change("more", Change(flow="arrivals", per_week=7), 0)
    assert [c.kind for c in p.scenario("more").changes] == ["flow", "resource"]
    old = p.update_scenario_change("more", 1, {"resource": "theatre", "capacity": 3})
    assert old.capacity == 2 and p.scenario("more").changes[1].capacity == 3
    change, index = p.remove_scenario_change("more", 0)
    assert (change.kind, index) == ("flow", 0)
    with pytest.raises(EditRefused):
        p.update_scenario("more", changes=[])
    p.update_scenario("more", description="Two more lists")
    p.remove_scenario("more")
    assert p.scenario("more") is None


def test_simulation_hash_ignores_positions_and_notes_only(p):
    h = simulation_hash(p.pathway)
    p.update_step("op", position=(500.0, 60.0))
    assert simulation_hash(p.pathway) == h
    p.update_resource("theatre", capacity=2)
    assert simulation_hash(p.pathway) != h
