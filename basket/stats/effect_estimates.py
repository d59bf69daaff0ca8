"""Analysis of observed outcomes against natural history.

Comparisons (all one-sided for benefit, RR < 1; intervals two-sided at ``level``):

* **basket vs natural history** (primary family): the post-dosing events of the
  basket's patients against its natural history --
  known rate: exact Poisson test, Garwood interval / expected (SMR-type);
  known rate with gamma shape: exact negative binomial test (convolution over
  the patients' exposures), interval by test inversion;
  observed control (events / exposure): conditional binomial test with the
  Clopper-Pearson-based interval (see :mod:`basket.stats.exact`).
* **variant vs natural history** (supportive family): same tests per variant.
* **pooled**: all post-dosing events against the sum of the baskets' expected
  counts, under the same count model as the basket rows (Poisson or gamma-Poisson
  per patient, control-rate uncertainty included; an observed control enters as
  its gamma law, see :mod:`basket.stats.control`), interval by test inversion.
* **within patient**: post vs pre events of each patient, and per basket the
  exact conditional test with a patient effect (:mod:`basket.stats.within_patient`:
  each patient's split of their own events, unequal windows allowed) -- the
  primary family when ``primary="within_patient"``.
* **biomarkers** (and treatment measures such as the nitrogen-scavenger dose or
  dietary protein): per patient and marker the median of pre-dose values
  (day < 0) and of post-dose values (day > 0), their difference and relative
  change; per basket the median of the patients' changes; and over time, per
  prespecified post-dose window, the change from each patient's own pre-dose
  level with its interval (:mod:`basket.stats.biomarker_trends`).

Multiplicity: within each family p-values are adjusted by Holm (default) or
Bonferroni; every family's size and adjustment is stated in
``AnalysisResult.multiplicity``.  The primary family can be prespecified
(``primary_family``): its baskets without outcome data count as not significant
(p = 1), so the adjustment does not shrink with the data.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .biomarker_trends import DEFAULT_WINDOWS, MarkerWindow, marker_windows
from .control import ExternalControl, control_test, pooled_test
from .errors import StatsInputError, require_count, require_positive, require_probability
from .exact import (
    Interval,
    RateTest,
    conditional_rate_ratio_test,
    poisson_rate_interval,
)
from .multiplicity import Multiplicity, adjust
from .outcomes_io import BiomarkerRecord, PeriodRecord
from .robustness import TippingGroup, TippingPoint, tipping_points
from .within_patient import within_patient_test

PRIMARY_ANALYSES = ("external_control", "within_patient")

__all__ = [
    "AnalysisResult",
    "BiomarkerChange",
    "BiomarkerSummary",
    "NaturalHistory",
    "RateComparison",
    "WithinPatient",
    "analyze_outcomes",
]


@dataclass(frozen=True)
class NaturalHistory:
    """A basket's external control: a ``rate`` (events per patient-year,
    optionally over-dispersed with gamma ``shape``, optionally uncertain with
    standard error ``rate_se``) or observed ``events`` over ``exposure_years``."""

    basket: str
    rate: float | None = None
    shape: float | None = None
    events: int | None = None
    exposure_years: float | None = None
    rate_se: float | None = None

    def __post_init__(self) -> None:
        observed = self.events is not None or self.exposure_years is not None
        if (self.rate is None) == (not observed):
            raise StatsInputError("rate", f"basket {self.basket}: give either rate or events + exposure_years")
        if observed:
            if self.events is None or self.exposure_years is None:
                raise StatsInputError("events", f"basket {self.basket}: give events and exposure_years together")
            require_count("events", self.events)
            require_positive("exposure_years", self.exposure_years)
            if self.shape is not None or self.rate_se is not None:
                raise StatsInputError("shape", "shape and rate_se go with a rate, not with observed events")
        else:
            require_positive("rate", self.rate)
        if self.shape is not None:
            require_positive("shape", self.shape)
        if self.rate_se is not None:
            require_positive("rate_se", self.rate_se)

    @property
    def control(self) -> ExternalControl:
        """The null model of counts; observed events over exposure become the rate's gamma law."""
        if self.rate is not None:
            return ExternalControl(self.rate, self.shape, self.rate_se)
        if self.events == 0:
            raise StatsInputError("events", f"basket {self.basket}: a control with 0 events has no rate")
        return ExternalControl(self.events / self.exposure_years, None,
                               math.sqrt(self.events) / self.exposure_years)


@dataclass(frozen=True)
class RateComparison:
    """On-treatment events of a group against its natural history."""

    family: str
    level: str
    name: str
    basket: str
    n_patients: int
    events: int
    exposure_years: float
    rate: float
    rate_interval: Interval
    expected_events: float
    rate_ratio: float
    rate_ratio_interval: Interval
    p_value: float
    p_adjusted: float
    method: str


@dataclass(frozen=True)
class WithinPatient:
    """Post- vs pre-dosing events (one patient, or one basket summed)."""

    name: str
    basket: str
    pre_events: int
    pre_exposure_years: float
    post_events: int
    post_exposure_years: float
    rate_ratio: float
    interval: Interval
    p_value: float
    p_adjusted: float


@dataclass(frozen=True)
class BiomarkerChange:
    """Median pre-dose vs median post-dose value of one marker in one patient."""

    patient: str
    basket: str
    marker: str
    n_pre: int
    n_post: int
    median_pre: float
    median_post: float
    change: float
    relative_change: float


@dataclass(frozen=True)
class BiomarkerSummary:
    """Median (range) of the patients' changes of one marker in one basket."""

    basket: str
    marker: str
    n_patients: int
    median_change: float
    min_change: float
    max_change: float


@dataclass(frozen=True)
class PatientDose:
    """Dose recorded on a patient's post-dosing row (None when not given)."""

    patient: str
    variant: str
    basket: str
    dose_mg_per_kg: float | None


@dataclass(frozen=True)
class AnalysisResult:
    comparisons: tuple[RateComparison, ...]
    within_patient: tuple[WithinPatient, ...]
    within_basket: tuple[WithinPatient, ...]
    biomarkers: tuple[BiomarkerChange, ...]
    biomarker_summaries: tuple[BiomarkerSummary, ...]
    multiplicity: tuple[Multiplicity, ...]
    doses: tuple[PatientDose, ...] = ()
    notes: tuple[str, ...] = ()  # what the caller assumed (e.g. a default alpha), for the report
    tipping: tuple[TippingPoint, ...] = ()  # baskets vs natural history: where each conclusion would change
    primary: str = "external_control"
    biomarker_windows: tuple[MarkerWindow, ...] = ()  # change from the pre-dose level per post-dose window


def _basket(rec: PeriodRecord, basket_of: Mapping[str, str] | None) -> str:
    if rec.basket is not None:
        return rec.basket
    if basket_of is None or rec.variant not in basket_of:
        raise StatsInputError("basket_of", f"no basket for variant {rec.variant} (patient {rec.patient})")
    return basket_of[rec.variant]


def _test(post: list[PeriodRecord], nh: NaturalHistory, level: float) -> RateTest:
    events = sum(r.events for r in post)
    if nh.rate is None:
        exposure = sum(r.exposure_years for r in post)
        return conditional_rate_ratio_test(events, exposure, nh.events, nh.exposure_years, level)
    return control_test(events, [r.exposure_years for r in post], nh.control, level)


def _comparison(family, level_name, name, basket, post, test: RateTest, level) -> RateComparison:
    return RateComparison(
        family=family, level=level_name, name=name, basket=basket,
        n_patients=len({r.patient for r in post}), events=test.events,
        exposure_years=test.exposure,
        rate=test.events / test.exposure,
        rate_interval=poisson_rate_interval(test.events, test.exposure, level),
        expected_events=test.expected_null, rate_ratio=test.rate_ratio,
        rate_ratio_interval=test.interval, p_value=test.p_value, p_adjusted=test.p_value,
        method=test.method,
    )


def _adjusted(items: list, method: str, family_size: int | None = None) -> list:
    """Adjusted p-values; members of a larger prespecified family without data count as p = 1."""
    missing = (family_size or len(items)) - len(items)
    p = adjust([c.p_value for c in items] + [1.0] * missing, method)
    return [replace(c, p_adjusted=q) for c, q in zip(items, p)]


def _group_comparisons(post, keyfn, family, level_name, nhs, level) -> list[RateComparison]:
    groups: dict[tuple[str, str], list[PeriodRecord]] = defaultdict(list)
    for basket, rec in post:
        groups[(keyfn(basket, rec), basket)].append(rec)
    out = []
    for (name, basket), recs in sorted(groups.items()):
        out.append(_comparison(family, level_name, name, basket, recs, _test(recs, nhs[basket], level), level))
    return out


def _pooled(post, nhs, level) -> RateComparison:
    groups = [([r.exposure_years], nhs[b].control) for b, r in post]
    test = pooled_test(groups, sum(r.events for _, r in post), level)
    return _comparison("pooled vs natural history", "pooled", "all baskets", "*",
                       [r for _, r in post], test, level)


def _within(name, basket, pre, post, level) -> WithinPatient:
    """Post vs own pre-dose events: the exact conditional test with a patient effect (one or more patients)."""
    t = within_patient_test([r.events for r in pre], [r.exposure_years for r in pre],
                            [r.events for r in post], [r.exposure_years for r in post], level)
    return WithinPatient(name, basket, sum(r.events for r in pre), sum(r.exposure_years for r in pre),
                         t.events, t.exposure, t.rate_ratio, t.interval, t.p_value, t.p_value)


def _within_all(tagged, level, method, basket_family_size: int | None = None):
    by_patient: dict[str, dict[str, PeriodRecord]] = defaultdict(dict)
    basket_of_patient = {}
    for basket, r in tagged:
        by_patient[r.patient][r.period] = r
        basket_of_patient[r.patient] = basket
    pairs = {p: d for p, d in by_patient.items() if "pre" in d and "post" in d}
    patients = [_within(p, basket_of_patient[p], [d["pre"]], [d["post"]], level) for p, d in sorted(pairs.items())]
    per_basket = defaultdict(list)
    for p, d in pairs.items():
        per_basket[basket_of_patient[p]].append(d)
    baskets = [_within(b, b, [d["pre"] for d in ds], [d["post"] for d in ds], level)
               for b, ds in sorted(per_basket.items())]
    return _adjusted(patients, method), _adjusted(baskets, method, basket_family_size)


def _biomarkers(markers: Sequence[BiomarkerRecord], basket_of_patient: Mapping[str, str]):
    series: dict[tuple[str, str], list[BiomarkerRecord]] = defaultdict(list)
    for m in markers:
        series[(m.patient, m.marker)].append(m)
    changes = []
    for (patient, marker), obs in sorted(series.items()):
        pre = [o.value for o in obs if o.day < 0]
        post = [o.value for o in obs if o.day > 0]
        if not pre or not post:
            continue
        a, b = statistics.median(pre), statistics.median(post)
        rel = (b - a) / a if a != 0 else math.nan
        changes.append(BiomarkerChange(patient, basket_of_patient.get(patient, "?"), marker,
                                       len(pre), len(post), a, b, b - a, rel))
    groups = defaultdict(list)
    for c in changes:
        groups[(c.basket, c.marker)].append(c.change)
    summaries = [BiomarkerSummary(b, m, len(v), statistics.median(v), min(v), max(v))
                 for (b, m), v in sorted(groups.items())]
    return tuple(changes), tuple(summaries)


def _primary_family(given: Sequence[str] | None, with_data: set[str]) -> tuple[str, ...]:
    if given is None:
        return tuple(sorted(with_data))
    family = tuple(dict.fromkeys(given))
    outside = sorted(with_data - set(family))
    if outside:
        raise StatsInputError("primary_family", f"baskets with data outside the prespecified family: {outside}")
    return family


def analyze_outcomes(
    records: Sequence[PeriodRecord],
    natural_history: Sequence[NaturalHistory],
    basket_of: Mapping[str, str] | None = None,
    biomarkers: Sequence[BiomarkerRecord] = (),
    level: float = 0.95,
    alpha: float = 0.025,
    adjustment: str = "holm",
    primary_family: Sequence[str] | None = None,
    primary: str = "external_control",
    windows: Sequence[int] = DEFAULT_WINDOWS,
) -> AnalysisResult:
    """Effects against natural history per variant, per basket and pooled, and within patient.

    ``primary_family`` names the baskets of the prespecified primary family
    (default: the baskets with data); members without outcome data count as
    not significant in the adjustment.  ``primary`` says which comparison is
    primary: each basket against its natural history (``external_control``) or
    each basket's patients against their own pre-dose events (``within_patient``).
    """
    if primary not in PRIMARY_ANALYSES:
        raise StatsInputError("primary", f"must be one of {PRIMARY_ANALYSES}, got {primary!r}")
    require_probability("level", level)
    require_probability("alpha", alpha)
    adjust([], adjustment)  # validates the method name
    nhs = {nh.basket: nh for nh in natural_history}
    tagged = [(_basket(r, basket_of), r) for r in records]
    for basket, r in tagged:
        if basket not in nhs:
            raise StatsInputError("natural_history", f"no natural history for basket {basket} (patient {r.patient})")
    post = [(b, r) for b, r in tagged if r.period == "post"]
    if not post:
        raise StatsInputError("records", "no post-dosing rows to analyse")
    family = _primary_family(primary_family, {b for b, _ in post})
    tested = _group_comparisons(post, lambda b, r: b, "baskets vs natural history", "basket", nhs, level)
    baskets = _adjusted(tested, adjustment, len(family))
    without_data = tuple(b for b in family if b not in {c.basket for c in tested})
    variants = _adjusted(_group_comparisons(post, lambda b, r: r.variant, "variants vs natural history", "variant", nhs, level), adjustment)
    pooled = _pooled(post, nhs, level)
    within_first = primary == "within_patient"
    patients, per_basket = _within_all(tagged, level, adjustment, len(family) if within_first else None)
    basket_of_patient = {r.patient: b for b, r in tagged}
    changes, summaries = _biomarkers(biomarkers, basket_of_patient)
    over_time = marker_windows(biomarkers, basket_of_patient, windows, level) if biomarkers else ()
    external = Multiplicity(f"baskets vs natural history ({'supportive' if within_first else 'primary'})",
                            len(family), adjustment, alpha, without_data)
    within = (Multiplicity("within-basket post vs own pre-dose events (primary)", len(family), adjustment, alpha,
                           tuple(b for b in family if b not in {w.basket for w in per_basket}))
              if within_first else
              Multiplicity("within-basket post vs pre (supportive)", len(per_basket), adjustment, alpha))
    mult = (
        *((within, external) if within_first else (external,)),
        Multiplicity("variants vs natural history (supportive)", len(variants), adjustment, alpha),
        Multiplicity("pooled vs natural history", 1, "none", alpha),
        Multiplicity("within-patient post vs pre (supportive)", len(patients), adjustment, alpha),
        *(() if within_first else (within,)),
    )
    doses = tuple(sorted((PatientDose(r.patient, r.variant, b, r.dose_mg_per_kg) for b, r in post),
                         key=lambda d: d.patient))
    tipping = _tipping(post, nhs, alpha, adjustment, len(family)) if adjustment != "none" else ()
    return AnalysisResult(tuple(baskets + variants + [pooled]), tuple(patients), tuple(per_basket),
                          changes, summaries, mult, doses, tipping=tipping, primary=primary,
                          biomarker_windows=over_time)


def _tipping(post, nhs, alpha: float, method: str, family_size: int) -> tuple[TippingPoint, ...]:
    """Tipping points of the primary family's baskets with data (controls with 0 events have none)."""
    groups: dict[str, list[PeriodRecord]] = defaultdict(list)
    for basket, r in post:
        groups[basket].append(r)
    usable = {b: recs for b, recs in sorted(groups.items()) if nhs[b].rate is not None or nhs[b].events}
    return tipping_points([TippingGroup(b, sum(r.events for r in recs), tuple(r.exposure_years for r in recs),
                                        nhs[b].control) for b, recs in usable.items()],
                          alpha, method, family_size)
