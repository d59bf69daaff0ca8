"""The patient's genome (issue 14, item 2): sites their alleles create, change and destroy.

Property: on one phased haplotype, the sites of the haplotype's own sequence (brute force) are exactly
the patient-specific sites of that haplotype plus the reference sites neither replaced by one of them (same
PAM) nor marked destroyed on it: every site of the patient's sequence is reported once.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from basket.editing.editors import Editor
from basket.foundation.problems import InputError
from basket.offtargets.genome_search import search_genome
from basket.offtargets.query import make_query
from basket.offtargets.vcf_alleles import read_alleles
from tests.offtargets.brute_force import brute_force_sites
from tests.offtargets.test_exact import genomes

GUIDE = "TGATTCTAAGCAGTAATGAA"


def _editor(pams=("NGC",)) -> Editor:
    return Editor(name="test", deaminase="ABE", cas_variant="test", pams=list(pams), core_window=(4, 8),
                  extended_window=(3, 9), source="test")


def write_fasta(path: Path, contigs: dict[str, str]) -> Path:
    path.write_text("".join(f">{name}\n" + "".join(seq[i:i + 7] + "\n" for i in range(0, len(seq), 7))
                            for name, seq in contigs.items()))
    return path


def write_vcf(path: Path, rows: list[tuple], samples=("PT1",)) -> Path:
    lines = ["##fileformat=VCFv4.2", "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO",
                                                 "FORMAT", *samples])]
    for chrom, pos, vid, ref, alt, *gts in rows:
        lines.append("\t".join([chrom, str(pos), vid, ref, alt, ".", "PASS", ".", "GT", *gts]))
    path.write_text("\n".join(lines) + "\n")
    return path


@st.composite
def haplotypes(draw):
    """A genome and non-overlapping SNVs / insertions / deletions on haplotype 1 (VCF style, 1-based)."""
    guide, pams, sequence = draw(genomes())
    sequence = sequence.replace("N", "A") or "A"
    sequence = "C" + sequence  # VCF indels need an anchor base before them
    rows, cursor = [], 2
    while cursor < len(sequence) and len(rows) < 5:
        cursor += draw(st.integers(0, 8))
        if cursor >= len(sequence):
            break
        kind = draw(st.sampled_from(["snv", "snv", "insertion", "deletion"]))
        ref = sequence[cursor - 1]
        if kind == "snv":
            alt = draw(st.sampled_from([b for b in "ACGT" if b != ref]))
        elif kind == "insertion":
            alt = ref + draw(st.text("ACGT", min_size=1, max_size=3))
        else:
            ref = sequence[cursor - 1:cursor + draw(st.integers(1, 3))]
            alt = ref[0]
        rows.append((cursor, ref, alt))
        cursor += len(ref) + 1
    return guide, pams, sequence, rows


def _applied(sequence: str, rows: list[tuple]) -> str:
    out, cursor = [], 1
    for pos, ref, alt in rows:
        out.append(sequence[cursor - 1:pos - 1])
        out.append(alt)
        cursor = pos + len(ref)
    out.append(sequence[cursor - 1:])
    return "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(haplotypes(), st.integers(2, 4), st.integers(0, 1))
@example(("A" * 20, ["NRN"], "C" + "A" * 45, [(2, "A", "C"), (4, "A", "C"), (6, "A", "C"), (8, "A", "C"),
                                              (10, "A", "AA")]), 2, 0)  # PAMs on an inserted base and after it
def test_haplotype_sites_are_patient_sites_plus_untouched_reference_sites(tmp_path, genome, k, b):
    guide, pams, sequence, rows = genome
    fasta = write_fasta(tmp_path / "ref.fa", {"chrT": sequence})
    vcf = write_vcf(tmp_path / "p.vcf", [("chrT", pos, f"v{i}", ref, alt, "1|0") for i, (pos, ref, alt) in enumerate(rows)])
    query = make_query([guide], _editor(pams), k, b)
    found = search_genome(query, fasta, alleles=read_alleles(vcf)).sites
    patient = [s for s in found if s.origin == "patient" and "1" in s.haplotype.split(",")]
    replaced = {s.key for s in patient}  # a reference site an allele touched reappears as a patient site ...
    untouched = [s for s in found if s.origin == "reference" and s.key not in replaced  # ... or is destroyed
                 and not any(d.endswith("(haplotype 1)") for d in s.destroyed_by)]
    engine = Counter((s.strand, s.dna, s.pam, s.mismatches, s.bulges) for s in untouched + patient)
    haplotype = _applied(sequence, rows)
    expected = Counter((strand, _dna(haplotype, strand, first, pam, guide, mm, bulges, dna_bulges), pam, mm, bulges)
                       for strand, first, guide, pam, mm, bulges, dna_bulges
                       in brute_force_sites(haplotype, [guide], list(query.pams), k, b))
    assert engine == expected
    event(f"patient sites: {min(len(patient), 2)}{'+' if len(patient) >= 2 else ''}; "
          f"untouched reference sites: {min(len(untouched), 1)}{'+' if untouched else ''}")


def _dna(sequence: str, strand: str, first: int, pam: str, guide: str, mm: int, bulges: int, dna_bulges: int) -> str:
    from basket.editing.sequence import reverse_complement

    length = len(guide) + 2 * dna_bulges - bulges
    if strand == "+":
        return sequence[first - 1 - length:first - 1]
    return reverse_complement(sequence[first:first + length])


def test_created_changed_and_destroyed_sites_with_phase(tmp_path):
    left, right = "ACGTTGCAAC" * 3, "GGATCCTTAA" * 3
    reference = left + GUIDE + "AGC" + right + GUIDE[:5] + "G" + GUIDE[6:] + "AAT" + left
    fasta = write_fasta(tmp_path / "ref.fa", {"chr1": reference})
    on_target = len(left) + 1
    second = len(left) + 23 + len(right) + 1
    vcf = write_vcf(tmp_path / "p.vcf", [
        ("chr1", on_target + 21, "pam_loss", "G", "T", "1|0"),  # AGC -> ATC on haplotype 1
        ("chr1", on_target + 7, "in_seed", "A", "C", "0|1"),  # one mismatch on haplotype 2
        ("chr1", second + 21, "pam_gain", "A", "G", "1/1"),  # AAT -> AGT: an NGT PAM on both haplotypes
    ])
    query = make_query([GUIDE], _editor(["NGC", "NGT"]), 2, 0)
    found = search_genome(query, fasta, alleles=read_alleles(vcf)).sites
    reference_site = next(s for s in found if s.origin == "reference" and s.start == on_target)
    assert reference_site.destroyed_by == ("pam_loss (haplotype 1)",)
    changed = next(s for s in found if s.origin == "patient" and s.start == on_target)
    assert (changed.haplotype, changed.variants, changed.mismatches) == ("2", ("in_seed",), 1)
    created = [s for s in found if s.origin == "patient" and s.start == second]
    assert [(s.haplotype, s.variants, s.pam, s.mismatches) for s in created] == [("1,2", ("pam_gain",), "AGT", 1)]
    assert not any(s.origin == "reference" and s.start == second for s in found)


def test_a_vcf_of_another_build_is_bad_input(tmp_path):
    fasta = write_fasta(tmp_path / "ref.fa", {"chr1": "ACGT" * 20})
    vcf = write_vcf(tmp_path / "p.vcf", [("chr1", 3, "x", "T", "A", "0|1")])
    query = make_query([GUIDE], _editor(), 2, 0)
    with pytest.raises(InputError) as error:
        search_genome(query, fasta, alleles=read_alleles(vcf))
    assert f"{vcf}:3: REF: T at chr1:3 but the reference has G" in str(error.value)
    other = write_vcf(tmp_path / "q.vcf", [("chr9", 3, "x", "G", "A", "0|1")])
    with pytest.raises(InputError, match=r"q.vcf:3: CHROM: contig\(s\) chr9"):
        search_genome(query, fasta, alleles=read_alleles(other))


@pytest.mark.parametrize(("line", "message"), [
    ("chr1\tx\t.\tA\tG\t.\t.\t.\tGT\t0|1", "p.vcf:3: POS: 'x' is not a position"),
    ("chr1\t5\t.\tA\tQ\t.\t.\t.\tGT\t0|1", "p.vcf:3: ALT: 'Q' is not a sequence"),
    ("chr1\t5\t.\tA\tG\t.\t.\t.\tGT\t0-1", "p.vcf:3: GT: '0-1' is not a genotype"),
    ("chr1\t5\t.\tA\tG", "p.vcf:3: 5 tab-separated fields"),
])
def test_vcf_problems_name_file_line_and_field(tmp_path, line, message):
    path = tmp_path / "p.vcf"
    path.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPT1\n" + line + "\n")
    with pytest.raises(InputError) as error:
        read_alleles(path)
    assert message in str(error.value)


def test_genotypes_phase_and_skipped_alleles(tmp_path):
    vcf = write_vcf(tmp_path / "p.vcf", [
        ("chr1", 10, "a", "A", "G", "0|1"), ("chr1", 20, "b", "C", "T,G", "1|2"), ("chr1", 30, "c", "G", "A", "1/1"),
        ("chr1", 40, "d", "T", "C", "0/1"), ("chr1", 50, "e", "T", "<DEL>", "1|1"), ("chr1", 60, "f", "T", "C", "0|0"),
    ])
    alleles = read_alleles(vcf).contigs["chr1"]
    assert [a.id for a in alleles.phased["1"]] == ["b:T", "c"]
    assert [a.id for a in alleles.phased["2"]] == ["a", "b:G", "c"]
    assert [a.id for a in alleles.alone] == ["d"]
    assert read_alleles(vcf).skipped == {"symbolic or missing": 1}


def test_an_allele_overlapping_another_on_its_haplotype_is_left_out_and_counted(tmp_path):
    reference = "ACGTACGTAC" * 6 + GUIDE + "AGC" + "ACGTACGTAC" * 6
    fasta = write_fasta(tmp_path / "ref.fa", {"chr1": reference})
    deleted = reference[19:24]  # positions 20-24; the SNV at 22 falls inside the deletion
    vcf = write_vcf(tmp_path / "p.vcf", [("chr1", 20, "del", deleted, deleted[0], "1|0"),
                                         ("chr1", 22, "snv", reference[21], "T" if reference[21] != "T" else "A", "1|0")])
    alleles = read_alleles(vcf)
    search_genome(make_query([GUIDE], _editor(), 2, 0), fasta, alleles=alleles)
    assert alleles.describe()["skipped"] == {"overlapping another allele on the same haplotype": 1}
