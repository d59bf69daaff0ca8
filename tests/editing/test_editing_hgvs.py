from __future__ import annotations

import pytest

from basket.editing.hgvs import (
    HgvsError,
    HgvsPosition,
    change_class,
    correcting_deaminase,
    parse_hgvs,
    parsed_from_alleles,
)
from basket.editing.sequence import complement


@pytest.mark.parametrize(
    ("text", "accession", "coordinate", "kind", "start", "end", "ref", "alt"),
    [
        ("NM_001875.5:c.1003C>T", "NM_001875.5", "c", "substitution", "1003", "1003", "C", "T"),
        ("NM_000531.6:c.119G>A", "NM_000531.6", "c", "substitution", "119", "119", "G", "A"),
        ("c.2140G>T", None, "c", "substitution", "2140", "2140", "G", "T"),
        ("c.-5A>G", None, "c", "substitution", "-5", "-5", "A", "G"),
        ("c.1000+1G>A", None, "c", "substitution", "1000+1", "1000+1", "G", "A"),
        ("c.*5A>G", None, "c", "substitution", "*5", "*5", "A", "G"),
        ("c.100del", None, "c", "deletion", "100", "100", None, None),
        ("c.100_101insA", None, "c", "insertion", "100", "101", None, "A"),
        ("c.100_102delinsT", None, "c", "delins", "100", "102", None, "T"),
        ("c.100dup", None, "c", "duplication", "100", "100", None, None),
        ("NC_000002.12:g.210591886C>T", "NC_000002.12", "g", "substitution", "210591886", "210591886", "C", "T"),
        ("NP_001866.2:p.Gln335Ter", "NP_001866.2", "p", "substitution", "335", "335", "Gln", "Ter"),
        ("p.Gln335*", None, "p", "substitution", "335", "335", "Gln", "Ter"),
    ],
)
def test_parse_examples(text, accession, coordinate, kind, start, end, ref, alt) -> None:
    parsed = parse_hgvs(text)
    assert (parsed.accession, parsed.coordinate, parsed.kind) == (accession, coordinate, kind)
    assert (str(parsed.start), str(parsed.end), parsed.ref, parsed.alt) == (start, end, ref, alt)


def test_intronic_and_utr_positions_are_explicit() -> None:
    assert parse_hgvs("c.1000+1G>A").start == HgvsPosition(1000, 1, "cds_start")
    assert parse_hgvs("c.-5-3A>G").start == HgvsPosition(-5, -3, "cds_start")
    assert parse_hgvs("c.*5A>G").start == HgvsPosition(5, 0, "cds_end")
    assert parse_hgvs("g.5C>T").start == HgvsPosition(5, 0, "seq_start")


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("NM_001875.5:c.1003X>T", "column 19 (at 'X')"),
        ("c.2140X>T", "column 7 (at 'X')"),
        ("c.", "column 3 (at the end)"),
        ("hello", "column 1 (at 'h')"),
        ("NM_1:c.", "column 8 (at the end)"),
    ],
)
def test_malformed_hgvs_quotes_string_and_column(text: str, column: str) -> None:
    with pytest.raises(HgvsError) as info:
        parse_hgvs(text)
    assert repr(text) in str(info.value)
    assert column in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c.1003C>T", "transition"),
        ("c.119G>A", "transition"),
        ("c.5A>G", "transition"),
        ("c.5T>C", "transition"),
        ("c.2140G>T", "transversion"),
        ("c.5A>C", "transversion"),
        ("c.5C>G", "transversion"),
        ("c.100del", "indel"),
        ("c.100dup", "indel"),
        ("c.100_101insA", "indel"),
        ("c.100_102delinsT", "indel"),
        ("c.100_101inv", "other"),
        ("p.Gln335Ter", "other"),
    ],
)
def test_change_class(text: str, expected: str) -> None:
    assert change_class(parse_hgvs(text)) == expected


@pytest.mark.parametrize(
    ("ref", "alt", "deaminase"),
    [("C", "T", "ABE"), ("G", "A", "ABE"), ("T", "C", "CBE"), ("A", "G", "CBE")],
)
@pytest.mark.parametrize("gene_strand", ["+", "-"])
def test_correcting_deaminase_for_transitions_is_strand_independent(ref, alt, deaminase, gene_strand) -> None:
    on_transcript = correcting_deaminase(parse_hgvs(f"c.10{ref}>{alt}"), gene_strand)
    assert on_transcript.deaminase == deaminase
    # The same variant written on the other strand (complemented alleles) needs the same editor.
    other_strand = correcting_deaminase(parse_hgvs(f"g.10{complement(ref)}>{complement(alt)}"))
    assert other_strand.deaminase == deaminase
    assert f"({deaminase}," in on_transcript.reason


def test_minus_strand_reason_quotes_genomic_alleles() -> None:
    reason = correcting_deaminase(parse_hgvs("NM_000531.6:c.119G>A"), "-").reason
    assert "it reads C>T" in reason
    assert "adenine base editor" in reason


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("NM_001875.5:c.2140G>T", "transversion, which no base editor corrects"),
        ("c.100del", "a deletion, which no base editor corrects"),
        ("c.100_101insA", "an insertion"),
        ("p.Gln335Ter", "describes a protein change"),
    ],
)
def test_uncorrectable_variants_say_why(text: str, phrase: str) -> None:
    result = correcting_deaminase(parse_hgvs(text), "+")
    assert result.deaminase is None
    assert phrase in result.reason
    assert result.reason.endswith(".")


def test_gene_strand_is_checked() -> None:
    with pytest.raises(ValueError, match="gene_strand"):
        correcting_deaminase(parse_hgvs("c.1C>T"), "plus")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ref", "alt", "kind"),
    [
        ("C", "T", "substitution"),
        ("A", "AT", "insertion"),
        ("AT", "A", "deletion"),
        ("AT", "GC", "delins"),
        ("A", "<DEL>", "other"),
    ],
)
def test_parsed_from_vcf_alleles(ref: str, alt: str, kind: str) -> None:
    parsed = parsed_from_alleles(100, ref, alt, "chr1")
    assert parsed.kind == kind
    assert parsed.coordinate == "g"
    assert parsed.start.base == 100
