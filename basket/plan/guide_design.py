"""Guide design for a program's variants: the bridge between the program model and
the editing engine (`basket.editing`), which knows nothing of programs."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from basket.editing.classify import classify
from basket.editing.guides import Bystander, Guide, find_guides
from basket.editing.hgvs import change_class, correcting_deaminase
from basket.editing.sequence_context import SequenceMismatchError
from basket.program.model import Program, Variant
from basket.program.variant_sequence import DesignError, parse_variant, variant_context


@dataclass(frozen=True)
class VariantDesign:
    change_class: str
    correction: str | None
    classification: str  # platform | other_editor | other_modality | no_sequence
    editor: str | None
    reason: str
    best_guide: dict[str, Any] | None = None
    guides: list[dict[str, Any]] = field(default_factory=list)
    notes: tuple[str, ...] = ()


def design_variant(program: Program, variant: Variant, fasta: Path | None = None) -> VariantDesign:
    parsed = parse_variant(variant)
    context = variant_context(program, variant, fasta, parsed)
    gene = program.genes_by_symbol[variant.gene]
    correction = correcting_deaminase(parsed, gene.strand)
    try:
        result = classify(parsed, context, program.platform_editor, program.editors_by_name)
    except SequenceMismatchError as error:
        raise DesignError(variant.id, "hgvs_c", str(error)) from None
    guides = [guide_dict(g) for g in result.guides]
    return VariantDesign(
        change_class=change_class(parsed),
        correction=correction.deaminase,
        classification=result.status,
        editor=result.editor,
        reason=result.reason,
        best_guide=guides[0] if guides else None,
        guides=guides,
        notes=context.notes if context else (),
    )


def guide_dict(guide: Guide) -> dict[str, Any]:
    """`Guide.to_dict()` without `dataclasses.asdict`'s recursive deep copy (a third of planning
    time on big programs): the fields hold only immutable scalars, tuples of them and bystanders."""
    data = {name: getattr(guide, name) for name in _GUIDE_FIELDS}
    data["bystanders"] = [{name: getattr(b, name) for name in _BYSTANDER_FIELDS} for b in guide.bystanders]
    data["notes"] = list(guide.notes)
    return data


_GUIDE_FIELDS = tuple(f.name for f in fields(Guide))
_BYSTANDER_FIELDS = tuple(f.name for f in fields(Bystander))


def design_guides(program: Program, variant: Variant, editor: str | None = None,
                  fasta: Path | None = None) -> list[dict[str, Any]]:
    """Every guide of `editor` (default: the platform's) for the variant, best first."""
    context = variant_context(program, variant, fasta)
    if context is None:
        return []
    chosen = program.editors_by_name[editor] if editor else program.platform_editor
    return [guide_dict(g) for g in find_guides(context, chosen)]
