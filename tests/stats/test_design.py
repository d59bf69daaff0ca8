"""Design table, CSV and power plot."""

import csv
import io

import pytest

from basket.stats import (
    BayesRule,
    ExNexPrior,
    Scenario,
    SimBasket,
    StatsInputError,
    design_table,
    design_table_csv,
    exact_design,
    family_oc,
    plot_power,
)

BASKETS = (
    SimBasket("CPS1", control_rate=3.0, rate_ratio=0.3),
    SimBasket("OTC", control_rate=2.0, rate_ratio=0.4, shape=2.0),
)
SCENARIOS = (Scenario(2, 1.0), Scenario(4, 1.0), Scenario(6, 1.0))


@pytest.fixture(scope="module")
def table():
    return design_table(BASKETS, SCENARIOS, alpha=0.025, n_sim=4_000, seed=11)


def test_rows_are_basket_by_scenario(table):
    assert [(r.basket, r.n_per_basket) for r in table.rows] == [
        (b.name, s.n_per_basket) for s in SCENARIOS for b in BASKETS]


def test_exact_columns_come_from_the_prespecified_analysis(table):
    for row in table.rows:
        j = next(i for i, b in enumerate(BASKETS) if b.name == row.basket)
        basket = BASKETS[j]
        scenario = Scenario(row.n_per_basket, row.followup_years)
        oc = family_oc(BASKETS, scenario, 0.025).baskets[j]
        assert (row.critical_value_first, row.critical_value_last) == (oc.critical_values[0], oc.critical_values[-1])
        assert (row.exact_power, row.exact_type1) == (oc.power, oc.type1)
        # tested alone at alpha the basket has the single-test design's power
        assert row.exact_power_alone == pytest.approx(exact_design(basket, scenario, 0.025).power)
        assert row.expected_events_h0 == pytest.approx(basket.control_rate * row.exposure_years)
        assert row.expected_events_h1 == pytest.approx(basket.rate_ratio * row.expected_events_h0)
        assert row.posterior_p_benefit_h1 is None and row.bayes_power is None


def test_csv_round_trip(table):
    text = design_table_csv(table)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(table.rows)
    assert rows[0]["basket"] == "CPS1" and rows[0]["posterior_p_benefit_h1"] == ""
    assert float(rows[-1]["exact_power"]) == pytest.approx(table.rows[-1].exact_power, rel=1e-5)
    assert design_table_csv(table) == text


def test_bayesian_columns_when_a_rule_is_given():
    rule = BayesRule(ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5), 0.9)
    t = design_table(BASKETS, SCENARIOS[1:2], n_sim=2_000, seed=5, bayes=rule)
    for row in t.rows:
        assert 0.5 < row.posterior_p_benefit_h1 <= 1.0
        assert 0.0 <= row.bayes_type1 < row.bayes_power <= 1.0


def test_plot_is_deterministic(table, tmp_path):
    png, svg = plot_power(table, tmp_path / "power")
    first = (png.read_bytes(), svg.read_bytes())
    png2, svg2 = plot_power(table, tmp_path / "again")
    assert (png2.read_bytes(), svg2.read_bytes()) == first
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "dc:date" not in text  # no timestamp in the metadata
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_rejects_unknown_column(table, tmp_path):
    with pytest.raises(StatsInputError) as err:
        plot_power(table, tmp_path / "x", column="bayes_power")
    assert err.value.field == "column"
    with pytest.raises(StatsInputError):
        plot_power(table, tmp_path / "x", column="nonsense")


def test_design_needs_scenarios():
    with pytest.raises(StatsInputError) as err:
        design_table(BASKETS, [])
    assert err.value.field == "scenarios"
