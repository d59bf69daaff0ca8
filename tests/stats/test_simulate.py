"""Simulated operating characteristics: reproducibility and agreement with exact figures.

Tolerance: simulated proportions must lie within 4 binomial standard errors of
the exact probabilities (false-alarm rate about 6e-5 per comparison).
"""

import math

import pytest

from basket.stats import (
    BayesRule,
    ExNexPrior,
    GridSpec,
    Scenario,
    SimBasket,
    StatsInputError,
    conditional_design,
    family_oc,
    negbin_design,
    poisson_design,
    simulate_trials,
)

BASKETS = (
    SimBasket("A", control_rate=4.0, rate_ratio=0.4),
    SimBasket("B", control_rate=2.0, rate_ratio=0.4, shape=1.5),
    SimBasket("C", control_rate=1.5, rate_ratio=0.5, control_events=30, control_exposure=20.0),
)
SCENARIO = Scenario(n_per_basket=6, followup_years=1.0)
N_SIM = 40_000


def _within(sim: float, exact: float, n: int) -> bool:
    se = math.sqrt(max(exact * (1 - exact), 1e-4) / n)
    return abs(sim - exact) <= 4 * se


@pytest.fixture(scope="module")
def result():
    return simulate_trials(BASKETS, SCENARIO, alpha=0.025, n_sim=N_SIM, seed=7)


def test_same_seed_same_numbers(result):
    assert simulate_trials(BASKETS, SCENARIO, alpha=0.025, n_sim=N_SIM, seed=7) == result


def test_different_seed_different_numbers(result):
    assert simulate_trials(BASKETS, SCENARIO, alpha=0.025, n_sim=N_SIM, seed=8) != result


def test_simulation_agrees_with_the_exact_holm_figures(result):
    # C's observed control is redrawn in every simulated trial, so the exact figures are for A and B
    exact = family_oc(BASKETS[:2], SCENARIO, 0.025)
    alone = simulate_trials(BASKETS[:2], SCENARIO, alpha=0.025, n_sim=N_SIM, seed=7, method="bonferroni")
    a = poisson_design(4.0, SCENARIO.exposure, 0.4, 0.025 / 2)
    b = negbin_design(2.0, 6, 1.0, 1.5, 0.4, 0.025 / 2)
    assert _within(alone.type1[0], a.size, N_SIM) and _within(alone.power[0], a.power, N_SIM)
    # per-patient gamma frailties reproduce the NB(n k) total exactly in law
    assert _within(alone.type1[1], b.size, N_SIM) and _within(alone.power[1], b.power, N_SIM)
    holm = simulate_trials(BASKETS[:2], SCENARIO, alpha=0.025, n_sim=N_SIM, seed=7)
    for j, basket in enumerate(exact.baskets):
        assert _within(holm.power[j], basket.power, N_SIM) and _within(holm.type1[j], basket.type1, N_SIM)
    assert _within(holm.chance_finding, exact.family_wise_error, N_SIM)


def test_estimated_control_is_valid_unconditionally(result):
    # redrawing the control count: the conditional test keeps its size
    assert result.type1[2] <= 0.025 + 4 * math.sqrt(0.025 * 0.975 / N_SIM)
    cond = conditional_design(30, 20.0, SCENARIO.exposure, 0.5, control_rate=1.5)
    assert 0 < result.power[2] < 1 and cond.power > 0


def test_chance_finding_is_family_wise_error_of_the_procedure(result):
    assert result.chance_finding <= 0.025 + 4 * math.sqrt(0.025 * 0.975 / N_SIM)
    assert result.chance_finding >= max(result.type1)
    assert result.chance_finding_unadjusted >= result.chance_finding
    assert result.any_benefit_h1 >= max(result.power)


def test_chance_finding_under_mixed_alternative(result):
    assert result.chance_finding_h1 is None  # every basket has RR < 1 under H1
    mixed = (BASKETS[0], SimBasket("null", control_rate=3.0, rate_ratio=1.0))
    r = simulate_trials(mixed, SCENARIO, n_sim=N_SIM, seed=2, method="bonferroni")
    assert r.chance_finding_h1 == pytest.approx(r.power[1])  # the only null basket
    assert _within(r.chance_finding_h1, poisson_design(3.0, SCENARIO.exposure, 1.0, 0.025 / 2).size, N_SIM)


def test_bayes_rule_reported_and_reproducible():
    # a coarse grid: this test is about reproducibility and ordering, accuracy is tested in test_bayes_rule
    rule = BayesRule(ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5), min_probability=0.975, grid=GridSpec(801, 61, 24))
    r1 = simulate_trials(BASKETS, SCENARIO, n_sim=5_000, seed=3, bayes=rule)
    r2 = simulate_trials(BASKETS, SCENARIO, n_sim=5_000, seed=3, bayes=rule)
    assert r1 == r2
    assert all(p1 > t1 for p1, t1 in zip(r1.bayes_power, r1.bayes_type1))
    assert r1.bayes_chance_finding >= max(r1.bayes_type1)
    assert all(0.5 < p < 1 for p in r1.bayes_mean_p_benefit_h1)


def test_hundred_thousand_trials_in_seconds():
    import time

    start = time.perf_counter()
    simulate_trials(BASKETS, SCENARIO, n_sim=100_000, seed=1)
    assert time.perf_counter() - start < 20  # typically well under 1 s; generous for shared CI


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: SimBasket("", 1.0, 0.5), "name"),
        (lambda: SimBasket("a", 0.0, 0.5), "control_rate"),
        (lambda: SimBasket("a", 1.0, 0.5, control_events=3), "control_events"),
        (lambda: SimBasket("a", 1.0, 0.5, shape=1.0, control_events=3, control_exposure=2.0), "shape"),
        (lambda: Scenario(0, 1.0), "n_per_basket"),
        (lambda: Scenario(3, -1.0), "followup_years"),
        (lambda: simulate_trials([], SCENARIO), "baskets"),
        (lambda: simulate_trials([BASKETS[0], BASKETS[0]], SCENARIO), "baskets"),
        (lambda: simulate_trials(BASKETS, SCENARIO, n_sim=0), "n_sim"),
        (lambda: simulate_trials(BASKETS, SCENARIO, seed=-1), "seed"),
        (lambda: BayesRule(ExNexPrior.exchangeable(0, 1, 1), min_probability=1.0), "min_probability"),
    ],
)
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(StatsInputError) as err:
        call()
    assert err.value.field == field
