"""Keeping Python's cyclic garbage collector out of the way of big, acyclic work.

Loading, planning and rendering a large program make millions of small objects that reference
counting alone frees; the collector's passes over them cost a third to two thirds of the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading allocates millions of small objects and frees none: the cyclic garbage collector's
    passes over them took two thirds of the time at 100,000 variants (reference counting still
    frees everything; the collector runs again afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collector_skips_existing() -> Iterator[None]:
    """Rendering makes short-lived objects by the million while the loaded program (millions of
    long-lived objects) is only read: `gc.freeze` takes what exists now out of the collector's
    passes, which otherwise took half the time of building the documents' contexts at 10,000
    variants. Everything is handed back to the collector afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
