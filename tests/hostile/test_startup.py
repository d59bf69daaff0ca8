"""`basket --help` stays fast: the CLI and every command's --help import no heavy module.

Timing belongs in benchmarks/run.py; here we check the cause of slowness instead: after
printing the help of the group and of every command (and sub-command), none of the heavy
libraries is in `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pydantic", "networkx", "pandas", "jinja2", "hgvs", "numpy", "scipy", "matplotlib", "yaml",
         "weasyprint", "docx", "pyfaidx", "ruamel")

SCRIPT = """
import json, sys
import click
from basket.cli import main

def walk(command, path):
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, path + [name])

paths = list(walk(main, []))
for path in paths:
    try:
        main.main(path + ["--help"], prog_name="basket", standalone_mode=False)
    except SystemExit:
        pass
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
print(json.dumps({"paths": [" ".join(p) for p in paths], "heavy": heavy}))
"""


def test_help_of_every_command_imports_no_heavy_module():
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(HEAVY)], capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "validate" in result["paths"] and "render" in result["paths"]
    assert result["heavy"] == []


def test_console_script_help_exits_zero():
    done = subprocess.run([sys.executable, "-m", "basket", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Usage:" in done.stdout
