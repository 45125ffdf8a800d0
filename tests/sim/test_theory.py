"""The simulation against queueing theory and arithmetic (independent truths)."""

from __future__ import annotations

import math

import pytest

from designer import sim
from designer.sim.stats import t975

from .helpers import erlang_c_wait, flow_pathway, single_queue


def _contains(summary: dict, value: float) -> bool:
    lo, hi = summary["ci95"]
    return lo <= value <= hi


def test_t_quantiles_match_tables():
    # Student's t 97.5% quantiles from statistical tables
    for df, table in ((1, 12.706), (2, 4.303), (3, 3.182), (5, 2.571), (10, 2.228),
                      (29, 2.045), (100, 1.984)):
        assert t975(df) == pytest.approx(table, abs=2e-3)


def test_mm1_wait_agrees_with_theory():
    # lambda = 1 a day, mean service 0.5 day: Wq = rho / (mu - lambda) = 0.5 day
    pathway = single_queue(mean_days=0.5, capacity=1, per_week=7, weeks=208)
    result = sim.run(pathway, replications=20, seed=11).scenarios[0]
    wait = result.summary("steps.serve.wait_days_mean")
    assert _contains(wait, 0.5), wait
    assert _contains(result.summary("steps.serve.utilisation"), 0.5)


def test_mmc_wait_agrees_with_erlang_c():
    # lambda = 2 a day, mean 1.2 days, 3 servers: offered 2.4, rho 0.8
    expected = erlang_c_wait(2.0, 1.2, 3)
    pathway = single_queue(mean_days=1.2, capacity=3, per_week=14, weeks=260)
    result = sim.run(pathway, replications=20, seed=5).scenarios[0]
    wait = result.summary("steps.serve.wait_days_mean")
    assert _contains(wait, expected), (wait, expected)
    # Little's law for the servers: busy servers = lambda x E[S]
    assert _contains(result.summary("steps.serve.utilisation"), 2.0 * 1.2 / 3)


def test_fixed_delays_add_up_exactly():
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 1},
         {"id": "a", "duration": {"dist": "fixed", "value": 3}},
         {"id": "b", "duration_days": 5},
         {"id": "op", "activity": "surgery", "duration_days": 0.5},
         {"id": "home", "kind": "exit"}],
        [("ref", "a"), ("a", "b", {"wait_days": 2}),
         ("b", "op", {"wait": {"dist": "fixed", "value": 4}}), ("op", "home")],
        flow={"arrivals": {"per_week": 3}, "horizon_weeks": 52, "warmup_weeks": 4})
    result = sim.run(pathway, replications=3, seed=1).scenarios[0]
    for key in ("rtt_weeks_median", "rtt_weeks_p90"):
        summary = result.summary(f"metrics.{key}")
        assert summary["mean"] == pytest.approx(15 / 7, abs=1e-12)
        assert summary["ci95"][1] - summary["ci95"][0] == pytest.approx(0, abs=1e-12)


def test_littles_law_for_the_waiting_list():
    # an exponential pure delay before surgery (M/M/infinity): L = lambda x W
    per_day, mean = 2.0, 10.0
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration": {"dist": "exponential", "mean": mean}},
         {"id": "op", "activity": "surgery", "duration_days": 0},
         {"id": "home", "kind": "exit"}],
        [("ref", "op"), ("op", "home")],
        flow={"arrivals": {"per_week": per_day * 7}, "horizon_weeks": 104,
              "warmup_weeks": 10})
    result = sim.run(pathway, replications=20, seed=3).scenarios[0]
    means = [sum(series) / len(series) for series in result.waiting_list]
    from designer.sim.stats import summary
    assert _contains(summary(means), per_day * mean)


def test_shared_resource_binds_as_arithmetic_says():
    # hip and knee operations (each 1 day) share one theatre: at most 1 patient a day
    # gets through, whatever arrives (1.4 a day)
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "which", "kind": "decision"},
         {"id": "hip", "activity": "surgery", "duration_days": 1, "uses": ["theatre"]},
         {"id": "knee", "activity": "surgery", "duration_days": 1, "uses": ["theatre"]},
         {"id": "home", "kind": "exit"}],
        [("ref", "which"), ("which", "hip", {"probability": 0.5}),
         ("which", "knee", {"probability": 0.5}), ("hip", "home"), ("knee", "home")],
        resources=[{"id": "theatre", "name": "Theatre", "capacity": 1}],
        flow={"arrivals": {"per_week": 1.4 * 7}, "horizon_weeks": 104, "warmup_weeks": 26})
    results = sim.run(pathway, replications=5, seed=2)
    assert any("grows without bound" in w and "Theatre" in w for w in results.warnings)
    s = results.scenarios[0]
    assert s.summary("resources.theatre.utilisation")["mean"] == pytest.approx(1.0, abs=1e-9)
    assert s.summary("metrics.patients_completed_per_year")["mean"] == pytest.approx(
        365.25, abs=1.0)
    # and under capacity the theatre is busy lambda x 1 day of the time, with no warning
    pathway.flow.arrivals.per_week = 0.6 * 7
    results = sim.run(pathway, replications=10, seed=2)
    assert not results.warnings
    assert _contains(results.scenarios[0].summary("resources.theatre.utilisation"), 0.6)


def test_common_random_numbers_narrow_the_difference():
    from designer.graph.io import load_pathway
    from designer.sim.stats import half_width, summary

    pathway = load_pathway("pathway_library/eras-plus-colorectal.yaml")
    crn = sim.run(pathway, ["before", "after"], replications=8, weeks=52, seed=7)
    paired = crn.compare("before", "after", "metrics.cost_per_year")
    # independent seeds: the 'after' scenario drawn from other streams
    before = crn.scenario("before").replications
    after = sim.run(pathway, ["after"], replications=8, weeks=52, seed=1007).scenarios[0]
    independent = summary(b["metrics.cost_per_year"] - a["metrics.cost_per_year"]
                          for a, b in zip(before, after.replications))
    assert half_width(paired) * 3 < half_width(independent), (paired, independent)


def test_eras_plus_saving_comes_out_of_the_model():
    from designer.graph.io import load_pathway

    pathway = load_pathway("pathway_library/eras-plus-colorectal.yaml")
    results = sim.run(pathway, ["before", "after"])
    cost = results.compare("before", "after", "metrics.cost_per_year")
    beds = results.compare("before", "after", "metrics.bed_days_per_year")
    # published: about 500 patients a year x 3 bed-days x GBP 313 = GBP 469,500 saved
    assert _contains(cost, -469_500), cost
    assert cost["ci95"][1] < 0 and beds["ci95"][1] < 0
    operated = results.scenario("after").summary("steps.surgery.visits_per_year")["mean"]
    assert operated == pytest.approx(500, rel=0.03)
    assert beds["mean"] == pytest.approx(-3 * operated, rel=0.03)


def test_cancellation_on_the_day_counts_and_keeps_theatre_time():
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "list", "activity": "listing", "duration_days": 7},
         {"id": "admit", "activity": "admission", "duration_days": 0.25,
          "uses": ["theatre"]},
         {"id": "go", "kind": "decision", "activity": "admission"},
         {"id": "op", "activity": "surgery", "duration_days": 0.25, "uses": ["theatre"]},
         {"id": "home", "kind": "exit"}],
        [("ref", "list"), ("list", "admit"), ("admit", "go"),
         ("go", "op", {"probability": 0.9}), ("go", "list", {"probability": 0.1}),
         ("op", "home")],
        resources=[{"id": "theatre", "name": "Theatre", "capacity": 4}],
        flow={"arrivals": {"per_week": 7}, "horizon_weeks": 104, "warmup_weeks": 8})
    s = sim.run(pathway, replications=10, seed=4).scenarios[0]
    admissions = s.summary("steps.admit.visits_per_year")["mean"]
    cancelled = s.summary("metrics.cancellations_on_the_day_per_year")
    assert cancelled["mean"] == pytest.approx(0.1 * admissions, rel=0.08)
    # theatre busy for every admission (cancelled ones too) and every operation
    operations = s.summary("steps.op.visits_per_year")["mean"]
    expected = (admissions + operations) * 0.25 / 365.25 / 4
    assert s.summary("resources.theatre.utilisation")["mean"] == pytest.approx(expected, rel=0.03)


def test_cohort_probabilities_and_metrics_per_cohort():
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "check", "kind": "decision"},
         {"id": "optimise", "duration_days": 140},
         {"id": "op", "activity": "surgery", "duration_days": 1},
         {"id": "home", "kind": "exit"}],
        [("ref", "check"),
         ("check", "optimise", {"probability": 0.1, "probability_by_cohort": {"deprived": 0.5}}),
         ("check", "op", {"probability": 0.9, "probability_by_cohort": {"deprived": 0.5}}),
         ("optimise", "op"), ("op", "home")],
        cohorts=[{"id": "deprived", "name": "IMD 1", "share": 0.2},
                 {"id": "other", "name": "IMD 2-5", "share": 0.8}],
        flow={"arrivals": {"per_week": 20}, "horizon_weeks": 104, "warmup_weeks": 30})
    s = sim.run(pathway, replications=5, seed=9).scenarios[0]
    deprived = s.summary("cohorts.deprived.rtt_within_18_weeks")["mean"]
    other = s.summary("cohorts.other.rtt_within_18_weeks")["mean"]
    assert deprived == pytest.approx(0.5, abs=0.05)
    assert other == pytest.approx(0.9, abs=0.02)
    share = (s.summary("cohorts.deprived.referrals_per_year")["mean"]
             / s.summary("metrics.referrals_per_year")["mean"])
    assert share == pytest.approx(0.2, abs=0.02)


def test_arrival_schedule_changes_the_rate():
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "home", "kind": "exit"}],
        [("ref", "home")],
        flow={"arrivals": {"schedule": [[0, 7], [30, 14]]}, "horizon_weeks": 52,
              "warmup_weeks": 30})
    s = sim.run(pathway, replications=5, seed=1).scenarios[0]
    assert s.summary("metrics.referrals_per_year")["mean"] == pytest.approx(14 * 365.25 / 7,
                                                                             rel=0.05)


def test_loops_run_as_drawn():
    # a loop taken with probability 0.5 each time: 2 visits per patient on average
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "optimise", "duration_days": 1},
         {"id": "ready", "kind": "decision"},
         {"id": "op", "activity": "surgery", "duration_days": 0},
         {"id": "home", "kind": "exit"}],
        [("ref", "optimise"), ("optimise", "ready"),
         ("ready", "optimise", {"probability": 0.5}), ("ready", "op", {"probability": 0.5}),
         ("op", "home")],
        flow={"arrivals": {"per_week": 70}, "horizon_weeks": 52, "warmup_weeks": 4})
    s = sim.run(pathway, replications=4, seed=1).scenarios[0]
    ratio = (s.summary("steps.optimise.visits_per_year")["mean"]
             / s.summary("steps.ref.visits_per_year")["mean"])
    assert ratio == pytest.approx(2.0, rel=0.03)


def test_scenario_typical_value_moves_a_distribution():
    # 'duration_days: 9' in a scenario for a step drawn from a lognormal of mean 4
    # stretches the lognormal to mean 9 (same shape), rather than doing nothing
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "ward", "activity": "inpatient-recovery", "duration_days": 4,
          "duration": {"dist": "lognormal", "mean": 4, "sd": 2}},
         {"id": "home", "kind": "exit"}],
        [("ref", "ward"), ("ward", "home")],
        scenarios=[{"id": "long", "name": "Long", "changes": [{"step": "ward",
                                                                "duration_days": 9}]}],
        flow={"arrivals": {"per_week": 70}, "horizon_weeks": 52, "warmup_weeks": 8})
    from designer.sim.plan import apply_scenario
    changed = apply_scenario(pathway, "long").step("ward").duration
    assert (changed.mean, changed.sd) == (9, 4.5)
    assert pathway.step("ward").duration.mean == 4          # the pathway is unchanged
    base = sim.run(pathway, ["baseline", "long"], replications=3, seed=1)
    ratio = (base.scenario("long").summary("metrics.bed_days_per_year")["mean"]
             / base.scenario("baseline").summary("metrics.bed_days_per_year")["mean"])
    assert ratio == pytest.approx(9 / 4, rel=0.01)   # same draws, stretched (CRN)
