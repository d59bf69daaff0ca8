"""The static documentation site of a program (`basket docs PROGRAM -o SITE`).

    index.html              umbrella, disease baskets, readiness, what is still to be provided
    overview.html           the master protocol (same HTML as `basket render --format html`)
    appendices/<id>.html    one page per intervention-specific appendix
    readiness.html          the full readiness matrix (basket.documents.readiness_report)
    graph.html              the interactive graph viewer (basket.documents.graph_viewer), one self-contained file
    graph/trial-schema.svg  Graphviz pictures, when `dot` is installed (or required with pictures=True)
    graph/program.svg

    manifest.json           the sha256 of every program file and page, and how the site was made
                            (`basket.documents.render_record`, kind "site"), for `basket verify`

`iter_site` makes the files one document at a time; `write_site` writes them as they come into a
staging folder swapped in whole; `write_program_site` does both, with the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from basket.documents.template_environment import Templates
from basket.plan.umbrella_decision import Plan
from basket.program.load import LoadedProgram

SITE_INDEX_TEMPLATE = "site/index.html.j2"
MAX_PICTURE_NODES = 400  # Graphviz pictures of bigger graphs are unreadable and slow; the viewer covers them


def iter_site(
    loaded: LoadedProgram,
    plan: Plan,
    templates: Path | None = None,
    focus: str | None = None,
    pictures: bool | None = None,
    environments: Templates | None = None,
) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """The site's files as (path, bytes), one document at a time (as `basket render` makes them),
    index.html last: it lists what every page still lacks. The two pages that grow with the program
    (readiness.html, index.html) come as an iterator of pieces, so they never exist whole.
    `environments`: the jinja environments to use (else made for `templates`)."""
    from basket.documents.graph_viewer import viewer_html
    from basket.documents.graphviz_pictures import dot_executable, graph_picture
    from basket.documents.output_formats import html_text
    from basket.documents.readiness_report import html_pieces as readiness_html
    from basket.documents.rendering import iter_documents, markdown_document
    from basket.documents.template_environment import bounds_for, make_templates, render_chunks
    from basket.evidence.readiness_rules import assess
    from basket.foundation.garbage_collector import collector_skips_existing
    from basket.graph.build import program_graph

    environments = environments or make_templates(templates, bounds_for(loaded.program))
    overview: dict[str, Any] = {}
    gaps: list[tuple[str, str]] = []
    drawn: list[str] = []
    with collector_skips_existing():
        for doc in iter_documents(loaded, plan, None, pictures):
            doc = markdown_document(environments, doc)
            yield f"{doc.stem}.html", html_text(environments, doc, _navigation(doc)).encode("utf-8")
            for path, data in doc.assets.items():
                drawn.append(path)
                yield path, data
            if doc.kind == "overview":  # keep what the index shows, not the whole (large) context
                overview = {key: doc.context[key] for key in ("umbrella", "counts", "baskets")}
            gaps += [(doc.stem, what) for what in doc.gaps]
    graph = program_graph(loaded, plan)
    if (pictures or (pictures is None and dot_executable() is not None)) and graph.number_of_nodes() <= MAX_PICTURE_NODES:
        drawn.append("graph/program.svg")
        yield "graph/program.svg", graph_picture(graph, "svg")
    umbrella = loaded.program.umbrella
    title = umbrella.short_title or umbrella.title
    yield "graph.html", viewer_html(graph, title=f"{title} — program graph", focus=focus)
    del graph  # a quarter of a GiB at 100,000 variants; the pages below do not need it
    report = assess(loaded, plan)
    yield "readiness.html", readiness_html(report)
    context = site_context(loaded, plan, overview, gaps, report, sorted(drawn))
    yield "index.html", render_chunks(environments.html.get_template(SITE_INDEX_TEMPLATE), context)


def _navigation(doc: Any) -> list[dict[str, str]]:
    up = "../" * doc.stem.count("/")
    nav = [{"href": f"{up}index.html", "label": "Site index"}, {"href": f"{up}graph.html", "label": "Graph"}]
    if doc.kind == "appendix":
        nav.insert(1, {"href": f"{up}overview.html", "label": "Master protocol"})
    return nav


def site_context(loaded: LoadedProgram, plan: Plan, overview: dict[str, Any], gaps: list[tuple[str, str]],
                 report: Any, pictures: list[str]) -> dict[str, Any]:
    program = loaded.program
    umbrella = program.umbrella
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
        "gaps": [{"document": stem, "what": what} for stem, what in gaps],
        "pictures": [path for path in pictures if path.endswith(".svg")],
        "title": umbrella.short_title or umbrella.title,
    }


def write_program_site(loaded: LoadedProgram, plan: Plan, out: Path, templates: Path | None = None,
                       focus: str | None = None, pictures: bool | None = None,
                       progress: Callable[[str], None] | None = None) -> int:
    """`basket docs`: the program's site in `out` (as `iter_site`), with manifest.json; how many files
    were written."""
    from basket.changes.manifest import build_manifest
    from basket.documents.graphviz_pictures import graphviz_version
    from basket.documents.render_record import SITE_KIND, RenderRecord
    from basket.documents.template_environment import bounds_for, make_templates

    environments = make_templates(templates, bounds_for(loaded.program))

    def manifest(hashes: dict[str, str]) -> bytes:
        drawn = any(path.startswith("graph/") for path in hashes)  # the Graphviz pictures' folder
        record = RenderRecord(SITE_KIND, environments.user_files_read() or None, plan.reference,
                              graphviz_version() if drawn else None, focus=focus)
        umbrella = loaded.program.umbrella
        return build_manifest(loaded.inputs, hashes, {"umbrella": umbrella.id,
                                                      "protocol_version": umbrella.protocol_version, **record.meta()})

    files = iter_site(loaded, plan, templates, focus, pictures, environments)
    return write_site(out, files, (loaded.root, templates), progress, manifest)


def write_site(out: Path, files: Iterable[tuple[str, bytes | Iterable[bytes]]],
               inputs: Iterable[Path | None] = (), progress: Callable[[str], None] | None = None,
               manifest: Callable[[dict[str, str]], bytes] | None = None) -> int:
    """Write the files into `out` as they come (replaced whole, or left as it was if anything fails),
    then manifest.json made by `manifest` from the files' sha256; return how many were written. `out`
    must not be, hold or lie inside any of `inputs` (the program, the templates). `progress` is told
    each path as it is written."""
    from basket.changes.manifest import MANIFEST_NAME
    from basket.foundation.atomic_output import replace_directory
    from basket.foundation.background_writer import BackgroundWriter

    with replace_directory(out, inputs) as staging, BackgroundWriter(staging) as writer:
        for path, data in files:
            if progress:
                progress(path)
            if isinstance(data, bytes):
                writer.write(path, data)
            else:
                writer.write_pieces(path, data)
        hashes = writer.hashes()
        if manifest is not None:
            (staging / MANIFEST_NAME).write_bytes(manifest(hashes))
        return len(hashes) + (manifest is not None)
