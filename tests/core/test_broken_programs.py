"""Every broken program fails with its file:line message, exit code 2, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main
from tests.conftest import BROKEN, overlay

CASES = sorted(p for p in BROKEN.iterdir() if p.is_dir())


def test_there_is_a_case_per_error_class():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("command", ["validate", "plan", "render"])
def test_broken_program_is_refused(case: Path, command: str, tmp_path: Path):
    program = overlay(case, tmp_path / case.name)
    out = tmp_path / "out"
    args = [command, str(program)] + (["-o", str(out)] if command == "render" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for expected in (case / "expected.txt").read_text().splitlines():
        assert f"{program.as_posix()}/{expected}" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [case.name]
