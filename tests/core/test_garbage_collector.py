"""The collector helpers (`basket.foundation.garbage_collector`): what they promise about the
collector's generations, which the window stage and rendering rely on for their speed."""

import gc

from basket.foundation.garbage_collector import collector_paused, collector_skips_existing


class Node:  # tracked by the collector, unlike a dict of plain values
    pass


def passes_after(results_kept: bool) -> int:
    """How many collector passes start between the end of a paused block that made 5,000 tracked
    objects and a few allocations after it."""
    passes = []

    def watch(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(watch)
    try:
        with collector_paused(results_kept=results_kept):
            kept = [Node() for _ in range(5_000)]
            assert not gc.isenabled()
        assert gc.isenabled()
        after = [[] for _ in range(10)]  # the first allocations after the block
    finally:
        gc.callbacks.remove(watch)
    assert len(kept) == 5_000 and len(after) == 10
    return len(passes)


def test_results_kept_skip_the_young_generations():
    assert passes_after(results_kept=True) == 0
    assert gc.get_freeze_count() == 0  # handed back to the oldest generation, not left frozen


def test_without_results_kept_the_collector_walks_them_at_once():
    assert passes_after(results_kept=False) >= 1


def test_inside_a_freeze_results_stay_frozen_until_it_ends():
    gc.collect()
    with collector_skips_existing():
        with collector_paused(results_kept=True):
            kept = [Node() for _ in range(1_000)]
        assert gc.get_freeze_count() >= 1_000  # still frozen: the outer block has not ended
        with collector_skips_existing():  # nested: the inner end hands nothing back
            pass
        assert gc.get_freeze_count() >= 1_000
    assert gc.get_freeze_count() == 0
    assert len(kept) == 1_000


def test_a_paused_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused(results_kept=True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
