"""Within-patient analysis: each patient's post-dose events against their own pre-dose events.

Independent references: scipy's binomial (equal windows), enumeration of every
patient's post-dose count (unequal windows), and simulation of patients with
gamma-distributed rates for the exact operating characteristics.
"""

import itertools
import math

import pytest
from scipy import stats

from basket.stats import Scenario, SimBasket, StatsInputError
from basket.stats.within_patient import simulate_within_patient, within_patient_oc, within_patient_test


def test_equal_windows_give_one_binomial():
    t = within_patient_test([3, 1, 4], [1.0] * 3, [0, 1, 1], [2.0] * 3)
    # 10 events in all; under no effect each falls after dosing with probability 2 / 3
    assert t.p_value == pytest.approx(stats.binom.cdf(2, 10, 2 / 3), rel=1e-12)
    assert t.rate_ratio == pytest.approx((2 / 6.0) / (8 / 3.0))


def _enumerated_tail(count, pre, pre_years, post, post_years, rr=1.0):
    totals = [a + b for a, b in zip(pre, post)]
    pis = [rr * t1 / (rr * t1 + t0) for t0, t1 in zip(pre_years, post_years)]
    tail = 0.0
    for split in itertools.product(*[range(n + 1) for n in totals]):
        if sum(split) <= count:
            tail += math.prod(stats.binom.pmf(k, n, p) for k, n, p in zip(split, totals, pis))
    return tail


def test_unequal_windows_match_enumeration():
    pre, pre_years, post, post_years = [2, 5, 1], [0.5, 1.0, 0.25], [1, 0, 2], [1.0, 2.0, 1.5]
    t = within_patient_test(pre, pre_years, post, post_years)
    assert t.p_value == pytest.approx(_enumerated_tail(3, pre, pre_years, post, post_years), rel=1e-10)
    # the interval inverts the same tails
    upper = t.interval.upper
    assert _enumerated_tail(3, pre, pre_years, post, post_years, upper) == pytest.approx(0.025, abs=1e-8)


def test_no_events_carry_no_information():
    t = within_patient_test([0], [1.0], [0], [1.0])
    assert t.p_value == 1.0 and t.interval.upper == math.inf


def test_exact_operating_characteristics_match_simulation():
    baskets = [SimBasket("A", 2.4, 0.3, shape=0.8), SimBasket("B", 1.5, 0.5)]
    sc = Scenario(4, 1.0)
    exact = within_patient_oc(baskets, sc, pre_years=1.0, alpha=0.05)
    sim = simulate_within_patient(baskets, sc, 1.0, 0.05, n_sim=40_000, seed=3)
    for j, b in enumerate(exact.baskets):
        for got, want in ((sim.power[j], b.power), (sim.type1[j], b.type1)):
            assert abs(got - want) <= 4 * math.sqrt(max(want * (1 - want), 1e-4) / 40_000)
    assert abs(sim.family_wise_error - exact.family_wise_error) <= 4 * math.sqrt(0.05 * 0.95 / 40_000)
    assert exact.family_wise_error <= 0.05


def test_selection_on_recent_events_inflates_type1():
    """Regression to the mean: enrolling only patients with >= 2 events in the pre-dose window."""
    basket = [SimBasket("A", 1.0, 1.0, shape=0.8)]
    sc = Scenario(5, 1.0)
    plain = simulate_within_patient(basket, sc, 1.0, 0.025, n_sim=20_000, seed=1)
    selected = simulate_within_patient(basket, sc, 1.0, 0.025, n_sim=20_000, seed=1, min_pre_events=2)
    assert plain.type1[0] <= 0.025 + 4 * math.sqrt(0.025 * 0.975 / 20_000)
    assert selected.type1[0] > 0.06  # about 9%: more than three times alpha


def test_bad_inputs_name_the_field():
    with pytest.raises(StatsInputError) as err:
        within_patient_test([], [], [], [])
    assert err.value.field == "pre_events"
    with pytest.raises(StatsInputError) as err:
        within_patient_test([1], [0.0], [1], [1.0])
    assert err.value.field == "pre_years[0]"
