"""Robustness of the conclusions to the external control: tipping points.

A natural-history control can be wrong: the trial population's untreated rate may
be lower than the cohort's (better supportive care today, milder genotypes,
selection).  The **tipping point** of a basket is the factor ``f`` on the
control rate at which its conclusion would change: every basket's untreated rate
is taken as ``f`` times its control's (the rate's uncertainty scaled with it),
each basket's p-value is recomputed (:func:`basket.stats.control.group_cdf` with
``factor=f``) and the prespecified multiplicity procedure applied.  A basket's
adjusted p-value can only grow as ``f`` falls (a lower untreated rate makes few
events less surprising, and Holm's adjusted p-values are non-decreasing in every
raw p-value), so the conclusion "benefit shown" holds exactly for ``f >= f*``;
``f*`` is found by bisection on ``log f`` to a relative precision of 1e-6.  For
a basket not significant at ``f = 1``, ``f* > 1`` is the factor the untreated
rate would need to reach for it to become significant.

Applied to observed outcomes (``basket analyze``) and, in the design, to the
*typical* outcome under the hypothesised effect (each basket's median count),
which tells the reader how far below the cohort the trial population's rate may
lie before a trial that goes as planned no longer shows benefit.  The design
also gives the family-wise type I error of the analysis when the untreated rate
is a factor times the control's (:func:`design_robustness`), and of a Poisson or
a gamma-Poisson test under either count model (:func:`count_model_type1`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .control import ExternalControl, group_cdf
from .errors import StatsInputError, require_count, require_probability
from .family_design import family_oc, truth_cdf
from .multiplicity import adjust
from .trial import Scenario, SimBasket

__all__ = ["CountModelCell", "DesignRobustness", "TippingGroup", "TippingPoint", "count_model_type1",
           "design_robustness", "tipping_points", "typical_count"]

_LOW, _HIGH = 1e-3, 1e3


@dataclass(frozen=True)
class TippingGroup:
    """One basket's outcome: its total events, its patients' exposures and its control."""

    name: str
    events: int
    exposures: tuple[float, ...]
    control: ExternalControl

    def __post_init__(self) -> None:
        require_count("events", self.events)
        if not self.exposures:
            raise StatsInputError("exposures", f"basket {self.name}: need at least one patient")


@dataclass(frozen=True)
class TippingPoint:
    """Where a basket's conclusion changes as its untreated rate is scaled.

    ``factor`` is f*: benefit is shown for untreated rates at least ``factor``
    times the control's (``rate`` = f* x the control's rate); None when no factor
    in [1e-3, 1e3] changes the conclusion.
    """

    name: str
    events: int
    expected_events: float
    significant: bool
    factor: float | None
    rate: float | None


def _adjusted(groups: Sequence[TippingGroup], factor: float, method: str, missing: int) -> list[float]:
    tails: dict[tuple, float] = {}
    p = []
    for g in groups:
        key = (g.events, g.exposures, g.control)
        if key not in tails:  # baskets with the same outcome and control share one computation
            tails[key] = group_cdf(g.events, g.exposures, g.control, factor)
        p.append(tails[key])
    return list(adjust(p + [1.0] * missing, method)[: len(groups)])


def _crossing(j: int, groups, alpha: float, method: str, missing: int) -> float | None:
    def significant(f: float) -> bool:
        return _adjusted(groups, f, method, missing)[j] <= alpha

    lo, hi = math.log(_LOW), math.log(_HIGH)
    if significant(_LOW) or not significant(_HIGH):
        return None
    while hi - lo > 1e-6:
        mid = 0.5 * (lo + hi)
        if significant(math.exp(mid)):
            hi = mid
        else:
            lo = mid
    return math.exp(hi)


def tipping_points(groups: Sequence[TippingGroup], alpha: float, method: str = "holm",
                   family_size: int | None = None) -> tuple[TippingPoint, ...]:
    """Each basket's tipping factor under the prespecified procedure.

    ``family_size`` counts the prespecified family (members without data enter
    with p = 1), default the groups given.
    """
    require_probability("alpha", alpha)
    if not groups:
        raise StatsInputError("groups", "need at least one basket")
    missing = (family_size or len(groups)) - len(groups)
    if missing < 0:
        raise StatsInputError("family_size", "smaller than the number of baskets given")
    at_one = _adjusted(groups, 1.0, method, missing)
    out = []
    for j, g in enumerate(groups):
        factor = _crossing(j, groups, alpha, method, missing)
        out.append(TippingPoint(g.name, g.events, g.control.rate * sum(g.exposures), at_one[j] <= alpha,
                                factor, None if factor is None else factor * g.control.rate))
    return tuple(out)


@dataclass(frozen=True)
class DesignRobustness:
    """One scenario's robustness to the control: tipping points of the typical outcome and the type I error
    when the trial population's untreated rate is a factor times the control's."""

    scenario: Scenario
    tipping: tuple[TippingPoint, ...]               # each basket at its median count under the hypothesised effect
    family_wise_error: tuple[tuple[float, float], ...]  # (factor, family-wise error of the analysis)


def _control_of(b: SimBasket) -> ExternalControl:
    if b.estimated_control:  # the gamma form of an observed cohort is its conditional test (see control.py)
        return ExternalControl(b.control_events / b.control_exposure, None,
                               math.sqrt(b.control_events) / b.control_exposure)
    return b.control


def typical_count(b: SimBasket, sc: Scenario) -> int:
    """The median total count under the hypothesised effect."""
    top = int(b.control_rate * b.rate_ratio * sc.exposure * 4 + 20)
    cdf = truth_cdf(b, sc, np.arange(top + 1), b.rate_ratio)
    return int(np.searchsorted(cdf, 0.5))


def design_robustness(baskets: Sequence[SimBasket], scenario: Scenario, alpha: float, method: str = "holm",
                      factors: Sequence[float] = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)) -> DesignRobustness:
    """Tipping points of the typical outcome and family-wise error at each factor on the untreated rate."""
    groups = [TippingGroup(b.name, typical_count(b, scenario), (scenario.followup_years,) * scenario.n_per_basket,
                           _control_of(b)) for b in baskets]
    errors = tuple((float(f), family_oc(baskets, scenario, alpha, method, truth_factor=f).family_wise_error)
                   for f in factors)
    return DesignRobustness(scenario, tipping_points(groups, alpha, method), errors)


@dataclass(frozen=True)
class CountModelCell:
    """The type I error of one test when the counts follow one model."""

    test: str
    counts: str
    family_wise_error: float
    type1_alone: float  # the largest per-basket type I error of the basket's test alone at alpha


def count_model_type1(tests: Sequence[tuple[str, Sequence[SimBasket]]],
                      counts: Sequence[tuple[str, Sequence[SimBasket]]],
                      scenario: Scenario, alpha: float, method: str = "holm") -> tuple[CountModelCell, ...]:
    """Type I error of each labelled design (``tests``) under each labelled count model (``counts``)."""
    cells = []
    for test_label, designed in tests:
        for count_label, truth in counts:
            oc = family_oc(designed, scenario, alpha, method, truth=truth)
            cells.append(CountModelCell(test_label, count_label, oc.family_wise_error,
                                        max(b.type1_alone for b in oc.baskets)))
    return tuple(cells)
