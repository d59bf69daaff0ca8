"""Property tests (hypothesis) of the exact machinery.

* the exact tests never exceed their nominal size;
* power grows with exposure -- for the randomized UMP test (the envelope); the
  non-randomized exact power is saw-toothed in exposure (shown explicitly) but
  never exceeds the envelope;
* intervals nest as the confidence level increases;
* Holm-adjusted p-values lie between the raw and the Bonferroni ones.
"""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from basket.stats import (
    adjust,
    clopper_pearson_interval,
    conditional_rate_ratio_test,
    garwood_interval,
    negbin_design,
    poisson_design,
)

rates = st.floats(0.05, 20.0, allow_nan=False)
exposures = st.floats(0.1, 50.0, allow_nan=False)
alphas = st.sampled_from([0.005, 0.01, 0.025, 0.05, 0.1])
ratios = st.floats(0.05, 0.95)


@settings(max_examples=200, deadline=None)
@given(rate=rates, exposure=exposures, alpha=alphas, rr=ratios)
def test_poisson_test_size_never_exceeds_alpha(rate, exposure, alpha, rr):
    d = poisson_design(rate, exposure, rr, alpha)
    # size recomputed independently of the design's own bookkeeping
    size = stats.poisson.cdf(d.critical_value, rate * exposure) if d.critical_value >= 0 else 0.0
    assert size <= alpha + 1e-12
    assert stats.poisson.cdf(d.critical_value + 1, rate * exposure) > alpha  # c is maximal


@settings(max_examples=100, deadline=None)
@given(rate=rates, n=st.integers(1, 12), t=st.floats(0.25, 3.0), shape=st.floats(0.2, 10.0),
       alpha=alphas, rr=ratios)
def test_negbin_test_size_never_exceeds_alpha(rate, n, t, shape, alpha, rr):
    d = negbin_design(rate, n, t, shape, rr, alpha)
    assert d.size <= alpha + 1e-12
    size_param = n * shape
    p0 = size_param / (size_param + n * t * rate)
    assert stats.nbinom.cdf(d.critical_value + 1, size_param, p0) > alpha  # c is maximal
    assert d.power <= d.randomized_power + 1e-12


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(0.2, 5.0), e=st.floats(0.5, 6.0), e0=st.floats(0.5, 20.0), alpha=alphas)
def test_conditional_test_unconditional_size_never_exceeds_alpha(rate, e, e0, alpha):
    """Exact size over both Poisson counts, summed to a 1e-12 tail."""
    y1 = np.arange(int(stats.poisson.ppf(1 - 1e-12, rate * e)) + 1)
    y0 = np.arange(int(stats.poisson.ppf(1 - 1e-12, rate * e0)) + 1)
    Y1, Y0 = np.meshgrid(y1, y0, indexing="ij")
    reject = stats.binom.cdf(Y1, Y1 + Y0, e / (e + e0)) <= alpha
    prob = np.outer(stats.poisson.pmf(y1, rate * e), stats.poisson.pmf(y0, rate * e0))
    assert (prob * reject).sum() <= alpha + 1e-9


@settings(max_examples=200, deadline=None)
@given(rate=rates, exposure=exposures, factor=st.floats(1.0, 5.0), alpha=alphas, rr=ratios)
def test_power_envelope_increases_with_exposure(rate, exposure, factor, alpha, rr):
    small = poisson_design(rate, exposure, rr, alpha)
    large = poisson_design(rate, exposure * factor, rr, alpha)
    assert large.randomized_power >= small.randomized_power - 1e-9
    assert small.power <= small.randomized_power + 1e-12


def test_exact_power_is_saw_toothed_but_rises_overall():
    powers = [poisson_design(2.0, e, 0.4).power for e in np.linspace(1, 12, 111)]
    steps = np.diff(powers)
    assert (steps < 0).any()  # discreteness: not monotone step by step
    assert powers[-1] > powers[0]
    assert all(b >= a for a, b in zip(powers[::20], powers[20::20]))


# two confidence levels at least 1e-6 apart: levels one ulp apart give bounds that differ only by the
# quantile functions' rounding (found by hypothesis: 0.5 and 0.5000000000000001)
levels = (st.lists(st.floats(0.5, 0.999), min_size=2, max_size=2, unique=True).map(sorted)
          .filter(lambda pair: pair[1] - pair[0] >= 1e-6))


@settings(max_examples=200, deadline=None)
@given(count=st.integers(0, 200), lv=levels)
def test_garwood_intervals_nest(count, lv):
    narrow, wide = garwood_interval(count, lv[0]), garwood_interval(count, lv[1])
    assert wide.lower <= narrow.lower <= count <= narrow.upper <= wide.upper


@settings(max_examples=200, deadline=None)
@given(x=st.integers(0, 50), extra=st.integers(0, 50), lv=levels)
def test_clopper_pearson_intervals_nest(x, extra, lv):
    n = x + extra
    narrow, wide = clopper_pearson_interval(x, n, lv[0]), clopper_pearson_interval(x, n, lv[1])
    assert wide.lower <= narrow.lower <= narrow.upper <= wide.upper


@settings(max_examples=100, deadline=None)
@given(y=st.integers(0, 40), y0=st.integers(1, 80), e=st.floats(0.5, 10), e0=st.floats(0.5, 40), lv=levels)
def test_rate_ratio_intervals_nest(y, y0, e, e0, lv):
    a = conditional_rate_ratio_test(y, e, y0, e0, lv[0]).interval
    b = conditional_rate_ratio_test(y, e, y0, e0, lv[1]).interval
    assert b.lower <= a.lower <= a.upper <= b.upper


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
def test_holm_between_raw_and_bonferroni(p):
    holm, bonf = adjust(p, "holm"), adjust(p, "bonferroni")
    for raw, h, b in zip(p, holm, bonf):
        assert raw - 1e-15 <= h <= b + 1e-15
    order = np.argsort(p, kind="stable")
    assert all(np.diff(np.asarray(holm)[order]) >= -1e-15)  # monotone in the raw order


def test_holm_worked_example():
    # Holm 1979 step-down by hand: sorted p 0.01, 0.02, 0.04 -> 0.03, 0.04, 0.04
    assert adjust([0.04, 0.01, 0.02], "holm") == pytest.approx((0.04, 0.03, 0.04))
    assert adjust([0.04, 0.01, 0.02], "bonferroni") == pytest.approx((0.12, 0.03, 0.06))


def test_every_name_of_the_statistics_package_is_where_it_says():
    """`basket.stats` imports its engine modules on first use (`_HOMES`): every exported name must
    resolve, from the module the table names, and nothing exported may be missing from the table."""
    import importlib

    from basket import stats

    assert set(stats.__all__) == set(stats._HOMES)
    for name, home in stats._HOMES.items():
        assert getattr(stats, name) is getattr(importlib.import_module(f"basket.stats.{home}"), name)
    assert set(stats.__all__) <= set(dir(stats))
