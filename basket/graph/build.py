"""The program as a typed graph: platform, components, diseases, genes, variants, patients, evidence.

Nodes carry `kind` and `label`; edges carry `rel` (the vocabulary is in docs/program-format.md,
"The program graph"). Edges point the way people say them ("patient carries variant"); `basket.graph.impact`
turns them into the direction a change travels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from basket.program.model import Program

if TYPE_CHECKING:
    from basket.plan.umbrella_decision import Plan
    from basket.program.load import LoadedProgram


def node_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def build_graph(program: Program, plan: Plan | None = None) -> nx.MultiDiGraph:
    """The program graph. With the plan, variants carry its classification and umbrella decision
    and the platform's `correctable_by` edges carry each corrected variant's guide; without it
    neither is there."""
    graph = nx.MultiDiGraph(name=program.umbrella.title)
    _add_platform(graph, program)
    _add_diseases(graph, program)
    _add_variants(graph, program, plan)
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


def _add_variants(graph: nx.MultiDiGraph, program: Program, plan: Plan | None) -> None:
    p = node_id("platform", program.platform.id)
    corrections = plan.corrections() if plan is not None else {}
    decisions = {item.variant: item for item in plan.variants} if plan is not None else {}
    for variant in program.variants:
        v = node_id("variant", variant.id)
        disease = program.disease_of(variant)
        # gene, disease, status, classification and in_umbrella are what `--select` matches by attribute
        graph.add_node(v, kind="variant", label=variant.id, hgvs_c=variant.hgvs_c, status=variant.status,
                       gene=variant.gene, disease=disease.id if disease is not None else "")
        decision = decisions.get(variant.id)
        if decision is not None:
            graph.nodes[v].update(classification=decision.classification, in_umbrella=decision.in_umbrella)
        graph.add_edge(v, node_id("gene", variant.gene), rel="in_gene")
        if disease is not None:
            graph.add_edge(v, node_id("basket", disease.id), rel="member_of")
        if variant.id in corrections:
            graph.add_edge(v, p, rel="correctable_by", **corrections[variant.id])


def _add_patients(graph: nx.MultiDiGraph, program: Program) -> None:
    for patient in program.patients:
        node = node_id("patient", patient.id)
        graph.add_node(node, kind="patient", label=patient.id, status=patient.status, disease=patient.disease)
        for allele in sorted({a.variant for a in patient.genotype}):
            graph.add_edge(node, node_id("variant", allele), rel="carries")


def _add_evidence(graph: nx.MultiDiGraph, program: Program) -> None:
    for item in program.evidence:
        e = node_id("evidence", item.id)
        graph.add_node(e, kind="evidence", label=item.id, element=item.element, evidence_kind=item.kind,
                       status=item.status)
        graph.add_edge(e, item.subject, rel="supports", element=item.element)


def program_graph(loaded: LoadedProgram, plan: Plan) -> nx.MultiDiGraph:
    """The graph of a loaded program, with the plan's decisions on its variants and its guides on the
    `correctable_by` edges."""
    return build_graph(loaded.program, plan)
