"""`basket window PROGRAM VARIANT... [--all]` (issue item 2): windows read from the reference and written
into the variants' YAML with their provenance, comments kept; a window that differs is refused unless
--force, and the difference shown. The written file is compared with a golden file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.program.load import load_program
from tests.editing.conftest import CPS1_WINDOW
from tests.reference.conftest import run
from tests.reference.genome import WINDOW_START, write_program
from tests.reference.golden import GOLDEN


def test_window_all_writes_the_golden_file(program: Path):
    """Regenerate with `make golden` after an intended change, and review the diff."""
    result = run("window", str(program), "--all", code=1)
    assert "CPS1-NOPOS: skipped: The variant has no hgvs_g" in result.stdout
    assert "OTC-NOCONTIG: skipped: The reference GRCh38 (ref.fa) has no sequence named chrX" in result.stdout
    assert "CPS1-DEL: skipped: not a single-base substitution" in result.stdout
    written = (program / "variants.yaml").read_text()
    assert written == GOLDEN.read_text()
    assert "    status: assessed   # a comment that must survive\n" in written


def test_a_second_run_changes_nothing(program: Path):
    run("window", str(program), "CPS1-Q335X", "TESTM-MIRROR")
    before = (program / "variants.yaml").read_bytes()
    result = run("window", str(program), "CPS1-Q335X", "TESTM-MIRROR")
    assert "CPS1-Q335X: verified" in result.stdout and "0 window(s) written" in result.stdout
    assert (program / "variants.yaml").read_bytes() == before


def test_the_window_spans_the_reach_of_every_editor_in_play(program: Path):
    run("window", str(program), "CPS1-Q335X")
    window = load_program(program).program.variants_by_id["CPS1-Q335X"].window
    # the catalogue's NRCH-ABE8e (4-nt PAM, window from 3) needs 20 - 3 + 4 = 21 bases each side
    assert (window.start, window.end) == (WINDOW_START + 65 - 21, WINDOW_START + 65 + 21)
    long_editor = ("  - name: LONG-ABE\n    deaminase: ABE\n    cas_variant: a 24-nt spacer Cas\n    pams: [NNGRRT]\n"
                   "    core_window: [4, 8]\n    extended_window: [2, 10]\n    spacer_length: 24\n    source: test\n")
    text = (program / "program.yaml").read_text().replace("editors:\n", "editors:\n" + long_editor)
    (program / "program.yaml").write_text(text)
    result = run("window", str(program), "CPS1-Q335X", code=1)
    assert "narrower than the editors in play need" in result.stdout and "pass --force" in result.stdout
    run("window", str(program), "CPS1-Q335X", "--force")
    window = load_program(program).program.variants_by_id["CPS1-Q335X"].window
    assert (window.start, window.end) == (WINDOW_START + 65 - 28, WINDOW_START + 65 + 28)  # 24 - 2 + 6


def test_a_differing_window_is_refused_with_the_difference_unless_forced(program: Path):
    run("window", str(program), "CPS1-Q335X")
    text = (program / "variants.yaml").read_text()
    edited = text.replace("AAACAGGCTTTCATTACTGCTCAGAATCATGGCTATGCCTTGG", "AAACAGGCTTTCATTACTGCTCAGAATCATGGCTATGCCTTGA")
    edited = edited.replace("      sha256: 7773000c1a82138f479d5614ef948559ce241e4b1b96287f06f5020f4ec5604a\n", "")
    (program / "variants.yaml").write_text(edited)
    result = run("window", str(program), "CPS1-Q335X", code=1)
    assert "CPS1-Q335X: refused" in result.stdout
    assert "window base 43 (chr2:1,087) is A but the reference GRCh38 (ref.fa) has G" in result.stdout
    assert "-      sequence: AAACAGG" in result.stdout and "+      sequence: AAACAGG" in result.stdout
    assert (program / "variants.yaml").read_text() == edited
    result = run("window", str(program), "CPS1-Q335X", "--force")
    assert "CPS1-Q335X: replaced" in result.stdout
    assert (program / "variants.yaml").read_text() == text


def test_a_hand_window_equal_to_the_reference_keeps_its_comments_and_gains_provenance(program: Path):
    text = (program / "variants.yaml").read_text().replace(
        "    status: assessed", f"    window:\n      chrom: chr2\n      start: {WINDOW_START}   # base 66 is c.1003\n"
        f"      sequence: {CPS1_WINDOW}\n      source: UCSC Genome Browser GRCh38/hg38 chr2:210591821-210591930\n"
        "    status: assessed", 1)
    (program / "variants.yaml").write_text(text)
    result = run("window", str(program), "CPS1-Q335X")
    assert "CPS1-Q335X: provenance" in result.stdout and "added build, fasta, contig, sha256" in result.stdout
    after = (program / "variants.yaml").read_text()
    assert f"      start: {WINDOW_START}   # base 66 is c.1003\n" in after
    assert "      source: UCSC Genome Browser GRCh38/hg38 chr2:210591821-210591930\n      build: GRCh38\n" in after
    window = load_program(program).program.variants_by_id["CPS1-Q335X"].window
    assert window.sequence == CPS1_WINDOW and window.contig == "chr2" and window.fasta == "ref.fa"


def test_bad_input_writes_nothing(program: Path, tmp_path: Path):
    before = (program / "variants.yaml").read_bytes()
    result = run("window", str(program), "CPS1-Q335Y", code=2)
    assert "unknown variant 'CPS1-Q335Y'; did you mean CPS1-Q335X?" in result.stderr
    (program / "variants.yaml").write_text(before.decode().replace("g.1066C>T", "g.1067C>T"))
    result = run("window", str(program), "--all", code=2)
    assert "variants[0].hgvs_g: the reference GRCh38 (ref.fa) has A at chr2:1,067 but NM_001875.5:c.1003C>T " \
           "needs C on the + strand" in result.stderr
    bare = write_program(tmp_path / "bare", None)
    result = run("window", str(bare), "--all", code=2)
    assert "no reference FASTA: add a `reference:` section" in result.stderr
    assert "window:" not in (bare / "variants.yaml").read_text()


def test_a_position_beyond_its_contig_is_refused_with_the_others_and_nothing_written(program: Path):
    text = (program / "variants.yaml").read_text().replace("g.1066C>T", "g.5066C>T")  # chr2 has 4,000 bases
    (program / "variants.yaml").write_text(text)
    result = run("window", str(program), "--all", code=2)
    assert "variants[0].hgvs_g: position 5,066 is outside chr2 (1..4,000) in the reference GRCh38 (ref.fa): the " \
           "HGVS g. does not belong to this reference" in result.stderr
    assert "error: 1 problem; nothing was written." in result.stderr
    assert (program / "variants.yaml").read_text() == text


def test_crlf_files_and_a_byte_order_mark_are_kept(program: Path):
    text = "\ufeff" + (program / "variants.yaml").read_text().replace("\n", "\r\n")
    (program / "variants.yaml").write_bytes(text.encode("utf-8"))
    run("window", str(program), "CPS1-Q335X")
    after = (program / "variants.yaml").read_bytes().decode("utf-8")
    assert after.startswith("\ufeff") and "\n" not in after.replace("\r\n", "")
    assert "    window:\r\n      chrom: chr2\r\n" in after


def test_the_written_program_loads_and_plans_the_same(program: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(program, copy)
    before = run("plan", str(copy), "--format", "csv").stdout
    run("window", str(copy), "--all", code=1)
    after = run("plan", str(copy), "--format", "csv").stdout
    assert before.replace(",reference,", ",verified,") == after


def test_window_and_status_runs_at_the_same_time_keep_every_edit(program: Path):
    """`basket window` takes the program's lock as `basket status` does: started together on one file,
    every window and the status change are all kept."""
    import subprocess
    import sys

    commands = [[sys.executable, "-m", "basket", "window", str(program), "CPS1-Q335X", "CPS1-E714X", "TESTM-MIRROR"],
                [sys.executable, "-m", "basket", "status", str(program), "CPS1-Q335X", "appendix_drafted"]]
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    variants = load_program(program).program.variants_by_id
    assert all(variants[v].window is not None for v in ("CPS1-Q335X", "CPS1-E714X", "TESTM-MIRROR"))
    assert variants["CPS1-Q335X"].status == "appendix_drafted"


def test_an_edit_that_would_change_anything_else_is_put_back(program: Path, monkeypatch):
    """The program loaded after writing must equal the old one with only the windows replaced: an
    edit that (through a bug) also dropped a line is undone and reported."""
    from basket.foundation.problems import InputError
    from basket.program import window_fetch
    from basket.program.window_fetch import update_windows

    def dropping_a_line(lines, edits):
        return window_yaml.apply_edits(lines, edits).replace("    status: assessed   # a comment that must survive\n", "")

    from basket.program import window_yaml

    before = (program / "variants.yaml").read_bytes()
    monkeypatch.setattr(window_fetch, "apply_edits", dropping_a_line)
    with pytest.raises(InputError, match="changed more than the windows"):
        update_windows(program, ["CPS1-Q335X"])
    assert (program / "variants.yaml").read_bytes() == before


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_every_value_written_reads_back_unchanged(value: str):
    import yaml

    from basket.program.window_yaml import yaml_scalar

    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}
