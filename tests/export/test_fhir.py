"""FHIR R4 PlanDefinition export, parsed by fhir.resources' R4B models."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.export.interop.fhir import export_fhir, plan_definition
from test_bpmn import EVIL, LIBRARY, interop_pathway

PlanDefinition = pytest.importorskip("fhir.resources.R4B.plandefinition").PlanDefinition


def all_actions(actions):
    for action in actions or []:
        yield action
        yield from all_actions(action.get("action"))


def by_id(resource: dict) -> dict[str, dict]:
    return {a["id"]: a for a in all_actions(resource.get("action"))}


def test_parses_as_r4_plan_definition_without_errors():
    text = export_fhir(interop_pathway(), date=dt.date(2026, 1, 31))
    plan = PlanDefinition.model_validate_json(text)
    assert plan.type.coding[0].code == "clinical-protocol"
    assert plan.status == "active"            # approved pathway
    assert plan.title == "Interop demo" and plan.version == "2.1.0"
    assert plan.name == "InteropDemo" and plan.publisher == "Test ICS"
    assert str(plan.date) == "2026-01-31"
    assert plan.url.startswith("urn:uuid:")
    assert "Adults having hip surgery" in plan.description


def test_draft_status_and_stable_url():
    draft = interop_pathway().model_copy(update={"status": "in-review"})
    first, second = plan_definition(draft), plan_definition(interop_pathway())
    assert first["status"] == "draft"
    assert first["url"] == second["url"]          # the canonical does not change
    with_base = plan_definition(draft, base_url="https://fhir.example.nhs.uk/")
    assert with_base["url"] == "https://fhir.example.nhs.uk/PlanDefinition/interop-demo"


def test_steps_become_actions_with_codes_participants_and_documentation():
    actions = by_id(plan_definition(interop_pathway()))
    assert {"referral", "sdm", "pac", "fit", "optimise", "wait", "surgery", "home",
            "stray"} <= set(actions)
    surgery = actions["surgery"]
    assert surgery["code"][0]["coding"][0] == {"system": "http://snomed.info/sct",
                                               "code": "52734007"}
    assert surgery["documentation"][0]["type"] == "documentation"
    assert surgery["documentation"][0]["display"] == "You will have your operation."
    # no owner: no practitioner or patient, only the setting (an R5 actor, no R4 type)
    assert [p.get("type") for p in surgery["participant"]] == [None]
    assert actions["sdm"]["participant"][0] == {
        "type": "practitioner", "role": {"text": "Consultant surgeon"}}
    assert actions["home"]["participant"][0]["type"] == "patient"
    # how long the step lasts, not when it happens (timingDuration)
    assert actions["wait"]["timingTiming"] == {"repeat": {"duration": 28, "durationUnit": "d"}}
    assert "timingDuration" not in actions["wait"]
    assert "Setting: Hospital." in actions["sdm"]["textEquivalent"]


def test_transitions_become_related_actions_with_offsets():
    actions = by_id(plan_definition(interop_pathway()))
    related = [{k: v for k, v in r.items() if k != "extension"}     # ours: see test_fhir_import
               for r in actions["sdm"]["relatedAction"]]
    assert related == [{"actionId": "referral", "relationship": "after-end",
                        "offsetDuration": {"value": 14.0, "unit": "days",
                                           "system": "http://unitsofmeasure.org",
                                           "code": "d"}}]
    # optimise -> pac closes the loop pac -> fit -> optimise: kept out of the relations
    assert {r["actionId"] for r in actions["pac"]["relatedAction"]} == {"sdm"}
    (loop,) = [e for e in actions["pac"]["extension"] if e["url"].endswith("/loop-back")]
    assert loop["extension"][0] == {"url": "actionId", "valueId": "optimise"}
    for action in actions.values():       # every reference names an action
        for r in action.get("relatedAction", []):
            assert r["actionId"] in actions
    ids = [a["id"] for a in all_actions(plan_definition(interop_pathway())["action"])]
    assert len(ids) == len(set(ids))


def test_decision_selects_exactly_one_branch_with_applicability_conditions():
    actions = by_id(plan_definition(interop_pathway()))
    fit = actions["fit"]
    assert fit["selectionBehavior"] == "exactly-one"
    branches = {b["id"]: b for b in fit["action"]}
    assert set(branches) == {"fit.optimise", "fit.wait"}
    condition = branches["fit.optimise"]["condition"][0]
    assert condition["kind"] == "applicability"
    assert condition["expression"]["description"] == "HbA1c 69 mmol/mol or more"
    # the branch target follows the branch, not the decision as a whole
    assert actions["optimise"]["relatedAction"][0]["actionId"] == "fit.optimise"
    assert actions["wait"]["relatedAction"][0]["offsetDuration"]["value"] == 28


def test_handoff_information_becomes_data_requirements():
    actions = by_id(plan_definition(interop_pathway()))
    out = actions["referral"]["output"]
    into = actions["sdm"]["input"]
    items = [d["codeFilter"][0]["code"][0]["display"] for d in into]
    assert items == ["referral letter", "medicines list"]
    assert [d["codeFilter"][0]["code"][0]["display"] for d in out] == items
    assert all(d["type"] == "DocumentReference" for d in out + into)
    text = actions["sdm"]["textEquivalent"]
    assert "General practitioner" in text and "e-referral" in text and "14 days" in text


@pytest.mark.parametrize("text", EVIL)
def test_user_text_survives_json_exactly(text, tmp_path):
    out = tmp_path / "plan.json"
    export_fhir(interop_pathway(evil=True), out)
    raw = out.read_text(encoding="utf-8")
    data = json.loads(raw)
    PlanDefinition.model_validate(data)
    titles = {a.get("title") for a in all_actions(data["action"])}
    assert text in titles
    assert data["title"] == EVIL[1]


def test_library_exemplars_parse():
    from designer.graph.io import load_pathway

    files = sorted(Path(LIBRARY).glob("*.yaml"))
    assert files, f"no exemplars in {LIBRARY}"
    for path in files:
        PlanDefinition.model_validate_json(export_fhir(load_pathway(path)))


def test_step_ids_that_are_not_fhir_ids_are_mapped_consistently():
    pathway = interop_pathway()
    long_id = "sdm_clinic_" + "x" * 70
    pathway.rename_step("sdm", long_id)
    pathway.rename_step("pac", "pre_assessment")
    pathway.add_step(pathway.step("home").model_copy(update={"id": "pre-assessment",
                                                             "kind": "task"}))
    data = plan_definition(pathway)
    PlanDefinition.model_validate(data)            # actionId is a FHIR id: [A-Za-z0-9-.]{1,64}
    actions = by_id(data)
    assert all(len(i) <= 64 for i in actions)
    assert len(actions) == len(list(all_actions(data["action"])))     # still unique
    sdm = next(a for a in actions.values() if a["title"] == "Shared decision making")
    pac = next(a for a in actions.values() if a["title"] == "Preoperative assessment")
    assert sdm["id"] != long_id and sdm["id"].startswith("sdm-clinic-")
    assert pac["id"].startswith("pre-assessment-")          # the valid id keeps its name
    assert "pre-assessment" in actions
    assert sdm["id"] in {r["actionId"] for r in pac["relatedAction"]}


@settings(max_examples=30, deadline=None)
@given(text=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_user_text_gives_a_valid_plan_definition(text):
    pathway = interop_pathway().model_copy(update={"title": text})
    pathway.update_step("sdm", name=text, patient_info=text)
    pathway.update_transition("fit->wait", condition=text)
    PlanDefinition.model_validate_json(export_fhir(pathway))
