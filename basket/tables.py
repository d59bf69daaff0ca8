"""Turning results into text: terminal tables, CSV, JSON and Markdown.

One place for output shapes, so every command prints the same way.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

PLAN_COLUMNS = ("variant", "gene", "disease", "hgvs_c", "change_class", "correction", "classification",
                "editor", "in_umbrella", "reason")


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c)).replace("|", "\\|") for c in columns) + " |")
    return "\n".join(lines) + "\n"


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], wrap: dict[str, int] | None = None) -> str:
    """A plain aligned table for the terminal; long columns are cut with an ellipsis."""
    wrap = wrap or {}
    cells = [[_fit(_cell(row.get(c)), wrap.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    def line(values: Iterable[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(columns), line("-" * w for w in widths)] + [line(r) for r in cells]
    return "\n".join(out) + "\n"


def _span(window: list[int] | None) -> str:
    return f"{window[0]}-{window[1]}" if window else ""


def _fit(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def plan_output(plan, fmt: str, with_guides: bool = False) -> str:
    rows = [item.to_dict(with_guides=with_guides) for item in plan.variants]
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, PLAN_COLUMNS)
    if fmt == "md":
        return to_markdown(rows, PLAN_COLUMNS)
    table = to_table(rows, ("variant", "gene", "change_class", "correction", "classification", "in_umbrella",
                            "reason"), wrap={"reason": 90})
    return table + f"\n{len(plan.inside)} of {len(plan.variants)} variants inside the umbrella.\n"


GUIDE_COLUMNS = ("rank", "protospacer", "pam", "strand", "start", "end", "target_position", "in_core_window",
                 "allele_specific", "bystanders")


def guides_output(guides: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return to_json(guides)
    rows = [{**g, "rank": i + 1, "bystanders": _bystander_summary(g["bystanders"])} for i, g in enumerate(guides)]
    if fmt == "csv":
        return to_csv(rows, GUIDE_COLUMNS)
    if not rows:
        return "no guide places the base in the editor's window\n"
    return to_table(rows, GUIDE_COLUMNS)


def _bystander_summary(bystanders: list[dict[str, Any]]) -> str:
    return "; ".join(f"{b['c'] or b['position']} {b['consequence']}" for b in bystanders) or "none"


def impact_output(report, fmt: str) -> str:
    if fmt == "json":
        return to_json({"node": report.node, "direction": report.direction, "appendices": report.appendices,
                        "patients": report.patients, "nodes": report.nodes})
    verb = "affects" if report.direction == "downstream" else "depends on"
    lines = [f"A change to {report.node} {verb}:" if report.direction == "downstream"
             else f"{report.node} {verb}:"]
    if report.direction == "downstream":
        lines.append(f"  appendices ({len(report.appendices)}): {', '.join(report.appendices) or 'none'}")
        lines.append(f"  patients ({len(report.patients)}): {', '.join(report.patients) or 'none'}")
    for kind, nodes in sorted(report.nodes.items()):
        lines.append(f"  {kind} ({len(nodes)}): {', '.join(nodes)}")
    if not report.nodes:
        lines.append("  nothing")
    return "\n".join(lines) + "\n"


def editors_output(editors: list, fmt: str) -> str:
    rows = [e.model_dump(mode="json") for e in editors]
    if fmt == "json":
        return to_json(rows)
    rows = [{**row, "pams": ", ".join(row["pams"]), "core_window": _span(row["core_window"]),
             "extended_window": _span(row["extended_window"])} for row in rows]
    return to_table(rows, ("name", "deaminase", "cas_variant", "pams", "core_window", "extended_window",
                           "spacer_length", "source"), wrap={"source": 60, "pams": 20})
