"""A reference FASTA pyfaidx cannot index is bad input (`file:line: message`, exit 2), for every command
that takes `--fasta`, even when no variant needs the sequence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main
from tests.conftest import MINIMAL

BAD_FASTAS = {
    "text-before-header.fa": (b"ACGT\n>chr2\nACGT\n", 1, "Unexpected text before the first sequence definition line"),
    "ragged-lines.fa": (b">chr2\nACGT\nACGTACGT\nAC\n", 3, "Line length of fasta file is not consistent"),
    "empty.fa": (b"", 0, "does not contain a valid sequence"),
    "gzip-not-bgzip.fa.gz": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x00" * 20, 0, "reference FASTA"),
}


@pytest.fixture(params=sorted(BAD_FASTAS))
def bad_fasta(request, tmp_path: Path) -> tuple[Path, int, str]:
    data, line, message = BAD_FASTAS[request.param]
    path = tmp_path / request.param
    path.write_bytes(data)
    return path, line, message


def check(result, fasta: Path, line: int, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    where = f"{fasta}:{line}:" if line else f"{fasta}:"
    assert where in result.stderr and message in result.stderr, result.stderr
    assert "nothing was written" in result.stderr


def test_plan_render_and_readiness_refuse_a_bad_fasta(bad_fasta, tmp_path: Path):
    fasta, line, message = bad_fasta
    for command in (["plan"], ["readiness"], ["render", "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(main, [command[0], str(MINIMAL), "--fasta", str(fasta), *command[1:]])
        check(result, fasta, line, message)
    assert not (tmp_path / "out").exists()


def test_screen_refuses_a_bad_fasta(bad_fasta, tmp_path: Path):
    fasta, line, message = bad_fasta
    variants = tmp_path / "variants.tsv"
    variants.write_text("chrom\tpos\tref\talt\nchr2\t1\tA\tG\n")
    out = tmp_path / "screen.tsv"
    result = CliRunner().invoke(main, ["screen", str(variants), "--fasta", str(fasta), "-o", str(out), "--no-progress"])
    check(result, fasta, line, message)
    assert not out.exists()


def test_a_named_pipe_as_fasta_is_refused_without_reading(tmp_path: Path):
    pipe = tmp_path / "ref.fa"
    os.mkfifo(pipe)
    result = CliRunner().invoke(main, ["plan", str(MINIMAL), "--fasta", str(pipe)])
    assert result.exit_code == 2 and f"{pipe}: the reference FASTA is not a regular file" in result.stderr
