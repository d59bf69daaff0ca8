"""What every command shares: exit codes, the PROGRAM argument, common options, error reporting
and writing a result to a file or standard output.

May import: click and `basket.foundation` (inside functions). Must not import: any pipeline stage at
module level, so `basket --help` stays fast.
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
        from basket.foundation.problems import InputError

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
