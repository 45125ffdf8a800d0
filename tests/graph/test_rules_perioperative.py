"""The perioperative pack: every rule triggered and quiet."""

from __future__ import annotations

from builders import ROLES, SETTINGS, chain, findings, link, pathway, step, surgical, targets
from designer.graph.rules import RULES, load_packs
from designer.graph.validate import validate

PACK = ["perioperative"]
PERIOP_RULES = ["missing-phase", "sdm-before-listing", "discharge-without-follow-up",
                "discharge-information", "no-optimisation-route", "prehab-window",
                "education-before-surgery", "long-wait-without-support", "digital-only",
                "sdm-do-nothing-branch", "named-contact"]


def _edit(p, step_id=None, **changes):
    p = p.model_copy(deep=True)
    if step_id:
        p.update_step(step_id, **changes)
    return p


def test_registered_with_sources_and_severities():
    load_packs()
    for rule_id in PERIOP_RULES:
        r = RULES[rule_id]
        assert r.pack == "perioperative" and r.sources and "DOMAIN" not in r.source
        assert "Source: " in r.check.__doc__
    warnings = {"prehab-window", "education-before-surgery", "long-wait-without-support",
                "digital-only", "sdm-do-nothing-branch", "named-contact", "missing-phase"}
    assert {r for r in PERIOP_RULES if RULES[r].severity == "warning"} == warnings


def test_clean_surgical_pathway():
    report = validate(surgical())
    assert report.packs == ("core", "perioperative")
    assert report.findings == [], report.to_text()


def test_pack_is_opt_in():
    p = _edit(surgical(), "sdm", activity=None)
    assert findings(p, "sdm-before-listing", packs=[]) == []
    assert findings(p, "sdm-before-listing", packs=PACK)


# -------------------------------------------------------------------- missing-phase

def test_missing_phase():
    p = _edit(surgical(), "review", phase="postoperative")
    got = findings(p, "missing-phase", PACK)
    assert len(got) == 1 and got[0].targets == ()
    assert "recovery phase" in got[0].message


# --------------------------------------------------------------- sdm-before-listing

def test_listing_without_sdm():
    p = _edit(surgical(), "sdm", activity="risk-assessment")
    assert targets(p, "sdm-before-listing", PACK) == [("listing",), ("surgery",)]
    assert "'Listing'" in findings(p, "sdm-before-listing", PACK)[0].message


def test_a_bypass_around_sdm_is_found():
    p = surgical().model_copy(deep=True)
    from designer.graph.model import Transition
    p.add_transition(Transition.model_validate({"from": "referral", "to": "listing",
                                                "handoff": {"sender": "gp",
                                                            "receiver": "surgeon",
                                                            "information": ["letter"],
                                                            "channel": "e-referral"}}))
    assert targets(p, "sdm-before-listing", PACK) == [("listing",), ("surgery",)]


# ------------------------------------------------------- discharge-without-follow-up

def test_discharge_without_follow_up():
    steps = [step("a", "entry"), step("dis", activity="discharge", name="Go home"),
             step("z", "exit")]
    p = pathway(steps, chain("a", "dis", "z"))
    got = findings(p, "discharge-without-follow-up", PACK)
    assert [f.targets for f in got] == [("dis",)]
    assert "'Go home'" in got[0].message
    assert findings(surgical(), "discharge-without-follow-up", PACK) == []


def test_follow_up_at_home_counts_when_a_professional_does_it():
    steps = [step("a", "entry"), step("dis", activity="discharge"),
             step("z", "exit", setting="home", owner="physio", name="Physiotherapy at home")]
    p = pathway(steps, chain("a", "dis", "z"))
    assert findings(p, "discharge-without-follow-up", PACK) == []


def test_recovering_at_home_on_your_own_is_not_follow_up():
    # failed before the fix: any step in a home lane counted as follow-up
    steps = [step("a", "entry"), step("dis", activity="discharge"),
             step("z", "exit", setting="home", owner="patient", name="Recovering at home")]
    p = pathway(steps, chain("a", "dis", "z"))
    got = findings(p, "discharge-without-follow-up", PACK)
    assert [f.targets for f in got] == [("dis",)]
    assert "on their own is not" in got[0].message


def test_reablement_is_told_the_real_gap():
    settings = [*SETTINGS, {"id": "social", "name": "Social care", "kind": "social"}]
    roles = [*ROLES, {"id": "social-worker", "name": "Social worker"}]
    steps = [step("a", "entry"), step("dis", activity="discharge"),
             step("reable", setting="social", owner="social-worker", name="Reablement"),
             step("z", "exit", setting="home", owner="patient")]
    p = pathway(steps, chain("a", "dis", "reable", "z"), settings=settings, roles=roles)
    got = findings(p, "discharge-without-follow-up", PACK)
    assert [f.targets for f in got] == [("dis",)]
    assert "social care ('Reablement')" in got[0].message
    assert "nobody picks" not in got[0].message


# ------------------------------------------------------------- discharge-information

def _discharge(info, handoff=True):
    steps = [step("a", "entry"), step("dis", activity="discharge",
                                      owner="discharge-coordinator"),
             step("gp", "exit", setting="gp", owner="gp")]
    ho = {"sender": "ward-nurse", "receiver": "gp", "information": info, "channel": "letter"}
    return pathway(steps, [link("a", "dis"), link("dis", "gp", **({"handoff": ho} if handoff
                                                                   else {}))],
                   full_handoffs=False)


def test_discharge_information_missing_items():
    got = findings(_discharge(["care plan"]), "discharge-information", PACK)
    assert [f.targets for f in got] == [("dis->gp",)]
    assert "the medicines list or the diagnosis" in got[0].message
    got = findings(_discharge(["Medication list"]), "discharge-information", PACK)
    assert "the diagnosis" in got[0].message and "medicines" not in got[0].message


def test_discharge_information_without_any_handoff():
    got = findings(_discharge([], handoff=False), "discharge-information", PACK)
    assert [f.targets for f in got] == [("dis",)]


def test_discharge_information_synonyms_accepted():
    assert findings(_discharge(["TTO", "Discharge summary with diagnoses"]),
                    "discharge-information", PACK) == []
    assert findings(_discharge(["medicines list", "diagnosis"]), "discharge-information",
                    PACK) == []
    assert findings(_discharge(["list of current medications", "Diagnosis and operation"]),
                    "discharge-information", PACK) == []


def test_discharge_information_near_misses_are_not_accepted():
    # failed before the fix: "procedure" passed as the diagnosis, "drug" as the list
    got = findings(_discharge(["drug allergies", "procedure code"]), "discharge-information",
                   PACK)
    assert [f.targets for f in got] == [("dis->gp",)]
    assert "the medicines list or the diagnosis" in got[0].message


def test_discharge_needs_a_coordinator():
    steps = [step("a", "entry"), step("dis", activity="discharge", owner="ward-nurse"),
             step("gp", "exit", setting="gp", owner="gp")]
    ho = {"sender": "ward-nurse", "receiver": "gp", "channel": "letter",
          "information": ["medicines list", "diagnosis"]}
    p = pathway(steps, [link("a", "dis"), link("dis", "gp", handoff=ho)], full_handoffs=False)
    got = findings(p, "discharge-information", PACK)
    assert [f.targets for f in got] == [("dis",)] and "coordinator" in got[0].message
    roles = [{"id": "patient", "name": "Patient"}, {"id": "gp", "name": "GP"},
             {"id": "ward-nurse", "name": "Ward nurse and discharge co-ordinator"}]
    p = pathway(steps, [link("a", "dis"), link("dis", "gp", handoff=ho)], full_handoffs=False,
                roles=roles)
    assert findings(p, "discharge-information", PACK) == []


def test_discharge_information_checks_each_transfer_on_its_own():
    steps = [step("a", "entry"), step("dis", activity="discharge",
                                      owner="discharge-coordinator"),
             step("gp", "exit", setting="gp", owner="gp"),
             step("care", setting="social", owner="social-worker", name="Care package"),
             step("home", "exit", setting="gp", owner="gp", name="Home with care")]
    full = {"sender": "ward-nurse", "receiver": "gp", "channel": "letter",
            "information": ["medicines list", "diagnosis"]}
    thin = {"sender": "ward-nurse", "receiver": "social-worker", "channel": "phone",
            "information": ["care needs"]}
    p = pathway(steps, [link("a", "dis"), link("dis", "gp", handoff=full),
                        link("dis", "care", handoff=thin), link("care", "home")],
                full_handoffs=False)
    got = findings(p, "discharge-information", PACK)
    assert [f.targets for f in got] == [("dis->care",)]
    assert "Care package" in got[0].message


# ------------------------------------------------------------ no-optimisation-route

def test_no_optimisation_route_when_loop_removed():
    p = _edit(surgical(), "prehab", activity="education")  # prehab leads on to surgery
    assert findings(p, "no-optimisation-route", PACK) == []
    p.remove_transition("optimise->pac")
    got = findings(p, "no-optimisation-route", PACK)
    # failed before the fix: it said "no route to optimisation" though one exists
    assert [f.targets for f in got] == [("pac", "optimise")]
    assert "'Preassessment'" in got[0].message and "'GP optimisation'" in got[0].message
    assert "no route leads from there back" in got[0].message


def test_optimisation_only_after_surgery_does_not_count():
    steps = [step("a", "entry"), step("pac", activity="preassessment"),
             step("op", activity="surgery"), step("opt", activity="optimisation"),
             step("z", "exit")]
    p = pathway(steps, chain("a", "pac", "op", "opt", "z"))
    assert targets(p, "no-optimisation-route", PACK) == [("pac",)]


def test_optimisation_that_goes_on_to_surgery_counts():
    steps = [step("a", "entry"), step("pac", activity="preassessment"),
             step("iron", activity="anaemia-management"), step("op", activity="surgery"),
             step("z", "exit")]
    p = pathway(steps, chain("a", "pac", "iron", "op", "z"))
    assert findings(p, "no-optimisation-route", PACK) == []


# -------------------------------------------------------------------- prehab-window

def test_prehab_window_too_short():
    p = _edit(surgical(), "prehab", duration_days=7)
    got = findings(p, "prehab-window", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("prehab",), "warning")]
    assert "about 7 days" in got[0].message


def test_prehab_window_is_the_programmes_own_length():
    # failed before the fix: a wait after a 7-day programme made it look long enough
    p = _edit(surgical(), "prehab", duration_days=7)
    p.update_transition("prehab->surgery", wait_days=21)
    assert [f.targets for f in findings(p, "prehab-window", PACK)] == [("prehab",)]
    p = _edit(surgical(), "prehab", duration_days=None)
    got = findings(p, "prehab-window", PACK)
    assert [f.targets for f in got] == [("prehab",)] and "does not say how long" in got[0].message


def test_prehab_window_adds_up_consecutive_programme_steps():
    steps = [step("a", "entry"),
             step("assess", activity="prehabilitation", duration_days=1),
             step("train", activity="prehabilitation", duration_days=20),
             step("op", activity="surgery"), step("z", "exit")]
    p = pathway(steps, chain("a", "assess", "train", "op", "z"))
    assert findings(p, "prehab-window", PACK) == []
    steps[2] = step("train", activity="prehabilitation", duration_days=10)
    p = pathway(steps, chain("a", "assess", "train", "op", "z"))
    got = findings(p, "prehab-window", PACK)
    assert [f.targets for f in got] == [("assess",)] and "about 11 days" in got[0].message


def test_prehab_after_surgery_is_not_checked():
    steps = [step("a", "entry"), step("op", activity="surgery"),
             step("rehab", activity="prehabilitation"), step("z", "exit")]
    p = pathway(steps, chain("a", "op", "rehab", "z"))
    assert findings(p, "prehab-window", PACK) == []


# --------------------------------------------------------- education-before-surgery

def test_major_surgery_without_education():
    p = _edit(surgical(), "school", activity=None)
    got = findings(p, "education-before-surgery", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("surgery",), "warning")]


def test_day_case_needs_no_education_and_education_before_is_fine():
    p = _edit(surgical(), "school", activity=None)
    p.update_step("surgery", surgery={"day_case": True})
    assert findings(p, "education-before-surgery", PACK) == []
    p.update_step("surgery", surgery={"major": False})
    assert findings(p, "education-before-surgery", PACK) == []
    assert findings(surgical(), "education-before-surgery", PACK) == []


def test_day_case_is_the_field_not_words_in_the_title():
    # failed before the fix: "Day-case" in the title exempted a hip replacement, while
    # "Cataract surgery" (a day case in practice) was warned
    p = _edit(surgical(title="Day-case total hip replacement"), "school", activity=None)
    assert [f.targets for f in findings(p, "education-before-surgery", PACK)] == [("surgery",)]
    p = _edit(surgical(title="Cataract surgery"), "school", activity=None)
    p.update_step("surgery", surgery={"day_case": True, "major": False})
    assert findings(p, "education-before-surgery", PACK) == []


# -------------------------------------------------------- long-wait-without-support

def _waiting(wait_days=60, support=False, wait_step_days=None):
    steps = [step("a", "entry"), step("list", activity="listing"),
             step("w", "wait", duration_days=wait_step_days, name="Waiting list"),
             step("op", activity="surgery"), step("z", "exit")]
    transitions = [link("a", "list"), link("list", "w", wait_days=wait_days),
                   link("w", "op"), link("op", "z")]
    if support:
        steps.append(step("ww", setting="gp", owner="practice-nurse", activity="waiting-well",
                          name="Waiting well check-in"))
        transitions += [link("list", "ww"), link("ww", "op")]
    return pathway(steps, transitions)


def test_long_wait_on_a_transition():
    got = findings(_waiting(), "long-wait-without-support", PACK)
    assert [f.targets for f in got] == [("list->w",)]
    assert "about 60 days" in got[0].message
    assert findings(_waiting(wait_days=42), "long-wait-without-support", PACK) == []
    assert findings(_waiting(support=True), "long-wait-without-support", PACK) == []


def test_long_wait_step():
    got = findings(_waiting(wait_days=None, wait_step_days=90), "long-wait-without-support",
                   PACK)
    assert [f.targets for f in got] == [("w",)]
    assert findings(_waiting(wait_days=None, wait_step_days=90, support=True),
                    "long-wait-without-support", PACK) == []


def test_planned_review_intervals_after_surgery_are_not_waiting_lists():
    steps = [step("a", "entry"), step("op", activity="surgery"),
             step("review-30", activity="follow-up", phase="recovery"),
             step("review-12w", activity="follow-up", phase="recovery"), step("z", "exit")]
    transitions = [link("a", "op"), link("op", "review-30", wait_days=30),
                   link("review-30", "review-12w", wait_days=54), link("review-12w", "z")]
    assert findings(pathway(steps, transitions), "long-wait-without-support", PACK) == []
    steps[2] = step("review-30", activity="follow-up", phase="preoperative")
    assert len(findings(pathway(steps, transitions), "long-wait-without-support", PACK)) == 1


# --------------------------------------------------------------------- digital-only

def _digital(alternative: bool):
    steps = [step("a", "entry"), step("q", channel="digital", name="Online questionnaire"),
             step("z", "exit")]
    transitions = [link("a", "q"), link("q", "z")]
    if alternative:
        steps.append(step("call", channel="phone", name="Phone questionnaire"))
        transitions += [link("a", "call", condition="cannot use online"), link("call", "z")]
    return pathway(steps, transitions)


def test_digital_only():
    got = findings(_digital(False), "digital-only", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("q",), "warning")]
    assert "'Online questionnaire'" in got[0].message
    assert findings(_digital(True), "digital-only", PACK) == []


# ------------------------------------------------------------ sdm-do-nothing-branch

def test_sdm_without_a_do_nothing_route():
    steps = [step("a", "entry"), step("sdm", activity="shared-decision-making",
                                      name="Shared decision clinic"),
             step("list", activity="listing"), step("op", activity="surgery"),
             step("z", "exit")]
    p = pathway(steps, chain("a", "sdm", "list", "op", "z"))
    got = findings(p, "sdm-do-nothing-branch", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("sdm",), "warning")]
    assert "'Shared decision clinic'" in got[0].message


def test_sdm_with_a_do_nothing_route_is_fine():
    assert findings(surgical(), "sdm-do-nothing-branch", PACK) == []


def test_prehab_window_with_two_operations_uses_the_first():
    steps = [step("a", "entry"), step("prehab", activity="prehabilitation", duration_days=7),
             step("op1", activity="surgery"), step("op2", activity="surgery"),
             step("z", "exit")]
    p = pathway(steps, [link("a", "prehab"), link("prehab", "op1"),
                        link("op1", "op2", wait_days=60), link("op2", "z")])
    got = findings(p, "prehab-window", PACK)
    assert [f.targets for f in got] == [("prehab",)]
    assert "about 7 days" in got[0].message


# -------------------------------------------------------------------- named-contact

def test_named_contact_missing_at_booking():
    p = _edit(surgical(), "listing", description="Listed for surgery.")
    got = findings(p, "named-contact", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("listing",), "warning")]
    assert "'Listing'" in got[0].message


def test_named_contact_at_listing_or_at_the_decision_before_it():
    assert findings(surgical(), "named-contact", PACK) == []
    p = _edit(surgical(), "listing", description=None)
    p.update_step("sdm", patient_info="You are given the name of a care coordinator.")
    assert findings(p, "named-contact", PACK) == []
