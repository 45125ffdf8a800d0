"""The clinical diff: steps matched by id then name, fields, transitions, handoffs, thresholds."""

from __future__ import annotations

import json

import pytest

from designer.graph.diff import diff_pathways, normalise_name, thresholds
from designer.graph.model import Handoff, Step, Transition

from workshop_sample import make_pathway


def test_identical_pathways_have_no_differences():
    d = diff_pathways(make_pathway(), make_pathway())
    assert d.is_empty()
    assert d.rows() == []
    assert d.summary() == "No clinical differences."
    assert d.to_json()["identical"] is True


def test_step_added_removed_and_changed_field_by_field():
    a, b = make_pathway(), make_pathway()
    b.steps = [s for s in b.steps if s.id != "optimise"]
    b.transitions = [t for t in b.transitions if "optimise" not in t.key]
    b.steps.insert(1, Step(id="sdm", name="Shared decision making", setting="hospital",
                           owner="surgeon"))
    b.steps[2] = b.steps[2].model_copy(update={"owner": "surgeon", "duration_days": 2.0,
                                               "patient_info": "Plain words."})
    rows = d_rows = diff_pathways(a, b).rows()
    assert {"change": "added", "subject": "Shared decision making", "field": "",
            "old": "", "new": "Shared decision making"} in rows
    assert any(r["change"] == "removed" and r["subject"] == "GP optimisation" for r in rows)
    owner = next(r for r in d_rows if r["field"] == "owner")
    assert (owner["subject"], owner["old"], owner["new"]) == (
        "Preoperative assessment", "Preassessment nurse", "Surgeon")
    assert any(r["field"] == "duration (days)" and r["old"] == "1" and r["new"] == "2"
               for r in rows)
    assert any(r["field"] == "patient information" for r in rows)
    # the optimisation loop's transitions went with the step
    removed_t = [r["subject"] for r in rows if r["change"] == "removed" and "→" in r["subject"]]
    assert "HbA1c check → GP optimisation" in removed_t


def test_steps_matched_by_name_when_ids_differ():
    a, b = make_pathway(), make_pathway()
    b.rename_step("pac", "preassessment")
    d = diff_pathways(a, b)
    assert d.step_pairs["pac"] == "preassessment"
    rows = d.rows()
    assert rows == [{"change": "changed", "subject": "Preoperative assessment", "field": "id",
                     "old": "pac", "new": "preassessment"}]
    # transitions followed the renamed step, so none is reported added or removed
    assert d.marks_b() == {"preassessment": "changed"}


def test_name_matching_ignores_case_and_punctuation():
    assert normalise_name("  Pre-operative   Assessment!") == "pre operative assessment"


def test_threshold_change_reports_old_and_new_numbers():
    a, b = make_pathway(), make_pathway()
    b.update_transition("check->optimise", condition="HbA1c >= 64 mmol/mol")
    d = diff_pathways(a, b)
    changes = [c for c in d.changes if c.area == "threshold"]
    assert len(changes) == 1
    assert (changes[0].old, changes[0].new) == (69, 64)
    assert changes[0].field == "HbA1c ≥ threshold"
    # only the number moved, so no separate "condition" row duplicates it
    assert not any(c.field == "condition" for c in d.changes)
    assert d.to_json()["changes"][0]["old"] == 69
    assert d.marks_a() == {"check->optimise": "changed"}


def test_thresholds_parse_words_and_symbols():
    assert thresholds("HbA1c >= 69 mmol/mol") == [("hba1c", ">=", 69.0)]
    assert thresholds("if BMI is over 40 or HbA1c at or above 8.5") == [
        ("bmi", ">", 40.0), ("hba1c", ">=", 8.5)]
    assert thresholds(None) == []


def test_condition_rewritten_reports_condition_and_threshold():
    a, b = make_pathway(), make_pathway()
    b.update_transition("check->optimise", condition="HbA1c >= 75 and not on insulin")
    d = diff_pathways(a, b)
    fields = [c.field for c in d.changes]
    assert "condition" in fields
    assert any(c.area == "threshold" and (c.old, c.new) == (69, 75) for c in d.changes)


def test_transition_and_handoff_changes():
    a, b = make_pathway(), make_pathway()
    b.update_transition("referral->pac", wait_days=7, handoff=Handoff(
        sender="gp", receiver="pac-nurse", channel="e-referral",
        information=["referral letter", "HbA1c", "blood pressure"], within_days=14))
    b.add_transition(Transition(source="pac", target="surgery", condition="fit"))
    rows = diff_pathways(a, b).rows()
    subject = "Referral → Preoperative assessment"
    assert {"change": "changed", "subject": subject, "field": "wait (days)",
            "old": "14", "new": "7"} in rows
    assert {"change": "added", "subject": subject, "field": "handoff information",
            "old": "", "new": "blood pressure"} in rows
    assert {"change": "removed", "subject": subject, "field": "handoff information",
            "old": "medicines list", "new": ""} in rows
    assert any(r["field"] == "handoff within (days)" and r["new"] == "14" for r in rows)
    assert any(r["change"] == "added" and r["subject"] == "Preoperative assessment → Surgery"
               for r in rows)


def test_header_changes_and_summary():
    a = make_pathway()
    b = make_pathway(title="Demo pathway (Trust B)", version="1.1.0", status="approved")
    b.rule_packs = ["diabetes", "perioperative"]
    d = diff_pathways(a, b)
    fields = {c.field: (c.old, c.new) for c in d.changes if c.area == "header"}
    assert fields["version"] == ("1.0.0", "1.1.0")
    assert fields["status"] == ("draft", "approved")
    assert fields["rule_packs"] == (["diabetes"], ["diabetes", "perioperative"])
    assert "header fields" in d.summary()


def test_summary_counts_steps_once_however_many_fields_changed():
    a, b = make_pathway(), make_pathway()
    b.update_step("pac", owner="surgeon", duration_days=3)
    b.add_step(Step(id="new", name="New step"))
    assert diff_pathways(a, b).summary() == "1 step added, 1 changed."


def test_json_and_markdown_are_complete():
    a, b = make_pathway(), make_pathway()
    b.update_step("surgery", name="Surgery | day case")
    d = diff_pathways(a, b)
    data = json.loads(json.dumps(d.to_json()))
    assert data["changes"][0] == {"change": "changed", "area": "step",
                                  "subject": "Surgery | day case", "field": "name",
                                  "old": "Surgery", "new": "Surgery | day case",
                                  "a": "surgery", "b": "surgery"}
    md = d.to_markdown()
    assert "| changed | Surgery \\| day case | name |" in md
    assert md.startswith("## Differences from Demo pathway (version 1.0.0)")


@pytest.mark.parametrize("field", ["kind", "setting", "phase", "activity", "channel"])
def test_each_step_field_is_compared(field):
    values = {"kind": "wait", "setting": "gp", "phase": "preoperative",
              "activity": "optimisation", "channel": "video"}
    a, b = make_pathway(), make_pathway()
    b.update_step("pac", **{field: values[field]})
    [change] = diff_pathways(a, b).changes
    assert change.field == field


def test_derived_from_link_is_not_reported_and_header_comes_last():
    from designer.graph.model import DerivedFrom

    a, b = make_pathway(), make_pathway(id="demo-local", version="0.1.0")
    b.update_header(derived_from=DerivedFrom(id="demo", version="1.0.0"))
    b.update_step("pac", duration_days=5)
    d = diff_pathways(a, b)
    assert [c.field for c in d.changes] == ["duration_days", "version"]
