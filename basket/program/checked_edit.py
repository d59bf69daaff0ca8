"""Editing a program's own YAML in place, safely: what `basket status`, `basket window` and
`basket add` share.

1. `editing_program(directory)`: hold the program directory's lock
   (`basket.foundation.directory_lock`) from loading to the final check, so two edits at once run one
   after the other and each reads what the previous one wrote; no edit is lost.
2. `read_unchanged(loaded, path, doing)`: a file's bytes, refused when they differ from what the
   loader read (someone edited it by hand in between).
3. `replace_checked(directory, changes, check)`: replace every changed file atomically (`replace_file`,
   keeping its mode; a symbolic link is edited where it points and stays a link), load the program
   again and run `check` on it; if loading fails or `check` refuses, every file is put back as it was
   (a file the edit created is removed) and the error is raised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from basket.foundation.atomic_output import replace_file
from basket.foundation.directory_lock import locked_directory
from basket.foundation.problems import InputError, Problem
from basket.program.load import LoadedProgram, load_program


@contextmanager
def editing_program(directory: Path) -> Iterator[Path]:
    """Hold `directory`'s lock for the block (a path that is not a folder is reported as the loader would)."""
    directory = Path(directory)
    if not directory.is_dir():
        load_program(directory)  # reports what the path is instead
    with locked_directory(directory):
        yield directory


def read_unchanged(loaded: LoadedProgram, path: Path, doing: str) -> bytes:
    """The bytes of `path` (a file as the loader named it), refused when they are not what it loaded.
    `doing` completes the message "file changed while ...", e.g. "the status was being set"."""
    data = path.read_bytes()
    # the loader keys its hashes by the file's name under the program root, not by where a link points
    relative = path.relative_to(loaded.root).as_posix() if path.is_relative_to(loaded.root) else None
    if relative is None or loaded.inputs.get(relative) != hashlib.sha256(data).hexdigest():
        raise InputError([Problem(str(path), 0, "", f"file changed while {doing}; run again")])
    return data


def replace_checked(directory: Path, changes: Mapping[Path, tuple[bytes | None, bytes]],
                    check: Callable[[LoadedProgram], None] | None = None) -> LoadedProgram:
    """Write `changes` (path -> (old bytes, or None for a new file; new bytes)), then load the program
    again and `check` it. On any failure every file is put back and the error raised."""
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, (old, new) in changes.items():
            target = path.resolve()  # a symbolic link is edited where it points, and stays a link
            replace_file(target, new)
            done.append((target, old))
        after = load_program(directory)
        if check is not None:
            check(after)
    except BaseException:
        for target, old in reversed(done):
            if old is None:
                target.unlink(missing_ok=True)
            else:
                replace_file(target, old)
        raise
    return after


__all__ = ["editing_program", "read_unchanged", "replace_checked"]
