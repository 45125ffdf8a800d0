"""Fast look-ups over one pathway for the rules and the timeline.

The rules run many queries against one pathway, so :class:`PathwayIndex` holds
plain-dict adjacency lists and caches (steps by id, reachable sets, the loop
backs, a topological order, the schedule). :func:`index_for` keeps one index per
graph. The networkx view itself is in :mod:`designer.graph.network`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from designer.graph.model import Activity, Channel, Pathway, SettingKind, Step, StepKind

if TYPE_CHECKING:  # networkx is imported only when a graph is really built
    import networkx as nx

_INDEX_KEY = "periop_index"
_ADJ_KEY = "periop_adjacency"


class _Adjacency(NamedTuple):
    """The pathway's structure in plain dicts (the storage networkx uses too)."""

    succ: dict[str, dict[str, dict]]       # step id -> {next id: {"transition": t}}
    succ_ids: dict[str, list[str]]         # next step ids, in file order
    pred_ids: dict[str, list[str]]         # previous step ids, in file order


def _adjacency(pathway: Pathway) -> _Adjacency:
    succ: dict[str, dict[str, dict]] = {}
    succ_ids: dict[str, list[str]] = {}
    pred_ids: dict[str, list[str]] = {}
    for s in pathway.steps:
        sid = s.id
        succ[sid] = {}
        succ_ids[sid] = []
        pred_ids[sid] = []
    for t in pathway.transitions:
        source, target = t.source, t.target
        if source in succ and target in succ:
            succ[source][target] = {"transition": t}
            succ_ids[source].append(target)
            pred_ids[target].append(source)
    return _Adjacency(succ, succ_ids, pred_ids)


def _digraph(pathway: Pathway, adjacency: _Adjacency) -> "nx.DiGraph":
    import networkx as nx

    graph = nx.DiGraph(pathway=pathway)
    # Filled through networkx's own storage dicts (what add_nodes_from and
    # add_edges_from do, less their per-item checks): the editor rebuilds the
    # graph on every edit, and this is several times faster on large pathways.
    # test_network checks the result equals a graph built the public way.
    graph._node.update((s.id, {"step": s}) for s in pathway.steps)
    graph._adj.update(adjacency.succ)
    pred = graph._pred
    pred.update((sid, {}) for sid in adjacency.succ)
    for source, row in adjacency.succ.items():
        for target, data in row.items():
            pred[target][source] = data
    graph.graph[_ADJ_KEY] = adjacency
    return graph


def _same_shape(adjacency: _Adjacency, graph: "nx.DiGraph") -> bool:
    return (len(adjacency.succ) == len(graph._node)
            and sum(map(len, adjacency.succ_ids.values()))
            == sum(map(len, graph._adj.values())))


class LazyGraph:
    """Stands in for the pathway's :class:`networkx.DiGraph` and builds it on first use.

    :func:`~designer.graph.validate.validate` hands this to the rules when the
    caller gave no graph: the rules use the shared :class:`PathwayIndex`
    (``index_for(pathway, graph)``) and rarely need networkx, so validation does
    not pay for building the graph or importing networkx. Attribute access,
    ``len``, ``in``, iteration and ``graph[node]`` are passed to the real graph.
    """

    __slots__ = ("index",)

    def __init__(self, index: "PathwayIndex") -> None:
        self.index = index

    @property
    def digraph(self) -> "nx.DiGraph":
        """The real graph (built now if needed)."""
        return self.index.graph

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index.graph, name)

    def __len__(self) -> int:
        return len(self.index.steps)

    def __iter__(self) -> Iterator[str]:
        return iter(self.index.graph)

    def __contains__(self, node: object) -> bool:
        return node in self.index.steps

    def __getitem__(self, node: str) -> Any:
        return self.index.graph[node]


class PathwayIndex:
    """Look-ups shared by the rules and the timeline during one validation.

    Built once per graph (see :func:`index_for`); every property is computed on
    first use and cached. Adjacency follows transitions in file order and skips
    transitions that name unknown steps.
    """

    def __init__(self, pathway: Pathway, graph: "nx.DiGraph | None" = None) -> None:
        self.pathway = pathway
        self._graph = graph
        if graph is None:
            adjacency = _adjacency(pathway)
        else:
            adjacency = graph.graph.get(_ADJ_KEY)
            if adjacency is None or not _same_shape(adjacency, graph):
                # a graph from elsewhere, or edited since it was built
                adjacency = _Adjacency(
                    graph._adj,
                    {n: list(cs) for n, cs in graph._adj.items()},
                    {n: list(ps) for n, ps in graph._pred.items()})
        self._adjacency = adjacency
        self.settings = {s.id: s for s in pathway.settings}
        self.roles = {r.id: r for r in pathway.roles}
        self._classify(pathway)
        # adjacency as lists of step ids in file order (lists iterate faster than
        # dicts, and every rule walks them)
        self.succ: dict[str, list[str]] = adjacency.succ_ids
        self.pred: dict[str, list[str]] = adjacency.pred_ids
        self._edges = adjacency.succ

    @property
    def graph(self) -> "nx.DiGraph":
        """The pathway's :class:`networkx.DiGraph` (built on first use)."""
        if self._graph is None:
            self._graph = _digraph(self.pathway, self._adjacency)
            self._graph.graph[_INDEX_KEY] = self
        return self._graph

    @property
    def edges(self) -> dict[str, dict[str, dict]]:
        """``edges[a][b]["transition"]``: the transitions between known steps."""
        return self._edges

    def _classify(self, pathway: Pathway) -> None:
        # One pass over the steps for every grouping the rules ask for: each
        # rule then reads a short list instead of scanning all steps again.
        steps: dict[str, Step] = {}
        by_kind: dict[StepKind, list[str]] = {kind: [] for kind in StepKind}
        by_activity: dict[Activity, list[str]] = {}
        by_channel: dict[Channel, list[str]] = {}
        setting_of: dict[str, str | None] = {}
        owner_of: dict[str, str | None] = {}
        phases: set = set()
        for step in pathway.steps:
            sid = step.id
            steps[sid] = step
            by_kind[step.kind].append(sid)
            activity = step.activity
            if activity is not None:
                if activity in by_activity:
                    by_activity[activity].append(sid)
                else:
                    by_activity[activity] = [sid]
            channel = step.channel
            if channel is not None:
                by_channel.setdefault(channel, []).append(sid)
            setting_of[sid] = step.setting
            owner_of[sid] = step.owner
            phases.add(step.phase)
        self.steps = steps
        self.by_kind = by_kind
        self.by_activity = by_activity
        self.by_channel = by_channel
        self.setting_of = setting_of
        self.owner_of = owner_of
        self.phases = phases

    def transition(self, source: str, target: str):
        """The :class:`~designer.graph.model.Transition` from ``source`` to ``target``."""
        return self._edges[source][target]["transition"]

    def has_transition(self, source: str, target: str) -> bool:
        return target in self._edges.get(source, ())

    @cached_property
    def dangling(self) -> dict[str, list]:
        """Transitions from a known step to an unknown one, by source."""
        steps = self.steps
        out: dict[str, list] = {}
        if self.edge_count == len(self.pathway.transitions):
            return out  # every transition joins two known steps
        for t in self.pathway.transitions:
            if t.target not in steps and t.source in steps:
                out.setdefault(t.source, []).append(t)
        return out

    @cached_property
    def edge_count(self) -> int:
        """Transitions between two known steps."""
        return sum(map(len, self.succ.values()))

    @cached_property
    def handoffs(self) -> list[tuple]:
        """``(transition, handoff)`` for every transition that has a handoff."""
        self._split_handoffs()
        return self.__dict__["handoffs"]

    @cached_property
    def without_handoff(self) -> list:
        """Transitions that have no handoff."""
        self._split_handoffs()
        return self.__dict__["without_handoff"]

    def _split_handoffs(self) -> None:
        with_, without = [], []
        for t in self.pathway.transitions:
            h = t.handoff
            if h is None:
                without.append(t)
            else:
                with_.append((t, h))
        self.__dict__["handoffs"] = with_
        self.__dict__["without_handoff"] = without

    def outgoing(self, step_id: str) -> list:
        """Transitions leaving ``step_id`` (those to unknown steps last)."""
        known = [d["transition"] for d in self._edges.get(step_id, {}).values()]
        return known + self.dangling.get(step_id, []) if self.dangling else known

    # --------------------------------------------------------------- look-ups

    def name(self, step_id: str) -> str:
        """The step's name in quotes for messages (its id when it has none)."""
        step = self.steps.get(step_id)
        return f"'{step.name}'" if step is not None else f"'{step_id}'"

    def setting_kind(self, step_id: str) -> SettingKind | None:
        """The kind of the step's setting, or None when unset or unknown."""
        return self.setting_kinds.get(step_id)

    @cached_property
    def setting_kinds(self) -> dict[str, SettingKind | None]:
        """The kind of each step's setting (None when unset or unknown)."""
        kinds = {sid: s.kind for sid, s in self.settings.items()}
        get = kinds.get
        return {sid: get(setting) for sid, setting in self.setting_of.items()}

    def with_activity(self, *activities: Activity) -> list[str]:
        """Step ids having any of ``activities``, in file order of activity groups."""
        out: list[str] = []
        for activity in activities:
            out.extend(self.by_activity.get(activity, ()))
        return out

    @property
    def entries(self) -> list[str]:
        return self.by_kind[StepKind.entry]

    @property
    def exits(self) -> list[str]:
        return self.by_kind[StepKind.exit]

    # ----------------------------------------------------------- reachability

    def reach(self, starts: Iterable[str], *, reverse: bool = False,
              avoid: set[str] | frozenset[str] = frozenset(),
              include_starts: bool = True, forward_only: bool = False) -> set[str]:
        """Steps reachable from ``starts``.

        Parameters
        ----------
        starts
            Step ids to start from.
        reverse
            Follow transitions backwards (who can reach ``starts``).
        avoid
            Steps the search may arrive at but never passes through.
        include_starts
            When False, a start is in the result only if reached again by a route
            of one or more transitions.
        forward_only
            Ignore the loop-back transitions.
        """
        if forward_only:
            adjacency = self.forward_pred if reverse else self.forward_succ
        else:
            adjacency = self.pred if reverse else self.succ
        seen: set[str] = set()
        stack: list[str] = []
        for s in starts:
            if s in adjacency:
                for n in ((s,) if include_starts else adjacency[s]):
                    if n not in seen:
                        seen.add(n)
                        stack.append(n)
        # depth first with a list: the order does not matter for a set, and
        # list.pop is the cheapest queue
        pop, push, add = stack.pop, stack.append, seen.add
        if avoid:
            stack[:] = [n for n in stack if n not in avoid]
            while stack:
                for n in adjacency[pop()]:
                    if n not in seen:
                        add(n)
                        if n not in avoid:
                            push(n)
        else:
            while stack:
                for n in adjacency[pop()]:
                    if n not in seen:
                        add(n)
                        push(n)
        return seen

    def finds(self, start: str, is_goal: Callable[[str], bool], *,
              reverse: bool = False) -> bool:
        """True when a route of one or more transitions from ``start`` meets a goal.

        Stops at the first goal, so it is cheap when goals are near; rules use it
        for a handful of starts and fall back to :meth:`reach` for many.
        """
        adjacency = self.pred if reverse else self.succ
        if start not in adjacency:
            return False
        seen = {start}
        stack = [start]
        while stack:
            for n in adjacency[stack.pop()]:
                if is_goal(n):
                    return True
                if n not in seen:
                    seen.add(n)
                    stack.append(n)
        return False

    def starts_reaching(self, starts: Iterable[str], goals: set[str] | frozenset[str], *,
                        avoid: set[str] | frozenset[str] = frozenset(),
                        budget: int = 64) -> set[str]:
        """Which of ``starts`` reach a goal by one or more transitions, not via ``avoid``.

        Each start is searched on its own and the search stops at the first goal
        (goals are usually a step or two away). A search that grows past
        ``budget`` steps is settled by one sweep back from the goals instead, so
        the whole call stays linear in the size of the pathway.
        """
        succ = self.succ
        starts = list(starts)
        if len(starts) * 8 > len(succ):
            # many starts: one sweep back from the goals is cheaper
            swept = self.reach(goals, reverse=True, avoid=avoid, include_starts=False)
            return {s for s in starts if s in swept}
        found_: set[str] = set()
        unsettled: list[str] = []
        for start in starts:
            if start not in succ:
                continue
            seen = {start}
            stack = [start]
            hit = False
            while stack and not hit:
                for n in succ[stack.pop()]:
                    if n in goals:
                        hit = True
                        break
                    if n not in seen and n not in avoid:
                        seen.add(n)
                        stack.append(n)
                if len(seen) > budget:
                    break
            if hit:
                found_.add(start)
            elif stack:
                unsettled.append(start)
        if unsettled:
            swept = self.reach(goals, reverse=True, avoid=avoid, include_starts=False)
            found_.update(s for s in unsettled if s in swept)
        return found_

    @cached_property
    def reachable_from_entry(self) -> set[str]:
        """Steps reachable from any entry step (the entries included)."""
        return self.reach(self.entries)

    @cached_property
    def can_reach_exit(self) -> set[str]:
        """Steps from which some exit step can be reached (the exits included)."""
        return self.reach(self.exits, reverse=True)

    # ------------------------------------------------------------------ loops

    @cached_property
    def loop_backs(self) -> set[tuple[str, str]]:
        """Back edges of a file-order depth-first search from the entry steps.

        Steps the entries do not reach are searched afterwards, in file order, so
        the graph without these edges is acyclic.
        """
        return self._back_edges(None)

    def _back_edges(self, within: set[str] | None) -> set[tuple[str, str]]:
        # ``within``: search only these steps. For a set closed under "can reach"
        # (e.g. every step that can reach the surgery step) the back edges inside
        # it are the same as in the whole search, since a step outside it never
        # leads back in.
        succ = self.succ
        state: dict[str, int] = {}  # 1 = on the current route, 2 = finished
        backs: set[tuple[str, str]] = set()
        roots = list(self.entries) + list(self.steps if within is None else within)
        for root in roots:
            if root in state or (within is not None and root not in within):
                continue
            state[root] = 1
            stack: list[tuple[str, Iterator[str]]] = [(root, iter(succ[root]))]
            while stack:
                node, children = stack[-1]
                for child in children:
                    mark = state.get(child)
                    if mark is None:
                        if within is not None and child not in within:
                            continue
                        state[child] = 1
                        stack.append((child, iter(succ[child])))
                        break
                    if mark == 1:
                        backs.add((node, child))
                else:
                    state[node] = 2
                    stack.pop()
        return backs

    @cached_property
    def forward_succ(self) -> dict[str, list[str]]:
        """Successors without the loop-back transitions."""
        backs = self.loop_backs
        if not backs:
            return self.succ
        out: dict = dict(self.succ)
        for node in {u for u, _ in backs}:
            out[node] = [c for c in out[node] if (node, c) not in backs]
        return out

    @cached_property
    def forward_pred(self) -> dict[str, list[str]]:
        """Predecessors without the loop-back transitions."""
        backs = self.loop_backs
        if not backs:
            return self.pred
        out: dict = dict(self.pred)
        for node in {v for _, v in backs}:
            out[node] = [p for p in out[node] if (p, node) not in backs]
        return out

    @cached_property
    def topological_order(self) -> list[str]:
        """Steps in flow order over the forward DAG (ties broken by file order)."""
        indegree = {n: len(ps) for n, ps in self.forward_pred.items()}
        succ = self.forward_succ
        # entries first, then other roots in file order
        roots = [n for n in self.entries if indegree[n] == 0]
        first = set(roots)
        roots += [n for n, d in indegree.items() if d == 0 and n not in first]
        queue = deque(roots)
        order: list[str] = []
        while queue:
            node = queue.popleft()
            order.append(node)
            for child in succ[node]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    queue.append(child)
        return order

    def days_before(self, target: str) -> tuple[set[str], dict[str, float]]:
        """The steps leading to ``target`` (loop-backs ignored) and their start days.

        Start days are the longest route from the entry, as in :attr:`schedule`,
        but only the steps that can reach ``target`` are counted, which is what
        a rule about "before surgery" needs and costs less on large pathways.
        Kept for the rest of the validation (several rules ask about one surgery).
        """
        cache = self.__dict__.setdefault("_days_before_cache", {})
        if target not in cache:
            cache[target] = self._days_before(target)
        return cache[target]

    def _days_before(self, target: str) -> tuple[set[str], dict[str, float]]:
        ancestors = self.reach([target], reverse=True)
        backs = self._back_edges(ancestors)
        pred, succ = self.pred, self.succ
        # the loop-backs by the step they enter and the step they leave: one dict
        # look-up per step instead of a tuple made and looked up per transition
        back_pred: dict[str, set[str]] = {}
        back_succ: dict[str, set[str]] = {}
        for a, b in backs:
            back_pred.setdefault(b, set()).add(a)
            back_succ.setdefault(a, set()).add(b)
        # steps reaching the target without a loop-back, and their in-degrees
        # (counted on the way: every forward edge into a step of ``before`` comes
        # from a step that is, or is then put, in ``before``)
        before = {target}
        indegree: dict[str, int] = {}
        stack = [target]
        while stack:
            node = stack.pop()
            skip = back_pred.get(node)
            count = 0
            for p in pred[node]:
                if skip is not None and p in skip:
                    continue
                count += 1
                if p not in before:
                    before.add(p)
                    stack.append(p)
            indegree[node] = count
        steps, edges = self.steps, self._edges
        start = dict.fromkeys(before, 0.0)
        ready = [n for n, d in indegree.items() if d == 0]
        while ready:
            node = ready.pop()
            duration = steps[node].duration_days
            step_end = start[node] + duration if duration else start[node]
            row = edges[node]
            skip = back_succ.get(node)
            for child in succ[node]:
                if child not in before or (skip is not None and child in skip):
                    continue
                wait = row[child]["transition"].wait_days
                arrive = step_end + wait if wait else step_end
                if arrive > start[child]:
                    start[child] = arrive
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        return before, start

    # ------------------------------------------------- "before" on every route

    def is_choice(self, step_id: str) -> bool:
        """True when the step itself chooses: a decision, or ways on that carry conditions.

        Asked of a step with parallel ways (``parallel_forks``) where branches meet:
        there a step that also chooses is read as alternatives merging. It does not
        say how unmarked ways from a task are read: those are alternative routes
        (docs/design-extensions.md, ``transitions[].parallel``), and only ways marked
        ``parallel`` are taken together.
        """
        step = self.steps[step_id]
        if step.kind is StepKind.decision:
            return True
        return any(d["transition"].condition for d in self._edges[step_id].values())

    @cached_property
    def parallel_forks(self) -> frozenset[str]:
        """Steps with a branch marked ``parallel: true`` (patients take every branch)."""
        return frozenset(t.source for t in self.pathway.transitions
                         if t.parallel and t.source in self.steps)

    def unguarded(self, targets: Iterable[str], guards: Iterable[str], *,
                  leaving: Iterable[tuple[str, str]] = ()) -> list[str]:
        """The ``targets`` some patient can reach without passing a guard first.

        "Before surgery" rules ask this of every surgery step: is there a route
        from the entry to it on which no guard step (e.g. Surgery School) comes
        first? Every route counts, except that branches marked ``parallel: true``
        run together: where they meet, the step waits for all of them, so a
        guard on any one of them counts as passed. Loop-back transitions are
        ignored. A target that is itself a guard is guarded; targets no route
        from the entry reaches are not reported. Transitions in ``leaving``
        (``(from, to)`` pairs) take patients out of the question, e.g. the branch
        for people without diabetes in a diabetes check: routes through them are
        not followed.
        """
        targets = [t for t in targets if t in self.steps]
        guard_set = {g for g in guards if g in self.steps}
        if not targets or not self.entries:
            return []
        leaving = set(leaving)
        if leaving:
            return self._unguarded_leaving(targets, guard_set, leaving)
        if not guard_set:
            reached = self.reachable_from_entry
            return [t for t in targets if t in reached]
        if len(targets) <= 16:
            # search from both ends at once (forward from the entries, back from the
            # target), both stopped by the guards: whichever side finishes first
            # settles it, so the cost is that of the shorter stretch
            entries = set(self.entries)
            suspects = [t for t in targets
                        if t not in guard_set and self._open_route(t, entries, guard_set)]
        else:
            # cheap screen: a route that avoids every guard altogether
            open_routes = self.reach(self.entries, avoid=guard_set)
            suspects = [t for t in targets if t in open_routes and t not in guard_set]
        if not suspects or not self.parallel_forks:
            return suspects
        # a route around the guards may be a parallel branch that joins a guarded
        # one before the target: settle those on the forward graph
        guarded = self._guarded(suspects, guard_set)
        return [t for t in suspects if not guarded.get(t, False)]

    def _open_route(self, target: str, entries: set[str], guards: set[str]) -> bool:
        """True when a route from an entry reaches ``target`` passing no guard."""
        if target in entries:
            return True
        succ, pred = self.succ, self.pred
        ahead = {e for e in entries if e not in guards}
        behind = {target}
        forward, backward = list(ahead), [target]
        while forward and backward:
            # the two searches meeting is a route too: ``ahead`` is reached from an
            # entry and ``behind`` reaches the target, neither through a guard
            node = forward.pop()
            for n in succ[node]:
                if n in behind:
                    return True
                if n not in ahead and n not in guards:
                    ahead.add(n)
                    forward.append(n)
            node = backward.pop()
            for n in pred[node]:
                if n in ahead:
                    return True
                if n not in behind and n not in guards:
                    behind.add(n)
                    backward.append(n)
        return False

    @cached_property
    def before_surgery(self) -> set[str]:
        """Steps from which a surgery step can be reached (by one or more transitions)."""
        return self.reach(self.by_activity.get(Activity.surgery, ()), reverse=True,
                          include_starts=False)

    def _unguarded_leaving(self, targets: list[str], guards: set[str],
                           leaving: set[tuple[str, str]]) -> list[str]:
        """:meth:`unguarded` with some transitions not followed (every route counts)."""
        succ = self.succ
        seen = set(self.entries)
        stack = [e for e in self.entries if e not in guards]
        while stack:
            node = stack.pop()
            for n in succ[node]:
                if n not in seen and (node, n) not in leaving:
                    seen.add(n)
                    if n not in guards:
                        stack.append(n)
        return [t for t in targets if t in seen and t not in guards]

    def _guarded(self, targets: list[str], guards: set[str]) -> dict[str, bool]:
        pred = self.forward_pred
        reached = self.reachable_from_entry
        ancestors = self.reach(targets, reverse=True, forward_only=True) & reached
        order = [n for n in self.topological_order if n in ancestors]
        rank = {n: i for i, n in enumerate(order)}
        root = ""
        idom: dict[str, str] = {}

        def meet(a: str, b: str) -> str:
            while a != b:
                if a == root or b == root:
                    return root
                if rank[a] > rank[b]:
                    a = idom[a]
                else:
                    b = idom[b]
            return a

        guarded: dict[str, bool] = {}
        for n in order:
            ps = [p for p in pred[n] if p in rank]
            if not ps:
                idom[n] = root
                guarded[n] = n in guards
                continue
            d = ps[0]
            for p in ps[1:]:
                d = meet(d, p)
            idom[n] = d
            if n in guards:
                guarded[n] = True
            elif len(ps) == 1:
                guarded[n] = guarded[ps[0]]
            elif d in self.parallel_forks and not self.is_choice(d):
                # parallel branches joining: the patient has been down all of them
                guarded[n] = any(guarded[p] for p in ps)
            else:
                # alternatives merging: every one must have passed a guard
                guarded[n] = all(guarded[p] for p in ps)
        return guarded

    def after(self, start: str, *, within_days: float | None = None) -> dict[str, float]:
        """Steps reachable from ``start`` (one or more transitions on) and the fewest days.

        Days run from the end of ``start`` to the start of each step (durations of
        the steps between and waits on the transitions; missing values count as
        0). With ``within_days``, only steps reached within that many days.
        """
        import heapq

        if start not in self.steps:
            return {}
        steps, edges = self.steps, self._edges
        best: dict[str, float] = {}
        heap: list[tuple[float, str]] = []
        for child, data in edges[start].items():
            heapq.heappush(heap, (data["transition"].wait_days or 0.0, child))
        while heap:
            day, node = heapq.heappop(heap)
            if node in best or (within_days is not None and day > within_days):
                continue
            best[node] = day
            end = day + (steps[node].duration_days or 0.0)
            for child, data in edges[node].items():
                if child not in best:
                    heapq.heappush(heap, (end + (data["transition"].wait_days or 0.0), child))
        return best

    @cached_property
    def texts(self) -> dict[str, str]:
        """Each step's name and description as one text (what the text checks read)."""
        ids, parts, _, _ = self._joined_text
        return dict(zip(ids, parts))

    def saying(self, pattern, hints: tuple[str, ...] | None = None) -> list[str]:
        """Step ids whose name or description (:attr:`texts`) matches ``pattern``.

        ``hints`` are lower-case fragments one of which every match contains: one
        scan of all the steps' text for each fragment picks the few steps the
        pattern is then tried on. Results (and each fragment's scan) are kept for
        the rest of the validation, so rules asking the same question share them.
        """
        cache = self.__dict__.setdefault("_saying", {})
        found = cache.get(pattern)
        if found is not None:
            return found
        ids, parts, starts, joined = self._joined_text
        if not hints:
            found = [sid for sid, t in zip(ids, parts) if pattern.search(t)]
        else:
            from bisect import bisect_right

            scanned = self.__dict__.setdefault("_hint_hits", {})
            hits: set[int] = set()
            for hint in hints:
                at_steps = scanned.get(hint)
                if at_steps is None:
                    at_steps = set()
                    at = joined.find(hint)   # str.find runs in C: far faster than a regex
                    while at != -1:
                        i = bisect_right(starts, at) - 1
                        at_steps.add(i)
                        # on to the next step: one hit per step is enough
                        at = joined.find(hint, starts[i + 1]) if i + 1 < len(starts) else -1
                    scanned[hint] = at_steps
                hits |= at_steps
            found = [ids[i] for i in sorted(hits) if pattern.search(parts[i])]
        cache[pattern] = found
        return found

    @cached_property
    def _joined_text(self) -> tuple[list[str], list[str], list[int], str]:
        """Step ids, their texts, where each starts, and all of it in lower case."""
        from itertools import accumulate

        ids = list(self.steps)
        parts = [f"{s.name}\n{s.description}" if s.description else s.name
                 for s in self.steps.values()]
        starts = [0, *accumulate(len(p) + 1 for p in parts)][:-1] if parts else []
        joined = "\x00".join(parts)
        lowered = joined.lower()
        if len(lowered) != len(joined):   # a letter whose lower case is longer
            lowered = "\x00".join(p.lower()[:len(p)].ljust(len(p)) for p in parts)
        return ids, parts, starts, lowered

    def after_cached(self, start: str) -> dict[str, float]:
        """:meth:`after` without a day limit, kept for the rest of the validation."""
        cache = self.__dict__.setdefault("_after", {})
        if start not in cache:
            cache[start] = self.after(start)
        return cache[start]

    def is_lay(self, role_id: str | None) -> bool:
        """True for the patient, a carer or family: not a professional who can follow up."""
        if not role_id:
            return False
        return role_id in self.lay_roles

    @cached_property
    def lay_roles(self) -> frozenset[str]:
        """Role ids of the patient, carers and family (by id or name)."""
        lay = {"patient", "carer", "carers", "family", "relative", "relatives"}
        return frozenset(
            r.id for r in self.pathway.roles
            if set(f"{r.id} {r.name}".lower().replace("-", " ").split()) & lay) | {"patient"}

    @cached_property
    def schedule(self) -> "Schedule":
        """Start and end days of every step over the forward graph."""
        return schedule_from_index(self)

    def memo(self, key: str, compute: "Callable[[PathwayIndex], Any]") -> Any:
        """``compute(self)``, worked out once per index (e.g. the timeline)."""
        memos = self.__dict__.setdefault("_memos", {})
        if key not in memos:
            memos[key] = compute(self)
        return memos[key]


@dataclass
class Schedule:
    """Longest-route start and end days per step, and the reference surgery step."""

    order: list[str]
    start: dict[str, float]
    end: dict[str, float]
    surgery_step: str | None


def schedule_from_index(index: PathwayIndex) -> Schedule:
    """Start and end days over the forward graph (the rules use this directly)."""
    steps, order, fsucc = index.steps, index.topological_order, index.forward_succ
    edges = index.edges
    start: dict[str, float] = dict.fromkeys(order, 0.0)
    end: dict[str, float] = {}
    for node in order:
        duration = steps[node].duration_days
        step_end = start[node] + duration if duration else start[node]
        end[node] = step_end
        row = edges[node]
        for child in fsucc[node]:
            wait = row[child]["transition"].wait_days
            arrive = step_end + wait if wait else step_end
            if arrive > start[child]:
                start[child] = arrive
    surgery = None
    surgeries = set(index.by_activity.get(Activity.surgery, ()))
    if surgeries:
        surgery = next((n for n in order if n in surgeries), None)
    return Schedule(order, start, end, surgery)


def index_for(pathway: Pathway, graph: "nx.DiGraph | LazyGraph | None" = None
              ) -> PathwayIndex:
    """The shared :class:`PathwayIndex` of ``graph``, built when missing or stale.

    With no graph, a fresh index is returned (it builds its graph only if asked).
    """
    if graph is None:
        return PathwayIndex(pathway)
    if isinstance(graph, LazyGraph):
        if graph.index.pathway is pathway:
            return graph.index
        return PathwayIndex(pathway)
    index = graph.graph.get(_INDEX_KEY)
    if index is None or index.pathway is not pathway:
        index = PathwayIndex(pathway, graph)
        graph.graph[_INDEX_KEY] = index
    return index
