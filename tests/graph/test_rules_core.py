"""The core pack: every rule triggered once and quiet on a clean pathway."""

from __future__ import annotations

import pytest

from builders import chain, findings, link, minimal, pathway, step, surgical, targets
from designer.graph.rules import RULES, load_packs
from designer.graph.validate import validate

CORE_RULES = ["unknown-reference", "single-entry", "has-exit", "unreachable-step", "dead-end",
              "no-route-to-exit", "decision-branches", "step-without-owner",
              "handoff-missing", "handoff-without-receiver", "handoff-without-information",
              "handoff-without-channel"]


def test_every_core_rule_is_registered_with_metadata():
    load_packs()
    for rule_id in CORE_RULES:
        rule = RULES[rule_id]
        assert rule.pack == "core"
        assert rule.title and rule.sources and "DOMAIN" not in rule.source
        assert "Source: " in (rule.check.__doc__ or ""), rule_id
    assert RULES["handoff-without-channel"].severity == "warning"
    assert RULES["handoff-missing"].severity == "error"


@pytest.mark.parametrize("p", [minimal(), surgical()], ids=["minimal", "surgical"])
def test_clean_pathways_have_no_core_findings(p):
    report = validate(p, packs=[])
    assert report.findings == [], report.to_text()


# ---------------------------------------------------------------- unknown-reference

def test_unknown_setting_and_owner():
    p = pathway([step("a", "entry", setting="moon", owner="wizard"), step("b", "exit")],
                chain("a", "b"), full_handoffs=False)
    got = findings(p, "unknown-reference")
    assert [f.targets for f in got] == [("a",), ("a",)]
    assert "setting 'moon'" in got[0].message and "'A'" in got[0].message
    assert "role 'wizard'" in got[1].message


def test_unknown_transition_ends_and_handoff_roles():
    p = pathway([step("a", "entry"), step("b", "exit")],
                [link("a", "b", handoff={"sender": "ghost", "receiver": "surgeon",
                                         "information": ["x"], "channel": "letter"}),
                 link("a", "nowhere"), link("elsewhere", "b")])
    got = targets(p, "unknown-reference")
    assert sorted(got) == [("a->b",), ("a->nowhere",), ("elsewhere->b",)]
    msgs = " ".join(f.message for f in findings(p, "unknown-reference"))
    assert "'nowhere' that does not exist" in msgs
    assert "sender role 'ghost'" in msgs


def test_unknown_waiver_rule_target_and_pack():
    p = pathway([step("start", "entry"), step("clinic"), step("end", "exit")],
                chain("start", "clinic", "end"),
                waivers=[{"rule": "no-such-rule", "target": None, "reason": "r"},
                         {"rule": "dead-end", "target": "ghost", "reason": "r"},
                         {"rule": "dead-end", "target": "start->clinic", "reason": "fine"},
                         {"rule": "dead-end", "target": "clinic", "reason": "fine"}],
                rule_packs=["cardiac"])
    got = findings(p, "unknown-reference")
    assert len(got) == 3
    assert "'no-such-rule'" in got[0].message
    assert got[1].targets == ("ghost",)
    assert "'cardiac'" in got[2].message and got[2].targets == ()


def test_known_references_are_quiet():
    assert findings(surgical(), "unknown-reference") == []


# --------------------------------------------------------------------- single-entry

def test_no_entry_and_two_entries():
    none = pathway([step("a"), step("b", "exit")], chain("a", "b"))
    assert targets(none, "single-entry") == [()]
    two = pathway([step("a", "entry"), step("b", "entry"), step("c", "exit")],
                  [link("a", "c"), link("b", "c")])
    got = findings(two, "single-entry")
    assert got[0].targets == ("a", "b") and "2 entry steps" in got[0].message
    assert findings(minimal(), "single-entry") == []


# ------------------------------------------------------------------------- has-exit

def test_has_exit():
    p = pathway([step("a", "entry"), step("b")], [link("a", "b"), link("b", "a")])
    assert len(findings(p, "has-exit")) == 1
    assert findings(minimal(), "has-exit") == []


# ----------------------------------------------------------------- unreachable-step

def test_unreachable_step():
    p = pathway([step("a", "entry"), step("island", name="Lonely clinic"), step("b", "exit")],
                [link("a", "b"), link("island", "b")])
    got = findings(p, "unreachable-step")
    assert [f.targets for f in got] == [("island",)]
    assert "'Lonely clinic'" in got[0].message
    assert findings(minimal(), "unreachable-step") == []


def test_unreachable_is_silent_without_entry():
    p = pathway([step("a"), step("b", "exit")], chain("a", "b"))
    assert findings(p, "unreachable-step") == []


# ------------------------------------------------------------------------- dead-end

def test_dead_end():
    p = pathway([step("a", "entry"), step("stuck"), step("b", "exit")],
                [link("a", "b"), link("a", "stuck")])
    assert targets(p, "dead-end") == [("stuck",)]
    assert findings(minimal(), "dead-end") == []


# ----------------------------------------------------------------- no-route-to-exit

def test_closed_loop_has_no_route_to_exit():
    p = pathway([step("a", "entry"), step("x"), step("y"), step("b", "exit")],
                [link("a", "b"), link("a", "x"), link("x", "y"), link("y", "x")])
    assert sorted(targets(p, "no-route-to-exit")) == [("x",), ("y",)]
    # an optimisation loop that returns to the main route is fine
    assert findings(surgical(), "no-route-to-exit") == []


def test_no_route_to_exit_silent_without_exit_and_for_dead_ends():
    p = pathway([step("a", "entry"), step("b")], [link("a", "b"), link("b", "a")])
    assert findings(p, "no-route-to-exit") == []
    p = pathway([step("a", "entry"), step("stuck"), step("b", "exit")],
                [link("a", "b"), link("a", "stuck")])
    assert findings(p, "no-route-to-exit") == []


# ---------------------------------------------------------------- decision-branches

def test_decision_with_one_branch_and_branch_without_condition():
    p = pathway([step("a", "entry"), step("d", "decision", name="Fit?"), step("b", "exit")],
                [link("a", "d"), link("d", "b")])
    got = findings(p, "decision-branches")
    assert [f.targets for f in got] == [("d",), ("d->b",)]
    assert "1 branch;" in got[0].message and "'Fit?'" in got[0].message


def test_decision_with_conditions_is_fine():
    p = pathway([step("a", "entry"), step("d", "decision"), step("b", "exit"), step("c", "exit")],
                [link("a", "d"), link("d", "b", condition="yes"), link("d", "c", condition="no")])
    assert findings(p, "decision-branches") == []


# --------------------------------------------------------------- step-without-owner

def test_step_without_owner():
    p = pathway([step("a", "entry", owner=None), step("b", "exit")], chain("a", "b"))
    got = findings(p, "step-without-owner")
    assert [f.targets for f in got] == [("a",)]
    assert findings(minimal(), "step-without-owner") == []


# ------------------------------------------------------------------ handoff-missing

def test_handoff_missing_between_settings():
    p = pathway([step("a", "entry", setting="gp", name="Referral"), step("b", "exit")],
                chain("a", "b"), full_handoffs=False)
    got = findings(p, "handoff-missing")
    assert [f.targets for f in got] == [("a->b",)]
    assert "GP practice" in got[0].message and "Hospital" in got[0].message


def test_handoff_not_needed_within_a_setting_or_with_unknown_setting():
    p = pathway([step("a", "entry", setting="gp"), step("b", setting="gp"),
                 step("c", "exit", setting="moon")],
                chain("a", "b", "c"), full_handoffs=False)
    assert findings(p, "handoff-missing") == []
    assert findings(surgical(), "handoff-missing") == []


# ------------------------------------------------------------------ handoff details

def _with_handoff(handoff: dict):
    return pathway([step("a", "entry", setting="gp"), step("b", "exit")],
                   [link("a", "b", handoff=handoff)])


def test_handoff_without_receiver():
    p = _with_handoff({"sender": "gp", "information": ["x"], "channel": "letter"})
    got = findings(p, "handoff-without-receiver")
    assert [f.targets for f in got] == [("a->b",)]
    assert "no receiver" in got[0].message
    p = _with_handoff({"information": ["x"], "channel": "letter"})
    assert "no sender and receiver" in findings(p, "handoff-without-receiver")[0].message
    assert findings(surgical(), "handoff-without-receiver") == []


def test_handoff_without_information():
    p = _with_handoff({"sender": "gp", "receiver": "surgeon", "channel": "letter"})
    assert targets(p, "handoff-without-information") == [("a->b",)]
    assert findings(surgical(), "handoff-without-information") == []


def test_handoff_without_channel_is_a_warning():
    p = _with_handoff({"sender": "gp", "receiver": "surgeon", "information": ["x"]})
    got = findings(p, "handoff-without-channel")
    assert [(f.targets, f.severity) for f in got] == [(("a->b",), "warning")]
    assert findings(surgical(), "handoff-without-channel") == []
