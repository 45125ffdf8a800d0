"""The financial case: cost by setting, bed-days released, and the unit costs used."""

from __future__ import annotations

from designer.export.board.blocks import Heading, Link, Table
from designer.export.board.content.common import (
    CaseBuilder, _and, _change_words, _num, _sum_diff, _sum_summary, number_years,
)


class FinancialCase(CaseBuilder):
    """The financial case of the Five Case Model."""

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
