"""What each disease basket can show against its natural history: the bridge from the
program (natural-history baselines, the sample-size plan) to `basket.stats`.

A basket is designable when its primary endpoint names a natural-history measure
(`comparator`) whose value is an event rate per patient-year, and its largest
scenario expects at most MAX_EXPECTED_EVENTS events (the exact tests step
through counts and the Bayesian table holds one posterior per count, so a rate
of 10^15 per patient-year would run for ever). Baskets that are not designable
are reported with the reason; nothing is assumed for them. Each
designable basket's control (count model, the rate's uncertainty) comes from
:mod:`basket.stats.basket_controls`; the design adds its robustness to that
control (tipping points, type I error under a lower untreated rate and under
the other count model).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from basket.foundation.text_tables import format_number
from basket.program.model import Disease, Measure, NaturalHistory, Program, SampleSizePlan
from basket.stats.basket_controls import ControlModel, control_model

# a baseline must be a rate per patient-year for the Poisson designs
_PER_PATIENT_YEAR = re.compile(r"per\s+(patient|person)[- ]years?", re.IGNORECASE)

MAX_EXPECTED_EVENTS = 5_000  # natural-history events per basket in the largest scenario


@dataclass(frozen=True)
class Baseline:
    basket: str  # disease id
    name: str  # disease name
    endpoint: str
    measure: Measure
    history: NaturalHistory

    def control(self, plan: SampleSizePlan | None) -> ControlModel:
        """The basket's control under the plan (the rate's uncertainty propagated unless the plan says not)."""
        return control_model(self.measure, self.history, plan is None or plan.control_uncertainty)


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
    controls: list[ControlModel] = field(default_factory=list)
    robustness: list = field(default_factory=list)  # basket.stats.robustness.DesignRobustness per scenario
    count_model: list = field(default_factory=list)  # (scenario, CountModelCell tuple) per scenario
    within_patient: list = field(default_factory=list)  # display rows of the within-patient design


def baseline_of(disease: Disease, plan: SampleSizePlan | None = None) -> Baseline | Skipped:
    """The natural-history event rate the disease's primary endpoint is compared with (skipped
    when `plan`'s largest scenario expects more events than the design computes)."""
    endpoints = [e for e in disease.endpoints if e.kind == "primary" and e.comparator]
    if not endpoints:
        return Skipped(disease.id, disease.name, "no primary endpoint names a natural-history comparator")
    endpoint = endpoints[0]
    measures = {m.name: (m, h) for h in disease.natural_history for m in h.measures}
    measure, history = measures.get(endpoint.comparator or "", (None, None))
    if measure is None or measure.value is None:
        return Skipped(disease.id, disease.name, f"natural-history measure {endpoint.comparator!r} has no value")
    if not _PER_PATIENT_YEAR.search(measure.unit or ""):
        return Skipped(disease.id, disease.name,
                       f"measure {measure.name!r} is in {measure.unit!r}, not events per patient-year")
    if measure.value <= 0:
        return Skipped(disease.id, disease.name, f"measure {measure.name!r} is not a positive rate")
    if plan is not None:
        patients, years = max(plan.patients_per_basket), max(plan.follow_up_years)
        expected = measure.value * patients * years
        if expected > MAX_EXPECTED_EVENTS:
            return Skipped(disease.id, disease.name, f"{patients} patients over {format_number(years)} years at "
                           f"{format_number(measure.value)} events per patient-year expect {expected:,.0f} events, more than "
                           f"the {MAX_EXPECTED_EVENTS:,} the design computes; check the rate and the scenarios")
    return Baseline(disease.id, disease.name, endpoint.name, measure, history)


def natural_history_of(baseline: Baseline, plan: SampleSizePlan | None):
    """The basket's natural history as the statistics engine takes it."""
    from basket.stats import NaturalHistory

    control = baseline.control(plan)
    return NaturalHistory(baseline.basket, rate=control.rate, shape=control.shape, rate_se=control.rate_se)


def basket_baselines(program: Program, plan: SampleSizePlan | None = None) -> tuple[list[Baseline], list[Skipped]]:
    baselines, skipped = [], []
    for disease_id in program.umbrella.diseases:
        found = baseline_of(program.diseases_by_id[disease_id], plan)
        (baselines if isinstance(found, Baseline) else skipped).append(found)
    return baselines, skipped


def design_notes(program: Program) -> list[str]:
    """What the design will assume for each designable basket's control, and what is missing for more."""
    plan = program.umbrella.sample_size
    baselines, _ = basket_baselines(program, plan)
    groups = _control_groups(baselines, [b.control(plan) for b in baselines])
    return [f"{g['baskets']}: {g['model']}. {' '.join(g['notes'])}" for g in groups]


def effective_plan(program: Program, **overrides: object) -> SampleSizePlan | None:
    """The program's sample-size plan with command-line overrides (None values ignored)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    base = program.umbrella.sample_size
    if base is None:
        if "rate_ratio" not in given:
            return None
        return SampleSizePlan.model_validate({"rationale": "given on the command line", **given})
    return SampleSizePlan.model_validate({**base.model_dump(), **given})


def _sim_baskets(controls: list[ControlModel], baselines: list[Baseline], plan: SampleSizePlan,
                 naive: bool = False) -> list:
    """The baskets as the design takes them; ``naive``: Poisson counts and a known rate (for comparison)."""
    from basket.stats import SimBasket

    return [SimBasket(b.basket, c.rate, plan.rate_ratio, None if naive else c.shape,
                      rate_se=None if naive else c.rate_se) for b, c in zip(baselines, controls)]


def _scenarios(plan: SampleSizePlan) -> list:
    from basket.stats import Scenario

    return [Scenario(n, years) for years in plan.follow_up_years for n in plan.patients_per_basket]


def design_program(program: Program, plan: SampleSizePlan, bayes: bool = False) -> DesignReport:
    """Exact and simulated operating characteristics per designable basket and scenario."""
    from basket.stats import design_table

    baselines, skipped = basket_baselines(program, plan)
    if not baselines:
        return DesignReport(plan, baselines, skipped, None)
    controls = [b.control(plan) for b in baselines]
    baskets = _sim_baskets(controls, baselines, plan)
    table = design_table(baskets, _scenarios(plan), plan.alpha, plan.simulations, plan.seed,
                         bayes_rule(plan) if bayes else None, method=plan.adjustment)
    return DesignReport(plan, baselines, skipped, table, controls, robustness(baskets, plan),
                        count_models(controls, baselines, plan), within_patient_rows(baselines, baskets, plan))


def within_patient_rows(baselines: list[Baseline], baskets: list, plan: SampleSizePlan) -> list[dict[str, Any]]:
    """Exact power and type I error of the within-patient analysis (Holm across baskets), and the simulated
    type I error when enrolment requires recent events (regression to the mean). Empty without the plan."""
    from basket.stats.within_patient import simulate_within_patient, within_patient_oc

    wp = plan.within_patient
    if wp is None:
        return []
    names = {b.basket: b.name for b in baselines}
    selection = max(wp.min_pre_dose_events, 1)
    rows = []
    for i, sc in enumerate(_scenarios(plan)):
        oc = within_patient_oc(baskets, sc, wp.pre_dose_years, plan.alpha, plan.adjustment)
        sim = simulate_within_patient(baskets, sc, wp.pre_dose_years, plan.alpha, plan.simulations, plan.seed + i,
                                      plan.adjustment, selection)
        for j, d in enumerate(oc.baskets):
            rows.append({"basket": names[d.name], "id": d.name, "n": sc.n_per_basket,
                         "follow_up": f"{sc.followup_years:g}", "pre_dose_years": f"{wp.pre_dose_years:g}",
                         "type1": f"{d.type1:.4f}", "power": f"{d.power:.3f}", "power_alone": f"{d.power_alone:.3f}",
                         "family_wise_error": f"{oc.family_wise_error:.4f}", "selection": selection,
                         "type1_selected": f"{sim.type1[j]:.4f}", "power_selected": f"{sim.power[j]:.3f}",
                         "family_wise_error_selected": f"{sim.family_wise_error:.4f}"})
    return rows


def bayes_rule(plan: SampleSizePlan):
    """The program's supportive Bayesian rule (``plan.bayes`` must be given)."""
    from basket.stats import BayesRule, ExNexPrior

    if plan.bayes is None:
        raise ValueError("umbrella.sample_size.bayes is not given")
    b = plan.bayes
    return BayesRule(ExNexPrior(**b.prior.model_dump()), b.min_probability, math.log(b.rate_ratio_below),
                     calibrate_to=b.calibrate_to)


def robustness(baskets: list, plan: SampleSizePlan) -> list:
    """Per scenario: tipping points of the typical outcome, type I error at the plan's factors."""
    from basket.stats.robustness import design_robustness

    return [design_robustness(baskets, sc, plan.alpha, plan.adjustment, plan.tipping_factors)
            for sc in _scenarios(plan)]


def count_models(controls: list[ControlModel], baselines: list[Baseline], plan: SampleSizePlan) -> list:
    """Per scenario, the type I error of the naive test (Poisson counts, rate known) and of the design's test
    when the counts are Poisson or gamma-Poisson (at the shape in use and, when the shape comes from a range,
    at the least over-dispersed plausible shape).

    Empty when no basket's counts are over-dispersed (there is no second model to compare with).
    """
    from basket.stats import SimBasket
    from basket.stats.robustness import count_model_type1

    if all(c.shape is None for c in controls):
        return []
    naive = _sim_baskets(controls, baselines, plan, naive=True)
    design = _sim_baskets(controls, baselines, plan)
    counts = [("Poisson", naive), ("gamma-Poisson, shape in use", design)]
    if any(c.shape_source == "range" and c.shape_high is not None for c in controls):
        bound = [c.shape_high if c.shape_high is not None else c.shape for c in controls]
        counts.append(("gamma-Poisson, least over-dispersed plausible shape",
                       [SimBasket(b.name, b.control_rate, b.rate_ratio, k) for b, k in zip(design, bound)]))
    tests = [("Poisson test, rate known", naive), ("the design's test", design)]
    return [(sc, count_model_type1(tests, counts, sc, plan.alpha, plan.adjustment)) for sc in _scenarios(plan)]


def design_figures(program: Program, plan: SampleSizePlan) -> dict[str, object]:
    """What the protocol's 10.9 shows: exact figures, the controls, robustness (no simulation)."""
    baselines, _ = basket_baselines(program, plan)
    if not baselines:
        return {"rows": [], **robustness_view([], [], [], [], plan), "within_patient": []}
    controls = [b.control(plan) for b in baselines]
    baskets = _sim_baskets(controls, baselines, plan)
    return {"rows": exact_rows(baselines, baskets, plan),
            **robustness_view(baselines, controls, robustness(baskets, plan), count_models(controls, baselines, plan),
                              plan),
            "within_patient": within_patient_rows(baselines, baskets, plan)}


def robustness_view(baselines: list[Baseline], controls: list[ControlModel], robust: list, count_model: list,
                    plan: SampleSizePlan) -> dict[str, object]:
    """Display rows (text) of the controls and of the robustness tables, for `design` and the protocol."""
    return {
        "controls": _control_groups(baselines, controls),
        "tipping": _tipping_rows(robust, baselines),
        "factors": [f"{f:g}" for f in plan.tipping_factors],
        "type1_at_factors": [{"n": r.scenario.n_per_basket, "follow_up": format_number(r.scenario.followup_years),
                              "errors": [f"{e:.4f}" for _, e in r.family_wise_error]} for r in robust],
        "count_model": _count_model_rows(count_model),
    }


def exact_rows(baselines: list[Baseline], baskets: list, plan: SampleSizePlan) -> list[dict[str, object]]:
    """Exact figures of the prespecified analysis per basket and scenario (no simulation), for the documents."""
    from basket.stats.family_design import family_oc

    rows = []
    for scenario in _scenarios(plan):
        oc = family_oc(baskets, scenario, plan.alpha, plan.adjustment)
        for baseline, design in zip(baselines, oc.baskets):
            rows.append({
                "basket": baseline.name,
                "n": scenario.n_per_basket,
                "follow_up": format_number(scenario.followup_years),
                "baseline": f"{format_number(baseline.measure.value)} {baseline.measure.unit}",
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


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _control_summary(control) -> str:
    counts = "Poisson counts" if control.shape is None else f"gamma-Poisson counts, shape {control.shape:.2f}"
    if control.rate_se is None:
        return f"{format_number(control.rate)} events per patient-year, taken as known; {counts}"
    return f"{format_number(control.rate)} events per patient-year, standard error {control.rate_se:.3g}; {counts}"


def _control_groups(baselines: list[Baseline], controls: list[ControlModel]) -> list[dict[str, Any]]:
    """Baskets sharing one control (one natural-history measure) are described once."""
    groups: dict[Any, list[str]] = {}
    for b, c in zip(baselines, controls):
        groups.setdefault(c, []).append(b.name)
    return [{"baskets": ", ".join(names), "model": _control_summary(c), "notes": [_sentence(n) for n in c.notes]}
            for c, names in groups.items()]


def _tipping_rows(robustness: list, baselines: list[Baseline]) -> list[dict[str, Any]]:
    names = {b.basket: b.name for b in baselines}
    return [{"basket": names[t.name], "id": t.name, "n": r.scenario.n_per_basket,
             "follow_up": format_number(r.scenario.followup_years),
             "events": t.events, "expected": f"{t.expected_events:.2f}",
             "significant": "yes" if t.significant else "no",
             "factor": "—" if t.factor is None else f"{t.factor:.2f}",
             "rate": "—" if t.rate is None else f"{t.rate:.2f}"}
            for r in robustness for t in r.tipping]


def _count_model_rows(count_model: list) -> dict[str, Any]:
    """Rows per scenario and test, one cell per count model: "alone / family-wise"."""
    if not count_model:
        return {}
    models = list(dict.fromkeys(c.counts for _, cells in count_model for c in cells))
    rows = []
    for sc, cells in count_model:
        for test in dict.fromkeys(c.test for c in cells):
            by_model = {c.counts: c for c in cells if c.test == test}
            rows.append({"n": sc.n_per_basket, "follow_up": format_number(sc.followup_years), "test": test,
                         "cells": [f"{by_model[m].type1_alone:.3f} / {by_model[m].family_wise_error:.3f}"
                                   for m in models]})
    return {"models": models, "rows": rows}


def _count(critical_value: int) -> object:
    return critical_value if critical_value >= 0 else "none"
