"""Exact operating characteristics of the prespecified analysis (Holm across baskets).

Checked against brute force: the joint law of the baskets' counts is enumerated
(product of scipy pmfs), each basket's p-value is the lower tail of its null law
(scipy directly), Holm is applied by a plain step-down written here, and the
probabilities are summed.  Issue 18's example: three baskets at 2.4 events per
patient-year, n = 2, 2 years, rate ratio 0.3 -- alone each test has power 0.674,
under Holm 0.496.
"""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from basket.stats import Scenario, SimBasket, family_oc
from basket.stats.multiplicity import reject, rejection_probabilities


def holm_by_hand(p, alpha):
    order = sorted(range(len(p)), key=lambda j: p[j])
    rejected = [False] * len(p)
    for i, j in enumerate(order):
        if p[j] > alpha / (len(p) - i):
            break
        rejected[j] = True
    return rejected


def brute_force(laws, nulls, alpha, top):
    """P(Holm rejects j) summing over every count vector up to ``top``; counts above ``top``
    (never significant here) form one last outcome with p-value 1."""
    support = np.arange(top + 1)
    pmfs = [np.append(law(support), 1 - law(support).sum()) for law in laws]
    tails = [np.append(np.cumsum(null(support)), 1.0) for null in nulls]
    out = np.zeros(len(laws))
    for counts in itertools.product(range(top + 2), repeat=len(laws)):
        weight = np.prod([pmf[c] for pmf, c in zip(pmfs, counts)])
        out += weight * np.array(holm_by_hand([t[c] for t, c in zip(tails, counts)], alpha))
    return out


def test_issue_example_holm_power_is_one_half():
    baskets = [SimBasket(f"B{j}", 2.4, 0.3) for j in range(3)]
    oc = family_oc(baskets, Scenario(2, 2.0), 0.025)
    mu0, mu1 = 9.6, 2.88
    # alone: largest c with P(Poisson(9.6) <= c) <= 0.025 is 3
    assert oc.baskets[0].power_alone == pytest.approx(stats.poisson.cdf(3, mu1), abs=1e-12)
    assert oc.baskets[0].power_alone == pytest.approx(0.674, abs=5e-4)
    holm = brute_force([lambda y: stats.poisson.pmf(y, mu1)] * 3, [lambda y: stats.poisson.pmf(y, mu0)] * 3,
                       0.025, 25)
    assert [b.power for b in oc.baskets] == pytest.approx(holm, abs=1e-9)
    assert oc.baskets[0].power == pytest.approx(0.496, abs=5e-4)
    assert oc.baskets[0].critical_values == (2, 2, 3)


def test_heterogeneous_baskets_match_brute_force():
    baskets = [SimBasket("P", 3.0, 0.4), SimBasket("N", 2.0, 0.5, shape=1.2), SimBasket("Q", 1.0, 0.2)]
    sc = Scenario(2, 1.0)
    oc = family_oc(baskets, sc, 0.05)

    def poisson(mean):
        return lambda y: stats.poisson.pmf(y, mean)

    def negbin(mean, size):
        return lambda y: stats.nbinom.pmf(y, size, size / (size + mean))

    h0 = [poisson(6.0), negbin(4.0, 2.4), poisson(2.0)]
    h1 = [poisson(6.0 * 0.4), negbin(4.0 * 0.5, 2.4), poisson(2.0 * 0.2)]
    assert [b.power for b in oc.baskets] == pytest.approx(brute_force(h1, h0, 0.05, 20), abs=1e-9)
    assert [b.type1 for b in oc.baskets] == pytest.approx(brute_force(h0, h0, 0.05, 20), abs=1e-9)
    # family-wise error under the global null: any p-value below alpha / 3
    c = [b.critical_values[0] for b in oc.baskets]
    first = [stats.poisson.cdf(c[0], 6.0), stats.nbinom.cdf(c[1], 2.4, 2.4 / 6.4), stats.poisson.cdf(c[2], 2.0)]
    assert oc.family_wise_error == pytest.approx(1 - np.prod(1 - np.array(first)), abs=1e-12)
    assert oc.family_wise_error <= 0.05


def test_lower_untreated_rate_inflates_type1():
    baskets = [SimBasket(f"B{j}", 2.4, 0.3) for j in range(3)]
    nominal = family_oc(baskets, Scenario(3, 2.0), 0.025)
    lower = family_oc(baskets, Scenario(3, 2.0), 0.025, truth_factor=0.7)
    c = nominal.baskets[0].critical_values[0]
    assert lower.family_wise_error == pytest.approx(1 - (1 - stats.poisson.cdf(c, 0.7 * 14.4)) ** 3, abs=1e-12)
    assert lower.family_wise_error > nominal.family_wise_error


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4), min_size=4, max_size=4))
def test_rejection_probabilities_match_enumeration(rows):
    """Four baskets with arbitrary bin probabilities: the programme equals enumeration of the bins."""
    below = np.sort(np.array(rows), axis=1)
    bins = np.diff(np.concatenate([np.zeros((4, 1)), below, np.ones((4, 1))], axis=1), axis=1)
    levels = [0.25, 1 / 3, 0.5, 1.0, 2.0]                  # Holm's levels for alpha = 1, then "above alpha"
    expected = np.zeros(4)
    for combo in itertools.product(range(5), repeat=4):
        weight = np.prod([bins[j, c] for j, c in enumerate(combo)])
        expected += weight * np.array(holm_by_hand([levels[c] for c in combo], 1.0))
    assert rejection_probabilities(below) == pytest.approx(expected, abs=1e-12)


def test_vectorised_holm_matches_the_step_down():
    rng = np.random.default_rng(3)
    p = rng.random((500, 5)) * 0.1
    got = reject(p, 0.05, "holm")
    assert all(list(row) == holm_by_hand(list(q), 0.05) for row, q in zip(got, p))
