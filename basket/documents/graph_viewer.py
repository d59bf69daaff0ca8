"""The interactive graph viewer page (no network, no CDN).

`viewer_html(graph)` is one self-contained file: it inlines the vendored Cytoscape.js (vendor/, MIT
licence beside it), `viewer.js` and `viewer.css`, and embeds the whole graph as JSON in a
`<script type="application/json">` whose `<`, `>` and `&` are written as \\u003c, \\u003e and
\\u0026, so no label can close the element. A Content-Security-Policy allows only the two inline
scripts, by hash: even an injected handler would not run.

`viewer_site_files(graph, data_file)` is the site's viewer: the page embeds only its first view (the
overview counted per basket, or the focus's neighbourhood; `basket.documents.viewer_data`) and adds
`<script src=data_file>` after first paint, which brings the whole graph; its CSP also allows the
site's own files ('self'). A page opened from file:// cannot fetch() JSON in Chromium, hence a script.

The page opens at ±`hops` around `focus` (default: the umbrella node, or for a graph of more than
`limit` nodes an overview counted per basket) and draws at most `limit` nodes at a time; the depth, the
node kinds shown and the focus are chosen in the page, and the URL fragment (`#node=variant:X&depth=2`,
`#overview`) names what is shown.
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

from basket.documents.viewer_data import GROUP_AT, MANY, MAX_DEPTH, ViewerGraph, first_view, whole_graph
from basket.foundation.characters import xml_safe
from basket.graph.export_formats import KIND_COLOURS

DEFAULT_HOPS = 2
DEFAULT_LIMIT = 400
CYTOSCAPE_VERSION = "3.34.4"
DATA_VARIABLE = "basketGraph"  # the data file sets window.basketGraph
_PLACEHOLDER = re.compile(r"__(TITLE|CSS|DATA|CYTOSCAPE|VIEWER|SCRIPT_SOURCES)__")


@cache
def _asset(name: str) -> str:
    return resources.files("basket.documents").joinpath("viewer_assets").joinpath(name).read_text(encoding="utf-8")


def graph_settings(viewer: ViewerGraph, focus: str | None = None, hops: int = DEFAULT_HOPS,
                   limit: int = DEFAULT_LIMIT, back: str | None = None, pages: dict[str, str] | None = None) -> dict:
    """What viewer.js reads before the graph itself. Without a `focus`, a graph of more than `limit`
    nodes opens on the overview (variants, patients and evidence counted per basket). `back`: the
    site's index page; `pages`: node kind -> folder of the site's page for each node of that kind."""
    hops = min(max(1, hops), MAX_DEPTH)
    overview = focus is None and len(viewer.ids) > limit
    if focus is None:
        focus = next((viewer.ids[i] for i, kind in enumerate(viewer.kinds) if kind == "umbrella"),
                     viewer.ids[0] if viewer.ids else "")
    kinds = list(KIND_COLOURS)
    kinds += sorted(set(viewer.kinds) - set(kinds), key=viewer.kinds.index)
    return {"focus": focus, "hops": hops, "limit": limit, "colours": KIND_COLOURS, "kinds": kinds,
            "total": len(viewer.ids), "overview": overview, "back": back or "", "pages": pages or {},
            "many": list(MANY), "groupAt": GROUP_AT, "maxDepth": MAX_DEPTH}


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


def _page(graph: nx.MultiDiGraph, title: str | None, data: dict, own_files: bool) -> bytes:
    cytoscape = _inline_script(_asset("vendor/cytoscape.min.js"))
    viewer = _inline_script(_asset("viewer.js"))
    values = {
        "TITLE": html.escape(xml_safe(title or str(graph.graph.get("name", "Program graph")))),
        "CSS": _asset("viewer.css"),
        "DATA": xml_safe(script_json(data)),
        "CYTOSCAPE": cytoscape,
        "VIEWER": viewer,
        "SCRIPT_SOURCES": ("'self' " if own_files else "") + f"{_hash(cytoscape)} {_hash(viewer)}",
    }
    page = _PLACEHOLDER.sub(lambda match: values[match.group(1)], _asset("viewer.html"))
    return page.encode("utf-8")


def viewer_html(graph: nx.MultiDiGraph, title: str | None = None, focus: str | None = None,
                hops: int = DEFAULT_HOPS, limit: int = DEFAULT_LIMIT, back: str | None = None,
                pages: dict[str, str] | None = None) -> bytes:
    """One self-contained page with the whole graph embedded."""
    viewer = ViewerGraph(graph)
    settings = graph_settings(viewer, focus, hops, limit, back, pages)
    return _page(graph, title, {**settings, "graph": whole_graph(viewer)}, own_files=False)


def viewer_site_files(graph: nx.MultiDiGraph, data_file: str, title: str | None = None, focus: str | None = None,
                      hops: int = DEFAULT_HOPS, limit: int = DEFAULT_LIMIT, back: str | None = None,
                      pages: dict[str, str] | None = None) -> tuple[bytes, bytes]:
    """The page, embedding its first view, and the script at `data_file` (relative to the page) that
    brings the whole graph."""
    viewer = ViewerGraph(graph)
    settings = graph_settings(viewer, focus, hops, limit, back, pages)
    row = viewer.row(settings["focus"])
    centre = None if settings["overview"] else (0 if row is None else row)  # viewer.js opens row 0 then
    view = first_view(viewer, centre, settings["hops"], limit) if viewer.ids else None
    page = _page(graph, title, {**settings, "view": view, "data": data_file}, own_files=True)
    script = f"window.{DATA_VARIABLE} = {script_json(whole_graph(viewer))};\n".encode()
    return page, script
