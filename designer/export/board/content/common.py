"""What every part of the board pack shares: cited sources, part titles, national
standards, the pack's content object, the builder's helpers and the tables of
metrics each case prints."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

from designer.export.board.blocks import (
    Bullets, Chart, Heading, Link, Para, Table, Trace, plain,
)
from designer.export.board.simulate import BoardRuns
from designer.graph.model import Pathway


# Published sources the pack cites, from the product's sources registry.
def _source(source_id: str):
    """A registry source as a link (its short reference), or plain text without an address."""
    from designer.graph.sources import cite_short, get

    source = get(source_id)
    return Link(cite_short(source_id), source.url) if source.url else cite_short(source_id)


def _cite(source_id: str) -> str:
    from designer.graph.sources import cite

    return cite(source_id)


RTT_SOURCE = _source("gov-rtt-18-weeks")
RTT_STANDARD_SOURCE = _source("pac-waiting-times-2019")
CANCER_SOURCE = _source("cancer-waiting-times-2023")
CORE20_SOURCE = _source("core20plus5")
KINGS_FUND = _source("kings-fund-backlog-2022")
FIVE_CASE_SOURCE = _source("hmt-five-case-model")

PART_TITLES = {
    "cover": "Cover sheet",
    "strategic": "Strategic case",
    "economic": "Economic case",
    "commercial": "Commercial case",
    "financial": "Financial case",
    "management": "Management case",
    "qia": "Quality Impact Assessment",
    "eia": "Equality Impact Assessment",
    "risks": "Risks",
    "spec": "Appendix A: the pathway specification",
    "trace": "Appendix B: Where each figure comes from",
}

#: national standards (share of patients) and where they are published. The RTT
#: standard is about patients still waiting (incomplete pathways) at a point in time,
#: not about those treated: it is set against the simulation's weekly snapshots of
#: the waiting list, never against rtt_within_18_weeks (a different measure).
STANDARDS = {"rtt_incomplete_under_18_weeks": 0.92, "cancer_within_31_days": 0.96,
             "cancer_within_62_days": 0.85}
STANDARD_SOURCES = {
    "rtt_incomplete_under_18_weeks": _cite("pac-waiting-times-2019"),
    "cancer_within_31_days": _cite("cancer-waiting-times-2023"),
    "cancer_within_62_days": _cite("cancer-waiting-times-2023"),
}


@dataclass
class BoardContent:
    title: str
    version: str
    status: str
    date: str
    blocks: list = field(default_factory=list)
    trace: Trace = field(default_factory=Trace)
    runs: BoardRuns | None = None
    spec: Any = None                     # the SpecContent of the technical appendix
    contents: list[tuple[str, str]] = field(default_factory=list)   # (anchor, title)

    def text(self) -> str:
        """Everything the pack says, as plain text (for tests)."""
        out = []
        for b in self.blocks:
            if isinstance(b, (Heading,)):
                out.append(b.text)
            elif isinstance(b, Para):
                out.append(b.label + " " + plain(b.runs))
            elif isinstance(b, Bullets):
                out += [plain(i) for i in b.items]
            elif isinstance(b, Table):
                out.append(" | ".join(b.header))
                out += [" | ".join(plain(c) for c in r) for r in b.rows]
            elif isinstance(b, Chart):
                out.append(b.caption)
        return "\n".join(out)


def _long_date(day: _dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class CaseBuilder:
    """What every part of the pack shares: the pathway, its runs and trace, and the
    helpers that write headings, paragraphs and traced figures."""

    spec = None                          # the SpecContent, when there is one

    def __init__(self, pathway: Pathway, report: Any, runs: BoardRuns, today: _dt.date):
        self.p = pathway
        self.report = report
        self.runs = runs
        self.today = today
        currency = (pathway.flow.currency if pathway.flow and pathway.flow.currency else "GBP")
        self.t = Trace(currency)
        self.blocks: list = []
        self.contents: list[tuple[str, str]] = []
        self.case = pathway.business_case
        self.r = runs.results if runs.has_figures else None
        self.step_names = {s.id: s.name for s in pathway.steps}
        self.role_names = {r.id: r.name for r in pathway.roles}
        self.setting_names = {s.id: s.name for s in pathway.settings}

    def heading(self, key: str, level: int = 1, text: str | None = None) -> None:
        title = text or PART_TITLES[key]
        self.blocks.append(Heading(title, level, key if level == 1 else ""))
        if level == 1:
            self.contents.append((key, title))

    def para(self, *runs, label: str = "", style: str = "") -> None:
        flat: list = []
        for r in runs:
            flat += r if isinstance(r, list) else [r]
        self.blocks.append(Para(flat, style=style, label=label))

    def scenario_name(self, sid: str | None) -> str:
        if sid == "baseline":
            return "the pathway as drawn"
        return next((s.name for s in self.p.scenarios if s.id == sid), sid or "")

    def sim_source(self, metric: str, scenario: str | None, other: str | None = None) -> str:
        r = self.r
        what = (f"scenario '{self.scenario_name(scenario)}' ({scenario})" if other is None else
                f"scenario '{self.scenario_name(other)}' ({other}) minus "
                f"'{self.scenario_name(scenario)}' ({scenario}), paired replications")
        settings = (f"{plural_reps(r.replications)} of {_num(r.horizon_weeks)} weeks after "
                    f"{_num(r.warmup_weeks)} weeks' warm-up, seed {r.seed}"
                    f"{' (results reused from the simulation panel)' if self.runs.reused else ''}")
        how = next((f"; {text}" for name, text in METRIC_NOTES.items()
                    if metric.endswith(name)), "")
        return (f"simulation metric {metric}, {what}; {settings}{how}; mean and 95% interval "
                "(Student's t over replications)")

    def estimate(self, scenario: str, metric: str, kind: str, label: str) -> str:
        """'X (95% interval A to B)' for one scenario's metric, traced."""
        if self.not_modelled(metric):
            return NOT_MODELLED
        s = self.r.scenario(scenario).summary(metric)
        text = self._interval_text(s, kind)
        return self.t.add(text, f"{label}, {self.scenario_name(scenario)}",
                          self.sim_source(metric, scenario))

    def change(self, metric: str, kind: str, label: str, less: str, more: str) -> str:
        """The difference proposal - as-is in words, traced."""
        a, b = self.runs.as_is, self.runs.proposal
        if self.not_modelled(metric):
            return NOT_MODELLED
        c = self.r.compare(a, b, metric)
        text = _change_words(c, kind, self.t, less, more)
        return self.t.add(text, f"change in {label}", self.sim_source(metric, a, b))

    def _interval_text(self, s: dict, kind: str) -> str:
        fmt = _formatter(kind, self.t)
        if s["mean"] is None or not math.isfinite(s["mean"]):
            return "not measured"
        text = fmt(s["mean"])
        ci = s.get("ci95")
        if ci:
            lo, hi = fmt(ci[0]), fmt(ci[1])
            text += (f" (the same in every replication)" if lo == hi == text else
                     f" (95% interval {lo} to {hi})")
        return text

    def not_modelled(self, metric: str) -> bool:
        return (metric.endswith("cancellations_on_the_day_per_year")
                and not self.runs.cancellations_modelled)

    def has_metric(self, metric: str) -> bool:
        return self.r is not None and metric in self.r.scenario(self.runs.proposal).keys()

    def compared_rows(self, table: tuple) -> list[list]:
        """``[label, as is, proposal, change]`` for each metric of ``table`` that was measured.

        ``table`` rows are ``(metric, kind, label, word for less, word for more)``, as
        :data:`KEY_FIGURES`; every figure is traced.
        """
        a, b = self.runs.as_is, self.runs.proposal
        rows = []
        for metric, kind, label, less, more in table:
            key = f"metrics.{metric}"
            if self.has_metric(key):
                rows.append([label, self.estimate(a, key, kind, label),
                             self.estimate(b, key, kind, label),
                             self.change(key, kind, label, less, more)])
        return rows

    def missing_paragraph(self) -> None:
        self.para("This pack shows no costs, bed-days, cancellations or waits because the "
                  "file cannot be simulated yet. Missing inputs:", style="lead")
        self.blocks.append(Bullets([[self.t.text(m, "the simulation's check of the file's "
                                                  "flow inputs")]
                                    for m in self.runs.missing]))


# ------------------------------------------------------------------ tables of metrics

NOT_MODELLED = "Not modelled"
CANCELLATIONS_NOTE = ("Cancellations on the day are not modelled: the pathway draws no "
                      "on-the-day cancellation (a branch of the day-of-surgery check that goes "
                      "back into the pathway or out of it), so the pack claims none avoided.")

#: how a simulation metric is measured, where its name does not say (for the trace)
METRIC_NOTES = {
    "rtt_incomplete_under_18_weeks": (
        "at the end of each simulated week after warm-up, the patients referred and not "
        "yet operated on (nor left the pathway) and the share of them waiting under 18 "
        "weeks, pooled over the weeks"),
    "rtt_within_18_weeks": "share of operations in the window started within 18 weeks "
                           "of referral",
}

#: the measure the 92% RTT standard is about, and the one it is not
INCOMPLETE_LABEL = ("Patients still waiting who have waited under 18 weeks (the 92% "
                    "standard)")
TREATED_LABEL = ("Treated within 18 weeks of referral (those operated on; a different "
                 "measure from the 92% standard)")

KEY_FIGURES = (
    ("cost_per_year", "money", "Cost a year", "saving", "more"),
    ("bed_days_per_year", "count", "Bed-days a year", "fewer", "more"),
    ("cancellations_on_the_day_per_year", "count", "Cancellations on the day a year",
     "fewer (avoided)", "more"),
    ("rtt_incomplete_under_18_weeks", "share", INCOMPLETE_LABEL, "lower", "higher"),
    ("rtt_within_18_weeks", "share", "Treated within 18 weeks of referral", "lower", "higher"),
)
ECONOMIC = KEY_FIGURES + (
    ("cost_per_patient", "money", "Cost per patient", "lower", "higher"),
    ("patients_completed_per_year", "count", "Patients completing the pathway a year",
     "fewer", "more"),
    ("rtt_weeks_median", "weeks", "Median wait, referral to treatment", "shorter", "longer"),
    ("waiting_list_end", "count", "Waiting list at the end", "shorter", "longer"),
)
CURRENT = (
    ("rtt_weeks_median", "weeks", "Median wait, referral to treatment"),
    ("rtt_weeks_p90", "weeks", "9 in 10 treated within"),
    ("rtt_incomplete_under_18_weeks", "share", INCOMPLETE_LABEL),
    ("rtt_within_18_weeks", "share", TREATED_LABEL),
    ("cancer_within_31_days", "share", "Cancer: treated within 31 days of decision to treat"),
    ("cancer_within_62_days", "share", "Cancer: treated within 62 days of referral"),
    ("waiting_list_end", "count", "Waiting list at the end"),
    ("cancellations_on_the_day_per_year", "count", "Cancellations on the day a year"),
    ("bed_days_per_year", "count", "Bed-days a year"),
    ("cost_per_year", "money", "Cost a year"),
)
MEASURED = (
    ("bed_days_per_year", "count", "Bed-days a year (length of stay)"),
    ("cancellations_on_the_day_per_year", "count", "Cancellations on the day a year"),
    ("rtt_incomplete_under_18_weeks", "share", INCOMPLETE_LABEL),
    ("rtt_within_18_weeks", "share", "Treated within 18 weeks of referral"),
    ("rtt_weeks_median", "weeks", "Median wait, referral to treatment"),
)
COHORT = (
    ("rtt_weeks_median", "weeks", "Median wait"),
    ("rtt_within_18_weeks", "share", "Within 18 weeks"),
    ("cancellations_on_the_day_per_year", "count", "Cancellations a year"),
    ("bed_days_per_year", "count", "Bed-days a year"),
    ("rtt_incomplete_under_18_weeks", "share", "Still waiting: waited under 18 weeks"),
)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def plural_reps(n: int) -> str:
    return f"{n} replication" + ("" if n == 1 else "s")


def number_years(years: float) -> str:
    from designer.graph.vocabulary import plural

    return plural(round(years, 1), "year")


def _num(x: float) -> str:
    from designer.graph.vocabulary import number

    return number(round(x, 1))


def _formatter(kind: str, t: Trace):
    return {"money": t.money, "count": t.count, "share": t.share, "weeks": t.weeks}[kind]


def _change_words(c: dict, kind: str, t: Trace, less: str, more: str) -> str:
    """A paired difference in words: 'saving £472,000 (95% interval £469,000 to £476,000)'."""
    fmt = _formatter(kind, t)
    mean, ci = c["mean"], c.get("ci95")
    if mean is None or not math.isfinite(mean):
        return "not measured"
    zero = fmt(0.0)
    if fmt(mean) == zero and (not ci or fmt(ci[0]) == fmt(ci[1]) == zero):
        return "no change"
    word = less if mean < 0 else more
    text = f"{fmt(abs(mean))} {word}"
    if ci:
        lo, hi = ci
        if lo < 0 < hi:
            text += f" (95% interval {fmt(abs(lo))} {less} to {fmt(hi)} {more})"
        else:
            ends = sorted((abs(lo), abs(hi)))
            text += f" (95% interval {fmt(ends[0])} to {fmt(ends[1])})"
    return text


def _interval_note(b: CaseBuilder) -> str:
    r = b.r
    return (f"Mean over {plural_reps(r.replications)} of the simulation; the 95% interval "
            "shows how precisely the simulation measured the result of these inputs, not "
            "how uncertain the inputs are (the sensitivity chart shows that). Money at "
            f"{r.cost_year or 'the unit costs'} prices.")


def _sum_summary(scenario, keys: list[str]) -> dict:
    from designer.sim.stats import summary

    return summary(sum(rep.get(k, 0.0) for k in keys) for rep in scenario.replications)


def _sum_diff(a, b, keys: list[str]) -> dict:
    from designer.sim.stats import summary

    return summary(sum(rb.get(k, 0.0) for k in keys) - sum(ra.get(k, 0.0) for k in keys)
                   for ra, rb in zip(a.replications, b.replications))


def _first_sentence_with(step, words: tuple[str, ...]) -> str:
    text = f"{step.description or ''} {step.patient_info or ''}"
    for sentence in text.replace("\n", " ").split(". "):
        if any(w in sentence.lower() for w in words):
            return sentence.strip().rstrip(".") + "."
    return step.name
