"""Two-level model (variants within baskets within the platform).

Checks: (1) with a vanishing within-basket scale and one variant per basket it
reduces to the one-level EXNEX fit (tolerance 2e-3); (2) for normal likelihoods
and the EX model the variant posterior P(theta_v < 0) equals an independent
computation -- the data are jointly Gaussian given (sigma, tau), so a 2-D
midpoint quadrature over (sigma, tau) with conditional-normal updates gives the
reference (tolerance 3e-3, the grid error of both computations).
"""

import math

import numpy as np
import pytest
from scipy import stats

from basket.stats import ExNexPrior, NormalData, RateData, StatsInputError, fit_exnex, fit_nested


def test_reduces_to_one_level_model():
    prior = ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5)
    data = [RateData("A", 2, 2.0, 3.0), RateData("B", 5, 2.0, 3.0), RateData("C", 1, 1.0, 1.0)]
    one = fit_exnex(data, prior)
    two = fit_nested({d.name: [d] for d in data}, prior, within_scale=1e-4)
    for a, b, v in zip(one.baskets, two.baskets.baskets, two.variants):
        assert b.p_benefit == pytest.approx(a.p_benefit, abs=2e-3)
        assert v.p_benefit == pytest.approx(a.p_benefit, abs=2e-3)
        assert v.name == f"{a.name}/{a.name}"


def _reference(y, se, m, s, tau_scale, within_scale, n=300):
    """P(theta_1 < 0 | y) for one basket of normal variants, EX prior."""
    taus = (np.arange(n) + 0.5) * 4.5 * tau_scale / n
    sigmas = (np.arange(n) + 0.5) * 4.5 * within_scale / n
    y, se = np.asarray(y, float), np.asarray(se, float)
    num = den = 0.0
    for tau in taus:
        for sigma in sigmas:
            v = s * s + tau * tau
            cov = v + np.diag(sigma ** 2 + se ** 2)
            c = np.full(y.size, v)
            c[0] += sigma ** 2
            w = stats.halfnorm.pdf(tau, scale=tau_scale) * stats.halfnorm.pdf(sigma, scale=within_scale)
            w *= stats.multivariate_normal.pdf(y, np.full(y.size, m), cov)
            sol = np.linalg.solve(cov, c)
            mean = m + sol @ (y - m)
            var = v + sigma ** 2 - sol @ c
            num += w * stats.norm.cdf(0.0, mean, math.sqrt(var))
            den += w
    return num / den


def test_normal_variants_match_gaussian_quadrature():
    y, se = [-0.9, -0.2, 0.4], [0.5, 0.6, 0.8]
    prior = ExNexPrior.exchangeable(0.0, 1.0, 0.3)
    fit = fit_nested({"B": [NormalData(f"v{i}", yi, si) for i, (yi, si) in enumerate(zip(y, se))]},
                     prior, within_scale=0.4)
    ref = _reference(y, se, 0.0, 1.0, 0.3, 0.4, n=120)
    assert fit.variants[0].p_benefit == pytest.approx(ref, abs=3e-3)


def test_variants_borrow_within_their_basket():
    prior = ExNexPrior(0.0, 2.0, 0.5, 0.0, 2.0, 0.5)
    strong = [RateData("v1", 0, 3.0, 3.0), RateData("v2", 1, 3.0, 3.0)]
    weak = RateData("v3", 2, 1.0, 3.0)
    tight = fit_nested({"B": [*strong, weak]}, prior, within_scale=0.1).variants[-1].p_benefit
    loose = fit_nested({"B": [*strong, weak]}, prior, within_scale=2.0).variants[-1].p_benefit
    alone = fit_exnex([RateData("v3", 2, 1.0, 3.0)], prior).baskets[0].p_benefit
    assert tight > loose > alone - 0.05


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"within_scale": 0.0}, "within_scale"),
        ({"within_scale": 0.3, "n_sigma": 2}, "n_sigma"),
    ],
)
def test_bad_inputs(kwargs, field):
    with pytest.raises(StatsInputError) as err:
        fit_nested({"B": [NormalData("a", 0.0, 1.0)]}, ExNexPrior.exchangeable(0, 1, 1), **kwargs)
    assert err.value.field == field
    with pytest.raises(StatsInputError):
        fit_nested({"B": []}, ExNexPrior.exchangeable(0, 1, 1), 0.3)
