"""Simulated operating characteristics of a multi-basket rate trial.

Each simulated trial enrols ``n_per_basket`` patients in every basket, each
followed for ``followup_years``.  Patient i of basket j has events
``Poisson(t * RR_j * lambda_j * G_i)`` with frailty ``G_i ~ Gamma(k, 1/k)``
(mean 1; no frailty when the basket has no ``shape``) -- the gamma-Poisson
(negative binomial) model of the natural history.  When the natural history was
itself observed (``control_events`` over ``control_exposure``), the control
count is re-drawn in every trial as ``Poisson(lambda_j * E0)``, so the simulated
figures are unconditional on the control (the exact design figures condition on
the observed control count).

Decision: each basket's one-sided p-value, then the prespecified multiplicity
procedure across the baskets (Holm by default, at family-wise ``alpha``):

* a control rate (known or uncertain, Poisson or gamma-Poisson counts): the
  lower tail of the control's null law (:mod:`basket.stats.control`);
* estimated control: conditional binomial test.

``chance_finding_unadjusted`` gives the same trials' chance finding with every
basket tested alone at ``alpha`` -- what the adjustment saves.

Optionally a Bayesian rule declares benefit when the EXNEX posterior
P(RR < exp(threshold)) >= ``min_probability`` (tabulated, see
:class:`~basket.stats.hierarchical.CountPosteriorTable`; the control rate's
uncertainty is integrated out of the likelihood, an observed control as its gamma
law).  Its type I error is reported beside its power.  With ``calibrate_to`` the
rule's threshold is also calibrated: the smallest posterior probability at which
the simulated chance finding (benefit declared in any basket when none has an
effect) is at most the target; power and chance finding at that threshold are
reported (the same simulated trials, so the calibration carries Monte Carlo
error of about ``sqrt(target / n_sim)``).

Reported: per-basket type I error (all baskets null, RR = 1), per-basket power
(all baskets at their hypothesised RR), the probability of a *chance finding*
(at least one basket declared beneficial when none is: the family-wise error
rate of the procedure under the global null) and the probability that at least one basket is
declared under H1; when some baskets have a hypothesised RR >= 1 (mixed
scenarios), ``chance_finding_h1`` is the probability of declaring benefit in at
least one of those.  Reproducible: the same seed gives identical numbers (numpy
PCG64 streams spawned per hypothesis and basket from one SeedSequence).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from .control import ExternalControl
from .errors import StatsInputError, require_count, require_probability
from .family_design import null_cdf
from .hierarchical import CountPosteriorTable, ExNexPrior, GridSpec, rate_loglik
from .multiplicity import reject
from .trial import Scenario, SimBasket

__all__ = ["BayesRule", "Scenario", "SimBasket", "SimulationResult", "p_values", "simulate_trials"]


@dataclass(frozen=True)
class BayesRule:
    """Declare benefit when P(log RR < threshold | data) >= min_probability."""

    prior: ExNexPrior
    min_probability: float = 0.9
    threshold: float = 0.0
    grid: GridSpec = field(default_factory=lambda: GridSpec(n_theta=801, n_mu=241, n_tau=24))
    calibrate_to: float | None = None

    def __post_init__(self) -> None:
        require_probability("min_probability", self.min_probability)
        if self.calibrate_to is not None:
            require_probability("calibrate_to", self.calibrate_to)


@dataclass(frozen=True)
class SimulationResult:
    """Simulated operating characteristics of one scenario (fractions of trials)."""

    scenario: Scenario
    names: tuple[str, ...]
    n_sim: int
    seed: int
    alpha: float
    type1: tuple[float, ...]
    power: tuple[float, ...]
    chance_finding: float
    any_benefit_h1: float
    chance_finding_h1: float | None = None
    method: str = "holm"
    chance_finding_unadjusted: float | None = None
    bayes_type1: tuple[float, ...] | None = None
    bayes_power: tuple[float, ...] | None = None
    bayes_chance_finding: float | None = None
    bayes_mean_p_benefit_h1: tuple[float, ...] | None = None
    bayes_calibrated_threshold: float | None = None     # inf: no threshold reaches the target
    bayes_calibrated_power: tuple[float, ...] | None = None
    bayes_calibrated_chance_finding: float | None = None

    @property
    def monte_carlo_se(self) -> float:
        """Largest binomial standard error of a simulated proportion (p = 0.5)."""
        return 0.5 / math.sqrt(self.n_sim)


def _draw_totals(rng: np.random.Generator, b: SimBasket, sc: Scenario, rr: float, n_sim: int) -> np.ndarray:
    """Total events per simulated trial for one basket (per-patient draws)."""
    mean = rr * b.control_rate * sc.followup_years
    if b.shape is None:
        return rng.poisson(mean * sc.n_per_basket, size=n_sim)
    frailty = rng.gamma(b.shape, 1.0 / b.shape, size=(n_sim, sc.n_per_basket))
    return rng.poisson(mean * frailty).sum(axis=1)


def p_values(rng, b: SimBasket, sc: Scenario, totals: np.ndarray) -> np.ndarray:
    """One-sided p-values of the basket's exact test for simulated totals."""
    if b.estimated_control:
        y0 = rng.poisson(b.control_rate * b.control_exposure, size=totals.shape)
        pi0 = sc.exposure / (sc.exposure + b.control_exposure)
        return stats.binom.cdf(totals, totals + y0, pi0)
    cdf = null_cdf(b, sc, int(totals.max()))
    return cdf[totals]


def _false_claims(baskets: Sequence[SimBasket], rejections: np.ndarray) -> float | None:
    """P(benefit declared in >= 1 basket whose H1 rate ratio is >= 1), if any."""
    null = np.array([b.rate_ratio >= 1.0 for b in baskets])
    return float(rejections[:, null].any(axis=1).mean()) if null.any() else None


def _check(baskets: Sequence[SimBasket], n_sim: int, alpha: float) -> None:
    if len(baskets) == 0:
        raise StatsInputError("baskets", "need at least one basket")
    names = [b.name for b in baskets]
    if len(set(names)) != len(names):
        raise StatsInputError("baskets", f"basket names must be unique, got {names}")
    if require_count("n_sim", n_sim) < 1:
        raise StatsInputError("n_sim", "must be >= 1")
    require_probability("alpha", alpha)


def simulate_totals(baskets: Sequence[SimBasket], scenario: Scenario, n_sim: int, seed: int,
                    ) -> tuple[np.ndarray, np.ndarray, list[np.random.Generator]]:
    """(n_sim, J) totals under H0 and H1 plus one generator per basket for controls."""
    root = np.random.SeedSequence(require_count("seed", seed))
    h0_seq, h1_seq, ctl_seq = root.spawn(3)
    h0 = [np.random.default_rng(s) for s in h0_seq.spawn(len(baskets))]
    h1 = [np.random.default_rng(s) for s in h1_seq.spawn(len(baskets))]
    ctl = [np.random.default_rng(s) for s in ctl_seq.spawn(len(baskets))]
    y0 = np.column_stack([_draw_totals(r, b, scenario, 1.0, n_sim) for r, b in zip(h0, baskets)])
    y1 = np.column_stack([_draw_totals(r, b, scenario, b.rate_ratio, n_sim) for r, b in zip(h1, baskets)])
    return y0, y1, ctl


def simulate_trials(
    baskets: Sequence[SimBasket],
    scenario: Scenario,
    alpha: float = 0.025,
    n_sim: int = 100_000,
    seed: int = 20260101,
    bayes: BayesRule | None = None,
    method: str = "holm",
) -> SimulationResult:
    """Simulate ``n_sim`` trials under H0 and under H1 and apply the prespecified decisions."""
    _check(baskets, n_sim, alpha)
    y_h0, y_h1, ctl = simulate_totals(baskets, scenario, n_sim, seed)
    p0 = np.column_stack([p_values(ctl[j], b, scenario, y_h0[:, j]) for j, b in enumerate(baskets)])
    p1 = np.column_stack([p_values(ctl[j], b, scenario, y_h1[:, j]) for j, b in enumerate(baskets)])
    rej0, rej1 = reject(p0, alpha, method), reject(p1, alpha, method)
    result = SimulationResult(
        scenario=scenario,
        names=tuple(b.name for b in baskets),
        n_sim=n_sim,
        seed=seed,
        alpha=alpha,
        type1=tuple(map(float, rej0.mean(axis=0))),
        power=tuple(map(float, rej1.mean(axis=0))),
        chance_finding=float(rej0.any(axis=1).mean()),
        any_benefit_h1=float(rej1.any(axis=1).mean()),
        chance_finding_h1=_false_claims(baskets, rej1),
        method=method,
        chance_finding_unadjusted=float((p0 <= alpha).any(axis=1).mean()),
    )
    if bayes is None:
        return result
    return _with_bayes(result, baskets, scenario, bayes, y_h0, y_h1)


def _with_bayes(result: SimulationResult, baskets, scenario: Scenario, rule: BayesRule,
                y_h0: np.ndarray, y_h1: np.ndarray) -> SimulationResult:
    from dataclasses import replace

    table = bayes_table(baskets, scenario, rule, np.maximum(y_h0.max(axis=0), y_h1.max(axis=0)))
    p0, p1 = table.p_benefit(y_h0), table.p_benefit(y_h1)
    d0, d1 = p0 >= rule.min_probability, p1 >= rule.min_probability
    result = replace(
        result,
        bayes_type1=tuple(map(float, d0.mean(axis=0))),
        bayes_power=tuple(map(float, d1.mean(axis=0))),
        bayes_chance_finding=float(d0.any(axis=1).mean()),
        bayes_mean_p_benefit_h1=tuple(map(float, p1.mean(axis=0))),
    )
    if rule.calibrate_to is None:
        return result
    gamma = calibrated_threshold(p0, rule.calibrate_to)
    return replace(result, bayes_calibrated_threshold=gamma,
                   bayes_calibrated_power=tuple(map(float, (p1 >= gamma).mean(axis=0))),
                   bayes_calibrated_chance_finding=float((p0 >= gamma).any(axis=1).mean()))


def calibrated_threshold(p_null: np.ndarray, target: float) -> float:
    """Smallest threshold whose chance finding on the null trials ``p_null`` (S, J) is at most ``target``."""
    largest = np.sort(p_null.max(axis=1))                       # per trial, the basket nearest to a declaration
    tail = 1.0 - np.searchsorted(largest, largest, side="left") / largest.size   # P(max >= v) at each v
    ok = np.flatnonzero(tail <= target)
    return float(largest[ok[0]]) if ok.size else math.inf


def bayes_table(baskets: Sequence[SimBasket], scenario: Scenario, rule: BayesRule,
                max_counts: Sequence[int]) -> CountPosteriorTable:
    """Tabulated EXNEX posterior for the baskets' possible total counts."""
    logliks, shared = [], {}
    for b in baskets:
        if b.estimated_control and b.control_events == 0:
            raise StatsInputError("control_events", f"basket {b.name}: a control with 0 events has no rate")
        control = _gamma_control(b)
        key = (control.rate * scenario.exposure, None if b.shape is None else b.shape * scenario.n_per_basket,
               control.rate_shape)
        if key not in shared:  # one function per distinct likelihood: the table computes it once
            shared[key] = lambda th, y, k=key: rate_loglik(th, y, *k)
        logliks.append(shared[key])
    return CountPosteriorTable(logliks, [int(c) for c in max_counts], rule.prior,
                               rule.threshold, "below", rule.grid)


def _gamma_control(b: SimBasket) -> ExternalControl:
    """The basket's control as a rate law; an observed cohort is its gamma law (see :mod:`.control`)."""
    if b.estimated_control:
        return ExternalControl(b.control_events / b.control_exposure, None,
                               math.sqrt(b.control_events) / b.control_exposure)
    return b.control
