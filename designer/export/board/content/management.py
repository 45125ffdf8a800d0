"""The management case: owner, workshop priorities and how benefits are measured."""

from __future__ import annotations

from designer.export.board.blocks import Heading, PageBreak, Table
from designer.export.board.content.common import CaseBuilder, MEASURED
from designer.graph.vocabulary import PRIORITY_KIND_LABELS, PRIORITY_STATUS_LABELS


class ManagementCase(CaseBuilder):
    """The management case of the Five Case Model."""

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
