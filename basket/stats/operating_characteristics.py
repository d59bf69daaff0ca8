"""Design table: exact and simulated operating characteristics per basket × scenario.

For every basket and enrolment scenario the table gives the expected events
under H0 (RR = 1) and H1 (the basket's hypothesised RR), and the operating
characteristics of the prespecified analysis -- each basket's exact test, Holm
(or Bonferroni) across the baskets at family-wise ``alpha``: the critical values
of the first and last step, the exact power and type I error per basket and the
family-wise error (:mod:`basket.stats.family_design`), the power the basket's
test would have alone at ``alpha`` (for comparison), the simulated type I error
and power and the scenario's probability of a chance finding, with and without
the adjustment (:mod:`basket.stats.simulate`), and,
when a Bayesian rule is given, the posterior probability of benefit
P(RR < 1 | data) of the *typical* H1 trial (every basket observes its expected
H1 event count, rounded) from :func:`basket.stats.hierarchical.fit_exnex`, plus
the simulated probability that the Bayesian rule declares benefit.

All inputs come from the caller (natural-history rates, shapes, hypothesised
rate ratios); nothing clinical is assumed here.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from .errors import StatsInputError, require_probability
from .exact import ExactDesign, conditional_design, negbin_design, poisson_design
from .family_design import FamilyOC, family_oc
from .hierarchical import GridSpec, RateData, fit_exnex
from .simulate import BayesRule, Scenario, SimBasket, SimulationResult, _gamma_control, simulate_trials

__all__ = ["DesignRow", "DesignTable", "design_table", "design_table_csv", "exact_design"]


@dataclass(frozen=True)
class DesignRow:
    """One basket under one enrolment scenario (probabilities as fractions)."""

    basket: str
    n_per_basket: int
    followup_years: float
    exposure_years: float
    method: str
    rate_ratio_h1: float
    expected_events_h0: float
    expected_events_h1: float
    critical_value_first: int
    critical_value_last: int
    exact_power: float
    exact_power_alone: float
    exact_type1: float
    exact_family_wise_error: float
    simulated_type1: float
    simulated_power: float
    chance_finding: float
    chance_finding_unadjusted: float
    posterior_p_benefit_h1: float | None
    bayes_power: float | None
    bayes_type1: float | None
    bayes_chance_finding: float | None
    bayes_calibrated_threshold: float | None
    bayes_calibrated_power: float | None
    bayes_calibrated_chance_finding: float | None


@dataclass(frozen=True)
class DesignTable:
    """Rows ordered by scenario then basket, with the settings that made them."""

    rows: tuple[DesignRow, ...]
    alpha: float
    n_sim: int
    seed: int
    bayes_min_probability: float | None
    method: str = "holm"


def exact_design(b: SimBasket, sc: Scenario, alpha: float) -> ExactDesign:
    """The exact design figures of the test this basket uses."""
    if b.estimated_control:
        return conditional_design(b.control_events, b.control_exposure, sc.exposure,
                                  b.rate_ratio, alpha, control_rate=b.control_rate)
    if b.shape is not None:
        return negbin_design(b.control_rate, sc.n_per_basket, sc.followup_years,
                             b.shape, b.rate_ratio, alpha)
    return poisson_design(b.control_rate, sc.exposure, b.rate_ratio, alpha)


def _typical_posterior(baskets: Sequence[SimBasket], sc: Scenario, rule: BayesRule) -> list[float]:
    """P(RR < exp(threshold)) when every basket sees its expected H1 count (rounded)."""
    data = []
    for b in baskets:
        control = _gamma_control(b)
        events = round(b.rate_ratio * b.control_rate * sc.exposure)
        data.append(RateData(b.name, events, sc.exposure, control.rate, b.shape, sc.n_per_basket, control.rate_se))
    return [p.p_benefit for p in fit_exnex(data, rule.prior, rule.threshold, grid=GridSpec(1201, 241, 40)).baskets]


def _rows_for(baskets, sc: Scenario, oc: FamilyOC, sim: SimulationResult,
              post: list[float] | None) -> list[DesignRow]:
    rows = []
    for j, (b, d) in enumerate(zip(baskets, oc.baskets)):
        rows.append(DesignRow(
            basket=b.name, n_per_basket=sc.n_per_basket, followup_years=sc.followup_years,
            exposure_years=sc.exposure, method=d.method, rate_ratio_h1=b.rate_ratio,
            expected_events_h0=d.expected_null, expected_events_h1=d.expected_alt,
            critical_value_first=d.critical_values[0], critical_value_last=d.critical_values[-1],
            exact_power=d.power, exact_power_alone=d.power_alone, exact_type1=d.type1,
            exact_family_wise_error=oc.family_wise_error,
            simulated_type1=sim.type1[j], simulated_power=sim.power[j],
            chance_finding=sim.chance_finding, chance_finding_unadjusted=sim.chance_finding_unadjusted,
            posterior_p_benefit_h1=None if post is None else post[j],
            bayes_power=None if sim.bayes_power is None else sim.bayes_power[j],
            bayes_type1=None if sim.bayes_type1 is None else sim.bayes_type1[j],
            bayes_chance_finding=sim.bayes_chance_finding,
            bayes_calibrated_threshold=sim.bayes_calibrated_threshold,
            bayes_calibrated_power=None if sim.bayes_calibrated_power is None else sim.bayes_calibrated_power[j],
            bayes_calibrated_chance_finding=sim.bayes_calibrated_chance_finding,
        ))
    return rows


def design_table(
    baskets: Sequence[SimBasket],
    scenarios: Sequence[Scenario],
    alpha: float = 0.025,
    n_sim: int = 20_000,
    seed: int = 20260101,
    bayes: BayesRule | None = None,
    method: str = "holm",
) -> DesignTable:
    """Exact and simulated operating characteristics for each basket × scenario.

    Each scenario is simulated with its own seed (``seed + index``) so adding a
    scenario does not change the others' numbers.
    """
    require_probability("alpha", alpha)
    if len(scenarios) == 0:
        raise StatsInputError("scenarios", "need at least one enrolment scenario")
    rows: list[DesignRow] = []
    for i, sc in enumerate(scenarios):
        sim = simulate_trials(baskets, sc, alpha, n_sim, seed + i, bayes, method)
        post = None if bayes is None else _typical_posterior(baskets, sc, bayes)
        rows.extend(_rows_for(baskets, sc, family_oc(baskets, sc, alpha, method), sim, post))
    return DesignTable(tuple(rows), alpha, n_sim, seed, None if bayes is None else bayes.min_probability, method)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "inf" if math.isinf(value) else f"{value:.6g}"
    return str(value)


def design_table_csv(table: DesignTable) -> str:
    """The table as CSV text (fixed column order, 6 significant digits, LF endings)."""
    names = [f.name for f in fields(DesignRow)]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for row in table.rows:
        d = asdict(row)
        writer.writerow([_cell(d[n]) for n in names])
    return buf.getvalue()
