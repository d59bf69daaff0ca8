"""Interim looks: the predictive probability that the prespecified final analysis succeeds.

At an interim look some patients of a basket have been dosed and followed for a
while; the final analysis is the prespecified one (each basket's exact test
against its natural-history control, :mod:`basket.stats.control`, Holm or
Bonferroni across the designable baskets at the program's alpha).  The
**predictive probability of success** (PPoS) of a basket is the probability
that the final analysis declares it beneficial, given the events seen so far and
integrating over the events still to come (Spiegelhalter, Freedman & Blackburn,
Control Clin Trials 1986;7:8-17; Dmitrienko & Wang, Stat Med 2006;25:2178-2195).

Final analysis.  Each dosed patient is followed ``final_follow_up`` years (a
patient already followed longer keeps their exposure); patients still to come,
``final_patients`` minus those dosed (none when more were dosed), are followed
``final_follow_up`` years each.  The final test is exact and its p-value grows
with the total count, so at each Holm level ``a`` the basket succeeds exactly
when its final total is at most a critical value ``c(a)`` of the control's null
law of the final exposures (control-rate uncertainty and over-dispersion as the
program states, :func:`basket.stats.control.group_pmf`).

Prior and predictive.  The on-treatment rate is ``lambda = theta lambda0``
(``lambda0`` the control's point rate) with ``theta ~ Gamma(shape a, mean m)``
(the program's ``prior_shape`` and ``prior_rate_ratio``): a prior that weighs as
much as ``a`` events observed over ``a / (m lambda0)`` patient-years.

* **Poisson counts**: the posterior is conjugate, ``Gamma(a + y, a / (m lambda0) + E)``
  after ``y`` events over ``E`` patient-years, and the future total over the
  remaining exposure ``R`` is negative binomial ``NB(a + y, B / (B + R))`` --
  closed form, exact.
* **Gamma-Poisson counts** (shape ``k``): patient i's own rate is
  ``lambda g_i`` with ``g_i ~ Gamma(k, k)``, so a dosed patient's future events
  depend on their past: given ``lambda`` they are ``NB(k + y_i, (k/lambda + t_i)
  / (k/lambda + t_i + r_i))`` over their remaining ``r_i`` years, a new patient's
  ``NB(k, (k/lambda) / (k/lambda + T))``.  The posterior of ``lambda`` (gamma prior,
  negative-binomial likelihood of each patient) is integrated on a grid of 4,001
  points in ``log lambda`` spanning the prior's and the Poisson posterior's
  1e-12 quantiles (trapezoid rule; within 1e-6 of adaptive quadrature, tested).

The future total is enumerated up to the largest count that can still succeed, so
every basket's probability at every Holm level is exact (up to that quadrature);
baskets are independent given their data, so the procedure's success
probabilities follow exactly from :func:`basket.stats.multiplicity.rejection_probabilities`
(Monte Carlo with a fixed seed beyond 8 baskets).

**Conditional power** is the same probability with ``lambda`` fixed at the
design's hypothesised effect (``rate_ratio`` times ``lambda0``) instead of
integrated over its posterior: the classical figure, for comparison.

Limits.  The predictive is about the on-treatment rate only: the control's law
is the final test's, not updated by trial data.  A basket with no dosed patient
gets the prior predictive.  Patients with only a pre-dose row are not dosed and
count among those to come.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .control import ExternalControl, group_pmf
from .errors import StatsInputError, require_count, require_positive, require_probability
from .multiplicity import rejection_probabilities, step_levels

__all__ = ["BasketLook", "InterimBasket", "InterimLook", "InterimPrior", "interim_look", "predictive_success"]

_GRID_POINTS = 4001
_GRID_TAIL = 1e-12


@dataclass(frozen=True)
class InterimPrior:
    """Gamma prior on the on-treatment / natural-history rate ratio: mean ``rate_ratio``, shape ``shape``."""

    rate_ratio: float
    shape: float

    def __post_init__(self) -> None:
        require_positive("prior_rate_ratio", self.rate_ratio)
        require_positive("prior_shape", self.shape)


@dataclass(frozen=True)
class InterimBasket:
    """One basket at an interim look: its dosed patients' post-dose events and years so far, and the plan."""

    name: str
    control: ExternalControl
    events: tuple[int, ...]
    exposures: tuple[float, ...]
    final_patients: int
    final_follow_up: float
    rate_ratio: float  # the design's hypothesised effect (conditional power)

    def __post_init__(self) -> None:
        if len(self.events) != len(self.exposures):
            raise StatsInputError("events", f"basket {self.name}: one count and one exposure per patient")
        for i, (y, t) in enumerate(zip(self.events, self.exposures)):
            require_count(f"events[{i}]", y)
            require_positive(f"exposures[{i}]", t)
        if require_count("final_patients", self.final_patients) < 1:
            raise StatsInputError("final_patients", "must be >= 1")
        require_positive("final_follow_up", self.final_follow_up)
        require_positive("rate_ratio", self.rate_ratio)

    @property
    def observed(self) -> int:
        return sum(self.events)

    @property
    def to_come(self) -> int:
        """Patients still to be dosed."""
        return max(self.final_patients - len(self.events), 0)

    @property
    def remaining(self) -> np.ndarray:
        """Years still to follow each dosed patient."""
        return np.maximum(self.final_follow_up - np.asarray(self.exposures, dtype=float), 0.0)

    @property
    def final_exposures(self) -> list[float]:
        return [max(t, self.final_follow_up) for t in self.exposures] + [self.final_follow_up] * self.to_come


@dataclass(frozen=True)
class BasketLook:
    """A basket's interim figures (probabilities as fractions)."""

    name: str
    dosed: int
    planned: int
    events: int
    exposure_years: float
    critical_values: tuple[int, ...]  # of the final total at each step level, increasing; -1: none
    predictive_success: float         # P(declared beneficial at the final analysis | data), the procedure applied
    predictive_success_alone: float   # the basket's test alone at alpha
    conditional_power: float          # the same with the design's effect instead of the posterior
    futility: bool | None             # below the program's non-binding futility threshold (None: no threshold)


@dataclass(frozen=True)
class InterimLook:
    alpha: float
    method: str
    prior: InterimPrior
    futility_below: float | None
    baskets: tuple[BasketLook, ...]
    any_success: float                # P(at least one basket declared beneficial | data)
    any_success_conditional: float


def _final_null_cdf(basket: InterimBasket, level: float) -> np.ndarray:
    """P(final total <= y), y = 0..top, under the control's null law, with cdf[top] above ``level``."""
    exposures = basket.final_exposures
    control = basket.control
    mean = control.rate * sum(exposures)
    top = int(mean + 6 * math.sqrt(mean + mean * mean) + 10)
    while True:
        cdf = np.minimum(np.cumsum(group_pmf(top, exposures, control)), 1.0)
        if cdf[-1] > level:
            return cdf
        top *= 2


def critical_values(basket: InterimBasket, levels: Sequence[float]) -> tuple[int, ...]:
    """Largest final total significant at each level (-1 when none is)."""
    cdf = _final_null_cdf(basket, max(levels))
    return tuple(int(np.searchsorted(cdf, a, side="right")) - 1 for a in levels)


def _posterior_grid(basket: InterimBasket, prior: InterimPrior) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the on-treatment rate's posterior (gamma-Poisson counts), see the docstring."""
    k = basket.control.shape
    a, b = prior.shape, prior.shape / (prior.rate_ratio * basket.control.rate)
    y = np.asarray(basket.events, dtype=float)
    t = np.asarray(basket.exposures, dtype=float)
    ends = [stats.gamma.ppf(_GRID_TAIL, a, scale=1 / b), stats.gamma.isf(_GRID_TAIL, a, scale=1 / b),
            stats.gamma.ppf(_GRID_TAIL, a + y.sum(), scale=1 / (b + t.sum())),
            stats.gamma.isf(_GRID_TAIL, a + y.sum(), scale=1 / (b + t.sum()))]
    low, high = math.log(max(min(ends), 1e-300)), math.log(max(ends))
    log_rate = np.linspace(low, high, _GRID_POINTS)
    rate = np.exp(log_rate)
    # log prior density of log(rate): a log(rate) - b rate (constants drop out on normalising)
    log_post = a * log_rate - b * rate
    if y.size:
        p = k / (k + rate[:, None] * t[None, :])
        log_post += stats.nbinom.logpmf(y[None, :], k, p).sum(axis=1)
    weights = np.exp(log_post - log_post.max())
    weights[[0, -1]] *= 0.5  # trapezoid rule on the uniform grid
    return rate, weights / weights.sum()


def _future_pmf_given_rate(basket: InterimBasket, rates: np.ndarray, top: int) -> np.ndarray:
    """(nodes, top + 1): P(future total = 0..top | on-treatment rate) for each rate node."""
    support = np.arange(top + 1)
    k = basket.control.shape
    if k is None:
        mean = rates * (basket.remaining.sum() + basket.to_come * basket.final_follow_up)
        return stats.poisson.pmf(support[None, :], mean[:, None])
    total = np.zeros((rates.size, top + 1))
    total[:, 0] = 1.0
    inverse = k / rates  # the rate parameter k / lambda of each patient's own-rate gamma law
    laws = [(k + y, inverse + t, r) for y, t, r in zip(basket.events, basket.exposures, basket.remaining) if r > 0]
    if basket.to_come:
        laws.append((basket.to_come * k, inverse, basket.final_follow_up))  # iid with one success probability
    for size, scale_rate, years in laws:
        pmf = stats.nbinom.pmf(support[None, :], size, scale_rate[:, None] / (scale_rate[:, None] + years))
        total = np.stack([np.convolve(u, v)[: top + 1] for u, v in zip(total, pmf)])
    return total


def _predictive_cdf(basket: InterimBasket, prior: InterimPrior, top: int) -> np.ndarray:
    """P(future total <= 0..top | data), integrating over the on-treatment rate's posterior."""
    if basket.control.shape is None:
        a = prior.shape + basket.observed
        b = prior.shape / (prior.rate_ratio * basket.control.rate) + sum(basket.exposures)
        future = basket.remaining.sum() + basket.to_come * basket.final_follow_up
        return stats.nbinom.cdf(np.arange(top + 1), a, b / (b + future))
    rates, weights = _posterior_grid(basket, prior)
    return np.cumsum(weights @ _future_pmf_given_rate(basket, rates, top))


def _conditional_cdf(basket: InterimBasket, top: int) -> np.ndarray:
    """P(future total <= 0..top) when the on-treatment rate is the design's."""
    rate = np.array([basket.control.rate * basket.rate_ratio])
    return np.cumsum(_future_pmf_given_rate(basket, rate, top)[0])


def _success(cdf: np.ndarray, critical: Sequence[int], observed: int) -> np.ndarray:
    """P(final total <= c) for each critical value c, from the future total's CDF."""
    room = np.asarray(critical) - observed
    return np.where(room >= 0, cdf[np.clip(room, 0, None)], 0.0).clip(0.0, 1.0)


def predictive_success(basket: InterimBasket, prior: InterimPrior, levels: Sequence[float]) -> np.ndarray:
    """P(the basket's final test is significant at each level | interim data), the test alone."""
    critical = critical_values(basket, levels)
    top = max(max(critical) - basket.observed, 0)
    return _success(_predictive_cdf(basket, prior, top), critical, basket.observed)


def interim_look(baskets: Sequence[InterimBasket], prior: InterimPrior, alpha: float, method: str = "holm",
                 futility_below: float | None = None) -> InterimLook:
    """Predictive probability of success and conditional power of every basket of the prespecified family."""
    require_probability("alpha", alpha)
    if futility_below is not None:
        require_probability("futility_below", futility_below)
    if not baskets:
        raise StatsInputError("baskets", "need at least one basket")
    if method == "none":
        levels: tuple[float, ...] = (alpha,)
    else:
        levels = step_levels(alpha, len(baskets), method)
    rows, predictive, conditional = [], [], []
    for b in baskets:
        critical = critical_values(b, (*levels, alpha))
        top = max(max(critical) - b.observed, 0)
        pred = _success(_predictive_cdf(b, prior, top), critical, b.observed)
        cond = _success(_conditional_cdf(b, top), critical, b.observed)
        predictive.append(pred[:-1])
        conditional.append(cond[:-1])
        rows.append((b, critical[:-1], float(pred[-1])))
    if method == "none":
        ppos, cp = np.array(predictive)[:, 0], np.array(conditional)[:, 0]
    else:
        ppos, cp = rejection_probabilities(np.array(predictive), method), rejection_probabilities(np.array(conditional), method)
    looks = tuple(BasketLook(b.name, len(b.events), b.final_patients, b.observed, float(sum(b.exposures)),
                             critical, float(ppos[j]), alone, float(cp[j]),
                             None if futility_below is None else bool(ppos[j] < futility_below))
                  for j, (b, critical, alone) in enumerate(rows))
    # some basket is declared beneficial exactly when the smallest p-value passes the first level
    first = np.array(predictive)[:, 0], np.array(conditional)[:, 0]
    return InterimLook(alpha, method, prior, futility_below, looks, 1.0 - float(np.prod(1.0 - first[0])),
                       1.0 - float(np.prod(1.0 - first[1])))
