"""Expected days, T-minus relative to surgery, critical path, expected values."""

from __future__ import annotations

import pytest

from builders import chain, link, pathway, step, surgical
from designer.graph.timeline import compute_timeline, format_relative


@pytest.mark.parametrize("days,text", [(-42, "T-42"), (0, "T0"), (3, "T+3"), (-0.4, "T0"),
                                       (2.5, "T+3"), (-2.5, "T-3"), (0.6, "T+1")])
def test_format_relative(days, text):
    assert format_relative(days) == text


def _simple():
    steps = [step("ref", "entry", duration_days=1), step("pac", duration_days=2),
             step("op", activity="surgery", duration_days=1),
             step("home", "exit")]
    return pathway(steps, [link("ref", "pac", wait_days=14), link("pac", "op", wait_days=28),
                           link("op", "home")])


def test_start_days_and_relative_days():
    t = compute_timeline(_simple())
    by = t.by_step
    assert [e.step_id for e in t.entries] == ["ref", "pac", "op", "home"]
    assert (by["ref"].start_day, by["ref"].end_day) == (0, 1)
    assert by["pac"].start_day == 15
    assert by["op"].start_day == 45
    assert by["home"].start_day == 46
    assert t.surgery_step == "op"
    assert [by[s].relative_day for s in ("ref", "pac", "op", "home")] == [-45, -30, 0, 1]
    assert t.total_days == 46
    assert t.critical_path == ["ref", "pac", "op", "home"]
    assert all(e.on_critical_path for e in t.entries)


def test_longest_route_wins_and_defines_the_critical_path():
    steps = [step("a", "entry"), step("fast", duration_days=1), step("slow", duration_days=10),
             step("op", activity="surgery"), step("z", "exit")]
    p = pathway(steps, [link("a", "fast"), link("a", "slow"), link("fast", "op"),
                        link("slow", "op", wait_days=2), link("op", "z")])
    t = compute_timeline(p)
    assert t.by_step["op"].start_day == 12
    assert t.critical_path == ["a", "slow", "op", "z"]
    assert not t.by_step["fast"].on_critical_path
    assert t.by_step["fast"].relative_day == -12


def test_missing_values_count_zero_and_no_surgery_means_no_relative_day():
    p = pathway([step("a", "entry"), step("b"), step("c", "exit")], chain("a", "b", "c"))
    t = compute_timeline(p)
    assert [e.start_day for e in t.entries] == [0, 0, 0]
    assert t.surgery_step is None
    assert all(e.relative_day is None for e in t.entries)
    assert t.total_days == 0
    assert "No surgery step" in t.to_text(p)
    assert "every step shows day 0" in t.to_text(p)
    assert "every step shows day 0" not in compute_timeline(_simple()).to_text(_simple())


def test_loop_backs_are_ignored():
    t = compute_timeline(surgical())
    by = t.by_step
    # optimisation (28 days) loops back to preassessment, it does not delay it
    assert by["pac"].start_day == 0
    assert by["optimise"].start_day == 0 and by["optimise"].end_day == 28
    assert by["surgery"].start_day == 28  # prehabilitation 28 days
    assert by["prehab"].relative_day == -28
    assert "optimise" not in t.critical_path
    assert t.critical_path[0] == "referral" and t.critical_path[-1] == "review"
    assert t.total_days == 30


def test_first_surgery_in_flow_order_is_the_reference():
    steps = [step("a", "entry"), step("op2", activity="surgery", name="Second op"),
             step("op1", activity="surgery", name="First op"), step("z", "exit")]
    # op2 is first in the file, op1 first in the flow
    p = pathway(steps, [link("a", "op1", wait_days=5), link("op1", "op2", wait_days=30),
                        link("op2", "z")])
    t = compute_timeline(p)
    assert t.surgery_step == "op1"
    assert t.by_step["op2"].relative_day == 30


def test_expected_start_day_weighs_decision_branches():
    steps = [step("a", "entry"), step("d", "decision"),
             step("quick", duration_days=0), step("slow", duration_days=0),
             step("op", activity="surgery"), step("z", "exit")]
    p = pathway(steps, [
        link("a", "d"),
        link("d", "quick", condition="fit", probability=0.75, wait_days=10),
        link("d", "slow", condition="needs work", probability=0.25, wait_days=50),
        link("quick", "op"), link("slow", "op"), link("op", "z")])
    t = compute_timeline(p)
    assert t.uses_probabilities
    op = t.by_step["op"]
    assert op.start_day == 50                     # the longest route
    assert op.expected_start_day == pytest.approx(20)  # 0.75*10 + 0.25*50
    assert t.by_step["slow"].reach_probability == pytest.approx(0.25)
    assert "Expected" in t.to_text(p)


def test_branches_without_probability_share_the_rest():
    steps = [step("a", "entry"), step("d", "decision"), step("x"), step("y"), step("w"),
             step("z", "exit")]
    p = pathway(steps, [link("a", "d"),
                        link("d", "x", condition="1", probability=0.5),
                        link("d", "y", condition="2"), link("d", "w", condition="3"),
                        link("x", "z"), link("y", "z"), link("w", "z")])
    t = compute_timeline(p)
    assert t.by_step["y"].reach_probability == pytest.approx(0.25)
    assert t.by_step["w"].reach_probability == pytest.approx(0.25)


def test_without_probabilities_expected_equals_start_on_a_single_route():
    t = compute_timeline(_simple())
    assert not t.uses_probabilities
    assert [e.expected_start_day for e in t.entries] == [e.start_day for e in t.entries]


def test_to_json_and_text():
    p = _simple()
    t = compute_timeline(p)
    data = t.to_json()
    assert data["surgery_step"] == "op" and data["total_days"] == 46
    assert data["critical_path"] == ["ref", "pac", "op", "home"]
    assert data["entries"][0] == {
        "step": "ref", "start_day": 0.0, "end_day": 1.0, "relative_day": -45.0,
        "relative": "T-45", "expected_start_day": 0.0, "reach_probability": 1.0,
        "detour": False, "loop_days": None, "timing_assumed": False,
        "on_critical_path": True}
    text = t.to_text(p)
    assert "about 46 days from entry to exit" in text
    assert "T-45" in text and "* Ref" in text
    assert "Critical path: Ref > Pac > Op > Home" in text


def test_empty_pathway():
    p = pathway([], [])
    t = compute_timeline(p)
    assert t.entries == [] and t.critical_path == [] and t.total_days == 0


def test_expected_days_follow_patients_round_the_optimisation_loop():
    p = surgical().model_copy(deep=True)
    p.update_transition("fit->school", probability=0.8)
    p.update_transition("fit->optimise", probability=0.2)
    t = compute_timeline(p)
    assert t.uses_probabilities
    op = t.by_step["surgery"]
    # one in five go round the 28-day loop, again and again: 0.25 loops on average
    assert op.start_day == 28
    assert op.expected_start_day == pytest.approx(28 + 0.25 * 28, abs=1e-3)
    # the decision about surgery gives no probabilities: its two branches share equally
    assert op.reach_probability == pytest.approx(0.5, abs=1e-5)
    assert t.by_step["no-surgery"].reach_probability == pytest.approx(0.5)


def test_without_probabilities_loops_are_not_followed():
    t = compute_timeline(surgical())
    assert not t.uses_probabilities
    assert t.by_step["surgery"].expected_start_day == t.by_step["surgery"].start_day


def test_two_loops_back_to_the_same_step_add_their_average_delay():
    steps = [step("a", "entry"), step("pac", activity="preassessment"),
             step("fit", "decision"), step("gp", setting="gp", owner="gp", duration_days=28),
             step("iron", duration_days=42), step("op", activity="surgery"),
             step("z", "exit")]
    p = pathway(steps, [
        link("a", "pac"), link("pac", "fit"),
        link("fit", "op", condition="fit", probability=0.8),
        link("fit", "gp", condition="HbA1c 69 or more", probability=0.1),
        link("fit", "iron", condition="anaemic", probability=0.1),
        link("gp", "pac"), link("iron", "pac"), link("op", "z")])
    t = compute_timeline(p)
    # a fifth loop back, after 35 days on average: 0.25 extra loops of 35 days
    assert t.by_step["op"].expected_start_day == pytest.approx(0.25 * 35)
    assert t.by_step["op"].reach_probability == pytest.approx(1.0)
    assert t.by_step["z"].expected_start_day == pytest.approx(8.75)


def test_optimisation_loop_steps_are_detours_with_the_days_they_add():
    from designer.graph.model import Pathway
    from designer.graph.timeline import compute_timeline

    p = Pathway.model_validate({
        "id": "loop", "title": "Loop",
        "steps": [{"id": "ref", "name": "Referral", "kind": "entry"},
                  {"id": "pac", "name": "Preassessment", "activity": "preassessment",
                   "duration_days": 1},
                  {"id": "ok", "name": "HbA1c below 69?", "kind": "decision"},
                  {"id": "gp", "name": "GP optimisation", "activity": "optimisation",
                   "duration_days": 90},
                  {"id": "op", "name": "Surgery", "activity": "surgery", "duration_days": 1},
                  {"id": "home", "name": "Home", "kind": "exit"}],
        "transitions": [{"from": "ref", "to": "pac", "wait_days": 7},
                        {"from": "pac", "to": "ok"},
                        {"from": "ok", "to": "op", "condition": "below 69"},
                        {"from": "ok", "to": "gp", "condition": "69 or above"},
                        {"from": "gp", "to": "pac", "wait_days": 14},
                        {"from": "op", "to": "home"}]})
    timeline = compute_timeline(p)
    gp = timeline.by_step["gp"]
    assert gp.detour and not gp.on_critical_path
    # back at preassessment on day 8 + 90 + 14 = 112 instead of day 7: 105 days more
    assert gp.loop_days == 105
    assert not any(timeline.by_step[s].detour for s in ("ref", "pac", "ok", "op", "home"))
    assert "only if needed: loops back, adds about 105 days" in timeline.to_text(p)
