"""Candidate off-target sites: the scan's hits turned into genomic coordinates, alignments and editable bases.

Coordinates are 1-based and inclusive on the plus strand (``start <= end``), for the protospacer and
for the PAM separately, as for guides. The editor's window is counted from the PAM: protospacer
position q (1 = PAM-distal end of an L-nt spacer) is the DNA base L + 1 - q bases 5' of the PAM on the
site's strand, bulge or no bulge, since the deaminase reaches the DNA relative to the bound Cas protein.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from basket.offtargets.alignment import Alignment, align
from basket.offtargets.query import OffTargetQuery
from basket.offtargets.scan_kernel import match_guides, pam_windows
from basket.offtargets.sequence_codes import decode, pack_guides, pam_lookup

Strand = Literal["+", "-"]


@dataclass(frozen=True)
class EditableBase:
    protospacer_position: int  # 1-based from the PAM-distal end
    window: Literal["core", "extended"]
    position: int  # genomic, 1-based

    def label(self, base: str) -> str:
        return f"{base}{self.protospacer_position}"


@dataclass(frozen=True)
class Site:
    guide: str
    contig: str
    start: int  # protospacer, 1-based inclusive, plus strand
    end: int
    strand: Strand
    pam: str  # as read on the site's strand
    pam_start: int
    pam_end: int
    canonical_pam: bool
    dna: str  # the protospacer DNA on the site's strand, 5'->3'
    alignment: Alignment
    editable: tuple[EditableBase, ...]
    # Personal genome: which sequence the site was found in, and the patient's alleles involved.
    origin: Literal["reference", "patient"] = "reference"
    haplotype: str = ""  # "1", "2" for phased haplotypes, "alt" for an unphased allele alone
    variants: tuple[str, ...] = ()
    destroyed_by: tuple[str, ...] = ()  # reference site absent from a patient haplotype: those alleles
    annotation: dict[str, str] = field(default_factory=dict)
    on_target: bool = False  # the site the guide is designed for (see nomination.OnTarget)
    pam_inserted_rank: int = 0  # a patient site whose PAM starts on a base inserted after pam position: its rank

    @property
    def key(self) -> tuple[str, str, int, int]:
        """A site is one PAM occurrence: contig, strand and the PAM's first base on its strand (and, on a
        patient's insertion, which inserted base)."""
        return (self.contig, self.strand, self.pam_start if self.strand == "+" else self.pam_end,
                self.pam_inserted_rank)

    @property
    def mismatches(self) -> int:
        return self.alignment.mismatches

    @property
    def bulges(self) -> int:
        return self.alignment.bulges

    def with_(self, **changes) -> Site:
        return replace(self, **changes)


class StrandScan:
    """The compiled scan set up for one query: PAM windows of a stretch of one strand, then the guides."""

    def __init__(self, query: OffTargetQuery):
        self.query = query
        self.guides = pack_guides(list(query.guides), query.spacer)
        self.pam_table, self.pam_width = pam_lookup(list(query.pams))

    def hits(self, codes: np.ndarray, n: int, start: int, stop: int) -> np.ndarray:
        """Rows (pam_start, guide, pam, mismatches, bulges, diagonal) for PAM starts in [start, stop)."""
        query = self.query
        windows = pam_windows(codes, n, start, stop, query.spacer, query.max_bulges, self.pam_table,
                              self.pam_width)
        return match_guides(*windows, self.guides, query.spacer, query.max_mismatches, query.max_bulges)


def site_from_hit(query: OffTargetQuery, contig: str, strand_codes: np.ndarray, n: int, hit: np.ndarray,
                  strand: Strand, offset: int = 0) -> Site:
    """The site of one scan hit on ``strand_codes`` (the strand's own 5'->3' codes of an n-base sequence
    whose plus-strand first base is at ``offset`` + 1)."""
    pam_start, guide_index, pam_index, mismatches, bulges, diagonal = (int(v) for v in hit)
    guide = query.guides[guide_index]
    pam_length = len(query.pams[pam_index])
    dna_start = pam_start - query.spacer - diagonal
    dna = decode(strand_codes[dna_start:pam_start])
    pam = decode(strand_codes[pam_start:pam_start + pam_length])
    dna_bulges = (bulges + diagonal) // 2
    alignment = align(guide, dna, bulges, mismatches, dna_bulges)
    if strand == "+":
        start, end = offset + dna_start + 1, offset + pam_start
        pam_span = (offset + pam_start + 1, offset + pam_start + pam_length)
    else:  # strand index y is plus-strand index n - 1 - y
        start, end = offset + n - pam_start + 1, offset + n - dna_start
        pam_span = (offset + n - pam_start - pam_length + 1, offset + n - pam_start)
    editable = _editable_bases(query, strand_codes, pam_start, strand, n, offset)
    return Site(guide, contig, start, end, strand, pam, pam_span[0], pam_span[1], query.is_canonical(pam_index),
                dna, alignment, editable)


def _editable_bases(query: OffTargetQuery, strand_codes: np.ndarray, pam_start: int, strand: Strand, n: int,
                    offset: int) -> tuple[EditableBase, ...]:
    editor = query.editor
    wanted = "ACGT".index(editor.edited_base)
    lo, hi = editor.outer_window
    found = []
    for position in range(lo, hi + 1):
        index = pam_start - (query.spacer + 1 - position)
        if index < 0 or strand_codes[index] != wanted:
            continue
        window = editor.window_of(position)
        genomic = offset + index + 1 if strand == "+" else offset + n - index
        found.append(EditableBase(position, window, genomic))  # type: ignore[arg-type]
    return tuple(found)
