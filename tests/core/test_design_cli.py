"""`basket design` and `basket analyze` on the example program, with hand-checked exact figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import integrate, stats

from basket.cli import main
from tests.conftest import copy_program


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _predictive_cdf(count: int, patients: int, years: float, rate: float, shape: float, se: float) -> float:
    """P(total <= count): gamma-Poisson counts (shape per patient) mixed over the rate's gamma law, by quadrature."""
    a = (rate / se) ** 2
    size = patients * shape

    def integrand(lam):
        return stats.gamma.pdf(lam, a, scale=rate / a) * stats.nbinom.cdf(count, size, size / (size + lam * patients * years))

    return integrate.quad(integrand, 0, np.inf, epsabs=1e-13, limit=200)[0]


def test_design_uses_the_natural_history_rate(example: Path):
    result = run("design", str(example), "--patients", "5", "--follow-up", "1", "--simulations", "2000",
                 "--format", "json", "--no-files")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    control = next(c for c in data["controls"] if c["basket"] == "OMIM:237300")
    # Orphanet J Rare Dis 2016;11:116: mean 3.6 events, range 0-20, over 1.5 years; cohort n = 63
    assert control["shape_source"] == "range" and control["shape"] == pytest.approx(0.82, abs=0.01)
    m, k = 3.6, control["shape"]
    assert control["rate_se"] == pytest.approx(math.sqrt((m + m * m / k) / 63) / 1.5, rel=1e-9)
    row = next(r for r in data["rows"] if r["basket"] == "OMIM:237300")
    assert row["expected_events_h0"] == pytest.approx(12.0)
    # Holm across the three designable baskets: the first step is at alpha / 3
    c = row["critical_value_first"]
    assert _predictive_cdf(c, 5, 1.0, 2.4, k, control["rate_se"]) <= 0.025 / 3
    assert _predictive_cdf(c + 1, 5, 1.0, 2.4, k, control["rate_se"]) > 0.025 / 3
    # tested alone at alpha, the power is the gamma-Poisson tail at the hypothesised rate (rate ratio 0.3)
    c_alone = max(y for y in range(30) if _predictive_cdf(y, 5, 1.0, 2.4, k, control["rate_se"]) <= 0.025)
    assert row["exact_power_alone"] == pytest.approx(stats.nbinom.cdf(c_alone, 5 * k, 5 * k / (5 * k + 3.6)))
    assert "not designable: Argininemia" in result.stderr


def test_design_prints_the_control_and_its_robustness(example: Path):
    result = run("design", str(example), "--patients", "8", "--follow-up", "2", "--simulations", "1000")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "incompatible with Poisson counts (range test p = 2.3e-07)" in text
    assert "the cohort's n = 63 (NH-NEONATAL-UCD-2001-2013) is used" in text
    assert "tipping_factor" in text and "x0.5" in text
    assert "Poisson test, rate known" in text and "the design's test" in text


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
    # 0 events in 1 patient-year against 2.4 per year, gamma-Poisson counts with the range's shape and the
    # rate's uncertainty from the cohort (see test_design_uses_the_natural_history_rate)
    k = 0.8184647881347903
    se = math.sqrt((3.6 + 3.6 ** 2 / k) / 63) / 1.5
    assert basket["p_value"] == pytest.approx(_predictive_cdf(0, 1, 1.0, 2.4, k, se), rel=1e-6)
    assert basket["expected_events"] == pytest.approx(2.4)
    # the primary family is the three designable baskets, whatever the CSV holds (issue 18, bug 3)
    assert basket["p_adjusted"] == pytest.approx(min(1.0, 3 * basket["p_value"]))
    primary = data["multiplicity"][0]
    assert (primary["n_comparisons"], primary["method"], primary["alpha"]) == (3, "holm", 0.025)
    assert primary["without_data"] == ["OMIM:311250", "OMIM:215700"]
    text = run("analyze", str(example), str(outcomes)).stdout
    assert "Multiplicity:" in text and "3 comparisons, Holm step-down" in text
    assert "Robustness to the control" in text and "tipping_factor" in text
    assert "incompatible with Poisson counts" in text  # the control's derivation is in the notes


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
    assert "| Carbamoyl phosphate synthetase I deficiency | 2 | 1 | 2.4 events per patient-year | 4.80 | 1.44 | none / none |" \
        in section
    assert "#### Robustness to the control" in section and "Tipping factor" in section
    assert "Counts: gamma-Poisson, shape in use" in section
    assert "Supportive Bayesian analysis" in section and "data) ≥ 0.9" in section
    assert "tested with Holm adjustment at family-wise one-sided alpha 0.025" in section
    assert ("Interim looks: in each basket, a look is taken when 2, 4 patient(s) have been dosed" in section
            and "below 0.05 may stop enrolling for futility (non-binding" in section)


def test_bayesian_rule_comes_from_the_program(example: Path, minimal: Path):
    refused = run("design", str(minimal), "--rate-ratio", "0.5", "--bayes", "--no-files")
    assert refused.exit_code == 2 and "umbrella.sample_size.bayes" in refused.stderr
    result = run("design", str(example), "--bayes", "--patients", "5", "--follow-up", "2", "--simulations", "2000",
                 "--format", "json", "--no-files")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["rows"][0]
    # the rule at 0.9 has its type I error shown beside its power; calibrated to 0.025 family-wise
    assert 0 < row["bayes_type1"] < row["bayes_power"]
    assert 0.9 < row["bayes_calibrated_threshold"] < 1
    assert row["bayes_calibrated_chance_finding"] <= 0.025 + 4 * math.sqrt(0.025 * 0.975 / 2000)
    assert row["bayes_calibrated_power"] <= row["bayes_power"]


def _within_patient_program(example: Path, tmp_path: Path) -> Path:
    program = copy_program(example, tmp_path / "program")
    umbrella = program / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace(
        "    seed: 20261125\n",
        "    seed: 20261125\n    primary: within_patient\n    within_patient:\n      pre_dose_years: 0.5\n"))
    return program


def test_within_patient_can_be_the_primary_analysis(example: Path, tmp_path: Path):
    program = _within_patient_program(example, tmp_path)
    result = run("design", str(program), "--patients", "5", "--follow-up", "1", "--simulations", "2000",
                 "--format", "json", "--no-files")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["primary"] == "within_patient"
    row = data["within_patient"][0]
    assert float(row["type1"]) <= 0.025 and float(row["power"]) > 0
    # enrolling on recent events inflates the within-patient type I error (regression to the mean)
    assert float(row["type1_selected"]) > float(row["type1"])
    text = run("design", str(program), "--patients", "5", "--follow-up", "1", "--simulations", "1000",
               "--no-files").stdout
    assert "Within patient (the primary analysis)" in text and "Regression to the mean" in text
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES)
    analysis = json.loads(run("analyze", str(program), str(outcomes), "--format", "json").stdout)
    first = analysis["multiplicity"][0]
    assert first["family"] == "within-basket post vs own pre-dose events (primary)" and first["n_comparisons"] == 3
    render = run("render", str(program), "-o", str(tmp_path / "out"))
    assert render.exit_code == 0, render.output
    section = (tmp_path / "out" / "overview.md").read_text()
    assert "The primary comparison is within patient" in section and "#### 10.9.1 Within-patient comparison" in section


def test_within_patient_primary_needs_its_window(example: Path, tmp_path: Path):
    program = copy_program(example, tmp_path / "program")
    umbrella = program / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace("    seed: 20261125\n",
                                                     "    seed: 20261125\n    primary: within_patient\n"))
    result = run("validate", str(program))
    assert result.exit_code == 2 and "needs within_patient.pre_dose_years" in result.stderr


def test_analyze_biomarkers_over_time(example: Path, tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES)
    markers = tmp_path / "markers.csv"
    markers.write_text("patient,marker,day,value,unit\n"
                       "PT-001,ammonia,-20,60,umol/L\nPT-001,ammonia,-5,40,umol/L\n"
                       "PT-001,ammonia,10,20,umol/L\nPT-001,ammonia,20,30,umol/L\n"
                       "PT-001,glutamine,-5,900,umol/L\nPT-001,glutamine,60,700,umol/L\n")
    result = run("analyze", str(example), str(outcomes), "--biomarkers", str(markers), "--format", "json")
    assert result.exit_code == 0, result.output
    windows = {(w["marker"], w["window"]): w for w in json.loads(result.stdout)["biomarker_windows"]}
    ammonia = windows[("ammonia", "days 1-28")]
    assert ammonia["estimate"] == pytest.approx(math.sqrt(20 * 30) / math.sqrt(60 * 40))  # ratio of geometric means
    assert ammonia["lower"] < ammonia["estimate"] < ammonia["upper"]
    assert windows[("glutamine", "days 29-91")]["estimate"] == pytest.approx(700 / 900)
    markers.write_text("patient,marker,day,value\nPT-009,ammonia,-3,14\n")
    refused = run("analyze", str(example), str(outcomes), "--biomarkers", str(markers))
    assert refused.exit_code == 2 and f"{markers}:2: patient: patient 'PT-009' has no rows" in refused.stderr


def test_analyze_interim_look(example: Path, tmp_path: Path):
    """Issue 18, item 9: the predictive probability of success of each designable basket, with the program's
    prespecified rule (Holm across the three designable baskets) and the example's interim plan."""
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES)
    result = run("analyze", str(example), str(outcomes), "--interim", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    looks = {b["name"]: b for b in data["look"]["baskets"]}
    assert data["look"]["method"] == "holm" and len(looks) == 3
    cps1 = looks["OMIM:237300"]
    assert (cps1["dosed"], cps1["planned"], cps1["events"]) == (1, 8, 0)
    # a basket without data gets the prior predictive; one event-free patient-year raises the CPS1 basket's
    assert 0 < looks["OMIM:311250"]["predictive_success"] < cps1["predictive_success"] < 1
    assert cps1["predictive_success"] <= cps1["predictive_success_alone"]
    text = run("analyze", str(example), str(outcomes), "--interim").stdout
    assert "Interim look (non-binding)" in text and "conditional_power" in text and "futility" in text
    assert "before the first look" in text


def test_analyze_interim_needs_the_programs_plan(example: Path, tmp_path: Path):
    program = copy_program(example, tmp_path / "program")
    umbrella = program / "umbrella.yaml"
    text = umbrella.read_text()
    start, last = text.index("    # Interim looks"), text.index("Control Clin Trials 1986;7:8-17). Futility")
    umbrella.write_text(text[:start] + text[last:].split("\n", 1)[1])
    assert run("validate", str(program)).exit_code in (0, 1)
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(OUTCOMES)
    result = run("analyze", str(program), str(outcomes), "--interim")
    assert result.exit_code == 2 and "umbrella.sample_size.interim" in result.stderr


def test_interim_looks_come_before_the_final_analysis(example: Path, tmp_path: Path):
    program = copy_program(example, tmp_path / "program")
    umbrella = program / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace("after_patients: [2, 4]", "after_patients: [2, 8]"))
    result = run("validate", str(program))
    assert result.exit_code == 2 and "after_patients [8] is not before" in result.stderr
    umbrella.write_text(umbrella.read_text().replace("prior_shape: 1.0", "prior_shape: 0"))
    assert "prior_shape" in run("validate", str(program)).stderr
