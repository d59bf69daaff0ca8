"""Exact tests and intervals, checked against published worked examples.

References and tolerances
-------------------------
* Garwood F. Fiducial limits for the Poisson distribution. Biometrika
  1936;28:437-442; the same limits are tabulated in Ulm K. Am J Epidemiol
  1990;131:373-375 (95% limits for observed counts).  Table values are given to
  4 significant decimals, so the tolerance is 5e-4 absolute.
* Fay MP. Two-sided exact tests and matching confidence intervals for discrete
  data. R Journal 2010;2(1):53-58, and the worked example of the rateratio.test
  vignette (Fay 2022): 2 events in 17877 person-years vs 9 in 16660; rate ratio
  0.2070941557, 95% CI 0.02177406-1.00054910, two-sided p 0.05011 (= twice the
  one-sided p).  Printed to 7-10 digits: relative tolerance 1e-6 (p: 5e-5 abs).
* Welsh nickel refiners, 137 observed nasal-sinus cancer deaths vs 24.19893
  expected (Doll et al. 1970; Breslow NE, Day NE. Statistical Methods in Cancer
  Research II, IARC 1987; worked in R's poisson.test documentation): SMR 95%
  CI 4.753125-6.692709.  Tolerance 1e-6 relative.
"""

import math

import pytest
from scipy import stats

from basket.stats import (
    StatsInputError,
    clopper_pearson_interval,
    conditional_design,
    conditional_rate_ratio_test,
    garwood_interval,
    negbin_design,
    negbin_test_known_rate,
    poisson_design,
    poisson_rate_interval,
    poisson_test_known_rate,
)
from basket.stats.exact import negbin_total_cdf

GARWOOD_95 = {  # observed count: (lower, upper), Garwood 1936 / Ulm 1990
    0: (0.0, 3.6889),
    1: (0.0253, 5.5716),
    2: (0.2422, 7.2247),
    3: (0.6187, 8.7673),
    5: (1.6235, 11.6683),
    10: (4.7954, 18.3904),
}


@pytest.mark.parametrize("count", sorted(GARWOOD_95))
def test_garwood_table(count):
    lo, hi = GARWOOD_95[count]
    ci = garwood_interval(count, 0.95)
    assert ci.lower == pytest.approx(lo, abs=5e-4)
    assert ci.upper == pytest.approx(hi, abs=5e-4)


def test_fay_rateratio_example():
    t = conditional_rate_ratio_test(2, 17877, 9, 16660, level=0.95)
    assert t.rate_ratio == pytest.approx(0.2070941557, rel=1e-6)
    assert t.interval.lower == pytest.approx(0.02177406, rel=1e-6)
    assert t.interval.upper == pytest.approx(1.00054910, rel=1e-6)
    assert 2 * t.p_value == pytest.approx(0.05011, abs=5e-5)


def test_welsh_nickel_smr_interval():
    t = poisson_test_known_rate(137, 24.19893, 1.0)
    assert t.interval.lower == pytest.approx(4.753125, rel=1e-6)
    assert t.interval.upper == pytest.approx(6.692709, rel=1e-6)
    assert t.p_value == pytest.approx(1.0)  # far more events than expected: no benefit


def test_known_rate_p_value_is_poisson_lower_tail():
    t = poisson_test_known_rate(3, 4.0, 2.5)
    assert t.expected_null == pytest.approx(10.0)
    assert t.p_value == pytest.approx(stats.poisson.cdf(3, 10.0), rel=1e-12)
    assert t.rate_ratio == pytest.approx(0.3)


def test_rate_interval_scales_by_exposure():
    ci = poisson_rate_interval(5, 2.0)
    assert ci.lower == pytest.approx(1.6235 / 2, abs=3e-4)
    assert ci.upper == pytest.approx(11.6683 / 2, abs=3e-4)


def test_clopper_pearson_edges():
    assert clopper_pearson_interval(0, 10).lower == 0.0
    assert clopper_pearson_interval(10, 10).upper == 1.0
    # 0 of 10: upper limit 1 - 0.025^(1/10)
    assert clopper_pearson_interval(0, 10).upper == pytest.approx(1 - 0.025 ** 0.1, rel=1e-10)


def test_negbin_total_equals_negbin_for_equal_followup():
    # sum of n iid NB(k, p) is NB(n k, p)
    k, lam, t, n = 1.3, 2.0, 0.75, 4
    direct = stats.nbinom.cdf(5, n * k, k / (k + lam * t))
    assert negbin_total_cdf(5, [t] * n, lam, k) == pytest.approx(direct, rel=1e-10)


def test_negbin_test_tends_to_poisson_with_large_shape():
    nb = negbin_test_known_rate(4, [1.0, 2.0, 0.5], 3.0, shape=1e7)
    po = poisson_test_known_rate(4, 3.5, 3.0)
    assert nb.p_value == pytest.approx(po.p_value, rel=1e-4)
    assert nb.interval.upper == pytest.approx(po.interval.upper, rel=1e-4)
    assert nb.interval.lower == pytest.approx(po.interval.lower, rel=1e-4)


def test_overdispersion_weakens_evidence():
    nb = negbin_test_known_rate(2, [1.0] * 4, 3.0, shape=0.8)
    po = poisson_test_known_rate(2, 4.0, 3.0)
    assert nb.p_value > po.p_value
    assert nb.interval.upper > po.interval.upper


def test_poisson_design_critical_value_is_largest_significant():
    d = poisson_design(control_rate=3.0, exposure=5.0, rate_ratio=0.4, alpha=0.025)
    assert stats.poisson.cdf(d.critical_value, 15.0) <= 0.025
    assert stats.poisson.cdf(d.critical_value + 1, 15.0) > 0.025
    assert d.power == pytest.approx(stats.poisson.cdf(d.critical_value, 6.0))
    assert d.size <= d.alpha


def test_design_without_any_significant_outcome():
    d = poisson_design(control_rate=1.0, exposure=1.0, rate_ratio=0.5, alpha=0.025)
    assert d.critical_value == -1 and d.power == 0.0 and d.size == 0.0


def test_negbin_design_needs_more_exposure_than_poisson():
    po = poisson_design(2.0, 8 * 1.0, 0.4)
    nb = negbin_design(2.0, 8, 1.0, shape=1.0, rate_ratio=0.4)
    assert nb.power < po.power


def test_conditional_design_matches_the_test():
    d = conditional_design(40, 10.0, 5.0, 0.3, alpha=0.025)
    assert conditional_rate_ratio_test(d.critical_value, 5.0, 40, 10.0).p_value <= 0.025
    assert conditional_rate_ratio_test(d.critical_value + 1, 5.0, 40, 10.0).p_value > 0.025


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: garwood_interval(-1), "events"),
        (lambda: garwood_interval(2.5), "events"),
        (lambda: garwood_interval(2, level=1.0), "level"),
        (lambda: poisson_test_known_rate(2, 0.0, 1.0), "exposure"),
        (lambda: poisson_test_known_rate(2, 1.0, -1.0), "control_rate"),
        (lambda: poisson_design(1.0, 1.0, 0.5, alpha=0.0), "alpha"),
        (lambda: negbin_design(1.0, 0, 1.0, 1.0, 0.5), "n_patients"),
        (lambda: clopper_pearson_interval(5, 3), "successes"),
        (lambda: conditional_design(0, 1.0, 1.0, 0.5), "control_events"),
        (lambda: negbin_test_known_rate(1, [1.0, math.nan], 1.0, 1.0), "exposures[1]"),
    ],
)
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(StatsInputError) as err:
        call()
    assert err.value.field == field
    assert isinstance(err.value, ValueError)
