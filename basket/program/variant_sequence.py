"""The sequence around a program variant: from its `window` block or from the reference FASTA.

Shared by validation (`basket.program.sequence_checks`, which checks each window's bases) and by
guide design (`basket.plan.guide_design`). A variant whose HGVS or sequence cannot be used raises
`DesignError`, naming the variant field at fault.
"""

from __future__ import annotations

from pathlib import Path

from basket.editing.hgvs import HgvsError, ParsedHgvs, parse_hgvs
from basket.editing.reference_fasta import contig_name, reference_genome
from basket.editing.sequence import complement
from basket.editing.sequence_context import (
    SequenceContext,
    SequenceMismatchError,
    context_from_fasta,
    context_from_window,
)
from basket.program.model import Program, Variant


class DesignError(ValueError):
    """A variant's HGVS or sequence cannot be used; `field` names the variant field at fault."""

    def __init__(self, variant: str, field: str, message: str):
        self.variant, self.field = variant, field
        super().__init__(message)


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
        reference_genome(fasta), contig_name(fasta, chrom), genomic.start.base, ref, alt, gene_strand=strand,  # type: ignore[arg-type]
        variant_c=parsed.start.base, variant_c_offset=parsed.start.offset, label=variant.hgvs_c,
    )
