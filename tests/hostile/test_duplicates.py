"""Class 5 of issue 12: duplicates validation missed.

A disease listed twice in the umbrella, two platform components with one id, two natural-history
measures with one name, ids that differ only in case: each is refused at the second occurrence,
naming where the first one is. Keys are compared case-folded and Unicode-normalized, as a reader
or a case-insensitive file system (appendices are files named by variant id) would.
"""

from __future__ import annotations

import pytest

from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

UMBRELLA = MINIMAL_FILES["umbrella.yaml"]
DISEASE = MINIMAL_FILES["disease.yaml"]
PLATFORM = MINIMAL_FILES["platform.yaml"]
VARIANTS = MINIMAL_FILES["variants.yaml"]
PATIENTS = MINIMAL_FILES["patients.yaml"]
SECOND_DISEASE = """  - id: omim:237300
    name: CPS1 deficiency again
    genes: [CPS1]
    inheritance: autosomal recessive
    source: OMIM 237300
"""
NATURAL_HISTORY = """    natural_history:
      - id: NH-1
        source: s
        population: p
        measures:
          - {name: event_rate, definition: d, value: 2.4, source: s}
          - {name: %s, definition: d, value: 3, source: s}
"""
SECOND_HISTORY = """      - id: NH-2
        source: s
        population: p
        measures:
          - {name: %s, definition: d, value: 3, source: s}
"""
SCHEDULE = """  schedule:
    - {name: Day 1, timing: dosing, assessments: [ammonia, %s]}
    - {name: %s, timing: week 1, assessments: [ammonia]}
"""
def with_disease_lines(text: str) -> str:
    """The minimal disease file with `text` after the disease's last line (before `genes:`)."""
    assert DISEASE.count("    source: OMIM 237300\n") == 1
    return DISEASE.replace("    source: OMIM 237300\n", "    source: OMIM 237300\n" + text)


CASES = {
    # name: (files, field path of the second occurrence, what is repeated)
    "disease twice in the umbrella": (
        {"umbrella.yaml": UMBRELLA.replace("diseases: [OMIM:237300]", "diseases: [OMIM:237300, OMIM:237300]")},
        "umbrella.diseases[1]", "duplicate disease 'OMIM:237300'"),
    "disease twice in the umbrella, case": (
        {"umbrella.yaml": UMBRELLA.replace("diseases: [OMIM:237300]", "diseases: [OMIM:237300, omim:237300]")},
        "umbrella.diseases[1]", "duplicate disease 'omim:237300' ('OMIM:237300' differs only in case"),
    "component id twice": (
        {"platform.yaml": PLATFORM.replace("{id: lnp, name: LNP", "{id: mrna, name: LNP")},
        "platform.components[1].id", "duplicate component id 'mrna'"),
    "component id twice, case": (
        {"platform.yaml": PLATFORM.replace("{id: lnp, name: LNP", "{id: MRNA, name: LNP")},
        "platform.components[1].id", "duplicate component id 'MRNA'"),
    "measure name twice in one entry": (
        {"disease.yaml": with_disease_lines(NATURAL_HISTORY % "event_rate")},
        "diseases[0].natural_history[0].measures[1].name", "duplicate natural-history measure name 'event_rate'"),
    "measure name in two entries, case": (
        {"disease.yaml": with_disease_lines(NATURAL_HISTORY % "other" + SECOND_HISTORY % "Event_Rate")},
        "diseases[0].natural_history[1].measures[0].name", "duplicate natural-history measure name 'Event_Rate'"),
    "disease CURIE differing in case": (
        {"disease.yaml": with_disease_lines(SECOND_DISEASE)},
        "diseases[1].id", "duplicate id 'omim:237300'"),
    "variant id differing in case": (
        {"variants.yaml": VARIANTS.replace("  - id: CPS1-E714X", "  - id: cps1-q335x")},
        "variants[1].id", "duplicate id 'cps1-q335x'"),
    "variant id differing in Unicode form": (
        {"variants.yaml": VARIANTS.replace("  - id: CPS1-E714X", "  - id: \uff23PS1-Q335X")},
        None, None),  # a fullwidth letter is not an id character: refused by the id pattern
    "xref twice": (
        {"disease.yaml": DISEASE.replace("    genes: [CPS1]", "    xrefs: [MONDO:0009376, mondo:0009376]\n"
                                          "    genes: [CPS1]")},
        "diseases[0].xrefs[1]", "duplicate cross-reference"),
    "gene twice in a disease": (
        {"disease.yaml": DISEASE.replace("    genes: [CPS1]", "    genes: [CPS1, CPS1]")},
        "diseases[0].genes[1]", "duplicate gene 'CPS1'"),
    "visit and assessment twice": (
        {"umbrella.yaml": UMBRELLA + SCHEDULE % ("Ammonia", "day  1")},
        "umbrella.schedule[0].assessments[1]", "duplicate assessment 'Ammonia'"),
    "patient id differing in case": (
        {"patients.yaml": PATIENTS.replace("patients:\n", "patients:\n  - id: pt-001\n    disease: OMIM:237300\n"
                                           "    genotype: [{variant: CPS1-Q335X}]\n")},
        "patients[0].id", None),  # pseudonyms are capitals: refused by their pattern
    "editor PAM twice": (
        {"platform.yaml": PLATFORM.replace("pams: [NGC]", "pams: [NGC, ngc]")},
        "editors[0].pams[1]", "duplicate PAM"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_duplicate_is_refused_where_it_repeats(case: str):
    files, field, message = CASES[case]
    with program_dir(files) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2, result.output
        if field is not None:
            assert f": {field}:" in result.stderr, result.stderr
        if message is not None:
            assert message in result.stderr and ": also at line " in result.stderr, result.stderr


def test_visits_differing_in_spacing_and_case_are_one_visit():
    with program_dir({"umbrella.yaml": UMBRELLA + SCHEDULE % ("urea", "DAY  1")}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 2 and "umbrella.schedule[1].name: duplicate visit 'DAY  1'" in result.stderr, \
            result.stderr


def test_a_reference_differing_only_in_case_is_named():
    text = PATIENTS.replace("    disease: OMIM:237300", "    disease: omim:237300")
    with program_dir({"patients.yaml": text}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 2
        assert "unknown disease 'omim:237300'; did you mean 'OMIM:237300'? (ids are case-sensitive)" in result.stderr


def test_the_example_program_has_no_duplicates():
    from tests.conftest import EXAMPLE

    assert run("validate", str(EXAMPLE)).exit_code == 0
