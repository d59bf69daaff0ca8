"""`basket init DIR` (a new program, every section commented) and `basket add variant|patient|evidence`
(append one entry to the program's YAML, comments and layout kept).

`basket add` has one option per plain field of the item (`--hgvs-c` for `hgvs_c`); a test checks that
the options follow the model. Nested parts are written by hand or by their own command (`basket window`
for a variant's sequence window); a patient's alleles (`--allele VARIANT[:ORIGIN]`) and an evidence
item's measures (`--measure NAME=VALUE`) have their own syntax. Values are checked by the model, so a
misspelt status or kind gets the same did-you-mean as in a YAML file, named after its option.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from basket.cli.options import program_argument, reports_input_errors


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path), metavar="DIR")
@reports_input_errors
def init(directory: Path) -> None:
    """Start a new program in DIR (new or empty): one commented YAML file per section that validates
    at once. Placeholders are marked EXAMPLE; the one disease and gene an umbrella needs are the bundled
    example's, with their sources. `umbrella.yaml` marks the folder: inside it, PROGRAM may be left out.

    Example: basket init my-umbrella && cd my-umbrella && basket validate
    """
    from basket.program.scaffold import init_program

    written = init_program(directory)
    click.echo(f"created {directory} ({len(written)} files): {', '.join(p.name for p in written)}")
    click.echo("next: replace the values marked EXAMPLE, then `basket validate`; add variants with `basket add variant`")


@click.group("add")
def add() -> None:
    """Append a variant, patient or evidence item to a program's YAML (comments and layout kept)."""


dry_run_option = click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
notes_option = click.option("--notes", help="Free text.")
source_option = click.option("--source", help="Where the facts come from (required).")


@add.command("variant")
@program_argument
@click.option("--id", "id_", help="The variant's id, e.g. CPS1-Q335X (required).")
@click.option("--gene", help="Gene symbol, defined in the program (required).")
@click.option("--hgvs-c", help="HGVS c. description on the gene's transcript (required).")
@click.option("--hgvs-p", help="HGVS p. description.")
@click.option("--hgvs-g", help="HGVS g. description (needed to fetch its sequence from a reference).")
@click.option("--disease", help="Disease id, when the gene causes more than one covered disease.")
@click.option("--consequence", help="nonsense, missense, synonymous, splice, frameshift, ...")
@click.option("--clinvar", help="ClinVar accession (RCV, VCV or SCV).")
@click.option("--classification", help="ACMG classification: pathogenic, likely pathogenic, ...")
@click.option("--status", help="Workflow status (default proposed).")
@click.option("--submit/--no-submit", default=None, help="Marked for submission: must pass the entry gate.")
@notes_option
@source_option
@dry_run_option
@reports_input_errors
def add_variant(program: Path, dry_run: bool, **fields: Any) -> None:
    """Append a variant after the program's last one (in its file). The program must still validate,
    else nothing is written.

    Example: basket add variant --id CPS1-E714X --gene CPS1 --hgvs-c "NM_001875.5:c.2140G>T" --source "NEJM 2025;392:2235-43"
    """
    _append(program, "variants", "variant", _fields(fields), {}, dry_run)


@add.command("patient")
@program_argument
@click.option("--id", "id_", help="Pseudonymous id such as PT-004 (required).")
@click.option("--disease", help="Disease id (required).")
@click.option("--allele", multiple=True, metavar="VARIANT[:ORIGIN]",
              help="A variant carried, with maternal, paternal, de novo or unknown (one or two; required).")
@click.option("--zygosity", help="homozygous, compound heterozygous, heterozygous or hemizygous.")
@click.option("--status", help="candidate, screening, enrolled, dosed, follow_up or withdrawn (default candidate).")
@notes_option
@dry_run_option
@reports_input_errors
def add_patient(program: Path, allele: tuple[str, ...], dry_run: bool, **fields: Any) -> None:
    """Append a patient after the program's last one (in its file): a pseudonymous id and the alleles
    carried only. The program must still validate, else nothing is written.

    Example: basket add patient --id PT-004 --disease OMIM:237300 --allele CPS1-Q335X:paternal --allele CPS1-E714X:maternal
    """
    entry = _fields(fields)
    if allele:
        entry["genotype"] = [_allele(text) for text in allele]
    _append(program, "patients", "patient", entry, {"genotype": "--allele"}, dry_run)


def _allele(text: str) -> dict[str, str]:
    variant, colon, origin = text.partition(":")
    return {"variant": variant, "origin": origin} if colon else {"variant": variant}


@add.command("evidence")
@program_argument
@click.option("--id", "id_", help="The item's id (required).")
@click.option("--element", type=int, help="Plausible-mechanism element 1-5 (required).")
@click.option("--kind", help="genotype_confirmation, in_vitro_editing, humanized_mouse, ... (required).")
@click.option("--subject", help="variant:ID, disease:ID, platform:ID or gene:SYMBOL (required).")
@click.option("--status", help="complete, partial or planned (default complete).")
@click.option("--method", help="How it was obtained, e.g. an off-target nomination method.")
@click.option("--result", help="What it shows, in a sentence (required).")
@click.option("--measure", multiple=True, metavar="NAME=VALUE", help="A number the item reports (repeatable).")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD.")
@click.option("--document", help="Path of the report inside the program folder; its SHA-256 is recorded.")
@click.option("--sha256", help="The document's SHA-256 (default: computed from the document).")
@source_option
@dry_run_option
@reports_input_errors
def add_evidence(program: Path, measure: tuple[str, ...], dry_run: bool, **fields: Any) -> None:
    """Append an evidence item after the program's last one (in its file). The program must still
    validate, else nothing is written.

    Example: basket add evidence --id EV-1 --element 2 --kind in_vitro_editing --subject variant:CPS1-Q335X --result "what it shows" --document documents/ev-1.pdf --source "the report's citation"
    """
    entry = _fields(fields)
    if measure:
        entry["measures"] = _measures(measure)
    document = entry.get("document")
    if isinstance(document, str) and "sha256" not in entry and (program / document).is_file():
        import hashlib

        entry["sha256"] = hashlib.sha256((program / document).read_bytes()).hexdigest()
    _append(program, "evidence", "evidence item", entry, {"measures": "--measure"}, dry_run)


def _measures(measures: tuple[str, ...]) -> dict[str, float]:
    from basket.foundation.problems import InputError, Problem

    values: dict[str, float] = {}
    for text in measures:
        name, _, number = text.partition("=")
        try:
            values[name.strip()] = float(number)
        except ValueError:
            raise InputError([Problem("--measure", 0, "", f"{text!r} is not NAME=NUMBER, e.g. editing_percent=60.5")]
                             ) from None
    return values


def _fields(given: dict[str, Any]) -> dict[str, Any]:
    """The options given, as the entry's fields."""
    entry = {}
    for name, value in given.items():
        if value is None:
            continue
        entry["id" if name == "id_" else name] = value.date() if isinstance(value, dt.datetime) else value
    return entry


def _append(program: Path, section: str, noun: str, entry: dict[str, Any], options: dict[str, str],
            dry_run: bool) -> None:
    from basket.program.append_entry import append_entry
    from basket.program.model import Program, field_types
    from basket.program.validation_messages import model_at

    order = list(field_types(model_at((section, 0)) or Program))  # fields as the model lists them
    entry = dict(sorted(entry.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))
    option_of = {name: f"--{name.replace('_', '-')}" for name in entry} | options
    done = append_entry(program, section, entry, option_of, dry_run)
    if not done.written:
        click.echo(done.diff, nl=False)
        click.echo(f"{noun} {done.key} would be added at {done.file}:{done.line} (dry run; nothing was written)")
    else:
        click.echo(f"added {noun} {done.key} at {done.file}:{done.line}")


COMMANDS = [init, add]
