"""A results chart with nothing to draw says why, in words, and shows no axes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from matplotlib.figure import Figure

from designer.ui.sim import charts


def _results(scenario_keys: list[str], scenarios: int = 1):
    return SimpleNamespace(scenarios=[dict.fromkeys(scenario_keys) for _ in range(scenarios)],
                           currency="GBP", cost_year=None, step_names={})


@pytest.mark.parametrize("draw, results, words", [
    (charts.draw_utilisation, _results(["steps.a.visits"]),
     "No resources or step capacities in this pathway"),
    (charts.draw_costs, _results(["steps.a.visits"]), "No unit costs are charged by any step"),
    (charts.draw_differences, _results(["steps.a.visits"]),
     "Run two or more scenarios to compare them"),
    (charts.draw_cohorts, _results(["steps.a.visits"], 2), "This pathway has no patient cohorts"),
])
def test_an_empty_chart_says_why(draw, results, words):
    fig = Figure()
    draw(fig, results)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.texts] == [words]
    assert not ax.axison
