"""The interactive graph viewer: one self-contained HTML file (no network, no CDN).

`viewer_html(graph)` inlines the vendored Cytoscape.js (vendor/, MIT licence
beside it), `viewer.js` and `viewer.css`, and embeds the graph as JSON in a
`<script type="application/json">` whose `<`, `>` and `&` are written as
\\u003c, \\u003e and \\u0026, so no label can close the element. A
Content-Security-Policy allows only the two inline scripts, by hash: even an
injected handler would not run. The page opens at ±`hops` around `focus`
(default: the umbrella node, or for a graph of more than `limit` nodes an
overview counted per basket) and draws at most `limit` nodes at a time; the
depth, the node kinds shown and the focus are chosen in the page, and the URL
fragment (`#node=variant:X&depth=2`, `#overview`) names what is shown.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from importlib import resources

import networkx as nx

from basket.foundation.characters import xml_safe
from basket.graph.export_formats import KIND_COLOURS

DEFAULT_HOPS = 2
DEFAULT_LIMIT = 400
CYTOSCAPE_VERSION = "3.34.4"
_PLACEHOLDER = re.compile(r"__(TITLE|CSS|DATA|CYTOSCAPE|VIEWER|SCRIPT_HASHES)__")


@cache
def _asset(name: str) -> str:
    return resources.files("basket.documents").joinpath("viewer_assets").joinpath(name).read_text(encoding="utf-8")


def graph_data(graph: nx.MultiDiGraph, focus: str | None = None, hops: int = DEFAULT_HOPS,
               limit: int = DEFAULT_LIMIT, back: str | None = None, pages: dict[str, str] | None = None) -> dict:
    """What viewer.js reads. Without a `focus`, a graph of more than `limit` nodes opens on the
    overview (variants, patients and evidence counted per basket). `back`: the site's index page;
    `pages`: node kind -> folder of the site's page for each node of that kind."""
    ids = list(graph.nodes)
    index = {node: i for i, node in enumerate(ids)}
    nodes = []
    for node, attrs in graph.nodes(data=True):
        extra = [[str(k), _text(v)] for k, v in sorted(attrs.items()) if k not in ("kind", "label")]
        nodes.append({"id": str(node), "kind": str(attrs.get("kind", "other")),
                      "label": _text(attrs.get("label", node)), "attrs": extra})
    edges = [[index[s], index[t], str(attrs.get("rel", ""))] for s, t, attrs in graph.edges(data=True)]
    overview = focus is None and len(ids) > limit
    if focus is None:
        focus = next((n for n in ids if graph.nodes[n].get("kind") == "umbrella"), ids[0] if ids else "")
    return {"focus": focus, "hops": hops, "limit": limit, "colours": KIND_COLOURS, "nodes": nodes, "edges": edges,
            "overview": overview, "back": back or "", "pages": pages or {}}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element: it cannot contain `<`, `>` or `&`."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _inline_script(source: str) -> str:
    if re.search(r"</script", source, re.IGNORECASE) or "<!--" in source:
        raise ValueError("an inlined script must not contain '</script' or '<!--'")
    return source


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def viewer_html(graph: nx.MultiDiGraph, title: str | None = None, focus: str | None = None,
                hops: int = DEFAULT_HOPS, limit: int = DEFAULT_LIMIT, back: str | None = None,
                pages: dict[str, str] | None = None) -> bytes:
    cytoscape = _inline_script(_asset("vendor/cytoscape.min.js"))
    viewer = _inline_script(_asset("viewer.js"))
    values = {
        "TITLE": html.escape(xml_safe(title or str(graph.graph.get("name", "Program graph")))),
        "CSS": _asset("viewer.css"),
        "DATA": xml_safe(script_json(graph_data(graph, focus, hops, limit, back, pages))),
        "CYTOSCAPE": cytoscape,
        "VIEWER": viewer,
        "SCRIPT_HASHES": f"{_hash(cytoscape)} {_hash(viewer)}",
    }
    page = _PLACEHOLDER.sub(lambda match: values[match.group(1)], _asset("viewer.html"))
    return page.encode("utf-8")
