"""The pathway as a graph: reachability, loops and routes.

:func:`build_graph` gives a :class:`networkx.DiGraph` (nodes are step ids with the
:class:`~designer.graph.model.Step` in the ``step`` attribute; edges carry the
:class:`~designer.graph.model.Transition` in ``transition``). Transitions that name
an unknown step are left out of the graph: the ``unknown-reference`` rule reports
them, and every other query stays well defined.

Optimisation loops ("HbA1c too high: back to the GP, then preassessment again")
make a pathway cyclic. :func:`loop_back_edges` names the transitions that close
such loops: the back edges of a depth-first search from the entry step that
follows transitions in file order. Removing them (:func:`forward_graph`) leaves a
DAG on which days and orders are defined.

The rules run many queries against one pathway, so :class:`PathwayIndex` holds
plain-dict adjacency lists and caches (steps by id, reachable sets, the loop
backs, a topological order). :func:`index_for` keeps one index per graph.
"""

from __future__ import annotations

from collections import deque
from functools import cached_property
from typing import Iterable, Iterator

import networkx as nx

from .model import Activity, Pathway, SettingKind, Step, StepKind

_INDEX_KEY = "periop_index"


def build_graph(pathway: Pathway) -> nx.DiGraph:
    """Return the pathway as a directed graph.

    Parameters
    ----------
    pathway
        The pathway to view.

    Returns
    -------
    networkx.DiGraph
        Nodes are step ids (attribute ``step``), edges transitions between known
        steps (attribute ``transition``), in file order. ``graph.graph["pathway"]``
        is the pathway itself.
    """
    graph = nx.DiGraph(pathway=pathway)
    graph.add_nodes_from((s.id, {"step": s}) for s in pathway.steps)
    known = graph._node  # membership test without building views
    graph.add_edges_from(
        (t.source, t.target, {"transition": t})
        for t in pathway.transitions
        if t.source in known and t.target in known
    )
    return graph


class PathwayIndex:
    """Look-ups shared by the rules and the timeline during one validation.

    Built once per graph (see :func:`index_for`); every property is computed on
    first use and cached. Adjacency follows transitions in file order and skips
    transitions that name unknown steps.
    """

    def __init__(self, pathway: Pathway, graph: nx.DiGraph | None = None) -> None:
        self.pathway = pathway
        self._graph = graph
        self.steps: dict[str, Step] = {s.id: s for s in pathway.steps}
        self.settings = {s.id: s for s in pathway.settings}
        self.roles = {r.id: r for r in pathway.roles}
        steps = self.steps
        succ: dict[str, list[str]] = {sid: [] for sid in steps}
        pred: dict[str, list[str]] = {sid: [] for sid in steps}
        out_transitions: dict[str, list] = {sid: [] for sid in steps}
        transitions = {}
        for t in pathway.transitions:
            src, dst = t.source, t.target
            if src in steps:
                out_transitions[src].append(t)
                if dst in steps:
                    succ[src].append(dst)
                    pred[dst].append(src)
                    transitions[(src, dst)] = t
        self.succ = succ
        self.pred = pred
        self.out_transitions = out_transitions
        self.transitions = transitions

    # ------------------------------------------------------------------ graph

    @property
    def graph(self) -> nx.DiGraph:
        if self._graph is None:
            self._graph = build_graph(self.pathway)
            self._graph.graph[_INDEX_KEY] = self
        return self._graph

    # --------------------------------------------------------------- look-ups

    def name(self, step_id: str) -> str:
        """The step's name in quotes for messages (its id when it has none)."""
        step = self.steps.get(step_id)
        return f"'{step.name}'" if step is not None else f"'{step_id}'"

    def setting_kind(self, step_id: str) -> SettingKind | None:
        """The kind of the step's setting, or None when unset or unknown."""
        step = self.steps.get(step_id)
        if step is None or step.setting is None:
            return None
        setting = self.settings.get(step.setting)
        return setting.kind if setting is not None else None

    @cached_property
    def by_activity(self) -> dict[Activity, list[str]]:
        """Step ids per activity, in file order."""
        out: dict[Activity, list[str]] = {}
        for sid, step in self.steps.items():
            if step.activity is not None:
                out.setdefault(step.activity, []).append(sid)
        return out

    def with_activity(self, *activities: Activity) -> list[str]:
        """Step ids having any of ``activities``, in file order of activity groups."""
        out: list[str] = []
        for activity in activities:
            out.extend(self.by_activity.get(activity, ()))
        return out

    @cached_property
    def by_kind(self) -> dict[StepKind, list[str]]:
        out: dict[StepKind, list[str]] = {kind: [] for kind in StepKind}
        for sid, step in self.steps.items():
            out[step.kind].append(sid)
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
        """Steps reachable from ``starts`` (breadth first).

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
        queue: deque[str] = deque()
        for s in starts:
            if s not in adjacency:
                continue
            if include_starts:
                if s not in seen:
                    seen.add(s)
                    if s not in avoid:
                        queue.append(s)
            else:
                for n in adjacency[s]:
                    if n not in seen:
                        seen.add(n)
                        if n not in avoid:
                            queue.append(n)
        while queue:
            for n in adjacency[queue.popleft()]:
                if n not in seen:
                    seen.add(n)
                    if n not in avoid:
                        queue.append(n)
        return seen

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
        succ = self.succ
        state: dict[str, int] = {}  # 1 = on the current route, 2 = finished
        backs: set[tuple[str, str]] = set()
        roots = list(self.entries) + list(self.steps)
        for root in roots:
            if root in state:
                continue
            state[root] = 1
            stack: list[tuple[str, Iterator[str]]] = [(root, iter(succ[root]))]
            while stack:
                node, children = stack[-1]
                for child in children:
                    mark = state.get(child)
                    if mark is None:
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
        backs = self.loop_backs
        if not backs:
            return self.succ
        return {n: [c for c in cs if (n, c) not in backs] for n, cs in self.succ.items()}

    @cached_property
    def forward_pred(self) -> dict[str, list[str]]:
        backs = self.loop_backs
        if not backs:
            return self.pred
        return {n: [p for p in ps if (p, n) not in backs] for n, ps in self.pred.items()}

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

    @cached_property
    def timeline(self):
        """The pathway's :class:`~designer.graph.timeline.Timeline` (computed once)."""
        from .timeline import timeline_from_index

        return timeline_from_index(self)


def index_for(pathway: Pathway, graph: nx.DiGraph | None = None) -> PathwayIndex:
    """The cached :class:`PathwayIndex` of ``graph`` (built when missing or stale)."""
    if graph is None:
        graph = build_graph(pathway)
    index = graph.graph.get(_INDEX_KEY)
    if index is None or index.pathway is not pathway:
        index = PathwayIndex(pathway, graph)
        graph.graph[_INDEX_KEY] = index
    return index


def loop_back_edges(pathway: Pathway, graph: nx.DiGraph | None = None) -> set[tuple[str, str]]:
    """Transitions ``(from, to)`` that close loops, such as an optimisation loop.

    They are the back edges of a depth-first search from the entry step following
    transitions in file order.
    """
    return set(index_for(pathway, graph).loop_backs)


def forward_graph(pathway: Pathway, graph: nx.DiGraph | None = None) -> nx.DiGraph:
    """A copy of the graph without the loop-back transitions: a DAG."""
    index = index_for(pathway, graph)
    forward = index.graph.copy()
    forward.graph.pop(_INDEX_KEY, None)
    forward.remove_edges_from(index.loop_backs)
    return forward


def reachable(pathway: Pathway, start: str, graph: nx.DiGraph | None = None, *,
              forward_only: bool = False) -> set[str]:
    """Steps reachable from ``start`` (``start`` included)."""
    return index_for(pathway, graph).reach([start], forward_only=forward_only)


def reaches(pathway: Pathway, start: str, goal: str, graph: nx.DiGraph | None = None, *,
            avoid: Iterable[str] = ()) -> bool:
    """True when a route leads from ``start`` to ``goal`` without passing ``avoid``."""
    avoid_set = set(avoid) - {start}
    return goal in index_for(pathway, graph).reach([start], avoid=avoid_set)


def shortest_route(pathway: Pathway, start: str, goal: str,
                   graph: nx.DiGraph | None = None) -> list[str] | None:
    """The route with fewest transitions from ``start`` to ``goal``, or None."""
    g = index_for(pathway, graph).graph
    try:
        return nx.shortest_path(g, start, goal)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def routes(pathway: Pathway, start: str, goal: str, graph: nx.DiGraph | None = None,
           limit: int = 100) -> list[list[str]]:
    """Up to ``limit`` simple routes from ``start`` to ``goal`` (loops not repeated)."""
    g = index_for(pathway, graph).graph
    if start not in g or goal not in g:
        return []
    out = []
    for path in nx.all_simple_paths(g, start, goal):
        out.append(path)
        if len(out) >= limit:
            break
    return out
