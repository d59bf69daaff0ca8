"""The external (natural-history) control: its event rate, how counts vary around it, how well it is known.

An :class:`ExternalControl` is the null model of a basket's on-treatment events:

* **counts**: given the untreated rate ``lambda``, patient i followed for ``t_i``
  years has ``Poisson(lambda t_i)`` events, or gamma-Poisson (negative binomial,
  mean ``lambda t_i``, shape ``k``) when the natural history is over-dispersed;
* **the rate**: known, or estimated from a cohort with standard error ``rate_se``.
  An estimated rate is given the gamma law with the estimate as mean and
  ``rate_se`` as standard deviation (shape ``a = (rate / rate_se)^2``).

The null law of a group's total count is the mixture, over the rate's law, of
the convolution of the patients' count laws.  For Poisson counts and a gamma
rate it is closed form, ``NB(a, b / (b + E))`` with ``b = a / rate`` -- the
prior-predictive law of Box (1980).  When the cohort observed ``y0`` events
over ``E0`` patient-years (``rate = y0 / E0``, ``rate_se = sqrt(y0) / E0``, so
``a = y0`` and ``b = E0``) its lower tail equals the exact conditional binomial
test of the two Poisson rates, ``P(Bin(y + y0, E / (E + E0)) <= y)`` (the
negative binomial - binomial identity): the uncertain-rate test is the
two-sample comparison with the cohort as control arm, not an ad-hoc correction.
Otherwise the mixture is integrated numerically by double-exponential
(tanh-sinh) quadrature in the rate's probability scale: 129 nodes, within 1e-9
of the closed form for a >= 2 and expected counts up to 100 (tested).

Tests are one-sided for benefit (fewer events than the control predicts):
``p = P(Y <= y)`` under the null law; the rate-ratio interval inverts the same
tail probabilities in a common factor on the on-treatment rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special, stats

from .errors import StatsInputError, require_count, require_positive, require_probability
from .exact import Interval, RateTest, _solve_rr

__all__ = ["ExternalControl", "control_test", "group_cdf", "group_pmf", "pooled_test", "rate_interval", "rate_nodes"]

# tanh-sinh step and half-width in t: 129 nodes (see the module docstring for the accuracy); 33 when coarse
_DE_STEP, _DE_COARSE_STEP, _DE_HALF_WIDTH = 0.05, 0.2, 3.2


@dataclass(frozen=True)
class ExternalControl:
    """A natural-history event rate (events per patient-year) as the null model of counts."""

    rate: float
    shape: float | None = None
    rate_se: float | None = None

    def __post_init__(self) -> None:
        require_positive("control_rate", self.rate)
        if self.shape is not None:
            require_positive("shape", self.shape)
        if self.rate_se is not None:
            require_positive("rate_se", self.rate_se)

    @property
    def known(self) -> bool:
        return self.rate_se is None

    @property
    def rate_shape(self) -> float | None:
        """Shape ``a`` of the rate's gamma law (None when the rate is known)."""
        return None if self.rate_se is None else (self.rate / self.rate_se) ** 2

    def scaled(self, factor: float) -> ExternalControl:
        """The same control with its rate (and standard error) multiplied by ``factor``."""
        se = None if self.rate_se is None else self.rate_se * factor
        return ExternalControl(self.rate * factor, self.shape, se)

    def describe(self) -> str:
        counts = "Poisson counts" if self.shape is None else f"gamma-Poisson counts (shape {self.shape:.3g})"
        rate = ("rate taken as known" if self.known
                else f"rate uncertain (standard error {self.rate_se:.3g})")
        return f"{counts}, {rate}"


@lru_cache(maxsize=2)
def _de_rule(step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """tanh-sinh nodes on (0, 1) as (u, 1 - u, weights), weights summing to 1."""
    t = np.arange(-_DE_HALF_WIDTH, _DE_HALF_WIDTH + step / 2, step)
    s = np.pi * np.sinh(t)
    u, v = special.expit(s), special.expit(-s)
    w = step * np.pi * np.cosh(t) * u * v
    return u, v, w / w.sum()


@lru_cache(maxsize=512)
def rate_nodes(control: ExternalControl, coarse: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Quadrature nodes and weights of the control rate's law (one node if known; remembered per control).

    ``coarse``: 33 nodes instead of 129 (a likelihood evaluated on a whole grid of
    effects needs less: within 2e-4 of the closed form for a >= 2, see the docstring).
    """
    if control.known:
        return np.array([control.rate]), np.array([1.0])
    a = control.rate_shape
    scale = control.rate / a
    u, v, w = _de_rule(_DE_COARSE_STEP if coarse else _DE_STEP)
    # lower half from the CDF, upper half from the survival function: no loss of precision near 1
    rates = np.where(u < 0.5, stats.gamma.ppf(u, a, scale=scale), stats.gamma.isf(v, a, scale=scale))
    keep = (rates > 0) & np.isfinite(rates) & (w > 0)
    return rates[keep], w[keep] / w[keep].sum()


def _patient_pmfs(support: np.ndarray, rates: np.ndarray, exposures: np.ndarray,
                  shape: float | None) -> np.ndarray:
    """(nodes, patients, counts) pmf of each patient's count at each rate node."""
    mean = rates[:, None, None] * exposures[None, :, None]
    if shape is None:
        return stats.poisson.pmf(support[None, None, :], mean)
    return stats.nbinom.pmf(support[None, None, :], shape, shape / (shape + mean))


def _group_pmf_given_rates(top: int, exposures: np.ndarray, shape: float | None,
                           rates: np.ndarray) -> np.ndarray:
    """(nodes, top + 1) pmf of the group total at each rate node, truncated at ``top``."""
    support = np.arange(top + 1)
    if shape is None:
        return stats.poisson.pmf(support[None, :], rates[:, None] * exposures.sum())
    if np.all(exposures == exposures[0]):  # a sum of iid NB with one success probability
        n = exposures.size
        mean = rates[:, None] * exposures.sum()
        return stats.nbinom.pmf(support[None, :], n * shape, n * shape / (n * shape + mean))
    pmfs = _patient_pmfs(support, rates, exposures, shape)
    total = pmfs[:, 0, :]
    for i in range(1, exposures.size):
        total = np.stack([np.convolve(a, b)[: top + 1] for a, b in zip(total, pmfs[:, i, :])])
    return total


def group_pmf(top: int, exposures: Sequence[float], control: ExternalControl, factor: float = 1.0) -> np.ndarray:
    """P(Y = 0..top) for the total count of patients followed ``exposures`` years.

    ``factor`` multiplies the untreated rate (the rate ratio on treatment, or the
    ratio of the trial population's untreated rate to the cohort's).
    """
    top = require_count("events", top)
    t = np.array([require_positive(f"exposures[{i}]", v) for i, v in enumerate(exposures)], dtype=float)
    if t.size == 0:
        raise StatsInputError("exposures", "need at least one patient")
    f = require_positive("factor", factor)
    rates, weights = rate_nodes(control)
    return weights @ _group_pmf_given_rates(top, t, control.shape, rates * f)


def group_cdf(events: int, exposures: Sequence[float], control: ExternalControl, factor: float = 1.0) -> float:
    """P(Y <= events) under the control's null law (see :func:`group_pmf`)."""
    return float(min(1.0, group_pmf(events, exposures, control, factor).sum()))


def _closed_form_poisson_gamma(events: int, exposure: float, control: ExternalControl, factor: float) -> float:
    a = control.rate_shape
    b = a / (control.rate * factor)
    return float(stats.nbinom.cdf(events, a, b / (b + exposure)))


def _cdf(events: int, exposures: Sequence[float], control: ExternalControl, factor: float) -> float:
    if events < 0:
        return 0.0
    if control.shape is None and not control.known:
        return _closed_form_poisson_gamma(events, float(sum(exposures)), control, factor)
    return group_cdf(events, exposures, control, factor)


def inverted_interval(events: int, cdf, level: float, method: str) -> Interval:
    """Equal-tailed interval for a common factor on the on-treatment rate, by test inversion."""
    a = 1.0 - level
    upper = _solve_rr(lambda f: cdf(events, f) - a / 2)
    lower = 0.0 if events == 0 else _solve_rr(lambda f: 1 - cdf(events - 1, f) - a / 2)
    return Interval(lower, upper, level, method)


def control_test(events: int, exposures: Sequence[float], control: ExternalControl,
                 level: float = 0.95) -> RateTest:
    """One-sided test of benefit of a group's total ``events`` against the control's null law."""
    from .exact import negbin_test_known_rate, poisson_test_known_rate

    y = require_count("events", events)
    t = [require_positive(f"exposures[{i}]", v) for i, v in enumerate(exposures)]
    if not t:
        raise StatsInputError("exposures", "need at least one patient")
    require_probability("level", level)
    if control.known:
        if control.shape is None:
            return poisson_test_known_rate(y, sum(t), control.rate, level)
        return negbin_test_known_rate(y, t, control.rate, control.shape, level)
    expected = control.rate * sum(t)
    p = _cdf(y, t, control, 1.0)
    interval = inverted_interval(y, lambda c, f: _cdf(c, t, control, f), level,
                                  "exact, control-rate uncertainty propagated (test inversion)")
    kind = "Poisson" if control.shape is None else "negative binomial"
    return RateTest(y, sum(t), expected, y / expected, p, interval,
                    f"exact {kind} vs uncertain control rate (gamma mixture)")


def pooled_test(groups: Sequence[tuple[Sequence[float], ExternalControl]], events: int,
                level: float = 0.95) -> RateTest:
    """One test of all groups' summed events against their controls' joint null law.

    ``groups`` pairs each group's patient exposures with its control.  Groups
    with the same control share one draw of its rate (one cohort estimated it);
    distinct controls are independent, so the pooled law is the convolution of
    the per-control mixtures.  The interval is for a rate ratio common to all groups.
    """
    y = require_count("events", events)
    if not groups:
        raise StatsInputError("groups", "need at least one group")
    by_control: dict[ExternalControl, list[float]] = {}
    for exposures, control in groups:
        by_control.setdefault(control, []).extend(exposures)

    def cdf(count: int, factor: float) -> float:
        if count < 0:
            return 0.0
        total = np.zeros(count + 1)
        total[0] = 1.0
        for control, exposures in by_control.items():
            pmf = _mixed_pmf(count, exposures, control, factor)
            total = np.convolve(total, pmf)[: count + 1]
        return float(min(1.0, total.sum()))

    exposure = sum(sum(t) for t in by_control.values())
    expected = sum(c.rate * sum(t) for c, t in by_control.items())
    models = sorted({c.describe() for c in by_control})
    interval = inverted_interval(y, cdf, require_probability("level", level), "exact (test inversion)")
    return RateTest(y, exposure, expected, y / expected, cdf(y, 1.0), interval,
                    "exact vs summed natural-history expectation: " + "; ".join(models))


def _mixed_pmf(top: int, exposures: list[float], control: ExternalControl, factor: float) -> np.ndarray:
    """P(total = 0..top) of one control's patients, mixing over its rate."""
    if control.shape is None:
        if control.known:
            return stats.poisson.pmf(np.arange(top + 1), control.rate * factor * sum(exposures))
        a = control.rate_shape
        b = a / (control.rate * factor)
        return stats.nbinom.pmf(np.arange(top + 1), a, b / (b + sum(exposures)))
    return group_pmf(top, exposures, control, factor)


def rate_interval(control: ExternalControl, level: float = 0.95) -> tuple[float, float]:
    """Equal-tailed interval of the control rate's gamma law (the rate itself when known)."""
    if control.known:
        return control.rate, control.rate
    a = control.rate_shape
    q = (1 - require_probability("level", level)) / 2
    lo, hi = stats.gamma.ppf([q, 1 - q], a, scale=control.rate / a)
    return float(lo), float(hi)
