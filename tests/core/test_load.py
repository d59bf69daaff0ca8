from __future__ import annotations

from pathlib import Path

import pytest

from basket.foundation.problems import InputError
from basket.program.load import load_program


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_program(directory)
    return [str(p) for p in caught.value.problems]


def test_example_program_loads(example: Path):
    loaded = load_program(example)
    program = loaded.program
    assert {d.id for d in program.diseases} >= {"OMIM:237300", "OMIM:311250"}
    assert "CPS1-Q335X" in program.variants_by_id
    assert len(program.patients) >= 3
    files = {p.relative_to(example).as_posix() for p in example.rglob("*.yaml")}
    assert set(loaded.inputs) == {f for f in files if not f.startswith("versions/")}  # recorded versions: not loaded


def test_sections_may_be_split_and_merged_across_files(minimal: Path):
    extra = minimal / "more" / "extra-variant.yml"
    extra.parent.mkdir()
    extra.write_text("variants:\n  - id: CPS1-EXTRA\n    gene: CPS1\n    hgvs_c: c.1010A>G\n    source: test\n")
    program = load_program(minimal).program
    assert [v.id for v in program.variants] == ["CPS1-EXTRA", "CPS1-Q335X", "CPS1-E714X"]


def test_single_section_defined_twice(minimal: Path):
    (minimal / "second.yaml").write_text((minimal / "umbrella.yaml").read_text())
    expected = tuple(f"{minimal.as_posix()}/{name}:3: umbrella: defined more than once"
                     for name in ("umbrella.yaml", "second.yaml"))
    assert any(p.startswith(expected) for p in problems_of(minimal))


def test_all_problems_are_reported_at_once(minimal: Path):
    text = (minimal / "variants.yaml").read_text()
    text = text.replace("    gene: CPS1\n", "    gene: CPS1\n    colour: red\n", 1)
    text = text.replace("hgvs_c: NM_001875.5:c.2140G>T", "hgvs_c: NM_001875.5:c.2140G>T\n    status: approved")
    (minimal / "variants.yaml").write_text(text)
    found = problems_of(minimal)
    assert len(found) == 2
    assert any("variants[0].colour: unknown field" in p for p in found)
    assert any("variants[1].status" in p and "'approved'" in p for p in found)


def test_missing_directory_and_empty_directory(tmp_path: Path):
    assert "not a program directory" in problems_of(tmp_path / "nope")[0]
    assert "no .yaml or .yml files" in problems_of(tmp_path)[0]


def test_top_level_must_be_a_mapping(minimal: Path):
    (minimal / "list.yaml").write_text("- just\n- a list\n")
    assert problems_of(minimal) == [(f"{minimal.as_posix()}/list.yaml:1: a program file must be a mapping "
                                     "of sections such as `variants:`")]


def test_alias_bomb_is_refused(minimal: Path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, "
                     f"*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, "
                     f"*{chr(96 + i)}, *{chr(96 + i)}]")
    (minimal / "bomb.yaml").write_text("\n".join(lines) + "\n")
    assert any("alias bomb" in p for p in problems_of(minimal))


def test_patient_id_must_look_pseudonymous(minimal: Path):
    path = minimal / "patients.yaml"
    path.write_text(path.read_text().replace("id: PT-001", "id: Jane Doe"))
    assert any("patients[0].id" in p for p in problems_of(minimal))


def test_evidence_subject_must_exist(minimal: Path):
    path = minimal / "patients.yaml"
    path.write_text(path.read_text().replace("subject: variant:CPS1-Q335X", "subject: variant:NOPE"))
    assert any("evidence[0].subject: unknown variant 'NOPE'" in p for p in problems_of(minimal))


NATURAL_HISTORY = """    natural_history:
      - id: NH-1
        source: test cohort
        population: test
        measures:
          - {name: event_rate, definition: events, value: 2.4, unit: per patient-year, source: test}
    endpoints:
      - {name: events, definition: events, comparator: %s}
"""


def test_endpoint_comparator_must_name_a_measure(minimal: Path):
    path = minimal / "disease.yaml"
    original = path.read_text()
    path.write_text(original.replace("    source: OMIM 237300\n", "    source: OMIM 237300\n" + NATURAL_HISTORY % "event_rate"))
    load_program(minimal)
    path.write_text(original.replace("    source: OMIM 237300\n", "    source: OMIM 237300\n" + NATURAL_HISTORY % "death_rate"))
    assert any("diseases[0].endpoints[0].comparator: no natural-history measure named 'death_rate'" in p
               for p in problems_of(minimal))


def test_booleans_and_strings_are_not_numbers(minimal: Path):
    path = minimal / "variants.yaml"
    original = path.read_text()
    path.write_text(original.replace("      start: 210591821", "      start: true"))
    assert any("variants[0].window.start: expected a whole number (e.g. 3), got true" in p for p in problems_of(minimal))
    path.write_text(original.replace("      start: 210591821", '      start: "210591821"'))
    assert any("variants[0].window.start" in p for p in problems_of(minimal))
