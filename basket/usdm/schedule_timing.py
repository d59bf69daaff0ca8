"""Visit and dose timings as points on a USDM timeline.

USDM places every scheduled instance by an ISO 8601 duration from an anchor. The anchor here is
Day 1, the day of the first dose (the usual protocol convention: there is no Day 0, Day -1 is the
day before Day 1). A program writes a timing as `Day N`, `Week N`, `Month N` or `Year N`
(N may be negative, before the first dose); `Week 4` is four weeks after Day 1, i.e. Day 29.
Anything else cannot be placed on a timeline and is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TIMING = re.compile(r"^\s*(day|week|month|year)\s*([+-]?\d{1,5})\s*$", re.IGNORECASE)
_ISO_UNIT = {"day": "D", "week": "W", "month": "M", "year": "Y"}
# for ordering only: calendar months and years vary in length, their ISO durations do not need to
_APPROXIMATE_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}

ACCEPTED = "Day N, Week N, Month N or Year N, counted from the first dose (Day 1)"


@dataclass(frozen=True)
class TimePoint:
    """A timing relative to Day 1: `duration` is non-negative, `before` says on which side."""

    label: str
    duration: str  # ISO 8601, e.g. P28D, P4W, P3M
    before: bool
    sort_key: float  # approximate days from Day 1, for ordering

    @property
    def is_anchor(self) -> bool:
        return self.sort_key == 0


def parse_timing(text: str) -> TimePoint | None:
    """`Day 1` -> anchor; `Day 8` -> P7D after; `Day -7` -> P7D before; `Week 4` -> P4W after."""
    match = _TIMING.match(text)
    if match is None:
        return None
    unit, number = match.group(1).lower(), int(match.group(2))
    if unit == "day":
        if number == 0:
            return None  # no Day 0 in this convention: Day -1 is followed by Day 1
        offset = number - 1 if number > 0 else number
    else:
        offset = number
    return TimePoint(text.strip(), f"P{abs(offset)}{_ISO_UNIT[unit]}", offset < 0, offset * _APPROXIMATE_DAYS[unit])
