"""Input errors raised by :mod:`basket.stats`.

Every function in the subpackage validates its plain inputs and raises
:class:`StatsInputError` (a :class:`ValueError`) naming the offending field,
so callers (the CLI) can print ``field: message`` without a traceback.
"""

from __future__ import annotations

import math
from typing import Any


class StatsInputError(ValueError):
    """A bad input value; ``field`` names the argument or dataclass field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def require_count(field: str, value: Any) -> int:
    """Return ``value`` as an int if it is a non-negative whole number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatsInputError(field, f"must be a non-negative whole number, got {value!r}")
    if not math.isfinite(value) or value < 0 or int(value) != value:
        raise StatsInputError(field, f"must be a non-negative whole number, got {value!r}")
    return int(value)


def require_positive(field: str, value: Any, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is finite and > 0 (or >= 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatsInputError(field, f"must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise StatsInputError(field, f"must be finite and {bound}, got {value!r}")
    return value


def require_probability(field: str, value: Any, *, open_interval: bool = True) -> float:
    """Return ``value`` as a float in (0, 1) (or [0, 1] when not open)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatsInputError(field, f"must be a number in (0, 1), got {value!r}")
    value = float(value)
    ok = 0 < value < 1 if open_interval else 0 <= value <= 1
    if not ok:
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise StatsInputError(field, f"must lie in {interval}, got {value!r}")
    return value


def require_finite(field: str, value: Any) -> float:
    """Return ``value`` as a finite float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise StatsInputError(field, f"must be a finite number, got {value!r}")
    return float(value)
