"""The diabetes pack, and the hand-written day-case pathway that must pass every pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import chain, findings, link, pathway, step, targets
from designer.graph.io import load_pathway
from designer.graph.network import loop_back_edges
from designer.graph.rules import RULES, load_packs
from designer.graph.rules.diabetes import high_hba1c
from designer.graph.timeline import compute_timeline
from designer.graph.validate import validate

PACK = ["diabetes"]
DAY_CASE = Path(__file__).parent.parent / "data" / "day_case_diabetes.yaml"


def _day_case():
    return load_pathway(DAY_CASE)


def test_registered_with_sources_and_severities():
    load_packs()
    ids = ["diabetes-referral-dataset", "hba1c-optimisation-route", "day-of-surgery-plan",
           "diabetes-discharge-gp"]
    for rule_id in ids:
        assert RULES[rule_id].pack == "diabetes"
        assert "Source: " in RULES[rule_id].check.__doc__
        assert "Joint British Diabetes Societies" in RULES[rule_id].source \
            or "NHS" in RULES[rule_id].source
    assert RULES["day-of-surgery-plan"].severity == "warning"
    assert RULES["hba1c-optimisation-route"].severity == "error"


# ----------------------------------------------------------------- the day-case file

def test_day_case_pathway_is_clean_under_every_pack():
    p = _day_case()
    report = validate(p)
    assert report.packs == ("core", "perioperative", "diabetes")
    assert report.summary["error"] == 0, report.to_text(DAY_CASE.name)
    # and nothing hides behind waivers without a reason
    assert all(f.waived_reason for f in report.waived)
    assert report.findings == [], report.to_text(DAY_CASE.name)


def test_day_case_pathway_passes_the_command_line_check(capsys):
    from designer.cli import main

    assert main(["validate", str(DAY_CASE)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_day_case_has_the_optimisation_loop():
    p = _day_case()
    assert loop_back_edges(p) == {("practice-optimisation", "preassessment")}
    t = compute_timeline(p)
    assert t.surgery_step == "surgery"
    assert t.critical_path[0] == "referral" and t.critical_path[-1] == "recovered"


# --------------------------------------------------------------------- HbA1c parsing

@pytest.mark.parametrize("text", [
    "HbA1c >= 69", "HbA1c ≥69", "hba1c 69 mmol/mol or more", "HbA1c above 8.5%",
    "HbA1c 69 mmol/mol (8.5%) or more", "HbA1c > 69 mmol/mol", "HbA1c at least 64",
    "A1c>=69", "HbA1c 8.5% or higher"])
def test_high_hba1c_recognised(text):
    assert high_hba1c(text)


@pytest.mark.parametrize("text", [
    None, "", "HbA1c < 69", "HbA1c below 69 mmol/mol", "HbA1c under 8.5%", "HbA1c >= 75",
    "HbA1c within 3 months", "fit for surgery", "glucose >= 69"])
def test_high_hba1c_rejected(text):
    assert not high_hba1c(text)


# ------------------------------------------------------------- referral dataset

def _referral(info, handoff=True):
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral",
                  name="GP referral"),
             step("clinic"), step("z", "exit")]
    ho = {"sender": "gp", "receiver": "surgeon", "information": info, "channel": "e-referral"}
    transitions = [link("ref", "clinic", **({"handoff": ho} if handoff else {})),
                   link("clinic", "z")]
    return pathway(steps, transitions, full_handoffs=False)


def test_referral_dataset_missing_items():
    got = findings(_referral(["referral letter", "HbA1c"]), "diabetes-referral-dataset", PACK)
    assert [f.targets for f in got] == [("ref->clinic",)]
    assert "blood pressure, weight, complications or medicines" in got[0].message
    assert "'GP referral'" in got[0].message


def test_referral_dataset_synonyms():
    info = ["Letter", "HbA1c (last 3 months)", "BP", "BMI", "Diabetes complications",
            "Medication list"]
    assert findings(_referral(info), "diabetes-referral-dataset", PACK) == []


def test_referral_without_handoff_and_handoff_found_further_on():
    # the referral leaves the GP practice with no handoff: the finding is on that move
    got = findings(_referral([], handoff=False), "diabetes-referral-dataset", PACK)
    assert [f.targets for f in got] == [("ref->clinic",)]
    # a referral that leads nowhere at all is named itself
    lonely = pathway([step("ref", "entry", setting="gp", owner="gp", activity="referral")],
                     [])
    assert targets(lonely, "diabetes-referral-dataset", PACK) == [("ref",)]
    # a same-setting step before the handoff: the first handoff on is the referral's
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral"),
             step("letter", setting="gp", owner="gp"), step("clinic"), step("z", "exit")]
    ho = {"sender": "gp", "receiver": "surgeon", "channel": "e-referral",
          "information": ["HbA1c", "blood pressure", "weight", "complications", "medicines"]}
    p = pathway(steps, [link("ref", "letter"), link("letter", "clinic", handoff=ho),
                        link("clinic", "z")])
    assert findings(p, "diabetes-referral-dataset", PACK) == []


def test_handoff_after_leaving_the_setting_is_not_the_referral():
    steps = [step("ref", "entry", setting="gp", owner="gp", activity="referral"),
             step("list"), step("pac"), step("z", "exit")]
    ho = {"sender": "surgeon", "receiver": "pac-nurse", "channel": "letter",
          "information": ["HbA1c", "blood pressure", "weight", "complications", "medicines"]}
    p = pathway(steps, [link("ref", "list"), link("list", "pac", handoff=ho),
                        link("pac", "z")], full_handoffs=False)
    got = findings(p, "diabetes-referral-dataset", PACK)
    assert [f.targets for f in got] == [("ref->list",)]
    assert "No handoff follows the referral" in got[0].message


def test_entry_is_the_referral_when_no_step_is_marked_referral():
    p = pathway([step("start", "entry", setting="gp", owner="gp"), step("z", "exit")],
                chain("start", "z"))
    assert targets(p, "diabetes-referral-dataset", PACK) == [("start->z",)]


# ------------------------------------------------------- hba1c-optimisation-route

def _loop(condition="HbA1c >= 69 mmol/mol", opt_setting="gp", opt_owner="practice-nurse",
          back_to="pac", opt_activity="glycaemic-optimisation", decision_name="HbA1c?"):
    steps = [step("ref", "entry", setting="gp", owner="gp"),
             step("pac", activity="preassessment", owner="pac-nurse"),
             step("check", "decision", owner="pac-nurse", name=decision_name),
             step("opt", setting=opt_setting, owner=opt_owner, activity=opt_activity,
                  name="Practice optimisation"),
             step("op", activity="surgery"), step("z", "exit")]
    transitions = [link("ref", "pac"), link("pac", "check"),
                   link("check", "opt", condition=condition),
                   link("check", "op", condition="otherwise"),
                   link("opt", back_to), link("op", "z")]
    return pathway(steps, transitions)


def test_hba1c_loop_back_to_preassessment_is_fine():
    assert findings(_loop(), "hba1c-optimisation-route", PACK) == []


def test_hba1c_loop_led_by_diabetes_team_in_hospital_is_fine():
    p = _loop(opt_setting="hospital", opt_owner="dsn")
    assert findings(p, "hba1c-optimisation-route", PACK) == []


def test_no_hba1c_branch_at_all():
    got = findings(_loop(condition="needs work"), "hba1c-optimisation-route", PACK)
    assert [f.targets for f in got] == [("pac",)]
    assert "69 mmol/mol" in got[0].message


def test_hba1c_branch_that_never_returns():
    got = findings(_loop(back_to="z"), "hba1c-optimisation-route", PACK)
    assert [f.targets for f in got] == [("check->opt",)]
    assert "HbA1c >= 69 mmol/mol" in got[0].message


def test_hba1c_branch_to_hospital_optimisation_not_led_by_primary_care():
    p = _loop(opt_setting="hospital", opt_owner="surgeon")
    assert targets(p, "hba1c-optimisation-route", PACK) == [("check->opt",)]


def test_hba1c_branch_to_a_step_that_is_not_optimisation():
    p = _loop(opt_activity="follow-up")
    assert targets(p, "hba1c-optimisation-route", PACK) == [("check->opt",)]


def test_yes_branch_of_an_hba1c_question():
    p = _loop(condition="Yes", decision_name="HbA1c 69 mmol/mol or more?")
    assert findings(p, "hba1c-optimisation-route", PACK) == []


# ------------------------------------------------------------- day-of-surgery-plan

def _plan(with_plan: bool, by_name: bool = False):
    plan = (step("plan", name="Diabetes day-of-surgery plan") if by_name
            else step("plan", activity="diabetes-plan", owner="dsn"))
    steps = [step("a", "entry"), step("op", activity="surgery", name="Operation"),
             step("z", "exit")]
    if with_plan:
        steps.insert(1, plan)
        return pathway(steps, chain("a", "plan", "op", "z"))
    return pathway(steps, chain("a", "op", "z"))


def test_day_of_surgery_plan():
    got = findings(_plan(False), "day-of-surgery-plan", PACK)
    assert [(f.targets, f.severity) for f in got] == [(("op",), "warning")]
    assert "'Operation'" in got[0].message
    assert findings(_plan(True), "day-of-surgery-plan", PACK) == []
    assert findings(_plan(True, by_name=True), "day-of-surgery-plan", PACK) == []


def test_plan_after_surgery_does_not_count():
    steps = [step("a", "entry"), step("op", activity="surgery"),
             step("plan", activity="diabetes-plan"), step("z", "exit")]
    p = pathway(steps, chain("a", "op", "plan", "z"))
    assert targets(p, "day-of-surgery-plan", PACK) == [("op",)]


# ----------------------------------------------------------- diabetes-discharge-gp

def _discharge(info, target_setting="gp", receiver="practice-nurse"):
    steps = [step("a", "entry"), step("dis", activity="discharge", name="Go home"),
             step("next", "exit", setting=target_setting, owner="patient")]
    ho = {"sender": "ward-nurse", "receiver": receiver, "information": info,
          "channel": "letter"}
    return pathway(steps, [link("a", "dis"), link("dis", "next", handoff=ho)])


def test_discharge_tells_gp_about_diabetes_changes():
    assert findings(_discharge(["changes to diabetes medicines"]),
                    "diabetes-discharge-gp", PACK) == []
    # to the patient at home, but addressed to the GP
    assert findings(_discharge(["insulin dose changes"], "home", "gp"),
                    "diabetes-discharge-gp", PACK) == []


def test_discharge_without_diabetes_information_or_not_to_gp():
    got = findings(_discharge(["medicines list"]), "diabetes-discharge-gp", PACK)
    assert [f.targets for f in got] == [("dis",)]
    assert "'Go home'" in got[0].message
    got = findings(_discharge(["diabetes advice"], "home", "patient"),
                   "diabetes-discharge-gp", PACK)
    assert [f.targets for f in got] == [("dis",)]


def test_hba1c_nearby_search_and_whole_pathway_check_agree(monkeypatch):
    from designer.graph.rules import diabetes

    cases = [_loop(), _loop(opt_setting="hospital", opt_owner="dsn"), _loop(back_to="z"),
             _loop(opt_setting="hospital", opt_owner="surgeon"),
             _loop(opt_activity="follow-up"), _loop(condition="needs work")]
    nearby = [targets(p, "hba1c-optimisation-route", PACK) for p in cases]
    monkeypatch.setattr(diabetes, "_FEW_BRANCHES", 0)
    whole = [targets(p, "hba1c-optimisation-route", PACK) for p in cases]
    assert nearby == whole == [[], [], [("check->opt",)], [("check->opt",)],
                               [("check->opt",)], [("pac",)]]
    monkeypatch.setattr(diabetes, "_FEW_BRANCHES", 16)
    monkeypatch.setattr(diabetes, "_NEARBY", 0)
    assert [targets(p, "hba1c-optimisation-route", PACK) for p in cases] == whole


def test_plan_found_by_activity_or_by_name():
    cases = [_plan(False), _plan(True), _plan(True, by_name=True)]
    assert [targets(p, "day-of-surgery-plan", PACK) for p in cases] == [[("op",)], [], []]
