"""Render the master overview and one appendix per variant inside the umbrella.

`render_documents` is pure (program in, file bytes out); `render_program`
writes them, with manifest.json, atomically into the output directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from basket.atomic import replace_directory
from basket.load import LoadedProgram
from basket.plan import Plan
from basket.render.context import Gaps, appendix_context, overview_context
from basket.render.environment import make_environment
from basket.render.manifest import MANIFEST_NAME, build_manifest

DEFAULT_FORMATS = ("md",)


@dataclass(frozen=True)
class Document:
    """One logical document (overview or an appendix) before formatting."""

    stem: str  # output path without extension, e.g. "appendices/CPS1-Q335X"
    kind: str  # "overview" or "appendix"
    context: dict
    gaps: list[str]


@dataclass(frozen=True)
class RenderResult:
    outputs: dict[str, bytes]
    documents: list[Document]

    @property
    def gaps(self) -> list[tuple[str, str]]:
        return [(doc.stem, what) for doc in self.documents for what in doc.gaps]


def collect_documents(loaded: LoadedProgram, plan: Plan, variants: Iterable[str] | None = None) -> list[Document]:
    """The overview, plus an appendix for each variant inside the umbrella (optionally only `variants`)."""
    wanted = set(variants) if variants is not None else None
    gaps = Gaps("overview")
    documents = [Document("overview", "overview", overview_context(loaded, plan, gaps), gaps.items)]
    for item in plan.inside:
        if wanted is not None and item.variant not in wanted:
            continue
        gaps = Gaps(item.variant)
        context = appendix_context(loaded, plan, item, gaps)
        documents.append(Document(f"appendices/{item.variant}", "appendix", context, gaps.items))
    return documents


def render_documents(
    loaded: LoadedProgram,
    plan: Plan,
    formats: Iterable[str] = DEFAULT_FORMATS,
    templates: Path | None = None,
    variants: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> RenderResult:
    from basket.render.formats import FORMATTERS

    env = make_environment(templates)
    documents = collect_documents(loaded, plan, variants)
    outputs: dict[str, bytes] = {}
    for fmt in formats:
        formatter = FORMATTERS[fmt]
        for doc in documents:
            if progress:
                progress(f"{doc.stem}.{fmt}")
            outputs[f"{doc.stem}.{fmt}"] = formatter(env, doc)
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
) -> RenderResult:
    formats = list(formats)
    result = render_documents(loaded, plan, formats, templates, variants, progress)
    manifest = build_manifest(
        loaded.inputs,
        result.outputs,
        {"umbrella": loaded.program.umbrella.id, "formats": formats,
         "protocol_version": loaded.program.umbrella.protocol_version},
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
        lines += [f"| {stem} | {what} |" for stem, what in missing]
    return "\n".join(lines) + "\n"
