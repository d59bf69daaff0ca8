"""What every command shares: exit codes, the PROGRAM argument, common options, error reporting,
the format of an output (from --format, else from the -o file's extension), the width of tables
and writing a result to a file or standard output.

May import: click and `basket.foundation` (inside functions). Must not import: any pipeline stage at
module level, so `basket --help` stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import click

EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2

# Stands for a PROGRAM left out before a command's other arguments (`ProgramFirst`): never a real path.
_LEFT_OUT = "\0"
_FIRST_ARGUMENT = "basket.first_argument"  # ctx.meta: the argument read as the one after a left-out PROGRAM


def _program_or_found(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """PROGRAM as given, else the program found from the current directory upwards (as dbt finds
    dbt_project.yml): the nearest folder holding umbrella.yaml."""
    if value is not None and value != _LEFT_OUT:
        return Path(value)
    if ctx.resilient_parsing:
        return None
    from basket.program.discovery import find_program

    found = find_program(Path.cwd())
    if found is None:
        first = ctx.meta.get(_FIRST_ARGUMENT)
        read_as = f" ({first!r} is not a folder, so it was read as the next argument)" if first else ""
        raise click.UsageError(f"no PROGRAM given{read_as}, and no umbrella.yaml in {Path.cwd()} or a folder above "
                               "it: name the program folder, or run basket inside it (`basket init DIR` starts one)",
                               ctx)
    return found


program_argument = click.argument("program", required=False, metavar="[PROGRAM]", callback=_program_or_found)


class ProgramFirst(click.Command):
    """A command whose first argument, PROGRAM, may be left out before its other arguments
    (`basket status VARIANT NEW_STATUS` inside a program folder).

    PROGRAM counts as left out when the first argument given is not a folder and either one argument
    is missing or the last argument takes any number of values."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing and self._program_left_out(ctx, list(args)):
            args = [_LEFT_OUT, *args]
        return super().parse_args(ctx, args)

    def _program_left_out(self, ctx: click.Context, args: list[str]) -> bool:
        arguments = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        try:
            values, _, _ = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            return False  # let the real parse report it
        first = values.get(arguments[0].name)
        if isinstance(first, str) and Path(first).is_dir():
            return False
        given = [a for a in arguments if isinstance(values.get(a.name), str)]
        left_out = arguments[-1].nargs == -1 or len(given) == len(arguments) - 1
        if left_out and isinstance(first, str):
            ctx.meta[_FIRST_ARGUMENT] = first  # for the message when no program is found either
        return left_out

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
    help="Reference FASTA (plain or bgzip; indexed on first use). Overrides the program's `reference:`; "
         "windows are checked against it and variants without one are read from it (by their HGVS g.).",
)


DEFAULT_OUTPUT = Path("out")  # one folder for everything written: out/protocol, out/site, out/design


def format_option(choices: Mapping[str, tuple[str, ...]], default: str) -> Callable[..., Any]:
    """`--format`, whose default is the format the -o file's extension names (`choices`: format ->
    its extensions), else `default`; the command calls `output_format` to settle it."""
    extensions = "; ".join(f"{', '.join(ext)} → {name}" for name, ext in choices.items() if ext)
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=None,
                        help=f"Output format [default: from the -o file's extension ({extensions}), else {default}]")


def output_format(fmt: str | None, output: Path | None, choices: Mapping[str, tuple[str, ...]], default: str) -> str:
    """The format asked for, else the one the output file's extension names, else `default` (standard
    output). An extension that names no format is a usage error: say which to use."""
    if fmt is not None:
        return fmt
    if output is None or str(output) == "-":
        return default
    suffix = output.suffix.lower()
    for name, extensions in choices.items():
        if suffix in extensions:
            return name
    known = ", ".join(ext for extensions in choices.values() for ext in extensions)
    raise click.UsageError(f"cannot tell the format from {output.name!r}: give --format "
                           f"({', '.join(choices)}) or end the file name with one of {known}")


wide_option = click.option(
    "--wide", is_flag=True,
    help="Print tables in full; by default a table on a terminal is cut to its width (cut text ends with …). "
         "Tables written to a pipe or file are always in full.",
)


def table_width(wide: bool) -> int | None:
    """The width a table must fit: None (full text) with --wide or when standard output is not a
    terminal; else $COLUMNS when set, else the terminal's width."""
    if wide:
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def warn(message: str) -> None:
    """A warning on standard error: the command still runs."""
    click.echo(f"warning: {message}", err=True)


def reports_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into `file:line: field: message` lines on stderr, an OSError into one line; exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from basket.foundation.problems import InputError, NothingSelected

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
    from basket.foundation.problems import SelectionWarning

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
