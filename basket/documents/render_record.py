"""What a render or a site records in manifest.json besides hashes, so that it can be made again.

A render's bytes are a function of the program, the options it was made with and the tools (basket,
Graphviz for the pictures, WeasyPrint and the installed fonts for PDF). `manifest.json` holds the
sha256 of the program's files and of every output; `RenderRecord` adds the options:

    kind        "render": an output folder of `basket render`; "site": of `basket docs`
    formats     (render) the formats rendered, in the order asked
    variants    (render) the variant ids a --select/--exclude selection kept, or null for every variant
    focus       (site) the graph node the viewer opens at, or null for the umbrella
    templates   name -> sha256 of each template read from the user's --templates folder, or null when
                only the shipped templates were used
    reference   the reference genome the plan was made on, as documents print it ("GRCh38 (hg38.fa)"),
                or "none"
    graphviz    `dot -V` of the Graphviz that drew the trial schema, or null when none was drawn

No path is recorded (not the templates folder, not the FASTA): a manifest reads the same wherever the
program, the templates and the genome lie, and names no one's home folder. `basket verify --against`
is therefore given the templates (`--templates`) and the genome (the program's, or `--fasta`) again,
and checks them against this record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from basket.foundation.problems import InputError, Problem

RENDER_KIND = "render"
SITE_KIND = "site"


@dataclass(frozen=True)
class RenderRecord:
    kind: str  # RENDER_KIND or SITE_KIND
    templates: dict[str, str] | None  # None: the shipped templates only
    reference: str
    graphviz: str | None
    formats: tuple[str, ...] = ()  # render only
    variants: tuple[str, ...] | None = None  # render only; None: every variant inside the umbrella
    focus: str | None = None  # site only; None: the umbrella

    def meta(self) -> dict[str, Any]:
        """The manifest's fields for this record (beside umbrella, protocol_version, inputs, outputs)."""
        own = ({"formats": list(self.formats), "variants": None if self.variants is None else list(self.variants)}
               if self.kind == RENDER_KIND else {"focus": self.focus})
        return {"kind": self.kind, **own, "templates": self.templates, "reference": self.reference,
                "graphviz": self.graphviz}


def read_render_record(path: Path, manifest: dict[str, Any]) -> RenderRecord:
    """The options a render's or a site's manifest (`path`, already read into `manifest`) records; InputError
    naming each field that is absent or not what `basket render` writes."""
    from basket.documents.output_formats import FORMATTERS

    kind = manifest.get("kind")
    if kind is None:
        raise InputError([Problem(str(path), 0, "kind", "not recorded: this manifest was written before basket "
                                  "recorded how a render was made (kind, variants, templates, reference), so "
                                  "the render cannot be made again from it. Render again with this basket")])
    if kind not in (RENDER_KIND, SITE_KIND):
        raise InputError([Problem(str(path), 0, "kind", f"{_shown(kind)}: --against re-creates the output folders "
                                  f"of `basket render` (kind {RENDER_KIND!r}) and `basket docs` (kind {SITE_KIND!r})")])
    own = {
        "formats": (lambda v: _strings(v) and bool(v) and all(f in FORMATTERS for f in v),
                    f"a list of formats among {', '.join(FORMATTERS)}"),
        "variants": (lambda v: v is None or _strings(v), "null or a list of variant ids"),
    } if kind == RENDER_KIND else {
        "focus": (lambda v: v is None or isinstance(v, str), "null or a graph node"),
    }
    checks = {  # field -> (is it what basket writes?, what basket writes)
        **own,
        "templates": (lambda v: v is None or (isinstance(v, dict) and _strings(list(v.values()))),
                      "null or a mapping of template names to sha256"),
        "reference": (lambda v: isinstance(v, str), "the label of a reference genome, or 'none'"),
        "graphviz": (lambda v: v is None or isinstance(v, str), "null or a Graphviz version"),
    }
    problems = []
    for name, (valid, expected) in checks.items():
        if name not in manifest:
            problems.append(Problem(str(path), 0, name, "not recorded (basket always writes it, null or not)"))
        elif not valid(manifest[name]):
            problems.append(Problem(str(path), 0, name, f"{_shown(manifest[name])} is not {expected}"))
    if problems:
        raise InputError(problems)
    common = (kind, manifest["templates"], manifest["reference"], manifest["graphviz"])
    if kind == SITE_KIND:
        return RenderRecord(*common, focus=manifest["focus"])
    variants = manifest["variants"]
    return RenderRecord(*common, tuple(manifest["formats"]), None if variants is None else tuple(variants))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
