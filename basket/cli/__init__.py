"""The `basket` command line: parse options, call the Python API (`basket.api`), print.

One module per command group (`*_commands.py`), each exposing `COMMANDS`, a list of click commands;
`options.py` holds what they share. Exit codes (as dbt): 0 fine, 1 ran and found problems, 2 bad
input or usage. Heavy modules are imported inside the command functions, so `basket --help` stays fast.

May import: every layer below (inside command functions). Nothing imports the CLI.
"""

from __future__ import annotations

from importlib import import_module

import click

COMMAND_MODULES: tuple[str, ...] = (
    "program_commands", "authoring_commands", "plan_commands", "screen_commands", "evidence_commands", "graph_commands",
    "document_commands", "database_commands", "change_commands", "stats_commands", "offtarget_commands",
    "export_commands",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="basket", prog_name="basket")
def main() -> None:
    """basket: manage a platform-trial basket of individualized genetic medicines.

    A PROGRAM is a directory of YAML files (umbrella, platform, editors, diseases,
    genes, variants, patients, evidence). Start with `basket validate PROGRAM`.

    Exit codes: 0 fine, 1 ran and found problems, 2 bad input or usage.
    """


def _register_command_modules() -> None:
    for name in COMMAND_MODULES:
        for command in import_module(f"basket.cli.{name}").COMMANDS:
            main.add_command(command)


_register_command_modules()
