"""The static documentation site of a program (`basket docs PROGRAM -o SITE`).

    index.html              umbrella, disease baskets, links to everything below
    overview.html           the master protocol (the HTML of `basket render --format html`, its lists of
                            variants bounded, the roster linked for the rest: basket.documents.site_overview)
    appendices/<id>.html    one page per intervention-specific appendix
    variants/<id>.html      one page per variant, inside the umbrella or not (basket.documents.site_pages)
    baskets/<id>.html       one page per disease (a basket when the umbrella covers it)
    evidence/<id>.html      one page per evidence item
    roster.html, readiness.html, evidence.html, gaps.html
                            sortable, filterable, paged tables drawn from data/<name>.js
                            (basket.documents.site_tables, site_assets/table.js)
    search.html             offline search of every page (MiniSearch, vendored; data/search.js)
    graph.html              the interactive graph viewer (basket.documents.graph_viewer): its first view
                            embedded, the whole graph read after first paint from data/graph.js
    graph/trial-schema.svg  Graphviz pictures, when `dot` is installed (or required with pictures=True)
    graph/program.svg
    assets/                 site.css, table.js, search.js, minisearch.js
    manifest.json           the sha256 of every program file and page, and how the site was made
                            (`basket.documents.render_record`, kind "site"), for `basket verify`

Pages are plain HTML with a Content-Security-Policy that allows scripts only from the site's own
files; nothing is loaded from the network, and every page works opened from file://.

`iter_site` makes the files one document at a time; `write_site` writes them as they come into a
staging folder swapped in whole; `write_program_site` does both, with the manifest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from basket.documents.document import Document
from basket.documents.identifier_links import link_identifiers
from basket.documents.template_environment import Templates
from basket.plan.umbrella_decision import Plan
from basket.program.load import LoadedProgram

SITE_TEMPLATES = "site/"
MAX_PICTURE_NODES = 400  # Graphviz pictures of bigger graphs are unreadable and slow; the viewer covers them
ASSETS = ("site.css", "table.js", "search.js")
MINISEARCH = "vendor/minisearch.js"
MINISEARCH_SHA256 = "03c27931eb603af1d3358579e9885eafdb6a2f5fa9929557b3e77d7e99d06d03"  # vendor/README.md
NAVIGATION = (("overview.html", "Master protocol"), ("roster.html", "Variants"), ("readiness.html", "Readiness"),
              ("evidence.html", "Evidence"), ("graph.html", "Graph"), ("search.html", "Search"))
GRAPH_DATA = "data/graph.js"
_HEADING = re.compile(r"^#{1,4} +(.+?) *$", re.MULTILINE)

Files = Iterator[tuple[str, bytes | Iterator[bytes]]]


@cache
def site_asset(name: str) -> bytes:
    return resources.files("basket.documents").joinpath("site_assets").joinpath(name).read_bytes()


def iter_site(
    loaded: LoadedProgram,
    plan: Plan,
    templates: Path | None = None,
    focus: str | None = None,
    pictures: bool | None = None,
    environments: Templates | None = None,
) -> Files:
    """The site's files as (path, bytes), one document at a time (as `basket render` makes them),
    index.html last. Pages that grow with the program come as pieces, so none exists whole.
    `environments`: the jinja environments to use (else made for `templates`)."""
    from basket.documents.template_environment import bounds_for, make_templates
    from basket.evidence.readiness_rules import assess

    environments = environments or make_templates(templates, bounds_for(loaded.program))
    page = PageMaker(environments.html, loaded)
    documents = DocumentsSeen()
    yield from document_files(loaded, plan, environments, pictures, documents)
    report = assess(loaded, plan)
    yield from graph_files(loaded, plan, report, focus, pictures, documents.drawn)
    yield from page_files(loaded, plan, report, page)
    yield from table_files(loaded, plan, report, documents.gaps, page)
    yield from search_files(loaded, plan, documents.headings, page)
    yield from asset_files()
    yield "index.html", page.render("index", "", title="Home",
                                    **site_context(loaded, plan, report, documents.gaps, sorted(documents.drawn)))


class DocumentsSeen:
    """What the site keeps from the protocol documents once they are written."""

    def __init__(self) -> None:
        self.gaps: list[tuple[str, str]] = []
        self.drawn: list[str] = []
        self.headings: list[tuple[str, str]] = []


def document_files(loaded: LoadedProgram, plan: Plan, environments: Any, pictures: bool | None,
                   seen: DocumentsSeen) -> Files:
    """The overview and every appendix (`document_page`)."""
    from basket.documents.rendering import iter_documents
    from basket.foundation.garbage_collector import collector_skips_existing

    with collector_skips_existing():
        for doc in iter_documents(loaded, plan, None, pictures):
            doc, page = document_page(environments, doc)
            yield f"{doc.stem}.html", page
            for path, data in doc.assets.items():
                seen.drawn.append(path)
                yield path, data
            if doc.kind == "overview":
                seen.headings = [("overview.html", _plain(title)) for title in _HEADING.findall(doc.markdown)]
            seen.gaps += [(stem, what) for stem, what, _ in doc.gap_entries()]


def document_page(environments: Templates, doc: Document) -> tuple[Document, bytes]:
    """A protocol document as `basket render --format html` makes it, with site navigation (the
    overview's lists of variants bounded: `basket.documents.site_overview`); the document with its
    Markdown rendered, and the page."""
    from basket.documents.output_formats import html_text
    from basket.documents.rendering import markdown_document
    from basket.documents.site_overview import site_overview

    doc = site_overview(environments, doc) if doc.kind == "overview" else markdown_document(environments, doc)
    return doc, html_text(environments, doc, _navigation(doc)).encode("utf-8")


def _plain(markdown_heading: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown_heading)


def _navigation(doc: Any) -> list[dict[str, str]]:
    up = "../" * doc.stem.count("/")
    nav = [{"href": f"{up}index.html", "label": "Site index"}]
    if doc.kind == "appendix":
        from basket.documents.site_pages import variant_href

        nav.append({"href": f"{up}overview.html", "label": "Master protocol"})
        nav.append({"href": f"{up}{variant_href(doc.context['variant']['id'])}", "label": "Variant page"})
    nav += [{"href": f"{up}graph.html", "label": "Graph"}, {"href": f"{up}search.html", "label": "Search"}]
    return nav


def graph_files(loaded: LoadedProgram, plan: Plan, report: Any, focus: str | None, pictures: bool | None,
                drawn: list[str]) -> Files:
    """The viewer (each variant node shows its plan, best guide and readiness; each node links to its
    page) and, for a small program, the Graphviz picture of the whole graph."""
    from basket.documents.graph_viewer import viewer_site_files
    from basket.documents.graphviz_pictures import dot_executable, graph_picture
    from basket.documents.site_pages import PAGE_FOLDERS, variant_summary
    from basket.graph.build import node_id, program_graph

    graph = program_graph(loaded, plan)
    if (pictures or (pictures is None and dot_executable() is not None)) and graph.number_of_nodes() <= MAX_PICTURE_NODES:
        drawn.append("graph/program.svg")
        yield "graph/program.svg", graph_picture(graph, "svg")
    verdicts = {v.variant: v for v in report.variants}
    for item in plan.variants:
        graph.nodes[node_id("variant", item.variant)].update(variant_summary(item, verdicts.get(item.variant)))
    umbrella = loaded.program.umbrella
    title = umbrella.short_title or umbrella.title
    page, data = viewer_site_files(graph, GRAPH_DATA, title=f"{title} — program graph", focus=focus,
                                   back="index.html", pages=PAGE_FOLDERS)
    yield "graph.html", page
    yield GRAPH_DATA, data
    # the graph is a quarter of a GiB at 100,000 variants; the pages after it do not need it


def linked_identifiers(value: object) -> Markup:
    """A program value, HTML-escaped, with its DOIs, ClinVar, NCT, PubMed and PMC identifiers as links
    (the documents' linking, which works on escaped text)."""
    return Markup(link_identifiers(str(escape(value))))


class PageMaker:
    """Renders the site's own pages (`templates/site/NAME.html.j2`) inside the common layout."""

    def __init__(self, environment: Any, loaded: LoadedProgram) -> None:
        umbrella = loaded.program.umbrella
        self.environment = environment
        environment.filters["identifiers"] = linked_identifiers
        self.site = {"title": umbrella.short_title or umbrella.title,
                     "nav": [{"href": href, "label": label} for href, label in NAVIGATION]}

    def render(self, template: str, root: str, **context: Any) -> bytes:
        """`context` holds the page's `title` and what its template shows."""
        page = self.environment.get_template(f"{SITE_TEMPLATES}{template}.html.j2")
        return page.render(site=self.site, root=root, **context).encode("utf-8")


def page_files(loaded: LoadedProgram, plan: Plan, report: Any, page: PageMaker) -> Files:
    """A page per variant, per disease and per evidence item."""
    from basket.documents.site_pages import basket_page, cited_links, evidence_page, page_name, variant_page

    program = loaded.program
    verdicts = {v.variant: v for v in report.variants}
    cited = cited_links(program)
    for item in plan.variants:
        context = variant_page(program, item, verdicts.get(item.variant), report.documents, cited)
        yield f"variants/{page_name(item.variant)}.html", page.render("variant", "../", **context)
    for disease in program.diseases:
        context = basket_page(program, plan.variants, disease)
        yield f"baskets/{page_name(disease.id)}.html", page.render("basket", "../", **context)
    for evidence in program.evidence:
        context = evidence_page(program, evidence, report.documents)
        yield f"evidence/{page_name(evidence.id)}.html", page.render("evidence", "../", **context)


def table_files(loaded: LoadedProgram, plan: Plan, report: Any, gaps: list[tuple[str, str]], page: PageMaker) -> Files:
    """Each table's data file (in pieces, see `site_tables.TableFile`), then its page."""
    from basket.documents import site_tables as tables
    from basket.evidence.readiness_rules import COMMON_RULE, RULES

    program = loaded.program
    passing = sum(1 for v in report.variants if v.gate.passed)
    blocking = len(report.blocking)
    made = (
        ("roster", "Variant roster", tables.ROSTER, lambda: tables.roster_rows(plan),
         [(f"Every variant of the program, inside the umbrella or not, with the plan's decision and its reason "
          f"({len(plan.variants)} variants).")], {}),
        ("readiness", "Readiness matrix", tables.READINESS, lambda: tables.readiness_rows(plan, report),
         [(f"{passing} of {len(report.variants)} variants pass the entry gate (elements 1–4 met, platform-correctable, "
          "disease covered, adequate natural history)."), *report.warnings],
         {"rules": [{"element": n, "title": r.title, "text": r.text} for n, r in RULES.items()],
          "common_rule": COMMON_RULE,
          "links": [{"href": "readiness.html#gate=blocking",
                     "label": f"{blocking} variants must pass the gate (marked for submission or submitted) and do "
                              "not: show them"}] if blocking else []}),
        ("evidence", "Evidence", tables.EVIDENCE, lambda: tables.evidence_rows(program),
         ["Every evidence item of the program, with the plausible-mechanism element it counts for."], {}),
        ("gaps", "To be provided", tables.GAPS, lambda: tables.gap_rows(gaps),
         ["What the documents still mark \"to be provided\", by document."], {}),
    )
    for name, heading, columns, rows, intro, extra in made:
        table = tables.TableFile(name, columns, rows)
        survey = table.survey()
        yield f"data/{name}.js", table.pieces(survey)
        context = {"title": heading, "heading": heading, "intro": intro, "data": f"data/{name}.js", "rows": survey.count,
                   "links": [], "rules": [], "common_rule": "", **extra}
        yield f"{name}.html", page.render("table", "", **context)


def search_files(loaded: LoadedProgram, plan: Plan, headings: list[tuple[str, str]], page: PageMaker) -> Files:
    from basket.documents.site_tables import search_pieces

    yield "data/search.js", search_pieces(loaded.program, plan, headings)
    yield "search.html", page.render("search", "", title="Search")


def asset_files() -> Files:
    """The site's stylesheet and scripts, the vendored MiniSearch checked against its release's sha256."""
    import hashlib

    for name in ASSETS:
        yield f"assets/{name}", site_asset(name)
    minisearch = site_asset(MINISEARCH)
    if hashlib.sha256(minisearch).hexdigest() != MINISEARCH_SHA256:
        raise RuntimeError("basket/documents/site_assets/vendor/minisearch.js differs from the vendored release")
    yield "assets/minisearch.js", minisearch


def site_context(loaded: LoadedProgram, plan: Plan, report: Any, gaps: list[tuple[str, str]],
                 pictures: list[str]) -> dict[str, Any]:
    """What index.html shows: a summary and links, never a list that grows with the variants."""
    from basket.documents.site_pages import basket_href, table_href

    program = loaded.program
    umbrella = program.umbrella
    covered = set(umbrella.diseases)
    baskets = []
    for disease_id in umbrella.diseases:
        disease = program.diseases_by_id[disease_id]
        members = [item for item in plan.variants if item.disease == disease_id]
        baskets.append({"id": disease.id, "name": disease.name, "genes": ", ".join(disease.genes),
                        "members": len(members), "inside": sum(item.in_umbrella for item in members),
                        "href": basket_href(disease.id), "roster": table_href("roster", disease=disease.name),
                        "readiness": table_href("readiness", disease=disease.name)})
    return {
        "umbrella": {"title": umbrella.title, "id": umbrella.id, "protocol_version": umbrella.protocol_version,
                     "sponsor": umbrella.sponsor},
        "registry": umbrella.registry,
        "platform": {"name": program.platform.name, "modality": program.platform.modality},
        "counts": {"variants": len(plan.variants), "inside": len(plan.inside), "outside": len(plan.outside),
                   "evidence": len(program.evidence), "gaps": len(gaps)},
        "readiness": {"passing": sum(1 for v in report.variants if v.gate.passed), "blocking": len(report.blocking),
                      "blocking_href": table_href("readiness", gate="blocking")},
        "baskets": baskets,
        "others": [{"name": d.name, "href": basket_href(d.id)} for d in program.diseases if d.id not in covered],
        "pictures": [path for path in pictures if path.endswith(".svg")],
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
    from basket.documents.version_history import document_inputs

    environments = make_templates(templates, bounds_for(loaded.program))

    def manifest(hashes: dict[str, str]) -> bytes:
        drawn = any(path.startswith("graph/") for path in hashes)  # the Graphviz pictures' folder
        record = RenderRecord(SITE_KIND, environments.user_files_read() or None, plan.reference,
                              graphviz_version() if drawn else None, focus=focus)
        umbrella = loaded.program.umbrella
        meta = {"umbrella": umbrella.id, "protocol_version": umbrella.protocol_version, **record.meta()}
        return build_manifest(document_inputs(loaded), hashes, meta)

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
