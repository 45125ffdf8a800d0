"""The flow pack: what the simulation still needs, as information only."""

from __future__ import annotations

from designer.graph.io import load_pathway
from designer.graph.model import Pathway
from designer.graph.validate import validate


def _pathway(**extra) -> Pathway:
    data = {
        "format": "periop-pathway/1", "id": "f", "title": "Flow pack",
        "steps": [
            {"id": "ref", "name": "Referral", "kind": "entry", "duration_days": 1},
            {"id": "assess", "name": "Assessment"},
            {"id": "fit", "name": "Fit?", "kind": "decision"},
            {"id": "op", "name": "Operation", "activity": "surgery", "duration_days": 1,
             "uses": ["theatres"], "costs": [{"cost": "episode"}]},
            {"id": "opt", "name": "Optimise", "duration_days": 20},
            {"id": "home", "name": "Home", "kind": "exit"},
        ],
        "transitions": [
            {"from": "ref", "to": "assess"}, {"from": "assess", "to": "fit"},
            {"from": "fit", "to": "op", "probability": 0.8},
            {"from": "fit", "to": "opt"}, {"from": "opt", "to": "op"},
            {"from": "op", "to": "home"},
        ],
    }
    data.update(extra)
    return Pathway.model_validate(data)


def _by_rule(report):
    out = {}
    for f in report.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_pack_runs_when_the_pathway_has_flow_inputs_and_only_informs():
    assert "flow" not in validate(_pathway()).packs
    report = validate(_pathway(flow={"replications": 5}))
    assert "flow" in report.packs
    found = _by_rule(report)
    assert {f.severity for r in found for f in found[r] if r.startswith("flow")} == {"info"}
    assert found["flow-arrivals"]
    assert found["flow-step-without-duration"][0].targets == ("assess",)
    assert found["flow-branch-without-probability"][0].targets == ("fit->opt",)
    unknown = " ".join(f.message for f in found["flow-unknown-input"])
    assert "'theatres'" in unknown and "'episode'" in unknown


def test_branch_sums_per_cohort():
    p = _pathway(flow={"arrivals": {"per_week": 1}},
                 cohorts=[{"id": "a", "name": "A", "share": 0.5},
                          {"id": "b", "name": "B", "share": 0.4}])
    p.transitions[3] = p.transitions[3].model_copy(
        update={"probability": 0.2, "probability_by_cohort": {"a": 0.5}})
    found = _by_rule(validate(p))
    sums = [f.message for f in found["flow-branches-sum"]]
    assert len(sums) == 1 and "for cohort 'a'" in sums[0] and "sum to 1.3" in sums[0]
    assert any("shares sum to 0.9" in f.message for f in found["flow-unknown-input"])


def test_opt_in_by_rule_packs_without_flow_block():
    report = validate(_pathway(rule_packs=["flow"]))
    assert "flow" in report.packs and _by_rule(report)["flow-arrivals"]


def test_exemplars_with_flow_inputs_need_nothing_more():
    for name in ("eras-plus-colorectal", "diabetes-preop-clinic"):
        report = validate(load_pathway(f"pathway_library/{name}.yaml"))
        assert "flow" in report.packs
        # nothing more for the simulation (clinical "cannot tell" notes are not its business)
        flow = [f for f in report.findings if f.pack == "flow"]
        assert flow == [], [f.message for f in flow]
        assert not [f for f in report.findings if f.severity in ("error", "warning")]
