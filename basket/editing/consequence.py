"""The standard genetic code and the protein consequence of a codon change."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Literal

from bioutils.sequences import aa1_to_aa3

from basket.editing.sequence import complement
from basket.editing.sequence_context import SequenceContext

ConsequenceKind = Literal[
    "synonymous",
    "missense",
    "nonsense",
    "stop_loss",
    "start_loss",
    "splice_site",
    "non-coding",
    "unknown",
    "unknown (no transcript)",
]

# NCBI translation table 1, codons in TCAG order.
_AMINO_ACIDS_TCAG = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE: dict[str, str] = {
    "".join(codon): aa for codon, aa in zip(product("TCAG", repeat=3), _AMINO_ACIDS_TCAG, strict=True)
}
STOP = "*"

# Kinds that change the protein (or its splicing).
NON_SYNONYMOUS: frozenset[str] = frozenset({"missense", "nonsense", "stop_loss", "start_loss", "splice_site"})
# Kinds known to leave the protein alone; anything else (including unknown) is not assumed safe.
KNOWN_SAFE: frozenset[str] = frozenset({"synonymous", "non-coding"})
# Bases at offsets +1/+2 and -1/-2 from an exon edge are the canonical GT/AG splice sites.
CANONICAL_SPLICE_OFFSET = 2
# Least to most severe, for "the worst consequence": the order of Sequence Ontology impact classes
# (synonymous low; missense moderate; stop gained, start lost, stop lost, splice site high), with a
# consequence that cannot be assessed ranked above missense, since it may hide a severe one.
SEVERITY: tuple[str, ...] = (
    "non-coding", "synonymous", "missense", "unknown (no transcript)", "unknown", "splice_site", "stop_loss",
    "start_loss", "nonsense",
)


@dataclass(frozen=True)
class Consequence:
    kind: ConsequenceKind
    protein_change: str | None = None  # HGVS p. with three-letter codes, e.g. p.Gln335Ter
    note: str | None = None


def translate_codon(codon: str) -> str:
    """One-letter amino acid (``*`` for stop) of a coding-strand codon; ``X`` if it has an N."""
    return CODON_TABLE.get(codon.upper(), "X")


def codon_change_consequence(ref_codon: str, alt_codon: str, codon_number: int) -> Consequence:
    """Consequence of replacing ``ref_codon`` by ``alt_codon`` at codon ``codon_number`` (1 = start).

    Both codons are read on the coding strand 5'->3'.
    """
    ref_aa, alt_aa = translate_codon(ref_codon), translate_codon(alt_codon)
    if "X" in (ref_aa, alt_aa):
        return Consequence("unknown", None, "the codon contains an unknown base (N)")
    ref3, alt3 = aa1_to_aa3(ref_aa), aa1_to_aa3(alt_aa)
    if codon_number == 1 and ref_aa == "M" and alt_aa != "M":
        return Consequence("start_loss", "p.Met1?")
    if ref_aa == alt_aa:
        return Consequence("synonymous", f"p.{ref3}{codon_number}=")
    if alt_aa == STOP:
        return Consequence("nonsense", f"p.{ref3}{codon_number}Ter")
    if ref_aa == STOP:
        # The new C-terminus is not knowable from one codon: HGVS writes the extension as unknown.
        return Consequence("stop_loss", f"p.Ter{codon_number}{alt3}extTer?")
    return Consequence("missense", f"p.{ref3}{codon_number}{alt3}")


def severity(kind: str) -> int:
    """Rank of a consequence kind in `SEVERITY` (higher is worse)."""
    return SEVERITY.index(kind)


def base_change_consequence(context: SequenceContext, sequence: str, position: int, new_base: str) -> Consequence:
    """Consequence of setting the + strand base at genomic ``position`` to ``new_base``.

    ``sequence`` is a window-long + strand sequence aligned with ``context`` (e.g. the corrected
    window): the codon is read from it, so neighbouring edits already in it are taken into account.
    """
    if not context.has_transcript:
        return Consequence("unknown (no transcript)")
    if not context.is_coding(position):
        return _non_coding_consequence(context, position)
    return codon_edit_consequence(context, sequence, {position: new_base})


def codon_number_of(context: SequenceContext, position: int) -> int:
    """The codon (1 = the start codon) of a coding position."""
    return (context.c_number(position) - 1) // 3 + 1


def codon_edit_consequence(context: SequenceContext, sequence: str, edits: dict[int, str]) -> Consequence:
    """Consequence of setting several + strand bases of one codon at once (genomic position -> new
    base); every position must be coding and in the same codon. The codon is read from ``sequence``."""
    codon_number = codon_number_of(context, next(iter(edits)))
    first_c = 3 * (codon_number - 1) + 1
    positions = [context.position_of_c(first_c + k) for k in range(3)]
    assert set(edits) <= set(positions), "the edits must lie in one codon"
    if not all(context.start <= p <= context.end and context.is_coding(p) for p in positions):
        return Consequence("unknown", None, "the codon runs past the coding bounds or the window")
    ref_codon = "".join(sequence[p - context.start] for p in positions)
    alt_codon = "".join(edits.get(p, sequence[p - context.start]) for p in positions)
    if context.gene_strand == "-":
        ref_codon, alt_codon = complement(ref_codon), complement(alt_codon)
    return codon_change_consequence(ref_codon, alt_codon, codon_number)


def _non_coding_consequence(context: SequenceContext, position: int) -> Consequence:
    bounds = context.coding_bounds()
    assert bounds is not None
    distance = bounds[0] - position if position < bounds[0] else position - bounds[1]
    if 0 < distance <= CANONICAL_SPLICE_OFFSET:
        # Coding bounds are taken to be exon edges (see SequenceContext.c_label).
        return Consequence("splice_site", None, "canonical splice-site base next to the exon edge")
    return Consequence("non-coding")
