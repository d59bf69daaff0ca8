"""Render writes whole directories atomically, reproducibly, with a manifest of hashes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from basket.api import render_to


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_two_renders_are_byte_identical(example: Path, tmp_path: Path):
    render_to(example, tmp_path / "a", ["md"])
    render_to(example, tmp_path / "b", ["md"])
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_manifest_hashes_every_output_and_input(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    render_to(example, out, ["md"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["schema_version"] == 1
    files = tree(out)
    files.pop("manifest.json")
    files.pop(".basket-output")  # marks the folder as basket's to replace; not a document
    assert manifest["outputs"] == {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    for path, digest in manifest["inputs"].items():
        assert hashlib.sha256((example / path).read_bytes()).hexdigest() == digest
    assert "appendices/CPS1-Q335X.md" in files and "appendices/CPS1-E714X.md" not in files


def test_documents_never_show_none_or_blank_values(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    render_to(example, out, ["md"])
    for path, data in tree(out).items():
        text = data.decode()
        assert "None" not in text.replace("None of", ""), path
        body = text[text.index("Table of Contents"):] if "Table of Contents" in text else text  # forms have blanks
        assert "| |" not in body.replace("| | |", ""), path
    completeness = (out / "completeness.md").read_text()
    rows = [line.split("|")[1:3] for line in completeness.splitlines() if line.startswith("| ") and "---" not in line]
    listed = [(stem.strip(), what.strip()) for stem, what in rows if stem.strip() != "Document"]
    assert {stem for stem, _ in listed} >= {"overview", "appendices/CPS1-Q335X"}
    for stem, what in listed:
        assert f"[to be provided: {what}]" in (out / f"{stem}.md").read_text(), (stem, what)


def test_appendix_states_the_guide(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    render_to(example, out, ["md"])
    text = (out / "appendices" / "CPS1-Q335X.md").read_text()
    assert "TGATTCTAAGCAGTAATGAA" in text and "synonymous" in text


def test_failed_render_leaves_previous_output_intact(example: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    render_to(example, out, ["md"])
    before = tree(out)

    from basket.documents import output_formats as formats

    calls = {"n": 0}
    original = formats.FORMATTERS["md"]

    def dies_on_second_document(env, doc):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed mid-render")
        return original(env, doc)

    monkeypatch.setitem(formats.FORMATTERS, "md", dies_on_second_document)
    with pytest.raises(KeyboardInterrupt):
        render_to(example, out, ["md"])
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder, no lock file


def test_selection_renders_only_selected_appendices(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    render_to(example, out, ["md"], selectors=["variant:CPS1-E714X"])
    assert not (out / "appendices").exists()
    assert (out / "overview.md").exists()


@pytest.mark.parametrize("template, expected", [
    ("# {{ nosuchfield }}\n", "overview.md.j2:1: template error (UndefinedError): 'nosuchfield' is undefined"),
    ("line one\n{% for x in %}\n", "overview.md.j2:2: template error (TemplateSyntaxError)"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "overview.md.j2:1: template error (SecurityError)"),
    ("one\ntwo {{ 2 ** 100000 }}\n", "overview.md.j2:2: template error (TemplateLimit): exponent"),
    ("{{ 'a' * 1000000000 }}\n", "overview.md.j2:1: template error (TemplateLimit): repetition"),
    ("{% for i in range(10**8) %}{% endfor %}\n", "overview.md.j2:1: template error (OverflowError)"),
])
@pytest.mark.parametrize("command", ["render", "docs"])
def test_broken_user_template_is_bad_input(example: Path, tmp_path: Path, template: str, expected: str,
                                           command: str):
    from click.testing import CliRunner

    from basket.cli import main

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overview.md.j2").write_text(template)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [command, str(example), "-o", str(out), "--templates", str(templates)])
    assert result.exit_code == 2, result.output
    assert f"{templates}/{expected}" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_template_that_is_not_utf8_is_bad_input(example: Path, tmp_path: Path):
    from click.testing import CliRunner

    from basket.cli import main

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overview.md.j2").write_bytes("caf\xe9 {{ umbrella.id }}\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["render", str(example), "-o", str(tmp_path / "out"),
                                       "--templates", str(templates)])
    assert result.exit_code == 2 and "not valid UTF-8" in result.stderr


def test_a_failed_write_leaves_the_previous_output_and_says_why(example: Path, tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    from basket.cli import main
    from basket.foundation import background_writer as writer

    out = tmp_path / "out"
    render_to(example, out, ["md", "html"])
    before = tree(out)
    calls = {"n": 0}
    original = writer._write

    def disk_fills_up(target: Path, data: bytes) -> str:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(target))
        return original(target, data)

    monkeypatch.setattr(writer, "_write", disk_fills_up)
    result = CliRunner().invoke(main, ["render", str(example), "-o", str(out), "--format", "md,html"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "No space left on device; previous output left as it was." in result.stderr
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder, no lock file


def test_an_output_folder_that_cannot_be_written_is_an_error_not_a_wait(example: Path):
    """A folder where nothing can be created (ENOENT in /proc; EACCES in a read-only folder for a
    non-root user): basket must say so in one line and stop, not wait or print a traceback."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "basket", "render", str(example), "-o", "/proc/basket-out"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    error = done.stderr.splitlines()[-1]  # after the warning that the example's reference is not available here
    assert error.startswith("error: /proc/.basket-out.new-") and "No such file or directory" in error
    assert "Traceback" not in done.stderr


def test_render_hands_every_object_back_to_the_garbage_collector(example: Path, tmp_path: Path):
    import gc

    render_to(example, tmp_path / "out", ["md"])
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("command", [["render"], ["docs", "--no-pictures"], ["design"]])
def test_a_folder_basket_did_not_write_is_never_replaced(example: Path, tmp_path: Path, command: list[str]):
    """`-o .` or `-o` naming the program would delete the user's files: refused, exit 2, nothing touched."""
    import shutil

    from click.testing import CliRunner

    from basket.cli import main

    program = tmp_path / "program"
    shutil.copytree(example, program)
    (tmp_path / "notes.txt").write_text("keep me\n")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("keep me too\n")
    before = tree(tmp_path)
    for out, message in ((tmp_path, "contains the input"), (program, "is the input"),
                         (tmp_path / "other", "is not empty and was not written by basket")):
        result = CliRunner().invoke(main, [command[0], str(program), "-o", str(out), *command[1:]])
        assert result.exit_code == 2, result.output
        assert f"{out}: {message}" in result.stderr
        assert tree(tmp_path) == before
        assert not (tmp_path.parent / f".{tmp_path.name}.lock").exists()  # not even a lock file


def test_an_empty_folder_or_a_previous_output_is_replaced(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    render_to(example, out, ["md"])
    assert (out / ".basket-output").is_file()
    render_to(example, out, ["md"])  # its own earlier output
    (out / ".basket-output").unlink()  # an output written before the marker existed: its manifest says basket
    render_to(example, out, ["md"])
    assert (out / "overview.md").is_file()
