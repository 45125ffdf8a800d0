"""FHIR: a decision on a coded laboratory value tests the value, not the recorded answer.

The model carries a decision's thresholds only in its branches' words (read by the
rule decision-threshold-gap) and codes only where the author gave them. No exemplar's
decision has a code, so no exemplar gets an Observation test (no code is invented);
with a code the branches are evaluated here by a FHIRPath engine (fhirpathpy, with
its R4 model) against Observations, the independent truth.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.export.interop.fhir import export_fhir, plan_definition
from designer.graph.io import load_pathway
from designer.graph.model import Pathway

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
ALL = sorted(LIBRARY.glob("*.yaml"))
CODE = "TEST-HBA1C"     # a stand-in: the test does not claim a real LOINC code


def all_actions(actions):
    for action in actions or []:
        yield action
        yield from all_actions(action.get("action"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_no_code_no_observation_test(path):
    text = export_fhir(load_pathway(path))
    assert "loinc" not in text.lower()
    resource = json.loads(text)
    for action in all_actions(resource["action"]):
        assert all(i.get("type") != "Observation" for i in action.get("input", []))


def coded_diabetes() -> Pathway:
    data = load_pathway(LIBRARY / "diabetes-preop-clinic.yaml").model_dump(
        by_alias=True, exclude_none=True)
    (step,) = [s for s in data["steps"] if s["id"] == "hba1c-check"]
    step["codes"] = {"loinc": CODE}
    return Pathway.model_validate(data)


def observation(value: float, unit: str = "mmol/mol") -> dict:
    return {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": CODE}]},
            "valueQuantity": {"value": value, "unit": unit,
                              "system": "http://unitsofmeasure.org", "code": unit}}


def test_coded_decision_asks_for_the_observation_by_the_models_code():
    actions = {a["id"]: a for a in all_actions(plan_definition(coded_diabetes())["action"])}
    (needed,) = [i for i in actions["hba1c-check"]["input"] if i["type"] == "Observation"]
    assert needed["codeFilter"] == [{"path": "code", "code": [
        {"system": "http://loinc.org", "code": CODE}]}]


@pytest.mark.parametrize("value, answer, expected", [
    (52, None, {"dos-plan"}),                       # below 69: straight on, nobody asked
    (68.9, None, {"dos-plan"}),
    (69, "urgent-review", {"urgent-review"}),      # 69 is "≥ 69": the team says how urgent
    (90, "gp-optimisation", {"gp-optimisation"}),
    (90, None, set()),                             # high, not yet decided: no route yet
])
def test_branches_follow_the_result(value, answer, expected):
    fhirpath = pytest.importorskip("fhirpathpy")
    from fhirpathpy.models import models

    resource = json.loads(export_fhir(coded_diabetes()))
    from fhir.resources.R4B.plandefinition import PlanDefinition
    PlanDefinition.model_validate(resource)
    actions = {a["id"]: a for a in all_actions(resource["action"])}
    # the engine supplies the answer recorded at the decision: none yet is empty
    variables = {"hba1c-check-result": observation(value),
                 "hba1c-check": [f"hba1c-check.{answer}"] if answer else []}
    taken = set()
    for branch in actions["hba1c-check"]["action"]:
        (condition,) = branch["condition"]
        expression = condition["expression"]["expression"]
        assert "hba1c-check-result" in expression
        result = fhirpath.evaluate({}, expression, variables, models["r4"])
        if result == [True]:
            taken.add(branch["id"].split(".", 1)[1])
    assert taken == expected


def test_a_result_in_another_unit_takes_no_branch():
    fhirpath = pytest.importorskip("fhirpathpy")
    from fhirpathpy.models import models

    actions = {a["id"]: a for a in all_actions(plan_definition(coded_diabetes())["action"])}
    for branch in actions["hba1c-check"]["action"]:
        expression = branch["condition"][0]["expression"]["expression"]
        assert fhirpath.evaluate({}, expression, {"hba1c-check-result": observation(8.5, "%"),
                                                  "hba1c-check": branch["id"]},
                                 models["r4"]) != [True]


def test_the_coded_plan_is_valid_r4():
    from test_fhir_schema import schema_errors
    from fhir.resources.R4B.plandefinition import PlanDefinition

    resource = json.loads(export_fhir(coded_diabetes()))
    assert schema_errors(resource) == []
    PlanDefinition.model_validate(resource)


def test_the_coded_plan_still_round_trips():
    from designer.export.interop.fhir_import import fhir_to_pathway
    from designer.graph.diff import diff_pathways

    original = coded_diabetes()
    imported = fhir_to_pathway(export_fhir(original).encode(), "coded.json").pathway
    assert diff_pathways(original, imported).is_empty()
    assert imported.step("hba1c-check").codes == {"loinc": CODE}
