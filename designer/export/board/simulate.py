"""The simulation runs behind the board pack: the options compared, and the sensitivity.

:func:`board_runs` decides which scenarios the economic case compares (the
business case's options, else the file's first and last scenarios), runs them at
the file's flow settings (or takes the results the GUI already has) and re-runs
the pair with each main input moved by +/-20% for the tornado chart. When the
file cannot be simulated it returns what is missing, never figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.graph.model import Pathway

#: how far each input of the sensitivity chart is moved, as a fraction
SENSITIVITY_STEP = 0.2
#: replications and simulated weeks of each sensitivity run (common random numbers keep
#: the differences precise with few)
SENSITIVITY_REPLICATIONS = 2
SENSITIVITY_WEEKS = 52
_NO_SENSITIVITY = "The sensitivity runs could not be made"
#: the inputs of the sensitivity chart: key, label
SENSITIVITY_INPUTS = (("bed-day-cost", "Cost per bed-day"), ("arrivals", "Arrivals"),
                      ("cancellation", "On-the-day cancellation rate"),
                      ("length-of-stay", "Length of stay"))


@dataclass
class SensitivityRow:
    key: str
    label: str
    low: float | None          # cost change per year with the input at -20%
    high: float | None         # ... at +20%
    input_low: str = ""        # what the input was set to, for the trace
    input_high: str = ""
    not_varied: str = ""       # why the input was not varied (then low/high are None)


@dataclass
class BoardRuns:
    """What the pack needs from the simulation."""

    results: Any = None                 # designer.sim.Results, or None
    as_is: str | None = None            # scenario id ("baseline": the pathway as drawn)
    proposal: str | None = None
    missing: list[str] = field(default_factory=list)   # why there are no figures
    warnings: list[str] = field(default_factory=list)
    sensitivity: list[SensitivityRow] = field(default_factory=list)
    sensitivity_centre: float | None = None
    sensitivity_replications: int = 0
    sensitivity_weeks: float = 0
    reused: bool = False
    cancellations_modelled: bool = True   # the pathway draws an on-the-day cancellation

    @property
    def has_figures(self) -> bool:
        return self.results is not None and not self.missing


def chosen_scenarios(pathway: Pathway) -> tuple[str | None, str | None]:
    """(as is, proposal) scenario ids for the economic case.

    The business case's options name them (the first option with a scenario is the
    as-is, the preferred one the proposal); else the file's first and last scenarios;
    with a single scenario or none, the proposal is the pathway as drawn.
    """
    case = pathway.business_case
    if case is not None:
        with_scenario = [o for o in case.options if o.scenario]
        preferred = case.preferred_option()
        if with_scenario:
            as_is = with_scenario[0].scenario
            proposal = (preferred.scenario if preferred is not None and preferred.scenario
                        else with_scenario[-1].scenario)
            if proposal != as_is:
                return as_is, proposal
    ids = [s.id for s in pathway.scenarios]
    if len(ids) >= 2:
        return ids[0], ids[-1]
    if len(ids) == 1:
        return ids[0], "baseline"
    return None, "baseline"


def missing_inputs(pathway: Pathway) -> list[str]:
    """What the file lacks before it can be simulated, one sentence each (empty: none)."""
    if pathway.flow is None and not pathway.costs and not pathway.scenarios:
        return ["The file has no patient flow inputs (no flow block): arrivals a week at "
                "the entry step, each step's duration, the branch probabilities, unit costs "
                "and at least two scenarios (the pathway as it is and as proposed) are "
                "needed before this pack can show costs, bed-days, cancellations or waits."]
    from designer.graph.rules import flow as flow_rules  # noqa: F401 (registers the pack)
    from designer.graph.validate import validate

    report = validate(pathway, packs=["flow"])
    out = [f.message for f in report.findings if f.rule.startswith("flow-")]
    if not pathway.costs:
        out.append("The file has no unit costs (costs), so the pack cannot show money.")
    as_is, _ = chosen_scenarios(pathway)
    if as_is is None:
        out.append("The file has no scenario for the pathway as it is today (scenarios), so "
                   "the pack cannot compare options.")
    return out


def board_runs(pathway: Pathway, *, results: Any = None, workers: int = 2,
               sensitivity: bool = True, progress=None, cancel=None,
               sensitivity_of: BoardRuns | None = None) -> BoardRuns:
    """Run (or reuse) the simulation the pack needs. Never raises for bad inputs.

    ``sensitivity_of``: the runs of an earlier pack of this same pathway (the same
    text); its sensitivity runs are taken instead of made again (they depend on the
    pathway alone: fixed replications, weeks and seed).
    """
    from designer import sim

    runs = BoardRuns()
    runs.as_is, runs.proposal = chosen_scenarios(pathway)
    runs.missing = missing_inputs(pathway)
    if runs.missing:
        return runs
    wanted = [runs.as_is, runs.proposal]
    if results is not None and all(_has(results, s) for s in wanted):
        runs.results, runs.reused = results, True
    else:
        try:
            runs.results = sim.run(pathway, scenarios=wanted, workers=workers,
                                   progress=progress, cancel=cancel)
        except sim.FlowInputError as exc:
            runs.missing = [str(exc)]
            return runs
    runs.warnings = list(runs.results.warnings)
    runs.cancellations_modelled = _draws_cancellation(pathway, wanted)
    if sensitivity and _same_sensitivity(sensitivity_of, runs):
        runs.sensitivity = sensitivity_of.sensitivity
        runs.sensitivity_centre = sensitivity_of.sensitivity_centre
        runs.sensitivity_replications = sensitivity_of.sensitivity_replications
        runs.sensitivity_weeks = sensitivity_of.sensitivity_weeks
        runs.warnings += [w for w in sensitivity_of.warnings if w.startswith(_NO_SENSITIVITY)]
    elif sensitivity:
        _sensitivity(pathway, runs, workers, cancel)
    return runs


def _same_sensitivity(earlier: BoardRuns | None, runs: BoardRuns) -> bool:
    return (earlier is not None and earlier.has_figures
            and (earlier.as_is, earlier.proposal) == (runs.as_is, runs.proposal)
            and (earlier.sensitivity_replications > 0
                 or any(w.startswith(_NO_SENSITIVITY) for w in earlier.warnings)))


def _draws_cancellation(pathway: Pathway, scenarios: list[str]) -> bool:
    from designer.sim.plan import compile_plan

    try:
        return any(any(step.cancel) for s in scenarios
                   for step in compile_plan(pathway, None if s == "baseline" else s).steps)
    except Exception:  # noqa: BLE001 - the run above succeeded; assume it is drawn
        return True


def _scenario_name(pathway: Pathway, scenario: str) -> str:
    if scenario == "baseline":
        return "the pathway as drawn"
    return next((s.name for s in pathway.scenarios if s.id == scenario), scenario)


def _has(results: Any, scenario: str) -> bool:
    return any(s.id == scenario for s in getattr(results, "scenarios", []))


# ------------------------------------------------------------------ sensitivity


def _sensitivity(pathway: Pathway, runs: BoardRuns, workers: int, cancel) -> None:
    """Re-run as-is and proposal with each input at -20% and +20% (one run, all scenarios)."""
    from designer import sim
    from designer.graph.flow import Change, Scenario
    from designer.sim.plan import apply_scenario, compile_plan

    pair = [runs.as_is, runs.proposal]
    base = {s: (apply_scenario(pathway, None if s == "baseline" else s)) for s in pair}
    plans = {s: compile_plan(pathway, None if s == "baseline" else s) for s in pair}
    scenarios = [s for s in pathway.scenarios]
    original = {s.id: s for s in scenarios}
    added: list[Scenario] = []
    rows: list[SensitivityRow] = []
    for key, label in SENSITIVITY_INPUTS:
        row = SensitivityRow(key, label, None, None)
        made = {}
        for sign, factor in (("low", 1 - SENSITIVITY_STEP), ("high", 1 + SENSITIVITY_STEP)):
            for s in pair:
                changes, shown = _perturb(key, base[s], plans[s], factor)
                if changes is None:
                    row.not_varied = shown
                    break
                sid = f"board-sens-{key}-{sign}-{s}"
                prior = list(original[s].changes) if s in original else []
                added.append(Scenario(id=sid, name=f"{label} {sign} ({s})",
                                      changes=prior + [Change.model_validate(c)
                                                       for c in changes]))
                made[(sign, s)] = sid
                name = _scenario_name(pathway, s)
                before = getattr(row, f"input_{sign}")
                setattr(row, f"input_{sign}", (before + "; " if before else "")
                        + f"{name}: {shown}")
            if row.not_varied:
                break
        if row.not_varied:
            added = [a for a in added if a.id not in made.values()]
        else:
            row.low = made  # type: ignore[assignment]  # filled with figures below
        rows.append(row)
    centre = [Scenario(id=f"board-sens-centre-{s}", name=f"centre ({s})",
                       changes=list(original[s].changes) if s in original else [])
              for s in pair]
    copy = pathway.model_copy(update={"scenarios": scenarios + centre + added})
    try:
        results = sim.run(copy, scenarios=[c.id for c in centre] + [a.id for a in added],
                          replications=SENSITIVITY_REPLICATIONS, weeks=SENSITIVITY_WEEKS,
                          workers=workers, cancel=cancel)
    except sim.FlowInputError as exc:
        runs.warnings.append(f"{_NO_SENSITIVITY}: {exc}")
        runs.sensitivity = []
        return
    key = "metrics.cost_per_year"
    runs.sensitivity_centre = results.compare(centre[0].id, centre[1].id, key)["mean"]
    runs.sensitivity_replications = SENSITIVITY_REPLICATIONS
    runs.sensitivity_weeks = SENSITIVITY_WEEKS
    for row in rows:
        if row.not_varied:
            continue
        made = row.low
        row.low = results.compare(made[("low", runs.as_is)], made[("low", runs.proposal)],
                                  key)["mean"]
        row.high = results.compare(made[("high", runs.as_is)], made[("high", runs.proposal)],
                                   key)["mean"]
    runs.sensitivity = rows


def _perturb(key: str, applied: Pathway, plan: Any, factor: float
             ) -> tuple[list[dict] | None, str]:
    """Changes (as dicts) moving input ``key`` by ``factor`` in an applied scenario.

    Returns (None, why) when the pathway has no such input.
    """
    from designer.graph.vocabulary import number

    if key == "arrivals":
        arrivals = applied.flow.arrivals if applied.flow else None
        if arrivals is None:
            return None, "the file gives no arrivals"
        if arrivals.per_week is not None:
            value = arrivals.per_week * factor
            return ([{"flow": "arrivals", "per_week": value}],
                    f"{number(round(value, 2))} a week")
        schedule = [[w, r * factor] for w, r in arrivals.schedule or []]
        return [{"flow": "arrivals", "schedule": schedule}], "each weekly rate scaled"
    if key == "bed-day-cost":
        costs = [c for c in applied.costs if "bed" in f"{c.id} {c.name}".lower()]
        if not costs:
            return None, "the file has no unit cost for a bed-day"
        return ([{"cost": c.id, "amount": c.amount * factor} for c in costs],
                "; ".join(f"{c.name} {_money(c.amount * factor)}" for c in costs))
    if key == "length-of-stay":
        beds = [s for s in plan.steps if s.bed]
        if not beds:
            return None, "no step holds a bed"
        changes, shown = [], []
        for sp in beds:
            step = applied.steps[sp.index]
            mean = (step.duration.expected() if step.duration is not None
                    else step.duration_days)
            if not mean:
                continue
            changes.append({"step": step.id, "duration_days": mean * factor})
            shown.append(f"{step.name} {number(round(mean * factor, 2))} days")
        if not changes:
            return None, "no bed step has a duration"
        return changes, "; ".join(shown)
    if key == "cancellation":
        changes, shown = [], []
        for sp in plan.steps:
            if not any(sp.cancel):
                continue
            step = applied.steps[sp.index]
            out = [t for t in applied.transitions if t.source == step.id]
            by_target = {t.target: t for t in out}
            targets = [applied.steps[j].id for j in sp.targets]
            cancel_ts = [by_target[t] for t, c in zip(targets, sp.cancel) if c and t in by_target]
            other_ts = [by_target[t] for t, c in zip(targets, sp.cancel)
                        if not c and t in by_target]
            p_cancel = sum(t.probability or 0 for t in cancel_ts)
            p_other = sum(t.probability or 0 for t in other_ts)
            if p_cancel <= 0 or p_other <= 0:
                continue
            new_cancel = min(p_cancel * factor, 1.0)
            scale_other = (1 - new_cancel) / p_other
            for t in cancel_ts:
                changes.append({"transition": t.key, "probability": (t.probability or 0)
                                * new_cancel / p_cancel})
            for t in other_ts:
                changes.append({"transition": t.key,
                                "probability": (t.probability or 0) * scale_other})
            shown.append(f"at '{step.name}' {number(round(new_cancel * 100, 1))} in 100")
        if not changes:
            return None, "the pathway has no on-the-day cancellation branch with a probability"
        return changes, "; ".join(shown)
    raise ValueError(key)


def _money(value: float) -> str:
    from designer.graph.vocabulary import money

    return money(round(value, 2))
