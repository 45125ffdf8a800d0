"""Every exemplar's PlanDefinition against HL7's official FHIR R4 JSON schema, and computable.

The schema is test data (tests/data/fhir, with its licence). "Computable" is
checked against what a FHIR engine applying the plan would do: the relations
between actions have no cycle (a scheduler would wait for ever), each decision
is a group that selects exactly one branch, every branch and every step behind
it carries an applicability condition in a language the schema knows, so
applying the plan never gives a patient two alternative routes at once.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pytest

from designer.export.interop.fhir import plan_definition
OPCS = "https://fhir.nhs.uk/Id/opcs-4"
from designer.graph.io import load_pathway
from designer.graph.model import StepKind

jsonschema = pytest.importorskip("jsonschema")

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"
LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


@lru_cache(maxsize=1)
def validator():
    with gzip.open(DATA / "fhir.schema.json.gz", "rt", encoding="utf-8") as handle:
        schema = json.load(handle)
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    # the root is a oneOf over every resource type; ours is a PlanDefinition
    rooted = {"$ref": "#/definitions/PlanDefinition", "definitions": schema["definitions"]}
    return jsonschema.Draft6Validator(rooted)


def schema_errors(resource: dict) -> list[str]:
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:160]}"
            for e in validator().iter_errors(resource)]


def exported(path: Path) -> dict:
    """The PlanDefinition as written to the file (cleaned JSON)."""
    from designer.export.interop.fhir import export_fhir

    return json.loads(export_fhir(load_pathway(path), date=dt.date(2026, 1, 31)))


def all_actions(actions):
    for action in actions or []:
        yield action
        yield from all_actions(action.get("action"))


def test_the_schema_catches_what_it_should():
    """The validator is real: a plain-text expression and a bad status fail it."""
    bad = {"resourceType": "PlanDefinition", "status": "published", "action": [
        {"id": "a", "condition": [{"kind": "applicability", "expression": {
            "language": "text/plain", "expression": "HbA1c high"}}]}]}
    errors = schema_errors(bad)
    assert any("status" in e for e in errors)
    assert any("language" in e for e in errors)


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_exemplar_is_valid_against_the_r4_json_schema(path):
    assert schema_errors(exported(path)) == []


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_related_actions_have_no_cycle(path):
    plan = exported(path)
    graph = nx.DiGraph()
    for action in all_actions(plan.get("action")):
        graph.add_node(action["id"])
        for child in action.get("action") or []:
            graph.add_edge(action["id"], child["id"])       # a branch follows its group
        for related in action.get("relatedAction") or []:
            assert related["relationship"] == "after-end"
            graph.add_edge(related["actionId"], action["id"])
    assert nx.is_directed_acyclic_graph(graph), nx.find_cycle(graph)


def test_the_diabetes_loop_is_kept_as_a_documented_extension():
    from designer.export.interop import fhir_extensions as fx

    plan = exported(LIBRARY / "diabetes-preop-clinic.yaml")
    loops = [(a["id"], e) for a in all_actions(plan["action"])
             for e in a.get("extension") or [] if e["url"] == fx.LOOP_BACK]
    assert loops, "the GP optimisation loop back to the clinic is lost"
    for _action, extension in loops:
        names = {s["url"] for s in extension["extension"]}
        assert {"actionId", "relationship"} <= names


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_decisions_select_one_branch_and_every_route_is_conditioned(path):
    pathway = load_pathway(path)
    plan = exported(path)
    actions = {a["id"]: a for a in all_actions(plan.get("action"))}
    for step in pathway.steps:
        if step.kind is not StepKind.decision:
            continue
        decision = actions[step.id]
        assert decision["selectionBehavior"] == "exactly-one"
        assert decision["groupingBehavior"] == "logical-group"
        for branch in decision["action"]:
            (condition,) = branch["condition"]
            assert condition["kind"] == "applicability"
            assert condition["expression"]["language"] == "text/fhirpath"
            assert condition["expression"]["description"]
    for action in actions.values():
        for condition in action.get("condition") or []:
            assert condition["expression"]["language"] == "text/fhirpath"


def test_downstream_steps_inherit_their_branch_condition():
    """Applying the diabetes plan: surgery only when HbA1c is in range; the GP
    optimisation only when it is not. Never both unconditionally."""
    plan = exported(LIBRARY / "diabetes-preop-clinic.yaml")
    pathway = load_pathway(LIBRARY / "diabetes-preop-clinic.yaml")
    actions = {a["id"]: a for a in all_actions(plan["action"])}
    decisions = [s for s in pathway.steps if s.kind is StepKind.decision]
    assert decisions
    conditioned = [a for a in actions.values()
                   if a.get("condition") and "." not in a["id"]]
    assert conditioned, "no step behind a branch carries that branch's condition"
    # two steps that follow different branches of one decision never both apply
    # unconditionally
    for decision in decisions:
        targets = [t.target for t in pathway.transitions if t.source == decision.id]
        plain = [t for t in targets if not actions[t].get("condition")]
        assert len(plain) <= 0 or len(targets) < 2, (decision.id, plain)


def test_step_length_is_a_repeat_duration_not_a_timing_offset():
    plan = exported(LIBRARY / "diabetes-preop-clinic.yaml")
    pathway = load_pathway(LIBRARY / "diabetes-preop-clinic.yaml")
    actions = {a["id"]: a for a in all_actions(plan["action"])}
    timed = [s for s in pathway.steps if s.duration_days]
    assert timed
    for step in timed:
        action = actions[step.id]
        assert "timingDuration" not in action
        repeat = action["timingTiming"]["repeat"]
        assert repeat["duration"] == step.duration_days and repeat["durationUnit"] == "d"


@pytest.mark.parametrize("status, fhir_status, experimental", [
    ("exemplar", "draft", True), ("approved", "active", False),
    ("draft", "draft", False), ("in-review", "draft", False)])
def test_status_is_mapped_from_the_pathway_status(status, fhir_status, experimental):
    pathway = load_pathway(LIBRARY / "diabetes-preop-clinic.yaml")
    from designer.graph.model import Status
    plan = plan_definition(pathway.model_copy(update={"status": Status(status)}))
    assert plan["status"] == fhir_status
    assert plan["experimental"] is experimental


def test_snomed_and_opcs_codes_are_codings():
    plan = exported(LIBRARY / "day-case-lap-chole.yaml")
    pathway = load_pathway(LIBRARY / "day-case-lap-chole.yaml")
    coded = next(s for s in pathway.steps if s.codes.get("opcs"))
    action = {a["id"]: a for a in all_actions(plan["action"])}[coded.id]
    codings = [c for concept in action["code"] for c in concept.get("coding", [])]
    assert {"system": "http://snomed.info/sct", "code": coded.codes["snomed"]} in [
        {k: c[k] for k in ("system", "code")} for c in codings]
    opcs = [c["code"] for c in codings if c["system"] == OPCS]
    assert opcs == coded.codes["opcs"].split()
