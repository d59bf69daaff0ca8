"""Two-level borrowing: variants within a basket, baskets across the platform.

Model::

    theta_bv ~ N(eta_b, sigma_b^2)            variant v of basket b
    sigma_b  ~ HalfNormal(within_scale)        within-basket heterogeneity
    eta_b    ~ EXNEX(mu, tau; p_b, m_nex, s_nex)  basket effects (hierarchical.py)

Given the basket effects the baskets are independent, so each basket's
likelihood for eta_b is its variants' likelihoods integrated over theta_bv and
sigma_b (both deterministic):

    L_b(eta) = sum_s m_s prod_v ∫ L_bv(theta) N(theta; eta, sigma_s^2) dtheta

with sigma_s midpoints on [0, 4.5 within_scale] carrying half-normal masses m_s
and the theta integral by 64-point Gauss-Hermite quadrature (theta = eta +
sigma z).  L_b enters :func:`~basket.stats.hierarchical.fit_exnex` as an
ordinary basket likelihood.  Variant posteriors then mix the conditional
posteriors ``L_bv(theta) N(theta; eta, sigma_s^2)`` (normal cell masses on the
theta grid) over the joint posterior of (eta_b, sigma_s).

With one variant per basket and ``within_scale`` -> 0 this reduces to the
one-level model (checked in tests/stats/test_nested.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special, stats

from .errors import StatsInputError, require_count, require_positive
from .hierarchical import (
    DEFAULT_GRID,
    BasketLikelihood,
    BasketPosterior,
    ExNexPrior,
    GridSpec,
    HierarchicalResult,
    benefit_fraction,
    fit_with_densities,
    summarise,
)

__all__ = ["NestedResult", "fit_nested"]

_Z, _ZW = np.polynomial.hermite_e.hermegauss(64)
_LOG_ZW = np.log(_ZW / math.sqrt(2 * math.pi))


@dataclass(frozen=True)
class NestedResult:
    """Basket-level (eta_b) and variant-level (theta_bv) posteriors."""

    baskets: HierarchicalResult
    variants: tuple[BasketPosterior, ...]   # names "basket/variant"
    within_scale: float


@dataclass(frozen=True)
class _PooledVariants:
    """A basket's likelihood for eta with its variants and sigma integrated out."""

    name: str
    variants: tuple[BasketLikelihood, ...]
    sigma: np.ndarray
    log_sigma_mass: np.ndarray

    def log_terms(self, eta: np.ndarray) -> np.ndarray:
        """(S, P) log [m_s prod_v ∫ L_v N(eta, sigma_s)] at points eta (P,)."""
        eta = np.ravel(eta)
        out = np.tile(self.log_sigma_mass[:, None], (1, eta.size))
        for v in self.variants:
            theta = eta[None, :, None] + self.sigma[:, None, None] * _Z[None, None, :]
            ll = np.reshape(v.loglik(theta.ravel()), theta.shape)
            out += special.logsumexp(ll + _LOG_ZW, axis=-1)
        return out

    def loglik(self, theta: np.ndarray) -> np.ndarray:
        return special.logsumexp(self.log_terms(theta), axis=0)

    def natural(self, theta: np.ndarray) -> np.ndarray:
        return self.variants[0].natural(theta)


def _sigma_nodes(within_scale: float, n: int = 16) -> tuple[np.ndarray, np.ndarray]:
    edges = np.linspace(0.0, 4.5 * within_scale, n + 1)
    mass = np.diff(stats.halfnorm.cdf(edges, scale=within_scale))
    return 0.5 * (edges[1:] + edges[:-1]), np.log(mass / mass.sum())


def _variant_posteriors(pooled: _PooledVariants, eta_mass: np.ndarray, edges: np.ndarray,
                        frac: np.ndarray) -> list[BasketPosterior]:
    """Mix each variant's conditional posterior over (eta, sigma) | data."""
    theta = 0.5 * (edges[1:] + edges[:-1])
    h = edges[1] - edges[0]
    keep = np.flatnonzero(eta_mass > 1e-12 * eta_mass.max())
    eta = theta[keep]
    # edges[j] - theta[i] = (j - i - 1/2) h: the normal CDF depends on j - i only
    offset = np.arange(edges.size)[None, :] - keep[:, None]          # (K, G+1)
    lo = int(offset.min())
    steps = (np.arange(lo, int(offset.max()) + 1) - 0.5) * h
    terms = pooled.log_terms(eta)                                      # (S, K)
    joint = np.exp(terms - special.logsumexp(terms, axis=0)) * eta_mass[keep]  # P(s | eta) P(eta)
    out = []
    for v in pooled.variants:
        ll = np.ravel(v.loglik(theta))
        lik = np.exp(ll - ll.max())
        mass = np.zeros(theta.size)
        for s, sigma in enumerate(pooled.sigma):
            cdf = special.ndtr(steps / sigma)[offset - lo]
            cond = np.diff(cdf, axis=1) * lik                          # (K, G)
            norm = cond.sum(axis=1, keepdims=True)
            cond = np.divide(cond, norm, out=np.zeros_like(cond), where=norm > 0)
            mass += joint[s] @ cond
        mass /= mass.sum()
        out.append(summarise(f"{pooled.name}/{v.name}", mass, edges, frac, v.natural(theta), math.nan))
    return out


def fit_nested(
    baskets: Mapping[str, Sequence[BasketLikelihood]],
    prior: ExNexPrior,
    within_scale: float,
    threshold: float = 0.0,
    benefit: Literal["below", "above"] = "below",
    grid: GridSpec = DEFAULT_GRID,
    n_sigma: int = 16,
) -> NestedResult:
    """Posterior of the two-level model; variants of a basket share one scale.

    ``baskets`` maps basket name to its variants' likelihoods (all on the same
    theta scale, e.g. :class:`~basket.stats.hierarchical.RateData`).
    ``within_scale`` is the half-normal scale of the within-basket SD.
    """
    scale = require_positive("within_scale", within_scale)
    if require_count("n_sigma", n_sigma) < 4:
        raise StatsInputError("n_sigma", "must be >= 4")
    if not baskets or any(len(v) == 0 for v in baskets.values()):
        raise StatsInputError("baskets", "every basket needs at least one variant")
    sigma, log_mass = _sigma_nodes(scale, n_sigma)
    pooled = [_PooledVariants(name, tuple(vs), sigma, log_mass) for name, vs in baskets.items()]
    for p in pooled:
        names = [v.name for v in p.variants]
        if len(set(names)) != len(names):
            raise StatsInputError("baskets", f"variant names in basket {p.name} must be unique")
    result, edges, dens = fit_with_densities(pooled, prior, threshold, benefit, grid)
    frac = benefit_fraction(edges, threshold, benefit)
    variants = [post for b, p in enumerate(pooled) for post in _variant_posteriors(p, dens[b], edges, frac)]
    return NestedResult(result, tuple(variants), scale)
