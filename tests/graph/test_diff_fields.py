"""The clinical diff reports the fields added by issues 11 and 13.

Each test makes one known edit to a copy of a small pathway and checks the diff
reports exactly that edit (field, before, after) and nothing else.
"""

from __future__ import annotations

import pytest

from designer.graph.diff import diff_pathways
from designer.graph.elements import Evidence, RuleOverride, SurgeryFacts
from designer.graph.flow import Cohort, Distribution, Flow, Resource, Scenario, UnitCost
from designer.graph.model import Step, Transition

from workshop_sample import make_pathway


def _only(a, b):
    d = diff_pathways(a, b)
    assert len(d.changes) == 1, d.changes
    return d.changes[0], d


def test_rule_config_added_changed_reason_and_removed():
    a, b = make_pathway(), make_pathway()
    b.update_header(rule_config={"missing-phase": RuleOverride(
        level="off", reason="a clinic pathway has no surgery phase")})
    change, d = _only(a, b)
    assert (change.change, change.area, change.subject) == ("added", "rule", "missing-phase")
    row = d.rows()[0]
    assert row["new"] == "off (a clinic pathway has no surgery phase)"
    assert d.summary() == "1 rule setting added."

    c = make_pathway()
    c.update_header(rule_config={"missing-phase": RuleOverride(
        level="info", reason="surgery happens elsewhere")})
    fields = {(x.field, x.old, x.new) for x in diff_pathways(b, c).changes}
    assert fields == {("level", "off", "info"),
                      ("reason", "a clinic pathway has no surgery phase",
                       "surgery happens elsewhere")}
    assert diff_pathways(b, c).summary() == "1 rule setting changed."

    change, _ = _only(b, a)
    assert (change.change, change.subject) == ("removed", "missing-phase")


def test_rule_config_plain_level_and_same_level_with_reason():
    a, b = make_pathway(), make_pathway()
    a.update_header(rule_config={"vte-plan": "warning"})
    b.update_header(rule_config={"vte-plan": RuleOverride(level="warning", reason="why")})
    change, _ = _only(a, b)
    assert (change.field, change.old, change.new) == ("reason", None, "why")
    assert diff_pathways(a, a.model_copy(deep=True)).is_empty()


@pytest.mark.parametrize("name, label", [("cancer_pathway", "cancer pathway"),
                                         ("older_people", "older people")])
def test_population_flags(name, label):
    a, b = make_pathway(), make_pathway()
    b.update_header(**{name: True})
    change, d = _only(a, b)
    assert (change.area, change.field, change.old, change.new) == ("header", name, None, True)
    assert d.rows()[0]["field"] == label and d.rows()[0]["new"] == "yes"


def test_step_milestone_and_each_surgery_fact():
    a, b = make_pathway(), make_pathway()
    b.update_step("referral", milestone="referral")
    change, _ = _only(a, b)
    assert (change.field, change.old, change.new, change.b_key) == (
        "milestone", None, "referral", "referral")

    a.update_step("surgery", surgery=SurgeryFacts(major=True, day_case=False))
    b = make_pathway()
    b.update_step("surgery", surgery=SurgeryFacts(major=True, day_case=True,
                                                  major_blood_loss=True))
    d = diff_pathways(a, b)
    assert {(c.field, c.old, c.new) for c in d.changes} == {
        ("surgery day_case", False, True), ("surgery major_blood_loss", None, True)}
    assert {r["field"] for r in d.rows()} == {"day case", "major blood loss"}
    assert d.marks_b() == {"surgery": "changed"}
    assert d.summary() == "1 step changed."


def test_surgery_facts_removed_entirely():
    a, b = make_pathway(), make_pathway()
    a.update_step("surgery", surgery=SurgeryFacts(extended_vte_prophylaxis=True))
    change, d = _only(a, b)
    assert (change.field, change.old, change.new) == (
        "surgery extended_vte_prophylaxis", True, None)
    assert d.rows()[0]["field"] == "extended VTE prophylaxis"


def test_transition_parallel_wait_and_cohort_probabilities():
    a, b = make_pathway(), make_pathway()
    b.update_transition("check->optimise", parallel=True)
    change, d = _only(a, b)
    assert (change.area, change.field, change.old, change.new, change.b_key) == (
        "transition", "parallel", None, True, "check->optimise")
    assert d.marks_b() == {"check->optimise": "changed"}

    b = make_pathway()
    b.update_transition("referral->pac", wait=Distribution(dist="triangular", min=7,
                                                             mode=14, max=28),
                        probability_by_cohort={"frail": 0.5})
    d = diff_pathways(a, b)
    rows = {r["field"]: r for r in d.rows()}
    assert rows["wait"]["new"] == "triangular min 7, mode 14, max 28"
    assert rows["probability by cohort"]["new"] == "frail 0.5"


def test_step_simulation_fields():
    a, b = make_pathway(), make_pathway()
    a.resources = [Resource(id="theatre", name="Theatre", capacity=2)]
    b.resources = [Resource(id="theatre", name="Theatre", capacity=2)]
    b.update_step("pac", duration=Distribution(dist="fixed", value=1), capacity=3,
                  uses=["theatre"])
    d = diff_pathways(a, b)
    assert sorted(((c.field, c.new) for c in d.changes), key=lambda x: x[0]) == [
        ("capacity", 3), ("duration", {"dist": "fixed", "value": 1.0}), ("uses", ["theatre"])]
    assert {r["new"] for r in d.rows()} == {"fixed value 1", "3", "theatre"}


def test_evidence_matched_by_claim():
    a, b = make_pathway(), make_pathway()
    claim = "Surgery School improves readiness for surgery."
    a.update_header(evidence=[Evidence(claim=claim, source="https://example.org/a")])
    b.update_header(evidence=[Evidence(claim=claim + " ", source="https://example.org/a",
                                       ref="cpoc-surgery-school")])
    change, d = _only(a, b)
    assert (change.area, change.field, change.old, change.new) == (
        "evidence", "ref", None, "cpoc-surgery-school")
    b.update_header(evidence=[Evidence(claim="Another claim.", source="x")])
    kinds = sorted((c.change, c.subject) for c in diff_pathways(a, b).changes)
    assert kinds == [("added", "Another claim."), ("removed", claim)]
    assert diff_pathways(a, b).summary() == "1 evidence item added, 1 removed."


def test_flow_block_and_keyed_lists():
    a, b = make_pathway(), make_pathway()
    a.flow = Flow(horizon_weeks=52, replications=10)
    b.flow = Flow(horizon_weeks=104, replications=10, currency="GBP")
    a.cohorts = [Cohort(id="fit", name="Fit", share=0.7), Cohort(id="frail", name="Frail",
                                                                  share=0.3)]
    b.cohorts = [Cohort(id="fit", name="Fit", share=0.6), Cohort(id="frail", name="Frail",
                                                                  share=0.4)]
    b.costs = [UnitCost(id="pac", name="Preassessment", amount=120)]
    a.scenarios = [Scenario(id="more", name="More clinics")]
    d = diff_pathways(a, b)
    got = {(c.change, c.area, c.subject, c.field, c.old, c.new) for c in d.changes}
    assert got == {
        ("changed", "flow", "Flow", "horizon_weeks", 52, 104),
        ("changed", "flow", "Flow", "currency", None, "GBP"),
        ("changed", "cohort", "Fit", "share", 0.7, 0.6),
        ("changed", "cohort", "Frail", "share", 0.3, 0.4),
        ("added", "cost", "Preassessment", "", None, "Preassessment"),
        ("removed", "scenario", "More clinics", "", "More clinics", None),
    }
    assert d.marks_a() == {} and d.marks_b() == {}
    assert "2 cohorts changed" in d.summary()
    b.flow = None
    assert any(c.area == "flow" and c.change == "removed" and not c.field
               for c in diff_pathways(a, b).changes)


def test_scenario_changes_compared():
    from designer.graph.flow import Change as FlowChange

    a, b = make_pathway(), make_pathway()
    a.scenarios = [Scenario(id="s", name="S", changes=[FlowChange(step="pac", capacity=2)])]
    b.scenarios = [Scenario(id="s", name="S", changes=[FlowChange(step="pac", capacity=3)])]
    change, d = _only(a, b)
    assert (change.area, change.field) == ("scenario", "changes")
    assert d.rows()[0]["new"] == "step pac, capacity 3"


def test_timing_assumed_is_a_labelled_change():
    a, b = make_pathway(), make_pathway()
    b.update_step("referral", timing_assumed=True)
    change, d = _only(a, b)
    assert (change.field, change.old, change.new) == ("timing_assumed", None, True)
    assert d.rows()[0]["field"] == "timing assumed"


def test_every_new_field_of_a_step_is_compared():
    """A guard: a step differing only in any content field is reported."""
    base = Step(id="x", name="X")
    values = {"milestone": "referral", "surgery": SurgeryFacts(major=True),
              "duration": Distribution(dist="fixed", value=2), "capacity": 2,
              "uses": ["r"], "codes": {"snomed": "123"}, "timing_assumed": True}
    for name, value in values.items():
        a, b = make_pathway(), make_pathway()
        a.steps.append(base)
        b.steps.append(base.model_copy(update={name: value}))
        assert not diff_pathways(a, b).is_empty(), name


def test_every_transition_field_is_compared():
    t = Transition(source="surgery", target="home")
    values = {"parallel": True, "wait": Distribution(dist="fixed", value=2),
              "probability_by_cohort": {"c": 1.0}, "probability": 0.5, "wait_days": 3.0}
    for name, value in values.items():
        a, b = make_pathway(), make_pathway()
        b.transitions[-1] = t.model_copy(update={name: value})
        assert [c.field for c in diff_pathways(a, b).changes] == [name], name
