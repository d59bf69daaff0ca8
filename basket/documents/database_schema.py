"""The tables of `basket db`: the program as the model defines it, then the plan and readiness.

Program tables are derived from the pydantic model itself, so every field is there and a field
added to the model appears without a change here:

* each section is a table (`umbrella`, `platform`, `editor`, `disease`, `gene`, `variant`,
  `patient`, `evidence`, ...), keyed by its id (`name` for editors, `symbol` for genes);
* a field holding one value is a column; a nested object (`variant.window`) is flattened into
  columns named after its path (`window_chrom`); a pair such as `core_window` is two columns
  (`core_window_from`, `core_window_to`);
* a list (`disease.genes`, `platform.components`) or a mapping (`evidence.measures`) is a child
  table named after its path (`disease_genes`, `platform_components`), keyed by its parent's key
  and the item's position (or the mapping's key), with a foreign key to the parent.

References between sections (a variant's gene, a patient's alleles, an evidence item's subject) are
declared in `REFERENCES` and become foreign keys. The plan (`plan`, `guide`, `guide_note`,
`bystander`) and the readiness verdicts (`readiness_element` and its lists, `readiness_gate`) come
from dataclasses and are declared here column by column. `schema_markdown()` documents every table
from these same definitions (docs/database.md; a test fails when the document is stale).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from basket.program.model import Program, field_types


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # TEXT, INTEGER or REAL
    description: str
    references: tuple[str, str] | None = None  # (table, column)
    choices: tuple[str, ...] = ()


@dataclass
class Table:
    name: str
    description: str
    columns: list[Column]
    primary_key: tuple[str, ...]
    # a child table: (parent table, these columns, the parent's columns they hold)
    parent: tuple[str, tuple[str, ...], tuple[str, ...]] | None = None

    def ddl(self) -> str:
        lines = [f"  {c.name} {c.type}" + _check(c) for c in self.columns]
        if self.primary_key:
            lines.append(f"  PRIMARY KEY ({', '.join(self.primary_key)})")
        if self.parent is not None:
            parent, mine, theirs = self.parent
            lines.append(f"  FOREIGN KEY ({', '.join(mine)}) REFERENCES {parent} ({', '.join(theirs)})")
        for column in self.columns:
            if column.references is not None:
                lines.append(f"  FOREIGN KEY ({column.name}) REFERENCES {column.references[0]} ({column.references[1]})")
        return f"CREATE TABLE {self.name} (\n" + ",\n".join(lines) + "\n)"


def _check(column: Column) -> str:
    if not column.choices:
        return ""
    values = ", ".join("'" + choice.replace("'", "''") + "'" for choice in column.choices)
    return f" CHECK ({column.name} IN ({values}))"


# --- the program, from the model ---------------------------------------------------------------

SECTION_TABLES = {"editors": "editor", "diseases": "disease", "genes": "gene", "variants": "variant",
                  "patients": "patient", "evidence": "evidence"}
ENTITY_KEYS = {"editor": "name", "gene": "symbol"}  # the others are keyed by `id`

# (table, column) -> (table, column) it refers to; columns of child tables of plain values are `value`
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("umbrella", "platform"): ("platform", "id"),
    ("umbrella_diseases", "value"): ("disease", "id"),
    ("platform", "editor"): ("editor", "name"),
    ("disease_genes", "value"): ("gene", "symbol"),
    ("variant", "gene"): ("gene", "symbol"),
    ("variant", "disease"): ("disease", "id"),
    ("patient", "disease"): ("disease", "id"),
    ("patient_genotype", "variant"): ("variant", "id"),
    ("evidence", "subject_variant"): ("variant", "id"),
    ("evidence", "subject_disease"): ("disease", "id"),
    ("evidence", "subject_gene"): ("gene", "symbol"),
    ("evidence", "subject_platform"): ("platform", "id"),
}


@dataclass(frozen=True)
class Derived:
    """A column computed from an object rather than read from one of its fields."""

    column: Column
    value: Callable[[Any], Any]


def _subject_part(kind: str) -> Callable[[Any], Any]:
    def value(item: Any) -> str | None:
        subject_kind, _, key = item.subject.partition(":")
        return key if subject_kind == kind else None
    return value


DERIVED: dict[str, list[Derived]] = {
    "evidence": [Derived(Column(f"subject_{kind}", "TEXT", f"the {kind} `subject` names, else NULL (for joins)"),
                         _subject_part(kind)) for kind in ("variant", "disease", "gene", "platform")],
    "editor": [Derived(Column("defined_in", "TEXT", "`program` (its `editors:` section) or `catalogue` (built in)",
                              choices=("program", "catalogue")), lambda editor: None)],  # filled by the writer
}


@dataclass(frozen=True)
class Scalar:
    """One column read from an object: its field path (a pair element is an int index)."""

    column: Column
    path: tuple[str | int, ...]


@dataclass(frozen=True)
class Child:
    """A list or mapping of the object stored in its own table."""

    table: Table
    path: tuple[str, ...]
    item: type[BaseModel] | None  # None: plain values in a `value` column
    mapping: bool
    scalars: list[Scalar]
    children: list[Child]


@dataclass(frozen=True)
class ModelTable:
    """How one kind of object maps onto a table: its columns and its child tables."""

    table: Table
    scalars: list[Scalar]
    children: list[Child]
    derived: list[Derived]


def program_tables() -> dict[str, ModelTable]:
    """The section tables of a program, by section name, derived from `Program`."""
    mapped: dict[str, ModelTable] = {}
    for section, annotation in field_types(Program).items():
        model = _model_in(annotation)
        if model is None:
            continue
        name = SECTION_TABLES.get(section, section)
        key = ENTITY_KEYS.get(name, "id" if "id" in model.model_fields else "")
        single = _is_single(annotation)
        scalars, children = _slots(model, name, (), ((name, key),) if key else (), section if single else f"{section}[]")
        derived = DERIVED.get(name, [])
        columns = [s.column for s in scalars] + [d.column for d in derived]
        columns = [_with_reference(name, c) for c in columns]
        description = f"`{section}:` ({'one per program' if single else 'one row per item'})"
        table = Table(name, description, columns, (key,) if key else ())
        mapped[section] = ModelTable(table, scalars, children, derived)
    return mapped


def _with_reference(table: str, column: Column) -> Column:
    target = REFERENCES.get((table, column.name))
    if target is None:
        return column
    return Column(column.name, column.type, column.description, target, column.choices)


def _slots(model: type[BaseModel], table: str, prefix: tuple[str, ...], keys: tuple[tuple[str, str], ...],
           yaml: str) -> tuple[list[Scalar], list[Child]]:
    """Columns (flattening nested objects) and child tables of `model`, stored in `table`.
    `keys`: (table, key column) of each ancestor row, outermost first, for the children's keys;
    `yaml`: where the object is in a program file (`variants[]`), for the descriptions."""
    scalars: list[Scalar] = []
    children: list[Child] = []
    for name, annotation in field_types(model).items():
        info = model.model_fields[name]
        path = (*prefix, name)
        column = "_".join(path)
        where = f"`{yaml}.{'.'.join(path)}`" + (f": {info.description}" if info.description else "")
        annotation = _without_none(annotation)
        sql_type = _sql_type(annotation)
        if sql_type is not None:
            scalars.append(Scalar(Column(column, sql_type, where, choices=_choices(annotation)), path))
            continue
        pair = _pair_type(annotation)
        if pair is not None:
            for index, end in enumerate(("from", "to")):
                scalars.append(Scalar(Column(f"{column}_{end}", pair, f"{where} ({end})"), (*path, index)))
            continue
        inner = _model_in(annotation)
        origin = typing.get_origin(annotation)
        if inner is not None and origin not in (list, tuple):
            nested_scalars, nested_children = _slots(inner, table, path, keys, yaml)
            scalars += nested_scalars
            children += nested_children
            continue
        children.append(_child(table, path, annotation, where, keys, f"{yaml}.{'.'.join(path)}[]"))
    return scalars, children


def _child(table: str, path: tuple[str, ...], annotation: Any, where: str, keys: tuple[tuple[str, str], ...],
           yaml: str) -> Child:
    name = f"{table}_{'_'.join(path)}"
    mapping = typing.get_origin(annotation) is dict
    arguments = typing.get_args(annotation)
    item_type = arguments[-1] if arguments else str
    item = _model_in(item_type)
    key_columns = [Column(_key_name(t, k), "INTEGER" if k in ("position",) else "TEXT", f"the `{t}` row ({k})")
                   for t, k in keys]
    own = Column("key", "TEXT", "the mapping's key") if mapping else Column("position", "INTEGER",
                                                                            "1-based position in the list")
    scalars: list[Scalar] = []
    children: list[Child] = []
    if item is None:
        value = Column("value", _sql_type(_without_none(item_type)) or "TEXT", "the value")
        scalars = [Scalar(_with_reference(name, value), ())]
    else:
        scalars, children = _slots(item, name, (), (*keys, (name, own.name)), yaml)
        scalars = [Scalar(_with_reference(name, s.column), s.path) for s in scalars]
    columns = key_columns + [own] + [s.column for s in scalars]
    mine = tuple(c.name for c in key_columns)
    # the parent is the last table in `keys`: it holds the earlier ancestors' keys under the same
    # names, and its own key under its own name
    theirs = (*mine[:-1], keys[-1][1]) if keys else ()
    table_def = Table(name, f"{where}: one row per {'entry' if mapping else 'item'}", columns, (*mine, own.name),
                      (keys[-1][0], mine, theirs) if keys else None)
    return Child(table_def, path, item, mapping, scalars, children)


def _key_name(table: str, key: str) -> str:
    """A child's column for an ancestor's key: `variant_id`, `disease_natural_history_position`."""
    return f"{table}_{key}"


def _is_single(annotation: Any) -> bool:
    return typing.get_origin(_without_none(annotation)) not in (list, tuple)


def _without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(arguments) == 1:
            return arguments[0]
    if typing.get_origin(annotation) is typing.Annotated:
        return _without_none(typing.get_args(annotation)[0])
    return annotation


def _sql_type(annotation: Any) -> str | None:
    annotation = _without_none(annotation)
    if typing.get_origin(annotation) is Literal:
        return "TEXT"
    if annotation is bool:
        return "INTEGER"
    if annotation is int:
        return "INTEGER"
    if annotation is float:
        return "REAL"
    if annotation in (str, dt.date):
        return "TEXT"
    return None


def _choices(annotation: Any) -> tuple[str, ...]:
    annotation = _without_none(annotation)
    if typing.get_origin(annotation) is Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()


def _pair_type(annotation: Any) -> str | None:
    """A fixed pair such as `tuple[int, int]` (a window, an interval): its SQL type."""
    if typing.get_origin(annotation) is tuple:
        arguments = typing.get_args(annotation)
        if len(arguments) == 2 and arguments[0] == arguments[1]:
            return _sql_type(arguments[0])
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def all_child_tables(children: list[Child]) -> Iterator[Child]:
    for child in children:
        yield child
        yield from all_child_tables(child.children)


# --- the plan and readiness ----------------------------------------------------------------------

def _c(name: str, sql_type: str, description: str, references: tuple[str, str] | None = None,
       choices: tuple[str, ...] = ()) -> Column:
    return Column(name, sql_type, description, references, choices)


def plan_tables() -> list[Table]:
    from basket.plan.umbrella_decision import CLASSIFICATIONS

    variant = _c("variant_id", "TEXT", "the variant", ("variant", "id"))
    guide_key = [_c("variant_id", "TEXT", "the variant"), _c("rank", "INTEGER", "the guide's rank")]
    return [
        Table("plan", "The umbrella decision per variant (`basket plan`)", [
            variant,
            _c("reason_code", "TEXT", "the decision in a short code (the `plan` table's first column)"),
            _c("disease_id", "TEXT", "its disease (declared, else the covered disease its gene causes)",
               ("disease", "id")),
            _c("change_class", "TEXT", "transition, transversion, indel, ..."),
            _c("correction", "TEXT", "the deaminase that reverts it: ABE or CBE (NULL: none)"),
            _c("classification", "TEXT", "platform, other_editor, other_modality, no_sequence or not_covered",
               choices=CLASSIFICATIONS),
            _c("editor", "TEXT", "the editor that corrects it (NULL: none)", ("editor", "name")),
            _c("in_umbrella", "INTEGER", "1 when the platform corrects it and its disease is covered"),
            _c("reason", "TEXT", "why, in sentences"),
            _c("sequence", "TEXT", "verified, unverified (window not checked against a reference), reference or none"),
        ], ("variant_id",)),
        Table("guide", "Every guide of the plan's editor for the variant, best first (`basket guides`)", [
            _c("variant_id", "TEXT", "the variant", ("plan", "variant_id")),
            _c("rank", "INTEGER", "1 is the plan's best guide"),
            _c("editor", "TEXT", "the editor", ("editor", "name")),
            _c("protospacer", "TEXT", "5'->3' on its strand"),
            _c("pam", "TEXT", "the PAM as found"),
            _c("strand", "TEXT", "+ or -", choices=("+", "-")),
            _c("start", "INTEGER", "first genomic position of the protospacer (1-based, start <= end)"),
            _c("end", "INTEGER", "last genomic position of the protospacer"),
            _c("pam_start", "INTEGER", "first genomic position of the PAM"),
            _c("pam_end", "INTEGER", "last genomic position of the PAM"),
            _c("target_position", "INTEGER", "the variant's protospacer position, from the PAM-distal end as 1"),
            _c("in_core_window", "INTEGER", "1 when that position is in the editor's core window"),
            _c("allele_specific", "INTEGER", "1 when the variant lies in the PAM-proximal seed"),
            _c("worst_consequence", "TEXT", "of its bystanders, alone and edited together (NULL: no bystander)"),
            _c("worst_protein_change", "TEXT", "the protein change of that worst outcome"),
            _c("score", "REAL", "the ranking score"),
        ], ("variant_id", "rank")),
        Table("guide_note", "Notes on a guide (assumptions of the sequence context)", [
            *guide_key, _c("position", "INTEGER", "1-based"), _c("note", "TEXT", "the note"),
        ], ("variant_id", "rank", "position"), ("guide", ("variant_id", "rank"), ("variant_id", "rank"))),
        Table("bystander", "Every other editable base in a guide's window, with its coding consequence", [
            *guide_key,
            _c("position", "INTEGER", "1-based order in the guide's list"),
            _c("genomic_position", "INTEGER", "1-based genomic position"),
            _c("c", "TEXT", "its c. position, where known"),
            _c("protospacer_position", "INTEGER", "from the PAM-distal end as 1"),
            _c("window", "TEXT", "core or extended"),
            _c("change", "TEXT", "on the protospacer strand"),
            _c("plus_strand_change", "TEXT", "on the + strand"),
            _c("coding_strand_change", "TEXT", "on the gene's coding strand"),
            _c("consequence", "TEXT", "synonymous, missense, nonsense, ..."),
            _c("protein_change", "TEXT", "p. notation, where known"),
        ], ("variant_id", "rank", "position"), ("guide", ("variant_id", "rank"), ("variant_id", "rank"))),
        Table("codon_outcome", "A codon holding several bystanders of a guide: the worst of their edits together", [
            *guide_key,
            _c("position", "INTEGER", "1-based order in the guide's list"),
            _c("codon", "INTEGER", "codon number, 1 = start codon"),
            _c("ref_codon", "TEXT", "the corrected codon, coding strand 5'->3'"),
            _c("alt_codon", "TEXT", "the codon after the worst combination of edits"),
            _c("consequence", "TEXT", "of that combination"),
            _c("protein_change", "TEXT", "p. notation, where known"),
            _c("combinations", "INTEGER", "how many combinations were tried (2^k - 1 for k bystanders)"),
        ], ("variant_id", "rank", "position"), ("guide", ("variant_id", "rank"), ("variant_id", "rank"))),
        Table("codon_outcome_base", "The bases edited together in a codon's worst outcome", [
            *guide_key,
            _c("outcome", "INTEGER", "the codon_outcome's position"),
            _c("position", "INTEGER", "1-based"),
            _c("genomic_position", "INTEGER", "1-based genomic position"),
            _c("c", "TEXT", "its c. position, where known"),
        ], ("variant_id", "rank", "outcome", "position"),
            ("codon_outcome", ("variant_id", "rank", "outcome"), ("variant_id", "rank", "position"))),
    ]


def readiness_tables() -> list[Table]:
    element_key = [_c("variant_id", "TEXT", "the variant"), _c("element", "INTEGER", "plausible-mechanism element 1-5")]
    listed = [_c("position", "INTEGER", "1-based")]
    parent = ("readiness_element", ("variant_id", "element"), ("variant_id", "element"))
    return [
        Table("readiness_rule", "The plausible-mechanism elements and the rule that decides each", [
            _c("element", "INTEGER", "1-5"),
            _c("title", "TEXT", "the element"),
            _c("rule", "TEXT", "what makes it met"),
        ], ("element",)),
        Table("readiness_element", "Each plausible-mechanism element per variant (`basket readiness`)", [
            _c("variant_id", "TEXT", "the variant", ("variant", "id")),
            _c("element", "INTEGER", "1-5", ("readiness_rule", "element")),
            _c("status", "TEXT", "met, partial, missing or not_yet_applicable",
               choices=("met", "partial", "missing", "not_yet_applicable")),
        ], ("variant_id", "element")),
        Table("readiness_missing", "What an element still lacks", [*element_key, *listed, _c("text", "TEXT", "")],
              ("variant_id", "element", "position"), parent),
        Table("readiness_evidence", "The evidence items and natural-history entries an element used",
              [*element_key, *listed, _c("item", "TEXT", "an evidence id or a natural-history id")],
              ("variant_id", "element", "position"), parent),
        Table("readiness_flag", "Warnings on an element (a document without a hash, ...)",
              [*element_key, *listed, _c("flag", "TEXT", "")], ("variant_id", "element", "position"), parent),
        Table("readiness_gate", "The umbrella's entry gate per variant", [
            _c("variant_id", "TEXT", "the variant", ("variant", "id")),
            _c("passed", "INTEGER", "1 when elements 1-4 are met, the platform corrects it and its disease is covered"),
            _c("must_pass", "INTEGER", "1 when marked for submission or already submitted or later"),
        ], ("variant_id",)),
        Table("readiness_gate_failure", "Why the gate is not passed", [
            _c("variant_id", "TEXT", "the variant"), *listed, _c("failure", "TEXT", ""),
        ], ("variant_id", "position"), ("readiness_gate", ("variant_id",), ("variant_id",))),
    ]


def meta_tables() -> list[Table]:
    return [
        Table("basket_meta", "What wrote the database", [
            _c("key", "TEXT", "schema_version, generator, umbrella"), _c("value", "TEXT", ""),
        ], ("key",)),
        Table("input_file", "The program files read, with their SHA-256", [
            _c("path", "TEXT", "relative to the program folder"), _c("sha256", "TEXT", ""),
        ], ("path",)),
    ]


SCHEMA_VERSION = "1"


def all_tables() -> list[Table]:
    """Every table, parents before children (the order they are created and filled in)."""
    tables: list[Table] = []
    for mapped in program_tables().values():
        tables.append(mapped.table)
        tables += [child.table for child in all_child_tables(mapped.children)]
    return tables + plan_tables() + readiness_tables() + meta_tables()


def schema_markdown() -> str:
    """docs/database.md: every table and column of `basket db`, from the definitions above."""
    lines = [
        "# The program as SQLite (`basket db`)",
        "",
        "`basket db PROGRAM -o program.sqlite` writes the program, its plan (guides and bystanders) and the",
        "readiness verdicts as the tables below, with primary and foreign keys (`PRAGMA foreign_keys=ON` to",
        "have SQLite enforce them while you edit). Same program, same bytes; written atomically. Open it with",
        "`sqlite3`, Datasette, pandas or any SQL tool. Generated from `basket/documents/database_schema.py`;",
        "program tables follow docs/program-format.md field by field (a nested object's fields are columns",
        "named after their path, a list is a child table keyed by its parent's key and the item's position;",
        "the key column of an ancestor is named `TABLE_COLUMN`, e.g. `variant_id`).",
        "",
        "For example, the variants inside the umbrella with their best guide:",
        "",
        "```sql",
        "SELECT v.id, v.gene, g.protospacer, g.pam, g.target_position",
        "FROM variant v JOIN plan p ON p.variant_id = v.id",
        "JOIN guide g ON g.variant_id = v.id AND g.rank = 1",
        "WHERE p.in_umbrella = 1;",
        "```",
        "",
    ]
    for table in all_tables():
        lines += [f"## `{table.name}`", "", table.description + ".", "",
                  (f"Primary key: ({', '.join(table.primary_key)})." if table.primary_key else "One row.") + (
                      f" Belongs to `{table.parent[0]}`." if table.parent else ""), "",
                  "| Column | Type | Refers to | Meaning |", "|---|---|---|---|"]
        for column in table.columns:
            target = f"`{column.references[0]}.{column.references[1]}`" if column.references else ""
            meaning = column.description.replace("|", "\\|")
            if column.choices:
                meaning += (" — " if meaning else "") + "one of " + ", ".join(f"`{c}`" for c in column.choices)
            lines.append(f"| `{column.name}` | {column.type} | {target} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
