"""Readers for observed outcomes: event counts per period and biomarker series.

Outcomes file (CSV, UTF-8, comma-separated, header row required)
-----------------------------------------------------------------
One row per patient and period::

    patient,variant,period,events,exposure_years[,basket][,dose_mg_per_kg]
    P01,CPS1-Q335X,pre,3,0.5,UCD-CPS1,
    P01,CPS1-Q335X,post,0,0.75,UCD-CPS1,0.6

* ``patient`` -- pseudonymous id: letters, digits, ``.``, ``_`` or ``-``
  (1-64 characters, starting with a letter or digit); names, birth dates or
  record numbers do not belong here.
* ``variant`` -- the variant id used by the program (non-empty).
* ``period`` -- ``pre`` (before dosing, on standard of care) or ``post``.
* ``events`` -- number of events (e.g. hyperammonemic crises) in the period,
  a whole number >= 0.
* ``exposure_years`` -- observation time of the period in years, > 0.
* ``basket`` (optional column) -- the disease basket; when the column is absent
  the caller maps variants to baskets.
* ``dose_mg_per_kg`` (optional column) -- dose received (blank allowed).

Each patient has at most one ``pre`` and one ``post`` row and a single
variant/basket.  Blank lines and lines whose first cell starts with ``#`` are
skipped.  Unknown columns are errors.

Biomarker file (CSV)
--------------------
::

    patient,marker,day,value[,unit]
    P01,ammonia,-10,180,umol/L

* ``day`` -- whole days relative to the first dose (0 = dosing day, negative =
  before dosing); ``value`` -- finite number; ``unit`` optional text.

Errors: every problem is collected as ``file:line: column: message`` and raised
together in one :class:`OutcomesFormatError` (a ``ValueError``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import StatsInputError

__all__ = ["BiomarkerRecord", "OutcomesFormatError", "PeriodRecord", "read_biomarkers", "read_outcomes"]

PATIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
OUTCOME_REQUIRED = ("patient", "variant", "period", "events", "exposure_years")
OUTCOME_OPTIONAL = ("basket", "dose_mg_per_kg")
BIOMARKER_REQUIRED = ("patient", "marker", "day", "value")
BIOMARKER_OPTIONAL = ("unit",)


class OutcomesFormatError(StatsInputError):
    """All problems found in an outcomes or biomarker file."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("outcomes", f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems))


@dataclass(frozen=True)
class PeriodRecord:
    """Events of one patient in one period (pre or post dosing)."""

    patient: str
    variant: str
    period: str
    events: int
    exposure_years: float
    basket: str | None = None
    dose_mg_per_kg: float | None = None
    line: int = field(default=0, compare=False)  # where it was read, for messages


@dataclass(frozen=True)
class BiomarkerRecord:
    """One biomarker value of a patient, ``day`` relative to dosing."""

    patient: str
    marker: str
    day: int
    value: float
    unit: str | None = None
    line: int = field(default=0, compare=False)  # where it was read, for messages


class _Problems:
    def __init__(self, path: str) -> None:
        self.path, self.items = path, []

    def add(self, line: int, column: str, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {column}: {message}")


def _patient(v: str) -> str:
    if not PATIENT_ID.match(v):
        raise ValueError("must be a pseudonymous id (letters, digits, '.', '_', '-'; max 64)")
    return v


def _text(v: str) -> str:
    if not v:
        raise ValueError("must not be empty")
    return v


def _period(v: str) -> str:
    if v not in ("pre", "post"):
        raise ValueError(f"must be 'pre' or 'post', got {v!r}")
    return v


# Bounds of what one patient's row can hold: a value beyond them is a typing or export error, and the
# exact tests and the interim predictions could not compute with it (as the program's own numbers).
MAX_EVENTS = 5_000  # also the file's total: the exact tests and their intervals compute with up to this many
MAX_YEARS = 100.0
MAX_DAYS = 36_500
MAX_VALUE = 1e15
MAX_DOSE = 1e6  # mg/kg


def _count(v: str) -> int:
    if not re.fullmatch(r"\d{1,7}", v) or int(v) > MAX_EVENTS:
        raise ValueError(f"must be a whole number from 0 to {MAX_EVENTS:,}, got {_shown(v)}")
    return int(v)


def _integer(v: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,6}", v) or abs(int(v)) > MAX_DAYS:
        raise ValueError(f"must be a whole number of days from -{MAX_DAYS:,} to {MAX_DAYS:,}, got {_shown(v)}")
    return int(v)


def _shown(v: str) -> str:
    """A cell as a message shows it: a huge one by its length."""
    return repr(v) if len(v) <= 40 else f"a value of {len(v):,} characters"


def _number(v: str, limit: float = MAX_VALUE) -> float:
    try:
        x = float(v)
    except ValueError:
        raise ValueError(f"must be a number, got {_shown(v)}") from None
    if not math.isfinite(x):
        raise ValueError(f"must be finite, got {_shown(v)}")
    if abs(x) > limit:
        raise ValueError(f"must be at most {limit:g} in size, got {_shown(v)}")
    return x


def _positive(limit: float) -> Callable[[str], float]:
    def parse(v: str) -> float:
        x = _number(v, limit)
        if x <= 0:
            raise ValueError(f"must be above 0 and at most {limit:g}, got {_shown(v)}")
        return x

    return parse


def _optional(parse: Callable[[str], object]) -> Callable[[str], object]:
    return lambda v: None if v == "" else parse(v)


OUTCOME_PARSERS = {
    "patient": _patient, "variant": _text, "period": _period, "events": _count,
    "exposure_years": _positive(MAX_YEARS), "basket": _text, "dose_mg_per_kg": _optional(_positive(MAX_DOSE)),
}
BIOMARKER_PARSERS = {
    "patient": _patient, "marker": _text, "day": _integer, "value": _number,
    "unit": _optional(_text),
}


def _read_rows(path: Path, required, optional, parsers, problems: _Problems):
    """Yield (line, parsed dict) for rows without problems; collect the rest."""
    text = _read_text(path, problems)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    try:
        for cells in reader:
            line = reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if header is None:
                header = cells
                if not _header_ok(header, required, optional, line, problems):
                    return
                continue
            row = _parse_row(cells, header, parsers, line, problems)
            if row is not None:
                yield line, row
    except csv.Error as exc:  # a NUL byte, a cell over the csv module's size limit
        problems.add(reader.line_num, "-", f"not readable as CSV: {exc}")
        return
    if header is None:
        problems.add(1, "-", "file has no header row")


def _read_text(path: Path, problems: _Problems) -> str | None:
    """The file as text (UTF-8; a spreadsheet's byte order mark is fine), or None with a problem."""
    if path.exists() and not path.is_file():  # a named pipe would be read forever
        problems.add(0, "-", "not a regular file")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(0, "-", f"cannot read file: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(line, "-", f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return None


def _header_ok(header, required, optional, line, problems: _Problems) -> bool:
    ok = True
    for name in required:
        if name not in header:
            problems.add(line, name, "required column is missing")
            ok = False
    for name in header:
        if name not in required and name not in optional:
            problems.add(line, name or "-", f"unknown column (allowed: {', '.join(required + optional)})")
            ok = False
    if len(set(header)) != len(header):
        problems.add(line, "-", "duplicate column names")
        ok = False
    return ok


def _parse_row(cells, header, parsers, line, problems: _Problems):
    if len(cells) != len(header):
        problems.add(line, "-", f"expected {len(header)} cells, got {len(cells)}")
        return None
    row, bad = {}, False
    for name, value in zip(header, cells):
        try:
            row[name] = parsers[name](value)
        except ValueError as exc:
            problems.add(line, name, str(exc))
            bad = True
    return None if bad else row


def read_outcomes(path: str | Path) -> list[PeriodRecord]:
    """Read and validate an outcomes file; raise :class:`OutcomesFormatError`."""
    path = Path(path)
    problems = _Problems(str(path))
    records: list[PeriodRecord] = []
    seen: dict[tuple[str, str], int] = {}
    identity: dict[str, tuple[str, str | None, int]] = {}
    total_events = 0
    for line, row in _read_rows(path, OUTCOME_REQUIRED, OUTCOME_OPTIONAL, OUTCOME_PARSERS, problems):
        rec = PeriodRecord(**row, line=line)
        if total_events <= MAX_EVENTS < total_events + rec.events:  # said once, where the total passes it
            problems.add(line, "events", f"the file's events add up to more than {MAX_EVENTS:,} here, more than "
                                         "the exact tests compute with; check the file (a trial of a rare disease "
                                         "counts tens of events per patient)")
        total_events += rec.events
        key = (rec.patient, rec.period)
        if key in seen:
            problems.add(line, "period", f"patient {rec.patient} already has a {rec.period} row (line {seen[key]})")
            continue
        seen[key] = line
        first = identity.setdefault(rec.patient, (rec.variant, rec.basket, line))
        if first[:2] != (rec.variant, rec.basket):
            problems.add(line, "variant", f"patient {rec.patient} has a different variant/basket on line {first[2]}")
            continue
        records.append(rec)
    if not records and not problems.items:
        problems.add(1, "-", "no outcome rows")
    if problems.items:
        raise OutcomesFormatError(problems.items)
    return records


def read_biomarkers(path: str | Path) -> list[BiomarkerRecord]:
    """Read and validate a biomarker file; raise :class:`OutcomesFormatError`."""
    path = Path(path)
    problems = _Problems(str(path))
    records = [BiomarkerRecord(**row, line=line) for line, row in
               _read_rows(path, BIOMARKER_REQUIRED, BIOMARKER_OPTIONAL, BIOMARKER_PARSERS, problems)]
    if problems.items:
        raise OutcomesFormatError(problems.items)
    return records
