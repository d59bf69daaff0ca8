"""`basket diff OLD NEW` (an amendment summary, the ICH M11 "overview of changes", between two
program versions) and `basket verify OUT` (re-hash rendered outputs against OUT/manifest.json)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import EXIT_PROBLEMS, check_output, emit, reports_input_errors


@click.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path), metavar="OLD")
@click.argument("new", type=click.Path(exists=True, path_type=Path), metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the summary to this file (atomically) instead of standard output.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are differences (as `git diff --exit-code`).")
@reports_input_errors
def diff(old: Path, new: Path, fmt: str, output: Path | None, exit_code: bool) -> None:
    """Compare two program directories (or two manifest.json files / render directories) and write an
    ICH M11-style overview of changes: section, what changed, why it matters, affected appendices.

    Exit codes: 0 compared (differences or not), 1 differences found with --exit-code, 2 bad input.

    Example: basket diff old-program/ configs/ucd-umbrella -o amendment.md
    """
    from basket.changes.amendment_report import diff_output
    from basket.changes.program_diff import diff_paths

    check_output(output, (old, new))
    result = diff_paths(old, new)
    emit(diff_output(result, fmt), output, f"wrote {output} ({len(result.changes)} change(s))", (old, new))
    if exit_code and not result.empty:
        sys.exit(EXIT_PROBLEMS)


@click.command("verify")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path), metavar="OUT")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_input_errors
def verify(out: Path, fmt: str) -> None:
    """Check that every output listed in OUT/manifest.json is unchanged, and that nothing unlisted was added.

    Exit codes: 0 identical, 1 any file changed, missing or extra, 2 no (valid) manifest.

    Example: basket verify out
    """
    from basket.changes.output_verification import verify_output, verify_outputs

    report = verify_outputs(out)
    click.echo(verify_output(report, fmt), nl=False)
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


COMMANDS = [diff, verify]
