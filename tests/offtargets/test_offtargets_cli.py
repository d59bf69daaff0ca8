"""`basket offtargets` (item 1): the variant's guide from the plan, output written whole or not at all."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from basket.cli import main
from basket.offtargets.report import read_report
from tests.conftest import EXAMPLE
from tests.offtargets.test_personal_genome import GUIDE, write_fasta, write_vcf


@pytest.fixture
def fasta(tmp_path):
    flank = "ACGTTGCAAC" * 4
    return write_fasta(tmp_path / "ref.fa", {"chr1": flank + GUIDE + "AGC" + flank, "chr2": flank + GUIDE[:7] + "G"
                                             + GUIDE[8:] + "TGC" + flank})


def test_the_plans_best_guide_is_searched_and_written_with_the_reference(tmp_path, fasta):
    out = tmp_path / "q335x.tsv"
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta), "--build",
                                       "GRCh38", "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "2 sites" in result.output
    report = read_report(out)
    assert report.header["query"]["guides"] == [GUIDE]  # the Q335X guide the plan chooses
    assert report.header["query"]["pams"] == ["NGC"]
    assert report.header["subject"]["variant"] == "CPS1-Q335X"
    assert report.header["reference"]["build"] == "GRCh38"
    assert [(r["contig"], r["mismatches"], r["editable_bases"]) for r in report.rows] == [
        ("chr1", 0, "A3,A8,A9"), ("chr2", 1, "A3,A9")]


def test_without_output_the_top_sites_are_printed(fasta):
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta), "--guide",
                                       GUIDE.replace("T", "U"), "--no-progress", "-k", "0", "-b", "0"])
    assert result.exit_code == 0, result.output
    assert "chr1" in result.output and "chr2" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--guide", "ACGT"], "--guide: 'ACGT' has 4 nt"),
    (["--bulges", "3"], "--bulges: 3 is outside 0..2"),
    (["--mismatches", "-1"], "--mismatches: -1 is outside"),
])
def test_bad_options_are_bad_input(fasta, args, message):
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_unknown_variant_and_missing_reference(fasta):
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q999X", "--fasta", str(fasta)])
    assert result.exit_code == 2 and "unknown variant 'CPS1-Q999X'" in result.output
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X"], env={"BASKET_GRCH38": ""})
    # the example names its GRCh38 reference through $BASKET_GRCH38: unset, there is nothing to search
    assert result.exit_code == 2 and "the GRCh38 reference is not available: $BASKET_GRCH38 is not set" in \
        result.output and "--fasta" in result.output


def test_interrupted_search_writes_nothing(tmp_path, fasta, monkeypatch):
    """Ctrl-C during the search leaves no output file, not even a partial one."""
    from basket.offtargets import genome_search

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(genome_search, "_strand_sites", interrupt)
    out = tmp_path / "sites.json"
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta), "-o", str(out)])
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == [fasta]


def test_output_may_not_replace_or_enter_an_input(tmp_path, fasta):
    vcf = write_vcf(tmp_path / "p.vcf", [("chr1", 48, "x", "A", "G", "0|1")])
    before = vcf.read_bytes()
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta), "--vcf",
                                       str(vcf), "-o", str(vcf)])
    assert result.exit_code == 2 and "is the input" in result.output
    assert vcf.read_bytes() == before
    inside = EXAMPLE / "offtargets.tsv"
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta), "-o",
                                       str(inside)])
    assert result.exit_code == 2 and "lies inside the input" in result.output and not inside.exists()


def test_progress_goes_to_stderr_with_an_eta(fasta):
    result = CliRunner().invoke(main, ["offtargets", str(EXAMPLE), "CPS1-Q335X", "--fasta", str(fasta)])
    assert result.exit_code == 0
    assert "searching" in result.stderr and "searching" not in result.stdout
