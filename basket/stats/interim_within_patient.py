"""Interim looks when the within-patient comparison is primary: predictive probability of success by simulation.

The final test (:mod:`basket.stats.within_patient`) conditions on each patient's
total events, so its p-value depends on every patient's split, not on one total:
the outcomes still to come are simulated, with a seed, and the Monte Carlo
standard error is reported.

Model (the within-patient module's, with the control's laws).  Patient i has an
untreated rate ``u_i`` -- the control's rate ``lambda`` (Poisson counts) or
``lambda g_i`` with ``g_i ~ Gamma(k, k)`` (gamma-Poisson counts, shape ``k``) --
and ``lambda`` follows the control rate's law (fixed when known, gamma when
uncertain).  Before dosing ``Poisson(u_i t0_i)`` events, after dosing
``Poisson(theta u_i t1_i)``, with ``theta ~ Gamma(shape a, mean m)`` the program's prior.

Posterior by importance sampling: ``(theta, lambda)`` are drawn from their priors
and weighted by the exact likelihood of the dosed patients' pre- and post-dose
counts, the patient rates integrated out (closed form: a negative-binomial
mixture); each patient's ``u_i`` is then drawn from its gamma posterior given
``(theta, lambda)``, the remaining follow-up and the patients still to come
(pre-dose window ``pre_dose_years``, follow-up ``final_follow_up``) are
simulated, and the final exact conditional test is computed for each draw (a
convolution of the patients' binomials, exact).  The weights' effective sample
size is reported.  Conditional power: ``theta`` fixed at the design's effect.

Patients with a post-dose row but no pre-dose row carry no information in the
conditional test and are left out, as in the analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from .control import ExternalControl
from .errors import StatsInputError, require_count, require_positive, require_probability
from .interim import InterimPrior
from .multiplicity import rejection_probabilities, step_levels

__all__ = ["WithinPatientBasket", "WithinPatientLook", "within_patient_look"]


@dataclass(frozen=True)
class WithinPatientBasket:
    """One basket at an interim look: each dosed patient's pre- and post-dose events and years so far."""

    name: str
    control: ExternalControl
    pre_events: tuple[int, ...]
    pre_exposures: tuple[float, ...]
    post_events: tuple[int, ...]
    post_exposures: tuple[float, ...]
    final_patients: int
    final_follow_up: float
    pre_dose_years: float  # the prespecified window of the patients still to come
    rate_ratio: float

    def __post_init__(self) -> None:
        if not len(self.pre_events) == len(self.pre_exposures) == len(self.post_events) == len(self.post_exposures):
            raise StatsInputError("pre_events", f"basket {self.name}: pre and post events and years per patient")
        for i in range(len(self.pre_events)):
            require_count(f"pre_events[{i}]", self.pre_events[i])
            require_count(f"post_events[{i}]", self.post_events[i])
            require_positive(f"pre_exposures[{i}]", self.pre_exposures[i])
            require_positive(f"post_exposures[{i}]", self.post_exposures[i])
        if require_count("final_patients", self.final_patients) < 1:
            raise StatsInputError("final_patients", "must be >= 1")
        require_positive("final_follow_up", self.final_follow_up)
        require_positive("pre_dose_years", self.pre_dose_years)
        require_positive("rate_ratio", self.rate_ratio)

    @property
    def to_come(self) -> int:
        return max(self.final_patients - len(self.pre_events), 0)


@dataclass(frozen=True)
class WithinPatientBasketLook:
    name: str
    dosed: int
    planned: int
    events: int                     # post-dose events so far
    exposure_years: float           # post-dose years so far
    predictive_success: float
    predictive_success_alone: float
    conditional_power: float
    futility: bool | None
    mc_error: float                 # largest Monte Carlo standard error of the basket's step probabilities
    effective_draws: float          # effective sample size of the importance weights


@dataclass(frozen=True)
class WithinPatientLook:
    alpha: float
    method: str
    prior: InterimPrior
    futility_below: float | None
    draws: int
    seed: int
    baskets: tuple[WithinPatientBasketLook, ...]
    any_success: float
    any_success_conditional: float


def _log_likelihood(b: WithinPatientBasket, theta: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """log P(dosed patients' counts | theta, lambda), each patient's own rate integrated out (up to a constant)."""
    out = np.zeros(theta.size)
    k = b.control.shape
    for y0, t0, y1, t1 in zip(b.pre_events, b.pre_exposures, b.post_events, b.post_exposures):
        exposure = t0 + theta * t1
        if k is None:
            out += (y0 + y1) * np.log(rate) - rate * exposure + y1 * np.log(theta)
        else:
            n = y0 + y1
            out += (special.gammaln(k + n) + k * np.log(k / rate) - (k + n) * np.log(k / rate + exposure)
                    + y1 * np.log(theta))
    return out


def _own_rates(rng, b: WithinPatientBasket, theta, rate, n: int, pre, pre_t, post, post_t) -> np.ndarray:
    """(draws, n) own untreated rates given the counts so far (none: prior draws)."""
    k = b.control.shape
    if k is None:
        return np.repeat(rate[:, None], n, axis=1)
    shape = k + np.asarray(pre, dtype=float)[None, :] + np.asarray(post, dtype=float)[None, :]
    inverse = k / rate[:, None] + np.asarray(pre_t)[None, :] + theta[:, None] * np.asarray(post_t)[None, :]
    return rng.gamma(np.broadcast_to(shape, inverse.shape), 1.0 / inverse)


def _p_values(totals: np.ndarray, share: np.ndarray, post: np.ndarray) -> np.ndarray:
    """P(sum_i Bin(totals_i, share_i) <= post) per draw (rows), exact.

    Patients with one share (every patient still to come) are one binomial; the group with the largest
    counts enters through its CDF, the others by convolution over their (smaller) support.
    """
    shares = np.unique(share)
    grouped = np.stack([totals[:, share == s].sum(axis=1) for s in shares], axis=1)
    big = int(np.argmax(grouped.max(axis=0)))
    law = np.ones((post.size, 1))
    for g in range(shares.size):
        if g == big:
            continue
        width = int(grouped[:, g].max())
        pmf = stats.binom.pmf(np.arange(width + 1)[None, :], grouped[:, g : g + 1], shares[g])
        new = np.zeros((post.size, law.shape[1] + width))
        for j in range(width + 1):
            new[:, j : j + law.shape[1]] += law * pmf[:, j : j + 1]
        law = new
    rest = post[:, None] - np.arange(law.shape[1])[None, :]
    tail = np.where(rest >= 0, stats.binom.cdf(rest, grouped[:, big : big + 1], shares[big]), 0.0)
    return np.minimum((law * tail).sum(axis=1), 1.0)


def _simulate(rng, b: WithinPatientBasket, theta: np.ndarray, draws: int):
    """Importance weights and final p-values of ``draws`` completed trials of the basket."""
    c = b.control
    rate = (np.full(draws, c.rate) if c.known else rng.gamma(c.rate_shape, c.rate / c.rate_shape, size=draws))
    log_w = _log_likelihood(b, theta, rate)
    weights = np.exp(log_w - log_w.max())
    m = len(b.pre_events)
    own = _own_rates(rng, b, theta, rate, m, b.pre_events, b.pre_exposures, b.post_events, b.post_exposures)
    follow = np.maximum(np.asarray(b.post_exposures, dtype=float), b.final_follow_up)
    more = rng.poisson(theta[:, None] * own * (follow - np.asarray(b.post_exposures))[None, :])
    pre = np.broadcast_to(np.asarray(b.pre_events, dtype=int), (draws, m))
    post = np.asarray(b.post_events, dtype=int)[None, :] + more
    new_own = _own_rates(rng, b, theta, rate, b.to_come, [0] * b.to_come, [0.0] * b.to_come,
                         [0] * b.to_come, [0.0] * b.to_come)
    new_pre = rng.poisson(new_own * b.pre_dose_years)
    new_post = rng.poisson(theta[:, None] * new_own * b.final_follow_up)
    totals = np.concatenate([pre + post, new_pre + new_post], axis=1)
    pre_t = np.concatenate([np.asarray(b.pre_exposures, dtype=float), np.full(b.to_come, b.pre_dose_years)])
    post_t = np.concatenate([follow, np.full(b.to_come, b.final_follow_up)])
    observed = np.concatenate([post, new_post], axis=1).sum(axis=1)
    return weights, _p_values(totals, post_t / (post_t + pre_t), observed)


def _weighted(weights: np.ndarray, hits: np.ndarray) -> tuple[float, float]:
    """Self-normalised estimate of P(hit) and its Monte Carlo standard error."""
    w = weights / weights.sum()
    p = float(w @ hits)
    return p, float(np.sqrt(np.sum(w * w * (hits - p) ** 2)))


def within_patient_look(baskets: Sequence[WithinPatientBasket], prior: InterimPrior, alpha: float,
                        method: str = "holm", futility_below: float | None = None, draws: int = 20_000,
                        seed: int = 20260101) -> WithinPatientLook:
    """Predictive probability of success and conditional power of the within-patient analysis, by simulation."""
    require_probability("alpha", alpha)
    if futility_below is not None:
        require_probability("futility_below", futility_below)
    if not baskets:
        raise StatsInputError("baskets", "need at least one basket")
    if require_count("draws", draws) < 100:
        raise StatsInputError("draws", "need at least 100 draws")
    levels = (alpha,) if method == "none" else step_levels(alpha, len(baskets), method)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(require_count("seed", seed)).spawn(
        3 * len(baskets))]
    figures = []
    for j, b in enumerate(baskets):
        theta = streams[3 * j].gamma(prior.shape, prior.rate_ratio / prior.shape, size=draws)
        weights, p = _simulate(streams[3 * j + 1], b, theta, draws)
        cond_w, cond_p = _simulate(streams[3 * j + 2], b, np.full(draws, b.rate_ratio), draws)
        pred = [_weighted(weights, (p <= a).astype(float)) for a in (*levels, alpha)]
        cond = [_weighted(cond_w, (cond_p <= a).astype(float))[0] for a in levels]
        ess = float(weights.sum() ** 2 / np.sum(weights ** 2))
        figures.append((b, [x for x, _ in pred], max(se for _, se in pred), cond, ess))
    below = np.array([f[1][:-1] for f in figures])
    below_cond = np.array([f[3] for f in figures])
    if method == "none":
        ppos, cp = below[:, 0], below_cond[:, 0]
    else:
        ppos, cp = rejection_probabilities(below, method), rejection_probabilities(below_cond, method)
    looks = tuple(WithinPatientBasketLook(
        b.name, len(b.pre_events), b.final_patients, sum(b.post_events), float(sum(b.post_exposures)),
        float(ppos[j]), pred[-1], float(cp[j]), None if futility_below is None else bool(ppos[j] < futility_below),
        se, ess) for j, (b, pred, se, _, ess) in enumerate(figures))
    return WithinPatientLook(alpha, method, prior, futility_below, draws, seed, looks,
                             1.0 - float(np.prod(1.0 - below[:, 0])), 1.0 - float(np.prod(1.0 - below_cond[:, 0])))
