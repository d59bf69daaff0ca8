from __future__ import annotations

from pathlib import Path

import pytest

from basket.graph.build import program_graph
from basket.graph.impact import dependencies, dependents, neighbourhood
from basket.graph.lookup import UnknownNode, resolve
from basket.graph.selection import select
from basket.plan.umbrella_decision import checked_plan
from basket.program.load import load_program


@pytest.fixture
def graph(example: Path):
    loaded = load_program(example)
    return program_graph(loaded, checked_plan(loaded))


def test_nodes_and_edges_follow_the_vocabulary(graph):
    kinds = {attrs["kind"] for _, attrs in graph.nodes(data=True)}
    assert {"umbrella", "platform", "component", "disease", "gene", "variant", "patient", "evidence",
            "natural_history", "basket"} <= kinds
    rels = {rel for _, _, rel in graph.edges(data="rel")}
    assert {"has_component", "uses", "covers", "causes", "in_gene", "carries", "correctable_by", "supports",
            "describes", "member_of"} <= rels


def test_correctable_by_edge_carries_the_guide(graph):
    edges = [attrs for s, t, attrs in graph.edges(data=True) if attrs["rel"] == "correctable_by"]
    q335x = [attrs for s, t, attrs in graph.edges("variant:CPS1-Q335X", data=True) if attrs["rel"] == "correctable_by"]
    assert len(q335x) == 1 and q335x[0]["target_position"] == 8 and q335x[0]["pam"].endswith("GC")
    assert all("protospacer" in e for e in edges)
    assert not any(attrs["rel"] == "correctable_by" for _, _, attrs in graph.edges("variant:CPS1-E714X", data=True))


def test_component_change_reaches_variants_and_patients(graph):
    lnp = next(n for n, a in graph.nodes(data=True) if a["kind"] == "component" and a["component_kind"] == "LNP")
    affected = dependents(graph, lnp)
    assert "variant:CPS1-Q335X" in affected
    assert "patient:PT-001" in affected
    assert "variant:CPS1-E714X" not in affected  # outside the umbrella: no platform edge


def test_dependencies_are_the_reverse_question(graph):
    upstream = dependencies(graph, "variant:CPS1-Q335X")
    assert "gene:CPS1" in upstream
    assert any(n.startswith("component:") for n in upstream)
    assert "patient:PT-001" not in upstream


def test_selectors(graph):
    assert select(graph, ["variant:CPS1-Q335X"]) == {"variant:CPS1-Q335X"}
    downstream = select(graph, ["gene:CPS1+"])
    assert {"variant:CPS1-Q335X", "variant:CPS1-E714X", "patient:PT-001"} <= downstream
    upstream = select(graph, ["+variant:CPS1-Q335X"])
    assert "gene:CPS1" in upstream and "patient:PT-001" not in upstream
    assert select(graph, []) == set(graph.nodes)


def test_unknown_node_suggests(graph):
    with pytest.raises(UnknownNode) as caught:
        resolve(graph, "variant:CPS1-Q335")
    assert "variant:CPS1-Q335X" in str(caught.value)
    assert resolve(graph, "CPS1-Q335X") == "variant:CPS1-Q335X"


def test_neighbourhood_is_bounded_by_hops(graph):
    one = neighbourhood(graph, "variant:CPS1-Q335X", 1)
    two = neighbourhood(graph, "variant:CPS1-Q335X", 2)
    assert "gene:CPS1" in one and "disease:OMIM:237300" not in one
    assert "disease:OMIM:237300" in two and one < two
