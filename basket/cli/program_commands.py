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

    Also says what the statistical design will assume about each basket's natural-history control
    (count model, the rate's uncertainty) and which figures are missing for more.

    Example: basket validate configs/ucd-umbrella
    """
    from basket.program.load import load_program
    from basket.stats.basket_design import design_notes

    loaded = load_program(program)
    p = loaded.program
    click.echo(
        f"{program}: valid — {len(p.diseases)} diseases, {len(p.genes)} genes, {len(p.variants)} variants, "
        f"{len(p.patients)} patients, {len(p.evidence)} evidence items in {len(loaded.inputs)} files."
    )
    for note in design_notes(p):
        click.echo(f"natural-history control: {note}")


COMMANDS = [validate]
