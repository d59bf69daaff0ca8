"""`basket design` and `basket analyze` on the example program, with hand-checked exact figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main
from tests.conftest import copy_program


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_design_uses_the_natural_history_rate(example: Path):
    result = run("design", str(example), "--patients", "2,3", "--follow-up", "1", "--simulations", "2000",
                 "--format", "json", "--no-files")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    cps1 = [r for r in rows if r["basket"] == "OMIM:237300"]
    # 2.4 events per patient-year (Orphanet J Rare Dis 2016;11:116), rate ratio 0.3 from umbrella.sample_size
    two, three = cps1
    # Holm across the three designable baskets: 0 events is significant at alpha / 3 (exp(-4.8) = 0.0082)
    assert two["expected_events_h0"] == pytest.approx(4.8) and two["critical_value_first"] == 0
    assert two["exact_type1"] == pytest.approx(math.exp(-4.8))
    assert two["exact_power"] == pytest.approx(math.exp(-1.44))
    # at or below 1 event: P(Poisson(7.2) <= 1) = 8.2 exp(-7.2) = 0.0061 <= alpha / 3 at every step
    assert (three["critical_value_first"], three["critical_value_last"]) == (1, 1)
    assert three["exact_type1"] == pytest.approx(math.exp(-7.2) * 8.2)
    assert three["exact_family_wise_error"] == pytest.approx(1 - (1 - math.exp(-7.2) * 8.2) ** 3)
    assert "not designable: Argininemia" in result.stderr


def test_design_is_reproducible_and_writes_plot(example: Path, tmp_path: Path):
    first = run("design", str(example), "--simulations", "1000", "-o", str(tmp_path / "a"))
    second = run("design", str(example), "--simulations", "1000", "-o", str(tmp_path / "b"))
    assert first.exit_code == 0 and first.stdout == second.stdout
    for name in ("design.csv", "power.png", "power.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_design_without_effect_size_is_bad_input(minimal: Path):
    result = run("design", str(minimal))
    assert result.exit_code == 2 and "--rate-ratio" in result.stderr


def test_design_with_no_designable_basket_exits_1(minimal: Path):
    result = run("design", str(minimal), "--rate-ratio", "0.5")
    assert result.exit_code == 1
    assert "no primary endpoint names a natural-history comparator" in result.stderr


def test_design_rejects_bad_numbers(example: Path):
    assert run("design", str(example), "--patients", "two").exit_code == 2
    assert run("design", str(example), "--patients", "0").exit_code == 2
    assert run("design", str(example), "--rate-ratio", "1.5").exit_code == 2


OUTCOMES = """patient,variant,period,events,exposure_years,dose_mg_per_kg
PT-001,CPS1-Q335X,pre,2,0.5,
PT-001,CPS1-Q335X,post,0,1.0,0.3
"""


def test_analyze_against_natural_history(example: Path, tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES)
    result = run("analyze", str(example), str(outcomes), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    basket = next(c for c in data["comparisons"] if c["level"] == "basket")
    # 0 events in 1 patient-year against 2.4 expected: exact Poisson p = exp(-2.4)
    assert basket["p_value"] == pytest.approx(math.exp(-2.4))
    assert basket["expected_events"] == pytest.approx(2.4)
    # the primary family is the three designable baskets, whatever the CSV holds (issue 18, bug 3)
    assert basket["p_adjusted"] == pytest.approx(3 * math.exp(-2.4))
    primary = data["multiplicity"][0]
    assert (primary["n_comparisons"], primary["method"], primary["alpha"]) == (3, "holm", 0.025)
    assert primary["without_data"] == ["OMIM:311250", "OMIM:215700"]
    text = run("analyze", str(example), str(outcomes)).stdout
    assert "Multiplicity:" in text and "3 comparisons, Holm step-down" in text


def test_analyze_uses_the_programs_alpha(example: Path, tmp_path: Path):
    """Issue 18, bug 2: the family-wise alpha is umbrella.sample_size.alpha, as in design."""
    program = copy_program(example, tmp_path / "program")
    umbrella = program / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace("    alpha: 0.025\n", "    alpha: 0.05\n"))
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES)
    data = json.loads(run("analyze", str(program), str(outcomes), "--format", "json").stdout)
    assert data["multiplicity"][0]["alpha"] == 0.05
    assert "family-wise one-sided alpha 0.05" in run("analyze", str(program), str(outcomes)).stdout


def test_analyze_reports_unknown_patients_with_line(example: Path, tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES.replace("PT-001,CPS1-Q335X,post", "PT-009,CPS1-Q335X,post")
                        + "PT-002,OTC-R999X,post,0,1,\n")
    result = run("analyze", str(example), str(outcomes))
    assert result.exit_code == 2
    assert f"{outcomes}:3: patient: unknown patient 'PT-009'" in result.stderr
    assert f"{outcomes}:4: variant: unknown variant 'OTC-R999X'" in result.stderr


def test_analyze_reports_format_errors_with_line(example: Path, tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES.replace("post,0,1.0", "post,-1,1.0"))
    result = run("analyze", str(example), str(outcomes))
    assert result.exit_code == 2 and f"{outcomes}:3: events:" in result.stderr


def test_master_protocol_states_the_sample_size(example: Path, tmp_path: Path):
    result = run("render", str(example), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    text = (tmp_path / "out" / "overview.md").read_text()
    section = text[text.index("### 10.9"):]
    assert "| Carbamoyl phosphate synthetase I deficiency | 2 | 1 | 2.4 events per patient-year | 4.80 | 1.44 | 0 / 0 |" \
        in section
    assert "tested with Holm adjustment at family-wise one-sided alpha 0.025" in section
