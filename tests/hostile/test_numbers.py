"""Class 4 of issue 12 (numbers), with class 10's "numbers are printed as entered".

NaN, infinities, 1e308 and integers of hundreds of digits passed validation in every numeric field
and crashed render, docs and design. Each numeric field now has an allowed range, stated when a
value is refused; values at the edge of every range load and every command runs on them.
"""

from __future__ import annotations

import re

import pytest

from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

DISEASE = MINIMAL_FILES["disease.yaml"]
UMBRELLA = MINIMAL_FILES["umbrella.yaml"]
NATURAL_HISTORY = """    natural_history:
      - id: NH-1
        source: test fixture
        population: test population
        n: {n}
        measures:
          - name: event_rate
            definition: events per patient-year
            value: {value}
            unit: events per patient-year
            dispersion: {dispersion}
            interval: [{low}, {high}]
            source: test fixture
    endpoints:
      - {{name: Events, definition: events per patient-year, kind: primary, comparator: event_rate}}
"""
SAMPLE_SIZE = """  sample_size:
    rate_ratio: {rate_ratio}
    rationale: test fixture
    alpha: {alpha}
    patients_per_basket: [{patients}]
    follow_up_years: [{years}]
    simulations: {simulations}
    seed: {seed}
    bayes:
      prior: {{mu_mean: 10, mu_sd: 10, tau_scale: 10, nex_mean: -10, nex_sd: 10, p_exchangeable: 1}}
      rationale: test fixture
      min_probability: 0.999
  safety:
    follow_up_years: {follow_up}
    follow_up_source: test fixture
  dosing:
    steps:
      - {{label: level 1, dose: {dose}, unit: vg/kg}}
"""
GOOD = {"n": "12", "value": "2.4", "dispersion": "1.5", "low": "1", "high": "3", "rate_ratio": "0.3",
        "alpha": "0.025", "patients": "2", "years": "1", "simulations": "200", "seed": "7", "follow_up": "15",
        "dose": "0.5"}
EDGES = {"n": "100000000", "value": "1.0e+15", "dispersion": "1000000", "low": "-1.0e+15", "high": "1.0e+15",
         "rate_ratio": "0.999", "alpha": "0.499", "patients": "10000", "years": "100", "simulations": "100",
         "seed": "4294967295", "follow_up": "50", "dose": "1.0e+20"}
WINDOW_START = "      start: 210591821\n"
EVIDENCE_RESULT = "    result: 58.6-63.6% editing in HuH-7 cells\n"


def program_files(values: dict[str, str], window_start: str = "210591821",
                  evidence_measure: str = "58.6", element: str = "2") -> dict[str, str]:
    return {
        "disease.yaml": DISEASE.replace("    source: OMIM 237300\n",
                                        "    source: OMIM 237300\n" + NATURAL_HISTORY.format(**values)),
        "umbrella.yaml": UMBRELLA + SAMPLE_SIZE.format(**values),
        "variants.yaml": MINIMAL_FILES["variants.yaml"].replace(WINDOW_START, f"      start: {window_start}\n"),
        "patients.yaml": MINIMAL_FILES["patients.yaml"].replace(
            EVIDENCE_RESULT, EVIDENCE_RESULT + f"    measures: {{editing_percent: {evidence_measure}}}\n").replace(
            "    element: 2\n", f"    element: {element}\n"),
    }


RANGE = re.compile(r"must be a (whole|finite) number (from|above) \S+ (to|and below) \S+ \(got ")
HOSTILE_NUMBERS = [".nan", ".inf", "-.inf", "1.0e+308", "1.0e+400", "9" * 90, "-" + "9" * 90]
FIELDS = {  # key of GOOD: the field path in the message
    "n": "diseases[0].natural_history[0].n", "value": "diseases[0].natural_history[0].measures[0].value",
    "dispersion": "diseases[0].natural_history[0].measures[0].dispersion",
    "low": "diseases[0].natural_history[0].measures[0].interval[0]",
    "rate_ratio": "umbrella.sample_size.rate_ratio", "alpha": "umbrella.sample_size.alpha",
    "patients": "umbrella.sample_size.patients_per_basket[0]", "years": "umbrella.sample_size.follow_up_years[0]",
    "simulations": "umbrella.sample_size.simulations", "seed": "umbrella.sample_size.seed",
    "follow_up": "umbrella.safety.follow_up_years", "dose": "umbrella.dosing.steps[0].dose",
}


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_number_outside_its_field_range_is_refused_with_the_range(field: str, number: str):
    with program_dir(program_files({**GOOD, field: number})) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2, result.output
        assert RANGE.search(result.stderr) and f"{FIELDS[field]}: must be a " in result.stderr, result.stderr


REFUSED_ELSEWHERE = {  # field: numbers outside its range
    "variants[0].window.start": [".nan", "-.inf", "1.0e+400", "9" * 90, "0", "3000000001"],
    "evidence[0].measures.editing_percent": [".nan", "-.inf", "1.0e+400", "9" * 90, "1.0e+16"],
    "evidence[0].element": [".nan", "1.0e+400", "9" * 90, "0", "6"],
}


@pytest.mark.parametrize("field, number", [(f, n) for f, numbers in REFUSED_ELSEWHERE.items() for n in numbers])
def test_genomic_positions_evidence_measures_and_elements_have_ranges(field: str, number: str):
    files = {"variants[0].window.start": program_files(GOOD, window_start=number),
             "evidence[0].measures.editing_percent": program_files(GOOD, evidence_measure=number),
             "evidence[0].element": program_files(GOOD, element=number)}[field]
    with program_dir(files) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and f"{field}: must be a " in result.stderr, result.stderr
        assert RANGE.search(result.stderr), result.stderr


def test_an_interval_the_wrong_way_round_is_refused():
    with program_dir(program_files({**GOOD, "low": "5", "high": "1"})) as program:
        result = run("validate", str(program))
        assert result.exit_code == 2 and "the lower bound is above the upper" in result.stderr, result.stderr


def test_numbers_at_the_edge_of_every_range_run_through_every_command(tmp_path):
    with program_dir(program_files(EDGES, window_start="210591821")) as program:
        assert run("validate", str(program)).exit_code == 0
        design = run("design", str(program), "--bayes")
        assert_clean(design, program, codes=(1,))
        assert "expect" in design.stderr and "more than the 5,000 the design computes" in design.stderr
        rendered = run("render", str(program), "-o", str(tmp_path / "out"), "--format", "md,html,docx")
        assert rendered.exit_code == 0, rendered.output
        site = run("docs", str(program), "-o", str(tmp_path / "site"), "--no-pictures")
        assert site.exit_code == 0, site.output
        overview = (tmp_path / "out" / "overview.md").read_text(encoding="utf-8")
        assert "1000000000000000 events per patient-year" in overview
        assert "100000000000000000000 vg/kg" in overview
        assert "e+" not in overview


def test_numbers_are_printed_as_entered(tmp_path):
    values = {**GOOD, "value": "1234567", "low": "0.0000001", "high": "1234567.5", "dose": "30000000000000"}
    with program_dir(program_files(values, evidence_measure="0.00025")) as program:
        result = run("render", str(program), "-o", str(tmp_path / "out"))
        assert result.exit_code == 0, result.output
        overview = (tmp_path / "out" / "overview.md").read_text(encoding="utf-8")
        appendix = (tmp_path / "out" / "appendices" / "CPS1-Q335X.md").read_text(encoding="utf-8")
        assert "1234567 events per patient-year" in overview and "1.23457e+06" not in overview
        assert "30000000000000 vg/kg" in overview and "3e+13" not in overview
        assert "editing percent: 0.00025" in appendix
        old = tmp_path / "old"
        import shutil

        shutil.copytree(program, old)
        (old / "patients.yaml").write_text((old / "patients.yaml").read_text().replace("editing_percent: 0.00025", "editing_percent: 7654321"))
        diff = run("diff", str(old), str(program))
        assert diff.exit_code == 0, diff.output
        assert "editing_percent: 7654321 → 0.00025" in diff.output and "7654321.0" not in diff.output
