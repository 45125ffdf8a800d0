"""One replication of a :class:`~designer.sim.plan.Plan` on SimPy.

Patients arrive at the entry step (Poisson, or a weekly schedule) and walk the
drawn pathway. Pure-delay steps and transition waits need no queue, so a
patient's time through them is worked out directly; SimPy takes over only where
patients can queue: a step with its own ``capacity`` or one that ``uses`` shared
resources. At a fork each parallel branch walks its pure delays the same way; only
a branch that reaches a queued step (or a fork of its own) becomes a SimPy process,
and the patient goes on from the join when the last branch has arrived. Results
cover the window after the warm-up; a stay or a busy period that crosses the
window's edges counts for the part inside it.

Random numbers come from one stream per purpose (arrivals, cohort assignment,
each step's durations, each decision, each transition's wait), each seeded from
``SeedSequence(seed, spawn_key=(replication, purpose))``. Two scenarios therefore
draw the same numbers for the same purpose (common random numbers), and a
replication gives the same numbers wherever it runs.

The result of a replication is flat (``{"metrics.cost_per_year": x, ...}`` plus two
short series); no patient log is kept unless ``trace=True``.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import simpy
from simpy.events import URGENT
from simpy.resources.resource import Release

from designer.sim.plan import (
    DAYS_PER_YEAR, EXPONENTIAL, FIXED, LOGNORMAL, TRIANGULAR, UNIFORM, Dist, Plan, stream_key,
)

_BLOCK = 512
RTT_TARGET_DAYS = 18 * 7
CANCER_31, CANCER_62 = 31.0, 62.0
#: weekly bins of the RTT histogram (the last bin holds everything longer)
RTT_BINS = 105

_ARRIVALS = stream_key("arrivals")
_COHORT = stream_key("cohort")


class _Stream:
    """Buffered draws of one kind from one generator (scalar numpy calls are slow)."""

    __slots__ = ("_draw", "_buf", "_pos")

    def __init__(self, seed: int, replication: int, key: int, kind: str) -> None:
        generator = np.random.Generator(np.random.PCG64(
            np.random.SeedSequence(seed, spawn_key=(replication, key))))
        self._draw = {"u": generator.random, "n": generator.standard_normal,
                      "e": generator.standard_exponential}[kind]
        self._buf: list[float] = []
        self._pos = 0

    def __call__(self) -> float:
        if self._pos >= len(self._buf):
            self._buf = self._draw(_BLOCK).tolist()
            self._pos = 0
        value = self._buf[self._pos]
        self._pos += 1
        return value


def _sampler(dist: Dist, seed: int, replication: int, key: int) -> Callable[[], float]:
    code, a, b, c = dist.code, dist.a, dist.b, dist.c
    if code == FIXED:
        return lambda: a
    if code == EXPONENTIAL:
        e = _Stream(seed, replication, key, "e")
        return lambda: a * e()
    if code == LOGNORMAL:
        n = _Stream(seed, replication, key, "n")
        exp = math.exp
        return lambda: exp(a + b * n())
    u = _Stream(seed, replication, key, "u")
    if code == UNIFORM:
        return lambda: a + (b - a) * u()
    if code == TRIANGULAR:
        width = c - a
        if width <= 0:
            return lambda: a
        cut = (b - a) / width
        sqrt = math.sqrt

        def triangular() -> float:
            v = u()
            if v < cut:
                return a + sqrt(v * width * (b - a))
            return c - sqrt((1.0 - v) * width * (c - b))
        return triangular
    raise ValueError(f"unknown distribution code {code}")  # pragma: no cover


class _Patient:
    """A patient, or one parallel branch of a patient (``root`` is the whole patient).

    The clocks and flags (treated, listed, on the list) live on the root, so branches
    share them; ``step`` and ``t`` are where this branch is.
    """

    __slots__ = ("pid", "cohort", "arrived", "step", "t", "treated", "listed", "on_list",
                 "root", "forking")

    def __init__(self, pid: int, cohort: int, arrived: float, step: int,
                 root: "_Patient | None" = None) -> None:
        self.pid, self.cohort, self.arrived, self.step = pid, cohort, arrived, step
        self.t = arrived
        self.treated = False
        self.listed: float | None = None
        self.on_list = True
        self.root = root if root is not None else self
        self.forking = -1           # the fork step just finished, waiting to split


# what a stretch of a patient's walk ended with
_LEAVE, _QUEUE, _FORK, _JOIN, _END = range(5)

#: run every parallel branch as a SimPy process of its own, even one that reaches the
#: join by pure delays (slower; the reference the tests compare the fast way with)
_EVERY_BRANCH_A_PROCESS = False


def run_replication(plan: Plan, seed: int, replication: int, trace: bool = False
                    ) -> dict[str, Any]:
    """Simulate one replication; returns its flat results (see module docstring)."""
    env = simpy.Environment()
    steps = plan.steps
    n_steps, n_res, n_coh = len(steps), len(plan.resources), len(plan.cohorts)
    W, E = plan.warmup_days, plan.end_days
    weeks = int(plan.horizon_days // 7)

    durations = [_sampler(s.duration, seed, replication, s.duration_key) for s in steps]
    decisions = [_Stream(seed, replication, s.decision_key, "u") if len(s.targets) > 1
                 else None for s in steps]
    waits = [[_sampler(w, seed, replication, k) for w, k in zip(s.waits, s.wait_keys)]
             for s in steps]
    parallel_waits = [[_sampler(w, seed, replication, k)
                       for w, k in zip(s.parallel_waits, s.parallel_wait_keys)] for s in steps]
    servers = [simpy.Resource(env, s.capacity) if s.capacity else None for s in steps]
    shared = [simpy.Resource(env, cap) for _, _, cap in plan.resources]

    visits = [0] * n_steps
    started = [0] * n_steps
    wait_sum = [0.0] * n_steps
    busy = [0.0] * n_steps
    step_cost = [0.0] * n_steps
    res_busy = [0.0] * n_res
    res_wait = [0.0] * n_res
    res_started = [0] * n_res
    completed = [0] * n_coh
    arrivals_in = [0] * n_coh
    cancelled = [0] * n_coh
    bed_days = [0.0] * n_coh
    cost = [0.0] * n_coh
    rtts: list[list[float]] = [[] for _ in range(n_coh)]
    c31 = [[0, 0] for _ in range(n_coh)]
    c62 = [[0, 0] for _ in range(n_coh)]
    on_list_diff = [0] * (weeks + 2)
    on_list_end = [0] * n_coh
    # per cohort, changes to the waiting list and to those on it who have waited 18
    # weeks or more, binned like on_list_diff (the snapshots of incomplete pathways)
    cohort_list_diff = [[0] * (weeks + 2) for _ in range(n_coh)]
    long_diff = [[0] * (weeks + 2) for _ in range(n_coh)]
    n_events = 0
    leaves = [s.exit or not (s.targets or s.parallel) for s in steps]
    chooses = [len(s.targets) > 1 for s in steps]
    queued = [bool(s.capacity or s.uses) for s in steps]
    log: list[tuple[float, int, str, str]] | None = [] if trace else None

    def list_change(t: float, delta: int, cohort: int, t_long: float) -> None:
        """The waiting list changes by ``delta`` at ``t``, and those on it who have
        waited 18 weeks or more at ``t_long``; each change is binned to the first
        weekly snapshot (at W + 7k) that sees it."""
        k = math.ceil((t - W) / 7.0) if t > W else 0
        k = k if k <= weeks + 1 else weeks + 1
        on_list_diff[k] += delta
        cohort_list_diff[cohort][k] += delta
        k = math.ceil((t_long - W) / 7.0) if t_long > W else 0
        long_diff[cohort][k if k <= weeks + 1 else weeks + 1] += delta
        if t < E:
            on_list_end[cohort] += delta

    def leave_list(p: _Patient, t: float) -> None:
        p = p.root
        if p.on_list:
            p.on_list = False
            # a long wait counted from 18 weeks after referral ends when the clock
            # stops; one that stops sooner cancels the count it would have started
            long_from = p.arrived + RTT_TARGET_DAYS
            list_change(t, -1, p.cohort, t if t > long_from else long_from)

    def start_service(p: _Patient, s, t: float, d: float) -> None:
        """Bookkeeping when patient ``p`` starts step ``s`` at ``t`` for ``d`` days."""
        nonlocal n_events
        n_events += 1
        c = p.cohort
        p = p.root
        if s.surgery and not p.treated:
            p.treated = True
            leave_list(p, t)
            if W <= t < E:
                rtt = t - p.arrived
                rtts[c].append(rtt)
                if plan.cancer:
                    c62[c][0] += 1
                    c62[c][1] += rtt <= CANCER_62
                    if p.listed is not None:
                        c31[c][0] += 1
                        c31[c][1] += t - p.listed <= CANCER_31
        if s.listing and p.listed is None:
            p.listed = t
        end = t + d                     # the part of [t, end] inside the window
        lo = t if t > W else W
        hi = end if end < E else E
        inside = hi - lo if hi > lo else 0.0
        spent = s.cost_day * inside
        if W <= t < E:
            spent += s.cost_visit
        if spent:
            cost[c] += spent
            step_cost[s.index] += spent
        if s.bed:
            bed_days[c] += inside
        if s.capacity:
            busy[s.index] += inside
        for r in s.uses:
            res_busy[r] += inside
        if log is not None:
            log.append((t, p.pid, s.id, "start"))
            log.append((t + d, p.pid, s.id, "end"))

    def after_step(p: _Patient, s, t: float) -> bool:
        """Move ``p`` on from step ``s`` finished at ``t``; False when the patient leaves."""
        if leaves[s.index]:
            p.t = t
            if p.root is not p:         # a branch ends; the patient leaves after all do
                if log is not None:
                    log.append((t, p.pid, s.id, "branch ends"))
                return False
            leave_list(p, t)
            if W <= t < E:
                completed[p.cohort] += 1
            if log is not None:
                log.append((t, p.pid, s.id, "leave"))
            return False
        if not chooses[s.index]:
            b = 0
        else:
            v = decisions[s.index]()
            acc = s.cumulative[p.cohort]
            b = 0
            while v >= acc[b]:
                b += 1
            if s.cancel[b] and W <= t < E:
                cancelled[p.cohort] += 1
        if b == s.fork_branch:
            p.forking = s.index
            p.t = t
            return True
        p.step = s.targets[b]
        p.t = t + waits[s.index][b]()
        return True

    def walk(p: _Patient, stop: int = -1) -> int:
        """Advance ``p`` through pure delays until a queued step, a fork, ``stop`` or the end."""
        while True:
            if p.forking >= 0:
                return _FORK
            t = p.t
            if t >= E:
                return _END
            if p.step == stop:
                return _JOIN
            s = steps[p.step]
            if t >= W:
                visits[s.index] += 1
            if log is not None:
                log.append((t, p.pid, s.id, "arrive"))
            if queued[s.index]:
                return _QUEUE
            d = durations[s.index]()
            start_service(p, s, t, d)
            if not after_step(p, s, t + d):
                return _LEAVE

    def journey(p: _Patient, status: int, stop: int = -1):
        """Run ``p`` (stopped at a queued step or a fork) until it leaves, ends or meets ``stop``."""
        while True:
            if status == _QUEUE:
                status = yield from serve(p)
                if status == _QUEUE:
                    status = walk(p, stop)
            elif status == _FORK:
                status = yield from fork(p)
                if status == _QUEUE:
                    status = walk(p, stop)
            else:
                return status

    def fork(p: _Patient):
        """Split ``p`` at its fork; the parallel branches run side by side until the join.

        Each branch first walks its pure delays at once (as any patient does); only a
        branch that stops at a queued step or at a fork of its own goes on as a SimPy
        process, and the patient waits for those. A branch that reached the join (or
        left, or ran past the end) by pure delays needs no process.
        """
        s = steps[p.forking]
        p.forking = -1
        t0, join = p.t, s.join
        kids = [_Patient(p.pid, p.cohort, p.arrived, j, p.root) for j in s.parallel]
        for b, kid in enumerate(kids):
            kid.t = t0 + parallel_waits[s.index][b]()
        statuses = [walk(kid, join) for kid in kids]
        running = [(b, env.process(journey(kid, statuses[b], join)))
                   for b, kid in enumerate(kids)
                   if statuses[b] in (_QUEUE, _FORK) or _EVERY_BRANCH_A_PROCESS]
        if running:
            yield env.all_of([process for _, process in running])
            for b, process in running:
                statuses[b] = process.value
        elif not instant_is_quiet():
            yield branches_settled()    # others go first at this instant, as they always did
        p.t = max(kid.t for kid in kids)
        if _END in statuses or p.t >= E:
            return _END
        if join < 0 or _LEAVE in statuses:
            # the branches never meet, or one left the pathway before they met
            if p.root is not p:
                return _LEAVE
            leave_list(p, p.t)
            if W <= p.t < E:
                completed[p.cohort] += 1
            if log is not None:
                log.append((p.t, p.pid, s.id, "leave"))
            return _LEAVE
        p.step = join
        return _QUEUE           # go on from the join (walk decides whether it queues)

    def instant_is_quiet() -> bool:
        """True when nothing due at this instant can draw a number or add to a sum:
        no event is due now but releases of units nobody is queueing for (processing
        those grants nothing). A patient whose branches all ended by pure delays then
        goes on from the join at once, with the same draws and sums, in the same order,
        as when each branch was its own process."""
        queue, now = env._queue, env.now     # a heap: what is due now sits at its top
        todo = [0]
        while todo:
            i = todo.pop()
            if i < len(queue) and queue[i][0] == now:
                event = queue[i][3]
                if type(event) is not Release or event.resource.put_queue:
                    return False
                todo += (2 * i + 1, 2 * i + 2)
        return True

    def branches_settled() -> simpy.Event:
        """What a fork whose branches all ended by pure delays waits for when other
        events are due at the same instant.

        Three zero-time hops, where a process a branch would start (urgent) and end and
        their all-of fire: the events of the instant run in the same order as when every
        branch was its own process, so each stream's draws and every sum come in the
        same order (the same seed gives the same numbers).
        """
        settled = env.event()
        ended = env.event()
        ended.callbacks.append(lambda _: settled.succeed())
        started = env.event()
        started._ok, started._value = True, None
        started.callbacks.append(lambda _: ended.succeed())
        env.schedule(started, URGENT)
        return settled

    def serve(p: _Patient):
        """Serve ``p`` at its queued step; ``_QUEUE`` when it walks on, else ``_LEAVE``."""
        if p.t > env.now:
            yield env.timeout(p.t - env.now)
        s = steps[p.step]
        asked = env.now
        in_window = W <= asked < E
        held = []
        if s.capacity:
            req = servers[s.index].request()
            yield req
            held.append((servers[s.index], req))
        for r in s.uses:
            t_r = env.now
            req = shared[r].request()
            yield req
            held.append((shared[r], req))
            if in_window:
                res_wait[r] += env.now - t_r
                res_started[r] += 1
        t = env.now
        if in_window:
            wait_sum[s.index] += t - asked
            started[s.index] += 1
        d = durations[s.index]()
        start_service(p, s, t, d)
        yield env.timeout(d)
        for resource, req in held:
            resource.release(req)
        if not after_step(p, s, env.now):
            return _LEAVE
        return _QUEUE

    arrival_draw = _Stream(seed, replication, _ARRIVALS, "e")
    cohort_draw = _Stream(seed, replication, _COHORT, "u") if n_coh > 1 else None
    cohort_acc = plan.cohort_cumulative
    segments = plan.arrivals

    def arrivals():
        pid = 0
        t = 0.0
        seg = 0
        while t < E:
            rate = segments[seg][1]
            boundary = segments[seg + 1][0] if seg + 1 < len(segments) else math.inf
            gap = arrival_draw() / rate if rate > 0 else math.inf
            if t + gap >= boundary:
                t = boundary
                seg += 1
                if t > env.now and t < E:
                    yield env.timeout(t - env.now)
                continue
            t += gap
            if t >= E:
                return
            yield env.timeout(t - env.now)
            cohort = 0
            if cohort_draw is not None:
                v = cohort_draw()
                while v >= cohort_acc[cohort]:
                    cohort += 1
            p = _Patient(pid, cohort, t, plan.entry)
            pid += 1
            if t >= W:
                arrivals_in[cohort] += 1
            list_change(t, +1, cohort, t + RTT_TARGET_DAYS)
            status = walk(p)
            if status in (_QUEUE, _FORK):
                env.process(journey(p, status))

    env.process(arrivals())
    env.run(until=E)
    return _summarise(plan, locals_=dict(
        visits=visits, started=started, wait_sum=wait_sum, busy=busy, step_cost=step_cost,
        res_busy=res_busy, res_wait=res_wait, res_started=res_started, completed=completed,
        arrivals_in=arrivals_in, cancelled=cancelled, bed_days=bed_days, cost=cost,
        rtts=rtts, c31=c31, c62=c62, on_list_diff=on_list_diff, on_list_end=on_list_end,
        cohort_list_diff=cohort_list_diff, long_diff=long_diff,
        events=n_events, log=log, weeks=weeks))


def _quantile(values: list[float], q: float) -> float:
    return float(np.quantile(values, q)) if values else math.nan


def _share(hits: float, total: float) -> float:
    return hits / total if total else math.nan


def _snapshots(diffs: list[list[int]], weeks: int) -> list[int]:
    """Counts at the weekly snapshots ``W + 7k`` (k = 0 .. weeks) from binned changes
    (summed over the given lists, one per cohort)."""
    counts, running = [], 0
    for k in range(weeks + 1):
        running += sum(d[k] for d in diffs)
        counts.append(running)
    return counts


def _summarise(plan: Plan, locals_: dict[str, Any]) -> dict[str, Any]:
    v = locals_
    years = plan.horizon_days / DAYS_PER_YEAR
    weeks = v["weeks"]
    out: dict[str, Any] = {}

    def block(prefix: str, cohorts: list[int]) -> None:
        completed = sum(v["completed"][c] for c in cohorts)
        rtts = [x for c in cohorts for x in v["rtts"][c]]
        cost = sum(v["cost"][c] for c in cohorts)
        weeks_rtt = [x / 7.0 for x in rtts]
        out[f"{prefix}patients_completed_per_year"] = completed / years
        out[f"{prefix}rtt_weeks_median"] = _quantile(weeks_rtt, 0.5)
        out[f"{prefix}rtt_weeks_p90"] = _quantile(weeks_rtt, 0.9)
        out[f"{prefix}rtt_within_18_weeks"] = _share(
            sum(1 for x in rtts if x <= RTT_TARGET_DAYS), len(rtts))
        # incomplete pathways: at the end of each simulated week, the share of those
        # still waiting who have waited under 18 weeks, pooled over the weeks
        waiting = sum(_snapshots([v["cohort_list_diff"][c] for c in cohorts], weeks)[1:])
        long = sum(_snapshots([v["long_diff"][c] for c in cohorts], weeks)[1:])
        out[f"{prefix}rtt_incomplete_under_18_weeks"] = _share(waiting - long, waiting)
        out[f"{prefix}waiting_list_end"] = float(sum(v["on_list_end"][c] for c in cohorts))
        out[f"{prefix}cancellations_on_the_day_per_year"] = (
            sum(v["cancelled"][c] for c in cohorts) / years)
        out[f"{prefix}bed_days_per_year"] = sum(v["bed_days"][c] for c in cohorts) / years
        out[f"{prefix}cost_per_year"] = cost / years
        out[f"{prefix}cost_per_patient"] = cost / completed if completed else math.nan
        out[f"{prefix}referrals_per_year"] = sum(v["arrivals_in"][c] for c in cohorts) / years
        if plan.cancer:
            c31 = [sum(v["c31"][c][i] for c in cohorts) for i in (0, 1)]
            c62 = [sum(v["c62"][c][i] for c in cohorts) for i in (0, 1)]
            out[f"{prefix}cancer_within_31_days"] = _share(c31[1], c31[0])
            out[f"{prefix}cancer_within_62_days"] = _share(c62[1], c62[0])

    everyone = list(range(len(plan.cohorts)))
    block("metrics.", everyone)
    for s in plan.steps:
        i = s.index
        out[f"steps.{s.id}.visits_per_year"] = v["visits"][i] / years
        # a pure delay has no queue: its patients wait 0 days by definition
        out[f"steps.{s.id}.wait_days_mean"] = (
            _share(v["wait_sum"][i], v["started"][i]) if s.queued else 0.0)
        if s.capacity:
            out[f"steps.{s.id}.utilisation"] = v["busy"][i] / (s.capacity * plan.horizon_days)
        if s.cost_visit or s.cost_day:
            out[f"steps.{s.id}.cost_per_year"] = v["step_cost"][i] / years
    for r, (rid, _, capacity) in enumerate(plan.resources):
        out[f"resources.{rid}.utilisation"] = v["res_busy"][r] / (capacity * plan.horizon_days)
        out[f"resources.{rid}.wait_days_mean"] = _share(v["res_wait"][r], v["res_started"][r])
    if plan.explicit_cohorts:
        for c, (cid, _, _) in enumerate(plan.cohorts):
            block(f"cohorts.{cid}.", [c])
    # the waiting list at the start of each simulated week after warm-up
    series, running = [], 0
    for k in range(v["weeks"] + 1):
        running += v["on_list_diff"][k]
        series.append(float(running))
    all_rtts = [x / 7.0 for c in everyone for x in v["rtts"][c]]
    hist = np.histogram(np.minimum(all_rtts, RTT_BINS - 0.5), bins=RTT_BINS,
                        range=(0, RTT_BINS))[0] if all_rtts else np.zeros(RTT_BINS)
    long_waits = _snapshots(v["long_diff"], weeks)
    result = {"values": out, "waiting_list": series,
              "waiting_over_18_weeks": [float(x) for x in long_waits],
              "rtt_histogram": [int(x) for x in hist], "events": v["events"]}
    if v["log"] is not None:
        result["trace"] = sorted(v["log"], key=lambda event: event[0])  # stable: in order
    return result
