"""The readiness fixture program, for the tests of how nominations count in readiness."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_program
from tests.readiness.conftest import READY


@pytest.fixture
def ready(tmp_path: Path) -> Path:
    return copy_program(READY, tmp_path / "ready")
