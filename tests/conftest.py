"""Shared fixtures: the bundled example program, a small valid program, and a way to
build a broken program from the small one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "configs" / "ucd-umbrella"
MINIMAL = ROOT / "tests" / "programs" / "minimal"
BROKEN = ROOT / "tests" / "programs" / "broken"


def copy_program(source: Path, target: Path) -> Path:
    """A private copy of a program directory that a test may edit."""
    shutil.copytree(source, target)
    return target


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A private copy of the small valid program that a test may edit."""
    return copy_program(MINIMAL, tmp_path / "program")


def overlay(case: Path, target: Path) -> Path:
    """The small program with the broken case's files laid over it."""
    shutil.copytree(MINIMAL, target)
    for path in case.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target
