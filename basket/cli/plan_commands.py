"""`basket plan`, `basket guides`, `basket editors`: the umbrella decision and the guides behind it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from basket.cli.options import (
    EXIT_PROBLEMS,
    ProgramFirst,
    check_output,
    emit,
    fasta_option,
    format_option,
    output_format,
    program_argument,
    reports_input_errors,
    select_option,
    table_width,
    warn,
    wide_option,
)
from basket.foundation.text_tables import to_csv, to_json, to_markdown, to_table

PLAN_COLUMNS = ("reason_code", "variant", "gene", "disease", "hgvs_c", "change_class", "correction",
                "classification", "editor", "in_umbrella", "sequence", "reason")
# The terminal table: the reason code says the class and classification in a word; csv/json/md have all.
TABLE_COLUMNS = ("reason_code", "variant", "gene", "correction", "in_umbrella", "sequence", "reason")


PLAN_FORMATS = {"table": (".txt",), "csv": (".csv",), "json": (".json",), "md": (".md",)}


@click.command()
@program_argument
@select_option
@fasta_option
@format_option(PLAN_FORMATS, "table")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--guides/--no-guides", default=False, help="Include every candidate guide in JSON output.")
@wide_option
@reports_input_errors
def plan(program: Path, selectors: tuple[str, ...], excluded: tuple[str, ...], fasta: Path | None, fmt: str | None,
         output: Path | None, guides: bool, wide: bool) -> None:
    """Decide, per variant, whether the platform corrects it and whether it sits in the umbrella.

    Each row leads with a short reason code (platform, other_editor, no_guide, transversion, indel,
    other_change, no_sequence, no_position, no_contig, not_covered); the full reason follows.
    The sequence column says whether a window was verified against the reference.

    Example: basket plan configs/ucd-umbrella --format json

    Example: basket plan configs/ucd-umbrella --select "gene:OTC gene:CPS1" --exclude in_umbrella:yes

    Example: basket plan configs/ucd-umbrella -o plan.csv
    """
    from basket.api import plan_program
    from basket.editing.reference_fasta import reference_files

    inputs = (program, *reference_files(fasta))
    check_output(output, inputs)  # first: writing over an input is the graver mistake
    fmt = output_format(fmt, output, PLAN_FORMATS, "table")
    _, the_plan = plan_program(program, selectors, fasta, excluded, warn)
    width = table_width(wide) if output is None else None
    emit(plan_output(the_plan, fmt, with_guides=guides, width=width), output, inputs=inputs)


@click.command(cls=ProgramFirst)
@program_argument
@click.argument("variant")
@fasta_option
@click.option("--editor", help="Editor name (program or built-in catalogue); default: the platform's.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@wide_option
@reports_input_errors
def guides(program: Path, variant: str, fasta: Path | None, editor: str | None, fmt: str, wide: bool) -> None:
    """List every guide that places VARIANT's base in the editor's window, best first.

    When there is none, the real reason is printed (no sequence searched, a transversion or indel,
    the wrong deaminase, no PAM in reach) and the exit code is 1.

    Example: basket guides configs/ucd-umbrella CPS1-Q335X --format json
    """
    from basket.api import guides_for

    search = guides_for(program, variant, editor, fasta, warn)
    click.echo(guides_output(search.guides, fmt, table_width(wide)), nl=False)
    if not search.guides:
        click.echo(f"no guide ({search.reason_code}): {search.reason}", err=True)
        sys.exit(EXIT_PROBLEMS)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@wide_option
def editors(fmt: str, wide: bool) -> None:
    """List the built-in editor catalogue with sources.

    Example: basket editors --format json
    """
    from basket.editing.editors import load_catalogue

    click.echo(editors_output(list(load_catalogue().values()), fmt, table_width(wide)), nl=False)


def plan_output(plan, fmt: str, with_guides: bool = False, width: int | None = None) -> str:
    rows = [item.to_dict(with_guides=with_guides) for item in plan.variants]
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, PLAN_COLUMNS)
    if fmt == "md":
        return to_markdown(rows, PLAN_COLUMNS)
    table = to_table(rows, TABLE_COLUMNS, width, cut=("reason",))
    unverified = f"; {len(plan.unverified)} window(s) not verified" if plan.unverified else ""
    return (table + f"\n{len(plan.inside)} of {len(plan.variants)} variants inside the umbrella.\n"
            f"Reference: {plan.reference}{unverified}.\n")


GUIDE_COLUMNS = ("rank", "protospacer", "pam", "strand", "start", "end", "target_position", "in_core_window",
                 "allele_specific", "bystanders")


def guides_output(guides: list[dict[str, Any]], fmt: str, width: int | None = None) -> str:
    if fmt == "json":
        return to_json(guides)
    rows = [{**g, "rank": i + 1, "bystanders": _bystander_summary(g["bystanders"])} for i, g in enumerate(guides)]
    if fmt == "csv":
        return to_csv(rows, GUIDE_COLUMNS)
    if not rows:
        return ""
    return to_table(rows, GUIDE_COLUMNS, width, cut=("bystanders",))


def _bystander_summary(bystanders: list[dict[str, Any]]) -> str:
    return "; ".join(f"{b['c'] or b['position']} {b['consequence']}" for b in bystanders) or "none"


def editors_output(editors: list, fmt: str, width: int | None = None) -> str:
    rows = [e.model_dump(mode="json") for e in editors]
    if fmt == "json":
        return to_json(rows)
    rows = [{**row, "pams": ", ".join(row["pams"]), "core_window": _span(row["core_window"]),
             "extended_window": _span(row["extended_window"])} for row in rows]
    return to_table(rows, ("name", "deaminase", "cas_variant", "pams", "core_window", "extended_window",
                           "spacer_length", "source"), width, cut=("cas_variant", "source"))


def _span(window: list[int] | None) -> str:
    return f"{window[0]}-{window[1]}" if window else ""


COMMANDS = [plan, guides, editors]
