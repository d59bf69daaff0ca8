"""`basket init DIR`: a new program that validates at once, every section commented.

The files are `basket/program/scaffold_files/*.yaml`. They hold no invented fact: the umbrella's
and platform's required texts are placeholders that start with `EXAMPLE` (validation accepts them,
and warns about each one left, `placeholder_warnings`, so none reaches a document unnoticed); the one
disease and gene an umbrella needs are the bundled example's CPS1 deficiency and CPS1, with their
primary sources; variants, patients and evidence start empty, with a commented example of each. The folder appears whole or not at all, and only a new or empty folder
is used, never one inside another program (which would read the new files as its own): nothing is
ever overwritten.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

from basket.foundation.atomic_output import new_temporary_directory
from basket.foundation.problems import InputError, Problem
from basket.program.model import Program

SCAFFOLD = "scaffold_files"
PLACEHOLDER = "EXAMPLE"  # how every placeholder text of the scaffold starts


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
    _refuse_inside_a_program(target)
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


def _refuse_inside_a_program(target: Path) -> None:
    """A program reads every YAML file below its folder, so a new program inside one would break it."""
    from basket.program.discovery import find_program

    outer = find_program(target.absolute().parent)
    if outer is not None:
        home = (target.absolute().parent / outer).resolve()
        raise InputError([Problem(str(target), 0, "", f"lies inside the program {home} (it holds umbrella.yaml), "
                                  "which reads every YAML file below it; start the new program elsewhere")])


def placeholder_warnings(program: Program, report: Callable[[tuple[object, ...], str], Problem]) -> list[Problem]:
    """One warning per text of the umbrella or platform that is still a scaffold placeholder."""
    found: list[Problem] = []
    for section in ("umbrella", "platform"):
        for path, value in _texts(getattr(program, section).model_dump(exclude_none=True), (section,)):
            if value.startswith(PLACEHOLDER):
                found.append(report(path, f"still the placeholder `basket init` wrote ({value!r}); replace it "
                                          "before rendering documents"))
    return found


def _texts(value: object, path: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
