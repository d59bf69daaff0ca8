"""Exact operating characteristics of the prespecified analysis: every basket's test, Holm across them.

For one enrolment scenario (n patients per basket, each followed t years) each
basket's p-value is the lower tail of its total count under its control's null
law (:mod:`basket.stats.control`; an observed control's conditional binomial
test for :class:`~basket.stats.simulate.SimBasket` with ``control_events``).
Because the count is discrete, the test at level ``a`` rejects exactly when the
count is at most a critical value ``c(a)``; Holm compares the baskets' p-values
with ``alpha / J, ..., alpha`` (:mod:`basket.stats.multiplicity`), so each basket
has one critical value per step level.  Under the true counts (the trial
population's untreated rate ``truth_factor`` times the control's point rate, on
treatment times the hypothesised rate ratio) the probability of each step is an
exact CDF value, and the baskets are independent given the control, so the
procedure's rejection probabilities are exact (:func:`rejection_probabilities`).

Reported per basket: the critical values of the first and last Holm step (a
count at or below the first is significant whatever the other baskets show; one
at or below the last only if every other basket is significant), the power of
the prespecified analysis (every basket at its hypothesised rate ratio), its
power tested alone at ``alpha`` (what design showed before: the Holm figure is
what the analysis delivers), and its type I error (every basket without effect);
for the family: the family-wise error under the global null and the probability
that at least one basket is declared beneficial under the hypothesised effects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

from .control import group_pmf
from .errors import StatsInputError, require_positive, require_probability
from .multiplicity import rejection_probabilities, step_levels
from .trial import Scenario, SimBasket

__all__ = ["BasketOC", "FamilyOC", "critical_value", "family_oc", "null_cdf", "truth_cdf"]


@dataclass(frozen=True)
class BasketOC:
    """One basket under the prespecified analysis (probabilities as fractions)."""

    name: str
    method: str
    exposure: float
    expected_null: float
    expected_alt: float
    critical_values: tuple[int, ...]   # at each step level, increasing; -1: no count is significant
    power: float
    power_alone: float
    type1: float
    type1_alone: float


@dataclass(frozen=True)
class FamilyOC:
    scenario: Scenario
    alpha: float
    method: str
    truth_factor: float
    baskets: tuple[BasketOC, ...]
    family_wise_error: float
    any_power: float


def _top(b: SimBasket, sc: Scenario) -> int:
    """A count past the null law's median (every level is below 1/2)."""
    mean = b.control_rate * sc.exposure
    spread = 0.0 if b.shape is None else mean * mean / (b.shape * sc.n_per_basket)
    if b.rate_se is not None:
        spread += (b.rate_se * sc.exposure) ** 2
    return int(mean + 6 * math.sqrt(mean + spread) + 10)


def null_cdf(b: SimBasket, sc: Scenario, top: int | None = None) -> np.ndarray:
    """P(Y <= y) for y = 0..top under the basket's null law (not for an observed control)."""
    if b.estimated_control:
        raise StatsInputError("control_events", "an observed control's test is conditional: no fixed null law")
    top = _top(b, sc) if top is None else top
    return np.minimum(np.cumsum(group_pmf(top, [sc.followup_years] * sc.n_per_basket, b.control)), 1.0)


def critical_value(cdf: np.ndarray, level: float) -> int:
    """Largest c with cdf[c] <= level (-1 when even 0 events are not significant)."""
    return int(np.searchsorted(cdf, level, side="right")) - 1


def _conditional_critical_value(b: SimBasket, sc: Scenario, level: float) -> int:
    pi0 = sc.exposure / (sc.exposure + b.control_exposure)
    c = -1
    while stats.binom.cdf(c + 1, c + 1 + b.control_events, pi0) <= level:
        c += 1
    return c


def truth_cdf(b: SimBasket, sc: Scenario, counts: np.ndarray, rate_ratio: float, truth_factor: float = 1.0):
    """P(Y <= counts) when the untreated rate is ``truth_factor`` x the control's and the effect ``rate_ratio``."""
    mean = b.control_rate * truth_factor * rate_ratio * sc.exposure
    counts = np.asarray(counts)
    if b.shape is None:
        out = stats.poisson.cdf(counts, mean)
    else:
        size = b.shape * sc.n_per_basket
        out = stats.nbinom.cdf(counts, size, size / (size + mean))
    return np.where(counts >= 0, out, 0.0)


@lru_cache(maxsize=1024)
def basket_critical_values(b: SimBasket, sc: Scenario, levels: tuple[float, ...]) -> tuple[int, ...]:
    """The basket's critical value at each level (remembered: robustness tables ask many times)."""
    if b.estimated_control:
        return tuple(_conditional_critical_value(b, sc, a) for a in levels)
    cdf = null_cdf(b, sc)
    return tuple(critical_value(cdf, a) for a in levels)


def _method_name(b: SimBasket) -> str:
    if b.estimated_control:
        return "conditional binomial (estimated control)"
    return "exact " + b.control.describe()


def family_oc(baskets: Sequence[SimBasket], scenario: Scenario, alpha: float, method: str = "holm",
              truth_factor: float = 1.0, truth: Sequence[SimBasket] | None = None) -> FamilyOC:
    """Exact operating characteristics of the prespecified analysis in one scenario.

    The tests are designed for ``baskets``; the counts follow ``truth`` (default the
    same baskets: e.g. Poisson-designed tests under gamma-Poisson counts) with the
    untreated rate ``truth_factor`` times each basket's ``control_rate``.
    """
    require_probability("alpha", alpha)
    require_positive("truth_factor", truth_factor)
    if not baskets:
        raise StatsInputError("baskets", "need at least one basket")
    truth = baskets if truth is None else truth
    if len(truth) != len(baskets):
        raise StatsInputError("truth", "need one count model per basket")
    levels = step_levels(alpha, len(baskets), method)
    criticals = [basket_critical_values(b, scenario, levels) for b in baskets]
    alone = [basket_critical_values(b, scenario, (alpha,))[0] for b in baskets]

    def at(rr_of, cs):
        return np.array([truth_cdf(t, scenario, np.array(c), rr_of(t), truth_factor) for t, c in zip(truth, cs)])

    under_h0, under_h1 = at(lambda t: 1.0, criticals), at(lambda t: t.rate_ratio, criticals)
    type1 = rejection_probabilities(under_h0, method)
    power = rejection_probabilities(under_h1, method)
    type1_alone, power_alone = at(lambda t: 1.0, alone), at(lambda t: t.rate_ratio, alone)
    rows = []
    for j, b in enumerate(baskets):
        expected_null = b.control_rate * scenario.exposure
        rows.append(BasketOC(
            name=b.name, method=_method_name(b), exposure=scenario.exposure, expected_null=expected_null,
            expected_alt=expected_null * b.rate_ratio, critical_values=criticals[j], power=float(power[j]),
            power_alone=float(power_alone[j]), type1=float(type1[j]), type1_alone=float(type1_alone[j]),
        ))
    # any rejection happens exactly when the smallest p-value passes the first level
    fwer = 1.0 - float(np.prod(1.0 - under_h0[:, 0]))
    any_power = 1.0 - float(np.prod(1.0 - under_h1[:, 0]))
    return FamilyOC(scenario, alpha, method, truth_factor, tuple(rows), fwer, any_power)
