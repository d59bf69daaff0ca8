"""Multiplicity adjustments for a family of one-sided p-values.

* Bonferroni: ``p_adj = min(1, m p)``.
* Holm (1979) step-down: sort ``p_(1) <= ... <= p_(m)``;
  ``p_adj(i) = max_{k <= i} min(1, (m - k + 1) p_(k))``.
  Holm S. A simple sequentially rejective multiple test procedure.
  Scand J Stat 1979;6:65-70.  Controls the family-wise error rate strongly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import StatsInputError

__all__ = ["Multiplicity", "adjust"]

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
