"""`basket init DIR`: a new program that validates at once, every section commented.

The files are `basket/program/scaffold_files/*.yaml`. They hold no invented clinical fact: the
umbrella and platform carry placeholders marked EXAMPLE (ids, titles, a built-in editor) that
validation accepts; the one disease and gene an umbrella needs are the bundled example's CPS1
deficiency and CPS1, with their sources; variants, patients and evidence start empty, with a
commented example of each. The folder appears whole or not at all, and only a new or empty folder
is used: nothing is ever overwritten.
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from basket.foundation.atomic_output import new_temporary_directory
from basket.foundation.problems import InputError, Problem

SCAFFOLD = "scaffold_files"


def scaffold_files() -> list[tuple[str, bytes]]:
    """The files of a new program: (name, content), in name order."""
    folder = resources.files("basket.program").joinpath(SCAFFOLD)
    return sorted((entry.name, entry.read_bytes()) for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def init_program(target: Path) -> list[Path]:
    """Write a new program into `target` (new or empty); return the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "is not empty" if target.is_dir() else "exists and is not a folder"
        raise InputError([Problem(str(target), 0, "", f"{what}; basket init writes a new program into a new or "
                                  "empty folder only (nothing is overwritten)")])
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = new_temporary_directory(target.parent, f".{target.name}.new-")
    try:
        for name, data in scaffold_files():
            (staging / name).write_bytes(data)
        os.replace(staging, target)  # an empty target is replaced; a folder appearing meanwhile is refused
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name, _ in scaffold_files()]
