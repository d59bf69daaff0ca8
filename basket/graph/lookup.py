"""Finding a node of the program graph by its id, or by a bare key that names exactly one node."""

from __future__ import annotations

import networkx as nx


class UnknownNode(KeyError):
    def __init__(self, node: str, suggestions: list[str]):
        self.node = node
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no node {node!r} in the program graph{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


def require_node(graph: nx.MultiDiGraph, node: str) -> None:
    if node not in graph:
        import difflib

        raise UnknownNode(node, difflib.get_close_matches(node, [str(n) for n in graph.nodes], n=3))


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """Accept a full node id or a bare key that names exactly one node (`CPS1-Q335X`)."""
    if name in graph:
        return name
    matches = [n for n in graph.nodes if n.split(":", 1)[1] == name]
    if len(matches) == 1:
        return matches[0]
    require_node(graph, name)
    return name
