"""Class 12 of issue 12: `basket verify` trusted manifest.json.

Whoever edits a document can write its new sha256 into the manifest, and plain `verify` then says
every output matches. `verify OUT --against PROGRAM` renders the program again, with the options the
manifest records, in a temporary folder and compares every file byte for byte; what the manifest does
not record well enough to render again is bad input (exit 2), said precisely.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import BROKEN, MINIMAL, copy_program, overlay
from tests.hostile.conftest import assert_clean, run
from tests.hostile.test_output_location import snapshot

APPENDIX = "appendices/CPS1-Q335X.md"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal program rendered as Markdown once; tests verify copies of it."""
    out = tmp_path_factory.mktemp("rendered") / "out"
    result = run("render", str(MINIMAL), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def out(rendered: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(rendered, tmp_path / "out"))


def edit_manifest(out: Path, change) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def test_a_document_edited_with_its_hash_passes_plain_verify_but_not_against_the_program(out: Path):
    document = out / APPENDIX
    document.write_bytes(document.read_bytes().replace(b"CPS1", b"CPS2", 1))
    edit_manifest(out, lambda m: m["outputs"].update({APPENDIX: hashlib.sha256(document.read_bytes()).hexdigest()}))

    plain = run("verify", str(out))
    assert plain.exit_code == 0 and "outputs match manifest.json" in plain.output  # what a manifest alone proves

    against = run("verify", str(out), "--against", str(MINIMAL))
    assert against.exit_code == 1, against.output
    assert f"changed: {APPENDIX}\n" in against.output and "changed: manifest.json\n" in against.output
    assert "overview.md" not in against.output and "completeness.md" not in against.output


def test_an_untouched_render_matches_and_nothing_is_written_anywhere_but_a_removed_temporary_folder(
        out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    program = copy_program(MINIMAL, tmp_path / "program")
    before = snapshot(out, program)

    result = run("verify", str(out), "--against", str(program), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["against"] == str(program) and report["notes"] == []
    assert report["listed"] == len([p for p in out.rglob("*") if p.is_file()])  # manifest.json included
    assert snapshot(out, program) == before
    assert list(temporary.iterdir()) == []


def test_a_missing_and_an_extra_file_are_named(out: Path):
    (out / "overview.md").unlink()
    (out / "appendices" / "CPS1-FAKE.md").write_text("# An appendix no render made\n", encoding="utf-8")
    result = run("verify", str(out), "--against", str(MINIMAL))
    assert result.exit_code == 1, result.output
    assert "missing: overview.md\n" in result.output
    assert "extra (not in the fresh render): appendices/CPS1-FAKE.md\n" in result.output
    assert "changed:" not in result.output


def test_a_selective_render_is_made_again_with_its_selection(tmp_path: Path):
    out = tmp_path / "out"
    assert run("render", str(MINIMAL), "--select", "variant:CPS1-Q335X", "-o", str(out)).exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["variants"] == ["CPS1-Q335X"]
    result = run("verify", str(out), "--against", str(MINIMAL))
    assert result.exit_code == 0, result.output


def test_a_changed_program_is_a_difference_with_the_changed_file_noted(out: Path, tmp_path: Path):
    program = copy_program(MINIMAL, tmp_path / "program")
    umbrella = program / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text(encoding="utf-8").replace('protocol_version: "1.0"',
                                                                     'protocol_version: "1.1"'), encoding="utf-8")
    result = run("verify", str(out), "--against", str(program))
    assert result.exit_code == 1, result.output
    assert "changed: overview.md" in result.output and "changed: manifest.json" in result.output
    assert "note: program file umbrella.yaml differs from the one the render read" in result.output


@pytest.mark.parametrize("program", ["missing", "file", "broken"])
def test_a_bad_program_is_bad_input(out: Path, tmp_path: Path, program: str):
    path = {"missing": tmp_path / "nope", "file": MINIMAL / "umbrella.yaml",
            "broken": tmp_path / "broken"}[program]
    if program == "broken":
        overlay(BROKEN / "yaml-syntax", path)
    result = run("verify", str(out), "--against", str(path))
    assert result.exit_code == 2, result.output
    if program == "broken":
        assert_clean(result, path)
        assert "variants.yaml:4: invalid YAML" in result.stderr


def test_a_manifest_that_does_not_record_the_render_options_is_bad_input(out: Path):
    edit_manifest(out, lambda m: [m.pop(key) for key in ("kind", "variants", "templates", "reference")])
    result = run("verify", str(out), "--against", str(MINIMAL))
    assert result.exit_code == 2
    assert f"{out / 'manifest.json'}: kind: not recorded" in result.stderr
    assert run("verify", str(out)).exit_code == 0  # plain verify still reads it


@pytest.mark.parametrize("field,value,message", [
    ("kind", "picture", ("kind: 'picture': --against re-creates the output folders of `basket render` (kind "
     "'render') and `basket docs` (kind 'site')")),
    ("formats", ["md", "odt"], "formats: ['md', 'odt'] is not a list of formats among"),
    ("variants", "CPS1-Q335X", "variants: 'CPS1-Q335X' is not null or a list of variant ids"),
    ("reference", "GRCh38 (hg38.fa)", ("reference: the render was planned on GRCh38 (hg38.fa); here the program "
     "names no reference genome. Give that genome with --fasta")),
])
def test_a_record_that_cannot_be_rendered_again_says_why(out: Path, field: str, value, message: str):
    edit_manifest(out, lambda m: m.update({field: value}))
    result = run("verify", str(out), "--against", str(MINIMAL))
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_fasta_and_templates_belong_to_against(out: Path):
    result = run("verify", str(out), "--templates", str(MINIMAL))
    assert result.exit_code == 2 and "--templates: used only with --against PROGRAM" in result.stderr


def test_user_templates_must_be_given_again_and_be_the_same(tmp_path: Path):
    templates = tmp_path / "templates"
    templates.mkdir()
    shipped = (Path(__file__).resolve().parents[2] / "templates" / "appendix.md.j2").read_text(encoding="utf-8")
    (templates / "appendix.md.j2").write_text("<!-- site template -->\n" + shipped, encoding="utf-8")
    out = tmp_path / "out"
    assert run("render", str(MINIMAL), "--templates", str(templates), "-o", str(out)).exit_code == 0

    without = run("verify", str(out), "--against", str(MINIMAL))
    assert without.exit_code == 2
    assert ("templates: the render read 1 user template(s) (appendix.md.j2); give their folder with --templates"
            in without.stderr)

    assert run("verify", str(out), "--against", str(MINIMAL), "--templates", str(templates)).exit_code == 0

    (templates / "appendix.md.j2").write_text("<!-- edited since -->\n" + shipped, encoding="utf-8")
    edited = run("verify", str(out), "--against", str(MINIMAL), "--templates", str(templates))
    assert edited.exit_code == 2, edited.output
    assert "--templates: appendix.md.j2 differs from the one the render read" in edited.stderr


def test_a_site_is_verified_against_the_program_it_was_made_from(tmp_path: Path):
    site = tmp_path / "site"
    assert run("docs", str(MINIMAL), "-o", str(site), "--focus", "variant:CPS1-Q335X").exit_code == 0
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "site" and manifest["focus"] == "variant:CPS1-Q335X"
    assert run("verify", str(site), "--against", str(MINIMAL)).exit_code == 0

    page = site / "appendices" / "CPS1-Q335X.html"
    page.write_bytes(page.read_bytes().replace(b"CPS1", b"CPS2", 1))
    edit_manifest(site, lambda m: m["outputs"].update({"appendices/CPS1-Q335X.html":
                                                       hashlib.sha256(page.read_bytes()).hexdigest()}))
    assert run("verify", str(site)).exit_code == 0
    result = run("verify", str(site), "--against", str(MINIMAL))
    assert result.exit_code == 1
    assert "changed: appendices/CPS1-Q335X.html\n" in result.output and "changed: manifest.json\n" in result.output


def test_the_bundled_example_verifies_against_itself_where_its_reference_is_not_available(tmp_path: Path,
                                                                                          monkeypatch):
    """The example names a GRCh38 reference through an environment variable; where it is not set the
    documents say so, and verifying them must plan the same way (and read the recorded versions too)."""
    from tests.conftest import EXAMPLE

    monkeypatch.delenv("BASKET_GRCH38", raising=False)
    out = tmp_path / "out"
    assert run("render", str(EXAMPLE), "-o", str(out), "--format", "md").exit_code == 0
    result = run("verify", str(out), "--against", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output
