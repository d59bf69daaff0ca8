"""`basket readiness PROGRAM`: the plausible-mechanism readiness matrix and the entry gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli import EXIT_PROBLEMS, emit, fasta_option, program_argument, reports_input_errors, select_option

FORMATS = ("table", "csv", "md", "html", "json")


@click.command("readiness")
@program_argument
@select_option
@fasta_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@reports_input_errors
def readiness(program: Path, selectors: tuple[str, ...], fasta: Path | None, fmt: str, output: Path | None) -> None:
    """Show, per variant and plausible-mechanism element, met / partial / missing / not yet applicable,
    the rule that decided it and what is missing.

    Exit 1 when a variant marked `submit: true`, or already submitted or later, fails the entry gate
    (elements 1-4 met, correctable by the platform, disease covered, adequate natural history).

    Example: basket readiness configs/ucd-umbrella --format html -o readiness.html
    """
    from basket.api import plan_program
    from basket.readiness import assess
    from basket.readiness_report import readiness_output

    loaded, plan = plan_program(program, selectors, fasta)
    report = assess(loaded, plan)
    emit(readiness_output(report, fmt), output)
    if report.blocking:
        names = ", ".join(v.variant for v in report.blocking)
        click.echo(f"gate failed for a variant that must pass: {names}", err=True)
        sys.exit(EXIT_PROBLEMS)


COMMANDS = [readiness]
