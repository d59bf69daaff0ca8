"""`basket verify OUT`: re-hash rendered outputs against OUT/manifest.json."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli import EXIT_PROBLEMS, reports_input_errors


@click.command("verify")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), metavar="OUT")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_input_errors
def verify(out: Path, fmt: str) -> None:
    """Check that every output listed in OUT/manifest.json is unchanged, and that nothing unlisted was added.

    Exit codes: 0 identical, 1 any file changed, missing or extra, 2 no (valid) manifest.

    Example: basket verify out
    """
    from basket.verify import verify_output, verify_outputs

    report = verify_outputs(out)
    click.echo(verify_output(report, fmt), nl=False)
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


COMMANDS = [verify]
