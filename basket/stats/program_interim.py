"""Interim looks at a program's outcomes (`basket analyze --interim`): for every designable basket, the
predictive probability that the prespecified final analysis succeeds, given the patients dosed so far.

The final analysis is the program's primary one (each basket against its natural history, or within
patient when `primary: within_patient`), with the program's alpha, adjustment and control; the prior,
the final size and the looks come from `umbrella.sample_size.interim`. The engines are
:mod:`basket.stats.interim` and :mod:`basket.stats.interim_within_patient`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from basket.foundation.problems import InputError, Problem
from basket.program.model import SampleSizePlan
from basket.stats.program_outcomes import checked_outcomes


@dataclass(frozen=True)
class InterimReport:
    plan: SampleSizePlan
    names: dict[str, str]  # basket id -> disease name
    look: Any              # basket.stats.interim.InterimLook or interim_within_patient.WithinPatientLook
    notes: tuple[str, ...]


def interim_program(directory: Path, outcomes: Path, adjustment: str | None = None, fasta: Path | None = None,
                    warn: Callable[[str], None] | None = None) -> InterimReport:
    """The predictive probability of success of every designable basket, given the outcomes so far."""
    checked = checked_outcomes(directory, outcomes, None, fasta, warn)
    plan = checked.program.umbrella.sample_size
    if plan is None or plan.interim is None:
        raise InputError([Problem(str(directory), 0, "umbrella.sample_size.interim",
                                  "--interim needs the program's interim plan (after_patients, final_patients, "
                                  "final_follow_up_years, prior_rate_ratio, prior_shape, rationale)")])
    if not checked.designable:
        raise InputError([Problem(str(directory), 0, "umbrella.diseases",
                                  "no basket has a natural-history event rate: there is no final analysis to predict")])
    rows: dict[str, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for r in checked.records:
        rows[checked.basket_of[r.variant]][r.patient][r.period] = r
    method = adjustment or plan.adjustment
    if plan.primary == "within_patient":
        look, notes = _within_patient(checked.designable, rows, plan, method)
    else:
        look, notes = _external_control(checked.designable, rows, plan, method)
    return InterimReport(plan, {b.basket: b.name for b in checked.designable}, look, notes)


def _external_control(baselines, rows, plan: SampleSizePlan, method: str):
    from basket.stats.interim import InterimBasket, InterimPrior, interim_look

    it = plan.interim
    baskets = []
    for b in baselines:
        dosed = [p["post"] for p in rows[b.basket].values() if "post" in p]
        baskets.append(InterimBasket(b.basket, b.control(plan).external_control, tuple(r.events for r in dosed),
                                     tuple(r.exposure_years for r in dosed), it.final_patients,
                                     it.final_follow_up_years, plan.rate_ratio))
    prior = InterimPrior(it.prior_rate_ratio, it.prior_shape)
    return interim_look(baskets, prior, plan.alpha, method, it.futility_below), ()


def _within_patient(baselines, rows, plan: SampleSizePlan, method: str):
    from basket.stats.interim import InterimPrior
    from basket.stats.interim_within_patient import WithinPatientBasket, within_patient_look

    it = plan.interim
    baskets, notes = [], []
    for b in baselines:
        pairs = [(p["pre"], p["post"]) for p in rows[b.basket].values() if "post" in p and "pre" in p]
        unpaired = sorted(patient for patient, p in rows[b.basket].items() if "post" in p and "pre" not in p)
        if unpaired:
            notes.append(f"{b.name}: {', '.join(unpaired)} dosed without a pre-dose row: left out of the "
                         "within-patient comparison, as in the analysis")
        baskets.append(WithinPatientBasket(
            b.basket, b.control(plan).external_control, tuple(pre.events for pre, _ in pairs),
            tuple(pre.exposure_years for pre, _ in pairs), tuple(post.events for _, post in pairs),
            tuple(post.exposure_years for _, post in pairs), it.final_patients, it.final_follow_up_years,
            plan.within_patient.pre_dose_years, plan.rate_ratio))
    prior = InterimPrior(it.prior_rate_ratio, it.prior_shape)
    return (within_patient_look(baskets, prior, plan.alpha, method, it.futility_below, plan.simulations, plan.seed),
            tuple(notes))


def _look_due(dosed: int, after: list[int]) -> str:
    """Which prespecified look the dosed count corresponds to."""
    if dosed in after:
        return f"look {after.index(dosed) + 1} of {len(after)}"
    before = [n for n in after if n < dosed]
    return f"after look {len(before)} of {len(after)}" if before else "before the first look"


def interim_rows(report: InterimReport) -> list[dict[str, Any]]:
    """Display rows (text), one per basket."""
    after = report.plan.interim.after_patients
    rows = []
    for b in report.look.baskets:
        row = {"basket": b.name, "disease": report.names[b.name], "dosed": b.dosed, "planned": b.planned,
               "look": _look_due(b.dosed, after), "events": b.events, "exposure_years": f"{b.exposure_years:g}",
               "ppos": f"{b.predictive_success:.3f}", "ppos_alone": f"{b.predictive_success_alone:.3f}",
               "conditional_power": f"{b.conditional_power:.3f}",
               "futility": "" if b.futility is None else ("below threshold" if b.futility else "no")}
        if hasattr(b, "mc_error"):
            row["mc_error"] = f"{b.mc_error:.4f}"
        rows.append(row)
    return rows


def interim_output(report: InterimReport, fmt: str, width: int | None = None) -> str:
    """The interim look as JSON, Markdown or a terminal table."""
    from basket.foundation.text_tables import to_json, to_markdown, to_table

    if fmt == "json":
        return to_json({"primary": report.plan.primary, "interim": report.plan.interim.model_dump(),
                        "look": asdict(report.look), "notes": list(report.notes)})
    rows = interim_rows(report)
    columns = ["basket", "dosed", "planned", "look", "events", "exposure_years", "ppos", "ppos_alone",
               "conditional_power"]
    if report.plan.interim.futility_below is not None:
        columns.append("futility")
    if rows and "mc_error" in rows[0]:
        columns.append("mc_error")
    table = to_markdown(rows, columns) if fmt == "md" else to_table(rows, columns, width)
    parts = [_header(report), "", table,
             (f"Probability that at least one basket is declared beneficial: {report.look.any_success:.3f} "
              f"(conditional power {report.look.any_success_conditional:.3f})."), ""]
    if report.notes:
        parts += ["Notes:", *[f"- {n}" for n in report.notes], ""]
    return "\n".join(parts)


def _header(report: InterimReport) -> str:
    plan, it, look = report.plan, report.plan.interim, report.look
    method = {"holm": "Holm", "bonferroni": "Bonferroni", "none": "no adjustment"}[look.method]
    final = ("each basket's post-dose events against the same patients' own pre-dose window (exact conditional "
             "test)" if plan.primary == "within_patient" else
             "each basket's exact one-sided test against its natural history")
    how = (f"simulated, {look.draws:,} draws, seed {look.seed}; mc_error: the Monte Carlo standard error"
           if plan.primary == "within_patient" else "exact")
    text = (f"Interim look (non-binding): predictive probability of success (ppos) of the final analysis -- {final}, "
            f"{method} across the {len(look.baskets)} designable baskets at family-wise alpha {look.alpha:g}, with "
            f"{it.final_patients} patients per basket followed {it.final_follow_up_years:g} year(s) -- given the "
            f"patients dosed so far, under a gamma prior on the rate ratio with mean {it.prior_rate_ratio:g} and "
            f"shape {it.prior_shape:g} ({how}). ppos_alone: the basket's test alone at alpha. conditional_power: "
            f"the same with the design's rate ratio {plan.rate_ratio:g} instead of the posterior. Looks after "
            f"{', '.join(map(str, it.after_patients))} patient(s) dosed per basket.")
    if it.futility_below is not None:
        text += (f" Futility (non-binding): a basket whose ppos is below {it.futility_below:g} may stop enrolling; "
                 "stopping cannot raise the type I error.")
    return text
