"""The sequence around a program variant: from its `window` block or from the program's reference.

Shared by validation (`basket.program.sequence_checks`) and guide design (`basket.plan.guide_design`),
so every command designs on the same bases. With a reference, a window is compared with it base by
base before it is used; without a window, the sequence is read from the reference, as wide as the
editors in play need (`basket.editing.guides.editors_reach`). A variant whose HGVS or sequence is
wrong raises `DesignError`, naming the variant field at fault; a variant that simply cannot be given
a sequence (no window and no reference, no genomic position, a contig the reference lacks) gets a
`VariantSequence` without context and the reason, so one variant never stops a whole command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from basket.editing.hgvs import HgvsError, ParsedHgvs, parse_hgvs
from basket.editing.reference_fasta import ReferenceGenome
from basket.editing.sequence import complement
from basket.editing.sequence_context import (
    SequenceContext,
    SequenceMismatchError,
    context_from_fasta,
    context_from_window,
)
from basket.program.model import Gene, Program, SequenceWindow, Variant
from basket.program.reference import NO_REFERENCE, ProgramReference

SequenceOrigin = Literal["window", "reference", "none"]
# Why a single-base variant has no sequence context (reason codes of the plan).
MissingCode = Literal["no_sequence", "no_position", "no_contig"]


class DesignError(ValueError):
    """A variant's HGVS or sequence cannot be used; `path` names the variant field at fault."""

    def __init__(self, variant: str, field: str | tuple[str, ...], message: str):
        self.variant = variant
        self.path = (field,) if isinstance(field, str) else tuple(field)
        super().__init__(message)

    @property
    def field(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class VariantSequence:
    """The sequence a variant is designed on, where it came from, and whether a reference confirmed it."""

    context: SequenceContext | None
    origin: SequenceOrigin
    verified: bool  # a window equal base for base to the reference, or sequence read from the reference
    missing: MissingCode | None = None  # why a single-base variant has no context
    why: str | None = None  # that reason as a sentence
    reference: str = "none"  # label of the reference used, e.g. "GRCh38 (hg38.fa)"

    @property
    def check(self) -> str:
        """One word for tables: verified | unverified | reference | none."""
        if self.origin == "window":
            return "verified" if self.verified else "unverified"
        return self.origin


def parse_variant(variant: Variant) -> ParsedHgvs:
    try:
        return parse_hgvs(variant.hgvs_c)
    except HgvsError as error:
        raise DesignError(variant.id, "hgvs_c", str(error)) from None


def parse_genomic(variant: Variant) -> ParsedHgvs:
    """The variant's hgvs_g parsed (it has one); DesignError naming the field when it does not parse."""
    try:
        return parse_hgvs(variant.hgvs_g or "")
    except HgvsError as error:
        raise DesignError(variant.id, "hgvs_g", str(error)) from None


def variant_sequence(program: Program, variant: Variant, reference: ProgramReference = NO_REFERENCE,
                     parsed: ParsedHgvs | None = None) -> VariantSequence:
    """The sequence around a single-base variant: its window (checked against the reference when
    there is one), else the reference, else none. `parsed` is the parsed hgvs_c when the caller has it."""
    parsed = parsed or parse_variant(variant)
    genome = reference.genome
    gene = program.genes_by_symbol[variant.gene]
    if variant.window is not None:
        verified = genome is not None and verify_window(variant, genome, reference.label)
        context = _from_window(variant, parsed, gene) if parsed.is_snv else None
        return VariantSequence(context, "window", verified, reference=reference.label)
    if not parsed.is_snv:
        return VariantSequence(None, "none", False, reference=reference.label)
    if genome is None:
        return VariantSequence(None, "none", False, "no_sequence", _no_sequence(reference), reference.label)
    return _from_reference(program, variant, parsed, gene, genome, reference.label)


def _no_sequence(reference: ProgramReference) -> str:
    if reference.named:
        return (f"The variant has no sequence window and the program's {reference.build} reference is not "
                f"available here ({reference.unavailable}), so no sequence was searched.")
    return ("The variant has no sequence window and no reference FASTA was given, so no sequence was "
            "searched; fetch its window from a reference (basket window) or name the program's reference.")


def _from_window(variant: Variant, parsed: ParsedHgvs, gene: Gene) -> SequenceContext:
    window = variant.window
    assert window is not None
    try:
        return context_from_window(
            window.chrom, window.start, window.sequence, parsed,
            hgvs_g=variant.hgvs_g, gene_strand=gene.strand, variant_position=window.variant_position,
            coding_start=window.coding_start, coding_end=window.coding_end,
        )
    except (HgvsError, ValueError) as error:
        raise DesignError(variant.id, "window", str(error).strip("'\"")) from None


def verify_window(variant: Variant, genome: ReferenceGenome, label: str) -> bool:
    """True when every base of the window equals the reference; DesignError at the first that differs.
    False (unverified) when the reference lacks the window's chromosome."""
    window = variant.window
    assert window is not None
    contig = genome.contig(window.contig or window.chrom)
    if contig is None:
        return False
    difference = window_difference(window, genome, contig, label)
    if difference is not None:
        raise DesignError(variant.id, ("window", "sequence"), difference)
    return True


def window_difference(window: SequenceWindow, genome: ReferenceGenome, contig: str, label: str) -> str | None:
    """Where a window departs from the reference (first differing base, and how many differ), or None."""
    length = genome.length(contig)
    if window.end > length:
        return (f"the window {window.chrom}:{window.start}-{window.end} runs past the end of {contig} "
                f"({length:,} bases) in the reference {label}")
    expected = genome.fetch(contig, window.start, window.end)
    found = window.sequence.upper()
    if found == expected:
        return None
    differing = [i for i, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b]
    first = differing[0]
    more = f"; {len(differing)} of {len(found)} bases differ" if len(differing) > 1 else ""
    return (f"window base {first + 1} ({window.chrom}:{window.start + first:,}) is {found[first]} but the "
            f"reference {label} has {expected[first]}{more}; fetch the window again with `basket window`")


class GenomicLocus(NamedTuple):  # made once per variant: a tuple costs a third of a frozen dataclass
    """Where a variant sits on the reference, or why it cannot be placed (`missing`, `why`)."""

    contig: str | None
    position: int | None
    chrom: str
    missing: MissingCode | None = None
    why: str | None = None


def locate(variant: Variant, gene: Gene, genome: ReferenceGenome, label: str) -> GenomicLocus:
    """The reference contig and 1-based position of a variant's hgvs_g (its accession names the
    chromosome when it is a RefSeq chromosome accession, else the gene's chromosome is used)."""
    if not variant.hgvs_g:
        return GenomicLocus(None, None, gene.chrom, "no_position",
                            "The variant has no hgvs_g, so it cannot be placed on the reference and no sequence "
                            "was searched; add its HGVS g. description (or a window).")
    genomic = parse_genomic(variant)
    chrom, contig = genome.place(genomic.accession, gene.chrom)
    if contig is None:
        also = f" nor {genomic.accession}" if genomic.accession else ""
        return GenomicLocus(None, genomic.start.base, chrom, "no_contig",
                            f"The reference {label} has no sequence named {chrom}{also}, so no sequence was "
                            "searched for this variant.")
    return GenomicLocus(contig, genomic.start.base, chrom)


def _from_reference(program: Program, variant: Variant, parsed: ParsedHgvs, gene: Gene,
                    genome: ReferenceGenome, label: str) -> VariantSequence:
    locus = locate(variant, gene, genome, label)
    if locus.contig is None or locus.position is None:
        return VariantSequence(None, "none", False, locus.missing, locus.why, label)
    ref, alt = parsed.ref or "", parsed.alt or ""
    if gene.strand == "-":
        ref, alt = complement(ref), complement(alt)
    try:
        context = context_from_fasta(
            genome, locus.contig, locus.position, ref, alt, flank=program.editors_reach, gene_strand=gene.strand,
            variant_c=parsed.start.base, variant_c_offset=parsed.start.offset, label=variant.hgvs_c,
        )
    except SequenceMismatchError as error:
        raise DesignError(variant.id, "hgvs_g", f"{error} (reference {label})") from None
    except ValueError as error:
        raise DesignError(variant.id, "hgvs_g", f"{str(error).strip(chr(39) + chr(34))} in the reference {label}") from None
    return VariantSequence(context, "reference", True, reference=label)
