"""Writing outputs so that nothing is lost: whole files and directories appear at once or not at all.

A render writes into a fresh temporary sibling of the target, then swaps it in
with renames. A render killed mid-write leaves the previous output intact; a
lock on the parent directory (`basket.foundation.directory_lock`, no lock file)
serializes concurrent renders into the same place.

Outputs get the permissions the user's other files get: a new file is created with mode 0666 and
a folder with 0777, less the umask, as `open()` and `mkdir` do (tempfile's private 0600/0700 are
for secrets, not reports); a file that replaces an existing one keeps that file's mode.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from basket.foundation.directory_lock import locked_directory
from basket.foundation.output_location import check_output_location
from basket.foundation.problems import InputError, Problem


def write_bytes_atomic(path: Path, data: bytes, inputs: Iterable[Path | None] = ()) -> None:
    """Write one file via a temporary file in the same directory and os.replace. `inputs`: what
    the command read; `path` must not be one of them nor lie inside one (InputError)."""
    check_output_location(path, inputs, folder=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = new_temporary_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def new_temporary_file(path: Path) -> tuple[int, Path]:
    """An open, new, empty file beside `path` (`.NAME.xxxxxxxx`) to be renamed onto it: mode 0666 less
    the umask, or `path`'s own mode when it exists (a replaced report keeps the permissions it had)."""
    try:
        existing = path.stat()
        mode = stat.S_IMODE(existing.st_mode) if stat.S_ISREG(existing.st_mode) else None
    except OSError:
        mode = None
    for _ in range(_ATTEMPTS):
        temp = path.parent / f".{path.name}.{secrets.token_hex(4)}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:
            continue
        if mode is not None:
            os.fchmod(fd, mode)
        return fd, temp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def new_temporary_directory(parent: Path, prefix: str) -> Path:
    """A new, empty folder `PREFIXxxxxxxxx` in `parent`, mode 0777 less the umask (mkdtemp's is 0700)."""
    for _ in range(_ATTEMPTS):
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            folder.mkdir(0o777)
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(parent))


_ATTEMPTS = 100  # random names tried before giving up (as tempfile does)


def replace_file(path: Path, data: bytes) -> None:
    """Replace an existing file atomically (a temporary sibling with its mode, fsync, os.replace)."""
    fd, temp = new_temporary_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def replace_directory(target: Path, inputs: Iterable[Path | None] = ()) -> Iterator[Path]:
    """Yield an empty staging directory; on success it replaces `target` whole.

    `target` must not be, contain or lie inside any of `inputs` (what the command reads), nor be
    or contain the working directory (`basket.foundation.output_location`).

    Concurrent callers for the same target wait for each other (a lock on the
    target's parent directory). If the body raises, the staging directory is removed
    and `target` is untouched. Leftovers of a process killed mid-write (its
    staging directory; its retired output, if it died between the renames) are
    cleaned up or restored by the next caller.
    """
    check_output_location(target, inputs, folder=True)
    target = target.resolve()
    _refuse_foreign_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked_directory(target.parent):
        _recover(target)
        staging = new_temporary_directory(target.parent, f".{target.name}.new-")
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
