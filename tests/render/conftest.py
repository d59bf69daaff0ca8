from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_program
from tests.render.golden import FIXTURE

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture(scope="session")
def fixture_program() -> Path:
    return FIXTURE


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Path:
    """The fixture program in all four formats (rendered once per session; WeasyPrint is slow)."""
    from basket.api import render_to

    out = tmp_path_factory.mktemp("rendered") / "out"
    render_to(FIXTURE, out, ["md", "html", "pdf", "docx"])
    return out


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    return copy_program(FIXTURE, tmp_path / "program")
