"""`basket render` (protocol documents), `basket docs` (static site with the graph viewer) and
`basket picture` (a Graphviz picture of the program graph)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from basket.cli.options import (
    DEFAULT_OUTPUT,
    EXIT_BAD_INPUT,
    check_output,
    fasta_option,
    format_option,
    output_format,
    program_argument,
    reports_input_errors,
    select_option,
    warn,
)


@click.command()
@program_argument
@select_option
@fasta_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT / "protocol",
              show_default=True, help="Output directory (replaced atomically).")
@click.option("--format", "formats", default="md", show_default=True,
              help="Comma-separated formats: md, html, pdf, docx.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Directory whose templates override the shipped ones, file by file.")
@reports_input_errors
def render(program: Path, selectors: tuple[str, ...], excluded: tuple[str, ...], fasta: Path | None, out: Path,
           formats: str, templates: Path | None) -> None:
    """Render the master overview and one appendix per variant inside the umbrella.

    Example: basket render configs/ucd-umbrella --format md,html
    """
    from basket.api import render_to

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    result = render_to(program, out, chosen, templates, selectors, fasta,
                       progress=lambda name: click.echo(f"  rendering {name}", err=True), exclude=excluded,
                       warn=warn)
    click.echo(f"wrote {len(result.files) + 1} files ({result.appendices} appendices) to {out}")
    if result.gaps:
        click.echo(f"{len(result.gaps)} item(s) marked 'to be provided': see {out / 'completeness.md'}")


@click.command("docs")
@program_argument
@fasta_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT / "site",
              show_default=True, help="Site directory (replaced atomically).")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Directory whose templates override the shipped ones, file by file.")
@click.option("--focus", metavar="NODE", help="Node the graph viewer opens at (default: the umbrella).")
@click.option("--pictures/--no-pictures", default=None,
              help="Draw Graphviz pictures (default: when `dot` is installed).")
@reports_input_errors
def docs(program: Path, fasta: Path | None, out: Path, templates: Path | None, focus: str | None,
         pictures: bool | None) -> None:
    """Write a static site: index (umbrella, baskets, readiness), the master protocol, one page per
    appendix, and an interactive graph viewer in one self-contained HTML file.

    Example: basket docs configs/ucd-umbrella -o out/site
    """
    from basket.api import plan_program, user_template_errors
    from basket.documents.graphviz_pictures import GraphvizMissing
    from basket.documents.static_site import write_program_site
    from basket.graph.build import program_graph
    from basket.graph.lookup import UnknownNode, resolve

    started = time.perf_counter()
    check_output(out, (program, templates), folder=True)
    loaded, plan = plan_program(program, fasta=fasta, warn=warn)
    if focus is not None:
        try:
            focus = resolve(program_graph(loaded, plan), focus)
        except UnknownNode as error:
            click.echo(f"error: --focus: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)
    try:
        with user_template_errors(templates):
            written = write_program_site(loaded, plan, out, templates, focus, pictures,
                                         progress=lambda path: click.echo(f"  writing {path}", err=True))
    except GraphvizMissing as error:
        click.echo(f"error: {error} (or pass --no-pictures)", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"wrote {written} files to {out} in {time.perf_counter() - started:.1f} s; "
               f"open {out / 'index.html'}")


PICTURE_FORMATS = {"svg": (".svg",), "png": (".png",)}


@click.command("picture")
@program_argument
@select_option
@fasta_option
@format_option(PICTURE_FORMATS, "svg")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@click.option("--schema", is_flag=True, help="Draw the trial schema (umbrella, platform, baskets, variants) "
              "instead of the whole graph.")
@reports_input_errors
def picture(program: Path, selectors: tuple[str, ...], excluded: tuple[str, ...], fasta: Path | None,
            fmt: str | None, output: Path, schema: bool) -> None:
    """Draw the program graph (or the trial schema) with Graphviz as SVG or PNG.

    Example: basket picture configs/ucd-umbrella --select variant:CPS1-Q335X+ -o q335x.svg
    """
    from basket.api import plan_program, selected_graph
    from basket.documents.graphviz_pictures import GraphvizMissing, graph_picture, run_dot, schema_dot
    from basket.foundation.atomic_output import write_bytes_atomic

    check_output(output, (program,))  # first: writing over an input is the graver mistake
    fmt = output_format(fmt, output, PICTURE_FORMATS, "svg")
    try:
        if schema:
            loaded, plan = plan_program(program, selectors, fasta, excluded, warn)
            data = run_dot(schema_dot(loaded.program, plan), fmt)
        else:
            loaded, plan = plan_program(program, fasta=fasta, warn=warn)
            data = graph_picture(selected_graph(loaded, plan, selectors, excluded), fmt)
    except GraphvizMissing as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    write_bytes_atomic(output, data, (program,))
    click.echo(f"wrote {output}")


COMMANDS = [render, docs, picture]
