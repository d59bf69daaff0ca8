"""Helpers for hostile-input tests: run the CLI on a program and check it failed cleanly."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from basket.cli import main
from tests.conftest import MINIMAL

MINIMAL_FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(MINIMAL.glob("*.yaml"))}
MINIMAL_DATA = {name: yaml.safe_load(text) for name, text in MINIMAL_FILES.items()}
SUMMARY = re.compile(r"^error: \d+ problems?; nothing was written\.$")


@contextmanager
def program_dir(files: dict[str, bytes | str], keep_minimal: bool = True) -> Iterator[Path]:
    """A temporary program: the minimal program's files, then `files` laid over them."""
    with tempfile.TemporaryDirectory(prefix="basket-hostile-") as temp:
        root = Path(temp) / "program"
        if keep_minimal:
            shutil.copytree(MINIMAL, root)
        else:
            root.mkdir()
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        yield root


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean(result: Result, program: Path, codes: tuple[int, ...] = (0, 2)) -> None:
    """Exit code 0 or 2 (or `codes`), no traceback; on 2, every line is `file:line: message`
    naming a file of the program (`path: message` for a whole file, a folder or the program
    itself), then the summary line."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed with {result.exception!r}\n{result.output}") from result.exception
    assert result.exit_code in codes, result.output
    assert "Traceback" not in result.output
    if result.exit_code != 2:
        return
    lines = result.stderr.strip().splitlines()
    assert lines and SUMMARY.match(lines[-1]), result.stderr
    assert len(lines) >= 2, result.stderr
    where = re.escape(program.as_posix())
    problem = re.compile(rf"^{where}(/[^:]+(:\d+)?:|:) \S")  # no line: a file, a folder or the program as a whole
    for line in lines[:-1]:
        if line.startswith("  rendering "):
            continue
        assert problem.match(line), f"not a file:line: message: {line!r}\n{result.stderr}"
