"""Expected visits and journey time from a plan's routing (the pre-flight's warnings).

The traffic equations give each step's expected visits per arriving patient; a
step's offered load is then arrivals x visits x mean duration (the overload
warning), and the expected journey the sum of visits x time (the warm-up warning).
Parallel branches count in full: every patient who takes a fork walks each branch
as far as its join, and a fork takes the time of its longest branch.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from designer.sim.plan import Plan, StepPlan


def _traffic(nodes: list[int], routing: list[dict[int, float]], inflow: dict[int, float]
             ) -> dict[int, float]:
    """Expected visits to ``nodes`` (the traffic equations) for ``inflow`` arriving there.

    Flow leaving ``nodes`` is lost (an exit, or a join where a parallel branch stops).
    Solved one strongly connected part at a time, in flow order, so a long pathway
    costs little and only loops need a (small) linear solve.
    """
    import networkx as nx
    import numpy as np

    inside_all = set(nodes)
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((i, j) for i in nodes for j, p in routing[i].items()
                         if p > 0 and j in inside_all)
    parts = nx.condensation(graph)
    into = dict.fromkeys(nodes, 0.0)
    for i, amount in inflow.items():
        into[i] += amount
    visits = dict.fromkeys(nodes, 0.0)
    for part in nx.topological_sort(parts):
        members = sorted(parts.nodes[part]["members"])
        inside = set(members)
        if len(members) == 1 and members[0] not in routing[members[0]]:
            visits[members[0]] = into[members[0]]
        else:
            where = {m: k for k, m in enumerate(members)}
            a = np.eye(len(members))
            for m in members:
                for j, p in routing[m].items():
                    if j in inside:
                        a[where[j], where[m]] -= p
            try:
                solved = np.linalg.solve(a, [into[m] for m in members])
            except np.linalg.LinAlgError:
                solved = [math.inf] * len(members)
            for m, v in zip(members, solved):
                visits[m] = float(v)
        for m in members:
            for j, p in routing[m].items():
                if j not in inside and j in inside_all:
                    into[j] += visits[m] * p
    return visits


def _fork_share(plan: Plan, step: StepPlan) -> float:
    """The share of patients leaving ``step`` who take its parallel branches (all at once)."""
    if len(step.targets) <= 1:
        return 1.0
    b = step.fork_branch
    return min(1.0, sum(share * (acc[b] - (acc[b - 1] if b else 0.0))
                        for (_, _, share), acc in zip(plan.cohorts, step.cumulative)))


def _branch_steps(routing: list[dict[int, float]], start: int, stops: frozenset[int]
                  ) -> list[int]:
    """The steps a parallel branch starting at ``start`` can reach before a join in ``stops``."""
    if start in stops:
        return []
    seen, todo = {start}, [start]
    while todo:
        for j, p in routing[todo.pop()].items():
            if p > 0 and j not in seen and j not in stops:
                seen.add(j)
                todo.append(j)
    return sorted(seen)


def traffic_with_branches(plan: Plan, routing: list[dict[int, float]]
                           ) -> tuple[list[float], list[float], float]:
    """Visits per arriving patient on every branch, and the patient's expected journey.

    ``routing`` follows the first parallel branch of each fork on to its join (the
    patient's own route). Every other parallel branch is walked by every patient who
    takes the fork, as far as the join: its visits are added (they use the steps'
    capacity and resources like any other), and a fork takes the time of its longest
    branch. Returns (visits on every branch, visits on the patient's own route,
    expected days from arrival to leaving, queues not counted).
    """
    n = len(plan.steps)
    own = _traffic(list(range(n)), routing, {plan.entry: 1.0})
    main = [own[i] for i in range(n)]
    visits = list(main)
    tau = [_step_days(plan, s) for s in plan.steps]

    def branches(fork: StepPlan, stops: frozenset[int]):
        inner = stops | {fork.join} if fork.join >= 0 else stops
        for start, wait in zip(fork.parallel, fork.parallel_waits):
            nodes = _branch_steps(routing, start, inner)
            yield wait, nodes, _traffic(nodes, routing, {start: 1.0}) if nodes else {}, inner

    def longer(fork: StepPlan, stops: frozenset[int], chain: tuple[int, ...]) -> float:
        """Days the longest branch of ``fork`` adds to its first (the patient's route)."""
        times = []
        for wait, nodes, flow, inner in branches(fork, stops):
            days = wait.mean + sum(flow[x] * tau[x] for x in nodes)
            for x in nodes:
                g = plan.steps[x]
                if g.parallel and flow[x] > 0 and x not in chain:
                    days += flow[x] * _fork_share(plan, g) * longer(g, inner, chain + (x,))
            times.append(days)
        return max(0.0, max(times) - times[0]) if times else 0.0

    forks = [s for s in plan.steps if s.parallel and main[s.index] > 0]
    journey = sum(main[i] * tau[i] for i in range(n)) + sum(
        main[f.index] * _fork_share(plan, f) * longer(f, frozenset(), (f.index,))
        for f in forks)
    todo = [(f.index, main[f.index], frozenset(), (f.index,)) for f in forks]
    while todo:
        index, amount, stops, chain = todo.pop()
        fork = plan.steps[index]
        taken = amount * _fork_share(plan, fork)
        for k, (_, nodes, flow, inner) in enumerate(branches(fork, stops)):
            if k == 0:
                continue            # the first branch is the patient's own route
            for x in nodes:
                visits[x] += taken * flow[x]
                g = plan.steps[x]
                if g.parallel and flow[x] > 0 and x not in chain:
                    todo.append((x, taken * flow[x], inner, chain + (x,)))
    return visits, main, journey


def visits_per_patient(plan: Plan, routing: list[dict[int, float]]) -> list[float]:
    """Expected visits to each step per arriving patient, every parallel branch included."""
    return traffic_with_branches(plan, routing)[0]


def _step_days(plan: Plan, s: StepPlan) -> float:
    """Mean days a visit to ``s`` adds to a journey: its duration and the wait after it."""
    shares = [share for _, _, share in plan.cohorts]
    wait = 0.0
    if s.targets:
        for b, dist in enumerate(s.waits):
            p = sum(sh * (acc[b] - (acc[b - 1] if b else 0.0))
                    for sh, acc in zip(shares, s.cumulative)) if len(s.targets) > 1 else 1.0
            wait += min(p, 1.0) * dist.mean
    return s.duration.mean + wait
