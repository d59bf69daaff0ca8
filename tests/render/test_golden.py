"""Markdown and HTML of the fixture program equal the checked-in golden files, byte for byte."""

from __future__ import annotations

import pytest

from tests.render.golden import GOLDEN, golden_outputs

REGENERATE = "regenerate with `make golden` (python -m tests.regenerate_golden) and review the diff"


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return golden_outputs()


def test_golden_set_is_complete(outputs):
    on_disk = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())
    assert on_disk == sorted(outputs), REGENERATE


@pytest.mark.parametrize("path", sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()))
def test_matches_golden(outputs, path):
    expected = (GOLDEN / path).read_bytes()
    assert outputs[path] == expected, f"{path} differs from its golden file; {REGENERATE}"
