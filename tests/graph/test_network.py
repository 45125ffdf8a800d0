"""The networkx view: graph building, loop-backs, forward DAG, reachability."""

from __future__ import annotations

import networkx as nx

from builders import chain, link, pathway, step, surgical
from designer.graph.network import (
    build_graph,
    forward_graph,
    index_for,
    loop_back_edges,
    reachable,
    reaches,
    routes,
    shortest_route,
)


def test_graph_has_steps_and_transitions_in_file_order():
    p = surgical()
    g = build_graph(p)
    assert list(g.nodes) == [s.id for s in p.steps]
    assert g.nodes["pac"]["step"].name == "Preassessment"
    assert g.edges["fit", "optimise"]["transition"].condition == "needs optimisation"
    assert g.graph["pathway"] is p


def test_graph_equals_one_built_with_the_public_networkx_api():
    p = surgical()
    expected = nx.DiGraph()
    expected.add_nodes_from((s.id, {"step": s}) for s in p.steps)
    expected.add_edges_from((t.source, t.target, {"transition": t}) for t in p.transitions)
    g = build_graph(p)
    assert list(g.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(g.edges(data=True)) == list(expected.edges(data=True))
    assert dict(g.pred) == dict(expected.pred)
    assert list(g.predecessors("pac")) == list(expected.predecessors("pac"))
    assert g.number_of_edges() == len(p.transitions)


def test_forward_graph_has_no_stale_caches():
    p = surgical()
    dag = forward_graph(p)
    index = index_for(p, dag)
    assert "pac" not in index.succ["optimise"]
    assert index.loop_backs == set()


def test_transitions_to_unknown_steps_are_left_out():
    p = pathway([step("a", "entry"), step("b", "exit")],
                [link("a", "b"), link("a", "ghost"), link("ghost", "b")])
    g = build_graph(p)
    assert set(g.nodes) == {"a", "b"}
    assert list(g.edges) == [("a", "b")]


def test_optimisation_loop_is_the_loop_back_edge():
    p = surgical()
    assert loop_back_edges(p) == {("optimise", "pac")}
    dag = forward_graph(p)
    assert nx.is_directed_acyclic_graph(dag)
    assert ("optimise", "pac") not in dag.edges
    assert ("fit", "optimise") in dag.edges
    # the original graph is not changed
    assert ("optimise", "pac") in build_graph(p).edges


def test_loop_backs_follow_file_order_of_transitions():
    # a <-> b reached from the entry at a: b->a closes the loop, not a->b
    p = pathway([step("a", "entry"), step("b"), step("c", "exit")],
                [link("a", "b"), link("b", "a"), link("b", "c")])
    assert loop_back_edges(p) == {("b", "a")}


def test_loops_away_from_entry_are_broken_too():
    p = pathway([step("e", "entry"), step("x"), step("y"), step("z", "exit")],
                [link("e", "z"), link("x", "y"), link("y", "x")])
    backs = loop_back_edges(p)
    assert len(backs) == 1
    assert nx.is_directed_acyclic_graph(forward_graph(p))


def test_acyclic_pathway_has_no_loop_backs():
    p = pathway([step("a", "entry"), step("b"), step("c", "exit")], chain("a", "b", "c"))
    assert loop_back_edges(p) == set()


def test_reachability_helpers():
    p = surgical()
    assert "review" in reachable(p, "referral")
    assert "referral" not in reachable(p, "pac")
    assert reaches(p, "pac", "surgery")
    assert not reaches(p, "pac", "surgery", avoid={"fit"})
    assert reaches(p, "optimise", "fit")
    assert "fit" not in reachable(p, "optimise", forward_only=True)
    assert shortest_route(p, "referral", "fit") == ["referral", "sdm", "decide", "listing",
                                                   "pac", "fit"]
    assert shortest_route(p, "review", "referral") is None
    assert shortest_route(p, "nowhere", "referral") is None
    assert ["pac", "fit", "optimise"] in routes(p, "pac", "optimise")
    assert routes(p, "pac", "nowhere") == []


def test_index_reach_options():
    p = surgical()
    index = index_for(p)
    assert index.reach(["pac"], include_starts=False) >= {"pac", "fit", "optimise"}
    assert "pac" not in index.reach(["review"], include_starts=False)
    assert index.reach(["surgery"], reverse=True) >= {"referral", "pac", "optimise"}
    assert index.reach(["fit"], avoid={"school"}) == {"fit", "school", "optimise", "pac"}
    assert index.reach(["ghost"]) == set()


def test_index_is_cached_per_graph():
    p = surgical()
    g = build_graph(p)
    assert index_for(p, g) is index_for(p, g)
    assert index_for(p, g).graph is g
    other = p.model_copy(deep=True)
    assert index_for(other, g) is not index_for(p, g)


def test_topological_order_starts_at_entry_and_respects_forward_edges():
    p = surgical()
    index = index_for(p)
    order = index.topological_order
    assert order[0] == "referral"
    assert len(order) == len(p.steps)
    pos = {n: i for i, n in enumerate(order)}
    for a, b in forward_graph(p).edges:
        assert pos[a] < pos[b]


def test_starts_reaching_searching_and_sweeping_agree():
    p = surgical()
    index = index_for(p)
    goals = {"optimise"}
    avoid = {"surgery"}
    everything = [s.id for s in p.steps]
    expected = {"referral", "sdm", "decide", "listing", "pac", "fit", "optimise"}
    # many starts: one sweep; few starts with no budget: searches give up and sweep
    assert index.starts_reaching(everything, goals, avoid=avoid) == expected
    assert index.starts_reaching(["pac", "ward"], goals, avoid=avoid, budget=0) == {"pac"}
    assert index.starts_reaching(["pac", "ward"], goals, avoid=avoid) == {"pac"}
    # the route must not pass through an avoided step
    assert index.starts_reaching(["listing"], {"ward"}, avoid={"surgery"}) == set()
    assert index.starts_reaching(["listing"], {"ward"}) == {"listing"}
    assert index.starts_reaching(["ghost"], goals) == set()


def test_finds_stops_at_goals_both_ways():
    index = index_for(surgical())
    assert index.finds("discharge", lambda n: n == "review")
    assert not index.finds("review", lambda n: n == "discharge")
    assert index.finds("surgery", {"school"}.__contains__, reverse=True)
    assert not index.finds("ghost", lambda n: True)


def test_days_before_match_the_schedule():
    p = surgical()
    index = index_for(p)
    before, days = index.days_before("surgery")
    assert before == index.reach(["surgery"], reverse=True, forward_only=True)
    assert "pac" in before and "optimise" not in before and "ward" not in before
    assert all(days[n] == index.schedule.start[n] for n in before)
    assert days["surgery"] == 28


def test_back_edges_within_the_steps_before_surgery_match_the_whole_search():
    p = surgical()
    index = index_for(p)
    ancestors = index.reach(["surgery"], reverse=True)
    inside = {(a, b) for a, b in index.loop_backs if a in ancestors and b in ancestors}
    assert index._back_edges(ancestors) == inside == {("optimise", "pac")}


def test_lazy_graph_builds_the_real_graph_only_when_used():
    from designer.graph.network import LazyGraph, PathwayIndex

    p = surgical()
    index = PathwayIndex(p)
    lazy = LazyGraph(index)
    assert index_for(p, lazy) is index
    assert len(lazy) == len(p.steps) and "pac" in lazy and "ghost" not in lazy
    assert index._graph is None  # nothing built yet
    assert list(lazy.successors("fit")) == ["school", "optimise"]
    assert lazy["fit"]["optimise"]["transition"].condition == "needs optimisation"
    assert set(lazy) == {s.id for s in p.steps}
    assert lazy.digraph is index.graph is lazy.digraph
    assert index_for(p.model_copy(deep=True), lazy) is not index


def test_validation_and_timeline_do_not_import_networkx():
    import subprocess
    import sys
    from pathlib import Path

    data = Path(__file__).parent.parent / "data" / "day_case_diabetes.yaml"
    code = (
        "import sys\n"
        "from designer.graph.io import load_pathway\n"
        "from designer.graph.validate import validate\n"
        "from designer.graph.timeline import compute_timeline\n"
        f"p = load_pathway({str(data)!r})\n"
        "validate(p); compute_timeline(p)\n"
        "print('networkx' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent.parent, check=True)
    assert out.stdout.strip() == "False"


def test_a_graph_edited_after_building_is_read_afresh():
    p = surgical()
    g = build_graph(p)
    g.remove_edge("optimise", "pac")
    index = index_for(p, g)
    assert "pac" not in index.succ["optimise"]
