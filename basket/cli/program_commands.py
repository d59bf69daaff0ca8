"""`basket validate PROGRAM` (load and check a program, writing nothing) and `basket window PROGRAM
VARIANT...` (fetch sequence windows from the program's reference into its YAML)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import EXIT_PROBLEMS, ProgramFirst, fasta_option, program_argument, reports_input_errors, warn


@click.command()
@program_argument
@fasta_option
@reports_input_errors
def validate(program: Path, fasta: Path | None) -> None:
    """Check a program: YAML, fields, cross-references, HGVS and sequences. With a reference (the
    program's `reference:` or --fasta), every base of every window is compared with it.

    Also says what the statistical design will assume about each basket's natural-history control
    (count model, the rate's uncertainty) and which figures are missing for more.

    Example: basket validate configs/ucd-umbrella --fasta hg38.fa
    """
    from basket.api import validate_program
    from basket.stats.basket_design import design_notes

    loaded, reference, check = validate_program(program, fasta, warn)
    for problem in loaded.warnings:
        warn(str(problem))
    p = loaded.program
    click.echo(
        f"{program}: valid — {len(p.diseases)} diseases, {len(p.genes)} genes, {len(p.variants)} variants, "
        f"{len(p.patients)} patients, {len(p.evidence)} evidence items in {len(loaded.inputs)} files."
    )
    for note in design_notes(p):
        click.echo(f"natural-history control: {note}")
    windows = sum(v.window is not None for v in p.variants)
    if reference.fasta is None:
        if windows:
            click.echo(f"{windows} sequence window(s) not verified: no reference genome ({reference.unavailable}).")
        return
    click.echo(f"Reference {reference.label}: {check.windows_verified} of {windows} window(s) equal to it base "
               f"for base; {check.placed} variant(s) without a window placed on it.")
    for line in check.unverified:
        click.echo(f"not verified: {line}")


@click.command("window", cls=ProgramFirst)
@program_argument
@click.argument("variants", nargs=-1, metavar="VARIANT...")
@click.option("--all", "all_variants", is_flag=True, help="Every variant of the program.")
@fasta_option
@click.option("--force", is_flag=True, help="Replace a window that differs from the reference or is too narrow "
              "(comments inside the old block are lost).")
@click.option("--dry-run", is_flag=True, help="Show the changes as a diff; write nothing.")
@reports_input_errors
def window(program: Path, variants: tuple[str, ...], all_variants: bool, fasta: Path | None, force: bool,
           dry_run: bool) -> None:
    """Fetch each VARIANT's sequence window from the program's reference (or --fasta) and write it
    into the variant's YAML, with its provenance: build, FASTA file name, contig and sha256.

    The window spans the longest spacer + PAM of every editor in play (catalogue and program) on
    both sides of the variant. A window that already equals the reference and is wide enough is
    kept (missing provenance is added under it); one that differs is shown and left alone unless
    --force. Only the window blocks change: comments and formatting elsewhere are kept.

    Exit codes: 0 every window written or already right, 1 a window refused or a variant that
    could not be placed on the reference (no hgvs_g, contig missing), 2 bad input (nothing written).

    Example: basket window configs/ucd-umbrella --all --fasta hg38.fa
    """
    from basket.program.window_fetch import update_windows

    update = update_windows(program, list(variants), all_variants, fasta, force, dry_run)
    for result in update.results:
        where = f" ({result.file}:{result.line})" if result.file and result.action != "skipped" else ""
        click.echo(f"{result.variant}: {result.action}{where}: {result.message}")
        if result.diff and (dry_run or result.action == "refused"):
            click.echo(result.diff, nl=False)
    changed = sum(r.action in ("added", "replaced", "provenance") for r in update.results)
    if dry_run:
        click.echo(f"dry run: {changed} window(s) would change; nothing was written.")
    else:
        click.echo(f"{changed} window(s) written into {len(update.written)} file(s) from {update.reference}; "
                   f"each spans {update.reach} bases either side of its variant.")
    if update.problems:
        sys.exit(EXIT_PROBLEMS)


COMMANDS = [validate, window]
