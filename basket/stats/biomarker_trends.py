"""Biomarkers and treatment measures over time: change from each patient's own pre-dose level, with intervals.

Each series (plasma ammonia, glutamine, the nitrogen-scavenger dose, dietary
protein, ...) is a list of (day, value) per patient, day 0 the first dose.
Post-dose days are cut into prespecified windows (``windows``: upper bounds in
days, e.g. 28, 91, 182, 365; values after the last bound form one more window).

**Scale.**  A marker whose values are all positive (concentrations, doses that
never reach 0) is analysed on the log scale and reported as a ratio to the
pre-dose level (geometric means); a marker with a value of 0 or below (a dose
that is stopped) on its own scale, reported as a difference.

**Per patient and window** the change is the mean (log) value in the window
minus the mean (log) pre-dose value.  **Per basket** the changes of its patients
are averaged: with two or more patients the interval is Student's t across
patients (each patient one observation, so repeated measures within a patient
are not counted as independent); with one patient it is Welch's t interval on
that patient's pre-dose against in-window values (a single patient's serial
values are treated as independent -- the interval then describes that patient,
not the basket), and none when either side has a single value.  The two-sided
p-value of no change comes with each interval.  These are supportive analyses:
no multiplicity adjustment, said so in the report.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .errors import StatsInputError, require_probability
from .outcomes_io import BiomarkerRecord

__all__ = ["DEFAULT_WINDOWS", "MarkerWindow", "marker_windows", "window_labels"]

DEFAULT_WINDOWS = (28, 91, 182, 365)


@dataclass(frozen=True)
class MarkerWindow:
    """One marker in one basket in one post-dose window, against the pre-dose level."""

    basket: str
    marker: str
    unit: str | None
    window: str             # e.g. "days 1-28", "days > 365"
    scale: str              # "ratio" (log scale) or "difference"
    n_patients: int
    n_values: int
    pre_level: float        # geometric (ratio) or arithmetic mean of the patients' pre-dose levels
    window_level: float
    estimate: float         # ratio or difference
    lower: float | None
    upper: float | None
    p_value: float | None
    method: str


def window_labels(windows: Sequence[int]) -> list[str]:
    """The windows' names, e.g. "days 1-28", ..., "days > 365"."""
    return [name for name, _, _ in _window_names(_check_windows(windows))]


def _window_names(windows: Sequence[int]) -> list[tuple[str, int, float]]:
    names, low = [], 1
    for high in windows:
        names.append((f"days {low}-{high}", low, high))
        low = high + 1
    names.append((f"days > {windows[-1]}", low, math.inf))
    return names


def _check_windows(windows: Sequence[int]) -> tuple[int, ...]:
    bounds = tuple(windows)
    if not bounds or any(not isinstance(b, int) or b < 1 for b in bounds) or list(bounds) != sorted(set(bounds)):
        raise StatsInputError("windows", f"need increasing whole days >= 1, got {list(windows)}")
    return bounds


def marker_windows(markers: Sequence[BiomarkerRecord], basket_of_patient: Mapping[str, str],
                   windows: Sequence[int] = DEFAULT_WINDOWS, level: float = 0.95) -> tuple[MarkerWindow, ...]:
    """Change from the pre-dose level per basket, marker and post-dose window (see the module docstring)."""
    bounds = _check_windows(windows)
    require_probability("level", level)
    series: dict[tuple[str, str, str], dict[str, list[BiomarkerRecord]]] = defaultdict(lambda: defaultdict(list))
    units: dict[str, str | None] = {}
    positive: dict[str, bool] = defaultdict(lambda: True)
    for m in markers:
        basket = basket_of_patient.get(m.patient)
        if basket is None:
            raise StatsInputError("biomarkers", f"patient {m.patient} has no basket (no outcome rows)")
        series[(basket, m.marker, m.patient)]["all"].append(m)
        units.setdefault(m.marker, m.unit)
        positive[m.marker] &= m.value > 0
    out = []
    for basket, marker in sorted({(b, mk) for b, mk, _ in series}):
        log = positive[marker]
        patients = {p: s["all"] for (b, mk, p), s in series.items() if (b, mk) == (basket, marker)}
        for name, low, high in _window_names(bounds):
            row = _window_row(basket, marker, units[marker], name, low, high, patients, log, level)
            if row is not None:
                out.append(row)
    return tuple(out)


def _values(records: list[BiomarkerRecord], low: float, high: float, log: bool) -> np.ndarray:
    values = np.array([r.value for r in records if low <= r.day <= high], dtype=float)
    return np.log(values) if log else values


def _window_row(basket, marker, unit, name, low, high, patients, log, level) -> MarkerWindow | None:
    pairs = []
    for records in patients.values():
        pre, post = _values(records, -math.inf, -1, log), _values(records, low, high, log)
        if pre.size and post.size:
            pairs.append((pre, post))
    if not pairs:
        return None
    changes = np.array([post.mean() - pre.mean() for pre, post in pairs])
    estimate = float(changes.mean())
    lower = upper = p = None
    if len(pairs) >= 2:
        half = stats.t.ppf((1 + level) / 2, len(pairs) - 1) * changes.std(ddof=1) / math.sqrt(len(pairs))
        lower, upper = estimate - half, estimate + half
        p = float(stats.ttest_1samp(changes, 0.0).pvalue) if changes.std(ddof=1) > 0 else None
        method = f"t across {len(pairs)} patients"
    else:
        pre, post = pairs[0]
        method = "one patient: Welch t on serial values (treated as independent)"
        if pre.size >= 2 and post.size >= 2:
            test = stats.ttest_ind(post, pre, equal_var=False)
            ci = test.confidence_interval(level)
            lower, upper, p = float(ci.low), float(ci.high), float(test.pvalue)
        else:
            method = "one patient: a single value on one side, no interval"
    pre_level = float(np.mean([pre.mean() for pre, _ in pairs]))
    window_level = float(np.mean([post.mean() for _, post in pairs]))
    back = np.exp if log else (lambda x: x)
    return MarkerWindow(
        basket=basket, marker=marker, unit=unit, window=name, scale="ratio" if log else "difference",
        n_patients=len(pairs), n_values=int(sum(post.size for _, post in pairs)),
        pre_level=float(back(pre_level)), window_level=float(back(window_level)), estimate=float(back(estimate)),
        lower=None if lower is None else float(back(lower)), upper=None if upper is None else float(back(upper)),
        p_value=p, method=method)
