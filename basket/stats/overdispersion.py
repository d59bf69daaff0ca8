"""What a natural-history source says about over-dispersion and about how well its rate is known.

Sources of rare diseases often report a mean count with its range ("mean 3.6
events, range 0-20, in the first 1.5 years") instead of a dispersion.  The range
is evidence:

**Range test** (is the range compatible with Poisson counts?).  With ``n``
patients whose counts over the observation window are Poisson with the reported
mean ``m``, the largest count reaches the reported maximum ``hi`` with
probability ``1 - F(hi - 1)^n`` and the smallest falls to the reported minimum
``lo`` with probability ``1 - (1 - F(lo))^n`` (F the Poisson CDF).  The range
test's p-value is twice the smaller of the two (both ends are looked at), capped
at 1.  Below :data:`INCOMPATIBLE_BELOW` (0.01) the range is called incompatible
with Poisson counts: the counts are over-dispersed.  When ``n`` is an upper bound
(the measure covers part of the cohort), the test is conservative: both
probabilities grow with ``n``.

**Shape from the range.**  Under gamma-Poisson counts (negative binomial, mean
``m``, shape ``k``), the probability that the smallest of ``n`` counts is ``lo``
and the largest ``hi`` is, by inclusion-exclusion,
``[F(hi) - F(lo-1)]^n - [F(hi) - F(lo)]^n - [F(hi-1) - F(lo-1)]^n + [F(hi-1) - F(lo)]^n``.
The shape is its maximum-likelihood value on a log grid of k (1e-3..1e3, 2001
points); the plausible shapes are those within 1.92 log-likelihood units of it
(likelihood-ratio 95% set); a bound is ``None`` when the set reaches the grid's
end (no bound from the range).  The mean is taken as reported.  A larger ``n``
gives a larger estimate (a wide range among many patients needs less
dispersion), so with an upper bound for ``n`` the estimate is the least
over-dispersed one the range allows.

**Standard error of the rate.**  The rate ``lambda = m / t`` estimated from
``n`` patients each observed ``t`` years has variance
``(m + m^2 / k) / (n t^2)`` (gamma-Poisson; the ``m^2 / k`` term drops for
Poisson counts).  From a reported confidence interval ``[lo, hi]`` at level
``L`` instead: the log-scale standard error ``(ln hi - ln lo) / (2 z)`` is the
gamma law's coefficient of variation, so ``se = rate * (ln hi - ln lo) / (2 z)``
with ``z`` the normal quantile at ``(1 + L) / 2``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# scipy.special, not scipy.stats: `basket validate` asks this module, and scipy.stats takes a second to import
from scipy import special

from .errors import StatsInputError, require_count, require_positive, require_probability

__all__ = ["INCOMPATIBLE_BELOW", "RangeEvidence", "range_evidence", "se_from_cohort", "se_from_interval"]

INCOMPATIBLE_BELOW = 0.01
_SHAPES = np.geomspace(1e-3, 1e3, 2001)
_LR_95 = special.chdtri(1, 0.05) / 2  # chi-square(1) 95th percentile, halved


@dataclass(frozen=True)
class RangeEvidence:
    """What a reported mean count and range over ``patients`` say about the count model."""

    mean_count: float
    low: int
    high: int
    patients: int
    p_poisson: float                  # range test p-value under Poisson counts
    poisson_compatible: bool
    shape: float | None               # maximum-likelihood gamma-Poisson shape (None when Poisson fits)
    shape_low: float | None           # plausible shapes (likelihood-ratio 95% set); None: unbounded
    shape_high: float | None


def _nb_cdf(counts: np.ndarray, mean: float, shapes: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts)
    # P(X <= k) for a negative binomial of `shapes` successes: the regularised incomplete beta I_p(shape, k + 1)
    with np.errstate(invalid="ignore"):
        out = special.betainc(shapes, np.maximum(counts[..., None], 0) + 1, shapes / (shapes + mean))
    return np.where(counts[..., None] >= 0, out, 0.0)


def _log_likelihood_of_range(mean: float, low: int, high: int, n: int) -> np.ndarray:
    f_hi, f_hi1, f_lo, f_lo1 = _nb_cdf(np.array([high, high - 1, low, low - 1]), mean, _SHAPES)
    with np.errstate(invalid="ignore"):
        both = ((f_hi - f_lo1) ** n - (f_hi - f_lo) ** n - (f_hi1 - f_lo1) ** n + (f_hi1 - f_lo) ** n)
    with np.errstate(divide="ignore"):
        return np.log(np.clip(both, 0.0, None))


def range_p_value(mean: float, low: int, high: int, n: int) -> float:
    """Range test: probability of a range at least this wide among ``n`` Poisson counts."""
    p_high = 1.0 - special.pdtr(high - 1, mean) ** n if high > 0 else 1.0  # pdtr: the Poisson CDF
    p_low = 1.0 - (1.0 - special.pdtr(low, mean)) ** n
    return float(min(1.0, 2 * min(p_high, p_low)))


def range_evidence(mean_count: float, low: int, high: int, patients: int) -> RangeEvidence:
    """Range test and, when Poisson does not fit, the gamma-Poisson shape the range implies."""
    m = require_positive("mean_count", mean_count)
    lo, hi, n = require_count("low", low), require_count("high", high), require_count("patients", patients)
    if n < 1:
        raise StatsInputError("patients", "need at least one patient")
    if not lo <= m <= hi:
        raise StatsInputError("low", f"the range {lo}-{hi} must contain the mean {m:g}")
    p = range_p_value(m, lo, hi, n)
    if p >= INCOMPATIBLE_BELOW:
        return RangeEvidence(m, lo, hi, n, p, True, None, None, None)
    loglik = _log_likelihood_of_range(m, lo, hi, n)
    best = int(np.argmax(loglik))
    plausible = np.flatnonzero(loglik >= loglik[best] - _LR_95)
    first, last = int(plausible[0]), int(plausible[-1])
    return RangeEvidence(m, lo, hi, n, p, False, float(_SHAPES[best]),
                         None if first == 0 else float(_SHAPES[first]),
                         None if last == _SHAPES.size - 1 else float(_SHAPES[last]))


def se_from_cohort(rate: float, observation_years: float, patients: int, shape: float | None) -> float:
    """Standard error of a rate estimated from ``patients`` each observed ``observation_years``."""
    lam = require_positive("rate", rate)
    t = require_positive("observation_years", observation_years)
    n = require_count("patients", patients)
    if n < 1:
        raise StatsInputError("patients", "need at least one patient")
    m = lam * t
    variance = m + (0.0 if shape is None else m * m / require_positive("shape", shape))
    return math.sqrt(variance / n) / t


def se_from_interval(rate: float, low: float, high: float, level: float = 0.95) -> float:
    """Standard error of a rate from its reported confidence interval (log scale, see the module docstring)."""
    lam = require_positive("rate", rate)
    lo, hi = require_positive("low", low), require_positive("high", high)
    if not lo < lam < hi:
        raise StatsInputError("low", f"the interval {lo:g}-{hi:g} must contain the rate {lam:g}")
    z = special.ndtri((1 + require_probability("level", level)) / 2)  # the normal quantile
    return lam * (math.log(hi) - math.log(lo)) / (2 * z)
