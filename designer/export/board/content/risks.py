"""Risks: workshop notes marked risk, open findings and the business case's risks."""

from __future__ import annotations

from designer.export.board.blocks import PageBreak, Table
from designer.export.board.content.common import CaseBuilder


class RiskRegister(CaseBuilder):
    """The risks part of the pack."""

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
