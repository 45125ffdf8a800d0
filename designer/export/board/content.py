"""What the board pack says, built once from the pathway, its findings, evidence,
business case and simulation (:func:`build_board`).

The pack: a cover sheet; the Five Case Model (strategic, economic, commercial,
financial, management); a Quality Impact Assessment; an Equality Impact
Assessment; risks; appendix A, the pathway specification (the technical
appendix, laid out by the specification's own writers); appendix B, "Where each
figure comes from", listing every number in the pack with its input.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from designer.export.board.blocks import (
    Bullets, Chart, Cover, Heading, Link, PageBreak, Para, Table, Trace, linked, plain,
)
from designer.export.board.simulate import BoardRuns
from designer.export.spec.content import _cited
from designer.export.spec.text import evidence_strength
from designer.graph.business_case import IMPLICATION_LABELS, IMPLICATIONS
from designer.graph.model import Pathway
from designer.graph.vocabulary import (
    NOTE_CATEGORY_LABELS, PRIORITY_KIND_LABELS, PRIORITY_STATUS_LABELS, SETTING_KIND_LABELS,
    STATUS_LABELS,
)

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

#: national standards (share of patients) and where they are published
STANDARDS = {"rtt_within_18_weeks": 0.92, "cancer_within_31_days": 0.96,
             "cancer_within_62_days": 0.85}
STANDARD_SOURCES = {
    "rtt_within_18_weeks": _cite("pac-waiting-times-2019"),
    "cancer_within_31_days": _cite("cancer-waiting-times-2023"),
    "cancer_within_62_days": _cite("cancer-waiting-times-2023"),
}

# Which validation rules speak to which QIA domain (anything else: by severity).
_SAFETY = ("handoff", "unknown-reference", "dead-end", "no-route", "has-exit", "single-entry",
           "unreachable", "step-without-owner", "discharge-information", "diabetes",
           "hba1c", "day-of-surgery", "named-contact", "decision-branches")
_EXPERIENCE = ("sdm", "long-wait", "digital", "communication", "interpreter", "education",
               "patient-information", "reading")
_EQUALITY_WORDS = ("digital", "communication", "interpreter", "language", "easy read",
                   "accessible", "hearing", "sight", "literacy")
_SUPPORT_WORDS = ("telephone", "phone", "paper", "interpreter", "easy read", "in person",
                  "letter", "translated", "large print", "video", "non-digital", "printed")


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


class _Builder:
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

    # ------------------------------------------------------------- helpers

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
        return (f"simulation metric {metric}, {what}; {settings}; mean and 95% interval "
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

    # ------------------------------------------------------------- the pack

    def build(self) -> None:
        self.cover()
        self.strategic()
        self.economic()
        self.commercial()
        self.financial()
        self.management()
        self.qia()
        self.eia()
        self.risks()

    # cover -------------------------------------------------------------

    def cover(self) -> None:
        p, t, case = self.p, self.t, self.case
        self.blocks.append(Cover("Board paper: business case", t.text(p.title, "title")))
        self.contents.append(("cover", PART_TITLES["cover"]))
        rows = [["Version", t.add(p.version, "version of the pathway", "file field version")],
                ["Status", STATUS_LABELS.get(p.status.value, p.status.value)],
                ["Sponsor", t.text(case.sponsor, "business_case.sponsor")
                 if case and case.sponsor else "No sponsor is named in the business case"],
                ["Organisation", t.text(p.organisation, "organisation") or "Not stated"],
                ["Date", _long_date(self.today)]]
        self.blocks.append(Table(["", ""], rows, [0.25, 0.75], anchor="cover-facts"))
        decision = (t.text(case.decision, "business_case.decision") if case and case.decision
                    else "The business case does not yet state the decision sought "
                         "(business_case.decision).")
        self.para(decision, label="Decision sought.", style="lead")
        if case and case.recommendation:
            lines = [line.strip() for line in case.recommendation.splitlines() if line.strip()]
            self.para("", label="Recommendation.", style="lead")
            self.blocks.append(Bullets([[t.text(line, "business_case.recommendation")]
                                        for line in lines]))
        else:
            self.para("The business case does not yet give a recommendation "
                      "(business_case.recommendation).", label="Recommendation.")
        # key figures
        self.blocks.append(Heading("Key figures", 3))
        if self.r is None:
            self.missing_paragraph()
        else:
            a, b = self.runs.as_is, self.runs.proposal
            rows = []
            for metric, kind, label, less, more in KEY_FIGURES:
                if not self.has_metric(f"metrics.{metric}"):
                    continue
                rows.append([label, self.estimate(a, f"metrics.{metric}", kind, label),
                             self.estimate(b, f"metrics.{metric}", kind, label),
                             self.change(f"metrics.{metric}", kind, label, less, more)])
            self.blocks.append(Table(
                ["Figure", f"As is: {self.scenario_name(a)}",
                 f"Proposal: {self.scenario_name(b)}", "Change"], rows,
                [0.2, 0.26, 0.26, 0.28], anchor="key-figures"))
            self.para(_interval_note(self), style="small")
            if not self.runs.cancellations_modelled:
                self.para(CANCELLATIONS_NOTE, style="small")
        # implications
        self.blocks.append(Heading("Implications considered", 3))
        implications = case.implications if case else None
        rows = []
        for key in IMPLICATIONS:
            text = getattr(implications, key) if implications else None
            rows.append([IMPLICATION_LABELS[key],
                         t.text(text, f"business_case.implications.{key}") if text else
                         f"Not yet considered in the business case "
                         f"(business_case.implications.{key})."])
        self.blocks.append(Table(["Implication", "What was considered"], rows, [0.2, 0.8]))

    def missing_paragraph(self) -> None:
        self.para("This pack shows no costs, bed-days, cancellations or waits because the "
                  "file cannot be simulated yet. Missing inputs:", style="lead")
        self.blocks.append(Bullets([[self.t.text(m, "the simulation's check of the file's "
                                                  "flow inputs")]
                                    for m in self.runs.missing]))

    # strategic ---------------------------------------------------------

    def strategic(self) -> None:
        p, t = self.p, self.t
        self.blocks.append(PageBreak())
        self.heading("strategic")
        self.para("The case follows the Five Case Model (", t.text(FIVE_CASE_SOURCE,
                  _cite("hmt-five-case-model")), ").", style="small")
        self.blocks.append(Heading("Case for change", 2))
        if p.summary:
            self.para(t.text(p.summary, "summary"))
        self.blocks.append(Heading("Population", 2))
        self.para(t.text(p.population, "population") or "The file does not describe the "
                  "population (population).")
        if p.cohorts:
            rows = [[t.text(c.name, f"cohorts[{i}].name"),
                     t.add(t.share(c.share), f"share of referrals, {c.name}",
                           f"file field cohorts[{i}].share")
                     if c.share is not None else "Not given",
                     t.text(c.note or "", f"cohorts[{i}].note")]
                    for i, c in enumerate(p.cohorts)]
            self.blocks.append(Table(["Cohort", "Share of referrals", "Note"], rows,
                                     [0.4, 0.2, 0.4]))
        if self.r is not None:
            a = self.runs.as_is
            self.para("Referrals a year: ",
                      self.estimate(a, "metrics.referrals_per_year", "count",
                                    "referrals a year"), ".")
        self.blocks.append(Heading("Standards at stake", 2))
        cancer = self.has_metric("metrics.cancer_within_62_days")
        items = [["Referral to treatment: patients have the right to start treatment "
                  "within ", t.add("18 weeks", "RTT standard", _cite("gov-rtt-18-weeks")),
                  " of referral; the operational standard is ",
                  t.add("92%", "RTT operational standard (share still waiting under "
                        "18 weeks)", _cite("pac-waiting-times-2019")),
                  " of patients waiting under 18 weeks (", RTT_SOURCE, "; ",
                  RTT_STANDARD_SOURCE, ")."]]
        if cancer:
            items.append(["Cancer waiting times: ",
                          t.add("31 days", "cancer standard", _cite("cancer-waiting-times-2023")), " from decision to treat to first treatment (",
                          t.add("96%", "cancer 31-day standard", _cite("cancer-waiting-times-2023")), "); ",
                          t.add("62 days", "cancer standard", _cite("cancer-waiting-times-2023")), " from referral to first treatment (",
                          t.add("85%", "cancer 62-day standard", _cite("cancer-waiting-times-2023")), ") (", CANCER_SOURCE, ")."])
        else:
            items.append(["The cancer waiting time standards do not apply: this is not a "
                          "cancer pathway."])
        self.blocks.append(Bullets(items))
        self.blocks.append(Heading("Current performance (as is)", 2))
        if self.r is None:
            self.missing_paragraph()
        else:
            a = self.runs.as_is
            rows = []
            for metric, kind, label in CURRENT:
                if self.has_metric(f"metrics.{metric}"):
                    rows.append([label, self.estimate(a, f"metrics.{metric}", kind, label),
                                 self._against_standard(a, metric)])
            self.para(f"From the simulation of '{self.scenario_name(a)}', against the "
                      "national standards:")
            self.blocks.append(Table(["Measure", "As is", "Standard"], rows,
                                     [0.38, 0.37, 0.25]))
        self.blocks.append(Heading("Evidence", 2))
        if p.evidence:
            rows = [[t.text(e.claim, f"evidence[{i}].claim"),
                     linked(t.text(_cited(e), f"evidence[{i}].source (sources registry)")),
                     t.text(evidence_strength({"weak": e.weak, "note": e.note}),
                            f"evidence[{i}].note")]
                    for i, e in enumerate(p.evidence)]
            self.blocks.append(Table(["Claim", "Source", "Strength"], rows,
                                     [0.5, 0.32, 0.18]))
        else:
            self.para("No evidence is recorded in the file (evidence).")

    def _against_standard(self, scenario: str, metric: str) -> str:
        standard = STANDARDS.get(metric)
        if standard is None:
            return ""
        value = self.r.scenario(scenario).summary(f"metrics.{metric}")["mean"]
        if value is None or not math.isfinite(value):
            return ""
        shown = self.t.add(self.t.share(standard), f"national standard for {metric}",
                           STANDARD_SOURCES[metric])
        return f"{shown}: {'met' if value >= standard else 'not met'}"

    # economic ----------------------------------------------------------

    def economic(self) -> None:
        t, case = self.t, self.case
        self.blocks.append(PageBreak())
        self.heading("economic")
        self.blocks.append(Heading("Options considered", 2))
        a, b = self.runs.as_is, self.runs.proposal
        rows = []
        if case and case.options:
            for i, o in enumerate(case.options):
                rows.append([t.text(o.name, f"business_case.options[{i}].name"),
                             self.scenario_name(o.scenario) if o.scenario else
                             "Not modelled",
                             t.text(o.description or "", f"business_case.options[{i}]."
                                                         "description"),
                             "Preferred" if o.preferred else ""])
        else:
            for i, s in enumerate(self.p.scenarios):
                role = "As is" if s.id == a else "Proposal" if s.id == b else ""
                rows.append([t.text(s.name, f"scenarios[{i}].name"), s.id,
                             t.text(s.description or "", f"scenarios[{i}].description"),
                             role])
            if b == "baseline":
                rows.append(["The pathway as drawn", "baseline", "", "Proposal"])
        if rows:
            self.blocks.append(Table(["Option", "Modelled by", "Description", ""], rows,
                                     [0.3, 0.2, 0.38, 0.12]))
        else:
            self.para("Neither the business case nor the file's scenarios name any options.")
        self.blocks.append(Heading("Costs and benefits", 2))
        if self.r is None:
            self.missing_paragraph()
            return
        rows = []
        for metric, kind, label, less, more in ECONOMIC:
            if not self.has_metric(f"metrics.{metric}"):
                continue
            rows.append([label, self.estimate(a, f"metrics.{metric}", kind, label),
                         self.estimate(b, f"metrics.{metric}", kind, label),
                         self.change(f"metrics.{metric}", kind, label, less, more)])
        self.blocks.append(Table(["Measure", f"As is: {self.scenario_name(a)}",
                                  f"Proposal: {self.scenario_name(b)}", "Difference"],
                                 rows, [0.22, 0.25, 0.25, 0.28], anchor="economic-table"))
        self.para(_interval_note(self), style="small")
        for w in self.runs.warnings:
            self.para(t.text(w, "the simulation's warnings"), label="Simulation warning.")
        self.sensitivity()

    def sensitivity(self) -> None:
        t, runs = self.t, self.runs
        self.blocks.append(Heading("Sensitivity", 2))
        if not runs.sensitivity:
            self.para("The sensitivity runs could not be made.")
            return
        step = t.add("20%", "how far each input is moved", "the pack's sensitivity "
                     "setting (SENSITIVITY_STEP)")
        source = (f"simulation metric metrics.cost_per_year, proposal minus as is, "
                  f"{plural_reps(runs.sensitivity_replications)} of "
                  f"{_num(runs.sensitivity_weeks)} weeks after the file's warm-up, "
                  "the file's seed, with the input moved")
        saving = runs.sensitivity_centre < 0
        word = "saving" if saving else "extra cost"

        def said(x: float) -> str:
            value = -x if saving else x
            return (f"{t.money(value)} {word}" if value >= 0 else
                    f"{t.money(value)} {'extra cost' if saving else 'saving'}")

        centre = t.add(said(runs.sensitivity_centre), f"{word} a year in the sensitivity runs "
                       "with no input moved", source + " by 0%")
        self.para("How the cost change a year moves when each main input is ", step,
                  " lower or higher, in both options (shorter runs than the figures above: ",
                  t.add(plural_reps(runs.sensitivity_replications), "replications of each "
                        "sensitivity run", "the pack's sensitivity setting"), " of ",
                  t.add(f"{_num(runs.sensitivity_weeks)} weeks", "length of each "
                        "sensitivity run", "the pack's sensitivity setting"),
                  "; the common random numbers keep the comparison precise). With no input "
                  "moved these runs give ", centre, ".")
        rows, bars = [], []
        for row in runs.sensitivity:
            if row.not_varied:
                rows.append([row.label, "Not varied: " + row.not_varied, "", ""])
                continue
            low = t.add(said(row.low), f"{word} a year, {row.label} "
                        f"{step} lower", f"{source} down: {row.input_low}")
            high = t.add(said(row.high), f"{word} a year, {row.label} "
                         f"{step} higher", f"{source} up: {row.input_high}")
            spread = t.add(t.money(abs(row.high - row.low)), f"range of the cost change "
                           f"over {row.label} -{step} to +{step}",
                           f"difference of the two figures above ({row.label})")
            rows.append([row.label, low, high, spread])
            bars.append((row.label, row.low, row.high))
        self.blocks.append(Table(["Input", f"{step} lower", f"{step} higher", "Range"], rows,
                                 [0.3, 0.25, 0.25, 0.2]))
        if bars:
            from designer.export.board.charts import tornado

            sign = -1 if saving else 1
            self.blocks.append(tornado([(label, sign * lo, sign * hi) for label, lo, hi in bars],
                                       sign * runs.sensitivity_centre, t, step,
                                       f"{word.capitalize()} a year (as is minus proposal)"
                                       if saving else "Extra cost a year (proposal minus as "
                                       "is)"))

    # commercial --------------------------------------------------------

    def commercial(self) -> None:
        p, t = self.p, self.t
        self.blocks.append(PageBreak())
        self.heading("commercial")
        self.para("Which settings of care deliver which steps, and who owns them (from the "
                  "pathway's lanes and roles).")
        rows = []
        for i, s in enumerate(p.settings):
            steps = [x for x in p.steps if x.setting == s.id]
            owners = list(dict.fromkeys(self.role_names.get(x.owner, x.owner)
                                        for x in steps if x.owner))
            rows.append([t.text(s.name, f"settings[{i}].name"),
                         SETTING_KIND_LABELS.get(s.kind, str(s.kind)),
                         t.text(s.description or "", f"settings[{i}].description"),
                         t.text("; ".join(x.name for x in steps), "steps[].name") or
                         "No steps",
                         t.text("; ".join(owners), "roles[].name") or "No owners"])
        self.blocks.append(Table(["Setting", "Kind", "Provider and description",
                                  "Steps delivered", "Delivered by"], rows,
                                 [0.16, 0.12, 0.24, 0.28, 0.2]))

    # financial ---------------------------------------------------------

    def financial(self) -> None:
        p, t = self.p, self.t
        self.heading("financial")
        if self.r is None:
            self.missing_paragraph()
        else:
            self._cost_by_setting()
            self._bed_days()
        self.blocks.append(Heading("Unit costs used", 2))
        if not p.costs:
            self.para("The file gives no unit costs (costs).")
            return
        rows = []
        for i, c in enumerate(p.costs):
            used = [f"{s.name} (per {sc.per})" for s in p.steps for sc in (s.costs or [])
                    if sc.cost == c.id]
            source = t.text(c.source or "Source not given", f"costs[{i}].source")
            rows.append([t.text(c.name, f"costs[{i}].name"),
                         t.add(t.money_exact(c.amount), f"unit cost: {c.name}",
                               f"file field costs[{i}].amount; {c.source or 'no source'}, "
                               f"{c.year or 'year not given'}"),
                         t.add(c.year, f"price year of {c.name}", f"file field costs[{i}]."
                                                                  "year") if c.year else
                         "Not given",
                         [source] + ([" (", Link(c.url, c.url), ")"] if c.url else []),
                         t.text("; ".join(used), "steps[].costs") or "Not used"])
        self.blocks.append(Table(["Unit cost", "Amount", "Year", "Source", "Charged at"],
                                 rows, [0.18, 0.11, 0.09, 0.34, 0.28]))

    def _cost_by_setting(self) -> None:
        t, r = self.t, self.r
        a, b = self.runs.as_is, self.runs.proposal
        self.blocks.append(Heading("Cost by setting", 2))
        rows = []
        for setting in self.p.settings:
            ids = [s.id for s in self.p.steps if s.setting == setting.id]
            keys = [f"steps.{i}.cost_per_year" for i in ids
                    if f"steps.{i}.cost_per_year" in r.scenario(b).keys()]
            if not keys:
                continue
            sa = _sum_summary(r.scenario(a), keys)
            sb = _sum_summary(r.scenario(b), keys)
            diff = _sum_diff(r.scenario(a), r.scenario(b), keys)
            src = (f"sum of simulation metrics steps.<step>.cost_per_year for the steps in "
                   f"{setting.name} ({', '.join(i.split('.')[1] for i in keys)})")
            rows.append([setting.name,
                         t.add(self._interval_text(sa, "money"), f"cost a year in "
                               f"{setting.name}, as is", self.sim_source(src, a)),
                         t.add(self._interval_text(sb, "money"), f"cost a year in "
                               f"{setting.name}, proposal", self.sim_source(src, b)),
                         t.add(_change_words(diff, "money", t, "saving", "more"),
                               f"change in cost a year in {setting.name}",
                               self.sim_source(src, a, b))])
        uncosted = [s.name for s in self.p.settings
                    if not any(st.costs for st in self.p.steps if st.setting == s.id)]
        years = self.r.horizon_weeks / 52.0
        horizon = t.add(f"{_num(round(self.r.horizon_weeks, 1))} weeks",
                        "length of the simulated period", "file field flow.horizon_weeks")
        self.para("Cost a year in each setting of care (", t.add(
            self.r.cost_year or "year not given", "price year", "the unit costs' year "
            "(costs[].year)"), " prices), over a simulated period of ", horizon,
            f" ({t.add(number_years(years), 'simulated period in years', 'flow.horizon_weeks / 52')}"
            "), averaged to a year; costs are not discounted.")
        self.blocks.append(Table(["Setting", "As is", "Proposal", "Change"], rows,
                                 [0.22, 0.25, 0.25, 0.28]))
        if uncosted:
            self.para("No step in " + _and(uncosted) + " has a unit cost in the file, so "
                      "their costs are not counted.", style="small")

    def _bed_days(self) -> None:
        t, case = self.t, self.case
        a, b = self.runs.as_is, self.runs.proposal
        self.blocks.append(Heading("Cash-releasing and capacity-releasing bed-days", 2))
        c = self.r.compare(a, b, "metrics.bed_days_per_year")
        released = -c["mean"]
        if released <= 0:
            self.para("The proposal releases no bed-days: ",
                      self.change("metrics.bed_days_per_year", "count", "bed-days a year",
                                  "fewer", "more"), ".")
            return
        bed_costs = [x for x in self.p.costs if "bed" in f"{x.id} {x.name}".lower()]
        src = self.sim_source("metrics.bed_days_per_year", a, b)
        shown = t.add(t.count(released), "bed-days released a year", src)
        beds = t.add(t.count(released / 365.25), "beds open all year that the released "
                     "bed-days equal", "bed-days released a year / 365.25")
        self.para("The proposal releases ", shown, " bed-days a year, the same as ", beds,
                  " beds open every day of the year.")
        share = case.cash_releasing_share if case else None
        if share is None:
            self.para("The business case does not say how many of them will be released as "
                      "cash (beds or ward shifts closed), so all are shown as "
                      "capacity released for other patients (business_case."
                      "cash_releasing_share).")
            share = 0.0
        rows = []
        for label, part in (("Cash-releasing", share), ("Capacity-releasing", 1 - share)):
            bd = released * part
            share_src = "file field business_case.cash_releasing_share" if case and \
                case.cash_releasing_share is not None else "no cash-releasing share given"
            row = [label, t.add(t.share(part), f"share of bed-days {label.lower()}",
                                share_src),
                   t.add(t.count(bd), f"bed-days a year {label.lower()}",
                         f"bed-days released a year x {label.lower()} share")]
            if bed_costs:
                cost = bed_costs[0]
                row.append(t.add(t.money(bd * cost.amount), f"value a year, {label.lower()}",
                                 f"bed-days x {cost.name} {t.money_exact(cost.amount)} "
                                 f"({cost.source or 'no source'}, {cost.year or 'no year'})"))
            else:
                row.append("No bed-day unit cost in the file")
            rows.append(row)
        self.blocks.append(Table(["", "Share", "Bed-days a year", "Value a year"], rows,
                                 [0.3, 0.15, 0.25, 0.3]))

    # management --------------------------------------------------------

    def management(self) -> None:
        p, t, case = self.p, self.t, self.case
        self.blocks.append(PageBreak())
        self.heading("management")
        self.para("Senior responsible owner: ", t.text(case.sponsor, "business_case.sponsor")
                  if case and case.sponsor else "not named in the business case "
                  "(business_case.sponsor)", ".")
        self.blocks.append(Heading("Priorities and milestones from the workshop", 2))
        if p.priorities:
            rows = [[t.text(x.title, f"priorities[{i}].title"),
                     PRIORITY_KIND_LABELS.get(x.kind, str(x.kind)),
                     t.text(x.owner or "", f"priorities[{i}].owner") or "No owner",
                     x.due or "No date",
                     PRIORITY_STATUS_LABELS.get(x.status, str(x.status)),
                     t.text("; ".join(self.step_names.get(s, s) for s in x.steps),
                            f"priorities[{i}].steps")]
                    for i, x in enumerate(p.priorities)]
            self.blocks.append(Table(["Priority", "Kind", "Owner", "Due", "Status", "Steps"],
                                     rows, [0.28, 0.14, 0.16, 0.12, 0.1, 0.2]))
        else:
            self.para("The workshop action log has no priorities yet, so no milestones or "
                      "owners are recorded for delivery (priorities).")
        self.blocks.append(Heading("How the benefits will be measured", 2))
        rows = []
        if case and case.benefits:
            for i, x in enumerate(case.benefits):
                rows.append([t.text(x.benefit, f"business_case.benefits[{i}].benefit"),
                             t.text(x.measure, f"business_case.benefits[{i}].measure"),
                             t.text(x.owner or "", f"business_case.benefits[{i}].owner")
                             or "No owner"])
            self.blocks.append(Table(["Benefit", "Measure", "Owner"], rows,
                                     [0.3, 0.5, 0.2]))
        else:
            self.para("The business case lists no benefits (business_case.benefits).")
        standard = ["PROMs (patient-reported outcome measures)", "length of stay",
                    "on-the-day cancellations", "referral to treatment within 18 weeks"]
        said = " ".join((x.measure + " " + x.benefit).lower()
                        for x in (case.benefits if case else []))
        words = (("prom", "patient-reported"), ("length of stay",), ("cancel",), ("18 week",))
        absent = [m for m, alternatives in zip(standard, words)
                  if not any(w in said for w in alternatives)]
        if absent:
            self.para("Measures a board expects that the business case does not yet name: "
                      + "; ".join(absent) + ".")
        if self.r is not None:
            a, b = self.runs.as_is, self.runs.proposal
            rows = []
            for metric, kind, label in MEASURED:
                if self.has_metric(f"metrics.{metric}"):
                    rows.append([label, self.estimate(a, f"metrics.{metric}", kind, label),
                                 self.estimate(b, f"metrics.{metric}", kind, label)])
            self.para("Baseline and expected values from the simulation, to measure against:")
            self.blocks.append(Table(["Measure", "Baseline (as is)", "Expected (proposal)"],
                                     rows, [0.3, 0.35, 0.35]))

    # QIA ---------------------------------------------------------------

    def _findings_in(self, words: tuple[str, ...]) -> list:
        return [f for f in self.report.findings if any(w in f.rule for w in words)]

    def qia(self) -> None:
        p, t = self.p, self.t
        self.blocks.append(PageBreak())
        self.heading("qia")
        self.para("Patient safety, clinical effectiveness and patient experience, drawn from "
                  "the pathway's validation findings, its waived findings and its evidence. "
                  "A Quality Impact Assessment is signed off by the medical director and the "
                  "director of nursing.")
        findings = [f for f in self.report.findings if f.severity in ("error", "warning")
                    or not f.rule.startswith("flow-")]
        safety = [f for f in findings if any(w in f.rule for w in _SAFETY)]
        experience = [f for f in findings if f not in safety
                      and any(w in f.rule for w in _EXPERIENCE)]
        effectiveness = [f for f in findings if f not in safety and f not in experience]
        for title, group, empty in (
                ("Patient safety", safety, "No open finding concerns patient safety."),
                ("Clinical effectiveness", effectiveness,
                 "No open finding concerns clinical effectiveness."),
                ("Patient experience", experience,
                 "No open finding concerns patient experience.")):
            self.blocks.append(Heading(title, 2))
            if group:
                self.blocks.append(Table(["Severity", "Finding", "Where"],
                                         [self._finding_row(f) for f in group],
                                         [0.12, 0.6, 0.28]))
            else:
                self.para(empty)
            if title == "Clinical effectiveness":
                strong = [e for e in p.evidence if not e.weak]
                weak = [e for e in p.evidence if e.weak]
                self.para(t.add(str(len(strong)), "claims with a cited source",
                                "count of evidence[] without weak: true"),
                          " claims in the file cite a source; ",
                          t.add(str(len(weak)), "claims on weak evidence",
                                "count of evidence[] with weak: true"),
                          " rest on weak evidence (listed in the strategic case).")
            if title == "Patient experience":
                spec = self.spec
                if spec is not None and spec.patient_reading:
                    self.para(t.text(spec.patient_reading, "the Surgery School booklet's "
                                     "reading check (steps[].patient_info)"))
        self.blocks.append(Heading("Waived findings", 2))
        if self.report.waived:
            self.blocks.append(Table(["Finding", "Where", "Reason for waiver"],
                                     [[r[1], r[2], t.text(getattr(f, "waived_reason", "") or "",
                                                          "waivers[].reason")]
                                      for f in self.report.waived
                                      for r in [self._finding_row(f)]],
                                     [0.45, 0.25, 0.3]))
        else:
            self.para("No findings have been waived.")

    def _finding_row(self, f) -> list:
        names = "; ".join(self.p.target_name(x, self.step_names) for x in f.targets)
        label = {"error": "Error", "warning": "Warning", "info": "Information"}
        return [label.get(f.severity, f.severity), self.t.text(f.message, f"finding {f.rule}"),
                self.t.text(names or "Whole pathway", "step names")]

    # EIA ---------------------------------------------------------------

    def eia(self) -> None:
        p, t = self.p, self.t
        self.heading("eia")
        self.para("In the most deprived areas people were about twice as likely to wait over "
                  "a year for planned care in ", t.add("2022", "year of the King's Fund finding "
                  "on waits by deprivation", _cite("kings-fund-backlog-2022")), " (",
                  t.text(KINGS_FUND, _cite("kings-fund-backlog-2022")), "); Core20PLUS5 asks systems to look at the "
                  "most deprived fifth of the population first (", CORE20_SOURCE, ").")
        self.blocks.append(Heading("Results by cohort", 2))
        if self.r is None:
            self.missing_paragraph()
        elif not p.cohorts:
            self.para("The file defines no cohorts (cohorts), so results cannot be shown by "
                      "deprivation or any other group.")
        else:
            self._cohort_tables()
        self.blocks.append(Heading("Digital exclusion and communication needs", 2))
        found = [f for f in self.report.findings + list(self.report.waived)
                 if any(w in (f.rule + " " + f.message).lower() for w in _EQUALITY_WORDS)]
        if found:
            self.blocks.append(Table(["Severity", "Finding", "Where"],
                                     [self._finding_row(f) for f in found],
                                     [0.12, 0.6, 0.28]))
        else:
            self.para("No validation finding concerns digital exclusion or communication "
                      "needs: no step is digital-only without another route.")
        support = [s for s in p.steps
                   if any(w in f"{s.name} {s.description or ''} {s.patient_info or ''}".lower()
                          for w in _SUPPORT_WORDS)]
        if support:
            self.para("What the pathway does about them: these steps offer a route that does "
                      "not depend on being online or on reading English:")
            self.blocks.append(Bullets([[s.name, ": ", t.text(_first_sentence_with(
                s, _SUPPORT_WORDS), f"steps[{p.steps.index(s)}]")] for s in support]))
        else:
            self.para("No step describes a non-digital route or communication support "
                      "(telephone, paper, interpreter, easy read).")
        case = self.case
        if case and case.implications and case.implications.equality:
            self.para(t.text(case.implications.equality,
                             "business_case.implications.equality"),
                      label="Equality implication.")

    def _cohort_tables(self) -> None:
        t, r, p = self.t, self.r, self.p
        a, b = self.runs.as_is, self.runs.proposal
        rows = []
        for c in p.cohorts:
            for metric, kind, label in COHORT:
                key = f"cohorts.{c.id}.{metric}"
                if key not in r.scenario(b).keys():
                    continue
                rows.append([c.name, label, self.estimate(a, key, kind, f"{label}, {c.name}"),
                             self.estimate(b, key, kind, f"{label}, {c.name}")])
        self.blocks.append(Table(["Cohort", "Measure", "As is", "Proposal"], rows,
                                 [0.28, 0.22, 0.25, 0.25]))
        if len(p.cohorts) >= 2:
            first, rest = p.cohorts[0], p.cohorts[1:]
            if len(rest) == 1:
                other = rest[0]
                rows = []
                for metric, kind, label in COHORT[:3]:
                    k1, k2 = f"cohorts.{first.id}.{metric}", f"cohorts.{other.id}.{metric}"
                    if k1 not in r.scenario(b).keys():
                        continue
                    from designer.sim.stats import summary

                    gap = summary(rep.get(k1, math.nan) - rep.get(k2, math.nan)
                                  for rep in r.scenario(b).replications)
                    text = t.add(self._interval_text_signed(gap, kind), f"gap in {label}: "
                                 f"{first.name} minus {other.name}, proposal",
                                 self.sim_source(f"{k1} minus {k2} per replication", b))
                    rows.append([label, text])
                self.para(f"The gap between {first.name} and {other.name} with the "
                          "proposal (first minus second; a positive wait gap means the first "
                          "group waits longer):")
                self.blocks.append(Table(["Measure", "Gap"], rows, [0.4, 0.6]))

    def _interval_text_signed(self, s: dict, kind: str) -> str:
        if s["mean"] is None or not math.isfinite(s["mean"]):
            return "not measured"
        fmt = _formatter(kind, self.t)

        def signed(x: float) -> str:
            shown = fmt(x)
            return shown if shown.strip("0.%") == "" or x >= 0 else "minus " + shown

        text = signed(s["mean"])
        if s.get("ci95"):
            text += f" (95% interval {signed(s['ci95'][0])} to {signed(s['ci95'][1])})"
        return text

    # risks -------------------------------------------------------------

    def risks(self) -> None:
        p, t, case = self.p, self.t, self.case
        self.blocks.append(PageBreak())
        self.heading("risks")
        rows = []
        for i, n in enumerate(p.notes):
            if n.category.value != "risk":
                continue
            owner = n.author or (self.role_names.get(self.p.step(n.target).owner, "")
                                 if n.target and self.p.step(n.target) else "")
            rows.append([t.text(n.text, f"notes[{i}].text"), "Workshop note" +
                         (f" on {p.target_name(n.target, self.step_names)}" if n.target else ""),
                         t.text(owner, f"notes[{i}].author") or "No owner",
                         "No mitigation recorded in the workshop"])
        for f in self.report.findings:
            if f.severity not in ("error", "warning"):
                continue
            owners = [self.role_names.get(s.owner, s.owner) for x in f.targets
                      for s in [self.p.step(x.split("->")[0])] if s is not None and s.owner]
            rows.append([t.text(f.message, f"finding {f.rule}"), "Open validation finding",
                         owners[0] if owners else "Pathway owner (no step named)",
                         "Resolve the finding or waive it with a reason before approval"])
        if case:
            for i, x in enumerate(case.risks):
                rows.append([t.text(x.risk, f"business_case.risks[{i}].risk"),
                             "Business case", t.text(x.owner, f"business_case.risks[{i}].owner"),
                             t.text(x.mitigation, f"business_case.risks[{i}].mitigation")])
        if rows:
            self.blocks.append(Table(["Risk", "From", "Owner", "Mitigation"], rows,
                                     [0.38, 0.16, 0.18, 0.28]))
        else:
            self.para("No risks are recorded: no workshop note is marked risk, no finding is "
                      "open and the business case lists none.")
        self.para("Warnings from the simulation (listed in the economic case) are risks to the "
                  "figures, not to patients." if self.runs.warnings else "")

    spec = None


# ------------------------------------------------------------------ tables of metrics

NOT_MODELLED = "Not modelled"
CANCELLATIONS_NOTE = ("Cancellations on the day are not modelled: the pathway draws no "
                      "on-the-day cancellation (a branch of the day-of-surgery check that goes "
                      "back into the pathway or out of it), so the pack claims none avoided.")

KEY_FIGURES = (
    ("cost_per_year", "money", "Cost a year", "saving", "more"),
    ("bed_days_per_year", "count", "Bed-days a year", "fewer", "more"),
    ("cancellations_on_the_day_per_year", "count", "Cancellations on the day a year",
     "fewer (avoided)", "more"),
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
    ("rtt_within_18_weeks", "share", "Treated within 18 weeks of referral"),
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
    ("rtt_within_18_weeks", "share", "Treated within 18 weeks of referral"),
    ("rtt_weeks_median", "weeks", "Median wait, referral to treatment"),
)
COHORT = (
    ("rtt_weeks_median", "weeks", "Median wait"),
    ("rtt_within_18_weeks", "share", "Within 18 weeks"),
    ("cancellations_on_the_day_per_year", "count", "Cancellations a year"),
    ("bed_days_per_year", "count", "Bed-days a year"),
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


def _interval_note(b: _Builder) -> str:
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


# ------------------------------------------------------------------ the spec's numbers


def trace_spec(spec: Any, trace: Trace) -> None:
    """Record the numbers the technical appendix prints, by the part they are in."""
    sources = {
        "phases": "file fields steps[] (names, descriptions, duration_days) and the timeline "
                  "computed from them",
        "handoffs": "file fields transitions[].handoff (information, within_days)",
        "timeline": "the timeline computed from steps[].duration_days and "
                    "transitions[].wait_days",
        "timeline_total_days": "the timeline computed from steps[].duration_days and "
                               "transitions[].wait_days",
        "surgery_day": "the timeline computed from steps[].duration_days and "
                       "transitions[].wait_days",
        "validation_counts": "the validation rules run on the file",
        "findings": "the validation rules run on the file",
        "waived": "file fields waivers[] and the validation rules",
        "evidence": "file fields evidence[]",
        "roles": "file fields roles[] (steps owned counted from steps[].owner)",
        "settings": "file fields settings[] (steps counted from steps[].setting)",
        "glossary": "the designer's glossary of abbreviations",
        "patient_reading": "the Surgery School booklet's reading check of steps[].patient_info",
        "step_count": "count of steps[]",
        "critical_path": "the timeline's critical path",
    }
    skip = {"date"}
    for f in fields(spec):
        if f.name in skip:
            continue
        value = getattr(spec, f.name)
        texts = list(_strings(value))
        if f.name == "timeline":
            # the chart's day axis and the relative days (T-42) come from the same rows
            texts += [str(round(x.end_day - x.start_day, 1)) for x in value]
        text = " ".join(texts)
        where = sources.get(f.name, f"file field {f.name}")
        found = list(dict.fromkeys(_numbers(text)))
        if found:
            trace.add(", ".join(found), f"numbers in the technical appendix ({f.name})", where)


    _trace_charts(spec, trace)
    trace.add("42", "example in the technical appendix's explanation of T-days (T-42 is six "
              "weeks before surgery)", "the specification's fixed wording")


def _trace_charts(spec: Any, trace: Trace) -> None:
    """The day marks of the timeline chart, at each width the formats draw it."""
    if not spec.timeline:
        return
    from designer.export.kit.pdf import FRAME_WIDTH, fonts
    from designer.export.kit.docx import PAGE_TEXT_WIDTH_MM
    from designer.export.spec.text import chart_bars, surgery_day
    from designer.export.spec.timeline_chart import split_chart

    bold = fonts()[1]
    docx_bold = bold if fonts()[0] == "DejaVuSans" else "Helvetica-Bold"
    texts = []
    for width, options in ((640, {"rows_per_part": 10_000, "label_width": 220}),
                           (FRAME_WIDTH, {"measure_font": bold}),
                           (PAGE_TEXT_WIDTH_MM * 72 / 25.4, {"measure_font": docx_bold})):
        for chart in split_chart(chart_bars(spec), surgery_day(spec), width=width, **options):
            texts += [getattr(s, "text", "") for s in chart.shapes]
            texts.append(chart.title)
    found = list(dict.fromkeys(_numbers(" ".join(texts))))
    if found:
        trace.add(", ".join(found), "numbers on the timeline chart (day marks relative to "
                  "surgery, part numbers)", "the timeline computed from steps[].duration_days "
                  "and transitions[].wait_days; the chart's scale")


def _numbers(text: str) -> list[str]:
    from designer.export.board.blocks import numbers_in

    return numbers_in(text)


def _strings(value: Any):
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)):
        yield _fmt_number(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif is_dataclass(value):
        for f in fields(value):
            yield from _strings(getattr(value, f.name))


def _fmt_number(x: float) -> str:
    from designer.graph.vocabulary import number

    return number(x)


def build_board(pathway: Pathway, runs: BoardRuns, report: Any = None,
                today: _dt.date | None = None, spec: Any = None) -> BoardContent:
    """The pack's content: blocks for every part but the technical appendix, and the trace."""
    if report is None:
        from designer.graph.validate import validate

        report = validate(pathway)
    today = today or _dt.date.today()
    b = _Builder(pathway, report, runs, today)
    b.spec = spec
    b.build()
    content = BoardContent(title=pathway.title, version=pathway.version,
                           status=STATUS_LABELS.get(pathway.status.value,
                                                    pathway.status.value),
                           date=_long_date(today), blocks=b.blocks, trace=b.t, runs=runs,
                           spec=spec, contents=b.contents)
    content.contents += [("spec", PART_TITLES["spec"]), ("trace", PART_TITLES["trace"])]
    first_break = next(i for i, x in enumerate(content.blocks) if isinstance(x, PageBreak))
    content.blocks.insert(first_break, Para([" \u2022 ".join(t for _, t in content.contents)],
                                            style="small", label="Contents."))
    if spec is not None:
        trace_spec(spec, b.t)
    return content


def trace_table(content: BoardContent) -> Table:
    rows = [[r.figure, r.what, linked(r.source)] for r in content.trace.rows]
    return Table(["Figure as printed", "What it is", "Where it comes from"], rows,
                 [0.3, 0.3, 0.4], anchor="trace-table")


def trace_intro() -> str:
    return ("Every number printed in this pack, with the input it came from: a field of the "
            "pathway file, a simulation metric and scenario, or a unit cost with its source "
            "and year. Page numbers and dates are not listed.")


_ = NOTE_CATEGORY_LABELS  # (the note categories are named by value above)
