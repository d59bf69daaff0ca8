"""`basket screen`: classify a table or VCF of variants against a reference FASTA."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import check_output, reports_input_errors


@click.command()
@click.argument("variants", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--fasta", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Reference FASTA (indexed with samtools faidx, or indexed on first use).")
@click.option("--editor", "editor_names", multiple=True, metavar="NAME",
              help="Platform editor, then alternatives (repeatable). Default: PROGRAM's platform editor, "
                   "or ABE8e; the rest of the catalogue are alternatives.")
@click.option("--program", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Program whose platform editor and own editors to use.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Table to write (.tsv or .csv).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@reports_input_errors
def screen(variants: Path, fasta: Path, editor_names: tuple[str, ...], program: Path | None, output: Path,
           progress: bool) -> None:
    """Classify every variant in a TSV/CSV/VCF: platform editor, another editor, or another modality.

    TSV/CSV columns: chrom, pos (1-based), ref, alt (+ strand); optional id, strand, c_pos.

    Example: basket screen variants.vcf --fasta hg38.fa --editor ABE8e -o screen.tsv
    """
    from basket.editing.reference_fasta import reference_files
    from basket.editing.screen import ScreenInputError, write_table
    from basket.editing.screen import screen as run_screen

    inputs = (variants, *reference_files(fasta), program)
    check_output(output, inputs)
    editors = _editors(editor_names, program)
    bar = click.progressbar(length=1, label="screening", file=sys.stderr) if progress else None
    seen = {"done": 0}

    def advance(done: int, total: int) -> None:
        if bar is not None:
            bar.length = total
            bar.update(done - seen["done"])
            seen["done"] = done

    try:
        rows = list(run_screen(variants, fasta, editors, progress=advance))
    except ScreenInputError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"error: {len(error.problems)} problem(s); nothing was written.", err=True)
        sys.exit(2)
    finally:
        if bar is not None:
            bar.render_finish()
    write_table(rows, output, inputs=inputs)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"wrote {len(rows)} rows to {output} ({summary or 'no variants'})")


def _editors(names: tuple[str, ...], program: Path | None) -> list:
    from basket.editing.editors import load_catalogue

    catalogue = load_catalogue()
    platform_name = "ABE8e"
    if program is not None:
        from basket.program.load import load_program

        loaded = load_program(program)
        catalogue = loaded.program.editors_by_name
        platform_name = loaded.program.platform.editor
    unknown = [n for n in names if n not in catalogue]
    if unknown:
        click.echo(f"error: unknown editor {', '.join(unknown)}; known: {', '.join(sorted(catalogue))}", err=True)
        sys.exit(2)
    chosen = list(names) or [platform_name]
    rest = [name for name in sorted(catalogue) if name not in chosen] if len(chosen) == 1 else []
    return [catalogue[n] for n in chosen + rest]


COMMANDS = [screen]
