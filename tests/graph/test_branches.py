"""The post-dominator form of "steps some patients skip" against the old pair-by-pair search.

The oracle below is the booklet's former ``_only_on_some_branches`` (a path search
per (decision, descendant) pair with the step taken out), kept here as the truth
the fast formulation must match, set for set.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

from designer.graph.branches import skippable_steps
from designer.graph.io import load_pathway
from designer.graph.model import StepKind
from designer.graph.network import forward_graph
from designer.library import builtin_folder

EXEMPLARS = sorted(builtin_folder().glob("*.yaml"))


def old_skippable(graph: nx.DiGraph, decisions, goal) -> set:
    """The former cubic search: one has_path per (decision, step) pair."""
    if goal not in graph:
        return set()
    road = nx.ancestors(graph, goal)
    decisions = set(decisions)
    skippable = set()
    for decision in (d for d in road if d in decisions):
        for step_id in nx.descendants(graph, decision) & road:
            if step_id in skippable:
                continue
            without = nx.restricted_view(graph, [step_id], [])
            if nx.has_path(without, decision, goal):
                skippable.add(step_id)
    return skippable


def test_a_branch_round_a_step_makes_it_skippable_and_the_joins_do_not():
    # D -> A -> J -> S and D -> J: A is skipped by some; D's successors join at J
    graph = nx.DiGraph([("E", "D"), ("D", "A"), ("A", "J"), ("D", "J"), ("J", "S"),
                        ("S", "X")])
    assert skippable_steps(graph, ["D"], "S") == {"A"}
    assert skippable_steps(graph, [], "S") == set()
    assert skippable_steps(graph, ["D"], "missing") == set()
    # a decision after the goal, or not leading to it, branches nothing on the road
    assert skippable_steps(graph, ["X"], "S") == set()


def test_nested_decisions():
    # D1 -> D2 -> B -> S, D2 -> S, D1 -> S: D2 and B are both skippable
    graph = nx.DiGraph([("D1", "D2"), ("D2", "B"), ("B", "S"), ("D2", "S"), ("D1", "S")])
    assert skippable_steps(graph, ["D1", "D2"], "S") == {"D2", "B"}
    assert skippable_steps(graph, ["D2"], "S") == {"B"}


def _journeys(graph: nx.DiGraph, parallel: set, entries, goal) -> list[frozenset]:
    """Every patient journey from an entry to ``goal``, as the set of steps it passes.

    Brute force: at a step with ways marked parallel the patient takes all of them
    (the union of one journey down each), else any one way.
    """
    road = nx.ancestors(graph, goal) | {goal}
    memo: dict = {}

    def down(node) -> set[frozenset]:
        if node in memo:
            return memo[node]
        if node == goal:
            memo[node] = {frozenset([goal])}
            return memo[node]
        kids = [c for c in graph.successors(node) if c in road]
        together = [c for c in kids if (node, c) in parallel]
        found: set[frozenset] = set()
        for kid in (c for c in kids if (node, c) not in parallel):
            found |= {j | {node} for j in down(kid)}
        if together:
            combos = {frozenset([node])}
            for kid in together:
                combos = {c | j for c in combos for j in down(kid)}
            found |= combos
        memo[node] = found
        return found

    return [j for e in entries if e in road for j in down(e)]


def test_parallel_branches_are_taken_together():
    from designer.graph.branches import avoidable

    # E -> F; F => A -> J and F => D; D -> B -> J, D -> J; J -> S (=> parallel)
    graph = nx.DiGraph([("E", "F"), ("F", "A"), ("A", "J"), ("F", "D"), ("D", "B"),
                        ("B", "J"), ("D", "J"), ("J", "S")])
    parallel = {("F", "A"), ("F", "D")}
    assert not avoidable(graph, parallel, ["E"], "S", "A")   # everyone goes down F => A
    assert avoidable(graph, parallel, ["E"], "S", "B")       # D lets some go round B
    assert not avoidable(graph, parallel, ["E"], "S", "J")
    # unmarked, the same ways are alternatives: A can be gone round
    assert avoidable(graph, set(), ["E"], "S", "A")


def _exemplar_cases():
    for path in EXEMPLARS:
        pathway = load_pathway(path)
        yield pytest.param(pathway, id=path.stem)


@pytest.mark.parametrize("pathway", list(_exemplar_cases()))
def test_equal_to_the_old_search_on_every_exemplar_for_every_goal(pathway):
    from designer.export.school.content import _only_on_some_branches
    from designer.graph.timeline import compute_timeline

    graph = forward_graph(pathway)
    decisions = [s.id for s in pathway.steps if s.kind == StepKind.decision]
    surgery = compute_timeline(pathway).surgery_step
    old = old_skippable(graph, decisions, surgery) if surgery else set()
    assert skippable_steps(graph, decisions, surgery) == old if surgery else True
    # the booklet keeps those some patient's whole journey (every parallel branch
    # taken together) goes round
    parallel = {(t.source, t.target) for t in pathway.transitions if t.parallel}
    entries = [s.id for s in pathway.steps if s.kind == StepKind.entry]
    journeys = _journeys(graph, parallel, entries, surgery) if surgery else []
    assert _only_on_some_branches(pathway, surgery) == {
        step for step in old if any(step not in j for j in journeys)}
    for step in pathway.steps:        # every step as the goal: many more cases
        assert skippable_steps(graph, decisions, step.id) == \
            old_skippable(graph, decisions, step.id), step.id


def test_the_exemplars_do_have_steps_some_patients_skip():
    """The comparison above is not vacuous: several exemplars have such steps."""
    from designer.export.school.content import _only_on_some_branches
    from designer.graph.timeline import compute_timeline

    with_some = 0
    for path in EXEMPLARS:
        pathway = load_pathway(path)
        with_some += bool(_only_on_some_branches(
            pathway, compute_timeline(pathway).surgery_step))
    assert with_some >= 2


def _random_graph(rng: random.Random, acyclic: bool) -> nx.DiGraph:
    n = rng.randint(2, 28)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    for _ in range(rng.randint(n - 1, 3 * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b:
            continue
        if acyclic and a > b:
            a, b = b, a
        graph.add_edge(a, b)
    return graph


@pytest.mark.parametrize("acyclic", [True, False], ids=["dag", "with-cycles"])
def test_equal_to_the_old_search_on_random_graphs(acyclic):
    rng = random.Random(16 + acyclic)
    nonempty = 0
    for _ in range(400):
        graph = _random_graph(rng, acyclic)
        nodes = list(graph)
        decisions = [v for v in nodes if rng.random() < 0.35]
        goal = rng.choice(nodes[len(nodes) // 2:])   # late: a longer road to it
        expected = old_skippable(graph, decisions, goal)
        assert skippable_steps(graph, decisions, goal) == expected, (
            sorted(graph.edges), decisions, goal)
        nonempty += bool(expected)
    assert nonempty > 100          # most cases have something to find


def _all_avoidable_one_by_one(graph, parallel, entries, goal, steps) -> set:
    """The plain truth: :func:`avoidable` asked of each step on its own."""
    from designer.graph.branches import avoidable

    return {s for s in steps if avoidable(graph, parallel, entries, goal, s)}


@pytest.mark.parametrize("pathway", list(_exemplar_cases()))
def test_avoidable_steps_equal_asking_step_by_step_on_every_exemplar(pathway):
    from designer.graph.branches import avoidable_steps

    graph = forward_graph(pathway)
    parallel = {(t.source, t.target) for t in pathway.transitions if t.parallel}
    entries = [s.id for s in pathway.steps if s.kind == StepKind.entry]
    steps = [s.id for s in pathway.steps] + ["not-a-step"]
    for goal in [s.id for s in pathway.steps]:      # every step as the goal
        assert avoidable_steps(graph, parallel, entries, goal, steps) == \
            _all_avoidable_one_by_one(graph, parallel, entries, goal, steps), goal


def test_avoidable_steps_equal_asking_step_by_step_on_random_graphs():
    from designer.graph.branches import avoidable_steps

    rng = random.Random(1616)
    found = 0
    for _ in range(400):
        graph = _random_graph(rng, acyclic=True)
        nodes = list(graph)
        parallel = {edge for edge in graph.edges if rng.random() < 0.4}
        entries = [v for v in nodes if not graph.in_degree(v) or rng.random() < 0.1]
        goal = rng.choice(nodes[len(nodes) // 2:])
        expected = _all_avoidable_one_by_one(graph, parallel, entries, goal, nodes)
        assert avoidable_steps(graph, parallel, entries, goal, nodes) == expected, (
            sorted(graph.edges), sorted(parallel), entries, goal)
        found += 0 < len(expected) < len(nodes)
    assert found > 100             # most cases split the steps both ways
