"""`basket offtargets`: in-silico off-target nomination for a variant's guide."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from basket.cli.options import ProgramFirst, check_output, emit, program_argument, reports_input_errors

TABLE_COLUMNS = ("rank", "contig", "start", "end", "strand", "pam", "mismatches", "bulges", "guide_alignment", "site_alignment",
                 "editable_bases", "origin", "variants", "gene", "region")

_existing_file = click.Path(dir_okay=False, exists=True, path_type=Path)


@click.command(cls=ProgramFirst)
@program_argument
@click.argument("variant")
@click.option("--guide", help="Protospacer to search (5'->3', the editor's spacer length); default: the "
                              "plan's best guide for VARIANT.")
@click.option("--mismatches", "-k", default=4, show_default=True, type=int, help="At most this many mismatches.")
@click.option("--bulges", "-b", default=1, show_default=True, type=int,
              help="At most this many bulges (DNA or RNA, one unpaired base each).")
@click.option("--noncanonical-pams/--canonical-pams-only", default=False, show_default=True,
              help="Also search the editor's weaker PAMs (from the catalogue, with their source).")
@click.option("--fasta", type=_existing_file, help="Genome FASTA (plain or gzip/bgzip) to search; default: the "
              "program's `reference:`. The guide is the plan's, made on the program's reference.")
@click.option("--build", help="Reference build recorded in the output header, e.g. GRCh38; default: the program's.")
@click.option("--vcf", type=_existing_file, help="The patient's VCF: sites their alleles create, change or destroy.")
@click.option("--sample", help="VCF sample column to use (default: the first).")
@click.option("--annotation", type=_existing_file, help="GTF/GFF or BED: label sites by gene and exon/intron/intergenic.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every site to FILE.tsv or FILE.json (written whole at the end, or not at all).")
@click.option("--top", default=20, show_default=True, help="Sites to print when no --output is given.")
@click.option("--progress/--no-progress", default=True, help="Progress bar with ETA on stderr.")
@reports_input_errors
def offtargets(program: Path, variant: str, guide: str | None, mismatches: int, bulges: int,
               noncanonical_pams: bool, fasta: Path | None, build: str | None, vcf: Path | None,
               sample: str | None, annotation: Path | None, output: Path | None, top: int, progress: bool) -> None:
    """Nominate off-target sites of VARIANT's guide: every site on both strands of every contig with
    at most --mismatches mismatches and --bulges bulges next to a PAM of the editor, with the editable
    bases in the editor's window there. Coordinates are 1-based, inclusive, plus strand.

    Example: basket offtargets configs/ucd-umbrella CPS1-Q335X --fasta GRCh38.fa --build GRCh38
    --vcf patient.vcf.gz -o q335x-offtargets.tsv
    """
    from basket.api import OffTargetRequest, offtargets_for
    from basket.editing.reference_fasta import reference_files
    from basket.offtargets.report import render

    inputs = (program, *reference_files(fasta), vcf, annotation)
    check_output(output, inputs)  # an output that is an input is the graver mistake: said first
    if output is not None and output.suffix.lower() not in (".tsv", ".json"):
        click.echo(f"--output: {output}: name a .tsv or .json file", err=True)
        sys.exit(2)
    request = OffTargetRequest(guide, mismatches, bulges, noncanonical_pams, fasta, build, vcf, sample, annotation)
    with _progress_bar(progress) as advance:
        report = offtargets_for(program, variant, request, advance)
    counts = report.header["summary"]
    said = (f"{counts['sites']} sites ({counts['patient_specific']} patient-specific, "
            f"{counts['with_editable_bases_in_core_window']} with editable bases in the core window)")
    if output is None:
        _print_top(report, top)
        click.echo(said, err=True)
        return
    emit(render(report, output), output, f"wrote {output}: {said}", inputs)


class _progress_bar:
    """A click progress bar fed (done, total) in bytes of the FASTA; nothing when disabled."""

    def __init__(self, enabled: bool):
        self.bar = click.progressbar(length=1, label="searching", file=sys.stderr, show_eta=True) if enabled else None
        self.done = 0

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        return self.advance

    def advance(self, done: int, total: int) -> None:
        self.bar.length = max(total, 1)
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _print_top(report, top: int) -> None:
    from basket.foundation.text_tables import to_table

    rows = report.rows[:top]
    if not rows:
        click.echo("no site within the limits")
        return
    click.echo(to_table(rows, TABLE_COLUMNS), nl=False)


COMMANDS = [offtargets]
