"""Keeping Python's cyclic garbage collector out of the way of big, acyclic work.

Loading, planning and rendering a large program make millions of small objects that reference
counting alone frees; the collector's passes over them cost a third to two thirds of the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(results_kept: bool = False) -> Iterator[None]:
    """Loading allocates millions of small objects and frees none: the cyclic garbage collector's
    passes over them took two thirds of the time at 100,000 variants (reference counting still
    frees everything; the collector runs again afterwards).

    With `results_kept`, what the block made and still holds on exit goes straight to the collector's
    oldest generation, as if it had survived two passes: a stage's results kept until the command ends
    would otherwise be walked by the collector's first two passes after the block, which free nothing
    (10,000 window results: a sixth of the window stage). Not for loading: promoted objects do not
    count towards full passes, so a process loading many programs would find their garbage later."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if results_kept:
            _to_oldest_generation()
        if enabled:
            gc.enable()


_frozen: list[None] = []  # one entry per `collector_skips_existing` block open


def _to_oldest_generation() -> None:
    """Every tracked object moved to the oldest generation (`gc.freeze` moves them out of every
    generation; `gc.unfreeze` hands them back to the oldest). Inside `collector_skips_existing` they
    stay frozen with the rest, and are handed back with it. (Not `gc.get_freeze_count()` to tell:
    it walks every frozen object.)"""
    gc.freeze()
    if not _frozen:
        gc.unfreeze()


@contextmanager
def collector_skips_existing() -> Iterator[None]:
    """Rendering makes short-lived objects by the million while the loaded program (millions of
    long-lived objects) is only read: `gc.freeze` takes what exists now out of the collector's
    passes, which otherwise took half the time of building the documents' contexts at 10,000
    variants. Everything is handed back to the collector afterwards."""
    gc.freeze()
    _frozen.append(None)
    try:
        yield
    finally:
        _frozen.pop()
        if not _frozen:
            gc.unfreeze()
