"""What every command shares: exit codes, the PROGRAM argument, common options, error reporting
and writing a result to a file or standard output.

May import: click and `basket.foundation` (inside functions). Must not import: any pipeline stage at
module level, so `basket --help` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2

program_argument = click.argument(
    "program", type=click.Path(file_okay=False, path_type=Path), metavar="PROGRAM"
)
SELECT_HELP = (
    "Limit to graph nodes, as dbt selects: variant:ID, gene:SYMBOL (the gene and its variants), disease:ID, "
    "patient:ID, evidence:ID, component:ID, status:S, classification:C, in_umbrella:yes|no; wildcards "
    "(variant:OTC-*); +X adds what X depends on, X+ what it affects, 2+X / X+1 limit the depth, @X adds what "
    "X affects and all they depend on; a,b selects nodes matching both; a space or a repeated --select, "
    "either. A selector that matches nothing stops the command (exit 1)."
)


def select_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--select` and `--exclude` (dbt's grammar, `basket.graph.selection`): the command receives
    `selectors` and `excluded`, tuples of what was given."""
    command = click.option("--exclude", "excluded", multiple=True, metavar="SELECTOR",
                           help="Leave out nodes, same grammar as --select (applied last).")(command)
    return click.option("--select", "-s", "selectors", multiple=True, metavar="SELECTOR", help=SELECT_HELP)(command)

fasta_option = click.option(
    "--fasta", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Indexed reference FASTA for variants without a sequence window (needs their HGVS g.).",
)


def reports_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into `file:line: field: message` lines on stderr, an OSError into one line; exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from basket.foundation.problems import InputError
        from basket.graph.selection import NothingSelected

        try:
            with _warnings_told():
                return command(*args, **kwargs)
        except NothingSelected as nothing:
            for message in nothing.messages:
                click.echo(message, err=True)
            click.echo("nothing selected; nothing was written.", err=True)
            sys.exit(EXIT_PROBLEMS)
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


@contextlib.contextmanager
def _warnings_told() -> Iterator[None]:
    """basket's own warnings (`SelectionWarning`) as `warning: message` lines on stderr; others as Python shows them."""
    from basket.graph.selection import SelectionWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SelectionWarning)
        try:
            yield
        finally:
            for warning in caught:
                if issubclass(warning.category, SelectionWarning):
                    click.echo(f"warning: {warning.message}", err=True)
                else:
                    warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)


def emit(text: str, output: Path | None, written: str | None = None, inputs: tuple[Path | None, ...] = ()) -> None:
    """Print `text`, or write it atomically to `output` (`-` is standard output) and say so.
    `inputs`: what the command read; `output` must not be one of them nor lie inside one."""
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from basket.foundation.atomic_output import write_bytes_atomic

    write_bytes_atomic(output, text.encode("utf-8"), inputs)
    click.echo(written or f"wrote {output}")


def check_output(output: Path | None, inputs: tuple[Path | None, ...], folder: bool = False) -> None:
    """Refuse, before any work, an output that is, contains or lies inside an input (exit 2)."""
    if output is None or (not folder and str(output) == "-"):
        return
    from basket.foundation.output_location import check_output_location

    check_output_location(output, inputs, folder)
