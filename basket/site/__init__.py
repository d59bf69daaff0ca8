"""The static documentation site of a program (`basket docs PROGRAM -o SITE`).

    index.html              umbrella, disease baskets, readiness, what is still to be provided
    overview.html           the master protocol (same HTML as `basket render --format html`)
    appendices/<id>.html    one page per intervention-specific appendix
    readiness.html          the full readiness matrix (basket.readiness_report)
    graph.html              the interactive graph viewer (basket.viewer), one self-contained file
    graph/trial-schema.svg  Graphviz pictures, when `dot` is installed (or required with pictures=True)
    graph/program.svg

`build_site` is pure (files as bytes); `write_site` swaps them in atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from basket.load import LoadedProgram
from basket.plan import Plan

SITE_INDEX_TEMPLATE = "site/index.html.j2"
MAX_PICTURE_NODES = 400  # Graphviz pictures of bigger graphs are unreadable and slow; the viewer covers them


def build_site(
    loaded: LoadedProgram,
    plan: Plan,
    templates: Path | None = None,
    focus: str | None = None,
    pictures: bool | None = None,
) -> dict[str, bytes]:
    from basket.api import program_graph
    from basket.readiness import assess
    from basket.readiness_report import readiness_output
    from basket.render import collect_documents, with_markdown
    from basket.render.environment import make_templates
    from basket.render.formats import html_text
    from basket.render.pictures import dot_executable, graph_picture
    from basket.viewer import viewer_html

    environments = make_templates(templates)
    documents = with_markdown(environments, collect_documents(loaded, plan, None, pictures))
    graph = program_graph(loaded, plan)
    report = assess(loaded, plan)
    files: dict[str, bytes] = {}
    for doc in documents:
        depth = doc.stem.count("/")
        up = "../" * depth
        nav = [{"href": f"{up}index.html", "label": "Site index"}, {"href": f"{up}graph.html", "label": "Graph"}]
        if doc.kind == "appendix":
            nav.insert(1, {"href": f"{up}overview.html", "label": "Master protocol"})
        files[f"{doc.stem}.html"] = html_text(environments, doc, nav).encode("utf-8")
        files.update({path: data for path, data in doc.assets.items() if path.endswith(".svg")})
    draw = pictures or (pictures is None and dot_executable() is not None)
    if draw and graph.number_of_nodes() <= MAX_PICTURE_NODES:
        files["graph/program.svg"] = graph_picture(graph, "svg")
    umbrella = loaded.program.umbrella
    title = umbrella.short_title or umbrella.title
    files["graph.html"] = viewer_html(graph, title=f"{title} — program graph", focus=focus)
    files["readiness.html"] = readiness_output(report, "html").encode("utf-8")
    context = site_context(loaded, plan, documents, report, sorted(files))
    files["index.html"] = environments.html.get_template(SITE_INDEX_TEMPLATE).render(**context).encode("utf-8")
    return dict(sorted(files.items()))


def site_context(loaded: LoadedProgram, plan: Plan, documents: list, report: Any, files: list[str]) -> dict[str, Any]:
    program = loaded.program
    umbrella = program.umbrella
    overview = documents[0].context
    readiness = {v.variant: v for v in report.variants}
    return {
        "umbrella": overview["umbrella"],
        "platform": {"name": program.platform.name, "modality": program.platform.modality},
        "counts": overview["counts"],
        "baskets": [{"id": b["id"], "name": b["name"], "genes": b["genes"], "members": b["members"],
                     "inside": b["inside"]} for b in overview["baskets"]],
        "variants": [
            {
                "id": item.variant, "gene": item.gene, "disease": item.disease_name or "—",
                "in_umbrella": item.in_umbrella, "reason": item.reason,
                "page": f"appendices/{item.variant}.html" if item.in_umbrella else "",
                "elements": [{"number": n, "status": e.status, "label": e.label}
                             for n, e in sorted(readiness[item.variant].elements.items())]
                if item.variant in readiness else [],
                "gate": ("passes" if readiness[item.variant].gate.passed else "fails")
                if item.variant in readiness else "—",
            }
            for item in plan.variants
        ],
        "gaps": [{"document": doc.stem, "what": what} for doc in documents for what in doc.gaps],
        "pictures": [f for f in files if f.startswith("graph/") and f.endswith(".svg")],
        "title": umbrella.short_title or umbrella.title,
    }


def write_site(out: Path, files: dict[str, bytes]) -> None:
    from basket.atomic import replace_directory

    with replace_directory(out) as staging:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
