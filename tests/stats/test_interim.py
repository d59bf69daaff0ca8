"""Interim looks: the predictive probability of success against independent calculations (closed forms
written here, adaptive quadrature, brute-force enumeration of Holm, simulation of the generative model)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, stats

from basket.stats.control import ExternalControl
from basket.stats.interim import InterimBasket, InterimPrior, interim_look, predictive_success
from basket.stats.interim_within_patient import WithinPatientBasket, within_patient_look
from basket.stats.trial import Scenario, SimBasket
from basket.stats.within_patient import within_patient_oc

ALPHA = 0.025


def _poisson_critical(mean0: float, level: float) -> int:
    c = -1
    while stats.poisson.cdf(c + 1, mean0) <= level:
        c += 1
    return c


def _gamma_poisson_ppos(y: int, exposure: float, future: float, c: int, a: float, b: float) -> float:
    """P(y + Poisson(lambda future) <= c) with lambda ~ Gamma(a + y, b + exposure), by quadrature."""
    if c < y:
        return 0.0
    post = stats.gamma(a + y, scale=1 / (b + exposure))
    return integrate.quad(lambda lam: post.pdf(lam) * stats.poisson.cdf(c - y, lam * future), 0, np.inf,
                          epsabs=1e-12, limit=200)[0]


@pytest.mark.parametrize("events,exposures", [((), ()), ((0,), (1.0,)), ((1, 0), (1.0, 0.5)), ((4, 3), (2.0, 2.0))])
def test_poisson_counts_match_quadrature(events, exposures):
    rate, prior = 2.4, InterimPrior(1.0, 1.0)
    basket = InterimBasket("A", ExternalControl(rate), events, exposures, 5, 2.0, 0.3)
    c = _poisson_critical(rate * 10.0, ALPHA)  # 5 patients x 2 years at the final analysis
    future = sum(2.0 - t for t in exposures) + (5 - len(events)) * 2.0
    expected = _gamma_poisson_ppos(sum(events), sum(exposures), future, c, 1.0, 1.0 / rate)
    assert predictive_success(basket, prior, [ALPHA])[0] == pytest.approx(expected, abs=1e-9)


def test_all_data_in_gives_certainty_and_no_data_the_prior_predictive():
    control = ExternalControl(2.4)
    c = _poisson_critical(2.4 * 6.0, ALPHA)
    prior = InterimPrior(0.5, 2.0)
    done = [InterimBasket("A", control, (c, 0, 0), (2.0, 2.0, 2.0), 3, 2.0, 0.3),
            InterimBasket("A", control, (c + 1, 0, 0), (2.0, 2.0, 2.0), 3, 2.0, 0.3)]
    assert [predictive_success(b, prior, [ALPHA])[0] for b in done] == [1.0, 0.0]
    # no patient yet: the prior predictive, rate ~ Gamma(2, mean 0.5 x 2.4)
    fresh = InterimBasket("A", control, (), (), 3, 2.0, 0.3)
    prior_rate = stats.gamma(2.0, scale=0.5 * 2.4 / 2.0)
    expected = integrate.quad(lambda lam: prior_rate.pdf(lam) * stats.poisson.cdf(c, lam * 6.0), 0, np.inf)[0]
    assert predictive_success(fresh, prior, [ALPHA])[0] == pytest.approx(expected, abs=1e-9)


def test_more_events_so_far_never_raise_the_probability():
    control = ExternalControl(2.4, 0.8, 0.4)
    prior = InterimPrior(1.0, 1.0)
    ppos = [predictive_success(InterimBasket("A", control, (y, 0), (1.0, 1.0), 8, 2.0, 0.3), prior, [ALPHA])[0]
            for y in range(6)]
    assert all(a >= b for a, b in itertools.pairwise(ppos)) and ppos[0] > ppos[-1]


def test_over_dispersed_counts_match_simulation_of_the_model():
    """Gamma-Poisson counts: dosed patients' own rates carry their past into their future.  Reference: draw the
    model forward (rate from the prior, each patient's frailty, their counts so far), keep the draws that
    reproduce the data exactly, and count the completed trials that succeed."""
    k, rate, prior = 0.8, 4.0, InterimPrior(1.0, 2.0)
    events, exposures = (1, 0), (1.0, 0.5)
    basket = InterimBasket("A", ExternalControl(rate, k), events, exposures, 6, 1.0, 0.3)
    final = stats.nbinom(6 * k, k / (k + rate))  # 6 patients x 1 year at the control rate, one success probability
    c = max(y for y in range(80) if final.cdf(y) <= ALPHA)
    rng = np.random.default_rng(7)
    n = 1_500_000
    lam = rng.gamma(prior.shape, prior.rate_ratio * rate / prior.shape, size=n)
    g = rng.gamma(k, 1 / k, size=(n, 6))
    past = rng.poisson(lam[:, None] * g[:, :2] * np.array(exposures))
    keep = (past == np.array(events)).all(axis=1)
    remaining = np.array([0.0, 0.5, 1.0, 1.0, 1.0, 1.0])
    total = sum(events) + rng.poisson(lam[keep, None] * g[keep] * remaining).sum(axis=1)
    hits = total <= c
    se = hits.std() / math.sqrt(hits.size)
    assert hits.size > 20_000 and 0.2 < hits.mean() < 0.5  # a probability the test can get wrong
    assert predictive_success(basket, prior, [ALPHA])[0] == pytest.approx(hits.mean(), abs=4 * se)


def test_over_dispersed_grid_matches_adaptive_quadrature():
    k, rate, prior = 0.5, 4.0, InterimPrior(0.7, 0.5)
    events, exposures = (1, 0, 0), (1.0, 0.4, 0.2)
    control = ExternalControl(rate, k)
    basket = InterimBasket("A", control, events, exposures, 8, 1.0, 0.3)
    final = stats.nbinom(8 * k, k / (k + rate))
    c = max(y for y in range(80) if final.cdf(y) <= ALPHA)
    a, b = prior.shape, prior.shape / (prior.rate_ratio * rate)

    def future_cdf(lam: float) -> float:  # dosed patients' own gamma rates updated by their counts, then 5 new
        law = np.zeros(c + 1)
        law[0] = 1.0
        support = np.arange(c + 1)
        for y, t in zip(events, exposures):
            if t >= 1.0:
                continue  # followed to the end already
            beta = k / lam + t
            law = np.convolve(law, stats.nbinom.pmf(support, k + y, beta / (beta + 1.0 - t)))[: c + 1]
        law = np.convolve(law, stats.nbinom.pmf(support, 5 * k, (k / lam) / (k / lam + 1.0)))[: c + 1]
        return law[: c - sum(events) + 1].sum()

    def posterior(lam: float) -> float:
        like = np.prod([stats.nbinom.pmf(y, k, k / (k + lam * t)) for y, t in zip(events, exposures)])
        return stats.gamma.pdf(lam, a, scale=1 / b) * like

    norm = integrate.quad(posterior, 1e-6, 200, limit=400, epsabs=1e-13)[0]  # posterior mass outside: < 1e-9
    expected = integrate.quad(lambda lam: posterior(lam) * future_cdf(lam), 1e-6, 200, limit=400,
                              epsabs=1e-13)[0] / norm
    assert 0.05 < expected < 0.95
    assert predictive_success(basket, prior, [ALPHA])[0] == pytest.approx(expected, abs=1e-6)


def test_holm_across_baskets_matches_enumeration():
    """Two baskets, Poisson counts: enumerate both final totals, apply Holm by hand."""
    prior, rates = InterimPrior(1.0, 1.0), (2.4, 1.2)
    baskets = [InterimBasket("A", ExternalControl(rates[0]), (0,), (1.0,), 3, 1.0, 0.3),
               InterimBasket("B", ExternalControl(rates[1]), (1, 0), (0.5, 0.5), 3, 1.0, 0.3)]
    look = interim_look(baskets, prior, ALPHA, "holm")

    def holm(future_pmf) -> np.ndarray:
        laws = []
        for b, rate in zip(baskets, rates):
            top = 60
            pmf = np.zeros(top + 1)
            pmf[sum(b.events):] = future_pmf(b, rate, np.arange(top + 1 - sum(b.events)))
            laws.append((pmf, stats.poisson.cdf(np.arange(top + 1), rate * 3.0)))
        rejected = np.zeros(2)
        for y1, p1 in enumerate(laws[0][0]):
            for y2, p2 in enumerate(laws[1][0]):
                p = np.array([laws[0][1][y1], laws[1][1][y2]])
                first = int(np.argmin(p))
                wins = np.zeros(2, dtype=bool)
                if p[first] <= ALPHA / 2:
                    wins[first] = True
                    wins[1 - first] = p[1 - first] <= ALPHA
                rejected += p1 * p2 * wins
        return rejected

    def predictive(b, rate, counts):  # NB(a + y, B / (B + R))
        a, beta = 1.0 + sum(b.events), 1.0 / rate + sum(b.exposures)
        return stats.nbinom.pmf(counts, a, beta / (beta + 3.0 - sum(b.exposures)))

    def at_design_effect(b, rate, counts):
        return stats.poisson.pmf(counts, 0.3 * rate * (3.0 - sum(b.exposures)))

    assert [b.predictive_success for b in look.baskets] == pytest.approx(holm(predictive), abs=1e-9)
    assert [b.conditional_power for b in look.baskets] == pytest.approx(holm(at_design_effect), abs=1e-9)


def test_futility_flag_follows_the_threshold():
    control = ExternalControl(2.4)
    baskets = [InterimBasket("A", control, (0, 0), (1.0, 1.0), 5, 1.0, 0.3),
               InterimBasket("B", control, (4, 3), (1.0, 1.0), 5, 1.0, 0.3)]
    look = interim_look(baskets, InterimPrior(1.0, 1.0), ALPHA, futility_below=0.05)
    assert [b.futility for b in look.baskets] == [b.predictive_success < 0.05 for b in look.baskets] == [False, True]


def test_within_patient_matches_enumeration():
    """Known control rate, Poisson counts: theta's posterior is conjugate and the future counts of the dosed
    patient (more post-dose events) and of the new patient (post-dose) are negative multinomial; the new
    patient's pre-dose count is Poisson.  Enumerate them and apply the exact conditional test."""
    lam, a, m = 1.0, 1.0, 1.0
    pre1, t0, post1, t1, final = 1, 0.25, 0, 0.5, 1.0
    basket = WithinPatientBasket("A", ExternalControl(lam), (pre1,), (t0,), (post1,), (t1,), 2, final, 0.5, 0.3)
    look = within_patient_look([basket], InterimPrior(m, a), ALPHA, draws=20_000, seed=3)
    shape, rate = a + post1, a / m + lam * t1               # theta | data
    c1, c2 = lam * (final - t1), lam * final                # future means per unit theta
    q = rate + c1 + c2
    top = 30
    more, new_post, new_pre = np.meshgrid(np.arange(top), np.arange(top), np.arange(top), indexing="ij")
    from scipy.special import gammaln
    log_joint = (gammaln(shape + more + new_post) - gammaln(shape) - gammaln(more + 1) - gammaln(new_post + 1)
                 + shape * np.log(rate / q) + more * np.log(c1 / q) + new_post * np.log(c2 / q))
    prob = np.exp(log_joint) * stats.poisson.pmf(new_pre, lam * 0.5)
    n1, n2 = pre1 + post1 + more, new_pre + new_post
    y = post1 + more + new_post
    share1, share2 = final / (final + t0), final / (final + 0.5)
    j = np.arange(2 * top + 2)[:, None, None, None]
    p = (stats.binom.pmf(j, n1, share1) * stats.binom.cdf(y - j, n2, share2)).sum(axis=0)
    expected = float((prob * (p <= ALPHA)).sum())
    got = look.baskets[0]
    assert got.predictive_success == pytest.approx(expected, abs=4 * got.mc_error + 1e-3)
    assert got.mc_error < 0.01


def test_within_patient_without_data_has_the_designs_power():
    """No patient yet: conditional power is the design's exact within-patient power (known control rate)."""
    baskets = [SimBasket("A", 2.4, 0.3, 0.8), SimBasket("B", 1.0, 0.3, None)]
    oc = within_patient_oc(baskets, Scenario(5, 1.0), 0.5, ALPHA)
    look = within_patient_look([WithinPatientBasket(b.name, b.control, (), (), (), (), 5, 1.0, 0.5, 0.3)
                                for b in baskets], InterimPrior(1.0, 1.0), ALPHA, draws=20_000, seed=11)
    for got, design in zip(look.baskets, oc.baskets):
        se = math.sqrt(design.power * (1 - design.power) / 20_000)
        assert got.conditional_power == pytest.approx(design.power, abs=4 * se + 2e-3)


def test_within_patient_is_reproducible():
    basket = WithinPatientBasket("A", ExternalControl(2.0, 0.8, 0.3), (2,), (0.5,), (0,), (0.5,), 4, 1.0, 0.5, 0.3)
    first = within_patient_look([basket], InterimPrior(1.0, 1.0), ALPHA, draws=2_000, seed=5)
    assert first == within_patient_look([basket], InterimPrior(1.0, 1.0), ALPHA, draws=2_000, seed=5)
