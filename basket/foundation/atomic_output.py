"""Writing outputs so that nothing is lost: whole directories appear at once or not at all.

A render writes into a fresh temporary sibling of the target, then swaps it in
with renames. A render killed mid-write leaves the previous output intact; a
lock file serializes concurrent renders into the same directory.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from basket.foundation.output_location import check_output_location
from basket.foundation.problems import InputError, Problem


def write_bytes_atomic(path: Path, data: bytes, inputs: Iterable[Path | None] = ()) -> None:
    """Write one file via a temporary file in the same directory and os.replace. `inputs`: what
    the command read; `path` must not be one of them nor lie inside one (InputError)."""
    check_output_location(path, inputs, folder=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def replace_directory(target: Path, inputs: Iterable[Path | None] = ()) -> Iterator[Path]:
    """Yield an empty staging directory; on success it replaces `target` whole.

    `target` must not be, contain or lie inside any of `inputs` (what the command reads), nor be
    or contain the working directory (`basket.foundation.output_location`).

    Concurrent callers for the same target wait for each other (a lock file
    beside the target). If the body raises, the staging directory is removed
    and `target` is untouched. Leftovers of a process killed mid-write (its
    staging directory; its retired output, if it died between the renames) are
    cleaned up or restored by the next caller.
    """
    check_output_location(target, inputs, folder=True)
    target = target.resolve()
    _refuse_foreign_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.lock"
    _touch(lock)  # filelock retries forever on a lock file it cannot create; we say why instead
    with FileLock(str(lock)):
        _recover(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; the output is an ordinary folder
        (staging / OUTPUT_MARKER).write_bytes(OUTPUT_MARKER_TEXT)
        try:
            yield staging
            _swap(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


OUTPUT_MARKER = ".basket-output"
OUTPUT_MARKER_TEXT = b"Written by basket. The next basket run that writes here replaces this folder whole.\n"


def _refuse_foreign_folder(target: Path) -> None:
    """Replacing a folder deletes what was in it: only an empty folder or one basket wrote
    (it holds OUTPUT_MARKER) may be replaced. (`-o .` and `-o` naming or holding an input are
    refused before, by `check_output_location`, even when the folder is empty or basket's.)"""
    if not target.exists():
        return
    if not target.is_dir():
        problem = "exists and is not a folder; choose a folder for the output"
    elif (target / OUTPUT_MARKER).is_file() or _legacy_render_output(target) or not any(target.iterdir()):
        return
    else:
        problem = (f"is not empty and was not written by basket (no {OUTPUT_MARKER} file); the output "
                   "folder is replaced whole, so its contents would be lost. Choose a new or empty folder")
    raise InputError([Problem(str(target), 0, "", problem)])


def _legacy_render_output(target: Path) -> bool:
    """A render from before OUTPUT_MARKER: its manifest.json names basket as the generator."""
    try:
        return b'"generator": "basket' in (target / "manifest.json").read_bytes()[:4096]
    except OSError:
        return False


def _touch(path: Path) -> None:
    """Create `path` if missing; raise OSError (with the path) if its folder cannot be written."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    if _exchange(staging, target):  # one atomic step: `target` never disappears
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous output
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(retired)
    os.replace(target, retired)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # not glibc >= 2.28
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0


def _leftovers(target: Path, kind: str) -> list[Path]:
    """Staging ("new") or retired ("old") siblings of `target` that a killed process left behind."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.{kind}-[a-z0-9_]{{8}}$")
    return [path for path in target.parent.iterdir() if pattern.match(path.name)]


def _recover(target: Path) -> None:
    """Called with the lock held, so no live process owns the leftovers: a process killed between
    the two renames of `_swap` left the previous output retired; put it back. Then remove every
    stale staging and retired directory."""
    retired = sorted(_leftovers(target, "old"), key=lambda path: path.stat().st_mtime)
    if retired and not target.exists():
        os.replace(retired.pop(), target)
    for path in retired + _leftovers(target, "new"):
        shutil.rmtree(path, ignore_errors=True)
