"""`basket export`: the program in another standard's shape (`basket export usdm`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_PROBLEMS,
    check_output,
    fasta_option,
    program_argument,
    reports_input_errors,
)


@click.group()
def export() -> None:
    """Export the program in another standard's format (the graph: `basket graph export`)."""


@export.command("usdm")
@program_argument
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="JSON file to write ('-' for standard output).")
@click.option("--validate/--no-validate", default=False, show_default=True,
              help="Run usdm4's rules library on the study; exit 1 if a rule fails.")
@fasta_option
@reports_input_errors
def export_usdm(program: Path, output: Path, validate: bool, fasta: Path | None) -> None:
    """Write the umbrella as a CDISC USDM v4 study: one study version for the master protocol and
    one study design per intervention-specific appendix. A program USDM cannot express (a missing
    identifier, objective, planned age ...) is reported as file:line with what USDM needs, exit 2,
    and nothing is written.

    Example: basket export usdm configs/ucd-umbrella -o study.json --validate
    """
    from basket.api import export_usdm as export
    from basket.usdm.terminology import USDM4_INSTALL, usdm4_installed

    if not usdm4_installed():
        click.echo(f"error: the usdm4 package is not installed; install it with `{USDM4_INSTALL}`", err=True)
        sys.exit(EXIT_BAD_INPUT)
    to_stdout = str(output) == "-"
    check_output(output, (program, fasta))
    result = export(program, None if to_stdout else output, fasta, validate)
    if to_stdout:
        sys.stdout.buffer.write(result.data)
    else:
        click.echo(f"wrote {output} (USDM v4, {result.designs} study design{'s' if result.designs != 1 else ''})")
    if result.conformance is not None:
        click.echo(result.conformance.summary(), err=to_stdout)
        if not result.conformance.passed:
            sys.exit(EXIT_PROBLEMS)


COMMANDS = [export]
