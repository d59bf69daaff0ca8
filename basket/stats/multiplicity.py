"""Multiplicity adjustments for a family of one-sided p-values.

* Bonferroni: ``p_adj = min(1, m p)``.
* Holm (1979) step-down: sort ``p_(1) <= ... <= p_(m)``;
  ``p_adj(i) = max_{k <= i} min(1, (m - k + 1) p_(k))``.
  Holm S. A simple sequentially rejective multiple test procedure.
  Scand J Stat 1979;6:65-70.  Controls the family-wise error rate strongly.

Operating characteristics of the prespecified procedure for independent baskets
(:func:`rejection_probabilities`): Holm's levels are ``alpha / (J - i + 1)``,
i = 1..J.  Put each basket's p-value in a *bin*: bin ``k`` when it lies in
``(alpha / (J - k + 2), alpha / (J - k + 1)]`` (bin 1: at most alpha / J; bin
J + 1: above alpha).  Holm rejects exactly the baskets in bins ``<= R``, where R
is the largest r such that at least i p-values lie in bins ``<= i`` for every
i <= r.  So a basket in bin k is rejected iff, among the *other* baskets, at
least i lie in bins ``<= i`` for every i < k.  The probability of that is
computed exactly by a dynamic programme over the others' counts, each capped at
the bound it must reach (J! numbers for J baskets), for up to 8 baskets;
beyond, by Monte Carlo over the bins (10^6 draws, seed fixed, standard error
below 5e-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import StatsInputError

__all__ = ["Multiplicity", "adjust", "reject", "rejection_probabilities", "step_levels"]

EXACT_MAX_BASKETS = 8  # the programme holds J! numbers; 9 baskets take seconds

METHODS = ("holm", "bonferroni", "none")


@dataclass(frozen=True)
class Multiplicity:
    """How a family of comparisons was adjusted, stated for the report."""

    family: str
    n_comparisons: int
    method: str
    alpha: float
    without_data: tuple[str, ...] = ()  # prespecified members with no data (counted as p = 1)

    def statement(self) -> str:
        if self.method == "none":
            return (f"{self.family}: {self.n_comparisons} comparisons, unadjusted "
                    f"(one-sided alpha {self.alpha:g} each; supportive only).")
        name = "Holm step-down" if self.method == "holm" else "Bonferroni"
        text = (f"{self.family}: {self.n_comparisons} comparisons, {name} adjustment, "
                f"family-wise one-sided alpha {self.alpha:g}.")
        if self.without_data:
            text += (f" Prespecified family; without outcome data (counted as not significant): "
                     f"{', '.join(self.without_data)}.")
        return text


def adjust(p_values: Sequence[float], method: str = "holm") -> tuple[float, ...]:
    """Adjusted p-values in the input order."""
    if method not in METHODS:
        raise StatsInputError("method", f"must be one of {METHODS}, got {method!r}")
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1 or np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise StatsInputError("p_values", "must be a list of probabilities in [0, 1]")
    m = p.size
    if method == "none" or m == 0:
        return tuple(map(float, p))
    if method == "bonferroni":
        return tuple(map(float, np.minimum(1.0, m * p)))
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.maximum.accumulate(stepped)
    return tuple(map(float, out))


def step_levels(alpha: float, n_baskets: int, method: str = "holm") -> tuple[float, ...]:
    """The levels a p-value is compared with: Holm's alpha/J, ..., alpha; Bonferroni's alpha/J only."""
    if method not in ("holm", "bonferroni"):
        raise StatsInputError("method", f"must be 'holm' or 'bonferroni', got {method!r}")
    if n_baskets < 1:
        raise StatsInputError("n_baskets", "need at least one basket")
    if method == "bonferroni":
        return (alpha / n_baskets,) * n_baskets
    return tuple(alpha / (n_baskets - i) for i in range(n_baskets))


def reject(p: np.ndarray, alpha: float, method: str = "holm") -> np.ndarray:
    """Rejections of the procedure for each row of an (S, J) array of p-values (vectorised)."""
    p = np.asarray(p, dtype=float)
    if method == "none":
        return p <= alpha
    levels = np.asarray(step_levels(alpha, p.shape[1], method))
    order = np.argsort(p, axis=1, kind="stable")
    ordered = np.take_along_axis(p, order, axis=1)
    passed = np.logical_and.accumulate(ordered <= levels[None, :], axis=1)   # step-down: stop at first failure
    out = np.empty_like(passed)
    np.put_along_axis(out, order, passed, axis=1)
    return out


def rejection_probabilities(below: np.ndarray, method: str = "holm") -> np.ndarray:
    """P(basket j is rejected) for independent baskets.

    ``below[j, i]`` is P(p_j <= level_i) at the procedure's step levels (see
    :func:`step_levels`, increasing).  Bonferroni: ``below[:, 0]``.
    """
    below = np.asarray(below, dtype=float)
    n = below.shape[0]
    if below.shape != (n, n) or np.any(np.diff(below, axis=1) < -1e-12):
        raise StatsInputError("below", "need a (J, J) array non-decreasing along each row")
    if method == "bonferroni":
        return below[:, 0].copy()
    bins = np.diff(np.concatenate([np.zeros((n, 1)), below, np.ones((n, 1))], axis=1), axis=1)
    bins = np.clip(bins, 0.0, None)                                                  # (J, J + 1)
    if n > EXACT_MAX_BASKETS:
        return _monte_carlo(bins)
    return np.array([_rejected(bins[j], np.delete(bins, j, axis=0)) for j in range(n)])


def _rejected(own: np.ndarray, others: np.ndarray) -> float:
    """P(rejected) of a basket with bin probabilities ``own`` against independent ``others``."""
    n = own.size - 1
    if n == 1:
        return float(own[0])
    ballot = _ballot_probabilities(others, n - 1)       # P(at least i others in bins <= i, for all i <= r)
    return float(own[0] + sum(own[k] * ballot[k] for k in range(1, n)))


def _ballot_probabilities(others: np.ndarray, depth: int) -> np.ndarray:
    """r -> P(for i = 1..r at least i of ``others`` lie in bins <= i), r = 0..depth.

    State: for i = 1..depth the count of baskets in bins <= i, capped at i (all
    that matters is reaching i); one axis of length i + 1 each.
    """
    shape = tuple(range(2, depth + 2))
    state = np.zeros(shape)
    state[(0,) * depth] = 1.0
    caps = np.arange(1, depth + 1)
    index = np.indices(shape).reshape(depth, -1)                                    # (depth, states)
    moves = []
    for b in range(others.shape[1]):                    # a basket in bin b + 1 counts for every i >= b + 1
        bumped = index + (np.arange(depth)[:, None] >= b)
        moves.append(np.ravel_multi_index(np.minimum(bumped, caps[:, None]), shape))
    flat_size = state.size
    flat = state.ravel()
    for row in others:
        new = np.zeros(flat_size)
        for b, target in enumerate(moves):
            if row[b] > 0:
                new += np.bincount(target, weights=flat * row[b], minlength=flat_size)
        flat = new
    reached = index == caps[:, None]                                                 # (depth, states)
    out = np.ones(depth + 1)
    ok = np.ones(flat_size, dtype=bool)
    for r in range(1, depth + 1):
        ok &= reached[r - 1]
        out[r] = flat[ok].sum()
    return out


def _monte_carlo(bins: np.ndarray, draws: int = 1_000_000, seed: int = 20260101) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = bins.shape[0]
    cumulative = np.cumsum(bins, axis=1)
    u = rng.random((draws, n))
    drawn = np.stack([np.searchsorted(cumulative[j], u[:, j], side="right") for j in range(n)], axis=1)
    levels = np.asarray(step_levels(1.0, n))            # a p-value on bin k's upper edge stands for the bin
    p = np.where(drawn < n, levels[np.minimum(drawn, n - 1)], 2.0)
    return reject(p, 1.0, "holm").mean(axis=0)
