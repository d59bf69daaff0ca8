"""Start-up habits (issue 16, item 7): `basket init` scaffolds a program that validates at once,
`basket add` appends well-formed entries keeping the file as it was, and PROGRAM is found from the
current directory when it is left out."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.cli import main
from basket.foundation.problems import InputError
from basket.program.append_entry import insert_item
from basket.program.load import load_program
from tests.conftest import EXAMPLE, ROOT


def run(*args: object, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


@pytest.fixture
def program(tmp_path: Path) -> Path:
    target = tmp_path / "umbrella"
    assert run("init", target).exit_code == 0
    return target


# --- basket init ----------------------------------------------------------------------------------


def test_init_writes_a_commented_program_that_validates(program: Path):
    names = sorted(p.name for p in program.iterdir())
    assert names == ["diseases.yaml", "evidence.yaml", "genes.yaml", "patients.yaml", "platform.yaml",
                     "umbrella.yaml", "variants.yaml"]
    for path in program.iterdir():
        assert path.read_text().startswith("#"), path  # every file explains itself
    result = run("validate", program)
    assert result.exit_code == 0, result.output
    assert "valid — 1 diseases, 1 genes, 0 variants" in result.stdout


def test_init_invents_no_clinical_fact(program: Path):
    """Its disease and gene are the bundled example's, sources included; every other required text is
    a placeholder starting with EXAMPLE, and validation warns about each one still there."""
    scaffold = load_program(program)
    example = load_program(EXAMPLE).program
    for disease in scaffold.program.diseases:
        same = example.diseases_by_id[disease.id]
        fields = ("name", "genes", "inheritance", "source")
        assert [getattr(disease, f) for f in fields] == [getattr(same, f) for f in fields]
        assert set(disease.xrefs) <= set(same.xrefs) and not disease.natural_history and not disease.endpoints
    for gene in scaffold.program.genes:
        assert gene == example.genes_by_symbol[gene.symbol]
    umbrella, platform = scaffold.program.umbrella, scaffold.program.platform
    placeholders = [umbrella.id, umbrella.title, umbrella.sponsor, platform.name, platform.modality,
                    platform.delivery, platform.target_tissue, *(c.name for c in platform.components)]
    assert all(text.startswith("EXAMPLE") for text in placeholders)
    warned = {problem.field for problem in scaffold.warnings}
    assert {"umbrella.title", "platform.modality", "platform.components[2].name"} <= warned
    assert len(scaffold.warnings) == len(placeholders)
    result = run("validate", program)
    assert "umbrella.yaml:9: umbrella.title: still the placeholder `basket init` wrote" in result.stderr


def test_init_never_overwrites(tmp_path: Path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("keep\n")
    result = run("init", target)
    assert result.exit_code == 2 and "is not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("init", empty).exit_code == 0 and (empty / "umbrella.yaml").is_file()
    file = tmp_path / "a-file"
    file.write_text("keep\n")
    result = run("init", file)
    assert result.exit_code == 2 and "exists and is not a folder" in result.stderr
    assert file.read_text() == "keep\n"


def test_init_refuses_a_program_inside_a_program(program: Path):
    before = sorted(p.relative_to(program) for p in program.rglob("*"))
    result = run("init", program / "sub" / "deeper")
    assert result.exit_code == 2 and "lies inside the program" in result.stderr
    assert sorted(p.relative_to(program) for p in program.rglob("*")) == before
    assert run("init", program).exit_code == 2  # the program itself: not empty


# --- the program from the current directory -------------------------------------------------------


def test_program_is_found_from_a_subfolder(program: Path, monkeypatch):
    (program / "notes").mkdir()
    monkeypatch.chdir(program / "notes")
    result = run("validate")
    assert result.exit_code == 0 and result.stdout.startswith("..: valid")
    added = run("add", "variant", "--id", "CPS1-Q335X", "--gene", "CPS1", "--hgvs-c", "NM_001875.5:c.1003C>T",
                "--source", "NEJM 2025;392:2235-43")
    assert added.exit_code == 0, added.output
    assert run("status", "CPS1-Q335X", "assessed").exit_code == 0  # [PROGRAM] VARIANT NEW_STATUS
    assert "status: assessed" in (program / "variants.yaml").read_text()
    guides = run("guides", "CPS1-Q335X")  # found the program: no window, so no guide (exit 1), and says why
    assert guides.exit_code == 1 and "window" in guides.output


def test_a_missing_program_is_said_plainly(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("plan")
    assert result.exit_code == 2
    assert "no PROGRAM given, and no umbrella.yaml in" in result.stderr and "basket init" in result.stderr
    assert run("status", "X", "assessed").exit_code == 2
    mistyped = run("window", "no-such-program", "CPS1-Q335X")  # VARIANT... takes any number: PROGRAM is ambiguous
    assert mistyped.exit_code == 2
    assert "'no-such-program' is not a folder, so it was read as the next argument" in mistyped.stderr
    assert run("plan", "--help").exit_code == 0  # help needs no program


def test_a_given_program_folder_is_never_taken_for_another_argument(example: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("guides", example)  # VARIANT missing: said so, not "no program found"
    assert result.exit_code == 2 and "Missing argument 'VARIANT'" in result.stderr


# --- basket add -----------------------------------------------------------------------------------


def only_inserted(before: bytes, after: bytes) -> list[str]:
    """The lines `after` adds to `before`, asserting it adds one block and changes nothing else."""
    old, new = before.decode().splitlines(keepends=True), after.decode().splitlines(keepends=True)
    changes = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert len(changes) == 1 and changes[0][0] == "insert", changes
    _, _, _, first, last = changes[0]
    return new[first:last]


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    program = tmp_path / "program"
    shutil.copytree(EXAMPLE, program)
    return program


def test_add_appends_after_the_last_item_and_keeps_the_rest_byte_for_byte(example_copy: Path):
    before = (example_copy / "variants.yaml").read_bytes()
    result = run("add", "variant", example_copy, "--id", "OTC-NEW1", "--gene", "OTC", "--hgvs-c", "NM_000531.6:c.2T>C",
                 "--status", "proposed", "--notes", "yes: a note # with a hash", "--source", "test: ClinVar")
    assert result.exit_code == 0, result.output
    after = (example_copy / "variants.yaml").read_bytes()
    assert after[:len(before)] == before  # the example's last item ends the file: the entry follows it
    assert after[len(before):].decode() == ("  - id: OTC-NEW1\n    gene: OTC\n    hgvs_c: NM_000531.6:c.2T>C\n"
                                            "    status: proposed\n    notes: 'yes: a note # with a hash'\n"
                                            "    source: 'test: ClinVar'\n")
    variant = load_program(example_copy).program.variants_by_id["OTC-NEW1"]
    assert variant.notes == "yes: a note # with a hash" and variant.hgvs_c == "NM_000531.6:c.2T>C"
    assert [v.id for v in load_program(example_copy).program.variants][-1] == "OTC-NEW1"
    assert "added variant OTC-NEW1 at" in result.stdout


def test_add_each_kind_to_a_commented_program_keeps_every_comment(example_copy: Path):
    """Variant, patient and evidence added to the bundled example (comments, folded text, flow lists):
    each file only gains the entry's lines, and the program validates."""
    files = {name: (example_copy / name).read_bytes() for name in ("variants.yaml", "patients.yaml", "evidence.yaml")}
    commands = [
        ["variant", "--id", "OTC-T2C", "--gene", "OTC", "--hgvs-c", "NM_000531.6:c.2T>C", "--source", "test"],
        ["patient", "--id", "PT-900", "--disease", "OMIM:311250", "--allele", "OTC-T2C:de novo",
         "--zygosity", "hemizygous"],
        ["evidence", "--id", "EV-TEST", "--element", "1", "--kind", "genotype_confirmation",
         "--subject", "variant:OTC-T2C", "--result", "Sanger confirmed", "--source", "test"],
    ]
    for command in commands:
        result = run("add", command[0], example_copy, *command[1:])
        assert result.exit_code == 0, result.output
    for name, before in files.items():
        added = only_inserted(before, (example_copy / name).read_bytes())
        assert added[0].lstrip().startswith("- id: "), (name, added)
        assert not any(line.lstrip().startswith("#") for line in added)
    validated = run("validate", example_copy)
    assert validated.exit_code == 0, validated.output
    program = load_program(example_copy).program
    assert program.patients[-1].id == "PT-900" and program.patients[-1].genotype[0].origin == "de novo"
    assert program.evidence[-1].id == "EV-TEST"


def test_add_into_a_fresh_program_and_a_new_section_file(program: Path):
    (program / "evidence.yaml").unlink()
    assert run("add", "variant", program, "--id", "CPS1-Q335X", "--gene", "CPS1", "--hgvs-c",
               "NM_001875.5:c.1003C>T", "--source", "NEJM 2025").exit_code == 0
    text = (program / "variants.yaml").read_text()
    assert "# Patient variants, one entry each." in text and "variants:\n  - id: CPS1-Q335X\n" in text
    assert run("add", "patient", program, "--id", "PT-001", "--disease", "OMIM:237300", "--allele",
               "CPS1-Q335X:paternal").exit_code == 0
    (program / "report.pdf").write_bytes(b"%PDF test\n")
    result = run("add", "evidence", program, "--id", "EV-1", "--element", "2", "--kind", "in_vitro_editing",
                 "--subject", "variant:CPS1-Q335X", "--result", "editing shown", "--measure", "editing_percent=60.5",
                 "--document", "report.pdf", "--date", "2026-01-15", "--source", "test")
    assert result.exit_code == 0, result.output
    loaded = load_program(program).program
    item = loaded.evidence[0]
    assert item.measures == {"editing_percent": 60.5} and item.sha256 and str(item.date) == "2026-01-15"
    assert loaded.patients[0].genotype[0].origin == "paternal"
    assert (program / "evidence.yaml").read_text().startswith("evidence:\n  - id: EV-1\n")


@pytest.mark.parametrize(("args", "expected"), [
    (["--status", "aproved"], "--status: 'aproved' is not one of 'proposed', "),
    (["--gene", "CPS2"], "--gene: unknown gene 'CPS2'"),
    (["--id", "CPS1 Q335X"], ("--id: 'CPS1 Q335X' is not an id (letters, digits and . _ : -, starting with a letter "
                              "or digit, no spaces), e.g. CPS1-Q335X; did you mean 'CPS1_Q335X'?")),
])
def test_a_bad_entry_names_its_option_and_writes_nothing(program: Path, args: list[str], expected: str):
    base = {"--id": "CPS1-Q335X", "--gene": "CPS1", "--hgvs-c": "NM_001875.5:c.1003C>T", "--source": "x"}
    base.update(dict(zip(args[::2], args[1::2])))
    before = (program / "variants.yaml").read_bytes()
    result = run("add", "variant", program, *[part for pair in base.items() for part in pair])
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert (program / "variants.yaml").read_bytes() == before


def test_a_duplicate_id_is_refused(program: Path):
    args = ["add", "variant", program, "--id", "CPS1-Q335X", "--gene", "CPS1", "--hgvs-c", "NM_001875.5:c.1003C>T",
            "--source", "x"]
    assert run(*args).exit_code == 0
    before = (program / "variants.yaml").read_bytes()
    result = run(*args)
    assert result.exit_code == 2 and "--id: duplicate id 'CPS1-Q335X'" in result.stderr
    assert (program / "variants.yaml").read_bytes() == before


def test_dry_run_shows_the_diff_and_writes_nothing(program: Path):
    before = (program / "variants.yaml").read_bytes()
    result = run("add", "variant", program, "--id", "CPS1-Q335X", "--gene", "CPS1", "--hgvs-c",
                 "NM_001875.5:c.1003C>T", "--source", "x", "--dry-run")
    assert result.exit_code == 0 and "+  - id: CPS1-Q335X" in result.stdout and "dry run" in result.stdout
    assert (program / "variants.yaml").read_bytes() == before


def test_concurrent_adds_keep_every_entry(program: Path):
    commands = [[sys.executable, "-m", "basket", "add", "variant", str(program), "--id", f"CPS1-T{n}", "--gene",
                 "CPS1", "--hgvs-c", f"NM_001875.5:c.{1000 + n}A>G", "--source", "x"] for n in range(3)]
    running = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) for c in commands]
    assert [p.wait(timeout=120) for p in running] == [0, 0, 0]
    assert sorted(v.id for v in load_program(program).program.variants) == ["CPS1-T0", "CPS1-T1", "CPS1-T2"]


def test_the_options_follow_the_model():
    """One option per plain field of the item (nested parts are added by hand or by their own command)."""
    from basket.program.model import Evidence, Patient, Variant, field_types
    from basket.program.validation_messages import _model_in

    nested = {"genotype": "allele", "measures": "measure"}
    for model, name in ((Variant, "variant"), (Patient, "patient"), (Evidence, "evidence")):
        command = main.commands["add"].commands[name]
        options = {p.name.removesuffix("_") for p in command.params if isinstance(p, type(command.params[-1]))
                   and p.name not in ("dry_run",)} - {"program"}
        plain = {f for f, annotation in field_types(model).items() if _model_in(annotation) is None}
        expected = {nested.get(f, f) for f in plain} | {nested[f] for f in field_types(model) if f in nested}
        assert options == expected, (name, options ^ expected)


values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                 max_size=30).map(str.strip).filter(bool)
# words YAML 1.1 (the loader's) reads as another type, indicators, and a line break
tricky = st.sampled_from(["yes", "No", "on", "off", "~", "null", "017", "0x1F", "1_000", "12:30", "2026-01-15",
                          "+", "- a", "#x", "a: b", "a #b", "'q'", '"d"', "&x", "*x", "!t", "line one\nline two"])


@settings(max_examples=60, deadline=None)
@given(notes=st.one_of(values, tricky), source=st.one_of(values, tricky))
def test_any_text_is_written_so_that_it_reads_back_the_same(notes: str, source: str):
    text = (EXAMPLE / "variants.yaml").read_text()
    entry = {"id": "X-1", "gene": "CPS1", "hgvs_c": "c.1A>G", "notes": notes, "source": source}
    new_text, line = insert_item(text, "variants", entry, "variants.yaml")
    data = yaml.safe_load(new_text)
    assert data["variants"][-1] == entry
    assert data["variants"][:-1] == yaml.safe_load(text)["variants"]
    assert new_text.splitlines()[line - 1].lstrip().startswith("- id: X-1")


def test_an_entry_goes_where_the_section_ends_in_any_block_layout():
    """After the last item's last line (its inner comments included, a following comment or section not),
    with the file's line endings; a flow-style section is refused rather than rewritten."""
    text = "variants:\r\n- id: A\r\n  # inside A\r\n  gene: G\r\n# after the list\r\npatients: []\r\n"
    new_text, line = insert_item(text, "variants", {"id": "B"}, "v.yaml")
    assert new_text == ("variants:\r\n- id: A\r\n  # inside A\r\n  gene: G\r\n- id: B\r\n# after the list\r\n"
                        "patients: []\r\n") and line == 5
    with pytest.raises(InputError, match="not a block list"):
        insert_item("variants: [{id: A}]\n", "variants", {"id": "B"}, "v.yaml")
    assert insert_item("# only a comment\nvariants: []  # none yet\n", "variants", {"id": "B"}, "v.yaml")[0] == (
        "# only a comment\nvariants:  # none yet\n  - id: B\n")
