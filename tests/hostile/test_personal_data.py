"""Class 11 of issue 12: dates of birth and record numbers written into free text.

The loader refused `date_of_birth`-like fields, but a birth date or a medical-record number written
into any free-text field (notes, statements, results, natural-history definitions, evidence measure
names, editor notes), in any spelling or Unicode form, loaded and was printed in the appendices.
Legitimate scientific text (publication dates, "day 1", doses, accessions) still loads.
"""

from __future__ import annotations

import itertools
import json

import pytest

from tests.conftest import EXAMPLE, MINIMAL, ROOT
from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

PERSONAL = [
    "DOB 2024-03-01", "D.O.B.: 01/03/2024", "d-o-b 1 Mar 2024", "Date of birth: 3rd of March 2024",
    "DateOfBirth=20240301", "birth date 2024.03.01", "Birthday March 3, 2024", "born on 03/03/2024",
    "Born 3 March 2024", "born March 2024", "Geburtsdatum 01.03.2024", "née le 3 mars 2024",
    "fecha de nacimiento 03-03-2024", "\uff24\uff2f\uff22 \uff12\uff10\uff12\uff14-\uff10\uff13-\uff10\uff11",
    "D\u200bO\u200bB 2024-03-01", "d\u043eb 2024-03-01", "DOB \u0662\u0660\u0662\u0664",
    "MRN 12345678", "MRN#1234-5678", "M.R.N. 00123456", "medical record no. 12345678",
    "Medical Record Number: A1234567", "hospital number 998877", "Hosp. No. 9988776", "NHS no 943 476 5919",
    "chart number 12345-6", "SSN 123-45-6789", "contact 123-45-6789", "\uff2d\uff32\uff2e 12345678",
]
SCIENTIFIC = [
    "NEJM 2025;392:2235-43, doi:10.1056/NEJMoa2504747, Table S3", "dosed on day 1 and day 8",
    "0.5 mg/kg on day 1", "born at 38 weeks of gestation", "NM_001875.5:c.1003C>T (RCV000011761.5)",
    "NCT07667387; PMID 12345678", "published 2024-03-01, accessed 2025-01-15",
    "medical records 2001-2013 were reviewed", "medical records of 1234 patients", "the MRN complex (MRE11) 3",
    "inborn errors of metabolism 2016;11:116", "born in 2019 cohort", "ClinVar record RCV000011761",
]
# free-text fields: (file, where to insert, how, field path in the message)
FIELDS = {
    "variant notes": ("variants.yaml", "    source: NEJM 2025;392:2235-43\n  - id",
                      "    notes: {text}\n    source: NEJM 2025;392:2235-43\n  - id", "variants[0].notes"),
    "evidence result": ("patients.yaml", "    result: 58.6-63.6% editing in HuH-7 cells\n",
                        "    result: {text}\n", "evidence[0].result"),
    "inclusion criterion": ("umbrella.yaml", '  protocol_version: "1.0"\n',
                            '  protocol_version: "1.0"\n  population:\n    inclusion:\n      - text: {text}\n',
                            "umbrella.population.inclusion[0].text"),
    "evidence measure name": ("patients.yaml", "    result: 58.6-63.6% editing in HuH-7 cells\n",
                              "    result: 58.6-63.6% editing in HuH-7 cells\n    measures: {{{text}: 1}}\n",
                              "evidence[0].measures"),
    "editor notes": ("platform.yaml", "    spacer_length: 20\n", "    spacer_length: 20\n    notes: {text}\n",
                     "editors[0].notes"),
}


def with_text(field: str, text: str) -> dict[str, str]:
    file, old, new, _ = FIELDS[field]
    assert old in MINIMAL_FILES[file]
    return {file: MINIMAL_FILES[file].replace(old, new.format(text=json.dumps(text)), 1)}  # a YAML "string"


@pytest.mark.parametrize("text, field", list(zip(PERSONAL, itertools.cycle(sorted(FIELDS)))))  # every field, every form
def test_personal_data_in_free_text_is_refused(field: str, text: str):
    with program_dir(with_text(field, text)) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2, f"{text} in {field} was accepted"
        assert f"{FIELDS[field][3]}" in result.stderr and "pseudonymous" in result.stderr, result.stderr


@pytest.mark.parametrize("text, field", list(zip(SCIENTIFIC, itertools.cycle(["variant notes", "evidence result",
                                                                        "inclusion criterion"]))))
def test_scientific_text_is_not_personal_data(field: str, text: str):
    with program_dir(with_text(field, text)) as program:
        result = run("validate", str(program))
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("program", [EXAMPLE, MINIMAL, ROOT / "tests" / "readiness" / "programs" / "ready",
                                     ROOT / "tests" / "render" / "fixtures" / "mini"])
def test_the_example_and_the_fixtures_still_validate(program):
    result = run("validate", str(program))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("key", ["\uff24\uff2f\uff22", "Date-Of-Birth", "MRN_no", "patientName", "d.o.b"])
def test_personal_field_names_in_any_spelling_are_refused(key: str):
    text = MINIMAL_FILES["patients.yaml"].replace("    disease: OMIM:237300", f"    {json.dumps(key)}: x\n    disease: OMIM:237300", 1)
    with program_dir({"patients.yaml": text}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "patient records must be pseudonymous" in result.stderr, result.stderr


@pytest.mark.parametrize("notes", ["admitted \uff12\uff10\uff12\uff14-\uff10\uff18-\uff10\uff11", "seen 3 March 2024",
                                   "diagnosed March 2024", "M.R.N. pending"])
def test_patient_notes_refuse_any_precise_date_in_any_form(notes: str):
    text = MINIMAL_FILES["patients.yaml"].replace("    disease: OMIM:237300", f"    notes: {json.dumps(notes)}\n"
                                                  "    disease: OMIM:237300", 1)
    with program_dir({"patients.yaml": text}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 2 and "patients[0].notes: patient records must be pseudonymous" in result.stderr
