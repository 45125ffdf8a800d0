"""The Quality Impact Assessment and the Equality Impact Assessment."""

from __future__ import annotations

import math

from designer.export.board.blocks import Bullets, Heading, PageBreak, Table
from designer.export.board.content.common import (
    COHORT, CORE20_SOURCE, CaseBuilder, KINGS_FUND, _cite, _first_sentence_with, _formatter,
)


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


class ImpactAssessments(CaseBuilder):
    """The QIA (safety, effectiveness, experience) and the EIA (cohorts, exclusion)."""

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
