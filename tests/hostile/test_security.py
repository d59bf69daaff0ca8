"""Security: safe YAML only, sandboxed user templates, no document outside the program,
no personal data in patient records. Each refusal is exit 2 with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

PATIENTS = MINIMAL_FILES["patients.yaml"]


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system",
    "!!python/module:os",
])
def test_python_yaml_tags_are_refused_and_never_run(tmp_path: Path, tag: str):
    marker = tmp_path / "owned"
    with program_dir({"x.yaml": f"variants:\n  - {tag} [touch {marker}]\n"}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "x.yaml:2: variants[0]: unsupported YAML tag" in result.stderr
    assert not marker.exists()


def test_template_escaping_the_sandbox_is_refused(tmp_path: Path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overview.md.j2").write_text("# {{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    out = tmp_path / "out"
    with program_dir({}) as program:
        result = run("render", str(program), "-o", str(out), "--templates", str(templates))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"{templates / 'overview.md.j2'}:1:" in result.stderr
        assert "SecurityError" in result.stderr and "unsafe" in result.stderr
    assert not out.exists()


def test_template_escaping_the_sandbox_leaves_the_previous_output(tmp_path: Path):
    out = tmp_path / "out"
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "appendix.md.j2").write_text("{{ variant.__init__.__globals__ }}\n")
    with program_dir({}) as program:
        assert run("render", str(program), "-o", str(out)).exit_code == 0
        before = sorted((p.name, p.read_bytes()) for p in out.rglob("*") if p.is_file())
        result = run("render", str(program), "-o", str(out), "--templates", str(templates))
        assert result.exit_code == 2 and "unsafe" in result.stderr
        assert sorted((p.name, p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before


@pytest.mark.parametrize("document, message", [
    ("../secret.pdf", "must stay inside the program directory"),
    ("docs/../../secret.pdf", "must stay inside the program directory"),
    ("/etc/passwd", "must stay inside the program directory"),
    ("docs/a\x00b.pdf", "control characters"),
])
def test_document_paths_leaving_the_program_are_refused(document: str, message: str):
    text = PATIENTS + f"    document: {document!r}\n".replace("'", '"').replace("\\x00", "\\0")
    with program_dir({"patients.yaml": text}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "patients.yaml:14: evidence[0].document:" in result.stderr
        assert message in result.stderr


@pytest.mark.parametrize("link", ["file", "directory"])
def test_document_paths_escaping_through_a_symlink_are_refused(tmp_path: Path, link: str):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "report.pdf").write_bytes(b"%PDF-1.4 secret")
    with program_dir({"patients.yaml": PATIENTS + "    document: docs/report.pdf\n"}) as program:
        if link == "file":
            (program / "docs").mkdir()
            os.symlink(outside / "report.pdf", program / "docs" / "report.pdf")
        else:
            os.symlink(outside, program / "docs")
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2
        assert "evidence[0].document: document path leaves the program directory" in result.stderr


def test_a_document_inside_the_program_is_fine():
    with program_dir({"patients.yaml": PATIENTS + "    document: docs/report.pdf\n",
                      "docs/report.pdf": b"%PDF-1.4"}) as program:
        assert run("validate", str(program)).exit_code == 0


PERSONAL_FIELDS = [
    ("name", "Jane Doe"), ("Name", "Jane Doe"), ("first_name", "Jane"), ("firstName", "Jane"),
    ("patient_name", "Jane Doe"), ("surname", "Doe"), ("initials", "JD"), ("dob", "2024-08-01"),
    ("DOB", "2024-08-01"), ("date_of_birth", "2024-08-01"), ("DateOfBirth", "2024-08-01"),
    ("date-of-birth", "2024-08-01"), ("birth_date", "2024-08-01"), ("birthday", "08-01"), ("mrn", "12345678"),
    ("MRN", "12345678"), ("mrn_number", "12345678"), ("medical_record_number", "12345678"),
    ("hospital_number", "H123"), ("nhs_number", "943 476 5919"), ("email", "x@example.org"),
]


@pytest.mark.parametrize("field, value", PERSONAL_FIELDS, ids=[f for f, _ in PERSONAL_FIELDS])
def test_patient_records_with_personal_fields_are_refused(field: str, value: str):
    text = PATIENTS.replace("    disease: OMIM:237300", f"    {field}: {value!r}\n    disease: OMIM:237300", 1)
    with program_dir({"patients.yaml": text}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2, result.output
        assert "patients.yaml:2: patients[0]: patient records must be pseudonymous: remove " + field in result.stderr
        assert "personal data" in result.stderr


@pytest.mark.parametrize("notes", [
    "DOB 2024-08-01", "d.o.b. unknown", "born on 3/4/2024", "MRN 12345678", "medical record 555",
    "NHS number 943 476 5919", "admitted 2024-08-01",
])
def test_patient_notes_carrying_identifiers_are_refused(notes: str):
    text = PATIENTS.replace("    disease: OMIM:237300", f"    notes: {notes!r}\n    disease: OMIM:237300", 1)
    with program_dir({"patients.yaml": text}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "patients.yaml:3: patients[0].notes: patient records must be pseudonymous" \
            in result.stderr


@pytest.mark.parametrize("notes", ["Fictional example; compound heterozygous.", "dosed in 2025", "record pending"])
def test_ordinary_patient_notes_are_fine(notes: str):
    text = PATIENTS.replace("    disease: OMIM:237300", f"    notes: {notes!r}\n    disease: OMIM:237300", 1)
    with program_dir({"patients.yaml": text}) as program:
        assert run("validate", str(program)).exit_code == 0


def test_patient_ids_must_be_pseudonyms():
    with program_dir({"patients.yaml": PATIENTS.replace("id: PT-001", "id: Jane Doe")}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 2 and "patients[0].id:" in result.stderr
