"""Render the master overview and one appendix per variant inside the umbrella.

`iter_rendered` makes the documents one at a time (context, Markdown, every
format), so memory holds one appendix, not all of them. `render_documents`
collects them in memory (program in, file bytes out); `render_program` writes
each into a staging directory as it is made (on a second thread,
`basket.foundation.background_writer`), then swaps it in whole (`basket.foundation.atomic_output`) with
manifest.json.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from basket.changes.manifest import MANIFEST_NAME, build_manifest
from basket.documents.contents import fill_contents
from basket.documents.document import Document
from basket.documents.document_context import GAP_LEVELS, Gaps, appendix_context, overview_context
from basket.documents.glossary import fill_glossary
from basket.documents.graphviz_pictures import dot_executable, graphviz_version, schema_pictures
from basket.documents.markdown_escape import escape_markdown
from basket.documents.render_record import RENDER_KIND, RenderRecord
from basket.documents.template_environment import Templates, bounds_for, make_templates
from basket.foundation.atomic_output import replace_directory
from basket.foundation.background_writer import BackgroundWriter
from basket.plan.umbrella_decision import Plan
from basket.program.load import LoadedProgram

DEFAULT_FORMATS = ("md",)


@dataclass(frozen=True)
class RenderOptions:
    """How to render, as given on the command line; shared by every function of the render chain."""

    formats: tuple[str, ...] = DEFAULT_FORMATS  # md, html, pdf, docx (`basket.documents.output_formats`)
    templates: Path | None = None  # the user's folder whose templates override the shipped ones
    variants: frozenset[str] | None = None  # only these appendices (None: every variant inside the umbrella)
    progress: Callable[[str], None] | None = None  # told each output path before it is made
    pictures: bool | None = None  # draw the trial schema: yes, no, or when Graphviz is installed (None)

    def __post_init__(self) -> None:  # accept any iterable, keep hashable tuples
        object.__setattr__(self, "formats", tuple(self.formats))
        if self.variants is not None:
            object.__setattr__(self, "variants", frozenset(self.variants))


@dataclass(frozen=True)
class RenderResult:
    """Every output file in memory (`render_documents`)."""

    outputs: dict[str, bytes]
    documents: list[Document]

    @property
    def gaps(self) -> list[tuple[str, str, str]]:
        return [entry for doc in self.documents for entry in doc.gap_entries()]


@dataclass(frozen=True)
class WrittenRender:
    """What `render_program` wrote: the sha256 of every file but manifest.json, and what is missing."""

    files: dict[str, str]
    appendices: int
    gaps: list[tuple[str, str, str]]  # (document, gap, level)


def collect_documents(
    loaded: LoadedProgram, plan: Plan, variants: Iterable[str] | None = None, pictures: bool | None = None
) -> list[Document]:
    return list(iter_documents(loaded, plan, variants, pictures))


def iter_documents(
    loaded: LoadedProgram,
    plan: Plan,
    variants: Iterable[str] | None = None,
    pictures: bool | None = None,
    picture_formats: tuple[str, ...] = ("svg",),
) -> Iterator[Document]:
    """The overview, then an appendix for each variant inside the umbrella (optionally only
    `variants`), each context built when the document is asked for.

    `pictures`: draw the trial schema with Graphviz (True), leave it out (False) or draw it
    when `dot` is installed (None; the manifest records the Graphviz version used), in
    `picture_formats` (SVG is what Markdown links and HTML/PDF embed; Word needs PNG)."""
    from basket.documents.version_history import history_context, program_history

    wanted = set(variants) if variants is not None else None
    history = program_history(loaded)  # every recorded version diffed once, shown by each document
    gaps = Gaps("overview")
    context = overview_context(loaded, plan, gaps)
    context["history"] = history_context(history, loaded, gaps)
    assets: dict[str, bytes] = {}
    if pictures or (pictures is None and dot_executable() is not None):
        assets = schema_pictures(loaded.program, plan, picture_formats)
    context["schema_picture"] = "graph/trial-schema.svg" if assets else ""
    yield Document("overview", "overview", context, gaps.items, assets, gap_levels=gaps.levels)
    del context, assets  # the overview of a large program is big; do not hold it while appendices render
    from basket.evidence.readiness_rules import assess

    chosen = [item for item in plan.inside if wanted is None or item.variant in wanted]
    # readiness of every appendix in one pass (once per variant, not once per appendix)
    verdicts = {v.variant: v for v in assess(loaded, replace(plan, variants=chosen)).variants}
    for item in chosen:
        gaps = Gaps(item.variant)
        context = appendix_context(loaded, plan, item, gaps, verdicts.pop(item.variant))
        context["history"] = history_context(history, loaded, gaps, item.variant)
        yield Document(f"appendices/{item.variant}", "appendix", context, gaps.items, gap_levels=gaps.levels)


_MARKER = re.compile(r"\[to be provided: ((?:\\.|[^\]\\])*)\]")


def with_markdown(templates: Templates, documents: Iterable[Document]) -> list[Document]:
    return [markdown_document(templates, doc) for doc in documents]


def markdown_document(templates: Templates, doc: Document) -> Document:
    """Render the document's Markdown once (every format is made from it) and keep only the
    gaps the document actually shows, so completeness.md lists exactly the visible markers."""
    from basket.documents.output_formats import markdown_text
    from basket.foundation.garbage_collector import collector_paused

    with collector_paused():  # many short-lived acyclic strings; the loaded program need not be walked
        text = fill_contents(fill_glossary(markdown_text(templates, doc)))
    visible = set(_MARKER.findall(text))
    return replace(doc, markdown=text, gaps=[what for what in doc.gaps if escape_markdown(what) in visible])


def iter_rendered(
    loaded: LoadedProgram, plan: Plan, options: RenderOptions = RenderOptions(), environments: Templates | None = None
) -> Iterator[tuple[Document, dict[str, bytes]]]:
    """Each document with its output files (path -> bytes), made one document at a time (with
    `environments`, else environments made for `options.templates`)."""
    from basket.documents.output_formats import FORMATTERS
    from basket.foundation.garbage_collector import collector_skips_existing

    environments = environments or make_templates(options.templates, bounds_for(loaded.program))
    picture_formats = ("svg", "png") if "docx" in options.formats else ("svg",)
    with collector_skips_existing():
        for doc in iter_documents(loaded, plan, options.variants, options.pictures, picture_formats):
            doc = markdown_document(environments, doc)
            files = dict(doc.assets)
            for fmt in options.formats:
                if options.progress:
                    options.progress(f"{doc.stem}.{fmt}")
                files[f"{doc.stem}.{fmt}"] = FORMATTERS[fmt](environments, doc)
            yield doc, files


def render_documents(loaded: LoadedProgram, plan: Plan, options: RenderOptions = RenderOptions()) -> RenderResult:
    """Every output file in memory (program in, file bytes out)."""
    outputs: dict[str, bytes] = {}
    documents = []
    for doc, files in iter_rendered(loaded, plan, options):
        outputs.update(files)
        documents.append(doc)
    outputs["completeness.md"] = completeness_report(RenderResult(outputs, documents).gaps)
    return RenderResult(outputs, documents)


def render_program(
    loaded: LoadedProgram, plan: Plan, out: Path, options: RenderOptions = RenderOptions()
) -> WrittenRender:
    """Write every document into `out` (replaced whole, or left as it was if anything fails), and
    manifest.json: the hashes, and the options that make the same bytes again (`RenderRecord`)."""
    gaps: list[tuple[str, str, str]] = []
    appendices = 0
    drawn = False
    environments = make_templates(options.templates, bounds_for(loaded.program))
    with replace_directory(out, (loaded.root, options.templates)) as staging, BackgroundWriter(staging) as writer:
        for doc, files in iter_rendered(loaded, plan, options, environments):
            for path, data in files.items():
                writer.write(path, data)
            gaps += doc.gap_entries()
            appendices += doc.kind == "appendix"
            drawn = drawn or bool(doc.assets)
        writer.write("completeness.md", completeness_report(gaps))
        hashes = writer.hashes()
        record = RenderRecord(RENDER_KIND, environments.user_files_read() or None, plan.reference,
                              graphviz_version() if drawn else None, options.formats,
                              None if options.variants is None else tuple(sorted(options.variants)))
        meta = {"umbrella": loaded.program.umbrella.id, "protocol_version": loaded.program.umbrella.protocol_version,
                **record.meta()}
        from basket.documents.version_history import document_inputs

        (staging / MANIFEST_NAME).write_bytes(build_manifest(document_inputs(loaded), hashes, meta))
    return WrittenRender(hashes, appendices, gaps)


def completeness_report(missing: list[tuple[str, str, str]]) -> bytes:
    """completeness.md: every "to be provided" marker, what blocks submission first (`GAP_LEVELS`
    order), then by document (the master protocol before the appendices)."""
    lines = ["# Completeness report", ""]
    if not missing:
        lines.append("Every field the documents use is provided.")
        return ("\n".join(lines) + "\n").encode("utf-8")
    lines += [f"{len(missing)} item(s) are marked \"to be provided\" in the documents, most urgent first.", ""]
    for level, title in GAP_LEVELS.items():
        entries = [(stem, what) for stem, what, found in missing if found == level]
        if not entries:
            continue
        lines += [f"## {title} ({len(entries)})", "", "| Document | To be provided |", "|---|---|"]
        lines += [f"| {stem} | {escape_markdown(what)} |" for stem, what in entries]
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
