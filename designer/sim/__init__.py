"""Patient flow and cost simulation of a drawn pathway (DESIGN section 7).

Qt-free: SimPy and numpy. The API::

    from designer import sim
    results = sim.run(pathway, scenarios=["before", "after"], replications=30,
                      workers=2, progress=lambda done, total: ..., cancel=event)
    results.to_json()        # the DESIGN section 7 JSON
    results.compare("before", "after", "metrics.cost_per_year")

Missing or inconsistent inputs raise :class:`FlowInputError` (one message naming
the field) before anything runs; :func:`check` runs only that pre-flight and
returns the warnings (an unstable pathway: the waiting list grows without bound).
See docs/simulation.md for the model's assumptions and how to read intervals.
"""

from __future__ import annotations

from designer.sim.plan import BASELINE, FlowInputError, Plan, compile_plan
from designer.sim.results import Results, ScenarioResult
from designer.sim.runner import SimulationCancelled, SimulationSetupError, plans_for, run

__all__ = ["run", "check", "Results", "ScenarioResult", "FlowInputError",
           "SimulationCancelled", "SimulationSetupError", "Plan", "compile_plan",
           "BASELINE"]


def check(pathway, scenarios=None, weeks=None) -> list[str]:
    """The pre-flight alone: raises :class:`FlowInputError`, returns the warnings."""
    return list(dict.fromkeys(w for p in plans_for(pathway, scenarios, weeks)
                              for w in p.warnings))
