"""Each basket's external control as the program's natural history describes it: the bridge from a
natural-history measure to :class:`basket.stats.control.ExternalControl`.

* **Counts**: gamma-Poisson with the measure's declared `dispersion`; otherwise, when the measure gives
  the range of per-patient counts over its `observation_years` and the number of patients, the range
  test of :mod:`basket.stats.overdispersion` decides: a range Poisson counts cannot produce makes
  over-dispersion the default, with the shape the range implies; otherwise Poisson.
* **Rate**: known, or -- when `umbrella.sample_size.control_uncertainty` is on (the default) -- uncertain
  with the standard error from the measure's confidence `interval`, else from its patients (or the
  cohort's `n`) and `observation_years`.

Every assumption and every missing figure is said in `notes`, which `basket design`, `basket analyze`,
`basket validate` and the protocol's section 10.9 print. Nothing is invented: a missing figure leaves
the simpler model in place and a note saying what it would take.
"""

from __future__ import annotations

from dataclasses import dataclass

from basket.program.model import Measure, NaturalHistory

__all__ = ["ControlModel", "control_model"]


@dataclass(frozen=True)
class ControlModel:
    """The control a basket is tested against, and how it was derived from the program."""

    rate: float
    shape: float | None
    shape_source: str          # "declared", "range", "poisson"
    shape_low: float | None    # plausible shapes from the range (None: unbounded or not from the range)
    shape_high: float | None
    rate_se: float | None
    range_p_value: float | None
    notes: tuple[str, ...]

    @property
    def external_control(self):
        from basket.stats.control import ExternalControl

        return ExternalControl(self.rate, self.shape, self.rate_se)


def _needs_patients(measure: Measure, propagate: bool) -> bool:
    """The range (without a declared dispersion) and a derived standard error need the patient count."""
    return (measure.dispersion is None and measure.range is not None) or (propagate and measure.interval is None)


def _patients(measure: Measure, history: NaturalHistory, notes: list[str]) -> int | None:
    if measure.patients is not None:
        return measure.patients
    if history.n is not None:
        notes.append(f"the patients behind {measure.name} are not given: the cohort's n = {history.n} "
                     f"({history.id}) is used, an upper bound if the measure covers part of the cohort "
                     "(the range test is then conservative, the shape the least over-dispersed the range allows "
                     "and the rate's uncertainty understated)")
        return history.n
    return None


def _counts(measure: Measure, patients: int | None, notes: list[str]):
    """(shape, source, low, high, range p-value) of the per-patient counts."""
    from basket.stats.overdispersion import range_evidence

    if measure.dispersion is not None:
        notes.append(f"gamma-Poisson counts with the declared shape {measure.dispersion:g}")
        return measure.dispersion, "declared", None, None, None
    if measure.range is None:
        notes.append("neither a dispersion nor a range of per-patient counts is given: Poisson counts are "
                     "assumed and over-dispersion cannot be checked")
        return None, "poisson", None, None, None
    missing = [what for what, value in (("observation_years", measure.observation_years),
                                        ("patients (or the cohort's n)", patients)) if value is None]
    if missing:
        notes.append(f"the range {measure.range[0]}-{measure.range[1]} cannot be used without "
                     f"{' and '.join(missing)}: Poisson counts are assumed")
        return None, "poisson", None, None, None
    mean = measure.value * measure.observation_years
    evidence = range_evidence(mean, measure.range[0], measure.range[1], patients)
    said = (f"a mean of {mean:.3g} events (range {evidence.low}-{evidence.high}) over "
            f"{measure.observation_years:g} years among {patients} patients")
    if evidence.poisson_compatible:
        notes.append(f"{said} is compatible with Poisson counts (range test p = {evidence.p_poisson:.2g}): "
                     "Poisson counts")
        return None, "poisson", None, None, evidence.p_poisson
    low = "0" if evidence.shape_low is None else f"{evidence.shape_low:.2g}"
    high = "unbounded" if evidence.shape_high is None else f"{evidence.shape_high:.2g}"
    notes.append(f"{said} is incompatible with Poisson counts (range test p = {evidence.p_poisson:.2g}): "
                 f"gamma-Poisson counts with the shape the range implies, {evidence.shape:.2f} "
                 f"(plausible {low}-{high})")
    return evidence.shape, "range", evidence.shape_low, evidence.shape_high, evidence.p_poisson


def _rate_se(measure: Measure, patients: int | None, shape: float | None, propagate: bool,
             notes: list[str]) -> float | None:
    from basket.stats.overdispersion import se_from_cohort, se_from_interval

    if not propagate:
        notes.append("the rate is taken as known (umbrella.sample_size.control_uncertainty is false)")
        return None
    if measure.interval is not None:
        level = measure.interval_level or 0.95
        se = se_from_interval(measure.value, *measure.interval, level)
        notes.append(f"the rate's uncertainty comes from its {100 * level:g}% interval "
                     f"{measure.interval[0]:g}-{measure.interval[1]:g}: standard error {se:.3g}")
        return se
    if patients is None or measure.observation_years is None:
        missing = " and ".join(w for w, v in (("patients (or the cohort's n)", patients),
                                              ("observation_years", measure.observation_years)) if v is None)
        notes.append(f"the rate is taken as known: no interval is given, and without {missing} its "
                     "uncertainty cannot be derived")
        return None
    se = se_from_cohort(measure.value, measure.observation_years, patients, shape)
    notes.append(f"the rate's uncertainty is propagated: standard error {se:.3g} from {patients} patients "
                 f"observed {measure.observation_years:g} years")
    return se


def control_model(measure: Measure, history: NaturalHistory, propagate_uncertainty: bool = True) -> ControlModel:
    """The basket's control from its natural-history measure (``measure.value`` must be a positive rate)."""
    notes: list[str] = []
    patients = _patients(measure, history, notes) if _needs_patients(measure, propagate_uncertainty) else None
    shape, source, low, high, p = _counts(measure, patients, notes)
    se = _rate_se(measure, patients, shape, propagate_uncertainty, notes)
    return ControlModel(measure.value, shape, source, low, high, se, p, tuple(notes))
