"""Guide design for a program's variants: the bridge between the program model and
the editing engine (`basket.editing`), which knows nothing of programs.

Every answer carries a short reason code (`REASON_CODES`) next to its sentence, so that a table,
a picture and a document all name the same real reason: a variant with no sequence is
`no_sequence`, never "no guide places the base in the window".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from basket.editing.classify import classify
from basket.editing.guides import Bystander, Guide, find_guides
from basket.editing.hgvs import ChangeClass, ParsedHgvs, change_class, correcting_deaminase
from basket.editing.sequence_context import SequenceMismatchError
from basket.program.model import Program, Variant
from basket.program.reference import NO_REFERENCE, ProgramReference
from basket.program.variant_sequence import DesignError, VariantSequence, parse_variant, variant_sequence

# Reason code -> the few words the trial schema and short tables show.
REASON_CODES: dict[str, str] = {
    "platform": "platform guide",
    "other_editor": "other editor",
    "no_guide": "no guide",
    "wrong_deaminase": "wrong deaminase",
    "transversion": "transversion",
    "indel": "indel",
    "other_change": "not a substitution",
    "no_sequence": "no sequence",
    "no_position": "no genomic position",
    "no_contig": "contig not in reference",
    "not_covered": "disease not covered",
}
_CLASS_CODES: dict[ChangeClass, str] = {"transversion": "transversion", "indel": "indel", "other": "other_change"}
_STATUS_CODES = {"platform": "platform", "other_editor": "other_editor", "other_modality": "no_guide"}


@dataclass(frozen=True)
class VariantDesign:
    change_class: str
    correction: str | None
    classification: str  # platform | other_editor | other_modality | no_sequence
    editor: str | None
    reason: str
    reason_code: str  # a key of REASON_CODES
    sequence: str  # verified | unverified | reference | none (see VariantSequence.check)
    best_guide: dict[str, Any] | None = None
    guides: list[dict[str, Any]] = field(default_factory=list)
    notes: tuple[str, ...] = ()


def design_variant(program: Program, variant: Variant, reference: ProgramReference = NO_REFERENCE) -> VariantDesign:
    parsed = parse_variant(variant)
    sequence = variant_sequence(program, variant, reference, parsed)
    context = sequence.context
    gene = program.genes_by_symbol[variant.gene]
    correction = correcting_deaminase(parsed, gene.strand)
    try:
        result = classify(parsed, context, program.platform_editor, program.editors_by_name)
    except SequenceMismatchError as error:
        raise DesignError(variant.id, "hgvs_c", str(error)) from None
    reason = result.reason
    if result.status == "no_sequence" and sequence.why:
        reason = f"{correction.reason} {sequence.why}"
    guides = [guide_dict(g) for g in result.guides]
    return VariantDesign(
        change_class=change_class(parsed),
        correction=correction.deaminase,
        classification=result.status,
        editor=result.editor,
        reason=reason,
        reason_code=_reason_code(parsed, sequence, result.status),
        sequence=sequence.check,
        best_guide=guides[0] if guides else None,
        guides=guides,
        notes=context.notes if context else (),
    )


def _reason_code(parsed: ParsedHgvs, sequence: VariantSequence, status: str) -> str:
    cls = change_class(parsed)
    if cls != "transition":
        return _CLASS_CODES[cls]
    if sequence.context is None:
        return sequence.missing or "no_sequence"
    return _STATUS_CODES[status]


def guide_dict(guide: Guide) -> dict[str, Any]:
    """`Guide.to_dict()` without `dataclasses.asdict`'s recursive deep copy (a third of planning
    time on big programs): the fields hold only immutable scalars, tuples of them and bystanders."""
    data = {name: getattr(guide, name) for name in _GUIDE_FIELDS}
    data["bystanders"] = [{name: getattr(b, name) for name in _BYSTANDER_FIELDS} for b in guide.bystanders]
    data["codon_outcomes"] = [o.to_dict() for o in guide.codon_outcomes]
    data["notes"] = list(guide.notes)
    return data


_GUIDE_FIELDS = tuple(f.name for f in fields(Guide))
_BYSTANDER_FIELDS = tuple(f.name for f in fields(Bystander))


@dataclass(frozen=True)
class GuideSearch:
    """An editor's guides for one variant, best first; when there are none, why (code and sentence)."""

    editor: str
    guides: list[dict[str, Any]]
    reason_code: str | None = None
    reason: str | None = None


def design_guides(program: Program, variant: Variant, editor: str | None = None,
                  reference: ProgramReference = NO_REFERENCE) -> GuideSearch:
    """Every guide of `editor` (default: the platform's) for the variant, best first, or the real
    reason there is none: not a transition, no sequence to search, the wrong deaminase, or no PAM."""
    chosen = program.editors_by_name[editor] if editor else program.platform_editor
    parsed = parse_variant(variant)
    gene = program.genes_by_symbol[variant.gene]
    correction = correcting_deaminase(parsed, gene.strand)
    if correction.deaminase is None:
        return GuideSearch(chosen.name, [], _CLASS_CODES[change_class(parsed)], correction.reason)
    sequence = variant_sequence(program, variant, reference, parsed)
    if sequence.context is None:
        return GuideSearch(chosen.name, [], sequence.missing, f"{correction.reason} {sequence.why}")
    if chosen.deaminase != correction.deaminase:
        return GuideSearch(chosen.name, [], "wrong_deaminase",
                           f"{correction.reason} {chosen.name} is {'an' if chosen.deaminase == 'ABE' else 'a'} "
                           f"{chosen.deaminase}, so it has no guide for it.")
    guides = [guide_dict(g) for g in find_guides(sequence.context, chosen)]
    if guides:
        return GuideSearch(chosen.name, guides)
    lo, hi = chosen.outer_window
    return GuideSearch(chosen.name, [], "no_guide",
                       f"No {'/'.join(chosen.pams)} PAM of {chosen.name} places the mutant base in its window {lo}-{hi} "
                       f"on either strand of the {sequence.context.end - sequence.context.start + 1}-base sequence "
                       f"searched ({sequence.context.chrom}:{sequence.context.start}-{sequence.context.end}).")
