"""An exclusive lock on a directory, held while a command edits files inside it.

`basket status` edits a program's YAML in place: two runs at once would each read the file,
change their own line and write the whole file back, so the second write would drop the first
edit. Holding this lock from reading to writing serializes them; each run then reads what the
previous one wrote.

On POSIX the lock is `flock` on the directory itself, so no lock file is created or left
behind and the lock is released by the kernel when a process dies. Elsewhere (no `fcntl`)
filelock's lock file `.basket.lock` inside the directory is used instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FALLBACK_LOCK_NAME = ".basket.lock"


@contextmanager
def locked_directory(directory: Path) -> Iterator[None]:
    """Wait until no other process holds `directory`'s lock, then hold it for the block."""
    if fcntl is None:  # pragma: no cover - Windows
        from filelock import FileLock

        with FileLock(str(directory / FALLBACK_LOCK_NAME)):
            yield
        return
    descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
