"""Power against patients per basket, one line per basket (PNG and SVG).

Deterministic bytes: the figure is drawn with the Agg canvas (no pyplot global
state), ``svg.hashsalt`` is fixed, and the ``Date``/``Software``/``Creator``
metadata that matplotlib would stamp are removed, so the same table gives the
same files.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .errors import StatsInputError
from .operating_characteristics import DesignTable

__all__ = ["plot_power"]

_RC = {"svg.hashsalt": "basket-stats", "svg.fonttype": "path", "font.family": "DejaVu Sans"}


def _series(table: DesignTable, column: str, followup: float | None):
    lines = defaultdict(list)
    for row in table.rows:
        if followup is None or row.followup_years == followup:
            lines[row.basket].append((row.n_per_basket, getattr(row, column)))
    return {k: sorted(v) for k, v in lines.items()}


def _figure(table: DesignTable, column: str, followup: float | None) -> Figure:
    fig = Figure(figsize=(6.4, 4.2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for basket, pts in sorted(_series(table, column, followup).items()):
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=basket)
    ax.axhline(0.8, color="grey", lw=0.8, ls="--")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("patients per basket")
    ax.set_ylabel(column.replace("_", " "))
    span = "" if followup is None else f", follow-up {followup:g} y"
    ax.set_title(f"Power by basket (one-sided alpha {table.alpha:g}{span})")
    ax.grid(True, lw=0.3)
    ax.legend(title="basket", fontsize="small")
    fig.tight_layout()
    return fig


def plot_power(table: DesignTable, stem: str | Path, column: str = "exact_power",
               followup_years: float | None = None) -> tuple[Path, Path]:
    """Write ``stem.png`` and ``stem.svg``; return their paths.

    ``column`` is any probability column of the design rows (e.g.
    ``simulated_power``, ``bayes_power``); ``followup_years`` selects one
    follow-up when the table has several (required then).
    """
    if not table.rows:
        raise StatsInputError("table", "has no rows")
    if column not in table.rows[0].__dataclass_fields__:
        raise StatsInputError("column", f"unknown design column {column!r}")
    if any(getattr(r, column) is None for r in table.rows):
        raise StatsInputError("column", f"{column} was not computed for this table")
    followups = {r.followup_years for r in table.rows}
    if followup_years is None and len(followups) > 1:
        raise StatsInputError("followup_years", f"table has several follow-ups {sorted(followups)}; choose one")
    stem = Path(stem)
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    with matplotlib.rc_context(_RC):
        fig = _figure(table, column, followup_years)
        fig.savefig(png, format="png", metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png, svg
