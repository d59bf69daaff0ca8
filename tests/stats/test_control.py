"""The external control's null law, checked against independent calculations.

* Poisson counts with a gamma rate: the negative binomial NB(a, b / (b + E)) of scipy.
* a cohort's y0 events over E0 years: the conditional binomial test of two Poisson rates.
* gamma-Poisson counts with a gamma rate: scipy.integrate.quad over the rate.
* unequal follow-up: brute-force enumeration of every patient's count.
"""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, stats

from basket.stats import StatsInputError
from basket.stats.control import ExternalControl, control_test, group_cdf, pooled_test, rate_interval


@pytest.mark.parametrize("rate, se, exposure", [(2.4, 0.36, 4.0), (0.5, 0.4, 10.0), (6.0, 0.3, 1.5)])
def test_poisson_counts_with_gamma_rate_are_negative_binomial(rate, se, exposure):
    control = ExternalControl(rate, None, se)
    a = (rate / se) ** 2
    b = a / rate
    for y in range(0, 25, 3):
        direct = stats.nbinom.cdf(y, a, b / (b + exposure))
        # group_cdf integrates numerically; the closed form must agree
        assert group_cdf(y, [exposure / 2, exposure / 2], control) == pytest.approx(direct, abs=1e-9)
        assert control_test(y, [exposure], control).p_value == pytest.approx(direct, rel=1e-9)


def test_observed_cohort_is_the_conditional_binomial_test():
    y0, e0, e = 30, 20.0, 6.0
    control = ExternalControl(y0 / e0, None, math.sqrt(y0) / e0)
    for y in range(12):
        assert control_test(y, [e], control).p_value == pytest.approx(
            stats.binom.cdf(y, y + y0, e / (e + e0)), rel=1e-9)


def test_gamma_poisson_counts_with_gamma_rate_match_quadrature():
    rate, se, shape, n, t = 2.4, 0.5, 0.8, 3, 2.0
    control = ExternalControl(rate, shape, se)
    a = (rate / se) ** 2

    def integrand(lam, y):
        size = n * shape
        return stats.gamma.pdf(lam, a, scale=rate / a) * stats.nbinom.cdf(y, size, size / (size + lam * n * t))

    for y in (0, 2, 5, 9):
        reference = integrate.quad(integrand, 0, np.inf, args=(y,), epsabs=1e-12, limit=200)[0]
        assert group_cdf(y, [t] * n, control) == pytest.approx(reference, abs=1e-8)


def test_unequal_follow_up_matches_enumeration():
    control = ExternalControl(1.7, 1.3)
    exposures = [0.5, 1.0, 2.5]
    pmfs = [stats.nbinom.pmf(np.arange(12), 1.3, 1.3 / (1.3 + 1.7 * t)) for t in exposures]
    for y in (0, 1, 4, 7):
        brute = sum(pmfs[0][i] * pmfs[1][j] * pmfs[2][k]
                    for i, j, k in itertools.product(range(12), repeat=3) if i + j + k <= y)
        assert group_cdf(y, exposures, control) == pytest.approx(brute, rel=1e-10)


def test_uncertainty_weakens_evidence():
    known = control_test(1, [2.0, 2.0], ExternalControl(2.4, 0.8))
    uncertain = control_test(1, [2.0, 2.0], ExternalControl(2.4, 0.8, 0.4))
    assert uncertain.p_value > known.p_value
    assert uncertain.interval.upper > known.interval.upper


def test_interval_inverts_the_tails():
    control = ExternalControl(2.0, None, 0.3)
    t = control_test(4, [5.0], control, level=0.9)
    a = (2.0 / 0.3) ** 2

    def tail(count, rr):
        b = a / (2.0 * rr)
        return stats.nbinom.cdf(count, a, b / (b + 5.0))

    assert tail(4, t.interval.upper) == pytest.approx(0.05, abs=1e-8)
    assert 1 - tail(3, t.interval.lower) == pytest.approx(0.05, abs=1e-8)


def test_pooled_shares_one_cohort_and_convolves_distinct_ones():
    shared = ExternalControl(2.0, None, 0.4)
    other = ExternalControl(1.0)
    a, b = (2.0 / 0.4) ** 2, (2.0 / 0.4) ** 2 / 2.0
    # two groups on one cohort: one draw of its rate for both (exposure 3 + 1)
    support = np.arange(5)
    shared_law = stats.nbinom.pmf(support, a, b / (b + 4.0))
    total = np.convolve(shared_law, stats.poisson.pmf(support, 2.0))[:5]
    test = pooled_test([([1.0, 2.0], shared), ([1.0], shared), ([2.0], other)], 4)
    assert test.p_value == pytest.approx(total.sum(), rel=1e-9)
    assert test.expected_null == pytest.approx(2.0 * 4.0 + 1.0 * 2.0)


def test_rate_interval_is_the_gamma_law():
    lo, hi = rate_interval(ExternalControl(2.4, None, 0.36))
    a = (2.4 / 0.36) ** 2
    assert (lo, hi) == pytest.approx(tuple(stats.gamma.ppf([0.025, 0.975], a, scale=2.4 / a)))
    assert rate_interval(ExternalControl(2.4)) == (2.4, 2.4)


@pytest.mark.parametrize("call, field", [
    (lambda: ExternalControl(0.0), "control_rate"),
    (lambda: ExternalControl(1.0, -1.0), "shape"),
    (lambda: ExternalControl(1.0, None, math.inf), "rate_se"),
    (lambda: group_cdf(1, [], ExternalControl(1.0)), "exposures"),
    (lambda: pooled_test([], 1), "groups"),
])
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(StatsInputError) as err:
        call()
    assert err.value.field == field
