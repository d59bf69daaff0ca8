from __future__ import annotations

import csv
from pathlib import Path

import pyfaidx
import pytest

from basket.editing.editors import Editor
from basket.editing.screen import TABLE_COLUMNS, ScreenInputError, screen, write_table
from tests.editing.conftest import CPS1_WINDOW

# Contig "cps1" is the CPS1 window (base 66 = c.1003 C); "other" is a second contig.
OTHER = "ACGT" * 30


@pytest.fixture()
def fasta(tmp_path: Path) -> Path:
    path = tmp_path / "ref.fa"
    path.write_text(f">cps1\n{CPS1_WINDOW}\n>other\n{OTHER}\n")
    pyfaidx.Faidx(str(path))
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_screen_tsv_classifies_in_input_order(tmp_path, fasta, ngc_editor, catalogue) -> None:
    variants = write(
        tmp_path / "v.tsv",
        "id\tchrom\tpos\tref\talt\tstrand\tc_pos\n"
        "q335x\tcps1\t66\tC\tT\t+\t1003\n"
        "genomic\tcps1\t66\tC\tT\t\t\n"
        "transversion\tcps1\t66\tC\tA\t\t\n"
        "deletion\tother\t5\tAC\tA\t\t\n",
    )
    progress: list[tuple[int, int]] = []
    rows = list(
        screen(variants, fasta, [ngc_editor, *catalogue.values()], progress=lambda d, t: progress.append((d, t)))
    )
    assert [r.id for r in rows] == ["q335x", "genomic", "transversion", "deletion"]
    assert [r.status for r in rows] == ["platform", "platform", "other_modality", "other_modality"]
    q335x, genomic = rows[0], rows[1]
    assert (q335x.protospacer, q335x.pam, q335x.strand, q335x.target_position) == (
        "TGATTCTAAGCAGTAATGAA",
        "AGC",
        "-",
        8,
    )
    assert q335x.bystanders == "c.1008:synonymous;c.1002:synonymous"
    assert genomic.bystanders == "71:unknown (no transcript);65:unknown (no transcript)"
    assert "transversion" in rows[2].reason and "deletion" in rows[3].reason
    assert progress[-1] == (4, 4)


def test_screen_vcf_and_csv(tmp_path, fasta, ngc_editor) -> None:
    vcf = write(
        tmp_path / "v.vcf",
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\ncps1\t66\t.\tC\tT,A\t.\t.\t.\n",
    )
    rows = list(screen(vcf, fasta, ngc_editor))
    assert [(r.id, r.status, r.line) for r in rows] == [
        ("cps1:66C>T", "platform", 3),
        ("cps1:66C>A", "other_modality", 3),
    ]
    table = write(tmp_path / "v.csv", "chrom,pos,ref,alt\ncps1,66,C,T\n")
    assert [r.status for r in screen(table, fasta, ngc_editor)] == ["platform"]


def test_screen_reports_every_problem_with_file_line_column(tmp_path, fasta, ngc_editor: Editor) -> None:
    variants = write(
        tmp_path / "bad.tsv",
        "chrom\tpos\tref\talt\tstrand\tc_pos\n"
        "cps1\tten\tC\tT\t\t\n"
        "chrZ\t5\tC\tT\t\t\n"
        "cps1\t66\tC\tX\tup\t\n"
        "cps1\t66\tC\tT\t\t1003\n"
        "cps1\t500\tC\tT\t\t\n"
        "cps1\t5\n",
    )
    with pytest.raises(ScreenInputError) as info:
        list(screen(variants, fasta, ngc_editor))
    problems = info.value.problems
    assert f"{variants}:2: pos: 'ten' is not a whole number" in problems
    assert f"{variants}:3: chrom: contig 'chrZ' is not in the FASTA" in problems
    assert any(p.startswith(f"{variants}:4: alt:") for p in problems)
    assert f"{variants}:4: strand: 'up' must be '+' or '-'" in problems
    assert f"{variants}:5: c_pos: a c. position needs the gene strand in the 'strand' column" in problems
    assert f"{variants}:6: pos: 500 is past the end of cps1 (110 bp)" in problems
    assert f"{variants}:7: row: has 2 fields, the header has 6" in problems
    assert len(problems) == 7


def test_screen_reports_reference_mismatches_before_any_row(tmp_path, fasta, ngc_editor) -> None:
    variants = write(tmp_path / "v.tsv", "chrom\tpos\tref\talt\ncps1\t66\tC\tT\ncps1\t66\tG\tA\n")
    with pytest.raises(ScreenInputError, match=r"v.tsv:3: ref: G does not match the FASTA, which has C at cps1:66"):
        next(screen(variants, fasta, ngc_editor))


def test_missing_header_columns(tmp_path, fasta, ngc_editor) -> None:
    variants = write(tmp_path / "v.tsv", "chrom\tposition\tref\talt\n")
    with pytest.raises(ScreenInputError, match=r"v.tsv:1: header: missing column\(s\) pos"):
        list(screen(variants, fasta, ngc_editor))


def test_write_table_is_atomic_and_round_trips(tmp_path, fasta, ngc_editor) -> None:
    variants = write(tmp_path / "v.tsv", "chrom\tpos\tref\talt\ncps1\t66\tC\tT\nother\t2\tC\tA\n")
    rows = list(screen(variants, fasta, ngc_editor))
    out = tmp_path / "out.csv"
    write_table(rows, out)
    with out.open(newline="") as handle:
        read = list(csv.DictReader(handle))
    assert list(read[0]) == TABLE_COLUMNS
    assert [r["status"] for r in read] == ["platform", "other_modality"]
    assert read[1]["protospacer"] == ""
    write_table(rows, tmp_path / "out.tsv")
    assert (tmp_path / "out.tsv").read_text().splitlines()[0].split("\t") == TABLE_COLUMNS
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    def failing_rows():
        yield rows[0]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_table(failing_rows(), out)
    assert [r["status"] for r in csv.DictReader(out.open(newline=""))] == ["platform", "other_modality"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
