"""The amendment summary: an ICH M11-style "overview of changes" table in Markdown, or JSON."""

from __future__ import annotations

from basket.changes.program_diff import ProgramDiff
from basket.foundation.markdown_text import escape_markdown_text
from basket.foundation.text_tables import to_json

COLUMNS = ("Section", "Description of change", "Brief rationale / why it matters", "Affected appendices")


def diff_output(diff: ProgramDiff, fmt: str) -> str:
    if fmt == "json":
        return to_json(diff.to_dict())
    return amendment_markdown(diff)


def amendment_markdown(diff: ProgramDiff) -> str:
    what = "program versions" if diff.mode == "programs" else "render manifests"
    lines = ["# Overview of changes", ""]
    lines.append(f"Compares the {what} {_code(diff.old)} (protocol version {_cell(diff.old_version or 'not stated')}) "
                 f"and {_code(diff.new)} (protocol version {_cell(diff.new_version or 'not stated')}).")
    lines.append("")
    if diff.empty:
        lines.append("No differences.")
        return "\n".join(lines) + "\n"
    affected = sorted({a for c in diff.changes for a in c.appendices})
    patients = sorted({p for c in diff.changes for p in c.patients})
    lines.append(f"{len(diff.changes)} change(s); affected appendices: {_cell(', '.join(affected) or 'none')}; "
                 f"affected patients: {_cell(', '.join(patients) or 'none')}.")
    lines.append("")
    if diff.changes:
        lines += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        for change in diff.changes:
            reach = ", ".join(change.appendices) or "none"
            if change.patients:
                reach += f" (patients: {', '.join(change.patients)})"
            lines.append("| " + " | ".join(_cell(v) for v in (change.section, change.description, change.why,
                                                                 reach)) + " |")
        lines.append("")
    if diff.plan_changes:
        lines += ["## Consequences for the umbrella roster", ""] + [f"- {_cell(x)}" for x in diff.plan_changes]
        lines.append("")
    if diff.readiness_changes:
        lines += ["## Consequences for readiness", ""] + [f"- {_cell(x)}" for x in diff.readiness_changes]
        lines.append("")
    if diff.usdm_changes:
        lines += ["## USDM objects changed", "",
                  "Objects of the CDISC USDM v4 study (`basket export usdm`) that were added, removed or modified:", ""]
        lines += [f"- {_cell(change)}" for change in diff.usdm_changes]
        lines.append("")
    elif diff.usdm_note:
        lines += [diff.usdm_note, ""]
    lines.append("The rationale column states why each change matters to the protocol; the sponsor's reason "
                 "for the change is to be added by its author.")
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def _cell(value: object) -> str:
    """Program text escaped as the rendered documents escape it: never markup, never raw HTML."""
    return escape_markdown_text(str(value))
