"""`basket screen` on a small FASTA built from the real CPS1 window (UCSC GRCh38/hg38 chr2:210591821-210591930)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main

# hg38 chr2:210591821-210591930, + strand (UCSC Genome Browser)
CPS1_WINDOW = ("TTCTCTCCAGAGGGCAGAATCAGCCTGTTTTGAATATCACAAACAAACAGGCTTTCATTACTGCTCAGAATCATGGCTATGCCTTGGACAACACC"
               "CTCCCTGCTGGCTGG")
OFFSET = 210591821 - 1


@pytest.fixture
def fasta(tmp_path: Path) -> Path:
    path = tmp_path / "ref.fa"
    path.write_text(f">chr2\n{CPS1_WINDOW}\n")
    return path


def test_screen_classifies_and_writes_a_table(fasta: Path, tmp_path: Path, minimal: Path):
    variants = tmp_path / "variants.tsv"
    variants.write_text("id\tchrom\tpos\tref\talt\tstrand\tc_pos\n"
                        f"Q335X\tchr2\t{210591886 - OFFSET}\tC\tT\t+\t1003\n"
                        f"transversion\tchr2\t{210591886 - OFFSET}\tC\tA\t+\t1003\n")
    out = tmp_path / "screen.tsv"
    result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(fasta), "--program", str(minimal),
                                       "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(), delimiter="\t"))
    assert [r["status"] for r in rows] == ["platform", "other_modality"]
    assert rows[0]["target_position"] == "8" and rows[0]["pam"] == "AGC"
    assert "wrote 2 rows" in result.stdout


def test_screen_bad_rows_exit_2_and_write_nothing(fasta: Path, tmp_path: Path):
    variants = tmp_path / "variants.csv"
    out = tmp_path / "screen.csv"
    for rows, expected in (("chr2,66,C,A\nchr9,1,A,G\nchr2,x,A,G\n", (":3: chrom:", ":4: pos:")),
                           ("chr2,66,G,A\n", (":2: ref: G does not match the FASTA",))):
        variants.write_text("chrom,pos,ref,alt\n" + rows)
        result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(fasta), "-o", str(out)])
        assert result.exit_code == 2
        for fragment in expected:
            assert f"{variants}{fragment}" in result.stderr
        assert not out.exists()


def test_screen_unknown_editor(fasta: Path, tmp_path: Path):
    variants = tmp_path / "v.tsv"
    variants.write_text("chrom\tpos\tref\talt\nchr2\t66\tC\tT\n")
    result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(fasta), "--editor", "nope",
                                       "-o", str(tmp_path / "o.tsv")])
    assert result.exit_code == 2 and "unknown editor nope" in result.stderr


def test_program_variant_without_window_uses_the_fasta(minimal: Path, fasta: Path):
    """A variant with only HGVS g. gets its context from --fasta by genomic coordinate."""
    import json

    path = minimal / "variants.yaml"
    text = path.read_text()
    text = text[: text.index("    window:")] + text[text.index("    submit:"):]
    path.write_text(text.replace("NC_000002.12:g.210591886C>T", f"NC_000002.12:g.{210591886 - OFFSET}C>T"))
    without = CliRunner().invoke(main, ["plan", str(minimal), "--format", "json"])
    assert json.loads(without.stdout)[0]["classification"] == "no_sequence"
    result = CliRunner().invoke(main, ["plan", str(minimal), "--format", "json", "--fasta", str(fasta)])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)[0]
    assert row["in_umbrella"] and row["guide"]["target_position"] == 8


def test_a_bgzip_compressed_fasta_reads_like_the_plain_one(minimal: Path, fasta: Path, tmp_path: Path):
    """Reference genomes are often shipped bgzip-compressed (hg38.fa.gz); pyfaidx reads them with BioPython."""
    from Bio import bgzf

    compressed = tmp_path / "ref.fa.gz"
    with bgzf.open(str(compressed), "wb") as handle:
        handle.write(fasta.read_bytes())
    variants = tmp_path / "variants.tsv"
    variants.write_text(f"chrom\tpos\tref\talt\tstrand\tc_pos\nchr2\t{210591886 - OFFSET}\tC\tT\t+\t1003\n")
    tables = []
    for reference in (fasta, compressed):
        out = tmp_path / f"{reference.name}.tsv"
        result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(reference), "--program",
                                           str(minimal), "-o", str(out), "--no-progress"])
        assert result.exit_code == 0, result.output
        tables.append(out.read_text())
    assert tables[0] == tables[1] and "\tplatform\t" in tables[0]


def test_fasta_reference_mismatch_is_exit_2_with_location(minimal: Path, fasta: Path):
    path = minimal / "variants.yaml"
    text = path.read_text()
    text = text[: text.index("    window:")] + text[text.index("    submit:"):]
    path.write_text(text.replace("NC_000002.12:g.210591886C>T", f"NC_000002.12:g.{210591886 - OFFSET + 1}C>T"))
    result = CliRunner().invoke(main, ["plan", str(minimal), "--fasta", str(fasta)])
    assert result.exit_code == 2
    assert f"{minimal.as_posix()}/variants.yaml:5: variants[0].hgvs_g:" in result.stderr


@pytest.mark.parametrize("name, data, expected", [
    ("latin1.csv", b"chrom,pos,ref,alt\nchr2,66,C,T\nchr2,67,C,T # caf\xe9\n", ":3: not valid UTF-8 (byte 0xe9)"),
    ("truncated.vcf.gz", gzip.compress(b"##fileformat=VCFv4.2\n" * 50, mtime=0)[:30], ": cannot read: Compressed file ended"),
    ("plain.vcf.gz", b"##fileformat=VCFv4.2\n", ": cannot read: Not a gzipped file"),
])
def test_screen_unreadable_variant_files_exit_2(fasta: Path, tmp_path: Path, name: str, data: bytes, expected: str):
    variants = tmp_path / name
    variants.write_bytes(data)
    out = tmp_path / "screen.csv"
    result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(fasta), "-o", str(out), "--no-progress"])
    assert result.exit_code == 2 and f"{variants}{expected}" in result.stderr, result.output
    assert not out.exists()


def test_screen_accepts_a_spreadsheet_byte_order_mark(fasta: Path, tmp_path: Path):
    variants = tmp_path / "excel.csv"
    variants.write_bytes("chrom,pos,ref,alt\nchr2,66,C,T\n".encode("utf-8-sig"))
    out = tmp_path / "screen.csv"
    result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(fasta), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
