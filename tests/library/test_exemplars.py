"""Every built-in exemplar loads, validates clean under its packs, round-trips and is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from designer.graph.io import dump_pathway, load_pathway, loads_pathway
from designer.graph.model import PHASE_ORDER, StepKind
from designer.graph.rules import PACKS
from designer.graph.validate import validate
from designer.library import builtin_folder

EXEMPLARS = sorted(builtin_folder().glob("*.yaml"))
MY_EXEMPLARS = ("eras-plus-colorectal", "diabetes-preop-clinic", "day-case-lap-chole",
                "anaemia-optimisation")


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


@pytest.fixture(params=EXEMPLARS, ids=_ids(EXEMPLARS))
def exemplar(request):
    return request.param, load_pathway(request.param)


def test_the_library_ships_the_core_exemplars():
    assert set(MY_EXEMPLARS) <= set(_ids(EXEMPLARS))


def test_file_name_matches_id_and_header_is_complete(exemplar):
    path, pathway = exemplar
    assert pathway.id == path.stem
    assert pathway.status.value == "exemplar"
    assert pathway.version == "1.0.0"
    assert pathway.summary and pathway.population and pathway.specialties
    assert "perioperative" in pathway.rule_packs
    assert set(pathway.rule_packs) <= set(PACKS), "declares a rule pack that does not exist"
    assert pathway.evidence and all(e.claim and e.source for e in pathway.evidence)
    assert all(e.note for e in pathway.evidence if e.weak), "weak evidence must say why"


def test_validates_with_no_errors_and_waivers_are_live(exemplar):
    path, pathway = exemplar
    report = validate(pathway)
    errors = [f for f in report.findings if f.severity == "error"]
    assert not errors, "\n".join(f"{f.rule}: {f.message}" for f in errors)
    assert set(pathway.rule_packs) <= set(report.packs)
    # every waiver must still accept a real finding, and say why in clinical words
    for waiver in pathway.waivers:
        assert len(waiver.reason.split()) >= 5
        assert any(f.rule == waiver.rule and (not waiver.target or waiver.target in f.targets)
                   for f in report.waived), f"stale waiver {waiver.rule} {waiver.target}"


def test_round_trips_load_save_load_equal(exemplar, tmp_path):
    path, pathway = exemplar
    again = loads_pathway(dump_pathway(pathway), name=path.name)
    assert again.content_equal(pathway)
    assert dump_pathway(again) == dump_pathway(pathway)


def test_every_step_is_fully_described(exemplar):
    _, pathway = exemplar
    roles = {r.id for r in pathway.roles}
    settings = {s.id for s in pathway.settings}
    for step in pathway.steps:
        where = f"{pathway.id}:{step.id}"
        assert step.owner in roles, where
        assert step.setting in settings, where
        assert step.phase is not None and step.activity is not None, where
        assert step.duration_days is not None, where
        assert step.description and step.patient_info, where
        assert len(step.name) <= 40, f"{where}: keep step names short for the canvas"
    assert {s.phase for s in pathway.steps} == set(PHASE_ORDER)


def test_patient_info_sentences_are_short(exemplar):
    _, pathway = exemplar
    for step in pathway.steps:
        for sentence in re.split(r"(?<=[.!?])\s+", step.patient_info or ""):
            assert len(sentence.split()) <= 20, f"{pathway.id}:{step.id}: {sentence!r}"


def test_patient_information_reads_at_nhs_reading_age(exemplar):
    from designer.export.readability import TARGET_READING_AGE, reading_age

    _, pathway = exemplar
    text = " ".join(step.patient_info or "" for step in pathway.steps)
    assert reading_age(text) <= TARGET_READING_AGE


def test_full_handoff_on_every_move_between_settings(exemplar):
    _, pathway = exemplar
    steps = pathway.steps_by_id()
    roles = {r.id for r in pathway.roles}
    crossing = 0
    for t in pathway.transitions:
        if steps[t.source].setting == steps[t.target].setting:
            continue
        crossing += 1
        h = t.handoff
        assert h is not None and h.is_complete(), f"{pathway.id}: {t.key}"
        assert h.sender in roles and h.receiver in roles, f"{pathway.id}: {t.key}"
    assert crossing >= 3


def test_decisions_have_conditions_on_every_branch(exemplar):
    _, pathway = exemplar
    for step in pathway.steps:
        if step.kind is StepKind.decision:
            out = [t for t in pathway.transitions if t.source == step.id]
            assert len(out) >= 2 and all(t.condition for t in out), step.id


@pytest.mark.parametrize("pathway_id", ["eras-plus-colorectal", "diabetes-preop-clinic",
                                        "day-case-lap-chole", "anaemia-optimisation"])
def test_decision_not_to_operate_returns_to_the_gp(pathway_id):
    pathway = load_pathway(builtin_folder() / f"{pathway_id}.yaml")
    steps = pathway.steps_by_id()
    kinds = {s.id: pathway.setting(s.setting).kind.value for s in pathway.steps}
    exits_to_gp = [t for t in pathway.transitions
                   if steps[t.source].kind is StepKind.decision
                   and steps[t.target].kind is StepKind.exit
                   and kinds[t.target] == "primary"]
    assert exits_to_gp and "not" in exits_to_gp[0].condition.lower()


def test_diabetes_exemplar_sends_high_hba1c_back_to_primary_care():
    pathway = load_pathway(builtin_folder() / "diabetes-preop-clinic.yaml")
    assert "diabetes" in pathway.rule_packs
    back = pathway.transition("hba1c-check->gp-optimisation")
    assert "≥ 69" in back.condition
    assert pathway.transition("gp-optimisation->diabetes-clinic") is not None
    discharge = pathway.transition("discharge->gp-review").handoff
    assert "changes to diabetes treatment" in discharge.information
