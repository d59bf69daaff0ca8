from __future__ import annotations

import pytest

from basket.editing.consequence import CODON_TABLE, base_change_consequence, codon_change_consequence
from basket.editing.sequence import reverse_complement
from basket.editing.sequence_context import SequenceContext


def test_standard_code_spot_checks() -> None:
    assert len(CODON_TABLE) == 64
    assert sorted(c for c, aa in CODON_TABLE.items() if aa == "*") == ["TAA", "TAG", "TGA"]
    assert (CODON_TABLE["ATG"], CODON_TABLE["TGG"], CODON_TABLE["CAG"], CODON_TABLE["AAT"]) == ("M", "W", "Q", "N")
    assert sum(aa == "L" for aa in CODON_TABLE.values()) == 6


@pytest.mark.parametrize(
    ("ref", "alt", "number", "kind", "protein"),
    [
        ("CAG", "TAG", 335, "nonsense", "p.Gln335Ter"),
        ("CAG", "CGG", 334, "missense", "p.Gln334Arg"),
        ("GCT", "GCC", 334, "synonymous", "p.Ala334="),
        ("TAA", "CAA", 10, "stop_loss", "p.Ter10GlnextTer?"),
        ("TAA", "TAG", 10, "synonymous", "p.Ter10="),
        ("ATG", "GTG", 1, "start_loss", "p.Met1?"),
        ("ATG", "GTG", 5, "missense", "p.Met5Val"),
        ("CNG", "CAG", 5, "unknown", None),
    ],
)
def test_codon_change_consequence(ref, alt, number, kind, protein) -> None:
    result = codon_change_consequence(ref, alt, number)
    assert (result.kind, result.protein_change) == (kind, protein)


def _coding_window(strand: str) -> SequenceContext:
    # Coding strand: c.1..c.12 = ATG GAA TGG TAA. On a '-' strand gene the + strand is its reverse complement.
    coding = "ATGGAATGGTAA"
    if strand == "+":
        return SequenceContext("x", 101, coding, 104, "G", "A", "+", 4)
    return SequenceContext("x", 101, reverse_complement(coding), 109, "C", "T", "-", 4)


@pytest.mark.parametrize("strand", ["+", "-"])
def test_base_change_consequence_reads_codons_on_the_coding_strand(strand: str) -> None:
    ctx = _coding_window(strand)
    # c.5 A>G in codon 2 (GAA, Glu -> GGA, Gly); c.9 G>A in codon 3 (TGG, Trp -> TGA, stop).
    plus = {"+": {5: ("G", 105), 9: ("A", 109)}, "-": {5: ("C", 108), 9: ("T", 104)}}[strand]
    glu = base_change_consequence(ctx, ctx.sequence, plus[5][1], plus[5][0])
    trp = base_change_consequence(ctx, ctx.sequence, plus[9][1], plus[9][0])
    assert (glu.kind, glu.protein_change) == ("missense", "p.Glu2Gly")
    assert (trp.kind, trp.protein_change) == ("nonsense", "p.Trp3Ter")


def test_base_change_without_transcript_is_unknown() -> None:
    ctx = SequenceContext("x", 1, "ACGTACGT", 3, "G", "A")
    assert base_change_consequence(ctx, ctx.sequence, 2, "T").kind == "unknown (no transcript)"


def test_positions_outside_coding_bounds() -> None:
    # Exon c.4..c.8 at 104..108; 102-103 and 109-110 are canonical splice bases; 101 and 111+ deeper.
    ctx = SequenceContext("x", 101, "CAGATGGAATGGTAA", 105, "T", "C", "+", 5, coding_start=104, coding_end=108)
    assert [base_change_consequence(ctx, ctx.sequence, p, "C").kind for p in (101, 102, 103, 109, 110, 111)] == [
        "non-coding",
        "splice_site",
        "splice_site",
        "splice_site",
        "splice_site",
        "non-coding",
    ]
    assert base_change_consequence(ctx, ctx.sequence, 104, "G").protein_change == "p.Met2Val"
    # Codon 3 is c.7..c.9, and c.9 lies past the coding bounds: its sequence is not known here.
    assert base_change_consequence(ctx, ctx.sequence, 107, "A").kind == "unknown"
