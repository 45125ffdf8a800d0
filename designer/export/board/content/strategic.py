"""The strategic case: case for change, population, standards at stake, current
performance and evidence."""

from __future__ import annotations

import math

from designer.export.board.blocks import Bullets, Heading, PageBreak, Table, linked
from designer.export.board.content.common import (
    CANCER_SOURCE, CURRENT, CaseBuilder, FIVE_CASE_SOURCE, RTT_SOURCE, RTT_STANDARD_SOURCE,
    STANDARDS, STANDARD_SOURCES, _cite,
)
from designer.export.spec.content import _cited
from designer.export.spec.text import evidence_strength


class StrategicCase(CaseBuilder):
    """The strategic case of the Five Case Model."""

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
                  " of patients still waiting (incomplete pathways) to have waited under "
                  "18 weeks (", RTT_SOURCE, "; ",
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
        if metric == "rtt_within_18_weeks":
            return "None: the 92% standard counts patients still waiting, not those treated"
        standard = STANDARDS.get(metric)
        if standard is None:
            return ""
        value = self.r.scenario(scenario).summary(f"metrics.{metric}")["mean"]
        if value is None or not math.isfinite(value):
            return ""
        what = ("share of patients still waiting (incomplete pathways) who have waited "
                "under 18 weeks" if metric == "rtt_incomplete_under_18_weeks" else metric)
        shown = self.t.add(self.t.share(standard), f"national standard for the {what}",
                           STANDARD_SOURCES[metric])
        return f"{shown}: {'met' if value >= standard else 'not met'}"
