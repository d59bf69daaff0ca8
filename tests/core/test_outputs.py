"""Outputs as people expect them (issue 16, item 8): the format from the file's extension, the
user's usual permissions, no lock or temporary files left, one default output folder, tables that
fit the terminal (`--wide` for full text) and `readiness --exit-zero`."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.cli import main
from basket.foundation.text_tables import MIN_COLUMN, to_table


def run(*args: object, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test (restored afterwards)."""
    previous = os.umask(0o022)
    yield lambda value: os.umask(value)
    os.umask(previous)


# --- the format follows the file's extension ----------------------------------------------------


@pytest.mark.parametrize(("name", "starts"), [
    ("g.graphml", b"<?xml"), ("g.gexf", b"<?xml"), ("g.json", b"{"), ("g.cyjs", b"{"), ("g.dot", b"digraph"),
    ("g.gv", b"digraph"), ("g.mmd", b"flowchart"),
])
def test_graph_export_format_from_the_extension(example: Path, tmp_path: Path, name: str, starts: bytes):
    result = run("graph", "export", example, "-o", tmp_path / name)
    assert result.exit_code == 0, result.output
    data = (tmp_path / name).read_bytes()
    assert data.startswith(starts)
    if name.endswith(".graphml"):
        assert b"<graphml" in data[:400]
    if name.endswith(".cyjs"):
        assert "elements" in json.loads(data)


def test_readiness_and_plan_formats_from_the_extension(example: Path, tmp_path: Path):
    assert run("readiness", example, "-o", tmp_path / "r.html", "--exit-zero").exit_code == 0
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert run("plan", example, "-o", tmp_path / "p.csv").exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "p.csv").read_text())))
    assert rows[0]["variant"] == "CPS1-Q335X"
    assert run("plan", example, "-o", tmp_path / "p.json").exit_code == 0
    assert json.loads((tmp_path / "p.json").read_text())[0]["variant"] == "CPS1-Q335X"


def test_an_explicit_format_wins_and_an_unknown_extension_is_bad_usage(example: Path, tmp_path: Path):
    assert run("graph", "export", example, "--format", "dot", "-o", tmp_path / "g.txt").exit_code == 0
    assert (tmp_path / "g.txt").read_text().startswith("digraph")
    result = run("graph", "export", example, "-o", tmp_path / "g.xml")
    assert result.exit_code == 2
    assert "cannot tell the format from 'g.xml'" in result.stderr and ".graphml" in result.stderr
    assert not (tmp_path / "g.xml").exists()


# --- permissions, and nothing left behind -------------------------------------------------------


@pytest.mark.parametrize(("mask", "file_mode", "folder_mode"), [(0o022, 0o644, 0o755), (0o002, 0o664, 0o775),
                                                                (0o077, 0o600, 0o700)])
def test_outputs_get_the_users_usual_permissions(example: Path, tmp_path: Path, umask, mask: int, file_mode: int,
                                                 folder_mode: int):
    umask(mask)
    assert run("graph", "export", example, "-o", tmp_path / "g.graphml").exit_code == 0
    assert run("readiness", example, "-o", tmp_path / "r.md", "--exit-zero").exit_code == 0
    assert run("render", example, "-o", tmp_path / "out").exit_code == 0
    assert mode(tmp_path / "g.graphml") == mode(tmp_path / "r.md") == file_mode
    assert mode(tmp_path / "out") == mode(tmp_path / "out" / "appendices") == folder_mode
    assert mode(tmp_path / "out" / "overview.md") == file_mode


def test_a_replaced_file_keeps_its_mode(example: Path, tmp_path: Path, umask):
    umask(0o022)
    target = tmp_path / "g.json"
    target.write_text("old\n")
    target.chmod(0o640)
    assert run("graph", "export", example, "-o", target).exit_code == 0
    assert mode(target) == 0o640 and target.read_text().startswith("{")


def test_no_lock_or_temporary_file_is_left_behind(example: Path, tmp_path: Path):
    for args in (["render", example, "-o", tmp_path / "protocol"], ["docs", example, "--no-pictures", "-o",
                 tmp_path / "site"], ["design", example, "--simulations", "200", "-o", tmp_path / "design"],
                 ["graph", "export", example, "-o", tmp_path / "g.graphml"], ["plan", example, "-o", tmp_path / "p.md"]):
        assert run(*args).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["design", "g.graphml", "p.md", "protocol", "site"]


def test_one_default_output_folder(example: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("render", example).exit_code == 0
    assert run("docs", example, "--no-pictures").exit_code == 0
    assert run("design", example, "--simulations", "200").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["design", "protocol", "site"]
    assert (tmp_path / "out" / "protocol" / "overview.md").is_file()
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    assert (tmp_path / "out" / "design" / "design.csv").is_file()


# --- tables fit the terminal ---------------------------------------------------------------------


def test_plan_table_fits_the_terminal_and_wide_prints_it_whole(example: Path):
    narrow = run("plan", example, env={"COLUMNS": "100"})
    assert narrow.exit_code == 0
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 100
    assert "…" in narrow.stdout and "CPS1-Q335X" in narrow.stdout
    wide = run("plan", example, "--wide", env={"COLUMNS": "100"})
    piped = run("plan", example, env={"COLUMNS": None})  # not a terminal and no COLUMNS: full text
    assert "…" not in wide.stdout and wide.stdout == piped.stdout
    assert "which no base editor corrects" in wide.stdout


@pytest.mark.parametrize(("command", "cut"), [(["editors"], True), (["readiness", "--exit-zero"], False),
                                             (["guides", "CPS1-Q335X"], True)])
def test_every_table_fits_as_far_as_its_free_text_allows(example: Path, command: list[str], cut: bool):
    args = command if command == ["editors"] else [command[0], example, *command[1:]]

    def table_width(columns: str) -> int:
        result = run(*args, env={"COLUMNS": columns})
        assert result.exit_code == 0
        assert ("…" in result.stdout) == (cut and columns != "1000")
        return max(len(line) for line in result.stdout.split("\n\n")[0].splitlines())

    narrowest, full = table_width("1"), table_width("1000")  # ids, sequences, numbers, headers are never cut
    assert table_width("100") <= max(100, narrowest)
    assert (narrowest < full) == cut


cells = st.text(alphabet="abc xyz-•", max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=6), st.integers(10, 120),
       st.sets(st.sampled_from(["name", "b", "c", "description"])))
def test_to_table_fits_by_cutting_only_free_text_with_an_ellipsis(values, width, cut):
    columns = ["name", "b", "c", "description"]
    rows = [dict(zip(columns, row)) for row in values]
    lines = to_table(rows, columns, width, cut=tuple(cut)).splitlines()
    full = to_table(rows, columns).splitlines()
    natural = [max([len(c)] + [len(r[c]) for r in rows]) for c in columns]
    least = [min(n, max(len(c), MIN_COLUMN)) if c in cut else n for c, n in zip(columns, natural)]
    if sum(least) + 2 * 3 <= width:
        assert all(len(line) <= width for line in lines)
    if all(len(line) <= width for line in full):
        assert lines == full
    assert lines[0].split() == columns
    starts = [len(lines[1].split("  ")[0])]  # column offsets from the dashes under the headers
    for dashes in lines[1].split("  ")[1:]:
        starts.append(starts[-1] + 2 + len(dashes))
    for line, row in zip(lines[2:], rows):
        for index, column in enumerate(columns):
            begin = 0 if index == 0 else starts[index - 1] + 2
            shown = line[begin:begin + len(lines[1].split("  ")[index])].rstrip()
            if shown != row[column].rstrip():
                assert column in cut and shown.endswith("…") and row[column].startswith(shown[:-1])


def test_readiness_exit_zero_reports_the_gate_but_exits_0(example: Path):
    failing = run("readiness", example)
    assert failing.exit_code == 1
    passing = run("readiness", example, "--exit-zero")
    assert passing.exit_code == 0
    assert "gate failed for a variant that must pass: CPS1-Q335X" in passing.stderr
    assert passing.stdout == failing.stdout
