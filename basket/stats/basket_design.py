"""What each disease basket can show against its natural history: the bridge from the
program (natural-history baselines, the sample-size plan) to `basket.stats`.

A basket is designable when its primary endpoint names a natural-history measure
(`comparator`) whose value is an event rate per patient-year. Baskets that are
not designable are reported with the reason; nothing is assumed for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from basket.program.model import Disease, Measure, Program, SampleSizePlan

# a baseline must be a rate per patient-year for the Poisson designs
_PER_PATIENT_YEAR = re.compile(r"per\s+(patient|person)[- ]years?", re.IGNORECASE)

DEFAULT_PRIOR = {"mu_mean": 0.0, "mu_sd": 2.0, "tau_scale": 1.0, "nex_mean": 0.0, "nex_sd": 2.0,
                 "p_exchangeable": 0.5}


@dataclass(frozen=True)
class Baseline:
    basket: str  # disease id
    name: str  # disease name
    endpoint: str
    measure: Measure


@dataclass(frozen=True)
class Skipped:
    basket: str
    name: str
    reason: str


@dataclass(frozen=True)
class DesignReport:
    plan: SampleSizePlan
    baselines: list[Baseline]
    skipped: list[Skipped]
    table: object | None  # basket.stats.DesignTable, None when no basket is designable


def baseline_of(disease: Disease) -> Baseline | Skipped:
    """The natural-history event rate the disease's primary endpoint is compared with."""
    endpoints = [e for e in disease.endpoints if e.kind == "primary" and e.comparator]
    if not endpoints:
        return Skipped(disease.id, disease.name, "no primary endpoint names a natural-history comparator")
    endpoint = endpoints[0]
    measures = {m.name: m for h in disease.natural_history for m in h.measures}
    measure = measures.get(endpoint.comparator or "")
    if measure is None or measure.value is None:
        return Skipped(disease.id, disease.name, f"natural-history measure {endpoint.comparator!r} has no value")
    if not _PER_PATIENT_YEAR.search(measure.unit or ""):
        return Skipped(disease.id, disease.name,
                       f"measure {measure.name!r} is in {measure.unit!r}, not events per patient-year")
    if measure.value <= 0:
        return Skipped(disease.id, disease.name, f"measure {measure.name!r} is not a positive rate")
    return Baseline(disease.id, disease.name, endpoint.name, measure)


def natural_history_of(baseline: Baseline):
    """The basket's natural history as the statistics engine takes it."""
    from basket.stats import NaturalHistory

    return NaturalHistory(baseline.basket, rate=baseline.measure.value, shape=baseline.measure.dispersion)


def basket_baselines(program: Program) -> tuple[list[Baseline], list[Skipped]]:
    baselines, skipped = [], []
    for disease_id in program.umbrella.diseases:
        found = baseline_of(program.diseases_by_id[disease_id])
        (baselines if isinstance(found, Baseline) else skipped).append(found)
    return baselines, skipped


def effective_plan(program: Program, **overrides: object) -> SampleSizePlan | None:
    """The program's sample-size plan with command-line overrides (None values ignored)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    base = program.umbrella.sample_size
    if base is None:
        if "rate_ratio" not in given:
            return None
        return SampleSizePlan.model_validate({"rationale": "given on the command line", **given})
    return SampleSizePlan.model_validate({**base.model_dump(), **given})


def _sim_baskets(baselines: list[Baseline], plan: SampleSizePlan) -> list:
    from basket.stats import SimBasket

    return [SimBasket(b.basket, b.measure.value, plan.rate_ratio, b.measure.dispersion)  # type: ignore[arg-type]
            for b in baselines]


def _scenarios(plan: SampleSizePlan) -> list:
    from basket.stats import Scenario

    return [Scenario(n, years) for years in plan.follow_up_years for n in plan.patients_per_basket]


def design_program(program: Program, plan: SampleSizePlan, bayes: bool = False) -> DesignReport:
    """Exact and simulated operating characteristics per designable basket and scenario."""
    from basket.stats import ExNexPrior, design_table

    baselines, skipped = basket_baselines(program)
    if not baselines:
        return DesignReport(plan, baselines, skipped, None)
    prior = ExNexPrior(**DEFAULT_PRIOR) if bayes else None
    table = design_table(_sim_baskets(baselines, plan), _scenarios(plan), plan.alpha, plan.simulations,
                         plan.seed, prior, method=plan.adjustment)
    return DesignReport(plan, baselines, skipped, table)


def exact_rows(program: Program, plan: SampleSizePlan) -> list[dict[str, object]]:
    """Exact figures of the prespecified analysis per basket and scenario (no simulation), for the documents."""
    from basket.stats.family_design import family_oc

    baselines, _ = basket_baselines(program)
    if not baselines:
        return []
    baskets = _sim_baskets(baselines, plan)
    rows = []
    for scenario in _scenarios(plan):
        oc = family_oc(baskets, scenario, plan.alpha, plan.adjustment)
        for baseline, design in zip(baselines, oc.baskets):
            rows.append({
                "basket": baseline.name,
                "n": scenario.n_per_basket,
                "follow_up": f"{scenario.followup_years:g}",
                "baseline": f"{baseline.measure.value:g} {baseline.measure.unit}",
                "expected_h0": f"{design.expected_null:.2f}",
                "expected_h1": f"{design.expected_alt:.2f}",
                "critical_first": _count(design.critical_values[0]),
                "critical_last": _count(design.critical_values[-1]),
                "type1": f"{design.type1:.4f}",
                "power": f"{design.power:.3f}",
                "power_alone": f"{design.power_alone:.3f}",
                "family_wise_error": f"{oc.family_wise_error:.4f}",
            })
    return rows


def _count(critical_value: int) -> object:
    return critical_value if critical_value >= 0 else "none"
