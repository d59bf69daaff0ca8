"""`basket status PROGRAM VARIANT NEW_STATUS`: move a variant along the workflow, in its YAML file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli import EXIT_PROBLEMS, program_argument, reports_input_errors


@click.command("status")
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
    from basket.status import TransitionRefused, set_status

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


COMMANDS = [status]
