"""Golden file of `basket window --all`: the synthetic FASTA-only program's variants.yaml after the
windows are written (tests/reference/genome.py). Regenerate with `make golden` and review the diff."""

from __future__ import annotations

import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "variants.yaml"


def windows_written() -> str:
    """variants.yaml of the synthetic program after `basket window --all`."""
    from click.testing import CliRunner

    from basket.cli import main
    from tests.reference.genome import write_program

    with tempfile.TemporaryDirectory() as scratch:
        program = write_program(Path(scratch) / "program")
        result = CliRunner().invoke(main, ["window", str(program), "--all"])
        assert result.exit_code == 1, result.output  # two variants cannot be placed, by design
        return (program / "variants.yaml").read_text()


def write_goldens() -> list[str]:
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(windows_written())
    return [GOLDEN.name]
