"""`basket db`: the program, its plan and readiness written as one SQLite file.

The tables are those of `basket.documents.database_schema`; here they are filled. Rows go in
program order inside one transaction with foreign keys enforced, into a new file beside the target
that then replaces it (`os.replace`), so a reader never sees half a database and a failed run leaves
the previous file. The same program gives the same bytes: nothing depends on the clock, and SQLite
lays out the same inserts the same way (with the same SQLite library).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from basket.documents.database_schema import (
    SCHEMA_VERSION,
    Child,
    ModelTable,
    Table,
    all_tables,
    program_tables,
)
from basket.evidence.readiness_rules import RULES, Readiness
from basket.foundation.atomic_output import new_temporary_file
from basket.foundation.garbage_collector import collector_paused
from basket.plan.umbrella_decision import Plan
from basket.program.load import LoadedProgram

Rows = dict[str, list[tuple]]


def write_database(loaded: LoadedProgram, plan: Plan, readiness: Readiness, path: Path) -> dict[str, int]:
    """Write the database to `path` atomically; return the number of rows per table."""
    with collector_paused():  # hundreds of thousands of small tuples: the collector's passes cost 40%
        rows = database_rows(loaded, plan, readiness)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = new_temporary_file(path)
    os.close(fd)
    try:
        _fill(temp, all_tables(), rows)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return {name: len(values) for name, values in rows.items()}


def _fill(path: Path, tables: list[Table], rows: Rows) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")  # a row that breaks a key fails the run, not the reader
        connection.execute("PRAGMA page_size = 4096")
        connection.execute("PRAGMA journal_mode = OFF")  # a new file renamed into place only when complete:
        connection.execute("PRAGMA synchronous = OFF")  # no journal needed; one fsync at the end instead
        connection.execute("BEGIN")
        connection.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT: tables refer to each other
        for table in tables:
            connection.execute(table.ddl())
        for table in tables:
            marks = ", ".join("?" for _ in table.columns)
            connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", rows.get(table.name, []))
        connection.execute("COMMIT")
    finally:
        connection.close()
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def database_rows(loaded: LoadedProgram, plan: Plan, readiness: Readiness) -> Rows:
    rows: Rows = {table.name: [] for table in all_tables()}
    program = loaded.program
    for section, mapped in program_tables().items():
        if section == "editors":  # every editor the program can name: the catalogue's and its own
            own = {editor.name for editor in program.editors}
            for editor in program.editors_by_name.values():
                _add_object(rows, mapped, editor, "program" if editor.name in own else "catalogue")
            continue
        value = getattr(program, section)
        for item in value if isinstance(value, list) else [value] if value is not None else []:
            _add_object(rows, mapped, item)
    _add_plan(rows, plan)
    _add_readiness(rows, readiness)
    rows["basket_meta"] = [("schema_version", SCHEMA_VERSION), ("generator", _generator()),
                           ("umbrella", program.umbrella.id)]
    rows["input_file"] = sorted(loaded.inputs.items())
    return rows


def _generator() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"basket {version('basket')}"
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "basket"


def _add_object(rows: Rows, mapped: ModelTable, item: Any, defined_in: str | None = None) -> None:
    values = [_value(_read(item, s.path)) for s in mapped.scalars]
    for derived in mapped.derived:
        values.append(defined_in if derived.column.name == "defined_in" else derived.value(item))
    rows[mapped.table.name].append(tuple(values))
    names = [column.name for column in mapped.table.columns]
    key = tuple(values[names.index(k)] for k in mapped.table.primary_key)
    _add_children(rows, mapped.children, item, key)


def _add_children(rows: Rows, children: list[Child], item: Any, key: tuple) -> None:
    for child in children:
        container = _read(item, child.path)
        if not container:
            continue
        entries: Iterable[tuple[Any, Any]] = (sorted(container.items()) if child.mapping
                                              else enumerate(container, start=1))
        for own, entry in entries:
            child_key = (*key, own)
            if child.item is None:
                rows[child.table.name].append((*child_key, _value(entry)))
                continue
            rows[child.table.name].append((*child_key, *(_value(_read(entry, s.path)) for s in child.scalars)))
            _add_children(rows, child.children, entry, child_key)


def _read(item: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if item is None:
            return None
        item = item[part] if isinstance(part, int) else getattr(item, part)
    return item


def _value(value: Any) -> Any:
    """A value as SQLite stores it: booleans as 0/1, dates as YYYY-MM-DD."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _add_plan(rows: Rows, plan: Plan) -> None:
    for item in plan.variants:
        rows["plan"].append((item.variant, item.reason_code, item.disease, item.change_class, item.correction,
                             item.classification, item.editor, int(item.in_umbrella), item.reason, item.sequence))
        for guide in item.guides:
            rank = guide["rank"]
            rows["guide"].append((item.variant, rank, guide["editor"], guide["protospacer"], guide["pam"],
                                  guide["strand"], guide["start"], guide["end"], guide["pam_start"],
                                  guide["pam_end"], guide["target_position"], int(guide["in_core_window"]),
                                  int(guide["allele_specific"]), guide.get("worst_consequence"),
                                  guide.get("worst_protein_change"), guide["score"]))
            rows["guide_note"] += [(item.variant, rank, n, note) for n, note in _numbered(guide.get("notes", []))]
            rows["bystander"] += [
                (item.variant, rank, n, b["position"], b.get("c"), b.get("protospacer_position"), b.get("window"),
                 b.get("change"), b.get("plus_strand_change"), b.get("coding_strand_change"), b.get("consequence"),
                 b.get("protein_change"))
                for n, b in _numbered(guide.get("bystanders", []))]
            for n, outcome in _numbered(guide.get("codon_outcomes", [])):
                rows["codon_outcome"].append((item.variant, rank, n, outcome["codon"], outcome["ref_codon"],
                                              outcome["alt_codon"], outcome["consequence"], outcome["protein_change"],
                                              outcome["combinations"]))
                rows["codon_outcome_base"] += [(item.variant, rank, n, m, position, c) for m, (position, c)
                                               in _numbered(zip(outcome["positions"], outcome["c"], strict=True))]


def _add_readiness(rows: Rows, readiness: Readiness) -> None:
    rows["readiness_rule"] = [(number, rule.title, rule.text) for number, rule in sorted(RULES.items())]
    for item in readiness.variants:
        for number, element in sorted(item.elements.items()):
            rows["readiness_element"].append((item.variant, number, element.status))
            key = (item.variant, number)
            rows["readiness_missing"] += [(*key, n, text) for n, text in _numbered(element.missing)]
            rows["readiness_evidence"] += [(*key, n, text) for n, text in _numbered(element.evidence)]
            rows["readiness_flag"] += [(*key, n, text) for n, text in _numbered(element.flags)]
        rows["readiness_gate"].append((item.variant, int(item.gate.passed), int(item.must_pass)))
        rows["readiness_gate_failure"] += [(item.variant, n, text) for n, text in _numbered(item.gate.failures)]


def _numbered(values: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    return enumerate(values, start=1)


__all__ = ["database_rows", "write_database"]
