from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.editing.editors import Editor
from basket.editing.guides import find_guides
from basket.editing.sequence import complement, pam_matches, reverse_complement
from basket.editing.sequence_context import SequenceContext
from tests.editing.conftest import make_editor

START = 1001


def plus_strand_target(position: int, *, left: int = 10, pam: str = "TGG", right: int = 10) -> SequenceContext:
    """A G>A variant at protospacer ``position`` of a + strand protospacer followed by ``pam``.

    The filler is C, so the only A (what an ABE edits) is the mutant base and the only GG is the PAM.
    """
    protospacer = "C" * (position - 1) + "G" + "C" * (20 - position)
    seq = "C" * left + protospacer + pam + "C" * right
    return SequenceContext("t", START, seq, START + left + position - 1, "G", "A")


def mirrored(ctx: SequenceContext) -> SequenceContext:
    """The same locus read on the other strand: coordinates reflected inside the window."""
    return SequenceContext(
        ctx.chrom,
        ctx.start,
        reverse_complement(ctx.sequence),
        reflect(ctx, ctx.variant_position),
        complement(ctx.ref),
        complement(ctx.alt),
        {"+": "-", "-": "+", None: None}[ctx.gene_strand],
        ctx.variant_c,
        ctx.variant_c_offset,
    )


def reflect(ctx: SequenceContext, position: int) -> int:
    return ctx.start + ctx.end - position


@pytest.mark.parametrize(
    ("position", "core"),
    [(3, False), (4, True), (6, True), (8, True), (9, False)],
)
def test_target_inside_windows_on_plus_strand(abe8e: Editor, position: int, core: bool) -> None:
    ctx = plus_strand_target(position)
    (guide,) = find_guides(ctx, abe8e)
    assert (guide.strand, guide.target_position, guide.in_core_window) == ("+", position, core)
    assert guide.protospacer[position - 1] == "A"
    assert (guide.start, guide.end) == (START + 10, START + 29)
    assert (guide.pam, guide.pam_start, guide.pam_end) == ("TGG", START + 30, START + 32)
    assert guide.bystanders == ()


@pytest.mark.parametrize("position", [1, 2, 10, 11, 20])
def test_target_outside_windows_gives_no_guide(abe8e: Editor, position: int) -> None:
    assert find_guides(plus_strand_target(position), abe8e) == []


@pytest.mark.parametrize("position", [3, 4, 8, 9])
def test_minus_strand_guides_mirror_plus_strand_guides(abe8e: Editor, position: int) -> None:
    plus = plus_strand_target(position)
    (guide,) = find_guides(mirrored(plus), abe8e)
    assert (guide.strand, guide.target_position, guide.pam) == ("-", position, "TGG")
    # On the - strand the protospacer's PAM-distal end is its highest genomic coordinate.
    assert guide.end - (position - 1) == reflect(plus, plus.variant_position)
    assert (guide.start, guide.end) == (reflect(plus, START + 29), reflect(plus, START + 10))
    assert guide.pam_end == guide.start - 1


def test_pam_at_the_very_end_of_the_window(abe8e: Editor) -> None:
    ctx = plus_strand_target(5, right=0)
    (guide,) = find_guides(ctx, abe8e)
    assert guide.pam_end == ctx.end
    truncated = SequenceContext("t", START, ctx.sequence[:-1], ctx.variant_position, "G", "A")
    assert find_guides(truncated, abe8e) == []


def test_guides_running_off_the_window_are_skipped(abe8e: Editor) -> None:
    ctx = plus_strand_target(5, left=0)
    assert len(find_guides(ctx, abe8e)) == 1
    clipped = SequenceContext("t", START + 1, ctx.sequence[1:], ctx.variant_position, "G", "A")
    assert find_guides(clipped, abe8e) == []  # the protospacer's first base is missing


def test_n_bases_never_match(abe8e: Editor) -> None:
    # An N in the sequence is an unknown base: it does not even satisfy the pattern's N.
    assert find_guides(plus_strand_target(5, pam="NGG"), abe8e) == []
    assert find_guides(plus_strand_target(5, pam="AGG"), abe8e) != []
    ctx = plus_strand_target(5, pam="TNG")
    assert find_guides(ctx, abe8e) == []
    with_n = ctx.sequence[:12] + "N" + ctx.sequence[13:]
    n_in_spacer = SequenceContext("t", START, with_n.replace("TNG", "TGG"), ctx.variant_position, "G", "A")
    assert find_guides(n_in_spacer, abe8e) == []


def test_n_in_pam_sequence_is_not_a_wildcard() -> None:
    assert not pam_matches("NGG", "NGG")


def test_iupac_pam_editor(catalogue: dict[str, Editor]) -> None:
    spry = catalogue["SpRY-ABE8e"]  # NRN
    assert find_guides(plus_strand_target(5, pam="TAC"), spry)[0].pam == "TAC"
    # TCC fails NRN at this site; the C filler gives no NRN elsewhere on the + strand.
    assert [g for g in find_guides(plus_strand_target(5, pam="TCC"), spry) if g.strand == "+"] == []


def test_deaminase_must_revert_the_variant(abe8e: Editor, catalogue: dict[str, Editor]) -> None:
    ctx = plus_strand_target(5)
    assert find_guides(ctx, catalogue["BE4max"]) == []  # a CBE cannot turn the mutant A back into G
    transversion = SequenceContext("t", START, ctx.sequence.replace("G", "C", 1), ctx.variant_position, "C", "A")
    assert find_guides(transversion, abe8e) == []  # editing A gives G, not the reference C
    # The same transversion read from the other strand (a G>T like CPS1 E714X): the A is on the - strand.
    assert find_guides(mirrored(transversion), abe8e) == []
    assert find_guides(mirrored(ctx), abe8e) != []


def test_cbe_edits_c_on_the_protospacer(catalogue: dict[str, Editor]) -> None:
    seq = "A" * 10 + "A" * 5 + "T" + "A" * 14 + "AGG" + "A" * 10  # T>C at protospacer position 6
    ctx = SequenceContext("t", START, seq, START + 15, "T", "C")
    (guide,) = find_guides(ctx, catalogue["BE4max"])
    assert (guide.strand, guide.target_position, guide.protospacer[5]) == ("+", 6, "C")


def test_bystanders_are_judged_on_the_corrected_codon(abe8e: Editor) -> None:
    # Codon 101 (c.301-303) is GAA (Glu) in the reference; c.301G>A makes it AAA (Lys).
    protospacer = "CCCC" + "GAA" + "C" * 13
    seq = "C" * 10 + protospacer + "TGG" + "C" * 10
    ctx = SequenceContext("t", START, seq, START + 14, "G", "A", "+", 301)
    (guide,) = find_guides(ctx, abe8e)
    by_c = {b.c: b for b in guide.bystanders}
    assert set(by_c) == {"c.302", "c.303"}
    # Judged on the corrected GAA, not the mutant AAA (which would give p.Lys101Arg).
    assert (by_c["c.302"].consequence, by_c["c.302"].protein_change) == ("missense", "p.Glu101Gly")
    assert (by_c["c.303"].consequence, by_c["c.303"].protein_change) == ("synonymous", "p.Glu101=")
    assert by_c["c.302"].window == "core" and by_c["c.302"].protospacer_position == 6
    assert guide.has_unsafe_bystander


def test_ranking_prefers_core_window(abe8e: Editor) -> None:
    # Target at index 18. TGG at 30-32 puts it at protospacer position 9 (extended window);
    # TGG at 34-36 puts it at position 5 (core window).
    seq = "C" * 18 + "G" + "C" * 11 + "TGGCTGG" + "C" * 10
    ctx = SequenceContext("t", START, seq, START + 18, "G", "A")
    guides = find_guides(ctx, abe8e)
    assert [(g.target_position, g.in_core_window, g.rank) for g in guides] == [(5, True, 1), (9, False, 2)]
    assert guides[0].score > guides[1].score


def test_ranking_prefers_guides_without_unsafe_bystanders(abe8e: Editor) -> None:
    # Target at index 13, another adenine at index 10, PAMs TGG/GGG/GGG at 28, 29, 30: the target
    # lands at positions 6, 5 and 4. Only the position-6 guide (the most central) also covers
    # the adenine (at its position 3), whose consequence is unknown without a transcript.
    seq = "C" * 10 + "ACCG" + "C" * 14 + "TGGGG" + "C" * 10
    ctx = SequenceContext("t", START, seq, START + 13, "G", "A")
    guides = find_guides(ctx, abe8e)
    assert [(g.target_position, len(g.bystanders)) for g in guides] == [(5, 0), (4, 0), (6, 1)]
    assert guides[2].bystanders[0].consequence == "unknown (no transcript)"
    assert guides[2].bystanders[0].position == START + 10


def test_cps1_q335x_kj_guide(q335x_context: SequenceContext, ngc_editor: Editor) -> None:
    """The NEJM report: the Q335X adenine sits at protospacer position 8 with an NGC PAM; bystanders synonymous.

    Worked by hand: the mutant + strand bases 51-73 of the window are GCT TTCATTACTGCT T AGAATCA
    (base 66 is the mutant T). On the - strand, the protospacer whose 5' end is base 73 reads
    TGATTCTAAGCAGTAATGAA; its 8th base is the complement of base 66 (A), and the PAM after its
    3' end is the reverse complement of bases 51-53 (GCT) = AGC, an NGC PAM. In the window 3-9 the
    other adenines are at positions 3 (base 71, c.1008, AAT->AAC Asn) and 9 (base 65, c.1002,
    GCT->GCC Ala): both synonymous. No other NGC site places the adenine in the window.
    """
    guides = find_guides(q335x_context, ngc_editor)
    assert len(guides) == 1
    best = guides[0]
    assert best.to_dict() | {"bystanders": None, "notes": None} == {
        "editor": "NGC-ABE8e-V106W",
        "protospacer": "TGATTCTAAGCAGTAATGAA",
        "pam": "AGC",
        "strand": "-",
        "start": 210591874,
        "end": 210591893,
        "pam_start": 210591871,
        "pam_end": 210591873,
        "target_position": 8,
        "in_core_window": True,
        "allele_specific": False,
        "bystanders": None,
        "codon_outcomes": [],  # the two bystanders are in different codons (334 and 336)
        "worst_consequence": "synonymous",
        "worst_protein_change": "p.Asn336=",
        "rank": 1,
        "score": best.score,
        "notes": None,
    }
    assert [(b.c, b.protospacer_position, b.window, b.consequence, b.protein_change) for b in best.bystanders] == [
        ("c.1008", 3, "extended", "synonymous", "p.Asn336="),
        ("c.1002", 9, "extended", "synonymous", "p.Ala334="),
    ]
    assert [(b.change, b.plus_strand_change, b.coding_strand_change) for b in best.bystanders] == [
        ("A>G", "T>C", "T>C")
    ] * 2
    json.dumps(best.to_dict())  # serialisable


def test_no_ngg_guide_for_q335x(q335x_context: SequenceContext, catalogue: dict[str, Editor]) -> None:
    assert find_guides(q335x_context, catalogue["ABE8e"]) == []


# --- properties -------------------------------------------------------------------------------

EDITORS = [
    make_editor("ABE-NGG"),
    make_editor("ABE-NG", pams=["NG"]),
    make_editor("ABE-NGC", pams=["NGC"], extended_window=None),
    make_editor("CBE-NRN", deaminase="CBE", pams=["NRN", "NYN"], extended_window=(1, 10)),
    make_editor(
        "CBE-18", deaminase="CBE", pams=["NNGRRT"], core_window=(3, 12), extended_window=None, spacer_length=18
    ),
]
TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}


@st.composite
def cases(draw: st.DrawFn) -> tuple[SequenceContext, Editor]:
    """An editor and a random window (up to two N) with a transition SNV that the editor's deaminase
    reverts (the mutant base is its editable base on one strand), with or without a transcript."""
    editor = draw(st.sampled_from(EDITORS))
    bases = draw(st.lists(st.sampled_from("ACGT"), min_size=30, max_size=70))
    for _ in range(draw(st.integers(0, 2))):
        bases[draw(st.integers(0, len(bases) - 1))] = "N"
    index = draw(st.integers(0, len(bases) - 1))
    alt = draw(st.sampled_from([editor.edited_base, complement(editor.edited_base)]))
    bases[index] = TRANSITION[alt]
    strand = draw(st.sampled_from(["+", "-", None]))
    c = draw(st.integers(1, 900)) if strand else None
    return SequenceContext("t", 500, "".join(bases), 500 + index, TRANSITION[alt], alt, strand, c), editor


def _comparable(guide, ctx: SequenceContext | None = None) -> tuple:
    coords = (guide.start, guide.end, guide.pam_start, guide.pam_end)
    if ctx is not None:  # reflect coordinates into the other orientation
        coords = (
            reflect(ctx, guide.end),
            reflect(ctx, guide.start),
            reflect(ctx, guide.pam_end),
            reflect(ctx, guide.pam_start),
        )
    bystanders = tuple(
        sorted(
            (b.protospacer_position, b.c, b.consequence, b.protein_change, b.coding_strand_change)
            for b in guide.bystanders
        )
    )
    return (guide.protospacer, guide.pam, guide.target_position, guide.allele_specific, *coords, bystanders)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_reverse_complementing_the_window_mirrors_the_guides(case: tuple[SequenceContext, Editor]) -> None:
    ctx, editor = case
    mirror = mirrored(ctx)
    original = find_guides(ctx, editor)
    flipped = find_guides(mirror, editor)
    assert sorted(_comparable(g, ctx) for g in original if g.strand == "+") == sorted(
        _comparable(g) for g in flipped if g.strand == "-"
    )
    assert sorted(_comparable(g, ctx) for g in original if g.strand == "-") == sorted(
        _comparable(g) for g in flipped if g.strand == "+"
    )


@settings(max_examples=300, deadline=None)
@given(cases())
def test_reported_guides_are_in_the_mutant_sequence(case: tuple[SequenceContext, Editor]) -> None:
    ctx, editor = case
    mutant = ctx.mutant_sequence

    def read(start: int, end: int, strand: str) -> str:
        piece = mutant[start - ctx.start : end - ctx.start + 1]
        return piece if strand == "+" else reverse_complement(piece)

    for guide in find_guides(ctx, editor):
        assert guide.start <= guide.end and guide.end - guide.start + 1 == editor.spacer_length
        assert read(guide.start, guide.end, guide.strand) == guide.protospacer
        assert read(guide.pam_start, guide.pam_end, guide.strand) == guide.pam
        assert any(pam_matches(p, guide.pam) for p in editor.pams)
        assert guide.protospacer[guide.target_position - 1] == editor.edited_base
        target = (
            guide.start + guide.target_position - 1 if guide.strand == "+" else guide.end - guide.target_position + 1
        )
        assert target == ctx.variant_position
        assert editor.window_of(guide.target_position) is not None
        for b in guide.bystanders:
            assert guide.protospacer[b.protospacer_position - 1] == editor.edited_base
            assert b.protospacer_position != guide.target_position
            offset = b.protospacer_position - 1
            assert b.position == (guide.start + offset if guide.strand == "+" else guide.end - offset)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_guides_are_ranked_and_deterministic(case: tuple[SequenceContext, Editor]) -> None:
    ctx, editor = case
    first, second = find_guides(ctx, editor), find_guides(ctx, editor)
    assert first == second
    assert [g.rank for g in first] == list(range(1, len(first) + 1))
    keys = [(not g.in_core_window, g.has_unsafe_bystander) for g in first]
    assert keys == sorted(keys)


def test_allele_specific_only_when_the_variant_is_in_the_seed() -> None:
    # A wide-window editor reaching the seed (positions 11-20 next to the PAM). TGG at 30 puts the
    # target (index 20) at position 11, GGG at 31 at position 10.
    wide = make_editor("wide", extended_window=(3, 12))
    seq = "C" * 20 + "G" + "C" * 9 + "TGGG" + "C" * 10
    guides = find_guides(SequenceContext("t", START, seq, START + 20, "G", "A"), wide)
    # Allele specificity outranks closeness to the window centre (10 is closer to 6 than 11 is).
    assert [(g.target_position, g.allele_specific) for g in guides] == [(11, True), (10, False)]


def test_ranking_prefers_the_target_near_the_core_centre(abe8e: Editor) -> None:
    # TGG at 28 and 31 put the target (index 15) at positions 8 and 5; 5 is nearer the centre (6)
    # though its protospacer starts later.
    seq = "C" * 15 + "G" + "C" * 12 + "TGGTGG" + "C" * 10
    guides = find_guides(SequenceContext("t", START, seq, START + 15, "G", "A"), abe8e)
    assert [g.target_position for g in guides] == [5, 8]
    assert guides[0].start > guides[1].start
