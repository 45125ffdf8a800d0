"""The cover sheet: decision sought, recommendation, key figures, implications."""

from __future__ import annotations

from designer.export.board.blocks import Bullets, Cover, Heading, Table
from designer.export.board.content.common import (
    CANCELLATIONS_NOTE, CaseBuilder, KEY_FIGURES, PART_TITLES, _interval_note, _long_date,
)
from designer.graph.business_case import IMPLICATIONS, IMPLICATION_LABELS
from designer.graph.vocabulary import STATUS_LABELS


class CoverSheet(CaseBuilder):
    """The cover sheet of the board pack."""

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
            rows = self.compared_rows(KEY_FIGURES)
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
