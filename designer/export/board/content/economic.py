"""The economic case: options, costs and benefits, and the sensitivity runs."""

from __future__ import annotations

from designer.export.board.blocks import Heading, PageBreak, Table
from designer.export.board.content.common import (
    CaseBuilder, ECONOMIC, _interval_note, _num, plural_reps,
)


class EconomicCase(CaseBuilder):
    """The economic case of the Five Case Model."""

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
        rows = self.compared_rows(ECONOMIC)
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
