"""The nomination as a file: TSV or JSON with the reference's identity and the query in the header,
one row per site in rank order; and reading such a file back (the appendix summarises it).

Coordinates are 1-based and inclusive on the plus strand. The TSV header lines start with `##`
(`## key: value`), then one `#`-prefixed line of column names. Same search, same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basket.foundation.problems import InputError, Problem
from basket.foundation.text_tables import spreadsheet_text, text_from_spreadsheet
from basket.offtargets.sites import Site

FORMAT_NAME = "basket-offtargets"
FORMAT_VERSION = 1
COLUMNS = (
    "rank", "on_target", "guide", "contig", "start", "end", "strand", "pam", "pam_start", "pam_end", "canonical_pam",
    "mismatches", "bulges", "dna_bulges", "rna_bulges", "seed_differences", "guide_alignment", "site_alignment",
    "editable_bases", "editable_core", "editable_extended", "origin", "haplotype", "variants", "destroyed_by",
    "gene", "region",
)
INTEGER_COLUMNS = {"rank", "start", "end", "pam_start", "pam_end", "mismatches", "bulges", "dna_bulges",
                   "rna_bulges", "seed_differences", "editable_core", "editable_extended"}


@dataclass(frozen=True)
class NominationReport:
    """What a nomination file holds: its header (reference, query, summary) and its rows."""

    header: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)


def site_row(rank: int, site: Site, edited_base: str) -> dict[str, Any]:
    alignment = site.alignment
    return {
        "rank": rank, "on_target": "yes" if site.on_target else "", "guide": site.guide, "contig": site.contig, "start": site.start, "end": site.end,
        "strand": site.strand, "pam": site.pam, "pam_start": site.pam_start, "pam_end": site.pam_end,
        "canonical_pam": "yes" if site.canonical_pam else "no",
        "mismatches": alignment.mismatches, "bulges": alignment.bulges, "dna_bulges": alignment.dna_bulges,
        "rna_bulges": alignment.rna_bulges, "seed_differences": alignment.seed_differences,
        "guide_alignment": alignment.guide_row, "site_alignment": alignment.dna_row,
        "editable_bases": ",".join(base.label(edited_base) for base in site.editable),
        "editable_core": sum(base.window == "core" for base in site.editable),
        "editable_extended": sum(base.window == "extended" for base in site.editable),
        "origin": site.origin, "haplotype": site.haplotype, "variants": ",".join(site.variants),
        "destroyed_by": ",".join(site.destroyed_by),
        "gene": site.annotation.get("gene", ""), "region": site.annotation.get("region", ""),
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Sites by mismatch/bulge class, patient-specific and destroyed counts, sites with editable bases."""
    classes = Counter((row["mismatches"], row["bulges"]) for row in rows)
    return {
        "sites": len(rows),
        "on_target": sum(row["on_target"] == "yes" for row in rows),
        "by_class": [{"mismatches": mm, "bulges": bulges, "sites": count}
                     for (mm, bulges), count in sorted(classes.items(), key=lambda item: (item[0][1], item[0][0]))],
        "patient_specific": sum(row["origin"] == "patient" for row in rows),
        "destroyed_by_patient_alleles": sum(bool(row["destroyed_by"]) for row in rows),
        "with_editable_bases_in_core_window": sum(row["editable_core"] > 0 for row in rows),
    }


def to_tsv(report: NominationReport) -> str:
    out = io.StringIO()
    for key, value in report.header.items():
        out.write(f"## {key}: {json.dumps(value, sort_keys=True, ensure_ascii=False)}\n")
    out.write("#" + "\t".join(COLUMNS) + "\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for row in report.rows:  # a contig or gene name starting with = must not become a spreadsheet formula
        writer.writerow([spreadsheet_text(value) if isinstance(value, str) else value
                         for value in (row[column] for column in COLUMNS)])
    return out.getvalue()


def to_json(report: NominationReport) -> str:
    return json.dumps({**report.header, "sites": report.rows}, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def render(report: NominationReport, path: Path) -> str:
    return to_json(report) if path.suffix.lower() == ".json" else to_tsv(report)


def is_nomination_file(path: Path) -> bool:
    """Does the file start like a `basket offtargets` output (TSV header or JSON)?"""
    try:
        with path.open("rb") as handle:
            head = handle.read(200)
    except OSError:
        return False
    return head.startswith((f'## format: "{FORMAT_NAME}"'.encode(), f'{{\n "format": "{FORMAT_NAME}"'.encode()))


def read_report(path: Path) -> NominationReport:
    """A nomination file written by `basket offtargets` (TSV or JSON); InputError with file:line otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), 0, "", f"cannot read the off-target file: {error}")]) from None
    if path.suffix.lower() == ".json":
        return _read_json(path, text)
    return _read_tsv(path, text)


def _read_json(path: Path, text: str) -> NominationReport:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([Problem(str(path), error.lineno, "", f"not JSON: {error.msg}")]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError([Problem(str(path), 1, "format", f"not a {FORMAT_NAME} file")])
    rows = data.pop("sites", [])
    return NominationReport(data, rows)


def _read_tsv(path: Path, text: str) -> NominationReport:
    header: dict[str, Any] = {}
    rows = []
    columns: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            key, _, value = line[3:].partition(": ")
            try:
                header[key] = json.loads(value)
            except json.JSONDecodeError:
                raise InputError([Problem(str(path), number, key, "header value is not JSON")]) from None
        elif line.startswith("#"):
            columns = line[1:].split("\t")
        elif line:
            if columns is None:
                raise InputError([Problem(str(path), number, "", "a row before the '#' column line")])
            cells = line.split("\t")
            if len(cells) != len(columns):
                raise InputError([Problem(str(path), number, "", f"{len(cells)} fields, expected {len(columns)}")])
            rows.append(_typed(dict(zip(columns, map(text_from_spreadsheet, cells))), path, number))
    if header.get("format") != FORMAT_NAME:
        raise InputError([Problem(str(path), 1, "format", f"not a {FORMAT_NAME} file")])
    return NominationReport(header, rows)


def _typed(row: dict[str, Any], path: Path, line: int) -> dict[str, Any]:
    for column in INTEGER_COLUMNS & row.keys():
        try:
            row[column] = int(row[column])
        except ValueError:
            raise InputError([Problem(str(path), line, column, f"{row[column]!r} is not a whole number")]) from None
    return row
