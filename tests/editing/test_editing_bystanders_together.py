"""Bystanders edited together: per guide, the worst protein consequence over every combination of the
editable bases in each affected codon, checked against a brute force over every subset of all
bystanders of the guide (across codons), and the KJ guide for Q335X still first and synonymous."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.editing.consequence import (
    SEVERITY,
    Consequence,
    base_change_consequence,
    codon_change_consequence,
)
from basket.editing.editors import Editor
from basket.editing.guides import Guide, find_guides
from basket.editing.sequence import complement
from basket.editing.sequence_context import SequenceContext
from tests.editing.conftest import make_editor

START = 1001
TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}


def stop_codon_case() -> SequenceContext:
    """Target at protospacer position 4; the stop codon TAA at positions 7-9, both adenines in the window."""
    protospacer = "CCC" + "G" + "CC" + "TAA" + "C" * 11  # the reference: target base G at position 4
    seq = "C" * 10 + protospacer + "TGG" + "C" * 10
    target = START + 13
    # The stop codon's T (position 7) is c.301, so the target (position 4) is c.298 (codon 100, CGC).
    return SequenceContext("t", START, seq, target, "G", "A", "+", 298)


def test_both_adenines_of_taa_edited_together_are_a_stop_loss(abe8e: Editor) -> None:
    ctx = stop_codon_case()
    guide = next(g for g in find_guides(ctx, abe8e) if g.strand == "+" and g.target_position == 4)
    alone = sorted((b.c, b.consequence, b.protein_change) for b in guide.bystanders)
    assert alone == [("c.302", "synonymous", "p.Ter101="), ("c.303", "synonymous", "p.Ter101=")]
    (outcome,) = guide.codon_outcomes
    assert (outcome.codon, outcome.ref_codon, outcome.alt_codon) == (101, "TAA", "TGG")
    assert (outcome.consequence, outcome.protein_change, outcome.combinations) == (
        "stop_loss", "p.Ter101TrpextTer?", 3)
    assert outcome.c == ("c.302", "c.303")
    assert (guide.worst_consequence, guide.worst_protein_change) == ("stop_loss", "p.Ter101TrpextTer?")
    assert guide.has_unsafe_bystander


def test_the_combined_worst_ranks_the_guide_down(abe8e: Editor) -> None:
    # Protospacer positions p1-p20 of guide A (PAM GGG at p21-23): the target G>A at p6, the stop codon
    # TAA at p7-9 (c.301-303, codon 101). Guide B's PAM is one base earlier (GGG at p20-22... p21-23 are
    # GGG, so NGG also matches at p20-22), which moves every position up by one: target at 7, and of the
    # two adenines only c.302 (position 9) stays in the window.
    protospacer = "CCCCC" + "G" + "TAA" + "C" * 11
    seq = "C" * 10 + protospacer + "GGG" + "C" * 10
    ctx = SequenceContext("t", START, seq, START + 15, "G", "A", "+", 300)
    guides = find_guides(ctx, abe8e)
    summary = [(g.target_position, g.worst_consequence, len(g.bystanders)) for g in guides]
    # A (target 6, the core centre) would win on distance, but its adenines together lose the stop.
    assert summary == [(7, "synonymous", 1), (6, "stop_loss", 2)]


# --- against a brute force ----------------------------------------------------------------------------


EDITORS = [
    make_editor("ABE-NGG"),
    make_editor("ABE-NG-wide", pams=["NG"], extended_window=(1, 12)),
    make_editor("CBE-NRN", deaminase="CBE", pams=["NRN"], extended_window=(1, 10)),
]


@st.composite
def cases(draw: st.DrawFn) -> tuple[SequenceContext, Editor]:
    """A window rich in the editor's editable base, with a transition its deaminase reverts, a
    transcript on either strand and, sometimes, coding bounds that end inside the window."""
    editor = draw(st.sampled_from(EDITORS))
    edited = editor.edited_base
    alphabet = st.sampled_from(edited * 3 + complement(edited) * 3 + "ACGT")
    bases = draw(st.lists(alphabet, min_size=30, max_size=60))
    index = draw(st.integers(10, len(bases) - 10))
    alt = draw(st.sampled_from([edited, complement(edited)]))
    bases[index] = TRANSITION[alt]
    strand = draw(st.sampled_from(["+", "-", None]))
    c = draw(st.integers(1, 900)) if strand else None
    bounds: dict[str, int] = {}
    if strand and draw(st.booleans()):
        low = draw(st.integers(0, index))
        high = draw(st.integers(index, len(bases) - 1))
        bounds = {"coding_start": 500 + low, "coding_end": 500 + high}
    return SequenceContext("t", 500, "".join(bases), 500 + index, TRANSITION[alt], alt, strand, c, **bounds), editor


def brute_force_worst(ctx: SequenceContext, guide: Guide) -> str | None:
    """Every subset of all the guide's bystanders edited at once, every changed codon translated whole."""
    if not guide.bystanders:
        return None
    worst: list[Consequence] = []
    for size in range(1, len(guide.bystanders) + 1):
        for subset in combinations(guide.bystanders, size):
            worst += _subset_consequences(ctx, {b.position: b.plus_strand_change[-1] for b in subset})
    return max(worst, key=lambda c: SEVERITY.index(c.kind)).kind


def _subset_consequences(ctx: SequenceContext, edits: dict[int, str]) -> list[Consequence]:
    mutated = list(ctx.sequence)
    for position, base in edits.items():
        mutated[position - ctx.start] = base
    found = []
    for position, base in edits.items():
        if not ctx.has_transcript or not ctx.is_coding(position):
            found.append(base_change_consequence(ctx, ctx.sequence, position, base))
            continue
        codon = (ctx.c_number(position) - 1) // 3
        positions = [ctx.position_of_c(3 * codon + k + 1) for k in range(3)]
        if not all(ctx.start <= p <= ctx.end and ctx.is_coding(p) for p in positions):
            found.append(Consequence("unknown"))
            continue
        ref = "".join(ctx.sequence[p - ctx.start] for p in positions)
        alt = "".join(mutated[p - ctx.start] for p in positions)
        if ctx.gene_strand == "-":
            ref, alt = complement(ref), complement(alt)
        found.append(codon_change_consequence(ref, alt, codon + 1))
    return found


@settings(max_examples=150, deadline=None)
@given(cases())
def test_the_worst_consequence_equals_a_brute_force_over_every_subset(case) -> None:
    ctx, editor = case
    for guide in find_guides(ctx, editor):
        assert guide.worst_consequence == brute_force_worst(ctx, guide)
        singles = {b.position: b.consequence for b in guide.bystanders}
        for outcome in guide.codon_outcomes:
            assert len(outcome.positions) >= 1 and outcome.combinations >= 3
            edits = {p: next(b.plus_strand_change[-1] for b in guide.bystanders if b.position == p)
                     for p in outcome.positions}
            assert {c.kind for c in _subset_consequences(ctx, edits)} == {outcome.consequence}
            # the kept combination is at least as severe as each of its bases alone
            assert all(SEVERITY.index(outcome.consequence) >= SEVERITY.index(singles[p]) for p in outcome.positions)
        # ranking uses the combined worst: a guide with an unsafe combination never precedes, in the same
        # window class, a safe one
        assert guide.has_unsafe_bystander == (guide.worst_consequence not in (None, "synonymous", "non-coding"))


def test_q335x_kj_guide_bystanders_are_synonymous_together_too(q335x_context, ngc_editor) -> None:
    """The published guide (NEJM 2025): TGATTCTAAGCAGTAATGAA, AGC PAM, - strand, target at position 8.
    Its two bystanders (c.1008 in codon 336, c.1002 in codon 334) lie in different codons, so no
    combination within a codon arises and the guide stays synonymous and first."""
    (guide,) = find_guides(q335x_context, ngc_editor)
    assert (guide.protospacer, guide.pam, guide.strand, guide.target_position) == (
        "TGATTCTAAGCAGTAATGAA", "AGC", "-", 8)
    assert guide.codon_outcomes == ()
    assert guide.worst_consequence == "synonymous" and not guide.has_unsafe_bystander
