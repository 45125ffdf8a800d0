"""Expected days along a pathway, relative to the day of surgery.

Days are counted over the forward graph (loop-back transitions ignored, see
:func:`~designer.graph.network.loop_back_edges`). A step starts when the latest of
its predecessors has finished and the transition's wait has passed:
``start(B) = max over A->B of start(A) + duration_days(A) + wait_days(A->B)``
(missing values count as 0). This is the longest path from the entry, so the
**critical path** is the route from the entry to the exit that finishes last.

``relative_day`` is the start day minus the start day of the surgery step (the
first step with activity ``surgery`` in flow order): negative before surgery
(``T-42``), zero on the day (``T0``), positive after (``T+3``).

``expected_start_day`` weighs routes by how likely patients are to take them:
each decision's branches carry their ``probability`` (branches without one
share what is left equally); every other step sends all its patients along
every transition. A step's expected start is the average of its arrival days
over the routes into it, weighted by the share of patients arriving that way.
When branch probabilities are given, patients sent round an optimisation loop
are followed back into the pathway, so the loop's delay shows in the expected
day of surgery (see :func:`_expected_starts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from designer.graph.model import Pathway, StepKind
from designer.graph.pathway_index import PathwayIndex, Schedule, index_for, schedule_from_index  # noqa: F401
from designer.graph.vocabulary import days, number


@dataclass(slots=True)  # not frozen: frozen init is slow for 10,000 entries
class TimelineEntry:
    """One step on the timeline (days counted from the start of the entry step)."""

    step_id: str
    start_day: float
    end_day: float
    relative_day: float | None
    expected_start_day: float | None
    on_critical_path: bool
    reach_probability: float = 1.0
    #: on an optimisation loop: only patients sent round it take this step, and it
    #: sends them back to an earlier step (so its T-day is not a date on the way to surgery)
    detour: bool = False
    #: for a detour step, about how many days one trip round its loop adds
    loop_days: float | None = None
    #: the step's ``timing_assumed``: no source gives its day, which rests on planning
    #: assumptions (shown as "assumed"; the patient booklet gives no day count)
    timing_assumed: bool = False

    def to_json(self) -> dict:
        return {
            "detour": self.detour,
            "loop_days": self.loop_days,
            "timing_assumed": self.timing_assumed,
            "step": self.step_id,
            "start_day": self.start_day,
            "end_day": self.end_day,
            "relative_day": self.relative_day,
            "relative": (format_relative(self.relative_day)
                         if self.relative_day is not None else None),
            "expected_start_day": self.expected_start_day,
            "reach_probability": self.reach_probability,
            "on_critical_path": self.on_critical_path,
        }


@dataclass
class Timeline:
    """Expected days for every step, the surgery day and the critical path."""

    entries: list[TimelineEntry] = field(default_factory=list)
    surgery_step: str | None = None
    critical_path: list[str] = field(default_factory=list)
    total_days: float = 0.0
    uses_probabilities: bool = False

    @cached_property
    def by_step(self) -> dict[str, TimelineEntry]:
        """Entries by step id (callers look steps up in loops, so it is built once)."""
        return {e.step_id: e for e in self.entries}

    def to_json(self) -> dict:
        return {
            "surgery_step": self.surgery_step,
            "total_days": self.total_days,
            "critical_path": list(self.critical_path),
            "uses_probabilities": self.uses_probabilities,
            "entries": [e.to_json() for e in self.entries],
        }

    def to_text(self, pathway: Pathway) -> str:
        """A table for the terminal: day, T-minus, step, and the critical path."""
        names = {s.id: s.name for s in pathway.steps}
        lines = [f"{pathway.title}: about {days(self.total_days)} from entry to exit"]
        if self.entries and all(e.start_day == 0 and e.end_day == 0 for e in self.entries):
            lines.append("No step has a duration and no transition a wait, so every step "
                         "shows day 0. Add typical durations and waits to see the timeline.")
        if self.surgery_step:
            lines.append(f"Surgery: {names.get(self.surgery_step, self.surgery_step)}")
        else:
            lines.append("No surgery step, so no T-minus days.")
        lines.append("")
        header = f"{'Day':>7}  {'T':>6}  "
        if self.uses_probabilities:
            header += f"{'Expected':>8}  "
        lines.append(header + "Step  (* on the critical path)")
        for e in self.entries:
            rel = format_relative(e.relative_day) if e.relative_day is not None else "-"
            row = f"{number(e.start_day):>7}  {rel:>6}  "
            if self.uses_probabilities:
                exp = number(e.expected_start_day) if e.expected_start_day is not None else "-"
                row += f"{exp:>8}  "
            mark = "*" if e.on_critical_path else " "
            detour = ""
            if e.detour:
                detour = "  (only if needed: loops back"
                detour += (f", adds about {days(e.loop_days)})" if e.loop_days else ")")
            assumed = "  (day assumed)" if e.timing_assumed and not e.detour else ""
            lines.append(f"{row}{mark} {names.get(e.step_id, e.step_id)}{detour}{assumed}")
        if self.uses_probabilities:
            lines.append("")
            lines.append("Expected: the average day, weighing each decision's branches by "
                         "their probability and counting trips round optimisation loops.")
        if any(e.timing_assumed for e in self.entries):
            lines.append("")
            lines.append("Day assumed: no source gives when this step happens; its day rests "
                         "on planning-assumption durations and waits.")
        if self.critical_path:
            lines.append("")
            lines.append("Critical path: " + " > ".join(names.get(s, s)
                                                        for s in self.critical_path))
        return "\n".join(lines)


def format_relative(days: float) -> str:
    """``-42 -> "T-42"``, ``0 -> "T0"``, ``3 -> "T+3"`` (rounded to whole days)."""
    whole = int(math.floor(abs(days) + 0.5)) * (1 if days >= 0 else -1)
    if whole == 0:
        return "T0"
    return f"T{whole:+d}"


TIMELINE_COLUMNS = ("Day", "T", "Step", "Setting", "Critical")


def timeline_rows(timeline: Timeline, pathway: Pathway) -> list[tuple[str, str, str, str, str]]:
    """The timeline as table rows in words: day, T-day, step, setting, critical.

    A step on an optimisation loop says "if needed" instead of a T-day (it is not a
    date on the way to surgery) and how many days the loop adds.
    """
    dash = "\u2013"
    steps = {s.id: s for s in pathway.steps}
    lanes = {s.id: s.name for s in pathway.settings}
    rows = []
    for entry in timeline.entries:
        step = steps.get(entry.step_id)
        relative = format_relative(entry.relative_day) if entry.relative_day is not None else dash
        name = step.name if step else entry.step_id
        if entry.detour:
            relative = "if needed"
            name += (f" (loops back, adds about {days(round(entry.loop_days))})"
                     if entry.loop_days else " (loops back)")
        elif entry.timing_assumed and entry.relative_day is not None:
            relative += " (assumed)"
        rows.append((dash if entry.start_day is None else number(entry.start_day), relative,
                     name, lanes.get(step.setting, dash) if step else dash,
                     "Yes" if entry.on_critical_path else ""))
    return rows


def compute_timeline(pathway: Pathway, graph=None) -> Timeline:
    """The :class:`Timeline` of ``pathway`` (see the module notes for the rules)."""
    return index_for(pathway, graph).memo("timeline", timeline_from_index)


def _critical_links(index: PathwayIndex, sched: Schedule
                    ) -> tuple[dict[str, str | None], dict[str, int]]:
    """For each step, the predecessor on its longest route, and that route's length.

    Ties in days go to the route with more steps, so an undated pathway's
    critical path is its longest route rather than its first short cut.
    """
    fsucc, edges, start = index.forward_succ, index.edges, sched.start
    via: dict[str, str | None] = dict.fromkeys(sched.order, None)
    hops: dict[str, int] = dict.fromkeys(sched.order, 0)
    for node in sched.order:
        step_end = sched.end[node]
        next_hops = hops[node] + 1
        for child in fsucc[node]:
            arrive = step_end + (edges[node][child]["transition"].wait_days or 0.0)
            if arrive == start[child] and (via[child] is None or next_hops > hops[child]):
                via[child] = node
                hops[child] = next_hops
    return via, hops


def timeline_from_index(index: PathwayIndex) -> Timeline:
    """Compute the timeline from prepared look-ups."""
    sched = index.schedule
    order, start, end = sched.order, sched.start, sched.end
    via, hops = _critical_links(index, sched)
    surgery = sched.surgery_step

    # critical path: the exit finishing last (any step when there is no exit)
    reached = index.reachable_from_entry if index.entries else set(order)
    candidates = [n for n in index.exits if n in reached] or [n for n in order if n in reached]
    critical: list[str] = []
    if candidates:
        last = max(candidates, key=lambda n: (end[n], hops[n]))
        node: str | None = last
        while node is not None:
            critical.append(node)
            node = via[node]
        critical.reverse()
    on_critical = set(critical)
    total = end[critical[-1]] - start[critical[0]] if critical else 0.0

    expected, reach_p, uses_p = _expected_starts(index, order)
    loop_days = _detours(index, start, end)
    zero = start[surgery] if surgery is not None else None
    entries = [
        TimelineEntry(
            step_id=n,
            start_day=start[n],
            end_day=end[n],
            relative_day=(start[n] - zero) if zero is not None else None,
            expected_start_day=expected.get(n),
            on_critical_path=n in on_critical,
            reach_probability=reach_p.get(n, 0.0),
            detour=n in loop_days,
            loop_days=loop_days.get(n),
            timing_assumed=bool(index.steps[n].timing_assumed),
        )
        for n in order
    ]
    entries.sort(key=lambda e: e.start_day)  # stable: flow order within a day
    return Timeline(entries, surgery, critical, total, uses_p)


def _detours(index: PathwayIndex, start: dict[str, float], end: dict[str, float]
             ) -> dict[str, float]:
    """Steps on optimisation loops, with the days one trip round the loop adds.

    A detour step leads on (over forward transitions) only to the start of a
    loop-back transition, never to an exit: patients reach it when a decision
    sends them round, and it returns them to an earlier step. One trip adds the
    time from the earlier step's first start until the patient is back there.
    """
    if not index.loop_backs:
        return {}
    finishing = index.reach(index.exits, reverse=True, forward_only=True)
    pred = index.forward_pred
    added: dict[str, float] = {}
    for source, target in index.loop_backs:
        if source in finishing or source not in start or target not in start:
            continue
        t = index.transition(source, target)
        back = end[source] + ((t.wait_days or 0.0) if t is not None else 0.0)
        days = max(0.0, back - start[target])
        # walk back from the loop's last step over steps that cannot finish either
        stack, seen = [source], set()
        while stack:
            node = stack.pop()
            if node in seen or node in finishing:
                continue
            seen.add(node)
            added[node] = max(added.get(node, 0.0), days)
            stack.extend(pred.get(node, ()))
    return added


def _outflows(index: PathwayIndex) -> tuple[dict[str, list[tuple[str, float, float, bool]]],
                                           bool]:
    """Per step: (next step, share of patients, wait, is a loop-back) for each transition.

    Decision branches share patients by ``probability`` (branches without one
    split what is left equally); every other step sends all its patients along
    every transition (parallel activities).
    """
    steps, edges, backs = index.steps, index.edges, index.loop_backs
    uses_p = False
    out: dict[str, list[tuple[str, float, float, bool]]] = {}
    for node, children in index.succ.items():
        if not children:
            out[node] = []
            continue
        row = edges[node]
        transitions = [row[c]["transition"] for c in children]
        if steps[node].kind is StepKind.decision:
            given = [t.probability for t in transitions if t.probability is not None]
            uses_p = uses_p or bool(given)
            unnamed = len(transitions) - len(given)
            default = max(0.0, 1.0 - sum(given)) / unnamed if unnamed else 0.0
            shares = [t.probability if t.probability is not None else default
                      for t in transitions]
        else:
            shares = [1.0] * len(transitions)
        out[node] = [(c, share, t.wait_days or 0.0, (node, c) in backs)
                     for c, share, t in zip(children, shares, transitions)]
    return out, uses_p


def _expected_starts(index: PathwayIndex, order: list[str]
                     ) -> tuple[dict[str, float], dict[str, float], bool]:
    """Probability-weighted start days, following patients round optimisation loops.

    A first pass sends patients forward from the entry in flow order and notes
    how many are sent back along each loop-back transition and when they
    arrive. For a loop that returns a share ``q`` of the patients reaching its
    first step after ``L`` days, patients go round it ``q / (1 - q)`` extra times
    on average, so a second pass starts that step ``q / (1 - q) * L`` days later
    and counts everyone who passes it (``1 / (1 - q)`` visits). Loops are followed
    only when the pathway gives branch probabilities. A step's expected start is
    the average of its arrival days, weighted by the share of patients arriving.
    """
    flows, uses_p = _outflows(index)
    roots = list(index.entries) or [n for n in order if not index.forward_pred[n]]
    mass, weighted, returns = _flow(index, order, flows, roots, {})
    if uses_p and returns:
        corrections: dict[str, tuple[float, float]] = {}
        for target, (back_mass, back_weighted) in returns.items():
            m = mass.get(target, 0.0)
            share = back_mass / m if m else 0.0
            if 0.0 < share < 1.0 - 1e-9:
                loop_days = back_weighted / back_mass - weighted[target] / m
                corrections[target] = (1.0 / (1.0 - share),
                                       share / (1.0 - share) * max(0.0, loop_days))
        if corrections:
            mass, weighted, _ = _flow(index, order, flows, roots, corrections)
    expected = {n: round(weighted[n] / m, 6) for n, m in mass.items() if m > 0}
    reach = {n: min(1.0, m) for n, m in mass.items()}
    return expected, reach, uses_p


def _flow(index: PathwayIndex, order: list[str], flows: dict, roots: list[str],
          corrections: dict[str, tuple[float, float]]
          ) -> tuple[dict[str, float], dict[str, float], dict[str, tuple[float, float]]]:
    """One forward pass: patient share and share-weighted day per step, and returns."""
    steps = index.steps
    mass = {r: 1.0 for r in roots}
    weighted = {r: 0.0 for r in roots}
    returns: dict[str, tuple[float, float]] = {}
    for node in order:
        m = mass.get(node)
        if not m:
            continue
        if node in corrections:
            visits, delay = corrections[node]
            day = weighted[node] / m + delay
            m = mass[node] = m * visits
            weighted[node] = m * day
        step_end = weighted[node] / m + (steps[node].duration_days or 0.0)
        for child, share, wait, back in flows[node]:
            if share <= 0.0:
                continue
            cm = m * share
            cw = cm * (step_end + wait)
            if back:
                old_m, old_w = returns.get(child, (0.0, 0.0))
                returns[child] = (old_m + cm, old_w + cw)
            else:
                mass[child] = mass.get(child, 0.0) + cm
                weighted[child] = weighted.get(child, 0.0) + cw
    return mass, weighted, returns
