"""`basket diff OLD NEW` (an amendment summary, the ICH M11 "overview of changes", between two
program versions) and `basket verify OUT` (re-hash rendered outputs against OUT/manifest.json, or
compare them byte for byte with a fresh render of a program, `--against PROGRAM`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import EXIT_PROBLEMS, check_output, emit, fasta_option, reports_input_errors
from basket.foundation.problems import InputError, Problem


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
@click.option("--against", type=click.Path(file_okay=False, exists=True, path_type=Path), metavar="PROGRAM",
              help="Render PROGRAM again, as OUT/manifest.json records (formats, variants, templates, reference, focus), "
                   "in a temporary folder and compare every file byte for byte, manifest.json included.")
@fasta_option
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="With --against: the user templates the render used (checked against their recorded sha256).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_input_errors
def verify(out: Path, against: Path | None, fasta: Path | None, templates: Path | None, fmt: str) -> None:
    """Check that OUT's files (a `basket render` folder or a `basket docs` site) are unchanged since
    basket wrote them, or (--against) that they are what PROGRAM renders.

    Without --against, every output OUT/manifest.json lists is re-hashed and any unlisted file reported.
    That proves the files are unchanged since the manifest was written, if the manifest itself is trusted
    (kept apart, signed, or compared with a copy). It cannot prove that the manifest or the documents
    came from any program: whoever edits a document can write its new sha256 into the manifest.

    --against PROGRAM renders PROGRAM again with the options the manifest records into a temporary
    folder (removed afterwards) and compares every file byte for byte, manifest.json included. Renders
    are deterministic, so a match proves OUT is exactly what PROGRAM renders, with the same basket,
    Graphviz and (for PDF) WeasyPrint and fonts; a different version is noted beside the differences.
    Give the user templates again with --templates and the genome with --fasta (unless the program's
    reference is the recorded one); what cannot be given again is reported, exit 2.

    Exit codes: 0 identical, 1 any file changed, missing or extra, 2 no (valid) manifest, a bad
    PROGRAM, or a render that cannot be made again.

    \b
    Example: basket verify out/protocol
    Example: basket verify out/protocol --against configs/ucd-umbrella
    """
    from basket.changes.output_verification import verify_output, verify_outputs

    if against is None:
        for option, given in (("--fasta", fasta), ("--templates", templates)):
            if given is not None:
                raise InputError([Problem(option, 0, "", "used only with --against PROGRAM")])
        report = verify_outputs(out)
    else:
        from basket.api import verify_against

        report = verify_against(out, against, fasta, templates)
    click.echo(verify_output(report, fmt), nl=False)
    if not report.ok:
        sys.exit(EXIT_PROBLEMS)


COMMANDS = [diff, verify]
