"""A stretch of reference sequence around one SNV, with the variant and its transcript mapping.

Coordinates: genomic positions are 1-based and inclusive; ``sequence`` is the + strand.
On a '-' strand gene, c. numbering increases as the genomic position decreases.
HGVS c. numbering has no c.0: c.-1 is followed by c.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from basket.editing.hgvs import HgvsError, ParsedHgvs, parse_hgvs
from basket.editing.reference_fasta import ReferenceGenome
from basket.editing.sequence import DNA_BASES, complement, validate_dna

Strand = Literal["+", "-"]

ASSUMED_CODING_NOTE = (
    "No coding bounds were given: the window is assumed to be contiguous coding sequence "
    "around the variant (no exon boundary inside it)."
)


class SequenceMismatchError(ValueError):
    """The reference sequence does not carry the variant's reference allele."""


@dataclass(frozen=True)
class SequenceContext:
    """Reference window + one SNV (alleles on the + strand) + optional transcript mapping.

    ``variant_c``/``variant_c_offset`` give the variant's c. position (``c.1000+1`` -> 1000, 1).
    ``coding_start``/``coding_end`` (genomic, inclusive, start <= end) bound the coding part of the
    window; when absent the window is assumed to be coding around the variant (see ``notes``).
    """

    chrom: str
    start: int
    sequence: str
    variant_position: int
    ref: str
    alt: str
    gene_strand: Strand | None = None
    variant_c: int | None = None
    variant_c_offset: int = 0
    coding_start: int | None = None
    coding_end: int | None = None
    label: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sequence", validate_dna(self.sequence, "window sequence"))
        object.__setattr__(self, "ref", self.ref.upper())
        object.__setattr__(self, "alt", self.alt.upper())
        self._check_variant()
        self._check_transcript()
        if self.has_transcript and self.coding_start is None:
            object.__setattr__(self, "notes", (*self.notes, ASSUMED_CODING_NOTE))

    @property
    def end(self) -> int:
        return self.start + len(self.sequence) - 1

    @property
    def name(self) -> str:
        return self.label or f"{self.chrom}:{self.variant_position}{self.ref}>{self.alt}"

    @property
    def variant_index(self) -> int:
        """0-based index of the variant in ``sequence``."""
        return self.variant_position - self.start

    @cached_property
    def mutant_sequence(self) -> str:
        """The window with the alternate (mutant) allele substituted: what a guide must match."""
        i = self.variant_index
        return self.sequence[:i] + self.alt + self.sequence[i + 1 :]

    @property
    def has_transcript(self) -> bool:
        return self.gene_strand is not None and self.variant_c is not None

    def coding_bounds(self) -> tuple[int, int] | None:
        """Genomic (low, high) of the coding part of the window, given or assumed."""
        return self._coding_bounds

    @cached_property  # asked for every base judged: worked out once per context
    def _coding_bounds(self) -> tuple[int, int] | None:
        if not self.has_transcript:
            return None
        if self.coding_start is not None and self.coding_end is not None:
            return self.coding_start, self.coding_end
        anchor = self._anchor()
        # An intronic variant sits beyond its exon's edge; the exon is on the anchor's other side.
        beyond_is_higher = (self.variant_c_offset > 0) == (self.gene_strand == "+")
        if self.variant_c_offset == 0:
            return self.start, self.end
        return (self.start, anchor) if beyond_is_higher else (anchor, self.end)

    def c_number(self, position: int) -> int:
        """c. number of a position inside the coding bounds (no intronic offset)."""
        delta = position - self._anchor()
        if self.gene_strand == "-":
            delta = -delta
        assert self.variant_c is not None
        return shift_c(self.variant_c, delta)

    def c_label(self, position: int) -> str | None:
        """``c.1001`` inside the coding bounds, ``c.1000+3``/``c.901-2`` outside; None without a transcript.

        Positions outside the bounds are written as offsets from the nearest bound, i.e. the
        bounds are taken to be exon edges (a bound that is really the CDS start or end would be
        written c.-N / c.*N in HGVS; the window does not say which).
        """
        bounds = self.coding_bounds()
        if bounds is None:
            return None
        low, high = bounds
        if low <= position <= high:
            return f"c.{self.c_number(position)}"
        edge = low if position < low else high
        offset = position - edge if self.gene_strand == "+" else edge - position
        return f"c.{self.c_number(edge)}{offset:+d}"

    def is_coding(self, position: int) -> bool:
        """Inside the coding bounds and at c.1 or after (5' UTR bases are not coding)."""
        bounds = self.coding_bounds()
        return bounds is not None and bounds[0] <= position <= bounds[1] and self.c_number(position) >= 1

    def position_of_c(self, c: int) -> int:
        """Genomic position of a c. number in the window's coding part (inverse of c_number)."""
        assert self.variant_c is not None
        delta = c_distance(self.variant_c, c)
        return self._anchor() + (delta if self.gene_strand == "+" else -delta)

    def _anchor(self) -> int:
        """Genomic position of c.{variant_c} (the exon base an intronic variant is counted from)."""
        return self._anchor_position

    @cached_property
    def _anchor_position(self) -> int:
        offset = self.variant_c_offset if self.gene_strand == "+" else -self.variant_c_offset
        return self.variant_position - offset

    def _check_variant(self) -> None:
        if not self.start <= self.variant_position <= self.end:
            raise ValueError(
                f"{self.name}: variant position {self.variant_position} is outside the window "
                f"{self.chrom}:{self.start}-{self.end}"
            )
        for what, base in (("ref", self.ref), ("alt", self.alt)):
            if len(base) != 1 or base not in DNA_BASES:
                raise ValueError(f"{self.name}: {what} must be one of A, C, G, T, not {base!r}")
        if self.ref == self.alt:
            raise ValueError(f"{self.name}: ref and alt are both {self.ref}")
        found = self.sequence[self.variant_index]
        if found != self.ref:
            raise SequenceMismatchError(self._mismatch_message(found))

    def _mismatch_message(self, found: str) -> str:
        transcript = ""
        if self.gene_strand == "-" and self.variant_c is not None:
            transcript = (
                f" (the complement of the transcript allele {complement(self.ref)}, the gene being on the - strand)"
            )
        return (
            f"{self.name}: the reference has {found} at {self.chrom}:{self.variant_position} "
            f"but the variant's reference allele on the + strand is {self.ref}{transcript}"
        )

    def _check_transcript(self) -> None:
        if self.gene_strand not in (None, "+", "-"):
            raise ValueError(f"{self.name}: gene_strand must be '+', '-' or absent, not {self.gene_strand!r}")
        if self.variant_c is not None and self.gene_strand is None:
            raise ValueError(f"{self.name}: a c. position needs the gene strand")
        if (self.coding_start is None) != (self.coding_end is None):
            raise ValueError(f"{self.name}: give both coding_start and coding_end, or neither")
        if self.coding_start is not None and self.coding_end is not None:
            if not self.coding_start <= self.coding_end:
                raise ValueError(f"{self.name}: coding_start {self.coding_start} is after coding_end {self.coding_end}")
            if not self.coding_start <= self._anchor() <= self.coding_end:
                raise ValueError(
                    f"{self.name}: the variant's exon position {self._anchor()} is outside the coding "
                    f"bounds {self.coding_start}-{self.coding_end}"
                )


def shift_c(c: int, delta: int) -> int:
    """``c`` moved ``delta`` bases along the transcript, skipping the non-existent c.0."""
    index = (c - 1 if c > 0 else c) + delta
    return index + 1 if index >= 0 else index


def c_distance(c_from: int, c_to: int) -> int:
    """Number of transcript steps from ``c_from`` to ``c_to`` (inverse of :func:`shift_c`)."""

    def index(c: int) -> int:
        return c - 1 if c > 0 else c

    return index(c_to) - index(c_from)


def context_from_window(
    chrom: str,
    start: int,
    sequence: str,
    hgvs_c: str | ParsedHgvs | None = None,
    *,
    hgvs_g: str | ParsedHgvs | None = None,
    gene_strand: Strand | None = None,
    variant_offset: int | None = None,
    variant_position: int | None = None,
    coding_start: int | None = None,
    coding_end: int | None = None,
) -> SequenceContext:
    """Build a context from a program's window and the variant's HGVS.

    The genomic position comes from ``hgvs_g``, else ``variant_position``, else
    ``variant_offset`` (1-based index of the variant base in ``sequence``).
    """
    c = _as_snv(hgvs_c, "c") if hgvs_c is not None else None
    g = _as_snv(hgvs_g, "g") if hgvs_g is not None else None
    if c is None and g is None:
        raise ValueError("a window context needs the variant's c. or g. description")
    if c is not None and gene_strand is None:
        raise ValueError(f"{c.text}: the gene strand ('+' or '-') is needed to place a c. variant")
    position = _genomic_position(start, g, variant_offset, variant_position)
    ref, alt = _plus_alleles(c, g, gene_strand)
    if c is not None and c.start.datum == "cds_end":
        raise HgvsError(f"{c.text}: 3' UTR positions (c.*N) need the CDS length and are not supported here")
    return SequenceContext(
        chrom=chrom,
        start=start,
        sequence=sequence,
        variant_position=position,
        ref=ref,
        alt=alt,
        gene_strand=gene_strand if c is not None else None,
        variant_c=c.start.base if c is not None else None,
        variant_c_offset=c.start.offset if c is not None else 0,
        coding_start=coding_start,
        coding_end=coding_end,
        label=(c or g).text,  # type: ignore[union-attr]
    )


def context_from_fasta(
    fasta: str | Path | ReferenceGenome,
    chrom: str,
    position: int,
    ref: str,
    alt: str,
    *,
    flank: int,
    gene_strand: Strand | None = None,
    variant_c: int | None = None,
    variant_c_offset: int = 0,
    coding_start: int | None = None,
    coding_end: int | None = None,
    label: str | None = None,
) -> SequenceContext:
    """Build a context from an indexed FASTA around a genomic SNV (alleles on the + strand).

    ``chrom`` is the FASTA's name of the contig; the window holds ``flank`` bases each side of the
    variant (`basket.editing.guides.editors_reach` says how many the editors need), fewer at a contig's end.
    """
    genome = fasta if isinstance(fasta, ReferenceGenome) else ReferenceGenome(Path(fasta))
    if genome.contig(chrom) != chrom:
        raise KeyError(f"{label or chrom}: contig {chrom!r} is not in the FASTA")
    length = genome.length(chrom)
    if not 1 <= position <= length:
        raise ValueError(f"{label or chrom}: position {position} is outside {chrom} (1..{length})")
    first = max(1, position - flank)
    last = min(length, position + flank)
    return SequenceContext(
        chrom=chrom,
        start=first,
        sequence=genome.fetch(chrom, first, last),
        variant_position=position,
        ref=ref,
        alt=alt,
        gene_strand=gene_strand,
        variant_c=variant_c,
        variant_c_offset=variant_c_offset,
        coding_start=coding_start,
        coding_end=coding_end,
        label=label,
    )


def _as_snv(value: str | ParsedHgvs, coordinate: str) -> ParsedHgvs:
    parsed = parse_hgvs(value) if isinstance(value, str) else value
    if parsed.coordinate != coordinate:
        raise HgvsError(f"{parsed.text}: expected a {coordinate}. description, got {parsed.coordinate}.")
    if not parsed.is_snv:
        raise HgvsError(f"{parsed.text}: a sequence context is built for single-base substitutions only")
    return parsed


def _genomic_position(
    start: int, g: ParsedHgvs | None, variant_offset: int | None, variant_position: int | None
) -> int:
    candidates = {
        "g.": g.start.base if g is not None else None,
        "variant_position": variant_position,
        "variant_offset": start + variant_offset - 1 if variant_offset is not None else None,
    }
    given = {name: value for name, value in candidates.items() if value is not None}
    if not given:
        raise ValueError("the variant's genomic position is unknown: give hgvs_g, variant_position or variant_offset")
    if len(set(given.values())) > 1:
        raise ValueError(f"the variant's genomic position is given inconsistently: {given}")
    return next(iter(given.values()))


def _plus_alleles(c: ParsedHgvs | None, g: ParsedHgvs | None, gene_strand: Strand | None) -> tuple[str, str]:
    """Reference and alternate bases on the genomic + strand."""
    from_c = None
    if c is not None:
        assert c.ref is not None and c.alt is not None
        from_c = (c.ref, c.alt) if gene_strand == "+" else (complement(c.ref), complement(c.alt))
    from_g = (g.ref, g.alt) if g is not None else None
    if from_c and from_g and from_c != from_g:
        raise HgvsError(
            f"{c.text} and {g.text} disagree: on the + strand the c. alleles read "  # type: ignore[union-attr]
            f"{from_c[0]}>{from_c[1]} (gene on the {gene_strand} strand) but g. says {from_g[0]}>{from_g[1]}"
        )
    return from_c or from_g  # type: ignore[return-value]
