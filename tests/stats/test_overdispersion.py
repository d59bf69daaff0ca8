"""Over-dispersion and rate uncertainty from what a natural-history source reports.

Independent checks: Monte Carlo of the reported statistics (the largest and
smallest of n counts, the cohort's rate estimate) with numpy's generators, and
scipy's distributions directly.  The example is Unsinn et al., Orphanet J Rare
Dis 2016;11:116: mean 3.6 events, range 0-20, over the first 1.5 years, 63
patients in the cohort.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from basket.stats import StatsInputError
from basket.stats.overdispersion import (
    _LR_95,
    _SHAPES,
    _log_likelihood_of_range,
    _nb_cdf,
    range_evidence,
    range_p_value,
    se_from_cohort,
    se_from_interval,
)

RNG = np.random.default_rng(2016)


def test_example_range_is_incompatible_with_poisson():
    evidence = range_evidence(3.6, 0, 20, 63)
    # 63 Poisson(3.6) counts reach 20 with probability 1 - F(19)^63
    p_high = 1 - stats.poisson.cdf(19, 3.6) ** 63
    assert p_high < 2e-7
    assert evidence.p_poisson == pytest.approx(2 * p_high, rel=1e-9)
    assert not evidence.poisson_compatible
    assert evidence.shape == pytest.approx(0.82, abs=0.01)
    assert evidence.shape_low < evidence.shape < evidence.shape_high


def test_range_test_matches_simulation():
    n, mean, high = 10, 3.0, 9
    counts = RNG.poisson(mean, size=(200_000, n))
    simulated = (counts.max(axis=1) >= high).mean()
    assert 1 - stats.poisson.cdf(high - 1, mean) ** n == pytest.approx(simulated, abs=4e-3)
    assert range_p_value(mean, 1, high, n) <= 2 * simulated + 0.01


def test_range_likelihood_matches_simulation():
    """P(min = lo and max = hi) of n gamma-Poisson counts, by inclusion-exclusion, against draws."""
    n, mean, low, high, shape = 8, 3.6, 0, 12, 0.8
    draws = RNG.negative_binomial(shape, shape / (shape + mean), size=(200_000, n))
    simulated = ((draws.min(axis=1) == low) & (draws.max(axis=1) == high)).mean()
    grid = np.geomspace(1e-3, 1e3, 2001)
    loglik = _log_likelihood_of_range(mean, low, high, n)
    at = math.exp(np.interp(math.log(shape), np.log(grid), loglik))
    assert at == pytest.approx(simulated, abs=1.5e-3)


def test_compatible_range_keeps_poisson():
    evidence = range_evidence(3.6, 0, 9, 63)
    assert evidence.poisson_compatible and evidence.shape is None


def test_standard_error_from_a_cohort_matches_simulation():
    rate, years, n, shape = 2.4, 1.5, 40, 0.8
    m = rate * years
    counts = RNG.negative_binomial(shape, shape / (shape + m), size=(50_000, n))
    estimates = counts.mean(axis=1) / years
    assert se_from_cohort(rate, years, n, shape) == pytest.approx(estimates.std(), rel=0.02)
    poisson = RNG.poisson(m, size=(50_000, n)).mean(axis=1) / years
    assert se_from_cohort(rate, years, n, None) == pytest.approx(poisson.std(), rel=0.02)


def test_standard_error_from_an_interval_recovers_a_gamma_law():
    a, rate = 80.0, 2.0
    low, high = stats.gamma.ppf([0.025, 0.975], a, scale=rate / a)
    # the gamma law's coefficient of variation is 1 / sqrt(a); the log-scale reading is within 2%
    assert se_from_interval(rate, low, high, 0.95) == pytest.approx(rate / math.sqrt(a), rel=0.02)


@pytest.mark.parametrize("call, field", [
    (lambda: range_evidence(3.6, 5, 20, 63), "low"),
    (lambda: range_evidence(3.6, 0, 20, 0), "patients"),
    (lambda: se_from_interval(2.0, 2.5, 3.0), "low"),
    (lambda: se_from_cohort(2.0, 0.0, 10, None), "observation_years"),
])
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(StatsInputError) as err:
        call()
    assert err.value.field == field


# The module computes with scipy.special (scipy.stats is slow to import for `basket validate`): its
# distribution functions must be scipy.stats' own, to the last digits.
@settings(max_examples=200, deadline=None)
@given(mean=st.floats(0.01, 60), count=st.integers(-2, 200))
def test_negative_binomial_cdf_is_scipy_stats(mean, count):
    ours = _nb_cdf(np.array([count]), mean, _SHAPES)[0]
    theirs = stats.nbinom.cdf(count, _SHAPES, _SHAPES / (_SHAPES + mean)) if count >= 0 else np.zeros_like(_SHAPES)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-300)


@settings(max_examples=200, deadline=None)
@given(mean=st.floats(0.01, 60), low=st.integers(0, 30), width=st.integers(0, 60), n=st.integers(1, 500))
def test_range_p_value_is_scipy_stats(mean, low, width, n):
    high = low + width
    p_high = 1.0 - stats.poisson.cdf(high - 1, mean) ** n if high > 0 else 1.0
    p_low = 1.0 - (1.0 - stats.poisson.cdf(low, mean)) ** n
    assert range_p_value(mean, low, high, n) == pytest.approx(min(1.0, 2 * min(p_high, p_low)), rel=1e-12, abs=1e-300)


def test_thresholds_are_scipy_stats():
    assert _LR_95 == pytest.approx(stats.chi2.ppf(0.95, 1) / 2, rel=1e-14)
    assert se_from_interval(2.0, 1.0, 4.0, 0.9) == pytest.approx(
        2.0 * np.log(4.0) / (2 * stats.norm.ppf(0.95)), rel=1e-14)
