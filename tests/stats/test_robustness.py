"""Tipping points and type I error when the control is wrong, against scipy directly."""

import pytest
from scipy import optimize, stats

from basket.stats import ExternalControl, Scenario, SimBasket, family_oc
from basket.stats.robustness import (
    TippingGroup,
    count_model_type1,
    design_robustness,
    tipping_points,
    typical_count,
)


def test_single_basket_tipping_factor_solves_the_poisson_tail():
    # 2 events in 4 patient-years against 3 per year (12 expected): significant at 0.025
    group = TippingGroup("B", 2, (1.0, 1.0, 2.0), ExternalControl(3.0))
    (point,) = tipping_points([group], 0.025)
    direct = optimize.brentq(lambda f: stats.poisson.cdf(2, f * 12.0) - 0.025, 0.01, 10)
    assert point.significant
    assert point.factor == pytest.approx(direct, rel=1e-5)
    assert point.rate == pytest.approx(direct * 3.0, rel=1e-5)


def test_uncertain_rate_tipping_factor_solves_the_negative_binomial_tail():
    a = (2.4 / 0.3) ** 2
    group = TippingGroup("B", 1, (2.0, 2.0), ExternalControl(2.4, None, 0.3))
    (point,) = tipping_points([group], 0.025)

    def tail(f):  # Poisson counts, gamma rate with mean 2.4 f: NB(a, b / (b + E))
        b = a / (2.4 * f)
        return stats.nbinom.cdf(1, a, b / (b + 4.0))

    assert point.factor == pytest.approx(optimize.brentq(lambda f: tail(f) - 0.025, 0.1, 10), rel=1e-5)


def test_holm_tipping_factor_uses_the_adjusted_p_value():
    """Two identical baskets: Holm's adjusted p of each is 2 p, so f* solves 2 F(y; f) = alpha."""
    control = ExternalControl(3.0)
    groups = [TippingGroup(name, 1, (2.0,), control) for name in ("A", "B")]
    points = tipping_points(groups, 0.05)
    direct = optimize.brentq(lambda f: 2 * stats.poisson.cdf(1, f * 6.0) - 0.05, 0.01, 10)
    assert [p.factor for p in points] == pytest.approx([direct, direct], rel=1e-5)
    # a prespecified third basket without data makes it 3 p
    third = tipping_points(groups, 0.05, family_size=3)[0]
    assert third.factor == pytest.approx(
        optimize.brentq(lambda f: 3 * stats.poisson.cdf(1, f * 6.0) - 0.05, 0.01, 10), rel=1e-5)


def test_not_significant_basket_reports_the_factor_it_would_need():
    (point,) = tipping_points([TippingGroup("B", 6, (1.0,), ExternalControl(2.0))], 0.025)
    assert not point.significant and point.factor > 1
    assert stats.poisson.cdf(6, point.factor * 2.0) == pytest.approx(0.025, abs=1e-6)


def test_design_robustness_type1_grows_as_the_untreated_rate_falls():
    baskets = [SimBasket(f"B{j}", 2.4, 0.3) for j in range(3)]
    sc = Scenario(5, 2.0)
    robust = design_robustness(baskets, sc, 0.025, factors=(1.0, 0.8, 0.5))
    errors = [e for _, e in robust.family_wise_error]
    assert errors == sorted(errors)
    assert errors[2] == pytest.approx(family_oc(baskets, sc, 0.025, truth_factor=0.5).family_wise_error)
    # the typical outcome is the median of Poisson(2.4 x 0.3 x 10)
    assert robust.tipping[0].events == typical_count(baskets[0], sc) == stats.poisson.median(7.2)


def test_poisson_test_under_overdispersed_counts():
    naive = [SimBasket("B", 2.4, 0.3)]
    truth = [SimBasket("B", 2.4, 0.3, shape=0.8)]
    sc = Scenario(3, 2.0)
    (cell,) = count_model_type1([("poisson", naive)], [("nb", truth)], sc, 0.025)
    c = int(stats.poisson.ppf(0.025, 14.4))
    while stats.poisson.cdf(c, 14.4) > 0.025:
        c -= 1
    size = 3 * 0.8
    assert cell.type1_alone == pytest.approx(stats.nbinom.cdf(c, size, size / (size + 14.4)), rel=1e-12)
    assert cell.type1_alone > 0.1


def test_groups_need_data():
    with pytest.raises(ValueError):
        tipping_points([], 0.025)
    with pytest.raises(ValueError):
        TippingGroup("B", 1, (), ExternalControl(1.0))
