"""Properties of reading windows from a reference FASTA (items 2 and 6): the bases are the contig's, on
any line width, soft-masked or with N runs, clipped at the contig's ends; and a window as wide as
`editors_reach` finds exactly the guides (and bystander judgements) a search of the whole contig finds,
for any editor, on both strands."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.editing import reference_fasta
from basket.editing.editors import Editor
from basket.editing.guides import Guide, editors_reach, find_guides
from basket.editing.reference_fasta import ReferenceGenome, forget_references
from basket.editing.sequence import complement, reverse_complement
from basket.editing.sequence_context import SequenceContext, context_from_fasta

TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}


@st.composite
def contigs(draw: st.DrawFn, min_size: int = 20, max_size: int = 300) -> str:
    """Random bases with soft-masked (lower case) stretches and N runs, as in real assemblies."""
    bases = list(draw(st.text(alphabet="ACGT", min_size=min_size, max_size=max_size)))
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, len(bases) - 1))
        length = draw(st.integers(1, 15))
        bases[start:start + length] = "N" * len(bases[start:start + length])
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, len(bases) - 1))
        end = draw(st.integers(start, len(bases)))
        bases[start:end] = [b.lower() for b in bases[start:end]]
    return "".join(bases)


def write_fasta(sequences: dict[str, str], width: int) -> Path:
    """A FASTA in a fresh temporary folder (kept for the process: pyfaidx keeps its index open)."""
    folder = Path(tempfile.mkdtemp(prefix="basket-window-properties-"))
    path = folder / "ref.fa"
    lines = []
    for name, sequence in sequences.items():
        lines.append(f">{name}")
        lines += [sequence[i:i + width] for i in range(0, len(sequence), width)] or [""]
    path.write_text("\n".join(lines) + "\n")
    return path


@settings(max_examples=60, deadline=None)
@given(st.lists(contigs(1, 200), min_size=1, max_size=3), st.integers(1, 80), st.integers(-5, 60), st.data())
def test_windows_read_together_are_the_windows_read_one_by_one(sequences, width, nearby, data):
    """fetch_many (genome order, nearby windows sliced out of one read) against fetching each window
    alone: in any order, overlapping, repeated, across contigs, at the contigs' ends, for any distance
    below which windows are read together."""
    named = {f"chr{i + 1}": seq for i, seq in enumerate(sequences)}
    genome = ReferenceGenome(write_fasta(named, width))
    spans = []
    for _ in range(data.draw(st.integers(0, 12))):
        name = data.draw(st.sampled_from(sorted(named)))
        first = data.draw(st.integers(1, len(named[name])))
        spans.append((name, first, data.draw(st.integers(first, len(named[name])))))
    with patch.object(reference_fasta, "NEARBY", nearby):
        together = genome.fetch_many(spans)
    assert together == [genome.fetch(*span) for span in spans]
    assert together == [named[name][first - 1:last].upper() for name, first, last in spans]


@settings(max_examples=60, deadline=None)
@given(st.lists(contigs(1, 200), min_size=1, max_size=3), st.integers(1, 80), st.data())
def test_fetched_bases_are_the_contigs_upper_cased_at_any_line_width(sequences, width, data):
    named = {f"chr{i + 1}": seq for i, seq in enumerate(sequences)}
    genome = ReferenceGenome(write_fasta(named, width))
    for name, sequence in named.items():
        first = data.draw(st.integers(1, len(sequence)))
        last = data.draw(st.integers(first, len(sequence)))
        assert genome.length(name) == len(sequence)
        assert genome.fetch(name, first, last) == sequence[first - 1:last].upper()
        assert genome.contig(name.removeprefix("chr")) == name  # "2" finds chr2


EDITORS = st.builds(
    lambda deaminase, pams, spacer, core, extra: Editor(
        name="random", deaminase=deaminase, cas_variant="test", pams=pams, spacer_length=spacer,
        core_window=(core[0], min(core[1], spacer)),
        extended_window=(max(1, core[0] - extra), min(spacer, core[1] + extra)),
        source="test"),
    st.sampled_from(["ABE", "CBE"]),
    st.lists(st.sampled_from(["NGG", "NG", "NGC", "NRN", "NNGRRT", "NRCH", "TTTV"]), min_size=1, max_size=2,
             unique=True),
    st.integers(16, 32),
    st.tuples(st.integers(1, 8), st.integers(8, 16)),
    st.integers(0, 3),
)


@st.composite
def loci(draw: st.DrawFn):
    """A contig, an editor, and a transition at any position (contig ends included) that the editor's
    deaminase reverts, with a transcript on either strand or none."""
    editor = draw(EDITORS)
    contig = draw(contigs(40, 220)).upper()
    index = draw(st.one_of(st.integers(0, 3), st.integers(0, len(contig) - 1),
                           st.integers(len(contig) - 4, len(contig) - 1)))
    alt = draw(st.sampled_from([editor.edited_base, complement(editor.edited_base)]))
    contig = contig[:index] + TRANSITION[alt] + contig[index + 1:]
    strand = draw(st.sampled_from(["+", "-", None]))
    c = draw(st.integers(1, 3000)) if strand else None
    return contig, index + 1, TRANSITION[alt], alt, strand, c, editor


def comparable(guides: list[Guide]) -> list[tuple]:
    return [(g.strand, g.start, g.end, g.pam_start, g.protospacer, g.pam, g.target_position, g.worst_consequence,
             tuple((b.position, b.c, b.consequence, b.protein_change) for b in g.bystanders),
             tuple((o.codon, o.positions, o.consequence) for o in g.codon_outcomes)) for g in guides]


@settings(max_examples=120, deadline=None)
@given(loci())
def test_a_window_of_the_editors_reach_finds_every_guide_the_whole_contig_holds(locus):
    contig, position, ref, alt, strand, c, editor = locus
    fasta = write_fasta({"chrT": contig}, 60)
    reach = editors_reach([editor])
    window = context_from_fasta(fasta, "chrT", position, ref, alt, flank=reach, gene_strand=strand, variant_c=c)
    whole = SequenceContext("chrT", 1, contig, position, ref, alt, strand, c)
    assert comparable(find_guides(window, editor)) == comparable(find_guides(whole, editor))
    forget_references()


@settings(max_examples=80, deadline=None)
@given(loci())
def test_the_minus_strand_copy_of_a_contig_gives_the_mirrored_guides(locus):
    """The same locus read from the reverse-complemented contig: every guide is found on the other
    strand, at the reflected coordinates, with the same protospacer and bystander judgements."""
    contig, position, ref, alt, strand, c, editor = locus
    mirrored = reverse_complement(contig)
    mirror_position = len(contig) + 1 - position
    other = {"+": "-", "-": "+", None: None}[strand]
    fasta = write_fasta({"plus": contig, "minus": mirrored}, 50)
    reach = editors_reach([editor])
    plus = context_from_fasta(fasta, "plus", position, ref, alt, flank=reach, gene_strand=strand, variant_c=c)
    minus = context_from_fasta(fasta, "minus", mirror_position, complement(ref), complement(alt), flank=reach,
                               gene_strand=other, variant_c=c)

    def reflected(g: Guide) -> tuple:
        flip = len(contig) + 1
        return ({"+": "-", "-": "+"}[g.strand], flip - g.end, flip - g.start, g.protospacer, g.pam,
                g.target_position, g.worst_consequence,
                tuple(sorted((flip - b.position, b.c, b.consequence) for b in g.bystanders)))

    def plain(g: Guide) -> tuple:
        return (g.strand, g.start, g.end, g.protospacer, g.pam, g.target_position, g.worst_consequence,
                tuple(sorted((b.position, b.c, b.consequence) for b in g.bystanders)))

    assert sorted(reflected(g) for g in find_guides(plus, editor)) == sorted(plain(g) for g in find_guides(minus, editor))
    forget_references()


def test_the_reach_covers_the_longest_spacer_and_pam_in_play():
    ngg = Editor(name="a", deaminase="ABE", cas_variant="x", pams=["NGG"], core_window=(4, 8),
                 extended_window=(3, 9), source="x")
    long = Editor(name="b", deaminase="ABE", cas_variant="x", pams=["NNGRRT"], spacer_length=24,
                  core_window=(4, 8), extended_window=(2, 10), source="x")
    late = Editor(name="c", deaminase="CBE", cas_variant="x", pams=["NG"], spacer_length=20,
                  core_window=(15, 20), source="x")
    assert editors_reach([ngg]) == 20 - 3 + 3  # PAM side: the target at position 3
    assert editors_reach([ngg, long]) == 24 - 2 + 6
    assert editors_reach([late]) == 20 - 1  # PAM-distal side: the target at position 20
