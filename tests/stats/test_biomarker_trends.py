"""Biomarkers and treatment measures over time, against intervals computed here by hand (Student and Welch)."""

import math

import numpy as np
import pytest
from scipy import stats

from basket.stats import BiomarkerRecord, StatsInputError
from basket.stats.biomarker_trends import marker_windows


def series(patient, marker, points, unit="umol/L"):
    return [BiomarkerRecord(patient, marker, day, value, unit) for day, value in points]


def test_several_patients_get_a_t_interval_across_patients():
    records = (series("P1", "ammonia", [(-20, 120), (-5, 90), (10, 40), (20, 50)])
               + series("P2", "ammonia", [(-7, 200), (3, 80)])
               + series("P3", "ammonia", [(-2, 60), (-1, 80), (25, 45)]))
    rows = marker_windows(records, {"P1": "B", "P2": "B", "P3": "B"})
    (row,) = rows  # only days 1-28 hold values
    logs = [np.mean(np.log([40, 50])) - np.mean(np.log([120, 90])),
            math.log(80) - math.log(200),
            math.log(45) - np.mean(np.log([60, 80]))]
    mean, sd = np.mean(logs), np.std(logs, ddof=1)
    half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
    assert row.scale == "ratio" and row.window == "days 1-28" and row.n_patients == 3
    assert row.estimate == pytest.approx(math.exp(mean))
    assert (row.lower, row.upper) == pytest.approx((math.exp(mean - half), math.exp(mean + half)))
    t = mean / (sd / math.sqrt(3))
    assert row.p_value == pytest.approx(2 * stats.t.sf(abs(t), 2))


def test_one_patient_gets_a_welch_interval_on_serial_values():
    pre, post = np.log([48.0, 23.0, 14.0]), np.log([9.0, 19.0])
    records = series("P1", "ammonia", [(-30, 48), (-10, 23), (-3, 14), (5, 9), (15, 19)])
    (row,) = marker_windows(records, {"P1": "B"})
    va, vb = pre.var(ddof=1) / pre.size, post.var(ddof=1) / post.size
    df = (va + vb) ** 2 / (va ** 2 / (pre.size - 1) + vb ** 2 / (post.size - 1))   # Welch-Satterthwaite
    diff = post.mean() - pre.mean()
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    assert row.estimate == pytest.approx(math.exp(diff))
    assert (row.lower, row.upper) == pytest.approx((math.exp(diff - half), math.exp(diff + half)))
    assert "one patient" in row.method


def test_a_dose_that_stops_is_a_difference_and_windows_cut_on_days():
    records = series("P1", "scavenger dose", [(-5, 10.0), (-1, 10.2), (28, 5.0), (29, 5.0), (91, 4.0), (400, 0.0)],
                     unit="ml/m2/day")
    rows = {r.window: r for r in marker_windows(records, {"P1": "B"})}
    assert set(rows) == {"days 1-28", "days 29-91", "days > 365"}
    assert all(r.scale == "difference" for r in rows.values())
    assert rows["days 29-91"].estimate == pytest.approx(4.5 - 10.1)
    assert rows["days > 365"].estimate == pytest.approx(-10.1)
    assert rows["days 1-28"].lower is None  # a single value after dosing: no interval


def test_day_zero_is_neither_before_nor_after():
    records = series("P1", "ammonia", [(-1, 50), (0, 500), (1, 25)])
    (row,) = marker_windows(records, {"P1": "B"})
    assert row.pre_level == pytest.approx(50) and row.window_level == pytest.approx(25)


def test_bad_windows_and_unknown_patients():
    with pytest.raises(StatsInputError) as err:
        marker_windows([], {}, windows=(90, 30))
    assert err.value.field == "windows"
    with pytest.raises(StatsInputError) as err:
        marker_windows(series("PX", "ammonia", [(-1, 1)]), {"P1": "B"})
    assert err.value.field == "biomarkers"
