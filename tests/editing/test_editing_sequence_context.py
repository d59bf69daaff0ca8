from __future__ import annotations

from pathlib import Path

import pyfaidx
import pytest

from basket.editing.hgvs import HgvsError
from basket.editing.sequence import reverse_complement
from basket.editing.sequence_context import (
    ASSUMED_CODING_NOTE,
    SequenceContext,
    SequenceMismatchError,
    c_distance,
    context_from_fasta,
    context_from_window,
    shift_c,
)
from tests.editing.conftest import CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, Q335X_G


def test_cps1_window_maps_c1003_to_base_66(q335x_context: SequenceContext) -> None:
    ctx = q335x_context
    assert ctx.variant_position == 210591886 == CPS1_START + 66 - 1
    assert ctx.sequence[ctx.variant_index] == "C"
    assert ctx.mutant_sequence[65] == "T"
    assert ctx.c_label(210591886) == "c.1003"
    assert ctx.c_label(CPS1_START) == "c.938"
    assert ctx.position_of_c(1005) == 210591888
    assert ctx.notes == (ASSUMED_CODING_NOTE,)


def test_window_context_from_c_and_variant_offset_matches_g() -> None:
    from_offset = context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, variant_offset=66, gene_strand="+")
    from_g = context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, hgvs_g=Q335X_G, gene_strand="+")
    assert from_offset == from_g


def test_reference_mismatch_names_variant_position_and_bases() -> None:
    with pytest.raises(SequenceMismatchError) as info:
        context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, "c.1003G>A", variant_offset=66, gene_strand="+")
    message = str(info.value)
    assert "c.1003G>A" in message and "chr2:210591886" in message
    assert "has C" in message and "is G" in message


def test_minus_strand_gene_complements_the_c_allele() -> None:
    # The same window read as a '-' strand gene: c.X G>A is C>T on the + strand.
    ctx = context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, "c.500G>A", variant_offset=66, gene_strand="-")
    assert (ctx.ref, ctx.alt) == ("C", "T")
    assert ctx.c_label(210591886) == "c.500"
    assert ctx.c_label(210591887) == "c.499"  # c. increases as the genomic position decreases
    assert ctx.c_label(210591885) == "c.501"
    with pytest.raises(SequenceMismatchError, match="complement of the transcript allele"):
        context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, "c.500C>T", variant_offset=66, gene_strand="-")


def test_c_and_g_must_agree() -> None:
    with pytest.raises(HgvsError, match="disagree"):
        context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, "c.1003C>T", hgvs_g=Q335X_G, gene_strand="-")
    with pytest.raises(ValueError, match="inconsistently"):
        context_from_window(
            CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, hgvs_g=Q335X_G, variant_offset=65, gene_strand="+"
        )


def test_window_context_needs_position_and_strand() -> None:
    with pytest.raises(ValueError, match="genomic position is unknown"):
        context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, gene_strand="+")
    with pytest.raises(ValueError, match="gene strand"):
        context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, variant_offset=66)
    with pytest.raises(HgvsError, match="single-base substitutions"):
        context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, "c.1003del", variant_offset=66, gene_strand="+")


@pytest.mark.parametrize(("c", "delta", "expected"), [(1, -1, -1), (-1, 1, 1), (-3, 5, 3), (10, 5, 15), (2, -4, -3)])
def test_shift_c_skips_c0(c: int, delta: int, expected: int) -> None:
    assert shift_c(c, delta) == expected
    assert c_distance(c, expected) == delta


def test_utr_variant_mapping_crosses_c1_without_c0() -> None:
    ctx = SequenceContext("x", 101, "AAACCCATGAAA", 105, "C", "T", "+", -2)
    assert [ctx.c_label(p) for p in (105, 106, 107)] == ["c.-2", "c.-1", "c.1"]
    assert not ctx.is_coding(106) and ctx.is_coding(107)


@pytest.mark.parametrize("strand", ["+", "-"])
def test_intronic_variant_anchors_on_its_exon_edge(strand: str) -> None:
    # c.100+2 T>C: exon ends at c.100, the variant is 2 bases into the intron.
    exon_then_intron = "CAGGTAAGT"  # c.98..c.100 then intron +1..+6
    if strand == "+":
        ctx = SequenceContext("x", 1, exon_then_intron, 5, "T", "C", "+", 100, 2)
        exon_edge, deep = 3, 8
    else:
        ctx = SequenceContext("x", 1, reverse_complement(exon_then_intron), 5, "A", "G", "-", 100, 2)
        exon_edge, deep = 7, 2
    assert ctx.c_label(exon_edge) == "c.100"
    assert ctx.c_label(ctx.variant_position) == "c.100+2"
    assert ctx.c_label(deep) == "c.100+5"
    assert ctx.is_coding(exon_edge) and not ctx.is_coding(ctx.variant_position)


def test_context_validation_messages() -> None:
    with pytest.raises(ValueError, match="outside the window"):
        SequenceContext("x", 10, "ACGT", 20, "A", "G")
    with pytest.raises(ValueError, match="ref and alt are both"):
        SequenceContext("x", 10, "ACGT", 10, "A", "A")
    with pytest.raises(ValueError, match="needs the gene strand"):
        SequenceContext("x", 10, "ACGT", 10, "A", "G", None, 5)
    with pytest.raises(ValueError, match="both coding_start and coding_end"):
        SequenceContext("x", 10, "ACGT", 10, "A", "G", "+", 5, coding_start=10)
    with pytest.raises(ValueError, match="outside the coding"):
        SequenceContext("x", 10, "ACGT", 10, "A", "G", "+", 5, coding_start=11, coding_end=13)


def test_context_from_fasta(tmp_path: Path) -> None:
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr2_part\n" + "\n".join(CPS1_WINDOW[i : i + 30] for i in range(0, len(CPS1_WINDOW), 30)) + "\n")
    pyfaidx.Faidx(str(fasta))
    ctx = context_from_fasta(fasta, "chr2_part", 66, "C", "T", flank=10, gene_strand="+", variant_c=1003)
    assert (ctx.start, ctx.sequence) == (56, CPS1_WINDOW[55:76])
    clipped = context_from_fasta(fasta, "chr2_part", 3, "C", "T", flank=10)
    assert clipped.start == 1 and clipped.sequence == CPS1_WINDOW[:13]
    with pytest.raises(SequenceMismatchError, match="has C at chr2_part:66"):
        context_from_fasta(fasta, "chr2_part", 66, "A", "G", flank=10)
    with pytest.raises(KeyError, match="not in the FASTA"):
        context_from_fasta(fasta, "chrZ", 66, "C", "T", flank=10)
    with pytest.raises(ValueError, match="outside chr2_part"):
        context_from_fasta(fasta, "chr2_part", 1000, "C", "T", flank=10)
