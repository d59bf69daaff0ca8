"""`basket validate PROGRAM`: load and check a program, writing nothing."""

from __future__ import annotations

from pathlib import Path

import click

from basket.cli.options import program_argument, reports_input_errors


@click.command()
@program_argument
@reports_input_errors
def validate(program: Path) -> None:
    """Check a program: YAML, fields, cross-references, HGVS and sequences.

    Example: basket validate configs/ucd-umbrella
    """
    from basket.program.load import load_program

    loaded = load_program(program)
    p = loaded.program
    click.echo(
        f"{program}: valid — {len(p.diseases)} diseases, {len(p.genes)} genes, {len(p.variants)} variants, "
        f"{len(p.patients)} patients, {len(p.evidence)} evidence items in {len(loaded.inputs)} files."
    )


COMMANDS = [validate]
