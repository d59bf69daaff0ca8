"""Graph export: one function per format, each returning deterministic bytes.

Every text of the graph passes `basket.foundation.characters.xml_safe` first, so GraphML and GEXF
are well-formed XML (and DOT labels safe for Graphviz's SVG) whatever text the graph holds.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import networkx as nx

from basket.foundation.characters import xml_safe

FORMATS = ("graphml", "gexf", "json", "cyjs", "dot", "mermaid")


def export_graph(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return writer(xml_safe_graph(graph))


def xml_safe_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`graph`, or a copy whose ids, keys and text values hold only what XML can (see xml_safe)."""
    if all(_safe(node) and _safe_attributes(attrs) for node, attrs in graph.nodes(data=True)) and all(
            _safe_attributes(attrs) for _, _, attrs in graph.edges(data=True)) and _safe_attributes(graph.graph):
        return graph
    clean = nx.MultiDiGraph(**_clean(graph.graph))
    clean.add_nodes_from((_clean(node), _clean(attrs)) for node, attrs in graph.nodes(data=True))
    clean.add_edges_from((_clean(source), _clean(target), _clean(attrs))
                         for source, target, attrs in graph.edges(data=True))
    return clean


def _safe(value: object) -> bool:
    return not isinstance(value, str) or value.isprintable() or xml_safe(value) == value


def _safe_attributes(attrs: dict) -> bool:
    return all(_safe(key) and _safe(value) for key, value in attrs.items())


def _clean(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
    # networkx stamps today's date into <meta>; outputs must be reproducible
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue())


def _node_link(graph: nx.MultiDiGraph) -> bytes:
    data = nx.node_link_data(graph, edges="edges")
    return _json(data)


def _cytoscape(graph: nx.MultiDiGraph) -> bytes:
    elements = {
        "nodes": [{"data": {"id": node, **attrs}} for node, attrs in graph.nodes(data=True)],
        "edges": [
            {"data": {"id": f"e{index}", "source": source, "target": target, **attrs}}
            for index, (source, target, attrs) in enumerate(graph.edges(data=True))
        ],
    }
    return _json({"data": {"name": graph.graph.get("name", "")}, "elements": elements})


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def _dot_quote(value: object) -> str:
    text = xml_safe(str(value)).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _dot(graph: nx.MultiDiGraph) -> bytes:
    lines = [f"digraph {_dot_quote(graph.graph.get('name', 'program'))} {{", "  rankdir=LR;",
             "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];"]
    for node, attrs in graph.nodes(data=True):
        colour = KIND_COLOURS.get(attrs.get("kind", ""), "#dddddd")
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(attrs.get('label', node))}, "
                     f"fillcolor={_dot_quote(colour)}, kind={_dot_quote(attrs.get('kind', ''))}];")
    for source, target, attrs in graph.edges(data=True):
        lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)} [label={_dot_quote(attrs['rel'])}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _mermaid_label(value: object) -> str:
    text = str(value)
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return f'"{text}"'


def _mermaid(graph: nx.MultiDiGraph) -> bytes:
    ids = {node: f"n{index}" for index, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for node, attrs in graph.nodes(data=True):
        lines.append(f"  {ids[node]}[{_mermaid_label(attrs.get('label', node))}]:::{attrs.get('kind', 'other')}")
    for source, target, attrs in graph.edges(data=True):
        lines.append(f"  {ids[source]} -->|{_mermaid_label(attrs['rel'])}| {ids[target]}")
    for kind, colour in KIND_COLOURS.items():
        lines.append(f"  classDef {kind} fill:{colour}")
    return ("\n".join(lines) + "\n").encode("utf-8")


KIND_COLOURS = {
    "umbrella": "#8e7cc3",
    "platform": "#6fa8dc",
    "component": "#9fc5e8",
    "disease": "#e06666",
    "basket": "#f4cccc",
    "gene": "#93c47d",
    "variant": "#ffd966",
    "patient": "#f6b26b",
    "evidence": "#76a5af",
    "natural_history": "#d5a6bd",
}

_WRITERS: dict[str, Callable[[nx.MultiDiGraph], bytes]] = {
    "graphml": _graphml,
    "gexf": _gexf,
    "json": _node_link,
    "cyjs": _cytoscape,
    "dot": _dot,
    "mermaid": _mermaid,
}
