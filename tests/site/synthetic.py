"""A synthetic program graph of a given size, shaped like a real one (for the viewer's scale test)."""

from __future__ import annotations

import networkx as nx


def synthetic_graph(size: int = 10_000, payload: str | None = None) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name=f"synthetic program of {size} nodes")
    graph.add_node("umbrella:U", kind="umbrella", label=payload or "Synthetic umbrella")
    graph.add_node("platform:P", kind="platform", label="Synthetic platform")
    graph.add_edge("umbrella:U", "platform:P", rel="uses")
    for c in range(3):
        graph.add_node(f"component:c{c}", kind="component", label=f"component {c}")
        graph.add_edge("platform:P", f"component:c{c}", rel="has_component")
    diseases = 40
    for d in range(diseases):
        graph.add_node(f"disease:D{d}", kind="disease", label=f"disease {d}")
        graph.add_node(f"basket:D{d}", kind="basket", label=f"disease {d} basket")
        graph.add_node(f"gene:G{d}", kind="gene", label=f"GENE{d}")
        graph.add_edge("umbrella:U", f"disease:D{d}", rel="covers")
        graph.add_edge(f"basket:D{d}", f"disease:D{d}", rel="groups")
        graph.add_edge(f"gene:G{d}", f"disease:D{d}", rel="causes")
    v = 0
    while graph.number_of_nodes() < size:
        d = v % diseases
        variant = f"variant:V{v}"
        graph.add_node(variant, kind="variant", label=f"GENE{d}-V{v}", status="proposed")
        graph.add_edge(variant, f"gene:G{d}", rel="in_gene")
        graph.add_edge(variant, f"basket:D{d}", rel="member_of")
        graph.add_edge(variant, "platform:P", rel="correctable_by")
        if graph.number_of_nodes() < size and v % 3 == 0:
            graph.add_node(f"evidence:E{v}", kind="evidence", label=f"EV-{v}", element=2)
            graph.add_edge(f"evidence:E{v}", variant, rel="supports")
        if graph.number_of_nodes() < size and v % 5 == 0:
            graph.add_node(f"patient:PT-{v}", kind="patient", label=f"PT-{v}")
            graph.add_edge(f"patient:PT-{v}", variant, rel="carries")
        v += 1
    return graph
