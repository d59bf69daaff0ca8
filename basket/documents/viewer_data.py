"""What the graph viewer reads: the whole graph as rows, and the small first view the page draws from.

`whole_graph` is every node (id, kind, label, attributes), every edge (`[source, target, rel]` as node
row numbers) and the overview's groups (`[kind, anchor, rel, members]`: a basket's variants, patients or
evidence, counted per basket). `first_view` is what the page shows before the whole graph is read: the
overview of a large graph, or the neighbourhood of the focus, made of the same row numbers, so the page
keeps what it drew once the whole graph arrives (in the site, from `data/graph.js` after first paint).

`first_view`'s neighbourhood is the one viewer.js's `neighbourhood()` computes with no kind hidden: the
same breadth-first order, the same grouping at hubs and the same cap, so the picture does not change when
the whole graph arrives (tests/site/test_viewer_browser.py compares the two).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx

# Kinds that grow with the program: counted per basket in the overview, grouped at a hub (see viewer.js)
MANY = ("evidence", "patient", "variant")
MAX_DEPTH = 4  # hops the page offers
GROUP_AT = 12  # more than this many nodes of one MANY kind around a node are drawn as one group
GROUP_RELS = {"variant": "member_of", "patient": "carries", "evidence": "supports"}
OVERVIEW_RANKS = {"umbrella": 5, "platform": 4, "disease": 3, "component": 3, "basket": 2}  # rings, inside out


@dataclass(frozen=True)
class ViewerGraph:
    """The graph as the viewer numbers it: node rows in graph order, edge rows in graph order."""

    graph: nx.MultiDiGraph

    @cached_property
    def ids(self) -> list[str]:
        return [str(node) for node in self.graph.nodes]

    @cached_property
    def kinds(self) -> list[str]:
        return [str(kind) for _, kind in self.graph.nodes(data="kind", default="other")]

    @cached_property
    def labels(self) -> list[str]:
        return [_text(attrs.get("label", node)) for node, attrs in self.graph.nodes(data=True)]

    @cached_property
    def edges(self) -> list[tuple[int, int, str]]:
        row = {node: i for i, node in enumerate(self.graph.nodes)}
        return [(row[s], row[t], str(rel)) for s, t, rel in self.graph.edges(data="rel", default="")]

    @cached_property
    def adjacency(self) -> list[list[int]]:
        """Per node, its edge rows in edge order (as viewer.js builds it; a loop is listed twice)."""
        adjacency: list[list[int]] = [[] for _ in self.ids]
        for k, (s, t, _) in enumerate(self.edges):
            adjacency[s].append(k)
            adjacency[t].append(k)
        return adjacency

    def row(self, node_id: str) -> int | None:
        return self._rows.get(node_id)

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {node: i for i, node in enumerate(self.ids)}


@dataclass(frozen=True)
class Group:
    kind: str
    anchor: int  # the node row it hangs from, -1 for none
    rel: str
    members: list[int]


def whole_graph(viewer: ViewerGraph) -> dict:
    nodes = [{"id": viewer.ids[i], "kind": viewer.kinds[i], "label": viewer.labels[i],
              "attrs": [[str(k), _text(v)] for k, v in sorted(attrs.items()) if k not in ("kind", "label")]}
             for i, (_, attrs) in enumerate(viewer.graph.nodes(data=True))]
    groups = [[g.kind, g.anchor, g.rel, g.members] for g in overview_groups(viewer)]
    return {"nodes": nodes, "edges": [list(edge) for edge in viewer.edges], "groups": groups}


def overview_groups(viewer: ViewerGraph) -> list[Group]:
    """The nodes of each MANY kind grouped by the basket they belong to (in order of first member)."""
    made: dict[tuple[str, int], Group] = {}
    for i, kind in enumerate(viewer.kinds):
        if kind in MANY:
            anchor = _basket_of(viewer, i)
            made.setdefault((kind, anchor), Group(kind, anchor, GROUP_RELS[kind], [])).members.append(i)
    return list(made.values())


def _basket_of(viewer: ViewerGraph, i: int) -> int:
    """A variant's basket; a patient's or an evidence item's through the first variant it links to; an
    evidence item about a gene, disease or the platform hangs from its subject; else -1."""
    if viewer.kinds[i] == "variant":
        return next((t for s, t, rel in (viewer.edges[k] for k in viewer.adjacency[i])
                     if s == i and rel == "member_of"), -1)
    subject = -1
    for k in viewer.adjacency[i]:
        s, t, _ = viewer.edges[k]
        other = t if s == i else s
        if viewer.kinds[other] == "variant":
            return _basket_of(viewer, other)
        if subject < 0 and viewer.kinds[i] == "evidence" and s == i:
            subject = other
    return subject


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# ---- the first view --------------------------------------------------------------------------------

def first_view(viewer: ViewerGraph, centre: int | None, hops: int, limit: int) -> dict:
    """The overview (`centre` None) or the neighbourhood of `centre`, as viewer.js's `drawView` reads it:
    `nodes` [row, id, kind, label, rank], `edges` [row, source, target, rel], `groups` [kind, anchor,
    rel, count, rank], `hidden` (nodes past the cap)."""
    if centre is None:
        return _overview(viewer)
    return _neighbourhood_view(viewer, centre, hops, limit)


def _node(viewer: ViewerGraph, i: int, rank: int) -> list:
    return [i, viewer.ids[i], viewer.kinds[i], viewer.labels[i], rank]


def _overview(viewer: ViewerGraph) -> dict:
    shown = [i for i, kind in enumerate(viewer.kinds) if kind not in MANY]
    nodes, edges = [], []
    for i in shown:
        nodes.append(_node(viewer, i, OVERVIEW_RANKS.get(viewer.kinds[i], 1)))
        edges += [[k, *viewer.edges[k]] for k in viewer.adjacency[i]
                  if viewer.edges[k][0] == i and viewer.kinds[viewer.edges[k][1]] not in MANY]
    groups = [[g.kind, g.anchor, g.rel, len(g.members), 0] for g in overview_groups(viewer)]
    return {"centre": None, "nodes": nodes, "edges": edges, "groups": groups, "hidden": 0}


def _neighbourhood_view(viewer: ViewerGraph, start: int, hops: int, limit: int) -> dict:
    """viewer.js `neighbourhood(start, hops, limit)` with no kind hidden, then `show`'s elements."""
    dist, queue, groups, hidden = {start: 0}, [start], [], 0
    for here in queue:  # the queue grows while it is read
        d = dist[here]
        if d >= hops:
            continue
        by_kind: dict[str, list[tuple[int, str]]] = {}
        for k in viewer.adjacency[here]:
            s, t, rel = viewer.edges[k]
            other = t if s == here else s
            if other not in dist:
                by_kind.setdefault(viewer.kinds[other], []).append((other, rel))
        for kind in sorted(by_kind):
            reached = by_kind[kind]
            if kind in MANY and len(reached) > GROUP_AT:
                groups.append([kind, here, reached[0][1], len(reached), hops - d - 1])
                continue
            for other, _ in reached:
                if other in dist:
                    continue
                if len(dist) >= limit:
                    hidden += 1
                    continue
                dist[other] = d + 1
                queue.append(other)
    nodes = [_node(viewer, i, hops - d) for i, d in dist.items()]
    edges = [[k, *viewer.edges[k]] for i in dist for k in viewer.adjacency[i]
             if viewer.edges[k][0] == i and viewer.edges[k][1] in dist]
    return {"centre": start, "nodes": nodes, "edges": edges, "groups": groups, "hidden": hidden}
