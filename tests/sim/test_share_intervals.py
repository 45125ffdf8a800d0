"""A share's 95% interval stays within 0 to 100%.

Two replications at 98% and 100% have a t-interval (t = 12.706 on one degree of
freedom, from the tables) of 99% +- 12.7%: its upper end, 111.7%, is a share no
reader can make sense of. The interval is cut to the range a share can take, and to
-100..+100 percentage points for the difference of two shares; other quantities keep
their plain t-interval.
"""

from __future__ import annotations

import math

import pytest

from designer.sim.results import Results, ScenarioResult

T_1DF = 12.7062          # Student's t, 97.5th percentile, 1 degree of freedom (tables)


def _scenario(sid: str, values: list[dict]) -> ScenarioResult:
    return ScenarioResult(id=sid, name=sid, replications=values,
                          waiting_list=[[10.0, 10.0], [10.0, 10.0]], rtt_histogram=[],
                          warnings=[], events=0,
                          waiting_over_18_weeks=[[0.0, 1.0], [0.0, 0.0]])


def _results() -> Results:
    before = _scenario("before", [{"metrics.rtt_within_18_weeks": 0.10,
                                   "metrics.cost_per_patient": 100.0},
                                  {"metrics.rtt_within_18_weeks": 0.12,
                                   "metrics.cost_per_patient": 300.0}])
    after = _scenario("after", [{"metrics.rtt_within_18_weeks": 0.98,
                                 "metrics.cost_per_patient": 100.0},
                                {"metrics.rtt_within_18_weeks": 1.00,
                                 "metrics.cost_per_patient": 100.0}])
    return Results(file=None, replications=2, horizon_weeks=2, warmup_weeks=0, seed=1,
                   currency="GBP", cost_year="2024/25", scenarios=[before, after])


def test_a_share_near_100_percent_has_an_interval_that_stops_at_100():
    value = _results().scenario("after").summary("metrics.rtt_within_18_weeks")
    half = T_1DF * (0.02 / math.sqrt(2)) / math.sqrt(2)
    assert value["mean"] == pytest.approx(0.99)
    assert value["ci95"][0] == pytest.approx(0.99 - half, abs=1e-4)
    assert value["ci95"][1] == pytest.approx(1.0)
    assert 0.99 + half > 1.1         # the uncut interval would have passed 110%


def test_the_weekly_incomplete_pathway_share_stops_at_100():
    weekly = _results().scenario("before").incomplete_under_18_weeks()
    assert weekly[0]["ci95"] == [1.0, 1.0]            # nobody over 18 weeks in either
    assert weekly[1]["mean"] == pytest.approx(0.95)   # 90% and 100%
    assert weekly[1]["ci95"][1] == pytest.approx(1.0)
    assert weekly[1]["ci95"][0] < 0.95


def test_a_change_in_a_share_stays_within_100_points_and_other_figures_are_not_cut():
    results = _results()
    change = results.compare("before", "after", "metrics.rtt_within_18_weeks")
    assert change["mean"] == pytest.approx(0.88)       # 0.88 in both pairs
    assert change["ci95"] == pytest.approx([0.88, 0.88])
    cost = results.scenario("before").summary("metrics.cost_per_patient")
    half = T_1DF * (200 / math.sqrt(2)) / math.sqrt(2)
    assert cost["ci95"] == pytest.approx([200 - half, 200 + half], abs=0.05)
    assert cost["ci95"][0] < 0                          # a plain t-interval, uncut
    json_after = results.to_json()["scenarios"][1]["metrics"]["rtt_within_18_weeks"]
    assert json_after["ci95"][1] <= 1.0
