"""dbt-style selection on the program graph (`--select`), shared by every command that takes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from basket.foundation.problems import InputError, Problem
from basket.graph.build import program_graph
from basket.graph.impact import dependency_view
from basket.graph.lookup import UnknownNode, resolve

if TYPE_CHECKING:
    from basket.plan.umbrella_decision import Plan
    from basket.program.load import LoadedProgram


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


def selected_variants(loaded: LoadedProgram, plan: Plan, selectors: Iterable[str]) -> set[str] | None:
    """Variant ids chosen by dbt-style selectors, or None when nothing was selected."""
    selectors = [s for s in selectors if s]
    if not selectors:
        return None
    graph = program_graph(loaded, plan)
    nodes = select_or_report(graph, selectors)
    return {graph.nodes[n]["label"] for n in nodes if graph.nodes[n]["kind"] == "variant"}


def select_or_report(graph: nx.MultiDiGraph, selectors: list[str]) -> set[str]:
    """`select`, with a selector that names no node reported as bad input (`--select`)."""
    try:
        return select(graph, selectors)
    except UnknownNode as error:
        raise InputError([Problem("--select", 0, "", str(error))]) from None
