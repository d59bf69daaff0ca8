"""Render the master overview and one appendix per variant inside the umbrella.

`render_documents` is pure (program in, file bytes out); `render_program`
writes them, with manifest.json, atomically into the output directory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from basket.atomic import replace_directory
from basket.load import LoadedProgram
from basket.plan import Plan
from basket.render.context import Gaps, appendix_context, overview_context
from basket.render.environment import Templates, make_templates
from basket.render.escape import escape_markdown
from basket.render.manifest import MANIFEST_NAME, build_manifest
from basket.render.pictures import dot_executable, graphviz_version, schema_pictures

DEFAULT_FORMATS = ("md",)


@dataclass(frozen=True)
class Document:
    """One logical document (overview or an appendix) before formatting."""

    stem: str  # output path without extension, e.g. "appendices/CPS1-Q335X"
    kind: str  # "overview" or "appendix"
    context: dict
    gaps: list[str]
    assets: dict[str, bytes] = field(default_factory=dict)  # files the document shows (trial schema picture)
    markdown: str = ""  # the rendered Markdown, source of every format (see `with_markdown`)

    @property
    def title(self) -> str:
        if self.kind == "appendix":
            variant = self.context["variant"]
            return f"Appendix {variant['id']}: {self.context['gene']['symbol']} {variant['hgvs_c']}"
        return str(self.context["umbrella"]["title"])


@dataclass(frozen=True)
class RenderResult:
    outputs: dict[str, bytes]
    documents: list[Document]

    @property
    def gaps(self) -> list[tuple[str, str]]:
        return [(doc.stem, what) for doc in self.documents for what in doc.gaps]


def collect_documents(
    loaded: LoadedProgram, plan: Plan, variants: Iterable[str] | None = None, pictures: bool | None = None
) -> list[Document]:
    """The overview, plus an appendix for each variant inside the umbrella (optionally only `variants`).

    `pictures`: draw the trial schema with Graphviz (True), leave it out (False) or draw it
    when `dot` is installed (None; the manifest records the Graphviz version used)."""
    wanted = set(variants) if variants is not None else None
    gaps = Gaps("overview")
    context = overview_context(loaded, plan, gaps)
    assets: dict[str, bytes] = {}
    if pictures or (pictures is None and dot_executable() is not None):
        assets = schema_pictures(loaded.program, plan)
    context["schema_picture"] = "graph/trial-schema.svg" if assets else ""
    documents = [Document("overview", "overview", context, gaps.items, assets)]
    from basket.readiness import assess

    chosen = [item for item in plan.inside if wanted is None or item.variant in wanted]
    # readiness of every appendix in one pass (once per variant, not once per appendix)
    verdicts = {v.variant: v for v in assess(loaded, replace(plan, variants=chosen)).variants}
    for item in chosen:
        gaps = Gaps(item.variant)
        context = appendix_context(loaded, plan, item, gaps, verdicts[item.variant])
        documents.append(Document(f"appendices/{item.variant}", "appendix", context, gaps.items))
    return documents


_MARKER = re.compile(r"\[to be provided: ((?:\\.|[^\]\\])*)\]")


def with_markdown(templates: Templates, documents: list[Document]) -> list[Document]:
    """Render each document's Markdown once (every format is made from it) and keep only the
    gaps the document actually shows, so completeness.md lists exactly the visible markers."""
    from basket.load import collector_paused
    from basket.render.formats import markdown_text

    rendered = []
    with collector_paused():  # many short-lived acyclic strings; the loaded program need not be walked
        for doc in documents:
            text = markdown_text(templates, doc)
            visible = set(_MARKER.findall(text))
            shown = [what for what in doc.gaps if escape_markdown(what) in visible]
            rendered.append(replace(doc, markdown=text, gaps=shown))
    return rendered


def render_documents(
    loaded: LoadedProgram,
    plan: Plan,
    formats: Iterable[str] = DEFAULT_FORMATS,
    templates: Path | None = None,
    variants: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
    pictures: bool | None = None,
) -> RenderResult:
    from basket.render.formats import FORMATTERS

    environments = make_templates(templates)
    documents = with_markdown(environments, collect_documents(loaded, plan, variants, pictures))
    outputs: dict[str, bytes] = {}
    formats = list(formats)
    for doc in documents:
        # the SVG is what Markdown links and HTML/PDF embed; Word needs the PNG
        outputs.update({path: data for path, data in doc.assets.items()
                        if path.endswith(".svg") or "docx" in formats})
    for fmt in formats:
        formatter = FORMATTERS[fmt]
        for doc in documents:
            if progress:
                progress(f"{doc.stem}.{fmt}")
            outputs[f"{doc.stem}.{fmt}"] = formatter(environments, doc)
    outputs["completeness.md"] = _completeness(documents).encode("utf-8")
    return RenderResult(outputs, documents)


def render_program(
    loaded: LoadedProgram,
    plan: Plan,
    out: Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    templates: Path | None = None,
    variants: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
    pictures: bool | None = None,
) -> RenderResult:
    formats = list(formats)
    result = render_documents(loaded, plan, formats, templates, variants, progress, pictures)
    drawn = any(doc.assets for doc in result.documents)
    manifest = build_manifest(
        loaded.inputs,
        result.outputs,
        {"umbrella": loaded.program.umbrella.id, "formats": formats,
         "protocol_version": loaded.program.umbrella.protocol_version,
         "graphviz": graphviz_version() if drawn else None},
    )
    with replace_directory(out) as staging:
        for path, data in result.outputs.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / MANIFEST_NAME).write_bytes(manifest)
    return result


def _completeness(documents: list[Document]) -> str:
    lines = ["# Completeness report", ""]
    missing = [(doc.stem, what) for doc in documents for what in doc.gaps]
    if not missing:
        lines.append("Every field the documents use is provided.")
    else:
        lines += [f"{len(missing)} item(s) are marked \"to be provided\" in the documents:", "",
                  "| Document | To be provided |", "|---|---|"]
        lines += [f"| {stem} | {escape_markdown(what)} |" for stem, what in missing]
    return "\n".join(lines) + "\n"
