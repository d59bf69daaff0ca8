"""Static pictures of the program graph, drawn by Graphviz `dot`.

`schema_dot` is the trial schema of the master protocol (umbrella → shared
platform → disease baskets → variant appendices), kept small enough to read
on a page: at most `MAX_VARIANTS_PER_BASKET` variants per basket are named,
the rest are counted. `graph_picture` draws any program graph (for
`basket picture`). Labels are escaped for DOT and hold only what XML can
(`xml_safe`); Graphviz escapes them again for SVG, so program text never
becomes markup and the SVG is well-formed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from functools import lru_cache

import networkx as nx

from basket.foundation.characters import xml_safe
from basket.graph.export_formats import KIND_COLOURS, export_graph
from basket.plan.guide_design import REASON_CODES
from basket.plan.umbrella_decision import Plan
from basket.program.model import Program

MAX_VARIANTS_PER_BASKET = 12
PICTURE_FORMATS = ("svg", "png")


class GraphvizMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Graphviz `dot` was not found on PATH; install graphviz "
                         "(scripts/install-system-deps.sh) to draw graph pictures")


def dot_executable() -> str | None:
    return shutil.which("dot")


@lru_cache(maxsize=1)
def graphviz_version() -> str | None:
    """`dot -V` as a short string (recorded in the manifest), or None when Graphviz is missing."""
    dot = dot_executable()
    if dot is None:
        return None
    result = subprocess.run([dot, "-V"], capture_output=True, text=True, check=False)
    return (result.stderr or result.stdout).strip() or "graphviz"


def run_dot(source: str, fmt: str) -> bytes:
    if fmt not in PICTURE_FORMATS:
        raise ValueError(f"unknown picture format {fmt!r}; choose one of {', '.join(PICTURE_FORMATS)}")
    dot = dot_executable()
    if dot is None:
        raise GraphvizMissing()
    args = [dot, f"-T{fmt}"] + (["-Gdpi=110"] if fmt == "png" else [])
    result = subprocess.run(args, input=source.encode("utf-8"), capture_output=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"dot failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout


def quote(value: object) -> str:
    text = xml_safe(str(value)).replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", "\\n")
    return f'"{text}"'


def schema_dot(program: Program, plan: Plan) -> str:
    umbrella, platform = program.umbrella, program.platform
    lines = [
        "digraph schema {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=10, nodesep=0.15, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.12,0.04"];',
        '  edge [color="#777777", arrowsize=0.6];',
        f"  u [label={quote(umbrella.short_title or umbrella.id)}, fillcolor={quote(KIND_COLOURS['umbrella'])}];",
        f"  p [label={quote(platform.name + chr(10) + 'shared platform')}, fillcolor={quote(KIND_COLOURS['platform'])}];",
        "  u -> p;",
    ]
    for index, disease_id in enumerate(umbrella.diseases):
        disease = program.diseases_by_id[disease_id]
        b = f"b{index}"
        members = [v for v in plan.variants if v.basket == disease.id]
        label = f"{disease.name}\n({', '.join(disease.genes)})"
        lines.append(f"  {b} [label={quote(label)}, fillcolor={quote(KIND_COLOURS['basket'])}];")
        lines.append(f"  p -> {b};")
        for number, item in enumerate(members[:MAX_VARIANTS_PER_BASKET]):
            v = f"v{index}_{number}"
            if item.in_umbrella:
                attrs = f"fillcolor={quote(KIND_COLOURS['variant'])}"
                text = f"{item.variant}\nappendix"
            else:
                attrs = 'fillcolor="#eeeeee", style="rounded,filled,dashed", fontcolor="#555555"'
                text = f"{item.variant}\noutside: {REASON_CODES.get(item.reason_code, item.reason_code)}"
            lines.append(f"  {v} [label={quote(text)}, {attrs}];")
            lines.append(f"  {b} -> {v}{' [style=dashed]' if not item.in_umbrella else ''};")
        hidden = len(members) - MAX_VARIANTS_PER_BASKET
        if hidden > 0:
            lines.append(f'  more{index} [label={quote(f"… {hidden} more variants")}, shape=plaintext, style=""];')
            lines.append(f"  {b} -> more{index} [style=dotted];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def schema_pictures(program: Program, plan: Plan, formats: Iterable[str] = PICTURE_FORMATS) -> dict[str, bytes]:
    source = schema_dot(program, plan)
    return {f"graph/trial-schema.{fmt}": run_dot(source, fmt) for fmt in formats}


def graph_picture(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """Any program graph (or selection of it) as SVG or PNG."""
    return run_dot(export_graph(graph, "dot").decode("utf-8"), fmt)
