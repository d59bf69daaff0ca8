"""Writing outputs so that nothing is lost: whole directories appear at once or not at all.

A render writes into a fresh temporary sibling of the target, then swaps it in
with renames. A render killed mid-write leaves the previous output intact; a
lock file serializes concurrent renders into the same directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write one file via a temporary file in the same directory and os.replace."""
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
def replace_directory(target: Path) -> Iterator[Path]:
    """Yield an empty staging directory; on success it replaces `target` whole.

    Concurrent callers for the same target wait for each other (a lock file
    beside the target). If the body raises, the staging directory is removed
    and `target` is untouched.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.parent / f".{target.name}.lock")):
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            yield staging
            _swap(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
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
