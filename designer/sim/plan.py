"""From a pathway (and a scenario) to a :class:`Plan` the engine runs.

:func:`compile_plan` is the pre-flight: it checks that the flow inputs are
complete and consistent and refuses with ONE :class:`FlowInputError` naming the
field (``transitions[4].probability: the branches of 'Fit for surgery?' sum to
0.9``), so that nothing half-runs. It then turns the pathway into plain tuples
and numbers (picklable: a plan travels to worker processes and Dask workers).

:func:`apply_scenario` returns a copy of the pathway with a scenario's changes;
:func:`needs` lists what the simulation still lacks, for the ``flow`` rule pack.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from designer.graph.elements import friendly_validation_message
from designer.graph.flow import Distribution
from designer.graph.model import Pathway
from designer.graph.suggest import did_you_mean
from designer.graph.vocabulary import Activity, StepKind

DEFAULT_HORIZON_WEEKS = 156.0
DEFAULT_WARMUP_WEEKS = 26.0
DEFAULT_REPLICATIONS = 30
DEFAULT_SEED = 1
DEFAULT_CURRENCY = "GBP"
BASELINE = "baseline"
DAYS_PER_YEAR = 365.25
#: branch probabilities must sum to 1 within this
TOLERANCE = 1e-6
#: activities that count as inpatient bed-days when no resource is marked as beds
INPATIENT_ACTIVITIES = frozenset({Activity.inpatient_recovery.value})
_BED_WORDS = ("bed",)


class FlowInputError(ValueError):
    """Flow inputs that are missing or inconsistent; ``field`` is the path (``steps[3].uses``)."""

    def __init__(self, field_path: str, problem: str) -> None:
        self.field = field_path
        self.problem = problem
        super().__init__(f"{field_path}: {problem}" if field_path else problem)


# ----------------------------------------------------------------------- the plan

# distribution codes (the engine's switch)
FIXED, EXPONENTIAL, LOGNORMAL, TRIANGULAR, UNIFORM = range(5)


@dataclass(frozen=True)
class Dist:
    """A distribution the engine samples: ``code`` and up to three parameters."""

    code: int
    a: float = 0.0
    b: float = 0.0
    c: float = 0.0

    @property
    def mean(self) -> float:
        if self.code == FIXED:
            return self.a
        if self.code == EXPONENTIAL:
            return self.a
        if self.code == LOGNORMAL:
            return math.exp(self.a + self.b * self.b / 2.0)
        if self.code == TRIANGULAR:
            return (self.a + self.b + self.c) / 3.0
        return (self.a + self.b) / 2.0


def make_dist(distribution: Distribution | None, days: float | None) -> Dist:
    """The engine's form of a ``duration``/``wait`` (or of a fixed ``*_days``)."""
    if distribution is None:
        return Dist(FIXED, float(days or 0.0))
    d = distribution
    if d.dist == "fixed":
        return Dist(FIXED, d.value)
    if d.dist == "exponential":
        return Dist(EXPONENTIAL, d.mean)
    if d.dist == "lognormal":
        # mean m and sd s of the duration itself: sigma^2 = ln(1 + s^2/m^2)
        sigma2 = math.log1p((d.sd / d.mean) ** 2)
        return Dist(LOGNORMAL, math.log(d.mean) - sigma2 / 2.0, math.sqrt(sigma2))
    if d.dist == "triangular":
        return Dist(TRIANGULAR, d.min, d.mode, d.max)
    return Dist(UNIFORM, d.min, d.max)


@dataclass(frozen=True)
class StepPlan:
    index: int
    id: str
    name: str
    duration: Dist
    capacity: int                 # 0: no queue of its own
    uses: tuple[int, ...]         # resource indices, in a fixed order (no deadlock)
    cost_visit: float
    cost_day: float
    bed: bool                     # time here is bed-days
    surgery: bool                 # the RTT clock stops on the first visit
    listing: bool                 # decision to treat (cancer 31 days)
    exit: bool
    #: next steps and their waits; a decision picks by cumulative probability per cohort
    targets: tuple[int, ...]
    waits: tuple[Dist, ...]
    cumulative: tuple[tuple[float, ...], ...]   # [cohort][branch]
    cancel: tuple[bool, ...]      # branch is an on-the-day cancellation
    duration_key: int             # random stream keys
    decision_key: int
    wait_keys: tuple[int, ...]
    #: a fork: when the branch ``fork_branch`` of ``targets`` is taken the patient runs
    #: every parallel branch (``parallel`` targets, their waits) alongside the others
    #: until ``join`` (-1: the branches never meet)
    fork_branch: int = -1
    parallel: tuple[int, ...] = ()
    parallel_waits: tuple[Dist, ...] = ()
    parallel_wait_keys: tuple[int, ...] = ()
    join: int = -1

    @property
    def queued(self) -> bool:
        return bool(self.capacity or self.uses)


@dataclass(frozen=True)
class Plan:
    """Everything one replication needs, as plain data."""

    scenario: str
    scenario_name: str
    steps: tuple[StepPlan, ...]
    entry: int
    resources: tuple[tuple[str, str, int], ...]     # (id, name, capacity)
    cohorts: tuple[tuple[str, str, float], ...]     # (id, name, share); one implicit when none
    cohort_cumulative: tuple[float, ...]
    arrivals: tuple[tuple[float, float], ...]       # (from day, per day)
    warmup_days: float
    horizon_days: float
    cancer: bool
    currency: str
    cost_year: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def end_days(self) -> float:
        return self.warmup_days + self.horizon_days

    @property
    def explicit_cohorts(self) -> bool:
        return not (len(self.cohorts) == 1 and self.cohorts[0][0] == "")


def stream_key(purpose: str) -> int:
    """A stable number for a random stream's purpose (``"duration:surgery"``)."""
    return zlib.crc32(purpose.encode("utf-8"))


# ------------------------------------------------------------------- scenarios


def apply_scenario(pathway: Pathway, scenario_id: str | None) -> Pathway:
    """A copy of ``pathway`` with the changes of scenario ``scenario_id`` applied.

    Refuses (:class:`FlowInputError`) a scenario or a change target that does not exist,
    or a change that makes a value impossible.
    """
    if scenario_id is None:
        return pathway
    # a shallow copy with its own lists: changes replace items, never edit them in place
    copy = pathway.model_copy(update={name: list(getattr(pathway, name)) for name in
                                      ("steps", "transitions", "resources", "costs", "cohorts")})
    index = next((i for i, s in enumerate(pathway.scenarios) if s.id == scenario_id), None)
    if index is None:
        known = [s.id for s in pathway.scenarios]
        listed = ", ".join(known) if known else "none"
        raise FlowInputError("--scenario", f"there is no scenario '{scenario_id}'"
                             f"{did_you_mean(scenario_id, known)} (the file has: {listed})")
    for j, change in enumerate(pathway.scenarios[index].changes):
        where = f"scenarios[{index}].changes[{j}]"
        kind, target, values = change.kind, change.target, change.values()
        if kind == "step":
            _replace(copy.steps, lambda s: s.id == target, values, f"{where}.step",
                     f"there is no step '{target}'", [s.id for s in copy.steps], target)
        elif kind == "transition":
            _replace(copy.transitions, lambda t: t.key == target, values,
                     f"{where}.transition", f"there is no transition '{target}'",
                     [t.key for t in copy.transitions], target)
        elif kind == "resource":
            _replace(copy.resources, lambda r: r.id == target, values, f"{where}.resource",
                     f"there is no resource '{target}'", [r.id for r in copy.resources],
                     target)
        elif kind == "cost":
            _replace(copy.costs, lambda c: c.id == target, values, f"{where}.cost",
                     f"there is no cost '{target}'", [c.id for c in copy.costs], target)
        elif kind == "cohort":
            _replace(copy.cohorts, lambda c: c.id == target, values, f"{where}.cohort",
                     f"there is no cohort '{target}'", [c.id for c in copy.cohorts], target)
        else:  # flow: arrivals
            from designer.graph.flow import Arrivals, Flow
            flow = copy.flow or Flow()
            arrivals = {"per_week": values.get("per_week"), "schedule": values.get("schedule")}
            try:
                copy.flow = flow.model_copy(update={"arrivals": Arrivals(**arrivals)})
            except ValidationError as exc:
                raise FlowInputError(where, friendly_validation_message(exc)) from None
    return copy


def _replace(items: list, match, values: dict[str, Any], where: str, missing: str,
             known: list[str], target: str) -> None:
    for i, item in enumerate(items):
        if match(item):
            data = item.model_dump(by_alias=False)
            data.update({k: (v.model_dump() if hasattr(v, "model_dump") else
                             [x.model_dump() if hasattr(x, "model_dump") else x for x in v]
                             if isinstance(v, list) else v)
                         for k, v in values.items()})
            # a new typical value for something drawn from a distribution moves the
            # distribution (scaled to the new mean), or the change would do nothing
            for days, dist in (("duration_days", "duration"), ("wait_days", "wait")):
                if days in values and dist not in values and data.get(dist):
                    data[dist] = _scaled(getattr(item, dist), values[days])
            try:
                items[i] = type(item).model_validate(data)
            except ValidationError as exc:
                raise FlowInputError(where.rsplit(".", 1)[0],
                                     friendly_validation_message(exc)) from None
            return
    raise FlowInputError(where, missing + did_you_mean(target, known))


def _scaled(distribution: Distribution, mean: float) -> dict[str, Any]:
    """``distribution`` stretched so that its mean is ``mean`` (its shape kept)."""
    old = distribution.expected()
    if old <= 0:
        return {"dist": "fixed", "value": mean}
    factor = mean / old
    return {k: (v * factor if isinstance(v, (int, float)) else v)
            for k, v in distribution.model_dump(exclude_none=True).items()}


# ------------------------------------------------------------------- pre-flight


def _is_bed_resource(resource) -> bool:
    if resource.bed is not None:
        return bool(resource.bed)
    text = f"{resource.id} {resource.name}".lower()
    return any(word in text for word in _BED_WORDS)


def compile_plan(pathway: Pathway, scenario_id: str | None = None, *,
                 weeks: float | None = None) -> Plan:
    """Check the flow inputs of ``pathway`` under ``scenario_id`` and build the plan.

    Raises :class:`FlowInputError` (one message, naming the field) when the inputs
    are missing or inconsistent. Instability (arrivals beyond a capacity) is not an
    error: it is in :attr:`Plan.warnings`.
    """
    base = pathway
    pathway = apply_scenario(pathway, scenario_id)
    prefix = "" if scenario_id in (None, BASELINE) else f"in scenario '{scenario_id}', "
    try:
        return _compile(pathway, base, scenario_id, weeks)
    except FlowInputError as exc:
        if prefix and not exc.field.startswith("scenarios"):
            _compile(base, base, None, weeks)   # a fault of the pathway itself: say so plainly
            raise FlowInputError(exc.field, prefix + exc.problem) from None
        raise


def _compile(pathway: Pathway, base: Pathway, scenario_id: str | None,
             weeks: float | None) -> Plan:
    flow = pathway.flow
    if flow is None or flow.arrivals is None:
        raise FlowInputError("flow.arrivals", "the simulation needs arrivals: add "
                             "'flow: {arrivals: {per_week: N}}' (new patients a week at the "
                             "entry step)")
    steps = pathway.steps
    ids = {s.id: i for i, s in enumerate(steps)}
    entries = [i for i, s in enumerate(steps) if s.kind == StepKind.entry]
    if not entries:
        raise FlowInputError("steps", "no step has kind 'entry': patients need a step "
                             "to arrive at")
    if len(entries) > 1:
        raise FlowInputError(f"steps[{entries[1]}].kind", "the simulation needs one "
                             f"entry step; '{steps[entries[0]].name}' and "
                             f"'{steps[entries[1]].name}' are both entries")

    resources = {r.id: i for i, r in enumerate(pathway.resources)}
    costs = {c.id: c for c in pathway.costs}
    cohorts = list(pathway.cohorts)
    cohort_ids = [c.id for c in cohorts]
    if cohorts:
        total = sum(c.share for c in cohorts)
        if abs(total - 1.0) > TOLERANCE:
            raise FlowInputError("cohorts", f"the cohorts' shares sum to {total:.6g}; "
                                 "they must sum to 1")

    # outgoing transitions, in file order. A step's branches marked ``parallel`` count
    # as one way out (the first stands for them all); taking it starts every parallel
    # branch at once (the engine runs them side by side until they meet).
    out: dict[int, list[int]] = {i: [] for i in range(len(steps))}
    forked: set[str] = set()
    parallel_of: dict[int, list[int]] = {}
    for k, t in enumerate(pathway.transitions):
        for end, name in ((t.source, "from"), (t.target, "to")):
            if end not in ids:
                raise FlowInputError(f"transitions[{k}].{name}", f"there is no step '{end}'"
                                     f"{did_you_mean(end, list(ids))}")
        for cohort in t.probability_by_cohort:
            if cohort not in cohort_ids:
                raise FlowInputError(f"transitions[{k}].probability_by_cohort.{cohort}",
                                     f"there is no cohort '{cohort}'"
                                     f"{did_you_mean(cohort, cohort_ids)}")
        if t.parallel:
            parallel_of.setdefault(ids[t.source], []).append(k)
            if t.source in forked:
                continue
            forked.add(t.source)
        out[ids[t.source]].append(k)

    cohort_list = cohorts or [None]
    step_plans: list[StepPlan] = []
    # routing[i][j]: share of patients leaving step i for step j, mixed over cohorts
    routing: list[dict[int, float]] = [{} for _ in steps]
    for i, s in enumerate(steps):
        if s.duration is None and s.duration_days is None:
            if s.kind in (StepKind.task, StepKind.wait, StepKind.entry):
                raise FlowInputError(f"steps[{i}].duration_days", f"'{s.name}' has no "
                                     "duration: give duration_days or a duration "
                                     "distribution")
        uses = []
        for j, rid in enumerate(s.uses):
            if rid not in resources:
                known = list(resources)
                raise FlowInputError(f"steps[{i}].uses[{j}]", f"'{s.name}' uses '{rid}', "
                                     f"which is not a resource{did_you_mean(rid, known)}"
                                     + ("" if known else " (the file lists no resources)"))
            uses.append(resources[rid])
        cost_visit = cost_day = 0.0
        for j, sc in enumerate(s.costs):
            if sc.cost not in costs:
                raise FlowInputError(f"steps[{i}].costs[{j}].cost", f"'{s.name}' names the "
                                     f"cost '{sc.cost}', which is not in costs"
                                     f"{did_you_mean(sc.cost, list(costs))}")
            if sc.per == "visit":
                cost_visit += costs[sc.cost].amount
            else:
                cost_day += costs[sc.cost].amount
        branches = out[i]
        cumulative = []
        if len(branches) > 1:
            for k in branches:
                if pathway.transitions[k].probability is None:
                    t = pathway.transitions[k]
                    raise FlowInputError(f"transitions[{k}].probability",
                                         f"the branch '{t.condition or t.target}' of "
                                         f"'{s.name}' has no probability (each branch of a "
                                         "step with several ways out needs one)")
            for cohort in cohort_list:
                probs = [_branch_probability(pathway.transitions[k], cohort) for k in branches]
                total = sum(probs)
                if abs(total - 1.0) > TOLERANCE:
                    k = branches[0]
                    if cohort is not None and any(
                            cohort.id in pathway.transitions[b].probability_by_cohort
                            for b in branches):
                        raise FlowInputError(
                            f"transitions[{k}].probability_by_cohort.{cohort.id}",
                            f"for cohort '{cohort.id}' the branches of '{s.name}' sum to "
                            f"{total:.6g}; they must sum to 1")
                    raise FlowInputError(f"transitions[{k}].probability", f"the branches of "
                                         f"'{s.name}' sum to {total:.6g}; they must sum to 1")
                running, acc = 0.0, []
                for p in probs:
                    running += p
                    acc.append(running)
                acc[-1] = 1.0 + 1e-12   # never fall off the end through rounding
                cumulative.append(tuple(acc))
            shares = [c.share if c is not None else 1.0 for c in cohort_list]
            for b, k in enumerate(branches):
                mixed = sum(sh * _branch_probability(pathway.transitions[k], c)
                            for sh, c in zip(shares, cohort_list))
                j = ids[pathway.transitions[k].target]
                routing[i][j] = routing[i].get(j, 0.0) + mixed
        elif branches:
            cumulative = [(1.0 + 1e-12,)] * len(cohort_list)
            routing[i][ids[pathway.transitions[branches[0]].target]] = 1.0
        targets = tuple(ids[pathway.transitions[k].target] for k in branches)
        side = parallel_of.get(i, [])
        fork = dict(
            fork_branch=branches.index(side[0]),
            parallel=tuple(ids[pathway.transitions[k].target] for k in side),
            parallel_waits=tuple(make_dist(pathway.transitions[k].wait,
                                           pathway.transitions[k].wait_days) for k in side),
            parallel_wait_keys=tuple(stream_key(f"wait:{pathway.transitions[k].key}")
                                     for k in side),
        ) if len(side) > 1 else {}
        waits = tuple(make_dist(pathway.transitions[k].wait, pathway.transitions[k].wait_days)
                      for k in branches)
        activity = s.activity.value if s.activity is not None else None
        bed_resources = [u for u in uses if _is_bed_resource(pathway.resources[u])]
        any_bed_resource = any(_is_bed_resource(r) for r in pathway.resources)
        bed = bool(bed_resources) or (not any_bed_resource and activity in INPATIENT_ACTIVITIES)
        step_plans.append(StepPlan(
            index=i, id=s.id, name=s.name,
            duration=make_dist(s.duration, s.duration_days),
            capacity=int(s.capacity or 0), uses=tuple(sorted(set(uses))),
            cost_visit=cost_visit, cost_day=cost_day, bed=bed,
            surgery=activity == Activity.surgery.value and s.kind != StepKind.decision,
            listing=activity == Activity.listing.value,
            exit=s.kind == StepKind.exit,
            targets=targets, waits=waits, cumulative=tuple(cumulative),
            cancel=(),  # filled below, once reachability is known
            duration_key=stream_key(f"duration:{s.id}"),
            decision_key=stream_key(f"decision:{s.id}"),
            wait_keys=tuple(stream_key(f"wait:{pathway.transitions[k].key}") for k in branches),
            **fork,
        ))

    step_plans, join_warnings = _place_joins(step_plans)
    entry = entries[0]
    reach = _reachable(step_plans, entry)
    _check_no_endless_loop(pathway, step_plans, reach, routing)
    step_plans = _mark_cancellations(pathway, step_plans)

    horizon_weeks = float(weeks if weeks is not None else
                          flow.horizon_weeks or DEFAULT_HORIZON_WEEKS)
    if not (horizon_weeks > 0 and math.isfinite(horizon_weeks)):
        raise FlowInputError("--weeks", f"the horizon must be a positive number of weeks, "
                             f"not {horizon_weeks:g}")
    warmup_weeks = float(flow.warmup_weeks if flow.warmup_weeks is not None
                         else DEFAULT_WARMUP_WEEKS)
    if flow.arrivals.per_week is not None:
        arrivals = ((0.0, flow.arrivals.per_week / 7.0),)
    else:
        arrivals = tuple((w * 7.0, r / 7.0) for w, r in flow.arrivals.schedule)
        if arrivals[0][0] > 0:
            arrivals = ((0.0, 0.0),) + arrivals
    cohort_tuple = (tuple((c.id, c.name, c.share) for c in cohorts) if cohorts
                    else (("", "All patients", 1.0),))
    running, cum = 0.0, []
    for _, _, share in cohort_tuple:
        running += share
        cum.append(running)
    cum[-1] = 1.0 + 1e-12
    cost_years = list(dict.fromkeys(c.year for c in pathway.costs if c.year))
    plan = Plan(
        scenario=scenario_id or BASELINE,
        scenario_name=_scenario_name(base, scenario_id),
        steps=tuple(step_plans), entry=entry,
        resources=tuple((r.id, r.name, r.capacity) for r in pathway.resources),
        cohorts=cohort_tuple, cohort_cumulative=tuple(cum),
        arrivals=arrivals, warmup_days=warmup_weeks * 7.0,
        horizon_days=horizon_weeks * 7.0,
        cancer=_is_cancer(pathway),
        currency=flow.currency or DEFAULT_CURRENCY,
        cost_year=", ".join(cost_years),
    )
    warnings = _stability(plan, routing, reach) + [
        w for i, w in join_warnings if i in reach]
    return Plan(**{**plan.__dict__, "warnings": tuple(warnings)})


def _scenario_name(pathway: Pathway, scenario_id: str | None) -> str:
    for s in pathway.scenarios:
        if s.id == scenario_id:
            return s.name
    return "Baseline (the pathway as drawn)"


def _branch_probability(transition, cohort) -> float:
    if cohort is not None and cohort.id in transition.probability_by_cohort:
        return transition.probability_by_cohort[cohort.id]
    return transition.probability if transition.probability is not None else 1.0


def _is_cancer(pathway: Pathway) -> bool:
    words = [*pathway.tags, *pathway.specialties, pathway.title, pathway.population or ""]
    return any("cancer" in w.lower() or "oncolog" in w.lower() for w in words)


def _reachable(steps: list[StepPlan], start: int, positive_only: bool = False) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        i = todo.pop()
        s = steps[i]
        for b, j in [*enumerate(s.targets), *((s.fork_branch, j) for j in s.parallel)]:
            if positive_only and not _branch_possible(s, b):
                continue
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


def _place_joins(steps: list[StepPlan]) -> tuple[list[StepPlan], list[tuple[int, str]]]:
    """Where each fork's parallel branches meet (its ``join``), and warnings.

    The join is the fork's nearest post-dominator: the first step every route from
    the fork passes (the dominators of the reversed graph, rooted at a sink that every
    way out leads to). When some route leaves the pathway before the branches meet
    (e.g. a decision not to operate on one branch), that is the sink; the join is then
    the first step all the branches can reach (the one step of their common steps that
    no other common step leads to). Branches with no such step never meet.
    """
    import networkx as nx

    forks = [s for s in steps if s.parallel]
    if not forks:
        return steps, []
    sink = -1
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(steps)))
    for s in steps:
        if s.exit or not (s.targets or s.parallel):
            graph.add_edge(s.index, sink)
            continue
        graph.add_edges_from((s.index, j) for j in (*s.targets, *s.parallel))
    idom = nx.immediate_dominators(graph.reverse(copy=False), sink)
    warnings = []
    out = list(steps)
    for s in forks:
        join = sink
        if all(j in idom for j in s.parallel):
            chains = []
            for j in s.parallel:
                chain = [j]
                while chain[-1] != sink:
                    chain.append(idom[chain[-1]])
                chains.append(chain)
            others = [set(c) for c in chains[1:]]
            join = next(n for n in chains[0] if all(n in o for o in others))
        if join == sink:
            common = set.intersection(*({j, *nx.descendants(graph, j)} for j in s.parallel))
            common.discard(sink)
            firsts = [n for n in common
                      if not any(m != n and n in nx.descendants(graph, m) for m in common)]
            join = firsts[0] if len(firsts) == 1 else sink
        if join == sink:
            warnings.append((s.index, f"the parallel branches from '{s.name}' never meet: "
                             "each runs to its own end and the patient leaves when the last "
                             "one does"))
        out[s.index] = StepPlan(**{**s.__dict__, "join": join})
    return out, warnings


def _branch_possible(step: StepPlan, branch: int) -> bool:
    for acc in step.cumulative:
        low = acc[branch - 1] if branch else 0.0
        if acc[branch] - low > 0:
            return True
    return False


def _check_no_endless_loop(pathway: Pathway, steps: list[StepPlan], reach: set[int],
                           routing) -> None:
    # a patient leaves from an exit or from a step with no way out; from every step a
    # patient can reach, some leaving step must be reachable with probability > 0
    before: dict[int, list[int]] = {s.index: [] for s in steps}
    for s in steps:
        for b, j in enumerate(s.targets):
            if _branch_possible(s, b):
                before[j].append(s.index)
    todo = [s.index for s in steps if s.exit or not s.targets]
    can_leave: set[int] = set(todo)
    while todo:                      # walk back from the ways out
        for i in before[todo.pop()]:
            if i not in can_leave:
                can_leave.add(i)
                todo.append(i)
    stuck = [i for i in sorted(reach) if i not in can_leave]
    if not stuck:
        return
    # name the loop, not the steps that lead into it: prefer a branch point inside it
    # with a branch that nobody takes (probability 0), else any step on the loop
    looping = [i for i in stuck
               if any(i in _reachable(steps, j) for j in steps[i].targets)]
    for i in looping:
        s = steps[i]
        closed = [b for b in range(len(s.targets)) if not _branch_possible(s, b)]
        if closed:
            dest = steps[s.targets[closed[0]]].id
            k = next(n for n, t in enumerate(pathway.transitions)
                     if t.source == s.id and t.target == dest)
            where = f"transitions[{k}].probability"
            break
    else:
        s = steps[(looping or stuck)[0]]
        where = f"steps[{s.index}]"
    raise FlowInputError(where, f"patients who reach '{s.name}' go round a loop for ever "
                         "(with probability 1 they never reach an exit): give a branch "
                         "out of the loop a probability above 0")


def _mark_cancellations(pathway: Pathway, steps: list[StepPlan]) -> list[StepPlan]:
    """Branches of a day-of-surgery decision that do not go on to the operation.

    A decision whose activity is ``admission`` or ``surgery`` (the check on the day)
    cancels when a branch leads back into the pathway (a loop) or to an exit.
    """
    out = []
    for s in steps:
        step = pathway.steps[s.index]
        activity = step.activity.value if step.activity is not None else None
        on_the_day = (step.kind == StepKind.decision and len(s.targets) > 1
                      and activity in (Activity.admission.value, Activity.surgery.value))
        flags = [on_the_day and (steps[j].exit or s.index in _reachable(steps, j))
                 for j in s.targets]
        out.append(StepPlan(**{**s.__dict__, "cancel": tuple(flags)}))
    return out


def _stability(plan: Plan, routing, reach: set[int]) -> list[str]:
    """Warnings for capacities that arrivals exceed (the waiting list grows without bound)."""
    from designer.sim.traffic import traffic_with_branches

    rate = plan.arrivals[-1][1]          # patients a day in the long run
    visits, _, journey = traffic_with_branches(plan, routing)
    load_resource = [0.0] * len(plan.resources)
    warnings = []
    for s in plan.steps:
        if s.index not in reach:
            continue
        offered = rate * visits[s.index] * s.duration.mean   # busy servers needed
        if s.capacity and offered >= s.capacity:
            warnings.append(f"unstable: waiting list grows without bound at '{s.name}': "
                            f"{offered:.3g} patients would be served at once on average, "
                            f"but its capacity is {s.capacity}")
        for r in s.uses:
            load_resource[r] += offered
    for r, (rid, name, capacity) in enumerate(plan.resources):
        if load_resource[r] >= capacity:
            warnings.append(f"unstable: waiting list grows without bound at '{name}': "
                            f"{load_resource[r]:.3g} are needed at once on average, but "
                            f"its capacity is {capacity}")
    if plan.warmup_days < journey and math.isfinite(journey):
        warnings.append(f"the warm-up ({plan.warmup_days / 7:.3g} weeks) is shorter than a "
                        f"patient's expected time through the pathway ({journey / 7:.3g} weeks, "
                        "queues not counted): results include the pathway filling up; "
                        "lengthen flow.warmup_weeks")
    return warnings
