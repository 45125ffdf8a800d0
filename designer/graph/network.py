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
backs, a topological order; :mod:`designer.graph.pathway_index`). :func:`index_for`
keeps one index per graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from designer.graph.model import Pathway
# The index lives in its own module; re-exported here, where the rules look for it.
from designer.graph.pathway_index import (  # noqa: F401
    _ADJ_KEY,
    _INDEX_KEY,
    LazyGraph,
    PathwayIndex,
    _adjacency,
    _digraph,
    index_for,
)

if TYPE_CHECKING:  # networkx is imported only when a graph is really built
    import networkx as nx


def build_graph(pathway: Pathway) -> "nx.DiGraph":
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
    return _digraph(pathway, _adjacency(pathway))


def loop_back_edges(pathway: Pathway, graph: "nx.DiGraph | None" = None) -> set[tuple[str, str]]:
    """Transitions ``(from, to)`` that close loops, such as an optimisation loop.

    They are the back edges of a depth-first search from the entry step following
    transitions in file order.
    """
    return set(index_for(pathway, graph).loop_backs)


def forward_graph(pathway: Pathway, graph: "nx.DiGraph | None" = None) -> "nx.DiGraph":
    """A copy of the graph without the loop-back transitions: a DAG."""
    index = index_for(pathway, graph)
    forward = index.graph.copy()
    forward.graph.pop(_INDEX_KEY, None)
    forward.graph.pop(_ADJ_KEY, None)
    forward.remove_edges_from(index.loop_backs)
    return forward


def reachable(pathway: Pathway, start: str, graph: "nx.DiGraph | None" = None, *,
              forward_only: bool = False) -> set[str]:
    """Steps reachable from ``start`` (``start`` included)."""
    return index_for(pathway, graph).reach([start], forward_only=forward_only)


def reaches(pathway: Pathway, start: str, goal: str, graph: "nx.DiGraph | None" = None, *,
            avoid: Iterable[str] = ()) -> bool:
    """True when a route leads from ``start`` to ``goal`` without passing ``avoid``."""
    avoid_set = set(avoid) - {start}
    return goal in index_for(pathway, graph).reach([start], avoid=avoid_set)


def shortest_route(pathway: Pathway, start: str, goal: str,
                   graph: "nx.DiGraph | None" = None) -> list[str] | None:
    """The route with fewest transitions from ``start`` to ``goal``, or None."""
    import networkx as nx

    g = index_for(pathway, graph).graph
    try:
        return nx.shortest_path(g, start, goal)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def routes(pathway: Pathway, start: str, goal: str, graph: "nx.DiGraph | None" = None,
           limit: int = 100) -> list[list[str]]:
    """Up to ``limit`` simple routes from ``start`` to ``goal`` (loops not repeated)."""
    import networkx as nx

    g = index_for(pathway, graph).graph
    if start not in g or goal not in g:
        return []
    out = []
    for path in nx.all_simple_paths(g, start, goal):
        out.append(path)
        if len(out) >= limit:
            break
    return out
