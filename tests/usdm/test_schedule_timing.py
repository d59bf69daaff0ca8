"""Visit timings on a USDM timeline: ISO 8601 durations from Day 1 (the first dose), checked against
counting calendar days by hand."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.usdm.schedule_timing import parse_timing

UNITS = ("Day", "Week", "Month", "Year")


def days_by_hand(unit: str, number: int) -> int:
    """Days from Day 1, counted on a calendar from an arbitrary first-dose date (months and years vary)."""
    first_dose = dt.date(2026, 1, 31)
    if unit == "Day":
        return number - 1 if number > 0 else number  # there is no Day 0
    if unit == "Week":
        return 7 * number
    months = number if unit == "Month" else 12 * number
    year, month = divmod(first_dose.month - 1 + months, 12)
    day = min(first_dose.day, 28)
    return (dt.date(first_dose.year + year, month + 1, day) - first_dose.replace(day=day)).days


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(UNITS), st.integers(-400, 400), st.sampled_from(["{} {}", "{}{}", " {}  {} "]),
       st.booleans())
def test_timing_is_the_iso_duration_from_day_1(unit: str, number: int, form: str, lower: bool) -> None:
    point = parse_timing(form.format(unit.lower() if lower else unit, number))
    if unit == "Day" and number == 0:
        assert point is None
        return
    by_hand = days_by_hand(unit, number)
    assert point.before == (by_hand < 0)
    assert point.is_anchor == (by_hand == 0)
    amount = int(point.duration[1:-1])
    assert point.duration == f"P{amount}{unit[0]}"
    assert amount == {"Day": abs(by_hand), "Week": abs(by_hand) // 7}.get(unit, abs(number))
    # ordering agrees with the calendar to within the spread of month lengths
    assert abs(point.sort_key - by_hand) <= abs(number) * (0 if unit in ("Day", "Week") else 1.5) + 1


def test_text_that_names_no_time_is_not_placed() -> None:
    for text in ("Screening", "Day", "Day 1-3", "week four", "Day 0", "Month 1.5", ""):
        assert parse_timing(text) is None, text
