"""The engine's site set equals a brute-force enumeration from the definitions (issue 14, item 5).

Synthetic genomes are made of copies of the guide with planted mismatches, insertions (DNA bulges)
and deletions (RNA bulges) at any position, next to PAMs or near-PAMs, on either strand, between
random bases and runs of N, often at a contig edge.
"""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from basket.editing.editors import Editor
from basket.editing.sequence import IUPAC_CODES, reverse_complement
from basket.offtargets.genome_search import sites_in_codes
from basket.offtargets.query import make_query
from basket.offtargets.sequence_codes import encode
from tests.offtargets.brute_force import brute_force_sites

BASES = "ACGT"
PAM_SETS = (["NGG"], ["NG"], ["NGC"], ["NRN"], ["NGG", "NAG"], ["NRCH"], ["NNGRRT"])


def _editor(pams: list[str], spacer: int) -> Editor:
    return Editor(name="test", deaminase="ABE", cas_variant="test", pams=pams, core_window=(4, 8),
                  extended_window=(3, 9), spacer_length=spacer, source="test")


def _pam_like(pams: list[str]):
    """A sequence satisfying one of the patterns (each IUPAC symbol drawn from its bases)."""
    return st.sampled_from(pams).flatmap(
        lambda pam: st.tuples(*[st.sampled_from(IUPAC_CODES[symbol]) for symbol in pam]).map("".join))


@st.composite
def genomes(draw, spacer: int = 20):
    guide = draw(st.text(BASES, min_size=spacer, max_size=spacer))
    pams = draw(st.sampled_from(PAM_SETS))
    pieces = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["site", "site", "site", "random", "n_run"]))
        if kind == "random":
            pieces.append(draw(st.text(BASES, max_size=25)))
        elif kind == "n_run":
            pieces.append("N" * draw(st.integers(1, 6)))
        else:
            site = list(guide)
            for _ in range(draw(st.integers(0, 5))):
                edit = draw(st.sampled_from(["substitute", "substitute", "insert", "delete", "unknown"]))
                at = draw(st.integers(0, len(site) - 1))
                if edit == "substitute":
                    site[at] = draw(st.sampled_from(BASES))
                elif edit == "insert":
                    site.insert(at, draw(st.sampled_from(BASES)))
                elif edit == "delete" and len(site) > 2:
                    del site[at]
                elif edit == "unknown":
                    site[at] = "N"
            pam = draw(st.one_of(_pam_like(pams), st.text(BASES + "N", min_size=2, max_size=6)))
            text = "".join(site) + pam
            pieces.append(reverse_complement(text) if draw(st.booleans()) else text)
    return guide, pams, "".join(pieces)


def _engine(sequence: str, guides: list[str], pams: list[str], k: int, b: int) -> set:
    query = make_query(guides, _editor(pams, len(guides[0])), k, b)
    sites = sites_in_codes(query, "chrT", encode(sequence.encode()), len(sequence))
    return {(s.strand, s.key[2], s.guide, s.pam, s.mismatches, s.bulges, s.alignment.dna_bulges) for s in sites}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genomes(), st.integers(0, 4), st.integers(0, 1))
def test_site_sets_equal_brute_force(genome, k, b):
    guide, pams, sequence = genome
    found = _engine(sequence, [guide], pams, k, b)
    assert found == brute_force_sites(sequence, [guide], pams, k, b)
    event(f"sites found: {min(len(found), 3)}{'+' if len(found) >= 3 else ''}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genomes(spacer=12), st.integers(0, 3))
def test_two_bulges_equal_brute_force(genome, k):
    guide, pams, sequence = genome
    assert _engine(sequence, [guide], pams, k, 2) == brute_force_sites(sequence, [guide], pams, k, 2)


@settings(max_examples=30, deadline=None)
@given(genomes(), genomes(), st.integers(0, 4), st.integers(0, 1))
def test_several_guides_are_searched_independently(first, second, k, b):
    guides = [first[0], second[0]]
    sequence = first[2] + second[2]
    pams = first[1]
    assert _engine(sequence, guides, pams, k, b) == brute_force_sites(sequence, guides, pams, k, b)


def test_a_bulge_is_found_at_every_position():
    """A DNA bulge after each guide position and an RNA bulge at each interior position, both strands."""
    guide = "TGATTCTAAGCAGTAATGAA"
    for at in range(1, len(guide)):
        for site in (guide[:at] + "C" + guide[at:], guide[:at] + guide[at + 1:] if 0 < at < len(guide) - 1 else None):
            if site is None:
                continue
            for sequence in ("TT" + site + "AGC" + "TT", "TT" + reverse_complement(site + "AGC") + "TT"):
                assert _engine(sequence, [guide], ["NGC"], 0, 1) == brute_force_sites(sequence, [guide], ["NGC"], 0, 1)
                assert _engine(sequence, [guide], ["NGC"], 0, 1), (at, sequence)


def test_an_n_never_matches_in_protospacer_or_pam():
    guide = "TGATTCTAAGCAGTAATGAA"
    with_n = guide[:5] + "N" + guide[6:]
    assert {row[4] for row in _engine(with_n + "AGC", [guide], ["NGC"], 1, 0)} == {1}
    assert _engine(with_n + "AGC", [guide], ["NGC"], 0, 0) == set()
    assert _engine(guide + "NGC", [guide], ["NGC"], 4, 0) == set()  # the PAM's N position needs a base


def test_sites_at_both_contig_edges():
    guide = "TGATTCTAAGCAGTAATGAA"
    at_start = guide + "AGC"
    assert _engine(at_start, [guide], ["NGC"], 0, 0) == {("+", 21, guide, "AGC", 0, 0, 0)}
    at_end = reverse_complement(guide + "TGC")  # minus-strand site whose PAM is the first three bases
    assert _engine(at_end, [guide], ["NGC"], 0, 0) == {("-", 3, guide, "TGC", 0, 0, 0)}
    assert _engine(at_start[1:], [guide], ["NGC"], 4, 0) == set()  # one base short of a protospacer
