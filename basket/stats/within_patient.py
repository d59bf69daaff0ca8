"""Within-patient comparison: each patient's post-dose events against their own pre-dose events.

Model.  Patient i has an unknown event rate ``u_i`` of their own; before dosing
they have ``Y_i0 ~ Poisson(u_i t_i0)`` events over a pre-dose window of ``t_i0``
years, after dosing ``Y_i1 ~ Poisson(u_i RR t_i1)`` over ``t_i1`` years.
Conditional on each patient's total ``n_i = Y_i0 + Y_i1`` the patient's rate drops
out: ``Y_i1 | n_i ~ Bin(n_i, pi_i)`` with ``pi_i = RR t_i1 / (RR t_i1 + t_i0)``.
The exact conditional test of H0: RR >= 1 against RR < 1 is
``p = P(sum_i Y_i1 <= y | n_1..n_m, RR = 1)``, the law of the sum a convolution of
the patients' binomials; the interval for a common RR inverts the same tails.
This is the conditional likelihood of the negative-binomial model with a patient
effect: gamma-distributed patient rates give exactly the same conditional law, so
the test is exact under the natural history's over-dispersion too.  Patients
without events in either period carry no information.  With one pre-dose window
and one follow-up for every patient the sum is a single binomial.

Operating characteristics (:func:`within_patient_oc`) are exact: per basket the
patients' totals are gamma-Poisson with one success probability, so their sum N is
negative binomial and ``P(reject) = sum_N P(N) P(Bin(N, pi_RR) <= c_N)`` with
``c_N`` the test's critical value for N; Holm across baskets then as in
:mod:`basket.stats.family_design`.

**Regression to the mean.**  Patients referred because of recent crises enter
with a pre-dose count that overstates their usual rate, so their post-dose rate
falls even without effect.  The pre-dose window must be prespecified (fixed
length before enrolment, not chosen after the events that prompted referral).
:func:`simulate_within_patient` shows what selection costs: with enrolment only of
patients with at least ``min_pre_events`` events in the window, it simulates the
test's type I error (the exact figures assume no selection).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .control import inverted_interval
from .errors import StatsInputError, require_count, require_positive, require_probability
from .exact import RateTest
from .family_design import BasketOC, FamilyOC
from .multiplicity import reject, rejection_probabilities, step_levels
from .trial import Scenario, SimBasket

__all__ = ["WithinPatientSimulation", "simulate_within_patient", "within_patient_oc", "within_patient_test"]


def _conditional_cdf(count: int, totals: np.ndarray, pi: np.ndarray) -> float:
    """P(sum_i Bin(totals_i, pi_i) <= count), by convolution truncated at ``count``."""
    if count < 0:
        return 0.0
    law = np.zeros(count + 1)
    law[0] = 1.0
    support = np.arange(count + 1)
    for n, p in zip(totals, pi):
        law = np.convolve(law, stats.binom.pmf(support, n, p))[: count + 1]
    return float(min(1.0, law.sum()))


def within_patient_test(pre_events: Sequence[int], pre_years: Sequence[float], post_events: Sequence[int],
                        post_years: Sequence[float], level: float = 0.95) -> RateTest:
    """Exact conditional test of a common post/pre rate ratio with a patient effect (see the module docstring)."""
    if not (len(pre_events) == len(pre_years) == len(post_events) == len(post_years)) or not pre_events:
        raise StatsInputError("pre_events", "need pre and post events and years for each patient (at least one)")
    y0 = np.array([require_count(f"pre_events[{i}]", v) for i, v in enumerate(pre_events)])
    y1 = np.array([require_count(f"post_events[{i}]", v) for i, v in enumerate(post_events)])
    t0 = np.array([require_positive(f"pre_years[{i}]", v) for i, v in enumerate(pre_years)])
    t1 = np.array([require_positive(f"post_years[{i}]", v) for i, v in enumerate(post_years)])
    require_probability("level", level)
    totals = y0 + y1
    y = int(y1.sum())

    def cdf(count: int, rr: float) -> float:
        return _conditional_cdf(count, totals, rr * t1 / (rr * t1 + t0))

    expected = float((totals * t1 / (t1 + t0)).sum())
    interval = inverted_interval(y, cdf, level, "exact conditional (test inversion)")
    estimate = (y / t1.sum()) / (y0.sum() / t0.sum()) if y0.sum() > 0 else float("inf")
    return RateTest(y, float(t1.sum()), expected, estimate, cdf(y, 1.0) if totals.sum() > 0 else 1.0, interval,
                    "exact conditional test, patient effect (post vs own pre-dose events)")


def _split(pre_years: float, post_years: float, rr: float) -> float:
    """Share of a patient's events that fall after dosing."""
    return rr * post_years / (rr * post_years + pre_years)


def _total_pmf(b: SimBasket, sc: Scenario, pre_years: float, rr: float, top: int) -> np.ndarray:
    """Law of all the basket's pre + post events (untreated rate: the control's point rate)."""
    mean = b.control_rate * sc.n_per_basket * (pre_years + rr * sc.followup_years)
    support = np.arange(top + 1)
    if b.shape is None:
        return stats.poisson.pmf(support, mean)
    size = b.shape * sc.n_per_basket
    return stats.nbinom.pmf(support, size, size / (size + mean))


def _critical_values(totals: np.ndarray, pi0: float, level: float) -> np.ndarray:
    """For each total N the largest c with P(Bin(N, pi0) <= c) <= level (-1 if none)."""
    c = stats.binom.ppf(level, totals, pi0)          # smallest c with cdf >= level
    return np.where(stats.binom.cdf(c, totals, pi0) <= level, c, c - 1).astype(int)


def _below(b: SimBasket, sc: Scenario, pre_years: float, rr: float, levels: Sequence[float]) -> np.ndarray:
    """P(p-value <= level) for each level: sum over the basket's total N (to its 1 - 1e-12 quantile)."""
    mean = b.control_rate * sc.n_per_basket * (pre_years + sc.followup_years)
    if b.shape is None:
        top = int(stats.poisson.ppf(1 - 1e-12, mean))
    else:
        size = b.shape * sc.n_per_basket
        top = int(stats.nbinom.ppf(1 - 1e-12, size, size / (size + mean)))
    law = _total_pmf(b, sc, pre_years, rr, top)
    totals = np.arange(top + 1)
    pi0, pi1 = _split(pre_years, sc.followup_years, 1.0), _split(pre_years, sc.followup_years, rr)
    out = []
    for level in levels:
        c = _critical_values(totals, pi0, level)
        out.append(float((law * np.where(c >= 0, stats.binom.cdf(c, totals, pi1), 0.0)).sum()))
    return np.array(out)


def within_patient_oc(baskets: Sequence[SimBasket], scenario: Scenario, pre_years: float, alpha: float,
                      method: str = "holm") -> FamilyOC:
    """Exact power and type I error of the within-patient analysis, Holm across baskets (no selection)."""
    require_positive("pre_years", pre_years)
    require_probability("alpha", alpha)
    levels = step_levels(alpha, len(baskets), method)
    under_h0 = np.array([_below(b, scenario, pre_years, 1.0, levels) for b in baskets])
    under_h1 = np.array([_below(b, scenario, pre_years, b.rate_ratio, levels) for b in baskets])
    alone0 = [_below(b, scenario, pre_years, 1.0, [alpha])[0] for b in baskets]
    alone1 = [_below(b, scenario, pre_years, b.rate_ratio, [alpha])[0] for b in baskets]
    type1, power = rejection_probabilities(under_h0, method), rejection_probabilities(under_h1, method)
    rows = tuple(BasketOC(b.name, "exact conditional test, patient effect", scenario.exposure,
                          b.control_rate * scenario.exposure, b.control_rate * scenario.exposure * b.rate_ratio,
                          (), float(power[j]), float(alone1[j]), float(type1[j]), float(alone0[j]))
                 for j, b in enumerate(baskets))
    fwer = 1.0 - float(np.prod(1.0 - under_h0[:, 0]))
    any_power = 1.0 - float(np.prod(1.0 - under_h1[:, 0]))
    return FamilyOC(scenario, alpha, method, 1.0, rows, fwer, any_power)


@dataclass(frozen=True)
class WithinPatientSimulation:
    """Simulated within-patient analysis (fractions of trials)."""

    n_sim: int
    seed: int
    min_pre_events: int
    type1: tuple[float, ...]
    power: tuple[float, ...]
    family_wise_error: float


def _draw(rng, b: SimBasket, sc: Scenario, pre_years: float, rr: float, n_sim: int, min_pre: int):
    """(pre, post) counts of n_sim x n patients; patients are redrawn until they have >= min_pre pre-dose events."""
    shape = (n_sim, sc.n_per_basket)
    frailty = np.ones(shape) if b.shape is None else rng.gamma(b.shape, 1.0 / b.shape, size=shape)
    pre = rng.poisson(frailty * b.control_rate * pre_years)
    short = pre < min_pre
    while short.any():  # enrolment only of patients with enough recent events
        k = int(short.sum())
        f = np.ones(k) if b.shape is None else rng.gamma(b.shape, 1.0 / b.shape, size=k)
        frailty[short] = f
        pre[short] = rng.poisson(f * b.control_rate * pre_years)
        short = pre < min_pre
    post = rng.poisson(frailty * b.control_rate * rr * sc.followup_years)
    return pre, post


def simulate_within_patient(baskets: Sequence[SimBasket], scenario: Scenario, pre_years: float, alpha: float,
                            n_sim: int = 20_000, seed: int = 20260101, method: str = "holm",
                            min_pre_events: int = 0) -> WithinPatientSimulation:
    """Simulated type I error and power of the within-patient analysis, optionally under selection."""
    require_positive("pre_years", pre_years)
    require_count("min_pre_events", min_pre_events)
    root = np.random.SeedSequence(require_count("seed", seed))
    streams = [np.random.default_rng(s) for s in root.spawn(2 * len(baskets))]
    pi0 = scenario.followup_years / (scenario.followup_years + pre_years)
    p = {}
    for h, rr_of in ((0, lambda b: 1.0), (1, lambda b: b.rate_ratio)):
        cols = []
        for j, b in enumerate(baskets):
            pre, post = _draw(streams[2 * j + h], b, scenario, pre_years, rr_of(b), n_sim, min_pre_events)
            y, n = post.sum(axis=1), (pre + post).sum(axis=1)
            cols.append(np.where(n > 0, stats.binom.cdf(y, n, pi0), 1.0))
        p[h] = np.column_stack(cols)
    rej0, rej1 = reject(p[0], alpha, method), reject(p[1], alpha, method)
    return WithinPatientSimulation(n_sim, seed, min_pre_events, tuple(map(float, rej0.mean(axis=0))),
                                   tuple(map(float, rej1.mean(axis=0))), float(rej0.any(axis=1).mean()))
