"""Issue 13, part 1: false negatives and false positives of the first rules, each fixed.

Each test here failed before its fix (the comment says how); together with the
near misses they pin the clinical reading of the rule.
"""

from __future__ import annotations

import pytest

from builders import FULL_HANDOFF, ROLES, SETTINGS, chain, findings, link, pathway, step, surgical
from designer.graph.io import loads_pathway
from designer.graph.model import Transition
from designer.graph.rules import FORMAT, RULES, load_packs
from designer.graph.validate import validate

PACK = ["perioperative"]


def _edit(p, step_id=None, **changes):
    p = p.model_copy(deep=True)
    if step_id:
        p.update_step(step_id, **changes)
    return p


def _two_operations(prehab_on: str = "open", school_on: tuple[str, ...] = ("keyhole", "open")):
    """Preassessment, then a decision: keyhole or open repair, on two branches."""
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral"),
             step("pac", activity="preassessment"),
             step("route", "decision", name="Which operation?"),
             step("keyhole", activity="surgery", name="Keyhole repair"),
             step("open", activity="surgery", name="Open repair"),
             step("z", "exit", setting="gp", owner="gp")]
    transitions = [link("ref", "pac"), link("pac", "route"), link("keyhole", "z"),
                   link("open", "z")]
    for op, condition in (("keyhole", "small hernia"), ("open", "large hernia")):
        before = []
        if prehab_on == op:
            steps.append(step("prehab", setting="hub", owner="physio",
                              activity="prehabilitation", duration_days=7, name="Prehab"))
            before.append("prehab")
        if op in school_on:
            steps.append(step(f"school-{op}", activity="education", name=f"School {op}"))
            before.append(f"school-{op}")
        ids = [*before, op]
        transitions.append(link("route", ids[0], condition=condition))
        transitions += chain(*ids)
    return pathway(steps, transitions, rule_packs=PACK)


# ----------------------------------------------------- "before surgery": every route

def test_prehab_on_the_second_operation_is_checked():
    # before: only the first surgery in flow order was looked at, so a 7-day
    # programme before the other operation passed
    p = _two_operations(prehab_on="open")
    assert [f.targets for f in findings(p, "prehab-window", PACK)] == [("prehab",)]
    swapped = p.model_copy(deep=True)
    swapped.steps.reverse()   # the verdict does not depend on the order of the file
    assert [f.targets for f in findings(swapped, "prehab-window", PACK)] == [("prehab",)]


def test_a_branch_that_skips_surgery_school_is_found():
    # before: education on some route was enough (the frailty exemplar sent patients
    # without anaemia past Hip School to the same operation)
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral"),
             step("hb", "decision", name="Anaemia?"),
             step("iron", activity="anaemia-management", name="Iron"),
             step("school", activity="education", name="Hip School"),
             step("op", activity="surgery", name="Hip replacement"),
             step("z", "exit", setting="gp", owner="gp")]
    transitions = [link("ref", "hb"), link("hb", "iron", condition="iron deficiency"),
                   link("hb", "op", condition="no iron deficiency"),
                   link("iron", "school"), link("school", "op"), link("op", "z")]
    got = findings(pathway(steps, transitions), "education-before-surgery", PACK)
    assert [f.targets for f in got] == [("op",)]
    assert "'Hip replacement'" in got[0].message
    transitions[2] = link("hb", "school", condition="no iron deficiency")
    assert findings(pathway(steps, transitions), "education-before-surgery", PACK) == []
    assert findings(_two_operations(prehab_on=""), "education-before-surgery", PACK) == []


def test_day_of_surgery_plan_on_every_route():
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral"),
             step("check", "decision", name="HbA1c below 69?"),
             step("plan", activity="diabetes-plan", owner="dsn"),
             step("op", activity="surgery"), step("z", "exit", setting="gp", owner="gp")]
    p = pathway(steps, [link("ref", "check"),
                        link("check", "plan", condition="HbA1c below 69 mmol/mol"),
                        link("check", "op", condition="HbA1c 69 mmol/mol or more, urgent"),
                        link("plan", "op"), link("op", "z")])
    # before: the plan on the first branch hid the urgent branch that skips it
    assert [f.targets for f in findings(p, "day-of-surgery-plan", ["diabetes"])] == [("op",)]


def test_parallel_branches_count_a_check_on_either_branch():
    # prehabilitation runs alongside the decision; Surgery School is on the other branch
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral"),
             step("dx", name="Diagnosis"),
             step("prehab", setting="hub", owner="physio", activity="prehabilitation",
                  duration_days=28),
             step("school", activity="education"),
             step("op", activity="surgery"), step("z", "exit")]
    transitions = [link("ref", "dx"), link("dx", "school"), link("dx", "prehab"),
                   link("school", "op"), link("prehab", "op"), link("op", "z")]
    # unmarked: the route through prehabilitation may be an alternative that skips school
    assert [f.targets for f in findings(pathway(steps, transitions),
                                        "education-before-surgery", PACK)] == [("op",)]
    transitions[1] = link("dx", "school", parallel=True)
    transitions[2] = link("dx", "prehab", parallel=True)
    assert findings(pathway(steps, transitions), "education-before-surgery", PACK) == []


# ------------------------------------------------------------- steps without a setting

def test_a_step_without_setting_is_found_and_the_handoff_seen_through_it():
    steps = [step("ref", "entry", setting="gp", owner="gp"),
             step("triage", setting=None, name="Triage"),
             step("clinic", setting="hospital"), step("z", "exit")]
    p = pathway(steps, chain("ref", "triage", "clinic", "z"), full_handoffs=False)
    assert [f.targets for f in findings(p, "step-without-setting")] == [("triage",)]
    # before: GP -> settingless step -> hospital passed with no handoff at all
    got = findings(p, "handoff-missing")
    assert [f.targets for f in got] == [("triage->clinic",)]
    assert "through 'Triage', which has no setting" in got[0].message
    # a handoff on either side is enough
    p = pathway(steps, [link("ref", "triage", handoff=dict(FULL_HANDOFF)),
                        *chain("triage", "clinic", "z")], full_handoffs=False)
    assert findings(p, "handoff-missing") == []


# -------------------------------------------------------------------------- discharge

def _discharge_pathway(to_gp=True, wait=0.0, helpline=True, follow_up=True,
                       patient_only=False):
    info = ["diagnosis", "medicines list", "communication needs"]
    steps = [step("a", "entry", setting="gp", owner="gp"),
             step("dis", activity="discharge", owner="discharge-coordinator",
                  name="Discharge", description="Named surgical contact and phone number."
                  if helpline else "Home with a letter."),
             step("gp-call", setting="gp", owner="practice-nurse", name="Practice nurse call",
                  activity="follow-up" if follow_up else "rehabilitation"),
             step("home", "exit", setting="home", owner="patient", name="Recovered")]
    receiver = "patient" if patient_only else "practice-nurse"
    ho = {"sender": "discharge-coordinator", "receiver": receiver, "information": info,
          "channel": "letter", "within_days": 1}
    return pathway(steps, [link("a", "dis"), link("dis", "gp-call", wait_days=wait, handoff=ho),
                           link("gp-call", "home", handoff=dict(FULL_HANDOFF))])


def test_discharge_safety_net_clean_and_each_gap():
    assert findings(_discharge_pathway(), "discharge-safety-net", PACK) == []
    # before: a handoff to the patient alone passed; the GP never got a summary
    got = findings(_discharge_pathway(patient_only=True), "discharge-safety-net", PACK)
    assert any("GP is not sent a discharge summary" in f.message for f in got)
    got = findings(_discharge_pathway(wait=7), "discharge-safety-net", PACK)
    assert [f.targets for f in got] == [("dis",)] and "72 hours" in got[0].message
    got = findings(_discharge_pathway(helpline=False), "discharge-safety-net", PACK)
    assert "who to call" in got[0].message
    got = findings(_discharge_pathway(follow_up=False), "discharge-safety-net", PACK)
    assert "patient-initiated follow-up" in got[0].message


def test_a_call_on_day_3_is_in_time_and_day_4_is_not():
    assert findings(_discharge_pathway(wait=3), "discharge-safety-net", PACK) == []
    assert len(findings(_discharge_pathway(wait=4), "discharge-safety-net", PACK)) == 1


# --------------------------------------------------------------------------- digital

def _choice(condition: str, other_channel: str, other_activity: str = "education"):
    steps = [step("a", "entry"), step("how", "decision", name="How to prepare?"),
             step("app", activity="education", channel="digital", name="App course"),
             step("other", activity=other_activity, channel=other_channel, name="Other"),
             step("z", "exit")]
    return pathway(steps, [link("a", "how"), link("how", "app", condition=condition),
                           link("how", "other", condition="the rest"),
                           link("app", "z"), link("other", "z")])


def test_a_clinically_different_branch_is_not_an_alternative():
    # before: any sibling offered in person counted as "the alternative"
    p = _choice("fit for surgery", "in-person", other_activity="optimisation")
    assert [f.targets for f in findings(p, "digital-only", PACK)] == [("app",)]
    assert findings(_choice("fit for surgery", "letter"), "digital-only", PACK) == []


def test_no_warning_when_the_patient_chose_the_app():
    # before: warned although the patient had just chosen the app
    assert findings(_choice("Prefers the app", "video"), "digital-only", PACK) == []
    assert findings(_choice("fit", "video"), "digital-only", PACK) != []


def _patient_handoff(channel: str, extra_letter: bool = False):
    steps = [step("a", "entry"), step("b", setting="home", owner="patient", name="At home"),
             step("z", "exit", setting="home", owner="patient")]
    ho = {"sender": "surgeon", "receiver": "patient", "channel": channel, "within_days": 2,
          "information": ["date of operation", "communication needs"]}
    transitions = [link("a", "b", handoff=ho), link("b", "z")]
    if extra_letter:
        steps.append(step("c", setting="home", owner="patient", name="Letter"))
        transitions += [link("a", "c", handoff={**ho, "channel": "letter"}), link("c", "z")]
    return pathway(steps, transitions)


def test_handoff_digital_only():
    got = findings(_patient_handoff("NHS App notification only"), "handoff-digital-only", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("a->b",), "warning")]
    assert "'NHS App notification only'" in got[0].message
    assert findings(_patient_handoff("NHS App and letter"), "handoff-digital-only", PACK) == []
    assert findings(_patient_handoff("email", extra_letter=True), "handoff-digital-only",
                    PACK) == []
    assert findings(_patient_handoff("phone call"), "handoff-digital-only", PACK) == []


# ---------------------------------------------------------------------- named contact

def test_contact_lenses_are_not_a_named_contact():
    # before: any word "contact" passed
    p = _edit(surgical(), "listing", description="Remove contact lenses before surgery.")
    assert [f.targets for f in findings(p, "named-contact", PACK)] == [("listing",)]
    p = _edit(surgical(), "listing", description="Your key worker's phone number is given.")
    assert findings(p, "named-contact", PACK) == []


def test_a_pathway_without_listing_is_checked_where_surgery_is_decided():
    # before: no listing step, no check at all
    steps = [step("a", "entry"), step("sdm", activity="shared-decision-making", name="SDM"),
             step("op", activity="surgery"), step("z", "exit")]
    p = pathway(steps, chain("a", "sdm", "op", "z"))
    assert [f.targets for f in findings(p, "named-contact", PACK)] == [("sdm",)]
    steps[1]["description"] = "A named point of contact is agreed."
    assert findings(pathway(steps, chain("a", "sdm", "op", "z")), "named-contact", PACK) == []


# ------------------------------------------------------------- severity: rule_config

def test_missing_phase_is_a_warning_and_rule_config_sets_it():
    p = _edit(surgical(), "review", phase="postoperative")
    assert [f.severity for f in findings(p, "missing-phase", PACK)] == ["warning"]
    p.update_header(rule_config={"missing-phase": "error"})
    assert [f.severity for f in findings(p, "missing-phase", PACK)] == ["error"]
    p.update_header(rule_config={"missing-phase": {"level": "info",
                                                   "reason": "A scoped anaemia clinic"}})
    assert [f.severity for f in findings(p, "missing-phase", PACK)] == ["info"]
    p.update_header(rule_config={"missing-phase": "off"})
    assert findings(p, "missing-phase", PACK) == []


def test_a_bare_off_in_yaml_switches_a_rule_off_and_unknown_ids_are_named():
    text = ("format: periop-pathway/1\nid: x\ntitle: X\n"
            "rule_config: {vte-plan: off, missing-phse: warning}\n")
    p = loads_pathway(text, name="x.yaml")
    assert p.rule_config["vte-plan"].value == "off"
    got = [f for f in validate(p).findings if f.rule == "unknown-reference"]
    assert len(got) == 1 and "did you mean 'missing-phase'?" in got[0].message


def test_unknown_reference_offers_the_near_match():
    p = _edit(surgical(), "pac", setting="hopsital")
    got = findings(p, "unknown-reference")
    assert [f.targets for f in got] == [("pac",)]
    assert "did you mean 'hospital'?" in got[0].message
    p = _edit(surgical(), "pac", setting="theatre")
    assert "did you mean" not in findings(p, "unknown-reference")[0].message


# ----------------------------------------------------------------- decision branches

def test_decision_branches_cites_the_format_not_a_clinical_source():
    load_packs()
    assert RULES["decision-branches"].sources == (FORMAT,)


def _threshold(*conditions: str):
    steps = [step("a", "entry"), step("d", "decision", name="HbA1c check")]
    transitions = [link("a", "d")]
    for i, c in enumerate(conditions):
        steps.append(step(f"b{i}"))
        transitions += [link("d", f"b{i}", condition=c), link(f"b{i}", "z")]
    steps.append(step("z", "exit"))
    return pathway(steps, transitions)


@pytest.mark.parametrize("conditions, gap", [
    (("HbA1c < 69 mmol/mol", "HbA1c > 69 mmol/mol"), "a value of 69"),
    (("HbA1c below 64", "HbA1c 69 or more"), "values from 64 to 69"),
    (("Hb < 130 g/L", "Hb > 130 g/L", "no anaemia"), "a value of 130"),
])
def test_threshold_gaps_are_found(conditions, gap):
    got = findings(_threshold(*conditions), "decision-threshold-gap")
    assert [f.targets for f in got] == [("d",)] and f"takes {gap}:" in got[0].message
    assert got[0].severity == "warning"


@pytest.mark.parametrize("conditions", [
    ("HbA1c < 69 mmol/mol", "HbA1c ≥ 69 mmol/mol"),
    ("HbA1c 69 mmol/mol or more", "HbA1c below 69", "no diabetes"),
    ("Oral iron: 4-6 weeks or more left", "Less than 4 weeks left"),   # a range: not read
    ("fit for surgery", "needs optimisation"),
])
def test_thresholds_without_a_gap_are_quiet(conditions):
    assert findings(_threshold(*conditions), "decision-threshold-gap") == []


# ------------------------------------------------ the shared "every route" search

def _random_pathway(seed: int):
    import random

    rng = random.Random(seed)
    n = rng.randint(4, 30)
    steps = [step("s0", "entry")] + [step(f"s{i}") for i in range(1, n)]
    transitions, seen = [], set()
    for i in range(1, n):                       # everyone is reachable from the entry
        a = rng.randrange(i)
        seen.add((a, i))
        transitions.append(link(f"s{a}", f"s{i}"))
    for _ in range(rng.randint(0, n)):          # extra arrows, loops back included
        a, b = rng.randrange(n), rng.randrange(1, n)
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            transitions.append(link(f"s{a}", f"s{b}"))
    guards = {f"s{i}" for i in range(1, n) if rng.random() < 0.3}
    return pathway(steps, transitions), guards


def test_both_ends_search_agrees_with_a_sweep_from_the_entry():
    from designer.graph.network import index_for

    for seed in range(300):
        p, guards = _random_pathway(seed)
        index = index_for(p)
        targets = [s.id for s in p.steps]
        one_by_one = {t for t in targets if index.unguarded([t], guards)}
        swept = set(index.unguarded(targets * 17, guards))   # many targets: one sweep
        # the sweep's truth: reachable from the entry without passing a guard
        truth = {t for t in index.reach(index.entries, avoid=guards) if t not in guards}
        assert one_by_one == swept == truth, seed
