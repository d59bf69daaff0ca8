"""The readiness matrix (variants × elements) as terminal table, CSV, Markdown, HTML or JSON.

Only formatting: every verdict comes from `basket.evidence.readiness_rules`. HTML goes through
basket's HTML jinja environment (autoescaped) and the template
`templates/readiness.html.j2`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from basket.evidence.readiness_rules import COMMON_RULE, MET, RULES, STATUS_LABELS, Readiness, VariantReadiness
from basket.foundation.markdown_text import escape_markdown_text
from basket.foundation.text_tables import to_csv, to_json, to_markdown, to_table

FORMATS = ("table", "csv", "md", "html", "json")
ELEMENT_COLUMNS = tuple(f"element_{n}" for n in RULES)
MATRIX_COLUMNS = ("variant", "gene", "status", "submit", "classification", *ELEMENT_COLUMNS, "gate")
CSV_COLUMNS = MATRIX_COLUMNS + ("must_pass", "gate_failures", "missing")
SHORT = {"met": "met", "partial": "partial", "missing": "missing", "not_yet_applicable": "not yet"}


def readiness_output(report: Readiness, fmt: str, width: int | None = None) -> str:
    """The report in `fmt`; `width` fits the terminal table (None: full text)."""
    if fmt == "json":
        return to_json(report.to_dict())
    if fmt == "csv":
        return to_csv([_row(v, full=True) for v in report.variants], CSV_COLUMNS)
    if fmt == "md":
        return markdown(report)
    if fmt == "html":
        return html(report)
    return table(report, width)


def _row(item: VariantReadiness, full: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "variant": item.variant,
        "gene": item.gene,
        "status": item.status,
        "submit": item.submit,
        "classification": item.classification,
        "gate": "pass" if item.gate.passed else ("FAIL" if item.must_pass else "fail"),
    }
    for number, element in item.elements.items():
        row[f"element_{number}"] = STATUS_LABELS[element.status] if full else SHORT[element.status]
    if full:
        row["must_pass"] = item.must_pass
        row["gate_failures"] = "; ".join(item.gate.failures)
        row["missing"] = "; ".join(f"E{n}: {m}" for n, e in item.elements.items() for m in e.missing)
    return row


def _summary(report: Readiness) -> str:
    passing = sum(1 for v in report.variants if v.gate.passed)
    line = f"{passing} of {len(report.variants)} variants pass the entry gate (elements 1-4 met, platform-correctable, " \
           "disease covered, adequate natural history)."
    if report.blocking:
        line += "\nBlocking: " + ", ".join(f"{v.variant} ({'submit' if v.submit else v.status})"
                                           for v in report.blocking) + " must pass and do not."
    return line


def table(report: Readiness, width: int | None = None) -> str:
    rows = [_row(v) for v in report.variants]
    header = ("variant", "status", "submit", "E1", "E2", "E3", "E4", "E5", "gate")
    shaped = [{"variant": r["variant"], "status": r["status"], "submit": r["submit"],
               **{f"E{n}": r[f"element_{n}"] for n in RULES}, "gate": r["gate"]} for r in rows]
    lines = [to_table(shaped, header, width).rstrip("\n"), "", _summary(report), ""]
    for item in report.variants:
        gaps = [(n, e) for n, e in item.elements.items() if e.status != MET and e.missing]
        flags = sorted({f for e in item.elements.values() for f in e.flags})
        if not gaps and not flags:
            continue
        lines.append(f"{item.variant} ({item.status}{', submit' if item.submit else ''}):")
        for number, element in gaps:
            for missing in element.missing:
                lines.append(f"  E{number} {element.label}: {missing}")
        for flag in flags:
            lines.append(f"  flag: {flag}")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown(report: Readiness) -> str:
    """Every value from the program escaped (`_md`), as in the rendered documents: no program text
    becomes markup or raw HTML when the Markdown is viewed."""
    rows = [_row(v) for v in report.variants]
    lines = [f"# Readiness — {_md(report.umbrella)}", "", to_markdown(rows, MATRIX_COLUMNS).rstrip("\n"), "",
             "\n\n".join(_md(line) for line in _summary(report).split("\n")), "", "## Rules", "",
             "| Element | Title | Rule |", "|---|---|---|"]
    lines += [f"| {n} | {_md(r.title)} | {_md(r.text)} |" for n, r in RULES.items()]
    lines += ["", _md(COMMON_RULE), "", "## What is missing", ""]
    for item in report.variants:
        lines.append(f"### {_md(item.variant)}")
        lines.append("")
        gate = "passes" if item.gate.passed else "fails: " + "; ".join(item.gate.failures)
        lines.append(_md(f"Status {item.status}; {'marked for submission; ' if item.submit else ''}gate {gate}."))
        lines.append("")
        lines += ["| Element | Status | Evidence | Missing | Flags |", "|---|---|---|---|---|"]
        for number, element in item.elements.items():
            lines.append(f"| {number} | {_md(element.label)} | {_md(', '.join(element.evidence))} | "
                         f"{_md('; '.join(element.missing))} | {_md('; '.join(element.flags))} |")
        lines.append("")
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {_md(w)}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return escape_markdown_text(str(text))


def html_context(report: Readiness) -> dict[str, Any]:
    return {
        "umbrella": report.umbrella,
        "rules": [{"element": n, "title": r.title, "text": r.text} for n, r in RULES.items()],
        "common_rule": COMMON_RULE,
        "summary": _summary(report).splitlines(),
        "variants": [
            {
                "id": v.variant, "gene": v.gene, "status": v.status, "submit": v.submit,
                "classification": v.classification, "must_pass": v.must_pass,
                "gate": {"passed": v.gate.passed, "failures": v.gate.failures},
                "elements": [
                    {"number": n, "status": e.status, "label": e.label, "title": e.title,
                     "missing": e.missing, "evidence": e.evidence, "flags": e.flags}
                    for n, e in v.elements.items()
                ],
            }
            for v in report.variants
        ],
        "warnings": report.warnings,
    }


def html(report: Readiness) -> str:
    return b"".join(html_pieces(report)).decode("utf-8")


def html_pieces(report: Readiness) -> Iterator[bytes]:
    """The HTML matrix as UTF-8 pieces, as jinja streams it (for 100,000 variants the page is a few
    hundred MB; `render()` would first hold every fragment of it as a separate string)."""
    from basket.documents.template_environment import make_templates, render_chunks

    return render_chunks(make_templates().html.get_template("readiness.html.j2"), html_context(report))
