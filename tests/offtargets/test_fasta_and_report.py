"""Streaming the reference (item 6), the output file with the reference's identity (item 4), annotation."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from basket.editing.editors import load_catalogue
from basket.foundation.problems import InputError
from basket.offtargets.annotation import read_annotation
from basket.offtargets.fasta_stream import FastaStream
from basket.offtargets.nomination import nominate
from basket.offtargets.query import make_query
from basket.offtargets.report import read_report, render
from tests.offtargets.test_personal_genome import GUIDE, write_fasta


def test_contigs_stream_one_at_a_time_with_the_file_hash(tmp_path):
    text = ">chr1 first\nACGTN\nacgt\n>chr2\n\nGG\r\n>chrM\n"
    path = tmp_path / "ref.fa"
    path.write_text(text)
    stream = FastaStream(path, build="test")
    assert [(name, bytes(seq)) for name, seq in stream] == [("chr1", b"ACGTNacgt"), ("chr2", b"GG"), ("chrM", b"")]
    assert stream.identity.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert (stream.identity.contigs, stream.identity.bases, stream.identity.build) == (3, 11, "test")
    zipped = tmp_path / "ref.fa.gz"
    zipped.write_bytes(gzip.compress(text.encode()))
    assert [name for name, _ in FastaStream(zipped)] == ["chr1", "chr2", "chrM"]


@pytest.mark.parametrize(("text", "message"), [
    ("ACGT\n>chr1\nACGT\n", "ref.fa:1: sequence before the first '>name' line"),
    (">chr1\nACGT\nAC GT\n", "ref.fa:3: b' ' is not a base (contig chr1)"),
    (">chr1\nAC\n>\nGG\n", "ref.fa:3: a '>' line without a contig name"),
    (">chr1\nAC\n>chr1\nGG\n", "ref.fa:3: contig 'chr1' appears twice"),
    ("", "ref.fa: no sequence"),
])
def test_a_file_that_is_not_fasta_is_bad_input_with_its_line(tmp_path, text, message):
    path = tmp_path / "ref.fa"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        list(FastaStream(path))
    assert message in str(error.value)


def test_a_contig_split_across_read_chunks_is_whole(tmp_path, monkeypatch):
    from basket.offtargets import fasta_stream

    monkeypatch.setattr(fasta_stream, "CHUNK_BYTES", 5)
    path = write_fasta(tmp_path / "ref.fa", {"a": "ACGTACGTACGTAC", "b": "TTTTGGGGCCCCAAAA"})
    assert [(n, bytes(s)) for n, s in FastaStream(path)] == [("a", b"ACGTACGTACGTAC"), ("b", b"TTTTGGGGCCCCAAAA")]


def _report(tmp_path: Path, annotation: Path | None = None):
    editor = load_catalogue()["NG-ABE8e"]
    fasta = write_fasta(tmp_path / "ref.fa", {"chr1": "CCCCC" + GUIDE + "TGA" + "TTTTT" + GUIDE[:3] + "C" + GUIDE[4:] + "AGT"})
    return nominate(make_query([GUIDE], editor, 2, 1), fasta, "GRCh38", annotation=annotation,
                    subject={"program": "P", "variant": "V"})


def test_report_header_names_the_reference_and_reads_back(tmp_path):
    report = _report(tmp_path)
    assert report.header["reference"]["file_name"] == "ref.fa"
    assert report.header["reference"]["build"] == "GRCh38"
    assert len(report.header["reference"]["sha256"]) == 64
    assert [(r["rank"], r["start"], r["mismatches"], r["pam"]) for r in report.rows][:2] == [(1, 6, 0, "TG"), (2, 34, 1, "AG")]
    for suffix in (".tsv", ".json"):
        path = tmp_path / f"out{suffix}"
        path.write_text(render(report, path))
        again = read_report(path)
        assert again.rows == report.rows
        assert again.header["summary"] == report.header["summary"]
        assert render(again, path) == path.read_text()  # same search, same bytes


def test_sites_are_labelled_by_gene_and_region(tmp_path):
    gtf = tmp_path / "genes.gtf"
    gtf.write_text('chr1\tt\tgene\t1\t30\t.\t+\t.\tgene_id "G1"; gene_name "GENEA";\n'
                   'chr1\tt\texon\t25\t30\t.\t+\t.\tgene_id "G1"; gene_name "GENEA";\n')
    labels = {r["start"]: (r["gene"], r["region"]) for r in _report(tmp_path, gtf).rows}
    assert labels[6] == ("GENEA", "exon") and labels[34] == ("", "intergenic")
    bed = tmp_path / "genes.bed"
    bed.write_text("chr1\t30\t60\tGENEB\n")
    assert read_annotation(bed).label("chr1", 34, 56) == {"gene": "GENEB", "region": "genic"}
    bed12 = tmp_path / "genes12.bed"
    bed12.write_text("chr1\t0\t60\tGENEC\t0\t+\t0\t60\t0\t2\t5,5,\t0,55,\n")
    assert read_annotation(bed12).label("chr1", 20, 40) == {"gene": "GENEC", "region": "intron"}
    broken = tmp_path / "broken.gtf"
    broken.write_text("chr1\tt\tgene\tx\t30\n")
    with pytest.raises(InputError, match="broken.gtf:1: 5 tab-separated fields"):
        read_annotation(broken)


def test_the_guides_own_site_is_marked_on_target(tmp_path):
    from basket.offtargets.nomination import OnTarget

    editor = load_catalogue()["NG-ABE8e"]
    fasta = write_fasta(tmp_path / "ref.fa", {"chr1": "CCCCC" + GUIDE + "TGA" + "TTTTT" + GUIDE + "AGT"})
    report = nominate(make_query([GUIDE], editor, 0, 0), fasta, on_target=OnTarget("1", "+", 6, 25))
    assert [(r["start"], r["on_target"]) for r in report.rows] == [(6, "yes"), (34, "")]
    assert report.header["summary"]["on_target"] == 1


def test_weaker_pams_are_searched_only_when_asked_and_rank_after_canonical_ones(tmp_path):
    editor = load_catalogue()["ABE8e"]  # NGG, and NAG from Hsu et al. 2013
    fasta = write_fasta(tmp_path / "ref.fa", {"chr1": "CCCCC" + GUIDE + "TAG" + "TTTTT" + GUIDE + "TGG"})
    canonical_only = nominate(make_query([GUIDE], editor, 0, 0), fasta)
    assert [(r["pam"], r["canonical_pam"]) for r in canonical_only.rows] == [("TGG", "yes")]
    both = nominate(make_query([GUIDE], editor, 0, 0, noncanonical_pams=True), fasta)
    assert [(r["pam"], r["canonical_pam"]) for r in both.rows] == [("TGG", "yes"), ("TAG", "no")]
    assert both.header["query"]["pams"] == ["NGG", "NAG"]
