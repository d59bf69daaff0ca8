"""What the reference tests share: a runner that checks the exit code, and the synthetic program."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main
from tests.reference.genome import write_program


def run(*args: str, env: dict[str, str] | None = None, code: int | None = 0):
    """`basket ARGS` in-process; the exit code must be `code` (None: any)."""
    result = CliRunner().invoke(main, list(args), env=env)
    if code is not None:
        assert result.exit_code == code, (args, result.output, result.stderr)
    return result


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A private copy of the FASTA-only program (tests/reference/genome.py) that a test may edit."""
    return write_program(tmp_path / "program")
