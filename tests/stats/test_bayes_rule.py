"""The Bayesian rule: its likelihood with an uncertain control, its calibration, its count table's accuracy.

Independent references: scipy's negative binomial and quadrature for the likelihood
that integrates the control rate out; the exact Poisson tail for the calibrated
single-basket rule (whose posterior probability falls with the count, so a
threshold is a count cut-off); the direct EXNEX fit for the tabulated posterior.
"""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from basket.stats import BayesRule, ExNexPrior, RateData, Scenario, SimBasket, fit_exnex, simulate_trials
from basket.stats.hierarchical import CountPosteriorTable, rate_loglik
from basket.stats.simulate import calibrated_threshold

PRIOR = ExNexPrior(0.0, 2.0, 1.0, 0.0, 2.0, 0.5)


def test_uncertain_poisson_likelihood_is_the_negative_binomial():
    theta = np.linspace(-3, 2, 11)
    a, mu0, y = 40.0, 9.6, 4
    got = rate_loglik(theta, y, mu0, None, a)
    # Poisson(mu0 r e^theta) with r ~ Gamma(a, 1/a): NB(a, a / (a + mu0 e^theta))
    want = stats.nbinom.logpmf(y, a, a / (a + mu0 * np.exp(theta)))
    assert np.ptp(got - want) < 1e-9  # equal up to a constant


def test_uncertain_negative_binomial_likelihood_matches_quadrature():
    theta = np.array([-1.5, -0.5, 0.3])
    a, mu0, s, y = 30.0, 9.6, 1.6, 3
    got = rate_loglik(theta, y, mu0, s, a)

    def likelihood(t):
        def integrand(r):
            mean = mu0 * r * math.exp(t)
            return stats.gamma.pdf(r, a, scale=1 / a) * stats.nbinom.pmf(y, s, s / (s + mean))
        return integrate.quad(integrand, 0, np.inf, epsabs=1e-14, limit=200)[0]

    want = np.log([likelihood(t) for t in theta])
    assert np.ptp(got - want) < 2e-4


def test_count_table_meets_its_documented_accuracy():
    """Within 3e-3 of the direct fit (default grid), including the count vectors that were 0.02 off."""
    logliks = [lambda th, y: rate_loglik(th, y, 9.6, None)] * 3
    table = CountPosteriorTable(logliks, [30, 30, 30], PRIOR)
    counts = np.array([[10, 9, 15], [0, 9, 15]])
    for row, probs in zip(counts, table.p_benefit(counts)):
        data = [RateData(f"B{j}", int(row[j]), 1.0, 9.6) for j in range(3)]
        direct = [b.p_benefit for b in fit_exnex(data, PRIOR).baskets]
        assert probs == pytest.approx(direct, abs=3e-3)


def test_calibrated_threshold_is_the_smallest_meeting_the_target():
    p = np.array([[0.1, 0.2], [0.95, 0.3], [0.5, 0.97], [0.99, 0.1]])
    # trial maxima 0.2, 0.95, 0.97, 0.99: at most 1 of 4 may declare for a target of 0.25
    assert calibrated_threshold(p, 0.25) == 0.99
    assert calibrated_threshold(p, 0.5) == 0.97
    assert calibrated_threshold(np.ones((4, 1)), 0.1) == math.inf


def test_calibrated_single_basket_rule_has_the_exact_size_of_its_count_cut_off():
    basket = SimBasket("B", 2.0, 0.3)
    sc = Scenario(4, 1.0)
    rule = BayesRule(PRIOR, 0.9, calibrate_to=0.05)
    sim = simulate_trials([basket], sc, n_sim=20_000, seed=5, bayes=rule)
    # the posterior falls with the count: the calibrated rule declares benefit for counts <= c, where c is the
    # largest count whose exact Poisson(8) tail is <= 0.05 (up to Monte Carlo error at the boundary)
    c = max(y for y in range(20) if stats.poisson.cdf(y, 8.0) <= 0.05)
    assert sim.bayes_calibrated_chance_finding <= 0.05 + 4 * math.sqrt(0.05 * 0.95 / 20_000)
    assert sim.bayes_calibrated_chance_finding == pytest.approx(stats.poisson.cdf(c, 8.0), abs=0.006)
    assert sim.bayes_calibrated_power[0] == pytest.approx(stats.poisson.cdf(c, 2.4), abs=0.015)
    # the uncalibrated rule at 0.9 has a larger type I error, reported beside its power
    assert sim.bayes_type1[0] > sim.bayes_calibrated_chance_finding
