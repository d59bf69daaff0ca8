"""Observed outcomes of a program's patients against its natural history (`basket analyze`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from basket.foundation.problems import InputError, Problem
from basket.program.load import LoadedProgram, load_program
from basket.program.model import Program, SampleSizePlan
from basket.stats.basket_design import Baseline, basket_baselines, design_notes, natural_history_of

DOSED_STATUSES = ("dosed", "follow_up")


@dataclass(frozen=True)
class CheckedOutcomes:
    """An outcomes file read and checked against its program."""

    program: Program
    records: tuple
    markers: tuple
    basket_of: dict[str, str]   # variant -> disease basket
    designable: list[Baseline]  # the prespecified primary family


def checked_outcomes(directory: Path, outcomes: Path, biomarkers: Path | None = None, fasta: Path | None = None,
                     warn: Callable[[str], None] | None = None) -> CheckedOutcomes:
    """Read the outcomes (and biomarker) CSV and check every row against the program.

    Rows about unknown patients or variants, or about baskets that cannot be analysed, are bad input
    (all reported at once). `warn` hears about outcomes that are analysed but suspect: a variant never
    dosed, or one outside the umbrella (planned on the program's reference, or `fasta`).
    """
    from basket.stats import read_biomarkers, read_outcomes
    from basket.stats.outcomes_io import OutcomesFormatError

    loaded = load_program(directory)
    program = loaded.program
    try:
        records = read_outcomes(outcomes)
        markers = read_biomarkers(biomarkers) if biomarkers else ()
    except OutcomesFormatError as error:
        raise InputError([_problem(text) for text in error.problems]) from None
    basket_of, problems = _baskets(program, records, outcomes)
    with_rows = {r.patient for r in records}
    problems += [Problem(str(biomarkers), m.line, "patient",
                         f"patient {m.patient!r} has no rows in {outcomes.name}, so no basket")
                 for m in markers if m.patient not in with_rows]
    if warn is not None and not problems:
        for problem in _suspect_outcomes(loaded, records, outcomes, fasta):
            warn(str(problem))
    designable, skipped = basket_baselines(program)
    reasons = {s.basket: s.reason for s in skipped}
    for basket in sorted(set(basket_of.values()) & set(reasons)):
        line = next(r.line for r in records if basket_of.get(r.variant) == basket)
        problems.append(Problem(str(outcomes), line, "variant",
                                f"basket {basket} cannot be analysed: {reasons[basket]}"))
    if problems:
        raise InputError(problems)
    return CheckedOutcomes(program, tuple(records), tuple(markers), basket_of, designable)


def analyze_program(directory: Path, outcomes: Path, biomarkers: Path | None = None, level: float = 0.95,
                    adjustment: str | None = None, fasta: Path | None = None,
                    warn: Callable[[str], None] | None = None):
    """The outcomes CSV against the program's natural history, with the program's prespecified analysis.

    The primary family is every designable basket of the umbrella (whatever the CSV holds), tested
    at the program's family-wise alpha with its adjustment (``adjustment`` overrides it); rows are
    checked as :func:`checked_outcomes` says.
    """
    from basket.stats import analyze_outcomes

    checked = checked_outcomes(directory, outcomes, biomarkers, fasta, warn)
    program, designable = checked.program, checked.designable
    plan = program.umbrella.sample_size
    alpha, method = (plan.alpha, plan.adjustment) if plan else (_default("alpha"), _default("adjustment"))
    primary = plan.primary if plan else _default("primary")
    history = [natural_history_of(b, plan) for b in designable]
    windows = plan.biomarker_windows if plan else _default("biomarker_windows")
    result = analyze_outcomes(checked.records, history, checked.basket_of, checked.markers, level, alpha=alpha,
                              adjustment=adjustment or method, primary_family=[b.basket for b in designable],
                              primary=primary, windows=windows)
    missing = f"umbrella.sample_size is not given: the default one-sided alpha {alpha:g} and {method} adjustment"
    notes = () if plan else (missing + " are used.",)
    notes += tuple(f"natural-history control: {note}" for note in design_notes(program))
    return replace(result, notes=notes)


def _default(field: str):
    return SampleSizePlan.model_fields[field].default


def _baskets(program: Program, records, path: Path) -> tuple[dict[str, str], list[Problem]]:
    """Each variant's disease basket; rows about unknown patients or variants are problems."""
    basket_of: dict[str, str] = {}
    problems: list[Problem] = []
    patients = {p.id: p for p in program.patients}
    for record in records:
        variant = program.variants_by_id.get(record.variant)
        patient = patients.get(record.patient)
        if variant is None:
            problems.append(Problem(str(path), record.line, "variant", f"unknown variant {record.variant!r}"))
            continue
        if patient is None:
            problems.append(Problem(str(path), record.line, "patient", f"unknown patient {record.patient!r}"))
        elif record.variant not in {a.variant for a in patient.genotype}:
            problems.append(Problem(str(path), record.line, "variant",
                                    f"patient {record.patient} does not carry {record.variant}"))
        disease = program.disease_of(variant)
        if disease is not None:
            basket_of[record.variant] = disease.id
    return basket_of, problems


def _suspect_outcomes(loaded: LoadedProgram, records, path: Path, fasta: Path | None) -> list[Problem]:
    """Outcomes for a variant that was never dosed, or that sits outside the umbrella (first row of each)."""
    from basket.plan.umbrella_decision import checked_plan

    first_row: dict[str, int] = {}
    for record in records:
        first_row.setdefault(record.variant, record.line)
    plan = checked_plan(loaded, fasta, only=set(first_row))
    found = []
    for item in plan.variants:
        line = first_row[item.variant]
        if item.status not in DOSED_STATUSES:
            found.append(Problem(str(path), line, "variant", f"{item.variant} has outcomes but was never dosed "
                                 f"(status {item.status})"))
        if not item.in_umbrella:
            found.append(Problem(str(path), line, "variant", f"{item.variant} is outside the umbrella "
                                 f"({item.reason_code}): its outcomes are not evidence for the platform"))
    return found


def _problem(text: str) -> Problem:
    """`file:line: column: message` from the stats readers, as a Problem."""
    file, line, column, message = (text.split(":", 3) + ["", "", ""])[:4]
    return Problem(file, int(line) if line.strip().isdigit() else 0, column.strip(), message.strip())


def analysis_output(result, fmt: str, width: int | None = None) -> str:
    """The analysis as JSON, Markdown or a terminal table (`width`: the terminal's, None for full text)."""
    from basket.foundation.text_tables import to_json, to_markdown, to_table

    if fmt == "json":
        return to_json(asdict(result))
    rows = [_comparison_row(c) for c in result.comparisons]
    columns = ["level", "name", "n_patients", "events", "exposure_years", "expected", "rate_ratio", "ci",
               "p_value", "p_adjusted", "method"]

    def render(rows: list[dict], columns: list[str]) -> str:
        return to_markdown(rows, columns) if fmt == "md" else to_table(rows, columns, width, cut=("method",))

    within_first = result.primary == "within_patient"
    parts = [(f"Effect against natural history ({'supportive' if within_first else 'primary'}; one-sided tests "
             "of benefit, rate ratio < 1):"), "", render(rows, columns)]
    if result.within_patient:
        parts += [(f"Within patient, after vs own pre-dose events ({'primary' if within_first else 'supportive'}; "
                  "per patient, then per basket: exact conditional test with a patient effect):"), "",
                  render([_within_row(w) for w in result.within_patient + result.within_basket],
                         ["name", "pre_events", "pre_exposure_years", "post_events", "post_exposure_years",
                          "rate_ratio", "ci", "p_value", "p_adjusted"])]
    if result.biomarker_windows:
        parts += [_MARKERS_TITLE, "", render([_marker_row(m) for m in result.biomarker_windows],
                                             ["basket", "marker", "window", "n_patients", "n_values", "pre_level",
                                              "window_level", "change", "ci", "p_value", "method"])]
    if result.biomarker_summaries:
        parts += ["Biomarkers, median change per patient (post vs pre dosing, all post-dose values):", "",
                  render([asdict(b) for b in result.biomarker_summaries],
                         ["basket", "marker", "n_patients", "median_change", "min_change", "max_change"])]
    parts += ["Multiplicity:", *[f"- {m.statement()}" for m in result.multiplicity], ""]
    if result.tipping:
        parts += [_TIPPING_TITLE, "",
                  render([_tipping_row(t) for t in result.tipping],
                         ["basket", "events", "expected", "significant", "tipping_factor", "tipping_rate"])]
    if result.notes:
        parts += ["Notes:", *[f"- {n}" for n in result.notes], ""]
    return "\n".join(parts)


_MARKERS_TITLE = ("Biomarkers and treatment measures over time (supportive, unadjusted): change from each patient's "
                  "own pre-dose level per post-dose window; ratio of geometric means for markers whose values are "
                  "all positive, else difference of means:")


def _marker_row(m) -> dict[str, Any]:
    unit = f" {m.unit}" if m.unit else ""
    kind = "x" if m.scale == "ratio" else ""
    ci = "—" if m.lower is None else f"{m.lower:.3g}–{m.upper:.3g}"
    return {"basket": m.basket, "marker": m.marker, "window": m.window, "n_patients": m.n_patients,
            "n_values": m.n_values, "pre_level": f"{m.pre_level:.3g}{unit}", "window_level": f"{m.window_level:.3g}{unit}",
            "change": f"{kind}{m.estimate:.3g}", "ci": ci, "p_value": "—" if m.p_value is None else f"{m.p_value:.3g}",
            "method": m.method}


_TIPPING_TITLE = ("Robustness to the control (tipping point: benefit is shown while every basket's untreated rate "
                  "is at least tipping_factor times its natural history's):")


def _tipping_row(t) -> dict[str, Any]:
    return {"basket": t.name, "events": t.events, "expected": f"{t.expected_events:.2f}",
            "significant": "yes" if t.significant else "no",
            "tipping_factor": "none in 0.001-1000" if t.factor is None else f"{t.factor:.3g}",
            "tipping_rate": "" if t.rate is None else f"{t.rate:.3g}"}


def _comparison_row(c) -> dict[str, Any]:
    return {"level": c.level, "name": c.name, "n_patients": c.n_patients, "events": c.events,
            "exposure_years": f"{c.exposure_years:g}", "expected": f"{c.expected_events:.2f}",
            "rate_ratio": f"{c.rate_ratio:.3f}", "ci": _ci(c.rate_ratio_interval),
            "p_value": f"{c.p_value:.4g}", "p_adjusted": f"{c.p_adjusted:.4g}", "method": c.method}


def _within_row(w) -> dict[str, Any]:
    return {"name": w.name, "pre_events": w.pre_events, "pre_exposure_years": f"{w.pre_exposure_years:g}",
            "post_events": w.post_events, "post_exposure_years": f"{w.post_exposure_years:g}",
            "rate_ratio": f"{w.rate_ratio:.3f}", "ci": _ci(w.interval), "p_value": f"{w.p_value:.4g}",
            "p_adjusted": f"{w.p_adjusted:.4g}"}


def _ci(interval) -> str:
    return f"{interval.lower:.3g}–{interval.upper:.3g} ({100 * interval.level:g}%)"
