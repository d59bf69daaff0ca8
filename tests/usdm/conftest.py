"""Fixtures for the USDM export: a program that states everything USDM needs, and the validated example."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_program

FULL = Path(__file__).resolve().parent / "programs" / "full"


@pytest.fixture
def full(tmp_path: Path) -> Path:
    """A private copy of the USDM test program that a test may edit."""
    return copy_program(FULL, tmp_path / "full")


@pytest.fixture(scope="session")
def example_conformance():
    """usdm4's rules run once on the example's export (a few seconds: usdm4 loads its terminology)."""
    from basket.usdm.conformance import check_study
    from tests.usdm.golden import golden_study

    return check_study(golden_study())
