"""`basket readiness PROGRAM` (the plausible-mechanism readiness matrix and the entry gate) and
`basket status PROGRAM VARIANT NEW_STATUS` (move a variant along the workflow, in its YAML file)."""

from __future__ import annotations

import sys
from pathlib import Path

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

FORMATS = {"table": (".txt",), "csv": (".csv",), "md": (".md",), "html": (".html", ".htm"), "json": (".json",)}


@click.command("readiness")
@program_argument
@select_option
@fasta_option
@format_option(FORMATS, "table")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when a variant that must pass the gate fails it (the failure is still printed).")
@wide_option
@reports_input_errors
def readiness(program: Path, selectors: tuple[str, ...], excluded: tuple[str, ...], fasta: Path | None,
              fmt: str | None, output: Path | None, exit_zero: bool, wide: bool) -> None:
    """Show, per variant and plausible-mechanism element, met / partial / missing / not yet applicable,
    the rule that decided it and what is missing.

    Exit 1 when a variant marked `submit: true`, or already submitted or later, fails the entry gate
    (elements 1-4 met, correctable by the platform, disease covered, adequate natural history);
    --exit-zero reports it and exits 0, to write a report without failing a script.

    Example: basket readiness configs/ucd-umbrella -o readiness.html
    """
    from basket.api import plan_program
    from basket.documents.readiness_report import readiness_output
    from basket.editing.reference_fasta import reference_files
    from basket.evidence.readiness_rules import assess

    inputs = (program, *reference_files(fasta))
    check_output(output, inputs)  # first: writing over an input is the graver mistake
    fmt = output_format(fmt, output, FORMATS, "table")
    loaded, plan = plan_program(program, selectors, fasta, excluded, warn)
    report = assess(loaded, plan)
    width = table_width(wide) if output is None else None
    emit(readiness_output(report, fmt, width), output, inputs=inputs)
    if report.blocking:
        names = ", ".join(v.variant for v in report.blocking)
        click.echo(f"gate failed for a variant that must pass: {names}", err=True)
        if not exit_zero:
            sys.exit(EXIT_PROBLEMS)


@click.command("status", cls=ProgramFirst)
@program_argument
@click.argument("variant")
@click.argument("new_status", metavar="NEW_STATUS")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@reports_input_errors
def status(program: Path, variant: str, new_status: str, dry_run: bool) -> None:
    """Set VARIANT's workflow status, editing only that line of its YAML file (comments kept).

    proposed → assessed → appendix_drafted → submitted → cleared → dosed → follow_up.
    One step forward at a time; one step back only before submission is answered
    (assessed → proposed, appendix_drafted → assessed, submitted → appendix_drafted).
    Entering submitted requires the readiness entry gate.

    Exit codes: 0 changed (or already in that status), 1 refused (the reason is printed),
    2 bad input (invalid program, unknown variant or status).

    Example: basket status configs/ucd-umbrella OTC-R40H assessed
    """
    from basket.evidence.status_workflow import TransitionRefused, set_status

    try:
        change = set_status(program, variant, new_status, dry_run=dry_run)
    except TransitionRefused as refusal:
        click.echo(f"refused: {refusal}", err=True)
        click.echo("nothing was written.", err=True)
        sys.exit(EXIT_PROBLEMS)
    if not change.changed:
        click.echo(f"{change.variant} is already {change.new}; nothing was written.")
    elif not change.written:
        click.echo(change.diff, nl=False)
        click.echo(f"{change.variant}: {change.old} → {change.new} (dry run; nothing was written)")
    else:
        click.echo(f"{change.variant}: {change.old} → {change.new} ({change.file}:{change.line})")


COMMANDS = [readiness, status]
