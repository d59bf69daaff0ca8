"""Class 2 of issue 12: no output may equal, contain or lie inside an input.

Output folders (`render`, `docs`, `design`) are replaced whole, so an output folder holding the
program, the templates or the reference FASTA deleted them; single-file outputs (`graph export`,
`diff`, `readiness`, `screen`, `picture`) replaced an input named as output. Every refusal is exit 2
and leaves every file as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, copy_program
from tests.hostile.conftest import run


def snapshot(*roots: Path) -> dict[str, bytes]:
    files = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        files |= {str(p): p.read_bytes() for p in paths if p.is_file()}
    return files


def assert_refused(result, *messages: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for message in messages:
        assert message in result.stderr, result.stderr


def test_render_into_a_folder_that_now_holds_the_program_is_refused(tmp_path: Path):
    """The reported case: an earlier output folder now holds a copy of the program."""
    program = copy_program(MINIMAL, tmp_path / "program")
    out = tmp_path / "out"
    assert run("render", str(program), "-o", str(out)).exit_code == 0
    shutil.copytree(program, out / "program")
    before = snapshot(out)
    result = run("render", str(out / "program"), "-o", str(out))
    assert_refused(result, f"{out}: contains the input {out / 'program'}")
    assert snapshot(out) == before


@pytest.mark.parametrize("command", ["render", "docs", "design"])
@pytest.mark.parametrize("where", ["program itself", "program inside", "inside program", "through a link",
                                   "dotted spelling"])
def test_output_folders_never_touch_the_program(tmp_path: Path, command: str, where: str):
    program = copy_program(MINIMAL, tmp_path / "work" / "program")
    out = {
        "program itself": program,
        "program inside": tmp_path / "work",
        "inside program": program / "out",
        "through a link": tmp_path / "link",
        "dotted spelling": program / ".." / "program",
    }[where]
    if where == "through a link":
        os.symlink(program, out)
    (tmp_path / "work" / ".basket-output").write_bytes(b"as if basket had written it\n")
    before = snapshot(tmp_path / "work")
    result = run(command, str(program), "-o", str(out))
    assert_refused(result, f"{out}: ", "input")
    assert snapshot(tmp_path / "work") == before
    assert not (program / "out").exists()


def test_render_output_holding_the_templates_or_the_fasta_is_refused(tmp_path: Path):
    program = copy_program(MINIMAL, tmp_path / "program")
    out = tmp_path / "out"
    assert run("render", str(program), "-o", str(out)).exit_code == 0
    (out / "templates").mkdir()
    (out / "templates" / "appendix.md.j2").write_text("# {{ variant.id }}\n")
    (out / "ref.fa").write_text(">chr2\nACGT\n")
    before = snapshot(out)
    result = run("render", str(program), "-o", str(out), "--templates", str(out / "templates"))
    assert_refused(result, f"contains the input {out / 'templates'}")
    result = run("render", str(program), "-o", str(out), "--fasta", str(out / "ref.fa"))
    assert_refused(result, f"contains the input {out / 'ref.fa'}")
    result = run("docs", str(program), "-o", str(out), "--templates", str(out / "templates"))
    assert_refused(result, f"contains the input {out / 'templates'}")
    result = run("render", str(program), "-o", str(out / "templates" / "out"), "--templates", str(out / "templates"))
    assert_refused(result, f"lies inside the input {out / 'templates'}")
    assert snapshot(out) == before


@pytest.mark.parametrize("state", ["empty", "written by basket"])
@pytest.mark.parametrize("command", ["render", "docs", "design"])
def test_dot_as_output_is_refused(tmp_path: Path, monkeypatch, state: str, command: str):
    program = copy_program(MINIMAL, tmp_path / "program")
    work = tmp_path / "work"
    work.mkdir()
    if state == "written by basket":
        assert run("render", str(program), "-o", str(work)).exit_code == 0
    before, beside = snapshot(work), sorted(os.listdir(tmp_path))
    monkeypatch.chdir(work)
    for spelling in (".", "./", str(work), "../work"):
        result = run(command, str(program), "-o", spelling)
        assert_refused(result, "is the current working directory")
    result = run(command, str(program), "-o", "..")
    assert_refused(result, "contains the current working directory")
    assert snapshot(work) == before and sorted(os.listdir(tmp_path)) == beside


def test_a_subfolder_of_the_working_directory_is_fine(tmp_path: Path, monkeypatch):
    program = copy_program(MINIMAL, tmp_path / "program")
    monkeypatch.chdir(tmp_path)
    result = run("render", str(program), "-o", "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "overview.md").is_file()


@pytest.mark.parametrize("command", [
    ["graph", "export", "{program}", "--format", "json", "-o", "{target}"],
    ["readiness", "{program}", "--format", "md", "-o", "{target}"],
    ["diff", "{program}", "{program}", "-o", "{target}"],
    ["picture", "{program}", "-o", "{target}"],
])
@pytest.mark.parametrize("target", ["program file", "new file in program", "link to program file"])
def test_single_file_outputs_never_replace_or_enter_the_program(tmp_path: Path, command: list[str], target: str):
    program = copy_program(MINIMAL, tmp_path / "program")
    path = {
        "program file": program / "variants.yaml",
        "new file in program": program / "graph.yaml",
        "link to program file": tmp_path / "link.yaml",
    }[target]
    if target == "link to program file":
        os.symlink(program / "variants.yaml", path)
    before = snapshot(program)
    result = run(*[part.format(program=program, target=path) for part in command])
    assert_refused(result, f"{path}: ", "input")
    assert snapshot(program) == before
    assert sorted(os.listdir(program)) == sorted(os.listdir(MINIMAL))


def test_diff_output_never_replaces_a_compared_manifest(tmp_path: Path):
    program = copy_program(MINIMAL, tmp_path / "program")
    assert run("render", str(program), "-o", str(tmp_path / "a")).exit_code == 0
    assert run("render", str(program), "-o", str(tmp_path / "b")).exit_code == 0
    manifest = tmp_path / "a" / "manifest.json"
    before = manifest.read_bytes()
    result = run("diff", str(manifest), str(tmp_path / "b" / "manifest.json"), "-o", str(manifest))
    assert_refused(result, "is the input")
    assert manifest.read_bytes() == before


@pytest.mark.parametrize("output", ["variants.tsv", "ref.fa", "ref.fa.fai"])
def test_screen_output_never_replaces_its_inputs(tmp_path: Path, output: str):
    variants = tmp_path / "variants.tsv"
    variants.write_text("chrom\tpos\tref\talt\nchr1\t5\tA\tG\n")
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr1\n" + "ACGTACGTAC" * 10 + "\n")
    (tmp_path / "ref.fa.fai").write_text("chr1\t100\t6\t100\t101\n")
    before = snapshot(tmp_path)
    result = run("screen", str(variants), "--fasta", str(fasta), "--no-progress", "-o", str(tmp_path / output))
    assert_refused(result, "is the input")
    assert snapshot(tmp_path) == before
