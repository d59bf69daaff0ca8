"""`basket design` and `basket analyze`: what the baskets can show against natural history."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import (
    DEFAULT_OUTPUT,
    EXIT_BAD_INPUT,
    EXIT_PROBLEMS,
    ProgramFirst,
    check_output,
    fasta_option,
    program_argument,
    reports_input_errors,
    table_width,
    warn,
    wide_option,
)


def _numbers(kind: type):
    def convert(ctx: click.Context, param: click.Parameter, value: str | None):
        if value is None:
            return None
        try:
            return [kind(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise click.BadParameter(f"expected comma-separated numbers, got {value!r}") from None
    return convert


@click.command()
@program_argument
@click.option("--rate-ratio", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Hypothesised on-treatment / natural-history rate ratio (overrides umbrella.sample_size).")
@click.option("--patients", callback=_numbers(int), help="Patients per basket, e.g. 1,2,3,5,10.")
@click.option("--follow-up", "follow_up", callback=_numbers(float), help="Years of follow-up, e.g. 1,2.")
@click.option("--alpha", type=click.FloatRange(0, 0.5, min_open=True, max_open=True),
              help="One-sided family-wise significance level across the designable baskets.")
@click.option("--simulations", type=click.IntRange(100, 10_000_000), help="Simulated trials per scenario.")
@click.option("--seed", type=click.IntRange(0), help="Random seed (same seed, same numbers).")
@click.option("--bayes", is_flag=True, help="Add the program's Bayesian rule (umbrella.sample_size.bayes: EXNEX "
              "borrowing across baskets): its type I error beside its power, and its calibrated threshold.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT / "design",
              show_default=True, help="Directory for design.csv and the power plot (power.png, power.svg), "
              "replaced atomically.")
@click.option("--no-files", is_flag=True, help="Only print the table; write no folder.")
@wide_option
@reports_input_errors
def design(program: Path, rate_ratio: float | None, patients: list[int] | None, follow_up: list[float] | None,
           alpha: float | None, simulations: int | None, seed: int | None, bayes: bool, fmt: str,
           output: Path, no_files: bool, wide: bool) -> None:
    """Exact and simulated operating characteristics of each disease basket against its natural history.

    Baseline rates come from each basket's natural history (the primary endpoint's comparator);
    the effect size and scenarios from umbrella.sample_size, overridable here.

    Example: basket design configs/ucd-umbrella --patients 2,3,5,10 --follow-up 1,2
    """
    from pydantic import ValidationError

    from basket.program.load import load_program
    from basket.stats.basket_design import design_program, effective_plan

    if no_files:
        output = None
    check_output(output, (program,), folder=True)
    directory = program
    program = load_program(program).program
    try:
        plan = effective_plan(program, rate_ratio=rate_ratio, patients_per_basket=patients,
                              follow_up_years=follow_up, alpha=alpha, simulations=simulations, seed=seed)
    except ValidationError as error:  # a value given here (the program's own were checked when it loaded)
        from basket.foundation.problems import InputError, Problem

        raise InputError([Problem(_OVERRIDE_OPTIONS.get(str(item["loc"][0]), str(item["loc"][0])), 0, "",
                                  str(item["msg"]).removeprefix("Value error, ")) for item in error.errors()]) from None
    if plan is None:
        click.echo("error: no effect size: add umbrella.sample_size to the program or pass --rate-ratio", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if bayes and plan.bayes is None:
        click.echo("error: --bayes needs the program's Bayesian rule: add umbrella.sample_size.bayes (prior, "
                   "threshold, rationale)", err=True)
        sys.exit(EXIT_BAD_INPUT)
    report = design_program(program, plan, bayes=bayes)
    click.echo(_design_text(report, fmt, table_width(wide)), nl=False)
    for skipped in report.skipped:
        click.echo(f"not designable: {skipped.name} ({skipped.basket}): {skipped.reason}", err=True)
    if report.table is None:
        sys.exit(EXIT_PROBLEMS)
    if output is not None:
        _write_design(report, output, directory)
        click.echo(f"wrote {output / 'design.csv'}, {output / 'power.png'} and {output / 'power.svg'}", err=True)


# umbrella.sample_size field -> the option of `basket design` that overrides it (what an error names)
_OVERRIDE_OPTIONS = {"rate_ratio": "--rate-ratio", "patients_per_basket": "--patients", "follow_up_years": "--follow-up",
                     "alpha": "--alpha", "simulations": "--simulations", "seed": "--seed"}


def _design_text(report, fmt: str, width: int | None) -> str:
    from dataclasses import asdict

    from basket.foundation.text_tables import to_json, to_table
    from basket.stats import design_table_csv

    if report.table is None:
        return "no basket has a natural-history event rate to design against\n"
    if fmt == "csv":
        return design_table_csv(report.table)
    if fmt == "json":
        return to_json({"rate_ratio": report.plan.rate_ratio, "alpha": report.plan.alpha,
                        "primary": report.plan.primary, "within_patient": report.within_patient,
                        "adjustment": report.plan.adjustment, "simulations": report.plan.simulations,
                        "seed": report.plan.seed, "rows": [asdict(r) for r in report.table.rows],
                        "controls": [{"basket": b.basket, **asdict(c)}
                                     for b, c in zip(report.baselines, report.controls)],
                        "robustness": [asdict(r) for r in report.robustness],
                        "count_model": [{"scenario": asdict(sc), "cells": [asdict(c) for c in cells]}
                                        for sc, cells in report.count_model]})
    rows = [{**asdict(r), **{k: _pct(v) for k, v in asdict(r).items() if k in _PROBABILITIES}}
            for r in report.table.rows]
    columns = ["basket", "n_per_basket", "followup_years", "expected_events_h0", "expected_events_h1",
               "critical_value_first", "critical_value_last", "exact_type1", "exact_power", "exact_power_alone",
               "simulated_power", "exact_family_wise_error", "chance_finding", "chance_finding_unadjusted"]
    if report.table.bayes_min_probability is not None:
        columns += ["posterior_p_benefit_h1", "bayes_type1", "bayes_power", "bayes_chance_finding"]
        if report.plan.bayes.calibrate_to is not None:
            columns += ["bayes_calibrated_threshold", "bayes_calibrated_power", "bayes_calibrated_chance_finding"]
            for row in rows:
                row["bayes_calibrated_threshold"] = _threshold(row["bayes_calibrated_threshold"])
    for row in rows:
        row["expected_events_h0"] = f"{row['expected_events_h0']:.2f}"
        row["expected_events_h1"] = f"{row['expected_events_h1']:.2f}"
    method = "Holm" if report.table.method == "holm" else "Bonferroni"
    header = (f"Rate ratio {report.plan.rate_ratio:g} against natural history; prespecified analysis: each "
              f"basket's exact one-sided test, {method} across the {len(report.baselines)} designable baskets at "
              f"family-wise alpha {report.plan.alpha:g}; {report.plan.simulations:,} simulated trials per scenario "
              f"(seed {report.plan.seed}). critical_value_first: significant whatever the other baskets show; "
              f"critical_value_last: significant only if every other basket is; exact_power_alone: the test "
              f"alone at alpha, for comparison.{_bayes_header(report.plan) if report.table.bayes_min_probability else ''}"
              f"\n\n")
    return (header + to_table(rows, columns, width) + _robustness_text(report, width)
            + _within_patient_text(report, width))


def _within_patient_text(report, width: int | None) -> str:
    from basket.foundation.text_tables import to_table

    if not report.within_patient:
        return ""
    wp = report.plan.within_patient
    role = "the primary analysis" if report.plan.primary == "within_patient" else "supportive"
    first = report.within_patient[0]
    text = (f"\nWithin patient ({role}): each patient's post-dose events against their own {wp.pre_dose_years:g}-year "
            f"pre-dose window, exact conditional test with a patient effect, Holm across baskets. Regression to the "
            f"mean: if only patients with at least {first['selection']} event(s) in the window were enrolled, the "
            f"type I error would be the simulated *_selected figures.\n\n")
    return text + to_table([{**r, "basket": r["id"]} for r in report.within_patient],
                           ["basket", "n", "follow_up", "pre_dose_years", "type1", "power", "power_alone",
                            "family_wise_error", "type1_selected", "power_selected", "family_wise_error_selected"],
                           width)


def _robustness_text(report, width: int | None) -> str:
    """The controls and the robustness tables under the design table."""
    from basket.foundation.text_tables import to_table
    from basket.stats.basket_design import robustness_view

    view = robustness_view(report.baselines, report.controls, report.robustness, report.count_model, report.plan)
    parts = ["", "Natural-history control:"]
    parts += [f"- {c['baskets']}: {c['model']}. {' '.join(c['notes'])}" for c in view["controls"]]
    parts += ["", _TIPPING, ""]
    parts.append(to_table([{**t, "basket": t["id"], "tipping_factor": t["factor"], "tipping_rate": t["rate"]}
                           for t in view["tipping"]],
                          ["basket", "n", "follow_up", "events", "expected", "significant", "tipping_factor",
                           "tipping_rate"], width))
    factors = [f"x{f}" for f in view["factors"]]
    parts += ["Family-wise type I error if the untreated rate is the factor times the natural history's:", ""]
    parts.append(to_table([{"n": r["n"], "follow_up": r["follow_up"], **dict(zip(factors, r["errors"]))}
                           for r in view["type1_at_factors"]], ["n", "follow_up", *factors], width))
    model = view["count_model"]
    if model:
        parts += [_COUNT_MODEL, ""]
        parts.append(to_table([{"n": r["n"], "follow_up": r["follow_up"], "test": r["test"],
                                **dict(zip(model["models"], r["cells"]))} for r in model["rows"]],
                              ["n", "follow_up", "test", *model["models"]], width))
    return "\n".join(parts)


_TIPPING = ("Robustness to the control: tipping points of a trial that goes as planned (each basket at its median "
            "count under the hypothesised effect); benefit is shown while the untreated rate is at least "
            "tipping_factor times the natural history's:")
_COUNT_MODEL = ("Type I error (a basket's test alone at alpha / family-wise) of the naive test (Poisson counts, rate "
                "known) and of the design's test, by count model:")


def _bayes_header(plan) -> str:
    b = plan.bayes
    text = (f" Bayesian rule (supportive, EXNEX): benefit when P(rate ratio < {b.rate_ratio_below:g} | data) >= "
            f"{b.min_probability:g}; bayes_type1 and bayes_chance_finding are its type I errors")
    if b.calibrate_to is not None:
        text += (f"; bayes_calibrated_threshold: the threshold whose simulated chance finding is at most "
                 f"{b.calibrate_to:g}, with its power")
    return text + "."


def _threshold(value: float) -> str:
    return "unreachable" if value == float("inf") else f"{value:.4f}"


_PROBABILITIES = {"exact_type1", "exact_power", "exact_power_alone", "exact_family_wise_error", "simulated_type1",
                  "simulated_power", "chance_finding", "chance_finding_unadjusted", "posterior_p_benefit_h1",
                  "bayes_power", "bayes_type1", "bayes_chance_finding", "bayes_calibrated_power",
                  "bayes_calibrated_chance_finding"}


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _write_design(report, output: Path, program: Path) -> None:
    from basket.foundation.atomic_output import replace_directory
    from basket.stats import design_table_csv, plot_power

    with replace_directory(output, (program,)) as staging:
        (staging / "design.csv").write_text(design_table_csv(report.table), encoding="utf-8")
        years = report.plan.follow_up_years[0]
        plot_power(report.table, staging / "power", "exact_power", years if len(report.plan.follow_up_years) > 1 else None)


@click.command(cls=ProgramFirst)
@program_argument
@click.argument("outcomes", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@fasta_option
@click.option("--biomarkers", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Biomarker series: patient, marker, day, value[, unit].")
@click.option("--level", type=click.FloatRange(0.5, 1, max_open=True), default=0.95, show_default=True,
              help="Confidence level of the intervals.")
@click.option("--adjust", "adjustment", type=click.Choice(["holm", "bonferroni", "none"]),
              help="Multiplicity adjustment within each family (default: umbrella.sample_size.adjustment, Holm).")
@click.option("--interim", is_flag=True, help="Interim look instead of the analysis: per designable basket, the "
              "predictive probability that the prespecified final analysis succeeds given the patients dosed so far, "
              "and the conditional power at the design's effect (umbrella.sample_size.interim).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
@wide_option
@reports_input_errors
def analyze(program: Path, outcomes: Path, fasta: Path | None, biomarkers: Path | None, level: float,
            adjustment: str | None, interim: bool, fmt: str, wide: bool) -> None:
    """Observed effect against natural history per variant, per basket and pooled, with exact intervals.

    The primary family is every designable basket of the umbrella, tested at the program's family-wise
    alpha (umbrella.sample_size), whatever baskets OUTCOMES holds.

    OUTCOMES is a CSV: patient, variant, period (pre|post), events, exposure_years[, dose_mg_per_kg]
    (events 0 to 5,000 in the whole file, exposure above 0 and at most 100 years per row).
    Outcomes of a variant never dosed, or outside the umbrella, are analysed with a warning.

    Example: basket analyze configs/ucd-umbrella outcomes.csv --biomarkers ammonia.csv

    Interim look: basket analyze configs/ucd-umbrella outcomes.csv --interim
    """
    from basket.stats.program_outcomes import analysis_output, analyze_program

    if interim:
        from basket.stats.program_interim import interim_output, interim_program

        if biomarkers is not None:
            raise click.UsageError("--interim predicts the primary analysis of event counts: drop --biomarkers")
        report = interim_program(program, outcomes, adjustment, fasta, warn)
        click.echo(interim_output(report, fmt, table_width(wide)), nl=False)
        return
    result = analyze_program(program, outcomes, biomarkers, level, adjustment, fasta, warn)
    click.echo(analysis_output(result, fmt, table_width(wide)), nl=False)


COMMANDS = [design, analyze]
