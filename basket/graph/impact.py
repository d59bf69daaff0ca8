"""Impact analysis: what a change to one node affects (downstream) or depends on (upstream).

Edges point the way people say them ("patient carries variant"), which is not always the way a
change travels. `DEPENDENCY_DIRECTION` says, per relation, whether a change to the edge's target
affects its source ("reverse") or a change to the source affects the target ("forward"); impact
and selection walk that dependency view, implemented once here.
"""

from __future__ import annotations

import weakref

import networkx as nx

from basket.foundation.garbage_collector import collector_paused
from basket.graph.lookup import require_node

DEPENDENCY_DIRECTION = {
    "has_component": "reverse",  # a component change affects the platform
    "uses": "reverse",  # a platform change affects the umbrella
    "covers": "reverse",  # a disease change affects the umbrella
    "causes": "forward",  # a gene change affects the disease it causes
    "in_gene": "reverse",  # a gene change affects its variants
    "carries": "reverse",  # a variant change affects its patients
    "correctable_by": "reverse",  # a platform change affects every variant it corrects
    "supports": "forward",  # an evidence change affects what it supports
    "describes": "forward",  # a natural-history change affects its disease
    "member_of": "reverse",  # a basket change affects its member variants
    "groups": "reverse",  # a disease change affects its basket (edge: basket groups disease)
}


def dependency_view(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A digraph where u -> v means "a change to u affects v".

    Built once per graph and reused by later queries (rebuilt if the graph has grown or shrunk
    since); treat the result as read-only."""
    key = (graph.number_of_nodes(), graph.number_of_edges())
    cached = _VIEWS.get(graph)
    if cached is not None and cached[0] == key:
        return cached[1]
    view = _build_dependency_view(graph)
    _VIEWS[graph] = (key, view)
    return view


# graph -> (its size when the view was built, the view); entries go when their graph does
_VIEWS: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[tuple[int, int], nx.DiGraph]] = weakref.WeakKeyDictionary()


def _build_dependency_view(graph: nx.MultiDiGraph) -> nx.DiGraph:
    view = nx.DiGraph()
    with collector_paused():  # a dict per node and per edge: the collector's passes cost as much again
        view.add_nodes_from(graph.nodes)
        for source, target, rel in graph.edges(data="rel"):
            if DEPENDENCY_DIRECTION[rel] == "forward":
                view.add_edge(source, target)
            else:
                view.add_edge(target, source)
    return view


def dependents(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Everything a change to `node` affects (downstream)."""
    require_node(graph, node)
    return nx.descendants(dependency_view(graph), node)


def dependencies(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Everything `node` depends on (upstream)."""
    require_node(graph, node)
    return nx.ancestors(dependency_view(graph), node)


def neighbourhood(graph: nx.MultiDiGraph, node: str, hops: int) -> set[str]:
    """Nodes within `hops` edges of `node`, ignoring direction (the viewer's opening view)."""
    require_node(graph, node)
    return set(nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=hops))
