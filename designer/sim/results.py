"""Simulation results: summaries over replications, comparisons, JSON and CSV.

Every metric is ``{"mean": x, "ci95": [lo, hi]}`` over replications (Student's t,
95%); a comparison ``from -> to`` is the mean of the paired per-replication
differences ``to - from`` with its own interval, which common random numbers
make narrow.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.graph.io import PathwaySaveError, write_text_atomic
from designer.sim.plan import Plan
from designer.sim.stats import summary

#: the headline metrics, in the order of DESIGN section 7
HEADLINE = ("patients_completed_per_year", "rtt_weeks_median", "rtt_weeks_p90",
            "rtt_within_18_weeks", "rtt_incomplete_under_18_weeks", "waiting_list_end", "cancellations_on_the_day_per_year",
            "bed_days_per_year", "cost_per_year", "cost_per_patient")
MONEY = ("cost_per_year", "cost_per_patient")


@dataclass
class ScenarioResult:
    id: str
    name: str
    replications: list[dict[str, float]]          # flat values, one dict per replication
    waiting_list: list[list[float]]               # per replication, one count per week
    rtt_histogram: list[int]                      # weekly bins, summed over replications
    warnings: list[str]
    events: int
    #: per replication, per week: those still waiting who have waited 18 weeks or more
    waiting_over_18_weeks: list[list[float]] = field(default_factory=list)

    def incomplete_under_18_weeks(self) -> list[dict]:
        """Per weekly snapshot, the share of the waiting list (incomplete pathways) that
        has waited under 18 weeks: mean and 95% interval over replications (a week with
        nobody waiting has no share in that replication)."""
        weeks = len(self.waiting_list[0]) if self.waiting_list else 0
        return [summary(((total[k] - long[k]) / total[k] if total[k] else math.nan
                         for total, long in zip(self.waiting_list, self.waiting_over_18_weeks)),
                        SHARE)
                for k in range(weeks)] if self.waiting_over_18_weeks else []

    def summary(self, key: str) -> dict:
        return summary((rep.get(key, math.nan) for rep in self.replications),
                       SHARE if is_share(key) else None)

    def keys(self) -> list[str]:
        return list(dict.fromkeys(k for rep in self.replications for k in rep))


@dataclass
class Results:
    """What :func:`designer.sim.run` returns."""

    file: str | None
    replications: int
    horizon_weeks: float
    warmup_weeks: float
    seed: int
    currency: str
    cost_year: str
    scenarios: list[ScenarioResult]
    trace: list[tuple[float, int, str, str]] | None = None
    step_names: dict[str, str] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return list(dict.fromkeys(w for s in self.scenarios for w in s.warnings))

    def scenario(self, scenario_id: str) -> ScenarioResult:
        return next(s for s in self.scenarios if s.id == scenario_id)

    def compare(self, from_id: str, to_id: str, key: str) -> dict:
        """``to - from`` of ``key`` over paired replications, with its 95% interval."""
        a, b = self.scenario(from_id), self.scenario(to_id)
        return summary((rb.get(key, math.nan) - ra.get(key, math.nan)
                        for ra, rb in zip(a.replications, b.replications)),
                       SHARE_CHANGE if is_share(key) else None)

    # ------------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        """The DESIGN section 7 JSON (plus series, warnings, currency and cost year)."""
        out: dict[str, Any] = {
            "file": self.file, "replications": self.replications,
            "horizon_weeks": _tidy(self.horizon_weeks), "warmup_weeks": _tidy(self.warmup_weeks),
            "seed": self.seed, "currency": self.currency, "cost_year": self.cost_year,
            "scenarios": [], "comparisons": [],
        }
        if self.warnings:
            out["warnings"] = self.warnings
        for s in self.scenarios:
            keys = s.keys()
            entry: dict[str, Any] = {"id": s.id, "name": s.name, "metrics": {}, "steps": {},
                                     "resources": {}, "cohorts": {}}
            for key in keys:
                parts = key.split(".")
                value = s.summary(key)
                if parts[0] == "metrics":
                    entry["metrics"][parts[1]] = value
                else:
                    entry[parts[0]].setdefault(parts[1], {})[parts[2]] = value
            entry["series"] = {
                "waiting_list": [summary(rep[k] for rep in s.waiting_list)
                                 for k in range(len(s.waiting_list[0]) if s.waiting_list else 0)],
                "rtt_weeks_histogram": s.rtt_histogram,
                "waiting_over_18_weeks": [
                    summary(rep[k] for rep in s.waiting_over_18_weeks)
                    for k in range(len(s.waiting_over_18_weeks[0])
                                   if s.waiting_over_18_weeks else 0)],
                "rtt_incomplete_under_18_weeks": s.incomplete_under_18_weeks(),
            }
            if s.warnings:
                entry["warnings"] = s.warnings
            out["scenarios"].append(entry)
        for a, b in zip(self.scenarios, self.scenarios[1:]):
            comparison: dict[str, Any] = {"from": a.id, "to": b.id, "metrics": {}, "cohorts": {}}
            for key in a.keys():
                parts = key.split(".")
                if parts[0] == "metrics":
                    comparison["metrics"][parts[1]] = self.compare(a.id, b.id, key)
                elif parts[0] == "cohorts":
                    comparison["cohorts"].setdefault(parts[1], {})[parts[2]] = \
                        self.compare(a.id, b.id, key)
            if not comparison["cohorts"]:
                del comparison["cohorts"]
            out["comparisons"].append(comparison)
        return _finite(out)

    # ------------------------------------------------------------------- CSV

    def to_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write ``replications.csv`` (one row per scenario and replication),
        ``summary.csv`` and ``waiting_list.csv`` into ``folder``; returns the paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        keys = list(dict.fromkeys(k for s in self.scenarios for k in s.keys()))
        paths = [folder / "replications.csv", folder / "summary.csv",
                 folder / "waiting_list.csv"]
        tables: list[list[list[Any]]] = [[["scenario", "replication", *keys]],
                                         [["scenario", "metric", "mean", "ci95_low",
                                           "ci95_high", "unit"]],
                                         [["scenario", "replication", "week", "waiting_list",
                                           "waiting_over_18_weeks"]]]
        for s in self.scenarios:
            for r, rep in enumerate(s.replications):
                tables[0].append([s.id, r, *(_cell(rep.get(k)) for k in keys)])
            for k in keys:
                value = s.summary(k)
                ci = value["ci95"] or [None, None]
                tables[1].append([s.id, k, _cell(value["mean"]), _cell(ci[0]), _cell(ci[1]),
                                  unit_of(k, self.currency, self.cost_year)])
            for r, series in enumerate(s.waiting_list):
                long = s.waiting_over_18_weeks[r] if r < len(s.waiting_over_18_weeks) else []
                for week, count in enumerate(series):
                    tables[2].append([s.id, r, week, _cell(count),
                                      _cell(long[week] if week < len(long) else None)])
        for path, rows in zip(paths, tables):
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            try:   # through the one atomic writer: a failure leaves no half-written file
                write_text_atomic(path, text.getvalue())
            except PathwaySaveError as exc:
                raise OSError(str(exc)) from None
        return paths

    # ------------------------------------------------------------------ text

    def to_text(self) -> str:
        """A short table for the terminal: headline metrics per scenario and differences."""
        many = "replication" if self.replications == 1 else "replications"
        lines = [f"{self.replications} {many} of {_tidy(self.horizon_weeks)} weeks "
                 f"after {_tidy(self.warmup_weeks)} weeks of warm-up; seed {self.seed}; "
                 "mean [95% interval]"]
        for w in self.warnings:
            lines.append(f"warning: {w}")
        for s in self.scenarios:
            lines.append("")
            lines.append(f"{s.name} ({s.id})")
            for key in _shown(s):
                lines.append(_line(key, s.summary(f"metrics.{key}"), self))
        for a, b in zip(self.scenarios, self.scenarios[1:]):
            lines.append("")
            lines.append(f"Difference: {b.id} minus {a.id}")
            for key in _shown(a):
                lines.append(_line(key, self.compare(a.id, b.id, f"metrics.{key}"), self))
        return "\n".join(lines)


def _line(key: str, value: dict, results: Results) -> str:
    unit = unit_of(key, results.currency, results.cost_year) if value["mean"] is not None else ""
    return f"  {key.replace('_', ' '):38} {_fmt(value)} {unit}".rstrip()


def _shown(scenario: ScenarioResult) -> list[str]:
    extra = [k.split(".", 1)[1] for k in scenario.keys()
             if k.startswith("metrics.cancer_within")]
    return [*HEADLINE, *extra]


#: the range of a share, and of the difference of two shares: 95% intervals are cut to it
SHARE = (0.0, 1.0)
SHARE_CHANGE = (-1.0, 1.0)


def is_share(key: str) -> bool:
    """Whether the metric ``key`` is a share (0 to 1), as its unit says."""
    return unit_of(key, "", "") == "share"


def unit_of(key: str, currency: str, cost_year: str) -> str:
    name = key.rsplit(".", 1)[-1]
    if name.startswith("cost"):
        return f"{currency} ({cost_year} prices)" if cost_year else currency
    if name.startswith("rtt_weeks"):
        return "weeks"
    if name.endswith("days_mean"):
        return "days"
    if name in ("rtt_within_18_weeks", "rtt_incomplete_under_18_weeks", "utilisation") \
            or name.startswith("cancer_within"):
        return "share"
    if name == "bed_days_per_year":
        return "bed-days a year"
    if name.endswith("_per_year"):
        return "a year"
    return ""


def _fmt(value: dict) -> str:
    if value["mean"] is None:
        return "n/a"
    ci = value["ci95"]
    interval = f" [{_num(ci[0])}, {_num(ci[1])}]" if ci else ""
    return _num(value["mean"]) + interval


def _num(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return value


def _tidy(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _finite(value: Any) -> Any:
    """NaN (a metric with nothing to average) becomes null in JSON."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def build_results(*, file: str | None, plans: list[Plan], per_scenario: list[list[dict]],
                  seed: int, trace) -> Results:
    scenarios = []
    for plan, reps in zip(plans, per_scenario):
        hist = [0] * len(reps[0]["rtt_histogram"]) if reps else []
        for rep in reps:
            hist = [a + b for a, b in zip(hist, rep["rtt_histogram"])]
        scenarios.append(ScenarioResult(
            id=plan.scenario, name=plan.scenario_name,
            replications=[rep["values"] for rep in reps],
            waiting_list=[rep["waiting_list"] for rep in reps],
            rtt_histogram=hist, warnings=list(plan.warnings),
            events=sum(rep["events"] for rep in reps),
            waiting_over_18_weeks=[rep.get("waiting_over_18_weeks", []) for rep in reps]))
    first = plans[0]
    return Results(file=file, replications=len(per_scenario[0]),
                   horizon_weeks=first.horizon_days / 7.0,
                   warmup_weeks=first.warmup_days / 7.0,
                   seed=seed, currency=first.currency, cost_year=first.cost_year,
                   scenarios=scenarios, trace=trace,
                   step_names={s.id: s.name for s in first.steps})
