"""The program as a typed graph, and the questions asked of it.

Nodes carry `kind` and `label`; edges carry `rel` (vocabulary in DESIGN.md).
Edges point the way people say them ("patient carries variant"), which is not
always the way a change travels. `DEPENDENCY_DIRECTION` says, per relation,
whether a change to the edge's target affects its source ("reverse") or a
change to the source affects the target ("forward"); impact and selection
walk that dependency view, implemented once here.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import networkx as nx

from basket.model import Program

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



def node_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def build_graph(program: Program, corrections: dict[str, dict] | None = None) -> nx.MultiDiGraph:
    """The program graph; `corrections` maps variant id to the guide attributes of its
    `correctable_by` edge (from the plan); without it no such edges are drawn."""
    graph = nx.MultiDiGraph(name=program.umbrella.title)
    _add_platform(graph, program)
    _add_diseases(graph, program)
    _add_variants(graph, program, corrections or {})
    _add_patients(graph, program)
    _add_evidence(graph, program)
    return graph


def _add_platform(graph: nx.MultiDiGraph, program: Program) -> None:
    umbrella, platform = program.umbrella, program.platform
    u, p = node_id("umbrella", umbrella.id), node_id("platform", platform.id)
    graph.add_node(u, kind="umbrella", label=umbrella.short_title or umbrella.title, version=umbrella.protocol_version)
    graph.add_node(p, kind="platform", label=platform.name, editor=platform.editor, delivery=platform.delivery)
    graph.add_edge(u, p, rel="uses")
    for component in platform.components:
        c = node_id("component", component.id)
        graph.add_node(c, kind="component", label=component.name, component_kind=component.kind,
                       shared=component.shared, version=component.version or "")
        graph.add_edge(p, c, rel="has_component")


def _add_diseases(graph: nx.MultiDiGraph, program: Program) -> None:
    u = node_id("umbrella", program.umbrella.id)
    covered = set(program.umbrella.diseases)
    for gene in program.genes:
        graph.add_node(node_id("gene", gene.symbol), kind="gene", label=gene.symbol, transcript=gene.transcript)
    for disease in program.diseases:
        d = node_id("disease", disease.id)
        graph.add_node(d, kind="disease", label=disease.name, covered=disease.id in covered)
        b = node_id("basket", disease.id)
        graph.add_node(b, kind="basket", label=f"{disease.name} basket")
        graph.add_edge(b, d, rel="groups")
        if disease.id in covered:
            graph.add_edge(u, d, rel="covers")
        for symbol in disease.genes:
            graph.add_edge(node_id("gene", symbol), d, rel="causes")
        for history in disease.natural_history:
            n = node_id("natural_history", history.id)
            graph.add_node(n, kind="natural_history", label=history.source, n=history.n or 0)
            graph.add_edge(n, d, rel="describes")


def _add_variants(graph: nx.MultiDiGraph, program: Program, corrections: dict[str, dict]) -> None:
    p = node_id("platform", program.platform.id)
    for variant in program.variants:
        v = node_id("variant", variant.id)
        graph.add_node(v, kind="variant", label=variant.id, hgvs_c=variant.hgvs_c, status=variant.status)
        graph.add_edge(v, node_id("gene", variant.gene), rel="in_gene")
        disease = program.disease_of(variant)
        if disease is not None:
            graph.add_edge(v, node_id("basket", disease.id), rel="member_of")
        if variant.id in corrections:
            graph.add_edge(v, p, rel="correctable_by", **corrections[variant.id])


def _add_patients(graph: nx.MultiDiGraph, program: Program) -> None:
    for patient in program.patients:
        node = node_id("patient", patient.id)
        graph.add_node(node, kind="patient", label=patient.id, status=patient.status)
        for allele in sorted({a.variant for a in patient.genotype}):
            graph.add_edge(node, node_id("variant", allele), rel="carries")


def _add_evidence(graph: nx.MultiDiGraph, program: Program) -> None:
    for item in program.evidence:
        e = node_id("evidence", item.id)
        graph.add_node(e, kind="evidence", label=item.id, element=item.element, evidence_kind=item.kind)
        graph.add_edge(e, item.subject, rel="supports", element=item.element)


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
    view.add_nodes_from(graph.nodes)
    for source, target, rel in graph.edges(data="rel"):
        if DEPENDENCY_DIRECTION[rel] == "forward":
            view.add_edge(source, target)
        else:
            view.add_edge(target, source)
    return view


def dependents(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Everything a change to `node` affects (downstream)."""
    _require(graph, node)
    return nx.descendants(dependency_view(graph), node)


def dependencies(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Everything `node` depends on (upstream)."""
    _require(graph, node)
    return nx.ancestors(dependency_view(graph), node)


class UnknownNode(KeyError):
    def __init__(self, node: str, suggestions: list[str]):
        self.node = node
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no node {node!r} in the program graph{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


def _require(graph: nx.MultiDiGraph, node: str) -> None:
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
    _require(graph, name)
    return name


def select(graph: nx.MultiDiGraph, selectors: Iterable[str]) -> set[str]:
    """dbt-style selection: `node`, `+node` (with upstream), `node+` (with downstream).

    Several selectors are a union. An empty selection means every node.
    """
    selectors = [s for s in selectors if s]
    if not selectors:
        return set(graph.nodes)
    view = dependency_view(graph)
    chosen: set[str] = set()
    for selector in selectors:
        upstream, downstream = selector.startswith("+"), selector.endswith("+")
        node = resolve(graph, selector.strip("+"))
        chosen.add(node)
        if upstream:
            chosen |= nx.ancestors(view, node)
        if downstream:
            chosen |= nx.descendants(view, node)
    return chosen


def neighbourhood(graph: nx.MultiDiGraph, node: str, hops: int) -> set[str]:
    """Nodes within `hops` edges of `node`, ignoring direction (the viewer's opening view)."""
    _require(graph, node)
    return set(nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, cutoff=hops))
