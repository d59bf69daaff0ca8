"""EX / EXNEX hierarchical model.

Published example (tolerance stated): Neuenschwander B, Wandel S,
Roychoudhury S, Bailey S. Robust exchangeability designs for early phase
clinical trials with multiple strata. Pharm Stat 2016;15:123-134, Section 2 and
Appendix 5.3: EXNEX analysis of the imatinib sarcoma basket trial of Chugh et
al. (J Clin Oncol 2009;27:3148-3153), 10 subtypes, responders/patients
2/15, 0/13, 1/12, 6/28, 7/29, 3/29, 5/26, 1/5, 0/2, 3/20; priors
mu ~ N(-1.735, 0.146^-1), tau ~ HN(1), NEX theta_j ~ N(-1.734, 0.128^-1),
prior EX weight 0.5.  The posterior means (and SDs) of the response rates below
are the MCMC values (5e4 iterations) of the bhmbasket vignette "Reproducing
Parts of Neuenschwander et al. (2016)", which states they equal the paper's
Appendix to the second decimal.  Tolerance: 0.005 on the means and 0.005 on
the SDs (Monte Carlo error of the reference plus grid error).
"""

import math

import numpy as np
import pytest
from scipy import integrate, special, stats

from basket.stats import (
    ExNexPrior,
    GridSpec,
    NormalData,
    RateData,
    ResponseData,
    StatsInputError,
    TwoRateData,
    fit_exnex,
)
from basket.stats.hierarchical import CountPosteriorTable, rate_loglik

CHUGH_N = [15, 13, 12, 28, 29, 29, 26, 5, 2, 20]
CHUGH_R = [2, 0, 1, 6, 7, 3, 5, 1, 0, 3]
PUBLISHED_MEAN = [0.1508, 0.0529, 0.1270, 0.1885, 0.2051, 0.1314, 0.1767, 0.1786, 0.1302, 0.1573]
PUBLISHED_SD = [0.0629, 0.0590, 0.0678, 0.0601, 0.0655, 0.0509, 0.0573, 0.1040, 0.1138, 0.0581]
CHUGH_PRIOR = ExNexPrior(mu_mean=-1.735, mu_sd=0.146 ** -0.5, tau_scale=1.0,
                         nex_mean=-1.734, nex_sd=0.128 ** -0.5, p_exchangeable=0.5)


@pytest.fixture(scope="module")
def chugh():
    data = [ResponseData(f"subtype{i + 1}", r, n) for i, (r, n) in enumerate(zip(CHUGH_R, CHUGH_N))]
    return fit_exnex(data, CHUGH_PRIOR, threshold=special.logit(0.2), benefit="above")


def test_chugh_exnex_posterior_means(chugh):
    got = [b.natural_mean for b in chugh.baskets]
    assert got == pytest.approx(PUBLISHED_MEAN, abs=0.005)


def test_chugh_exnex_posterior_sds(chugh):
    got = [b.natural_sd for b in chugh.baskets]
    assert got == pytest.approx(PUBLISHED_SD, abs=0.005)


def test_chugh_shrinkage_and_exchangeability(chugh):
    by = {b.name: b for b in chugh.baskets}
    # 0/13 is the least exchangeable-looking subtype; its raw rate 0 is pulled up
    assert by["subtype2"].p_exchangeable == min(b.p_exchangeable for b in chugh.baskets)
    assert by["subtype2"].natural_mean > 0.0
    assert by["subtype5"].p_benefit > by["subtype2"].p_benefit


def _single_normal_reference(y, se, prior, threshold=0.0):
    """P(theta < threshold | y) and P(EX | y) for one basket by 1-D quadrature."""
    w = prior.weights(1)[0]

    def ex_parts(tau):
        v = prior.mu_sd ** 2 + tau ** 2
        marg = stats.norm.pdf(y, prior.mu_mean, math.sqrt(v + se ** 2))
        prec = 1 / v + 1 / se ** 2
        mean = (prior.mu_mean / v + y / se ** 2) / prec
        return marg, stats.norm.cdf(threshold, mean, math.sqrt(1 / prec))

    hn = lambda t: stats.halfnorm.pdf(t, scale=prior.tau_scale)
    ex_m = integrate.quad(lambda t: hn(t) * ex_parts(t)[0], 0, np.inf)[0]
    ex_b = integrate.quad(lambda t: hn(t) * ex_parts(t)[0] * ex_parts(t)[1], 0, np.inf)[0]
    v = prior.nex_sd ** 2
    nex_m = stats.norm.pdf(y, prior.nex_mean, math.sqrt(v + se ** 2))
    prec = 1 / v + 1 / se ** 2
    nex_b = nex_m * stats.norm.cdf(threshold, (prior.nex_mean / v + y / se ** 2) / prec, math.sqrt(1 / prec))
    total = w * ex_m + (1 - w) * nex_m
    return (w * ex_b + (1 - w) * nex_b) / total, w * ex_m / total


@pytest.mark.parametrize("y, se, w", [(-0.8, 0.5, 1.0), (-0.3, 0.9, 0.5), (1.5, 0.4, 0.3)])
def test_single_basket_matches_quadrature(y, se, w):
    prior = ExNexPrior(0.2, 1.0, 0.5, -0.5, 2.0, w)
    post = fit_exnex([NormalData("b", y, se)], prior).baskets[0]
    p_ref, ex_ref = _single_normal_reference(y, se, prior)
    assert post.p_benefit == pytest.approx(p_ref, abs=2e-3)
    assert post.p_exchangeable == pytest.approx(ex_ref, abs=2e-3)


def test_grid_refinement_changes_little():
    data = [RateData("A", 2, 6.0, 2.0), RateData("B", 9, 6.0, 1.5), TwoRateData("C", 3, 5.0, 40, 12.0)]
    prior = ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5)
    coarse = fit_exnex(data, prior, grid=GridSpec(801, 81, 30))
    fine = fit_exnex(data, prior, grid=GridSpec(3001, 301, 90))
    for a, b in zip(coarse.baskets, fine.baskets):
        assert a.p_benefit == pytest.approx(b.p_benefit, abs=2e-3)
        assert a.mean == pytest.approx(b.mean, abs=5e-3)


def test_borrowing_pulls_a_weak_basket_towards_strong_ones():
    strong = [RateData(f"S{i}", 1, 8.0, 2.0) for i in range(3)]      # RR ~ 0.06
    weak = RateData("W", 3, 2.0, 2.0)                                  # RR 0.75, little data
    prior_ex = ExNexPrior.exchangeable(0.0, 2.0, 0.25)
    alone = fit_exnex([weak], prior_ex).baskets[0].p_benefit
    pooled = fit_exnex(strong + [weak], prior_ex).baskets[-1].p_benefit
    assert pooled > alone + 0.1
    # EXNEX protects the weak basket more than EX does when it looks different
    exnex = fit_exnex(strong + [RateData("W", 8, 2.0, 2.0)],
                      ExNexPrior(0.0, 2.0, 0.25, 0.0, 2.0, 0.5)).baskets[-1].p_benefit
    ex = fit_exnex(strong + [RateData("W", 8, 2.0, 2.0)], prior_ex).baskets[-1].p_benefit
    assert exnex < ex


def test_deterministic():
    data = [RateData("A", 2, 6.0, 2.0), ResponseData("B", 3, 9)]
    prior = ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, (0.5, 0.7))
    assert fit_exnex(data, prior) == fit_exnex(data, prior)


def test_count_table_agrees_with_direct_fit():
    prior = ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5)
    baskets = [(12.0, None), (6.0, 4.5)]            # expected null events, NB total shape
    logliks = [lambda th, y, m=m, s=s: rate_loglik(th, y, m, s) for m, s in baskets]
    table = CountPosteriorTable(logliks, [30, 20], prior)
    counts = np.array([[3, 2], [12, 6], [0, 15], [25, 0]])
    got = table.p_benefit(counts)
    for row, probs in zip(counts, got):
        data = [RateData("A", int(row[0]), 1.0, 12.0), RateData("B", int(row[1]), 1.0, 6.0, shape=4.5)]
        direct = [b.p_benefit for b in fit_exnex(data, prior).baskets]
        assert probs == pytest.approx(direct, abs=3e-3)


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: RateData("a", -1, 1.0, 1.0), "events"),
        (lambda: RateData("a", 1, 1.0, 0.0), "control_rate"),
        (lambda: ResponseData("a", 5, 3), "responders"),
        (lambda: NormalData("a", 0.0, 0.0), "std_error"),
        (lambda: ExNexPrior(0.0, -1.0, 1.0, 0.0, 1.0), "mu_sd"),
        (lambda: ExNexPrior(0.0, 1.0, 1.0, 0.0, 1.0, 1.5), "p_exchangeable"),
        (lambda: fit_exnex([], ExNexPrior.exchangeable(0, 1, 1)), "data"),
        (lambda: fit_exnex([NormalData("a", 0, 1)], ExNexPrior.exchangeable(0, 1, 1), benefit="less"), "benefit"),
        (lambda: fit_exnex([NormalData("a", 0, 1)] * 2, ExNexPrior.exchangeable(0, 1, 1)), "data"),
        (lambda: fit_exnex([NormalData("a", 0, 1)], ExNexPrior(0, 1, 1, 0, 1, (0.5, 0.5))), "p_exchangeable"),
        (lambda: GridSpec(n_theta=10), "n_theta"),
    ],
)
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(StatsInputError) as err:
        call()
    assert err.value.field == field
