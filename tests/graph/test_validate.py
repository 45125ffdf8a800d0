"""The validation engine: packs, severities, waivers, sorting, JSON and text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import chain, link, minimal, pathway, step, surgical
from designer.graph.network import build_graph
from designer.graph.rules import RULES, Finding, found, load_packs, rule
from designer.graph import sources
from designer.graph.rules import FORMAT
from designer.graph.validate import ValidationReport, validate


def _broken() -> object:
    # no owner on 'a' (error), a handoff without channel (warning)
    return pathway(
        [step("a", "entry", owner=None, setting="gp", name="Referral"), step("b", "exit")],
        [link("a", "b", handoff={"sender": "gp", "receiver": "surgeon",
                                 "information": ["letter"], "within_days": 7})])


def test_findings_sorted_worst_first_and_summary():
    report = validate(_broken())
    assert [f.rule for f in report.findings] == ["step-without-owner",
                                                 "handoff-without-channel"]
    assert report.summary == {"error": 1, "warning": 1, "info": 0}
    assert report.has_errors
    f = report.findings[0]
    assert (f.pack, f.severity, f.title) == ("core", "error", "A step with no owner role")
    assert f.waived_reason is None


def test_graph_can_be_passed_in():
    p = _broken()
    assert validate(p, build_graph(p)).summary == validate(p).summary


def test_packs_core_always_and_opt_in():
    p = surgical(rule_packs=[])
    assert validate(p).packs == ("core",)
    p = surgical(rule_packs=["diabetes", "perioperative"])
    assert validate(p).packs == ("core", "perioperative", "diabetes")
    assert validate(p, packs=["diabetes"]).packs == ("core", "diabetes")
    assert validate(p, packs=[]).packs == ("core",)


def test_waiver_with_target_matches_only_that_target():
    p = pathway([step("a", "entry", owner=None), step("b", owner=None), step("c", "exit")],
                chain("a", "b", "c"),
                waivers=[{"rule": "step-without-owner", "target": "b",
                          "reason": "Owned by whoever is on call"}])
    report = validate(p)
    assert [f.targets for f in report.findings] == [("a",)]
    assert [(f.targets, f.waived_reason) for f in report.waived] == [
        (("b",), "Owned by whoever is on call")]
    assert report.summary["error"] == 1


def test_waiver_without_target_matches_every_finding_of_the_rule():
    p = pathway([step("a", "entry", owner=None), step("b", owner=None), step("c", "exit")],
                chain("a", "b", "c"),
                waivers=[{"rule": "step-without-owner", "reason": "Draft"}])
    report = validate(p)
    assert report.findings == []
    assert len(report.waived) == 2


def test_waiver_of_another_rule_does_not_match():
    p = pathway([step("a", "entry", owner=None), step("c", "exit")], chain("a", "c"),
                waivers=[{"rule": "dead-end", "target": "a", "reason": "x"}])
    assert [f.rule for f in validate(p).findings] == ["step-without-owner"]


def test_waiver_matches_transition_targets():
    p = _broken()
    p.add_waiver(_waiver("handoff-without-channel", "a->b"))
    report = validate(p)
    assert [f.rule for f in report.waived] == ["handoff-without-channel"]


def test_to_json_matches_design_contract():
    p = _broken()
    p.add_waiver(_waiver("step-without-owner"))
    data = validate(p).to_json()
    assert set(data) == {"findings", "waived", "summary"}
    assert data["summary"] == {"error": 0, "warning": 1, "info": 0}
    assert data["findings"] == [{
        "rule": "handoff-without-channel", "severity": "warning",
        "message": data["findings"][0]["message"], "targets": ["a->b"]}]
    assert data["waived"][0]["reason"] == "Agreed at the network meeting"
    assert set(data["waived"][0]) == {"rule", "severity", "message", "targets", "reason"}
    json.dumps(data)  # plain JSON types only


def _waiver(rule_id: str, target: str | None = None):
    from designer.graph.model import Waiver
    return Waiver(rule=rule_id, target=target, reason="Agreed at the network meeting")


def test_to_text_groups_by_severity_with_summary_line():
    p = _broken()
    p.add_waiver(_waiver("dead-end"))
    text = validate(p).to_text("referral.yaml")
    first = text.splitlines()[0]
    assert first == "referral.yaml: 1 error, 1 warning, 0 notes"
    assert text.index("Errors (1):") < text.index("Warnings (1):")
    assert "[step-without-owner] Nobody owns 'Referral'" in text
    assert "at: a->b" in text


def test_to_text_clean_and_waived():
    p = pathway([step("a", "entry", owner=None), step("c", "exit")], chain("a", "c"),
                waivers=[{"rule": "step-without-owner", "reason": "Draft only"}])
    text = validate(p).to_text("x.yaml")
    assert text.splitlines()[0] == "x.yaml: 0 errors, 0 warnings, 0 notes (1 finding waived)"
    assert "[step-without-owner] at a: Draft only" in text
    assert validate(minimal()).to_text("m.yaml").endswith("no problems found")


def test_findings_for_and_by_target():
    report = validate(_broken())
    assert [f.rule for f in report.findings_for("a")] == ["step-without-owner"]
    assert [f.rule for f in report.findings_for("a->b")] == ["handoff-without-channel"]
    assert report.findings_for("b") == []
    assert set(report.by_target()) == {"a", "a->b"}


def test_empty_report():
    assert ValidationReport().summary == {"error": 0, "warning": 0, "info": 0}


def test_broken_rule_becomes_a_warning_not_a_crash():
    @rule("test-broken-rule", "diabetes", "A rule that fails", FORMAT)
    def broken(pathway, graph):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    try:
        report = validate(minimal(), packs=["diabetes"])
        got = [f for f in report.findings if f.rule == "test-broken-rule"]
        assert len(got) == 1 and got[0].severity == "warning"
        assert "could not run" in got[0].message and "boom" in got[0].message
    finally:
        del RULES["test-broken-rule"]


def test_rule_registry_refuses_bad_registrations():
    with pytest.raises(ValueError):
        rule("dead-end", "core", "again", FORMAT)(lambda p, g: [])
    with pytest.raises(ValueError):
        rule("x-1", "cardiac", "t", "s")
    with pytest.raises(ValueError):
        rule("x-2", "core", "t", "s", severity="fatal")
    with pytest.raises(ValueError, match="not in the sources registry"):
        rule("x-3", "core", "t", "nice-ng999#1.1")


def test_found_uses_registry_defaults():
    load_packs()
    f = found("handoff-without-channel", "msg", "a->b")
    assert f == Finding("handoff-without-channel", "warning", "msg", ("a->b",), "core",
                        RULES["handoff-without-channel"].title)
    assert found("dead-end", "m", severity="info").severity == "info"


def test_validate_leaves_the_cycle_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    validate(minimal())
    assert gc.isenabled()
    gc.disable()
    try:
        validate(minimal())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_every_rule_is_tested_and_documented():
    """Guard: a new rule needs a source in its docstring and tests in a rules test file."""
    from pathlib import Path

    load_packs()
    here = Path(__file__).parent
    tested = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_rules_*.py"))
    for rule_id, registered in RULES.items():
        if rule_id.startswith("test-"):
            continue
        assert f'"{rule_id}"' in tested, f"no test names {rule_id}"
        assert "Source: " in (registered.check.__doc__ or ""), rule_id
        assert registered.title and registered.sources, rule_id
        for ref in registered.sources:   # every citation is in the sources registry
            assert ref == FORMAT or sources.get(ref).publisher, (rule_id, ref)


# ------------------------------------------------------------ random pathways

_KINDS = ["entry", "task", "decision", "wait", "exit"]
_ACTIVITIES = [None, "referral", "shared-decision-making", "listing", "preassessment",
               "optimisation", "prehabilitation", "education", "surgery", "discharge",
               "waiting-well", "glycaemic-optimisation", "diabetes-plan"]


@st.composite
def random_pathways(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    steps = []
    for i in range(n):
        steps.append(step(
            f"s{i}", draw(st.sampled_from(_KINDS)),
            setting=draw(st.sampled_from(["gp", "hospital", "home", "moon"])),
            owner=draw(st.sampled_from([None, "gp", "surgeon", "ghost"])),
            activity=draw(st.sampled_from(_ACTIVITIES)),
            duration_days=draw(st.sampled_from([None, 0, 1, 14, 60])),
            channel=draw(st.sampled_from([None, "digital", "phone"]))))
    ids = [f"s{i}" for i in range(n)] + ["ghost"]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)),
                          max_size=20, unique=True)) if n else []
    transitions = [link(a, b, wait_days=draw(st.sampled_from([None, 3, 50])),
                        condition=draw(st.sampled_from([None, "HbA1c >= 69", "yes"])),
                        probability=draw(st.sampled_from([None, 0.2, 0.9])))
                   for a, b in pairs if a != b]
    return pathway(steps, transitions, full_handoffs=draw(st.booleans()),
                   rule_packs=["perioperative", "diabetes"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_pathways())
def test_random_pathways_validate_and_time_without_failing(p):
    import networkx as nx

    from designer.graph.network import forward_graph
    from designer.graph.timeline import compute_timeline

    report = validate(p)
    assert not [f for f in report.findings if "could not run" in f.message]
    assert all(f.severity in ("error", "warning", "info") for f in report.findings)
    ranks = [("error", "warning", "info").index(f.severity) for f in report.findings]
    assert ranks == sorted(ranks)
    assert nx.is_directed_acyclic_graph(forward_graph(p))
    t = compute_timeline(p)
    assert len(t.entries) == len(p.steps)
    assert all(e.start_day >= 0 and e.end_day >= e.start_day for e in t.entries)
    assert all(0 <= e.reach_probability <= 1 for e in t.entries)
    if t.critical_path:
        assert t.total_days >= 0


def test_catalogue_lists_every_design_rule_pack_by_pack():
    from designer.graph.rules import catalogue

    rows = catalogue()
    ids = [r["id"] for r in rows]
    design = ["unknown-reference", "single-entry", "has-exit", "unreachable-step", "dead-end",
              "no-route-to-exit", "decision-branches", "step-without-owner",
              "handoff-missing", "handoff-without-receiver", "handoff-without-information",
              "handoff-without-channel", "missing-phase", "sdm-before-listing",
              "discharge-without-follow-up", "discharge-information", "no-optimisation-route",
              "prehab-window", "education-before-surgery", "long-wait-without-support",
              "digital-only", "diabetes-referral-dataset", "hba1c-optimisation-route",
              "day-of-surgery-plan", "diabetes-discharge-gp"]
    assert set(design) <= set(ids)
    packs = [r["pack"] for r in rows]
    assert packs == sorted(packs, key=["core", "perioperative", "diabetes", "flow"].index)
    assert all(set(r) == {"id", "pack", "severity", "title", "source", "sources"} for r in rows)
