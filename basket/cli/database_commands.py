"""`basket db PROGRAM -o program.sqlite`: the program, plan and readiness as SQLite tables."""

from __future__ import annotations

from pathlib import Path

import click

from basket.cli.options import (
    DEFAULT_OUTPUT,
    check_output,
    fasta_option,
    program_argument,
    reports_input_errors,
    warn,
)


@click.command("db")
@program_argument
@fasta_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_OUTPUT / "program.sqlite", show_default=True,
              help="SQLite file to write (replaced atomically).")
@reports_input_errors
def db(program: Path, fasta: Path | None, output: Path) -> None:
    """Write the program, its plan (guides, bystanders) and readiness as normalised SQLite tables
    with foreign keys, for SQL, Datasette or pandas. The schema is in docs/database.md.

    Example: basket db configs/ucd-umbrella -o ucd.sqlite && sqlite3 ucd.sqlite "SELECT * FROM plan"
    """
    from basket.api import database_to
    from basket.editing.reference_fasta import reference_files

    inputs = (program, *reference_files(fasta))
    check_output(output, inputs)
    counts = database_to(program, output, fasta, warn)
    click.echo(f"wrote {output}: {sum(counts.values()):,} rows in {len(counts)} tables "
               f"({counts['variant']:,} variants, {counts['guide']:,} guides, {counts['bystander']:,} bystanders)")


COMMANDS = [db]
