"""Issue 13, part 2: the second table of rules, each triggered, quiet, and near-missed.

The clean starting point is ``builders.surgical()``, which meets every rule; each
test breaks one thing a clinician would notice, or makes a change that must not
count (a near miss).
"""

from __future__ import annotations

from builders import FULL_HANDOFF, chain, findings, link, pathway, step, surgical
from designer.graph.rules import RULES, load_packs
from designer.graph.validate import validate

PACK = ["perioperative"]
DIABETES = ["perioperative", "diabetes"]
SECOND_WAVE = {
    "step-without-setting": "error", "handoff-without-service-level": "info",
    "decision-threshold-gap": "warning", "communication-needs": "error",
    "handoff-digital-only": "warning", "enhanced-recovery": "error",
    "anaemia-screen-timing": "warning", "frailty-screen": "warning",
    "medicines-plan": "warning", "vte-plan": "warning", "discharge-safety-net": "error",
    "discharge-planned-before-admission": "warning", "smoking-support": "warning",
    "rtt-18-weeks": "warning", "cancer-waiting-times": "error", "hba1c-recency": "warning",
    "sglt2-plan": "warning",
}


def _edit(p, step_id=None, **changes):
    p = p.model_copy(deep=True)
    if step_id:
        p.update_step(step_id, **changes)
    return p


def _header(p, **changes):
    p = p.model_copy(deep=True)
    p.update_header(**changes)
    return p


def test_registered_with_registry_sources_and_severities():
    load_packs()
    for rule_id, severity in SECOND_WAVE.items():
        assert RULES[rule_id].severity == severity, rule_id
        assert RULES[rule_id].sources and "DOMAIN" not in RULES[rule_id].source


def test_the_clean_pathway_meets_every_new_rule():
    report = validate(surgical(), packs=DIABETES)
    assert [f.rule for f in report.findings] == [
        "hba1c-recency", "sglt2-plan", "diabetes-referral-dataset",
        "hba1c-optimisation-route", "day-of-surgery-plan", "diabetes-discharge-gp"] or \
        not [f for f in report.findings if f.pack == "perioperative"]
    assert validate(surgical()).findings == []


# ----------------------------------------------------------------- core additions

def test_handoff_without_service_level_is_information():
    handoff = {k: v for k, v in FULL_HANDOFF.items() if k != "within_days"}
    p = pathway([step("a", "entry", setting="gp", owner="gp"), step("b", "exit")],
                [link("a", "b", handoff=handoff)])
    got = findings(p, "handoff-without-service-level")
    assert [(f.targets, f.severity) for f in got] == [(("a->b",), "info")]
    assert "within_days" in got[0].message
    handoff["within_days"] = 0     # same day is a service level
    p = pathway([step("a", "entry", setting="gp", owner="gp"), step("b", "exit")],
                [link("a", "b", handoff=handoff)])
    assert findings(p, "handoff-without-service-level") == []


# ------------------------------------------------------------ communication needs

def test_communication_needs_on_every_handoff():
    p = surgical().model_copy(deep=True)
    h = p.transition("prehab->surgery").handoff.model_copy(
        update={"information": ["letter", "medicines list", "diagnosis"]})
    p.update_transition("prehab->surgery", handoff=h)
    got = findings(p, "communication-needs", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("prehab->surgery",), "error")]
    # a near miss: a course in communication skills is not the patient's needs
    h = h.model_copy(update={"information": ["communication skills course"]})
    p.update_transition("prehab->surgery", handoff=h)
    assert [f.targets for f in findings(p, "communication-needs", PACK)] == [
        ("prehab->surgery",)]
    h = h.model_copy(update={"information": ["Accessible Information Standard flag"]})
    p.update_transition("prehab->surgery", handoff=h)
    assert findings(p, "communication-needs", PACK) == []


def test_communication_needs_recorded_at_first_contact():
    handoff = {**FULL_HANDOFF, "information": ["referral letter"]}
    steps = [step("a", "entry", setting="gp", owner="gp", name="Referral"),
             step("b", "exit", setting="home", owner="patient")]
    p = pathway(steps, [link("a", "b", handoff={**handoff, "receiver": "patient"})])
    got = findings(p, "communication-needs", PACK)
    assert [f.targets for f in got] == [("a",)] and "first contact" in got[0].message
    steps[0]["description"] = "The GP records the patient's communication needs."
    assert findings(pathway(steps, [link("a", "b", handoff={**handoff,
                                                             "receiver": "patient"})]),
                    "communication-needs", PACK) == []


# ---------------------------------------------------------------- enhanced recovery

def test_enhanced_recovery_before_during_and_after():
    assert findings(surgical(), "enhanced-recovery", PACK) == []
    p = _edit(surgical(), "surgery", description="Operation.")
    got = findings(p, "enhanced-recovery", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "error")]
    assert "during" in got[0].message and "before" not in got[0].message
    p = _edit(surgical(), "ward", description="Ward care.")
    assert "after" in findings(p, "enhanced-recovery", PACK)[0].message
    p = _edit(surgical(), "school", activity=None)
    p.update_step("prehab", activity="optimisation")
    assert "before" in findings(p, "enhanced-recovery", PACK)[0].message


def test_enhanced_recovery_cannot_tell_without_the_major_field():
    p = _edit(surgical(), "surgery", surgery=None)
    got = findings(p, "enhanced-recovery", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "info")]
    assert "Cannot tell" in got[0].message and "major" in got[0].message
    p = _edit(surgical(), "surgery", surgery={"major": False}, description="Operation.")
    assert findings(p, "enhanced-recovery", PACK) == []


# -------------------------------------------------------------------------- anaemia

def _anaemia(prehab_days: float = 28, iron_route: bool = True):
    # Hb is checked at preassessment; prehabilitation is the time left before surgery
    p = _edit(surgical(), "surgery", surgery={"major": True, "major_blood_loss": True})
    p.update_step("pac", description=p.step("pac").description + " Hb and ferritin checked.")
    p.update_step("prehab", duration_days=prehab_days)
    if iron_route:
        p.update_step("optimise", activity="anaemia-management", name="Iron")
        p.update_transition("fit->optimise", condition="Hb below 130 g/L")
    return p


def test_anaemia_screen_early_with_an_iron_route_is_fine():
    assert findings(_anaemia(), "anaemia-screen-timing", PACK) == []


def test_anaemia_screen_too_late_or_without_iron():
    got = findings(_anaemia(prehab_days=14), "anaemia-screen-timing", PACK)
    assert [f.targets for f in got] == [("surgery",)] and "only about" in got[0].message
    got = findings(_anaemia(iron_route=False), "anaemia-screen-timing", PACK)
    assert [f.targets for f in got] == [("surgery",)] and "below 130 g/L" in got[0].message
    p = _edit(_anaemia(), "pac", description="Blood pressure and weight.")
    assert "without a haemoglobin" in findings(p, "anaemia-screen-timing", PACK)[0].message


def test_anaemia_cannot_tell_without_blood_loss_and_minor_surgery_is_exempt():
    p = _edit(surgical(), "surgery", surgery={"major": True})
    assert [f.severity for f in findings(p, "anaemia-screen-timing", PACK)] == ["info"]
    p = _edit(surgical(), "surgery", surgery={"major": False})
    assert findings(p, "anaemia-screen-timing", PACK) == []


# -------------------------------------------------------------------------- frailty

def _older(screen: bool = True, cga: bool = True):
    p = _header(surgical(), older_people=True)
    if screen:
        p.update_step("pac", activity="frailty-assessment", name="Frailty screen")
    if cga:
        p.update_step("optimise", activity="comprehensive-geriatric-assessment", name="CGA")
    return p


def test_frailty_screen_with_a_route_to_cga():
    assert findings(_older(), "frailty-screen", PACK) == []
    got = findings(_older(screen=False), "frailty-screen", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "warning")]
    got = findings(_older(cga=False), "frailty-screen", PACK)
    assert [f.targets for f in got] == [("pac",)] and "comprehensive geriatric" in got[0].message


def test_frailty_cannot_tell_unless_the_population_is_stated():
    got = findings(_header(surgical(), older_people=None), "frailty-screen", PACK)
    assert [f.severity for f in got] == ["info"] and "older_people" in got[0].message
    assert findings(surgical(), "frailty-screen", PACK) == []     # older_people: false


# ------------------------------------------------------------------ medicines plan

def test_medicines_plan():
    assert findings(surgical(), "medicines-plan", PACK) == []
    p = _edit(surgical(), "pac", description="Asks about smoking; discharge planning starts.")
    got = findings(p, "medicines-plan", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "warning")]
    # a near miss: a "medicines plan" that never names the high-risk medicines
    p = _edit(surgical(), "pac", description="Medicines plan agreed; smoking asked.")
    assert findings(p, "medicines-plan", PACK) != []
    p.update_step("listing", activity="medicines-reconciliation")
    assert findings(p, "medicines-plan", PACK) == []


# ----------------------------------------------------------------------------- VTE

def test_vte_assessment_for_inpatient_surgery():
    assert findings(surgical(), "vte-plan", PACK) == []
    p = _edit(surgical(), "surgery", description="Enhanced recovery protocol.")
    got = findings(p, "vte-plan", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "warning")]
    p.update_step("surgery", surgery={"major": True, "day_case": True})
    assert findings(p, "vte-plan", PACK) == []


def test_extended_prophylaxis_is_handed_over_at_discharge():
    p = _edit(surgical(), "surgery", surgery={"major": True, "extended_vte_prophylaxis": True})
    got = findings(p, "vte-plan", PACK)
    assert [f.targets for f in got] == [("discharge",)]
    h = p.transition("discharge->review").handoff
    p.update_transition("discharge->review", handoff=h.model_copy(update={
        "information": [*h.information, "extended VTE prophylaxis for 28 days"]}))
    assert findings(p, "vte-plan", PACK) == []


# ------------------------------------------------------- discharge planned, smoking

def test_discharge_planned_before_admission():
    assert findings(surgical(), "discharge-planned-before-admission", PACK) == []
    p = _edit(surgical(), "pac", description="Asks about smoking; medicines plan for "
                                             "anticoagulants and antiplatelets.")
    got = findings(p, "discharge-planned-before-admission", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "warning")]
    # a near miss: the discharge step itself talking about the plan is too late
    p.update_step("discharge", description=p.step("discharge").description
                  + " Discharge plan agreed.")
    assert findings(p, "discharge-planned-before-admission", PACK) != []


def test_smoking_status_and_a_route_to_stop_smoking_support():
    assert findings(surgical(), "smoking-support", PACK) == []
    p = _edit(surgical(), "pac", description="Medicines plan for anticoagulants; discharge "
                                             "planning starts.")
    got = findings(p, "smoking-support", PACK)
    assert [f.targets for f in got] == [("surgery",)] and "whether they smoke" in got[0].message
    p = _edit(surgical(), "optimise", description="Blood pressure control.")
    got = findings(p, "smoking-support", PACK)
    assert [f.targets for f in got] == [("surgery",)] and "Stop Smoking" in got[0].message


# ------------------------------------------------------------- waiting-time clocks

def test_rtt_18_weeks_from_the_timeline():
    p = surgical().model_copy(deep=True)
    p.update_transition("listing->pac", wait_days=98)
    assert findings(p, "rtt-18-weeks", PACK) == []      # 98 + 28 days of prehab = 18 weeks
    p.update_transition("listing->pac", wait_days=100)
    got = findings(p, "rtt-18-weeks", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "warning")]
    assert "about 128 days" in got[0].message


def _cancer(prehab_days: float = 28, parallel: bool = True, dtt: bool = True):
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral",
                  milestone="referral"),
             step("dx", name="Diagnosis and MDT", duration_days=14),
             step("prehab", setting="hub", owner="physio", activity="prehabilitation",
                  duration_days=prehab_days),
             step("sdm", activity="shared-decision-making", duration_days=7,
                  milestone="decision-to-treat" if dtt else None),
             step("op", activity="surgery"), step("z", "exit")]
    transitions = [link("ref", "dx"), link("dx", "sdm", parallel=parallel or None),
                   link("dx", "prehab", parallel=parallel or None),
                   link("sdm", "op", wait_days=14), link("prehab", "op"), link("op", "z")]
    return pathway(steps, transitions, cancer_pathway=True)


def test_cancer_waiting_times_met_with_prehab_alongside():
    assert findings(_cancer(), "cancer-waiting-times", PACK) == []


def test_cancer_62_and_31_days():
    # prehabilitation of 8 weeks from diagnosis: surgery on day 71
    got = findings(_cancer(prehab_days=56), "cancer-waiting-times", PACK)
    messages = " ".join(f.message for f in got)
    assert [f.severity for f in got] == ["error", "error"]
    assert "62-day" in messages and "31-day" in messages


def test_cancer_cannot_tell_without_the_field_or_the_decision_to_treat():
    p = _header(_cancer(), cancer_pathway=None)
    got = findings(p, "cancer-waiting-times", PACK)
    assert [f.severity for f in got] == ["info"] and "cancer_pathway" in got[0].message
    got = findings(_cancer(dtt=False), "cancer-waiting-times", PACK)
    assert [f.severity for f in got] == ["info"] and "decision-to-treat" in got[0].message
    assert findings(_header(_cancer(), cancer_pathway=False), "cancer-waiting-times",
                    PACK) == []


# ------------------------------------------------------------------------- diabetes

def _hba1c(days_before: float = 30, sglt2: str | None = "SGLT2 inhibitors stopped the day "
           "before; restarted when eating and drinking, with sick-day rules."):
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral",
                  description="HbA1c measured."),
             step("wait", "wait", duration_days=days_before, name="Waiting list"),
             step("plan", activity="diabetes-plan", owner="dsn", description=sglt2),
             step("op", activity="surgery"), step("z", "exit")]
    return pathway(steps, chain("ref", "wait", "plan", "op", "z"), rule_packs=DIABETES)


def test_hba1c_within_3_months():
    assert findings(_hba1c(89), "hba1c-recency", DIABETES) == []
    got = findings(_hba1c(120), "hba1c-recency", DIABETES)
    assert [(f.targets, f.severity) for f in got] == [(("op",), "warning")]
    assert "about 120 days" in got[0].message
    p = _edit(_hba1c(), "ref", description="Blood pressure and weight.")
    assert "without an HbA1c" in findings(p, "hba1c-recency", DIABETES)[0].message


def test_sglt2_plan():
    assert findings(_hba1c(), "sglt2-plan", DIABETES) == []
    got = findings(_hba1c(sglt2=None), "sglt2-plan", DIABETES)
    assert [(f.targets, f.severity) for f in got] == [(("op",), "warning")]
    # a near miss: naming the medicine without saying when it restarts
    assert findings(_hba1c(sglt2="Dapagliflozin stopped before surgery."), "sglt2-plan",
                    DIABETES) != []
