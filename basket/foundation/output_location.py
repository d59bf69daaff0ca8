"""Where an output may go: never onto, around or inside what the command reads.

An output folder is replaced whole (`basket.foundation.atomic_output`), so an output folder that
holds the program, the templates or a reference FASTA would delete them; an output written inside
the program directory changes the program; a single-file output named like an input replaces it.
`check_output_location` refuses all of these before anything is written, comparing real paths
(symbolic links followed, `..` resolved), so no spelling of a path gets around it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from basket.foundation.problems import InputError, Problem


def check_output_location(output: Path, inputs: Iterable[Path | None], folder: bool) -> None:
    """Raise InputError when `output` is, contains or lies inside one of `inputs` (None entries are
    skipped), or, for an output folder (`folder`), when it is or contains the working directory."""
    real = Path(os.path.realpath(output))
    problems = []
    for given in inputs:
        if given is None:
            continue
        source = Path(os.path.realpath(given))
        if real == source or _same_file(output, given):
            problems.append(f"is the input {given} itself; choose another output")
        elif source.is_relative_to(real):
            problems.append(f"contains the input {given}; basket would replace it with the output. Choose an output "
                            "outside every input")
        elif real.is_relative_to(source):
            problems.append(f"lies inside the input {given}; outputs never go inside what a command reads. Choose an "
                            "output outside it")
    if folder:
        working = Path(os.path.realpath(Path.cwd()))
        if working.is_relative_to(real):
            what = "is" if working == real else "contains"
            problems.append(f"{what} the current working directory; the output folder is replaced whole. "
                            "Name a subfolder (e.g. -o out)")
    if problems:
        raise InputError([Problem(str(output), 0, "", message) for message in problems])


def _same_file(first: Path, second: Path) -> bool:
    """Two names of one file (a hard link, a case-insensitive file system)."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist
        return False
