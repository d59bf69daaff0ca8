"""Exact tests and intervals for event rates against an external control.

Notation: ``Y`` is the total number of on-treatment events over a total exposure
``E`` (patient-years); the external (natural-history) control rate is ``lambda0``
events per patient-year; the rate ratio is ``RR = lambda / lambda0`` and *benefit*
means fewer events, ``RR < 1``.  All tests are one-sided (H0: RR >= 1 against
H1: RR < 1) unless stated; intervals are two-sided with equal tails.

Methods
-------
* Garwood (1936) interval for a Poisson mean ``mu`` after observing ``y``:
  ``[chi2_{a/2}(2y) / 2, chi2_{1-a/2}(2y + 2) / 2]`` (lower limit 0 when y = 0).
  Garwood F. Fiducial limits for the Poisson distribution. Biometrika 1936;28:437-442.
  Tabulated by Ulm K. A simple method to calculate the confidence interval of a
  standardized mortality ratio. Am J Epidemiol 1990;131:373-375.
* Clopper-Pearson (1934) interval for a binomial proportion via beta quantiles.
* Known control rate: ``Y ~ Poisson(RR * lambda0 * E)``; p = P(Y <= y | RR = 1).
* Over-dispersed natural history (gamma-Poisson): each patient's count is
  negative binomial with mean ``lambda * t`` and shape ``k`` (variance
  ``mu + mu^2 / k``).  With equal follow-up ``t`` for ``n`` patients the total is
  NB(size = n k, mean = n t lambda) -- a sum of iid NB with a common success
  probability.  With unequal follow-up the exact null distribution of the total
  is the convolution of the patients' NB laws (:func:`negbin_total_cdf`).
* Control rate estimated from ``y0`` events over ``E0`` (two Poisson counts):
  conditional on ``N = Y + y0``, ``Y ~ Binomial(N, pi)`` with
  ``pi = RR E / (RR E + E0)``; p = P(Bin(N, E/(E+E0)) <= y) and the interval for
  RR maps the Clopper-Pearson interval for pi through ``RR = pi/(1-pi) * E0/E``
  (Przyborowski & Wilenski 1940; Fay MP, R Journal 2010;2:53-58).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .errors import (
    StatsInputError,
    require_count,
    require_positive,
    require_probability,
)

__all__ = [
    "ExactDesign",
    "Interval",
    "RateTest",
    "clopper_pearson_interval",
    "conditional_design",
    "conditional_rate_ratio_test",
    "garwood_interval",
    "negbin_design",
    "negbin_test_known_rate",
    "negbin_total_cdf",
    "poisson_design",
    "poisson_rate_interval",
    "poisson_test_known_rate",
]


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval ``[lower, upper]`` at ``level``."""

    lower: float
    upper: float
    level: float
    method: str


@dataclass(frozen=True)
class RateTest:
    """Result of a one-sided exact test of H0: RR >= 1 against H1: RR < 1.

    ``expected_null`` is the expected number of events under H0 (for the
    conditional test: ``N * E / (E + E0)``); ``rate_ratio`` the point estimate;
    ``interval`` the two-sided interval for the rate ratio.
    """

    events: int
    exposure: float
    expected_null: float
    rate_ratio: float
    p_value: float
    interval: Interval
    method: str


@dataclass(frozen=True)
class ExactDesign:
    """Exact critical value and power of a one-sided rate test.

    Reject H0 when the total on-treatment events are ``<= critical_value``
    (``-1`` means no outcome can reach significance: power 0).  ``size`` is the
    attained type I error (``<= alpha``), ``power`` the exact probability of
    rejecting at the hypothesised rate ratio, ``randomized_power`` the power of
    the randomized test of size exactly alpha (the smooth envelope; NaN for the
    conditional design).  For the conditional design ``size`` is evaluated at
    the control rate given and conditional on the observed control count.
    """

    method: str
    alpha: float
    exposure: float
    expected_null: float
    expected_alt: float
    critical_value: int
    size: float
    power: float
    randomized_power: float


def _randomized_power(cdf0, pmf0, cdf1, pmf1, c: int, alpha: float) -> float:
    """Power of the UMP randomized test of size exactly alpha.

    Rejects for Y <= c and with probability g = (alpha - F0(c)) / f0(c+1) at
    Y = c + 1.  It is the upper envelope of the non-randomized power, which
    is saw-toothed in the exposure because the counts are discrete.
    """
    f0c = cdf0(c) if c >= 0 else 0.0
    g = (alpha - f0c) / pmf0(c + 1)
    return float((cdf1(c) if c >= 0 else 0.0) + g * pmf1(c + 1))


def _level(level: float) -> float:
    return require_probability("level", level)


def garwood_interval(events: int, level: float = 0.95) -> Interval:
    """Garwood (1936) exact interval for a Poisson mean given ``events``."""
    y = require_count("events", events)
    a = 1.0 - _level(level)
    lower = 0.0 if y == 0 else stats.chi2.ppf(a / 2, 2 * y) / 2
    upper = stats.chi2.ppf(1 - a / 2, 2 * y + 2) / 2
    return Interval(float(lower), float(upper), level, "Garwood exact Poisson")


def clopper_pearson_interval(successes: int, trials: int, level: float = 0.95) -> Interval:
    """Clopper-Pearson exact interval for a binomial proportion."""
    x = require_count("successes", successes)
    n = require_count("trials", trials)
    if x > n:
        raise StatsInputError("successes", f"must not exceed trials ({n}), got {x}")
    a = 1.0 - _level(level)
    if n == 0:
        return Interval(0.0, 1.0, level, "Clopper-Pearson")
    lower = 0.0 if x == 0 else stats.beta.ppf(a / 2, x, n - x + 1)
    upper = 1.0 if x == n else stats.beta.ppf(1 - a / 2, x + 1, n - x)
    return Interval(float(lower), float(upper), level, "Clopper-Pearson")


def poisson_rate_interval(events: int, exposure: float, level: float = 0.95) -> Interval:
    """Garwood interval for a rate: the mean's limits divided by ``exposure``."""
    e = require_positive("exposure", exposure)
    g = garwood_interval(events, level)
    return Interval(g.lower / e, g.upper / e, level, g.method)


def poisson_test_known_rate(
    events: int, exposure: float, control_rate: float, level: float = 0.95
) -> RateTest:
    """Exact one-sided Poisson test of the rate against a known control rate.

    ``mu0 = control_rate * exposure``; p = P(Poisson(mu0) <= events); the RR
    interval is the Garwood interval divided by ``mu0`` (as for an SMR).
    """
    y = require_count("events", events)
    e = require_positive("exposure", exposure)
    mu0 = require_positive("control_rate", control_rate) * e
    g = garwood_interval(y, level)
    interval = Interval(g.lower / mu0, g.upper / mu0, level, "Garwood exact Poisson")
    p = float(stats.poisson.cdf(y, mu0))
    return RateTest(y, e, mu0, y / mu0, p, interval, "exact Poisson vs known rate")


def _nb_p(shape: float, mean: np.ndarray | float) -> np.ndarray | float:
    """Success probability of scipy's NB(n=shape, p) with the given mean."""
    return shape / (shape + mean)


def negbin_total_cdf(
    events: int, exposures: Sequence[float], rate: float, shape: float
) -> float:
    """P(sum_i Y_i <= events) for independent Y_i ~ NB(mean rate*t_i, shape).

    Exact: convolves each patient's pmf truncated at ``events`` (the CDF at
    ``events`` only needs the pmf values 0..events).
    """
    y = require_count("events", events)
    k = require_positive("shape", shape)
    lam = require_positive("control_rate", rate)
    if len(exposures) == 0:
        raise StatsInputError("exposures", "need at least one patient")
    support = np.arange(y + 1)
    total = np.zeros(y + 1)
    total[0] = 1.0
    for i, t in enumerate(exposures):
        t = require_positive(f"exposures[{i}]", t)
        pmf = stats.nbinom.pmf(support, k, _nb_p(k, lam * t))
        total = np.convolve(total, pmf)[: y + 1]
    return float(min(1.0, total.sum()))


def negbin_test_known_rate(
    events: int,
    exposures: Sequence[float],
    control_rate: float,
    shape: float,
    level: float = 0.95,
) -> RateTest:
    """Exact one-sided test for over-dispersed counts against a known rate.

    p = P(sum_i NB(mean control_rate * t_i, shape) <= events).  The rate-ratio
    interval inverts the same tail probabilities numerically (exact for the
    gamma-Poisson model with known shape).
    """
    y = require_count("events", events)
    t = [require_positive(f"exposures[{i}]", v) for i, v in enumerate(exposures)]
    lam = require_positive("control_rate", control_rate)
    k = require_positive("shape", shape)
    a = 1.0 - _level(level)
    mu0 = lam * sum(t)
    p = negbin_total_cdf(y, t, lam, k)

    def cdf_at(rr: float, count: int) -> float:
        return negbin_total_cdf(count, t, lam * rr, k) if count >= 0 else 0.0

    upper = _solve_rr(lambda rr: cdf_at(rr, y) - a / 2)
    lower = 0.0 if y == 0 else _solve_rr(lambda rr: 1 - cdf_at(rr, y - 1) - a / 2)
    interval = Interval(lower, upper, level, "exact gamma-Poisson (test inversion)")
    return RateTest(y, sum(t), mu0, y / mu0, p, interval, "exact negative binomial vs known rate")


def _solve_rr(f) -> float:
    """Root of a monotone function of RR on (0, inf), bracketing on a log scale."""
    from scipy.optimize import brentq

    lo, hi = 1e-8, 1.0
    while f(hi) * f(lo) > 0 and hi < 1e8:
        hi *= 4
    if f(hi) * f(lo) > 0:
        return math.inf
    return float(brentq(f, lo, hi, xtol=1e-12, rtol=1e-10))


def conditional_rate_ratio_test(
    events: int,
    exposure: float,
    control_events: int,
    control_exposure: float,
    level: float = 0.95,
) -> RateTest:
    """Conditional binomial test of two Poisson rates (treated vs control).

    Given N = events + control_events, events ~ Bin(N, E/(E+E0)) under RR = 1.
    p = binomial CDF at ``events``; RR interval from Clopper-Pearson on pi.
    """
    y = require_count("events", events)
    y0 = require_count("control_events", control_events)
    e = require_positive("exposure", exposure)
    e0 = require_positive("control_exposure", control_exposure)
    n = y + y0
    pi0 = e / (e + e0)
    cp = clopper_pearson_interval(y, n, level)
    interval = Interval(_pi_to_rr(cp.lower, e, e0), _pi_to_rr(cp.upper, e, e0), level,
                        "Clopper-Pearson conditional binomial")
    p = float(stats.binom.cdf(y, n, pi0)) if n > 0 else 1.0
    estimate = math.inf if y0 == 0 else (y / e) / (y0 / e0)
    if y == 0 and y0 == 0:
        estimate = math.nan
    return RateTest(y, e, n * pi0, estimate, p, interval, "conditional binomial (two Poisson rates)")


def _pi_to_rr(pi: float, e: float, e0: float) -> float:
    return math.inf if pi >= 1.0 else pi / (1.0 - pi) * e0 / e


def _lower_critical_value(cdf, start: float, alpha: float) -> int:
    """Largest c with cdf(c) <= alpha (``-1`` if even cdf(0) > alpha).

    ``start`` is a first guess (the alpha-quantile); the search steps from it.
    """
    c = max(int(start), -1)
    while c >= 0 and cdf(c) > alpha:
        c -= 1
    while cdf(c + 1) <= alpha:
        c += 1
    return c


def poisson_design(
    control_rate: float, exposure: float, rate_ratio: float, alpha: float = 0.025
) -> ExactDesign:
    """Critical value and exact power of the one-sided Poisson test.

    c = max{c : P(Poisson(lambda0 E) <= c) <= alpha};
    power = P(Poisson(RR lambda0 E) <= c).
    """
    lam = require_positive("control_rate", control_rate)
    e = require_positive("exposure", exposure)
    rr = require_positive("rate_ratio", rate_ratio)
    a = require_probability("alpha", alpha)
    mu0, mu1 = lam * e, rr * lam * e
    c = _lower_critical_value(lambda x: stats.poisson.cdf(x, mu0), stats.poisson.ppf(a, mu0), a)
    size = float(stats.poisson.cdf(c, mu0)) if c >= 0 else 0.0
    power = float(stats.poisson.cdf(c, mu1)) if c >= 0 else 0.0
    rand = _randomized_power(lambda x: stats.poisson.cdf(x, mu0), lambda x: stats.poisson.pmf(x, mu0),
                             lambda x: stats.poisson.cdf(x, mu1), lambda x: stats.poisson.pmf(x, mu1), c, a)
    return ExactDesign("exact Poisson", a, e, mu0, mu1, c, size, power, rand)


def negbin_design(
    control_rate: float,
    n_patients: int,
    followup_years: float,
    shape: float,
    rate_ratio: float,
    alpha: float = 0.025,
) -> ExactDesign:
    """Critical value and exact power under gamma-Poisson over-dispersion.

    Total events ~ NB(size = n k, mean = n t lambda) (equal follow-up t);
    the same shape k is assumed on treatment.
    """
    lam = require_positive("control_rate", control_rate)
    n = require_count("n_patients", n_patients)
    if n == 0:
        raise StatsInputError("n_patients", "must be >= 1")
    t = require_positive("followup_years", followup_years)
    k = require_positive("shape", shape)
    rr = require_positive("rate_ratio", rate_ratio)
    a = require_probability("alpha", alpha)
    mu0, mu1, size_param = n * t * lam, n * t * lam * rr, n * k
    p0, p1 = _nb_p(size_param, mu0), _nb_p(size_param, mu1)
    c = _lower_critical_value(lambda x: stats.nbinom.cdf(x, size_param, p0),
                              stats.nbinom.ppf(a, size_param, p0), a)
    size = float(stats.nbinom.cdf(c, size_param, p0)) if c >= 0 else 0.0
    power = float(stats.nbinom.cdf(c, size_param, p1)) if c >= 0 else 0.0
    rand = _randomized_power(lambda x: stats.nbinom.cdf(x, size_param, p0),
                             lambda x: stats.nbinom.pmf(x, size_param, p0),
                             lambda x: stats.nbinom.cdf(x, size_param, p1),
                             lambda x: stats.nbinom.pmf(x, size_param, p1), c, a)
    return ExactDesign("exact negative binomial", a, n * t, mu0, mu1, c, size, power, rand)


def conditional_design(
    control_events: int,
    control_exposure: float,
    exposure: float,
    rate_ratio: float,
    alpha: float = 0.025,
    control_rate: float | None = None,
) -> ExactDesign:
    """Critical value and power of the conditional test with a fixed control.

    The natural-history counts (y0, E0) are already observed, so the design is
    conditional on them: reject when P(Bin(Y + y0, E/(E+E0)) <= Y) <= alpha,
    which holds exactly for Y <= c (the p-value increases with Y).  Power and
    size are P(Poisson(RR lambda_c E) <= c) with lambda_c = ``control_rate``
    (default y0 / E0) and RR = ``rate_ratio`` resp. 1.
    """
    y0 = require_count("control_events", control_events)
    e0 = require_positive("control_exposure", control_exposure)
    e = require_positive("exposure", exposure)
    rr = require_positive("rate_ratio", rate_ratio)
    a = require_probability("alpha", alpha)
    lam = y0 / e0 if control_rate is None else require_positive("control_rate", control_rate)
    if lam <= 0:
        raise StatsInputError("control_events", "a control with 0 events cannot show a reduction")
    pi0 = e / (e + e0)
    c = -1
    while stats.binom.cdf(c + 1, c + 1 + y0, pi0) <= a:
        c += 1
    mu0, mu1 = lam * e, rr * lam * e
    size = float(stats.poisson.cdf(c, mu0)) if c >= 0 else 0.0
    power = float(stats.poisson.cdf(c, mu1)) if c >= 0 else 0.0
    return ExactDesign("conditional binomial (estimated control)", a, e, mu0, mu1, c, size, power, math.nan)
