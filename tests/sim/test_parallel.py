"""Parallel branches run side by side and the patient goes on when all have met.

Truth: arithmetic on fixed durations (the longest branch sets the time through a
fork, whatever the file order), and a hand-worked expectation for a branch with a
probability choice.
"""

from __future__ import annotations

import pytest

from designer import sim

from .helpers import flow_pathway

FLOW = {"arrivals": {"per_week": 3}, "horizon_weeks": 52, "warmup_weeks": 8}


def _fork(branch_days: list[float], extra_steps=(), extra_transitions=(), **kw):
    """referral -> clinic (1 day) -> parallel branches -> operation -> home."""
    steps = [{"id": "ref", "kind": "entry", "duration_days": 0},
             {"id": "clinic", "duration_days": 1},
             {"id": "op", "activity": "surgery", "duration_days": 0.5},
             {"id": "home", "kind": "exit"}, *extra_steps]
    transitions = []
    for n, days in enumerate(branch_days):
        steps.append({"id": f"b{n}", "duration_days": days, **kw.get(f"b{n}", {})})
        transitions += [("clinic", f"b{n}", {"parallel": True}), (f"b{n}", "op")]
    return flow_pathway(steps, [("ref", "clinic"), *transitions, *extra_transitions,
                                ("op", "home")],
                        **{k: v for k, v in kw.items() if not k.startswith("b")},
                        flow=FLOW)


def _median_days(pathway, replications=2) -> dict:
    result = sim.run(pathway, replications=replications, seed=3).scenarios[0]
    return {k: result.summary(f"metrics.{k}") for k in
            ("rtt_weeks_median", "rtt_weeks_p90", "cost_per_patient",
             "patients_completed_per_year", "referrals_per_year")}


@pytest.mark.parametrize("order", [[10, 30], [30, 10]])
def test_two_branches_take_the_longer_whatever_the_order(order):
    got = _median_days(_fork(order))
    for key in ("rtt_weeks_median", "rtt_weeks_p90"):
        assert got[key]["mean"] == pytest.approx(31 / 7, abs=1e-12)   # 1 + 30 days
    # every patient is operated and leaves once (not once per branch)
    ratio = got["patients_completed_per_year"]["mean"] / got["referrals_per_year"]["mean"]
    assert ratio == pytest.approx(1, abs=0.05)


def test_three_unequal_branches_take_the_max():
    got = _median_days(_fork([7, 21, 14]))
    assert got["rtt_weeks_median"]["mean"] == pytest.approx(22 / 7, abs=1e-12)
    assert got["rtt_weeks_p90"]["mean"] == pytest.approx(22 / 7, abs=1e-12)


def test_a_choice_inside_a_branch_keeps_its_probability():
    # branch 0: 10 days, then a choice: 40% a further 30 days, 60% straight on;
    # branch 1: 20 days. Time through the fork: 40% max(40, 20) = 40, 60% max(10, 20) = 20
    # => mean 0.4 * 40 + 0.6 * 20 = 28 days; plus the 1-day clinic.
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "clinic", "duration_days": 1},
         {"id": "b0", "duration_days": 10},
         {"id": "choose", "kind": "decision"},
         {"id": "extra", "duration_days": 30},
         {"id": "b1", "duration_days": 20},
         {"id": "op", "activity": "surgery", "duration_days": 0.5},
         {"id": "home", "kind": "exit"}],
        [("ref", "clinic"), ("clinic", "b0", {"parallel": True}),
         ("clinic", "b1", {"parallel": True}), ("b0", "choose"),
         ("choose", "extra", {"probability": 0.4}), ("choose", "op", {"probability": 0.6}),
         ("extra", "op"), ("b1", "op"), ("op", "home")],
        flow={"arrivals": {"per_week": 20}, "horizon_weeks": 104, "warmup_weeks": 8})
    result = sim.run(pathway, replications=4, seed=5).scenarios[0]
    # median: 60% of patients take 21 days; p90: 40% take 41 days
    assert result.summary("metrics.rtt_weeks_median")["mean"] == pytest.approx(21 / 7)
    assert result.summary("metrics.rtt_weeks_p90")["mean"] == pytest.approx(41 / 7)
    share = result.summary("metrics.rtt_within_18_weeks")["mean"]
    assert share == pytest.approx(1.0)
    extra = result.summary("steps.extra.visits_per_year")["mean"]
    clinic = result.summary("steps.clinic.visits_per_year")["mean"]
    assert extra / clinic == pytest.approx(0.4, abs=0.03)


def test_costs_of_every_branch_count():
    costs = [{"id": "physio", "name": "Physio", "amount": 100, "year": "2024"},
             {"id": "scan", "name": "Scan", "amount": 250, "year": "2024"}]
    pathway = _fork([10, 30], costs=costs,
                    b0={"costs": [{"cost": "physio", "per": "visit"}]},
                    b1={"costs": [{"cost": "scan", "per": "visit"}]})
    got = _median_days(pathway, replications=3)
    # patients inside the window pay both branches; per patient 100 + 250
    assert got["cost_per_patient"]["mean"] == pytest.approx(350, rel=0.03)


def test_branches_that_never_meet_are_warned_about_and_the_patient_leaves_once():
    pathway = flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "op", "activity": "surgery", "duration_days": 1},
         {"id": "gp", "duration_days": 5}, {"id": "gp-end", "kind": "exit"},
         {"id": "clinic", "duration_days": 40}, {"id": "end", "kind": "exit"}],
        [("ref", "op"), ("op", "gp", {"parallel": True}),
         ("op", "clinic", {"parallel": True}), ("gp", "gp-end"), ("clinic", "end")],
        flow=FLOW)
    assert any("never meet" in w for w in sim.check(pathway))
    result = sim.run(pathway, replications=2, seed=2).scenarios[0]
    done = result.summary("metrics.patients_completed_per_year")["mean"]
    arrived = result.summary("metrics.referrals_per_year")["mean"]
    assert done / arrived == pytest.approx(1, abs=0.05)
    assert result.summary("steps.gp.visits_per_year")["mean"] == pytest.approx(arrived, rel=0.05)
    assert result.summary("steps.clinic.visits_per_year")["mean"] == pytest.approx(
        arrived, rel=0.05)


# ------------------------------------------------------------ branches without processes


def _eras_variant(change) -> "object":
    from pathlib import Path

    import yaml

    from designer.graph.model import Pathway

    root = Path(__file__).resolve().parents[2]
    data = yaml.safe_load((root / "pathway_library" / "eras-plus-colorectal.yaml")
                          .read_text(encoding="utf-8"))
    data["flow"]["warmup_weeks"], data["flow"]["horizon_weeks"] = 26, 52
    change(data)
    return Pathway.model_validate(data)


def _step(data, sid):
    return next(s for s in data["steps"] if s["id"] == sid)


def _few_beds(data):
    # a queue for beds: a bed freed at discharge (the second fork) goes at once to
    # the next patient waiting, in the same instant as the fork
    next(r for r in data["resources"] if r["id"] == "ward-beds")["capacity"] = 9


def _queues_on_branches(data):
    _step(data, "prehab").update(capacity=70, duration={"dist": "exponential", "mean": 42})
    _step(data, "gp-check").update(capacity=1, duration_days=0)   # a zero-time queue
    _step(data, "gp-check").pop("duration", None)
    for t in data["transitions"]:
        if t["from"] == "discharge":
            t.pop("wait_days", None)


def _nested_forks():
    return flow_pathway(
        [{"id": "ref", "kind": "entry", "duration_days": 0},
         {"id": "clinic", "capacity": 2, "duration": {"dist": "exponential", "mean": 0.3}},
         {"id": "a", "duration": {"dist": "exponential", "mean": 5}},
         {"id": "a1", "duration_days": 3},
         {"id": "a2", "capacity": 3, "duration": {"dist": "uniform", "min": 1, "max": 9}},
         {"id": "a-met", "duration_days": 1},
         {"id": "b", "duration": {"dist": "triangular", "min": 1, "mode": 4, "max": 10}},
         {"id": "choose", "kind": "decision"}, {"id": "quit", "kind": "exit"},
         {"id": "op", "activity": "surgery", "capacity": 1,
          "duration": {"dist": "lognormal", "mean": 0.5, "sd": 0.2}},
         {"id": "home", "kind": "exit"}],
        [("ref", "clinic"), ("clinic", "a", {"parallel": True}),
         ("clinic", "b", {"parallel": True}), ("a", "a1", {"parallel": True}),
         ("a", "a2", {"parallel": True}), ("a1", "a-met"), ("a2", "a-met"), ("a-met", "op"),
         ("b", "choose"), ("choose", "op", {"probability": 0.9}),
         ("choose", "quit", {"probability": 0.1}), ("op", "home")],
        flow={"arrivals": {"per_week": 9}, "horizon_weeks": 40, "warmup_weeks": 8})


@pytest.mark.parametrize("model, scenario", [
    (lambda: _eras_variant(lambda d: None), "after"),
    (lambda: _eras_variant(_few_beds), "before"),
    (lambda: _eras_variant(_queues_on_branches), "after"),
    (_nested_forks, None),
])
def test_branches_walked_at_once_give_the_numbers_of_one_process_a_branch(
        model, scenario, monkeypatch):
    """Branches that reach the join by pure delays run without a SimPy process of their
    own. Truth: the plain way (every branch its own process, as the fork was first
    written); every figure, series and traced move must be exactly the same."""
    from designer.sim import engine
    from designer.sim.plan import compile_plan

    plan = compile_plan(model(), scenario)
    fast = [engine.run_replication(plan, 11, r, trace=True) for r in range(2)]
    monkeypatch.setattr(engine, "_EVERY_BRANCH_A_PROCESS", True)
    plain = [engine.run_replication(plan, 11, r, trace=True) for r in range(2)]
    assert repr(fast) == repr(plain)      # exact, NaN included
    assert fast[0]["events"] > 0 and fast[0]["trace"]


# ------------------------------------------------ warnings follow every parallel branch


def _two_branches(first: dict, second: dict, per_week: float, warmup_weeks: float = 26,
                  extra_steps=(), extra_transitions=(), **extra):
    """ref -> clinic -> (first | second) in parallel -> op -> home."""
    steps = [{"id": "ref", "kind": "entry", "duration_days": 0},
             {"id": "clinic", "duration_days": 1},
             {"id": "first", **first}, {"id": "second", **second},
             {"id": "op", "activity": "surgery", "duration_days": 0.5},
             {"id": "home", "kind": "exit"}, *extra_steps]
    transitions = [("ref", "clinic"), ("clinic", "first", {"parallel": True}),
                   ("clinic", "second", {"parallel": True}), ("first", "op"),
                   *(extra_transitions or [("second", "op")]), ("op", "home")]
    return flow_pathway(steps, transitions, flow={
        "arrivals": {"per_week": per_week}, "horizon_weeks": 52,
        "warmup_weeks": warmup_weeks}, **extra)


def _unstable(warnings: list[str], name: str) -> list[str]:
    return [w for w in warnings if w.startswith("unstable") and f"'{name}'" in w]


@pytest.mark.parametrize("capacity, per_week, mean", [(1, 10, 1.0), (2, 10, 1.0),
                                                      (1, 7, 1.0), (1, 6.5, 1.0),
                                                      (3, 14, 1.4)])
@pytest.mark.parametrize("overloaded_first", [False, True])
def test_an_overloaded_step_on_any_parallel_branch_is_warned_about(
        capacity, per_week, mean, overloaded_first):
    # Truth: an M/M/c queue is unstable when rho = lambda / (c mu) >= 1. Every patient
    # runs both branches, so the queued branch sees all the arrivals (lambda a day).
    lam, mu = per_week / 7, 1 / mean
    rho = lam / (capacity * mu)
    queued = {"capacity": capacity, "duration": {"dist": "exponential", "mean": mean}}
    delay = {"duration_days": 10}
    first, second = (queued, delay) if overloaded_first else (delay, queued)
    name = "First" if overloaded_first else "Second"
    warned = _unstable(sim.check(_two_branches(first, second, per_week)), name)
    assert bool(warned) == (rho >= 1), (rho, warned)
    if warned:   # the load it names is lambda / mu servers
        assert f"{lam / mu:.3g} patients would be served at once" in warned[0]


def test_an_overloaded_shared_resource_on_the_second_branch_is_warned_about():
    resources = [{"id": "scanner", "name": "Scanner", "capacity": 1}]
    scan = {"uses": ["scanner"], "duration": {"dist": "exponential", "mean": 0.8}}
    busy = _two_branches({"duration_days": 3}, scan, per_week=10, resources=resources)
    assert _unstable(sim.check(busy), "Scanner")          # rho = 10/7 * 0.8 = 1.14
    calm = _two_branches({"duration_days": 3}, scan, per_week=8, resources=resources)
    assert not _unstable(sim.check(calm), "Scanner")      # rho = 8/7 * 0.8 = 0.91


@pytest.mark.parametrize("mean, overloaded", [(3.0, True), (1.2, False)])
def test_a_choice_inside_the_second_branch_sets_its_load(mean, overloaded):
    # half of the patients on the second branch need a step with one server:
    # rho = lambda * 0.5 * mean = 10/7 * 0.5 * mean (2.14 and 0.86)
    pathway = _two_branches(
        {"duration_days": 2}, {"kind": "decision"}, per_week=10,
        extra_steps=[{"id": "heavy", "capacity": 1,
                      "duration": {"dist": "exponential", "mean": mean}}],
        extra_transitions=[("second", "heavy", {"probability": 0.5}),
                           ("second", "op", {"probability": 0.5}), ("heavy", "op")])
    assert bool(_unstable(sim.check(pathway), "Heavy")) == overloaded


@pytest.mark.parametrize("order", [(10, 300), (300, 10)])
def test_the_warm_up_warning_takes_the_longest_branch(order):
    # 1 + max(10, 300) + 0.5 days through the pathway, more than 26 weeks (182 days)
    long_fork = _two_branches({"duration_days": order[0]}, {"duration_days": order[1]},
                              per_week=3)
    warned = [w for w in sim.check(long_fork) if w.startswith("the warm-up")]
    assert warned and f"({301.5 / 7:.3g} weeks" in warned[0]
    short_fork = _two_branches({"duration_days": 10}, {"duration_days": 150}, per_week=3)
    assert not [w for w in sim.check(short_fork) if w.startswith("the warm-up")]
