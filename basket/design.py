"""Guide design for a program's variants: the bridge between the program model and
the editing engine (`basket.editing`), which knows nothing of programs."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from basket.editing.classify import classify
from basket.editing.context import SequenceContext, SequenceMismatchError, context_from_fasta, context_from_window
from basket.editing.guides import Bystander, Guide, find_guides
from basket.editing.hgvs import HgvsError, ParsedHgvs, change_class, correcting_deaminase, parse_hgvs
from basket.editing.sequence import complement
from basket.model import Program, Variant


class DesignError(ValueError):
    """A variant's HGVS or sequence cannot be used; `field` names the variant field at fault."""

    def __init__(self, variant: str, field: str, message: str):
        self.variant, self.field = variant, field
        super().__init__(message)


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


def parse_variant(variant: Variant) -> ParsedHgvs:
    try:
        return parse_hgvs(variant.hgvs_c)
    except HgvsError as error:
        raise DesignError(variant.id, "hgvs_c", str(error)) from None


def variant_context(program: Program, variant: Variant, fasta: Path | None = None,
                    parsed: ParsedHgvs | None = None) -> SequenceContext | None:
    """The sequence around a single-base variant: its window, else the reference FASTA, else None.

    `parsed` is the variant's parsed hgvs_c when the caller has it already."""
    parsed = parsed or parse_variant(variant)
    if not parsed.is_snv:
        return None
    gene = program.genes_by_symbol[variant.gene]
    try:
        if variant.window is not None:
            return _from_window(variant, parsed, gene.strand)
        if fasta is not None and variant.hgvs_g:
            return _from_fasta(variant, parsed, gene.strand, gene.chrom, fasta)
    except SequenceMismatchError as error:
        raise DesignError(variant.id, "window" if variant.window else "hgvs_g", str(error)) from None
    except (HgvsError, ValueError, KeyError) as error:
        raise DesignError(variant.id, "window" if variant.window else "hgvs_g", str(error).strip("'\"")) from None
    return None


def _from_window(variant: Variant, parsed: ParsedHgvs, strand: str) -> SequenceContext:
    window = variant.window
    assert window is not None
    return context_from_window(
        window.chrom, window.start, window.sequence, parsed,
        hgvs_g=variant.hgvs_g, gene_strand=strand, variant_position=window.variant_position,
        coding_start=window.coding_start, coding_end=window.coding_end,
    )


def _from_fasta(variant: Variant, parsed: ParsedHgvs, strand: str, chrom: str, fasta: Path) -> SequenceContext:
    genomic = parse_hgvs(variant.hgvs_g or "")
    ref, alt = parsed.ref or "", parsed.alt or ""
    if strand == "-":
        ref, alt = complement(ref), complement(alt)
    return context_from_fasta(
        reference_genome(fasta), _contig(fasta, chrom), genomic.start.base, ref, alt, gene_strand=strand,  # type: ignore[arg-type]
        variant_c=parsed.start.base, variant_c_offset=parsed.start.offset, label=variant.hgvs_c,
    )


@lru_cache(maxsize=4)  # one open index per reference, however many variants use it
def reference_genome(path: Path):
    from basket.reference import open_reference

    return open_reference(path, as_raw=True)


def _contig(path: Path, chrom: str) -> str:
    """The FASTA's name for a chromosome, with or without a 'chr' prefix."""
    names = set(reference_genome(path).keys())
    bare = chrom.removeprefix("chr")
    for candidate in (chrom, f"chr{bare}", bare):
        if candidate in names:
            return candidate
    return chrom


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
