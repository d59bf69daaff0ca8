"""The `basket` command line: parse options, call the Python API, print.

Exit codes (as dbt): 0 fine, 1 ran and found problems, 2 bad input or usage.
Heavy modules are imported inside commands so `basket --help` stays fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2

program_argument = click.argument(
    "program", type=click.Path(file_okay=False, path_type=Path), metavar="PROGRAM"
)
select_option = click.option(
    "--select", "-s", "selectors", multiple=True, metavar="SELECTOR",
    help="Limit to nodes: `variant:ID`, `disease:ID`, `+node` (with upstream), `node+` (with downstream). Repeatable.",
)
fasta_option = click.option(
    "--fasta", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Indexed reference FASTA for variants without a sequence window (needs their HGVS g.).",
)


def reports_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into `file:line: field: message` lines on stderr, an OSError into one line; exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from basket.problems import InputError

        try:
            return command(*args, **kwargs)
        except InputError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            count = len(error.problems)
            click.echo(f"error: {count} problem{'s' if count != 1 else ''}; nothing was written.", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except OSError as error:  # an output folder that cannot be written, a full disk
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}; previous output left as it was.", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper


def emit(text: str, output: Path | None, written: str | None = None) -> None:
    """Print `text`, or write it atomically to `output` (`-` is standard output) and say so."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from basket.atomic import write_bytes_atomic

    write_bytes_atomic(output, text.encode("utf-8"))
    click.echo(written or f"wrote {output}")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="basket", prog_name="basket")
def main() -> None:
    """basket: manage a platform-trial basket of individualized genetic medicines.

    A PROGRAM is a directory of YAML files (umbrella, platform, editors, diseases,
    genes, variants, patients, evidence). Start with `basket validate PROGRAM`.

    Exit codes: 0 fine, 1 ran and found problems, 2 bad input or usage.
    """


@main.command()
@program_argument
@reports_input_errors
def validate(program: Path) -> None:
    """Check a program: YAML, fields, cross-references, HGVS and sequences.

    Example: basket validate configs/ucd-umbrella
    """
    from basket.load import load_program

    loaded = load_program(program)
    p = loaded.program
    click.echo(
        f"{program}: valid — {len(p.diseases)} diseases, {len(p.genes)} genes, {len(p.variants)} variants, "
        f"{len(p.patients)} patients, {len(p.evidence)} evidence items in {len(loaded.inputs)} files."
    )


@main.command()
@program_argument
@select_option
@fasta_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table",
              show_default=True)
@click.option("--guides/--no-guides", default=False, help="Include every candidate guide in JSON output.")
@reports_input_errors
def plan(program: Path, selectors: tuple[str, ...], fasta: Path | None, fmt: str, guides: bool) -> None:
    """Decide, per variant, whether the platform corrects it and whether it sits in the umbrella.

    Example: basket plan configs/ucd-umbrella --format json
    """
    from basket.api import plan_program
    from basket.tables import plan_output

    _, the_plan = plan_program(program, selectors, fasta)
    click.echo(plan_output(the_plan, fmt, with_guides=guides), nl=False)


@main.command()
@program_argument
@select_option
@fasta_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Output directory (replaced atomically).")
@click.option("--format", "formats", default="md", show_default=True,
              help="Comma-separated formats: md, html, pdf, docx.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Directory whose templates override the shipped ones, file by file.")
@reports_input_errors
def render(program: Path, selectors: tuple[str, ...], fasta: Path | None, out: Path, formats: str,
           templates: Path | None) -> None:
    """Render the master overview and one appendix per variant inside the umbrella.

    Example: basket render configs/ucd-umbrella -o out --format md,html
    """
    from basket.api import render_to

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    result = render_to(program, out, chosen, templates, selectors, fasta,
                       progress=lambda name: click.echo(f"  rendering {name}", err=True))
    click.echo(f"wrote {len(result.files) + 1} files ({result.appendices} appendices) to {out}")
    if result.gaps:
        click.echo(f"{len(result.gaps)} item(s) marked 'to be provided': see {out / 'completeness.md'}")


@main.group()
def graph() -> None:
    """Export the program graph."""


@graph.command("export")
@program_argument
@select_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "cyjs", "dot", "mermaid"]),
              default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write ('-' for standard output).")
@reports_input_errors
def graph_export(program: Path, selectors: tuple[str, ...], fmt: str, output: Path) -> None:
    """Write the program graph as GraphML, GEXF, node-link JSON, Cytoscape JSON, DOT or Mermaid.

    Example: basket graph export configs/ucd-umbrella --format graphml -o ucd.graphml
    """
    from basket.api import export_to

    emit(export_to(program, fmt, selectors).decode("utf-8"), output)


@main.command()
@program_argument
@click.argument("node")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--upstream", is_flag=True, help="List what NODE depends on instead of what it affects.")
@reports_input_errors
def impact(program: Path, node: str, fmt: str, upstream: bool) -> None:
    """List what a change to NODE affects: appendices, patients and every other node.

    NODE is a graph id such as component:lnp or variant:CPS1-Q335X, or a bare id.

    Example: basket impact configs/ucd-umbrella component:lnp
    """
    from basket.api import impact_of
    from basket.tables import impact_output

    report = impact_of(program, node, upstream)
    click.echo(impact_output(report, fmt), nl=False)


@main.command()
@program_argument
@click.argument("variant")
@fasta_option
@click.option("--editor", help="Editor name (program or built-in catalogue); default: the platform's.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@reports_input_errors
def guides(program: Path, variant: str, fasta: Path | None, editor: str | None, fmt: str) -> None:
    """List every guide that places VARIANT's base in the editor's window, best first.

    Example: basket guides configs/ucd-umbrella CPS1-Q335X --format json
    """
    from basket.api import guides_for
    from basket.tables import guides_output

    found = guides_for(program, variant, editor, fasta)
    click.echo(guides_output(found, fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def editors(fmt: str) -> None:
    """List the built-in editor catalogue with sources.

    Example: basket editors --format json
    """
    from basket.editing.editors import load_catalogue
    from basket.tables import editors_output

    click.echo(editors_output(list(load_catalogue().values()), fmt), nl=False)


# Commands that live in their own modules under basket/commands/; each module exposes
# `COMMANDS`, a list of click commands. Their heavy imports stay inside the functions.
COMMAND_MODULES: tuple[str, ...] = ("screen", "readiness", "status", "verify", "diff", "docs", "design")


def _register_command_modules() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        for command in import_module(f"basket.commands.{name}").COMMANDS:
            main.add_command(command)


_register_command_modules()

if __name__ == "__main__":  # pragma: no cover
    main()
