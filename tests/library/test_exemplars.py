"""Every built-in exemplar loads, validates clean under its packs, round-trips and is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from designer.graph.io import dump_pathway, load_pathway, loads_pathway
from designer.graph.model import PHASE_ORDER, StepKind
from designer.graph.rules import PACKS
from designer.graph import sources
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


def test_validates_with_no_errors_or_warnings_and_waivers_are_live(exemplar):
    path, pathway = exemplar
    report = validate(pathway)
    serious = [f for f in report.findings if f.severity in ("error", "warning")]
    assert not serious, "\n".join(f"{f.rule}: {f.message}" for f in serious)
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
    from designer.export.school.readability import TARGET_READING_AGE, reading_age

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


# ---------------------------------------------------------------------------------------
# Clinical review guards. Every claim cites a source in the product's sources registry
# (designer/graph/sources.py), and every figure it quotes is one that source gives.

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")   # 1,472 / 3.1 / 60 - not DCB1605


def _value(member) -> str:
    return getattr(member, "value", member)


def _numbers(texts) -> set[str]:
    return {n.replace(",", "") for text in texts for n in _NUMBER.findall(text)}


#: every figure the registry's sources give (for figures not tied to one claim)
REGISTRY_NUMBERS = _numbers(f for s in sources.SOURCES.values() for f in s.facts)


def _resolved(e):
    found = sources.resolve(e.source, e.ref)
    assert found is not None, f"evidence cites nothing in the sources registry: {e.source}"
    return found


def test_every_evidence_source_is_in_the_registry(exemplar):
    _, pathway = exemplar
    for e in pathway.evidence:
        found = _resolved(e)
        if not re.search(r"https?://", e.source):
            assert e.ref, f"{pathway.id}: a source without an address needs a registry ref"
        if found.url and e.ref:
            assert found.url in e.source, f"{pathway.id}: ref {e.ref} is not {e.source}"


def test_sources_the_registry_marks_weak_are_marked_weak(exemplar):
    _, pathway = exemplar
    for e in pathway.evidence:
        if _resolved(e).weak:
            assert e.weak and e.note, f"{pathway.id}: weak source not flagged: {e.claim}"


def test_figures_in_claims_come_from_the_source_cited(exemplar):
    """No invented figure: every number in a claim is one its own source gives."""
    _, pathway = exemplar
    for e in pathway.evidence:
        source = _resolved(e)
        given = _numbers(source.facts) | {str(source.year)}
        for number in _numbers([e.claim]):
            assert number in given, f"{pathway.id}: {number} in {e.claim!r} ({source.id})"
    for text in (pathway.summary, pathway.population):
        for number in _numbers([text]):
            assert number in REGISTRY_NUMBERS, f"{pathway.id}: {number} in {text!r}"


_CLINICAL_UNIT = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(?:%|mmol|g/L|mL|per ?cent)", re.IGNORECASE)


def test_thresholds_in_step_text_come_from_the_registry(exemplar):
    """Percentages and lab thresholds in step text (not typical durations) are sourced."""
    _, pathway = exemplar
    for step in pathway.steps:
        for text in (step.description, step.patient_info, step.name):
            for number in _CLINICAL_UNIT.findall(text or ""):
                assert number.replace(",", "") in REGISTRY_NUMBERS, \
                    f"{pathway.id}:{step.id}: {number}"
    for t in pathway.transitions:
        for number in _CLINICAL_UNIT.findall(t.condition or ""):
            assert number.replace(",", "") in REGISTRY_NUMBERS, f"{pathway.id}: {t.key}"


def test_every_handoff_passes_on_communication_needs(exemplar):
    """Accessible Information Standard (registry: accessible-information-standard)."""
    _, pathway = exemplar
    for t in pathway.transitions:
        if t.handoff is not None:
            assert any("communication needs" in item for item in t.handoff.information), \
                f"{pathway.id}: {t.key}"


def test_the_gp_practice_hears_of_every_discharge_straight_away(exemplar):
    """NICE NG27 [9]: every discharge hands the GP practice diagnosis, medicines, plan, contact.

    The practice must be told directly from the discharge step on every route, not
    weeks later through a rehabilitation or follow-up step.
    """
    _, pathway = exemplar
    steps = pathway.steps_by_id()
    for step in pathway.steps:
        if _value(step.activity) != "discharge":
            continue
        to_gp = [t for t in pathway.transitions if t.source == step.id
                 and _value(pathway.setting(steps[t.target].setting).kind) == "primary"
                 and not t.condition]
        assert to_gp, f"{pathway.id}:{step.id}: no unconditional handoff to the GP practice"
        info = " | ".join(to_gp[0].handoff.information).lower()
        for needed in ("medicines list", "diagnos", "plan", "contact"):
            assert needed in info, f"{pathway.id}:{step.id}: discharge handoff lacks {needed!r}"


def test_shared_decision_uses_bran_and_a_validated_risk_tool(exemplar):
    """NICE NG180 1.3.1 [8] and BRAN [61] before listing (rule V04)."""
    _, pathway = exemplar
    sdm = [s for s in pathway.steps if _value(s.activity) == "shared-decision-making"]
    text = " ".join(s.description for s in sdm)
    assert "BRAN" in text and "validated risk tool" in text, pathway.id


def test_every_exemplar_lets_the_patient_decide_not_to_operate(exemplar):
    """A decision-not-to-operate branch returns to the GP (registry: aci-nsw-periop-toolkit)."""
    _, pathway = exemplar
    steps = pathway.steps_by_id()
    back = [t for t in pathway.transitions
            if steps[t.source].kind is StepKind.decision
            and _value(steps[t.source].activity) == "shared-decision-making"
            and steps[t.target].kind is StepKind.exit
            and _value(pathway.setting(steps[t.target].setting).kind) == "primary"]
    assert back and "not" in back[0].condition.lower(), pathway.id
    assert any(t.handoff and t.handoff.receiver == "gp" for t in back), pathway.id


def test_role_names_are_consistent_across_the_library():
    """The same role id means the same job everywhere; one name is never two ids."""
    names: dict[str, set[str]] = {}
    ids: dict[str, set[str]] = {}
    for path in EXEMPLARS:
        for role in load_pathway(path).roles:
            names.setdefault(role.id, set()).add(role.name)
            ids.setdefault(role.name, set()).add(role.id)
    for role_id, seen in names.items():
        # a specialty may qualify the job ("Orthopaedic surgeon"), never rename it
        assert len({n.split()[-1].lower() for n in seen}) == 1, (role_id, seen)
    for name, seen in ids.items():
        assert len(seen) == 1, (name, seen)


_PROMISES = re.compile(r"(?<![-\w])(faster|for good|guarantee\w*|free|painless|no risk|always)\b",
                       re.I)   # "smoke-free" is fine; "free" is a promise


def test_patient_information_makes_no_false_promises(exemplar):
    _, pathway = exemplar
    for step in pathway.steps:
        found = _PROMISES.search(step.patient_info or "")
        assert not found, f"{pathway.id}:{step.id}: {found.group(0)!r} in patient_info"


def test_abbreviations_for_patients_are_explained_in_brackets(exemplar):
    """Plain term first, medical term in brackets (NHS content style [53])."""
    _, pathway = exemplar
    text = " ".join(" ".join((s.patient_info or "").split()) for s in pathway.steps)
    for token in set(re.findall(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\b", text)):
        if token in {"GP", "NHS"} or token in pathway.title:
            continue   # everyday words, or the programme's own name
        assert re.search(r"\([^)]*\b%s\b[^)]*\)" % re.escape(token), text), \
            f"{pathway.id}: explain {token} in brackets somewhere in the patient text"


def _days_to_surgery(pathway, start: str) -> float:
    """Fewest days from the start of ``start`` to the start of surgery (forward routes)."""
    from designer.graph.network import forward_graph

    steps = pathway.steps_by_id()
    graph = forward_graph(pathway)
    best = {start: 0.0}
    order = [start]
    for node in order:   # graph is a DAG: relax in discovery order until stable
        for nxt in graph.successors(node):
            t = graph.edges[node, nxt]["transition"]
            days = best[node] + (steps[node].duration_days or 0) + (t.wait_days or 0)
            if days < best.get(nxt, float("inf")):
                best[nxt] = days
                order.append(nxt)
    surgery = [sid for sid in best if _value(steps[sid].activity) == "surgery"]
    return min(best[s] for s in surgery)


@pytest.mark.parametrize("pathway_id", ["anaemia-optimisation", "frailty-hip-pops"])
def test_iron_has_time_to_work_before_surgery(pathway_id):
    """Oral iron needs 4-6 weeks; IV iron more than 2 weeks (registry: scot-preop-anaemia)."""
    pathway = load_pathway(builtin_folder() / f"{pathway_id}.yaml")
    assert _days_to_surgery(pathway, "iv-iron") > 14
    assert _days_to_surgery(pathway, "oral-iron") >= 28
    text = dump_pathway(pathway)
    assert "130 g/L" in text and "4" in text


def test_diabetes_figures_are_the_ones_domain_gives():
    """HbA1c within 3 months, first on the list, glucose 6-12 on the day, JBDS 6-10 (4-12)."""
    for pathway_id in ("diabetes-preop-clinic", "day-case-lap-chole"):
        pathway = load_pathway(builtin_folder() / f"{pathway_id}.yaml")
        text = " ".join(" ".join(s.description.split()) for s in pathway.steps)
        assert "within 3 months" in text and "6-12 mmol/L" in text, pathway_id
        assert "first on the list" in text or "first place on the list" in text, pathway_id
        assert any(_value(s.activity) == "diabetes-plan" for s in pathway.steps), pathway_id
        info = [i for t in pathway.transitions if t.handoff
                and _value(pathway.setting(pathway.steps_by_id()[t.target].setting).kind)
                == "primary" and _value(pathway.steps_by_id()[t.source].activity) == "discharge"
                for i in t.handoff.information]
        assert any("diabetes" in i and "change" in i for i in info), pathway_id
    clinic = dump_pathway(load_pathway(builtin_folder() / "diabetes-preop-clinic.yaml"))
    assert "6-10 mmol/L (4-12 acceptable)" in " ".join(clinic.split())


def test_day_case_quotes_the_bads_figures_exactly():
    pathway = load_pathway(builtin_folder() / "day-case-lap-chole.yaml")
    claims = " ".join(e.claim for e in pathway.evidence)
    for figure in ("60% or more", "75%", "50% (aim above 75%)", "below 10%"):
        assert figure in claims, figure
    percents = set(re.findall(r"(?<![\d.])\d+%", dump_pathway(pathway)))   # not 8.5%
    assert percents <= {"60%", "75%", "50%", "10%"}, percents


def test_outcome_claims_do_not_overclaim():
    """PREPARE has no published outcomes; WesFit is a trial's service model."""
    prepare = load_pathway(builtin_folder() / "prepare-og-imperial.yaml")
    for e in prepare.evidence:
        if re.search(r"\d+%|fell|fewer|shorter|halved|reduced", e.claim):
            assert e.weak and e.note, e.claim
    assert "No published outcome data" in prepare.summary
    wesfit = load_pathway(builtin_folder() / "wesfit-wessex.yaml")
    assert "trial" in wesfit.summary and "not a proven service" in wesfit.summary


def _says_its_duration(description: str, days: float) -> bool:
    """The description states the step's length, or says it is only typical."""
    text = " ".join(description.split()).lower()
    if any(word in text for word in ("typical", "illustrative", "planning assumption")):
        return True
    d = int(days)
    said = [f"{d} days", f"{d * 24} hours"]
    if d % 7 == 0:
        said += [f"{d // 7} weeks", f"{d // 7}-week", f"{d // 7} week"]
    return any(phrase in text for phrase in said)


def test_durations_are_sourced_or_called_typical(exemplar):
    """No invented timing: a length longer than a day is stated or called typical."""
    _, pathway = exemplar
    for step in pathway.steps:
        if (step.duration_days or 0) > 1:
            assert _says_its_duration(step.description, step.duration_days), \
                f"{pathway.id}:{step.id}: say where {step.duration_days} days comes from"


def test_gp_lane_steps_belong_to_the_practice_team(exemplar):
    """Roles fit their setting: GP-practice steps are the GP's or the practice nurse's."""
    _, pathway = exemplar
    practice_team = {"gp", "practice-nurse"}
    for step in pathway.steps:
        in_practice = _value(pathway.setting(step.setting).kind) == "primary"
        assert in_practice == (step.owner in practice_team), f"{pathway.id}:{step.id}"


def test_frailty_screen_leads_to_comprehensive_geriatric_assessment():
    """Clinical Frailty Scale screen, then CGA / POPS (cpoc-bgs-frailty-2021, york-frailty)."""
    pathway = load_pathway(builtin_folder() / "frailty-hip-pops.yaml")
    steps = pathway.steps_by_id()
    screen = [s for s in pathway.steps if _value(s.activity) == "frailty-assessment"]
    assert screen and "Clinical Frailty Scale" in screen[0].description
    after = {t.target for t in pathway.transitions if t.source == screen[0].id}
    assert any(_value(steps[sid].activity) == "comprehensive-geriatric-assessment"
               for sid in after)


def test_eras_plus_keeps_its_six_weeks_surgery_school_and_i_cough():
    pathway = load_pathway(builtin_folder() / "eras-plus-colorectal.yaml")
    by_activity = {}
    for step in pathway.steps:
        by_activity.setdefault(_value(step.activity), []).append(step)
    assert [s.duration_days for s in by_activity["prehabilitation"]] == [42]   # 6 weeks [14]
    school = by_activity["education"][0]
    assert "I COUGH" in school.description and school.name == "Surgery School"


def test_every_handoff_has_a_service_level(exemplar):
    _, pathway = exemplar
    for t in pathway.transitions:
        if t.handoff is not None:
            assert t.handoff.within_days is not None, f"{pathway.id}: {t.key}"


@pytest.mark.parametrize("pathway_id", ["eras-plus-colorectal", "prehab4cancer",
                                        "prepare-og-imperial", "wesfit-wessex"])
def test_cancer_exemplars_meet_the_waiting_time_standards_with_prehab_alongside(pathway_id):
    """31 days from decision to treat, 62 from referral (cancer-waiting-times-2023)."""
    from designer.graph.timeline import compute_timeline

    pathway = load_pathway(builtin_folder() / f"{pathway_id}.yaml")
    assert pathway.cancer_pathway is True
    days = {e.step_id: e.start_day for e in compute_timeline(pathway).entries}
    steps = pathway.steps_by_id()
    surgery = next(sid for sid, s in steps.items() if _value(s.activity) == "surgery")
    decided = next(sid for sid, s in steps.items() if _value(s.milestone) == "decision-to-treat")
    assert days[surgery] - days[decided] <= 31
    assert days[surgery] - days[pathway.steps[0].id] <= 62
    # prehabilitation starts before the decision to treat is made, in parallel (later
    # forks, e.g. PREPARE's plan parts running alongside each other, are not this one)
    parallel = [t for t in pathway.transitions if t.parallel and days[t.source] < days[decided]]
    assert parallel and all(days[t.target] <= days[decided] for t in parallel)


def test_cancer_exemplars_review_histology_after_surgery():
    for pathway_id in ("eras-plus-colorectal", "prehab4cancer"):
        pathway = load_pathway(builtin_folder() / f"{pathway_id}.yaml")
        assert any("histology" in s.name.lower() for s in pathway.steps), pathway_id
    p4c = load_pathway(builtin_folder() / "prehab4cancer.yaml")
    assert any(_value(s.activity) == "psychological-support" for s in p4c.steps)


def test_frailty_decision_is_revisited_after_the_cga():
    pathway = load_pathway(builtin_folder() / "frailty-hip-pops.yaml")
    steps = pathway.steps_by_id()
    after_cga = {t.target for t in pathway.transitions if t.source == "optimisation-plan"}
    assert any(_value(steps[s].activity) == "shared-decision-making" for s in after_cga)
    surgery = next(s for s in pathway.steps if _value(s.activity) == "surgery")
    assert surgery.surgery.extended_vte_prophylaxis is True


def test_diabetes_clinic_plans_sglt2_inhibitors_and_names_a_discharge_coordinator():
    pathway = load_pathway(builtin_folder() / "diabetes-preop-clinic.yaml")
    plan = pathway.step("dos-plan").description
    assert "SGLT2" in plan and "sick-day rules" in plan
    assert pathway.step("discharge").owner == "discharge-coordinator"
