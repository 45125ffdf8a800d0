"""Steps a decision lets some patients skip, from the post-dominator tree (no Qt).

A step X on the road to a goal (say, surgery) is *skippable* when some decision
that leads to X can still reach the goal with X taken out: some patients pass
X, others go round it. Asked pair by pair (decision, step) with a path search
each time, that is cubic; here it is one post-dominator tree and one pass over
the graph:

* X *post-dominates* D when every route from D to the goal passes X; these are
  the dominators of the reversed graph with the goal as its root.
* X is skippable exactly when some decision D that reaches X is *not*
  post-dominated by X, i.e. D lies outside X's subtree of the post-dominator
  tree. A subtree is one interval of a depth-first numbering, so it is enough
  to know, for each X, the smallest and largest number among the decisions
  that reach it; those two propagate along the edges (over strongly connected
  components, so loops are fine).

Only steps that lead to the goal count, as only they can lie on a route to it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Hashable, Iterable


def skippable_steps(graph, decisions: Iterable[Hashable], goal: Hashable) -> set:
    """Steps leading to ``goal`` that a decision lets some routes to ``goal`` avoid.

    Parameters
    ----------
    graph:
        A networkx ``DiGraph`` (cycles allowed).
    decisions:
        The nodes that are decisions (others are ignored as branching points).
    goal:
        The node every route is headed for (surgery, in the booklet).

    Returns
    -------
    set
        Every node X, an ancestor of ``goal``, reached from a decision D (X != D)
        such that a route leads from D to ``goal`` without passing X.
    """
    import networkx as nx

    if goal not in graph:
        return set()
    road = nx.ancestors(graph, goal)
    chosen = {d for d in decisions if d in road}
    if not chosen:
        return set()
    sub = graph.subgraph(road | {goal})
    idom = nx.immediate_dominators(sub.reverse(copy=False), goal)
    children: dict = defaultdict(list)
    for node, parent in idom.items():
        if node != goal:
            children[parent].append(node)

    # Pre-order numbers; X's subtree is the numbers first[X] .. last[X].
    first: dict = {goal: 0}
    last: dict = {}
    clock = 0
    stack = [(goal, iter(children[goal]))]
    while stack:
        node, kids = stack[-1]
        child = next(kids, None)
        if child is None:
            last[node] = clock
            stack.pop()
            continue
        clock += 1
        first[child] = clock
        stack.append((child, iter(children[child])))

    # Smallest and largest number among the decisions reaching each component.
    condensed = nx.condensation(sub)
    member_of = condensed.graph["mapping"]
    low: dict[int, float] = {}
    high: dict[int, float] = {}
    for component in nx.topological_sort(condensed):
        numbers = [first[n] for n in condensed.nodes[component]["members"] if n in chosen]
        lo = min(numbers, default=float("inf"))
        hi = max(numbers, default=float("-inf"))
        for before in condensed.predecessors(component):
            lo, hi = min(lo, low[before]), max(hi, high[before])
        low[component], high[component] = lo, hi

    skippable = set()
    for node in road:
        component = member_of[node]
        if low[component] < first[node] or high[component] > last[node]:
            skippable.add(node)
    return skippable


def avoidable(graph, parallel: set, entries: Iterable[Hashable], goal: Hashable,
              step: Hashable) -> bool:
    """True when some patient can go from an entry to ``goal`` without passing ``step``.

    Unlike a plain path search, branches marked parallel are taken together: at a
    step with ``parallel`` ways (``(from, to)`` pairs) the patient goes down every
    one of them that leads to ``goal``, so the step is avoided there only when every
    such branch can avoid it; the step's other (unmarked) ways are alternatives, any
    one of which will do. ``graph`` is the forward graph (a networkx ``DiGraph``
    without loop-backs).
    """
    import networkx as nx

    if goal not in graph or step == goal:
        return False
    road = nx.ancestors(graph, goal) | {goal}
    sub = graph.subgraph(road)
    ok: dict = {}
    for node in reversed(list(nx.topological_sort(sub))):
        if node == step:
            ok[node] = False
            continue
        if node == goal:
            ok[node] = True
            continue
        together = [c for c in sub.successors(node) if (node, c) in parallel]
        either = [c for c in sub.successors(node) if (node, c) not in parallel]
        ok[node] = (bool(together) and all(ok[c] for c in together)) \
            or any(ok[c] for c in either)
    return any(ok.get(e, False) for e in entries)


def avoidable_steps(graph, parallel: set, entries: Iterable[Hashable], goal: Hashable,
                    steps: Iterable[Hashable]) -> set:
    """The ``steps`` for which :func:`avoidable` is true, found in one pass.

    :func:`avoidable` walks the whole road to ``goal`` for one step, so asking it of
    every step a decision lets some routes skip costs the road's length for each.
    Here each step of the road gets, once, the set of steps every journey from it
    passes (a bit per step): the step itself, then, when it has parallel ways, those
    of any one of them (every one is taken) and, when it has unmarked ways, only
    those all of them share. Going from the goal backwards, that is one union or
    intersection of bit sets per way. A step is avoidable when not every entry on
    the road has it in its set. ``graph`` is a DAG, as for :func:`avoidable`.
    """
    import networkx as nx

    if goal not in graph:
        return set()
    road = nx.ancestors(graph, goal) | {goal}
    starts = {e for e in entries if e in road}
    if not starts:
        return set()
    order = list(nx.topological_sort(graph.subgraph(road)))
    bit = {node: 1 << number for number, node in enumerate(order)}
    everything = (1 << len(order)) - 1
    waiting = {node: sum(1 for p in graph.predecessors(node) if p in road) for node in road}
    passes: dict = {}                  # node -> the bits of the steps every journey passes
    unavoidable = everything
    for node in reversed(order):
        if node == goal:
            mine = bit[node]
        else:
            together, either = 0, everything
            has_together = False
            for child in graph.successors(node):
                if child not in road:
                    continue
                if (node, child) in parallel:
                    together |= passes[child]
                    has_together = True
                else:
                    either &= passes[child]
            mine = bit[node] | ((together if has_together else everything) & either)
        passes[node] = mine
        if node in starts:
            unavoidable &= mine
        for child in graph.successors(node):   # a set no step still needs is let go
            if child in road:
                waiting[child] -= 1
                if not waiting[child]:
                    del passes[child]
    found = set()
    for step in steps:
        if step != goal and (step not in bit or not unavoidable & bit[step]):
            found.add(step)
    return found
