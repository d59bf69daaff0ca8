"""Turning results into text: terminal tables, CSV, JSON and Markdown.

One place for output shapes, so every command prints the same way.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from basket.foundation.markdown_text import escape_markdown_text


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(row.get(k)) for k in columns})
    return buffer.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str:
    """A value as a CSV/TSV cell a spreadsheet shows as it is (see `spreadsheet_text`); numbers,
    including negative ones, are numbers."""
    text = _cell(value)
    return text if isinstance(value, int | float) and not isinstance(value, bool) else spreadsheet_text(text)


def spreadsheet_text(text: str) -> str:
    """A text cell starting with = + - @ (or a tab or carriage return) would be read by a
    spreadsheet as a formula (`=HYPERLINK(...)`, `+cmd|...`), so it is prefixed with an apostrophe,
    as OWASP advises; text that is a plain number, and a lone `-` or `+` (a strand), are left."""
    if not text.startswith(_FORMULA_START) or text in ("-", "+") or _is_number(text):
        return text
    return "'" + text


def text_from_spreadsheet(text: str) -> str:
    """The text `spreadsheet_text` was given (a file basket wrote, read back)."""
    if text.startswith("'") and spreadsheet_text(text[1:]) == text:
        return text[1:]
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan")


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(escape_markdown_text(_cell(row.get(c))) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int | None = None,
             cut: Sequence[str] = ()) -> str:
    """A plain aligned table for the terminal.

    `width`: the most characters a line may take (the terminal's), or None for full text. When the
    table is wider, the columns named in `cut` (free text such as a reason or a source; never ids,
    sequences or numbers, which would mislead when shortened) give way, the widest first, each down
    to no less than its header or MIN_COLUMN characters; a shortened cell ends with an ellipsis. A
    table that cannot fit even so is printed at those widths."""
    texts = [[_cell(row.get(c)) for c in columns] for row in rows]
    natural = [max([len(c)] + [len(r[i]) for r in texts]) for i, c in enumerate(columns)]
    if width is None:
        widths = natural
    else:
        least = [min(n, max(len(c), MIN_COLUMN)) if c in cut else n for c, n in zip(columns, natural)]
        widths = fitted_widths(natural, least, width - GAP * (len(columns) - 1))
    cells = [[_fit(text, w) for text, w in zip(row, widths)] for row in texts]

    def line(values: Iterable[str]) -> str:
        return (" " * GAP).join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(columns), line("-" * w for w in widths)] + [line(r) for r in cells]
    return "\n".join(out) + "\n"


GAP = 2  # spaces between columns
MIN_COLUMN = 8  # a column is not cut narrower than this (or its header)


def fitted_widths(natural: Sequence[int], least: Sequence[int], budget: int) -> list[int]:
    """Column widths that fit `budget` characters: every column capped at one common width, the
    largest cap that fits, never below its `least` (so the widest columns give way first); the
    characters left under the cap go to the capped columns from the left."""
    if sum(natural) <= budget:
        return list(natural)

    def capped(cap: int) -> list[int]:
        return [max(low, min(full, cap)) for full, low in zip(natural, least)]

    low, high = 0, max(natural)  # capped(low) is the narrowest possible; capped(high) is too wide
    while low < high - 1:
        middle = (low + high) // 2
        if sum(capped(middle)) <= budget:
            low = middle
        else:
            high = middle
    widths = capped(low)
    spare = budget - sum(widths)
    for index, full in enumerate(natural):
        if spare <= 0:
            break
        if widths[index] == low < full:
            widths[index] += 1
            spare -= 1
    return widths


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def format_number(value: float) -> str:
    """A number as it was entered: a whole number without a decimal point or exponent (1234567,
    not 1.23457e+06 or 1234567.0), any other with the fewest digits that give it back (0.1, not
    0.10000000000000001), never in exponent notation (0.0000001, not 1e-07)."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    if "e" not in text or abs(value) < 1e-20:  # below that, 20 zeros say less than the exponent
        return text
    return format(Decimal(text), "f")
