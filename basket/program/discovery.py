"""Finding the program from the current directory when PROGRAM is left out (as dbt finds
`dbt_project.yml`): the nearest folder, here or above, that holds `umbrella.yaml`.

Every program has exactly one `umbrella:` section, `basket init` writes it into `umbrella.yaml`,
and the bundled example keeps it there, so that file marks a program's root. A program that keeps
its umbrella elsewhere is still used by naming its folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PROGRAM_MARKERS = ("umbrella.yaml", "umbrella.yml")


def find_program(start: Path) -> Path | None:
    """The nearest folder from `start` upwards holding a marker, relative to `start` when it is
    `start` or above it (`.`, `..`), or None."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if any((folder / marker).is_file() for marker in PROGRAM_MARKERS):
            return Path(os.path.relpath(folder, start))
    return None
