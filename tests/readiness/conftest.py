"""Fixtures for readiness, status, diff, verify and impact tests.

`ready` is a small program whose first variant (CPS1-Q335X, submit: true) passes the
entry gate; tests change one thing and watch the verdict move.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from basket.evidence.readiness_rules import Readiness, assess_program
from basket.plan.umbrella_decision import make_plan
from basket.program.load import load_program
from basket.program.model import Program
from tests.conftest import copy_program

HERE = Path(__file__).resolve().parent
READY = HERE / "programs" / "ready"
EXAMPLE = HERE.parent.parent / "configs" / "ucd-umbrella"


@pytest.fixture
def ready(tmp_path: Path) -> Path:
    return copy_program(READY, tmp_path / "ready")


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return copy_program(EXAMPLE, tmp_path / "ucd")


Mutation = Callable[[dict], None]


def judge(directory: Path, mutate: Mutation | None = None) -> Readiness:
    """Readiness of the program in `directory`, after `mutate` edits its plain data."""
    loaded = load_program(directory)
    data = loaded.program.model_dump(mode="python")
    if mutate is not None:
        mutate(data)
    program = Program.model_validate(data)
    return assess_program(program, loaded.root, make_plan(program))


def evidence(data: dict, evidence_id: str) -> dict:
    return next(e for e in data["evidence"] if e["id"] == evidence_id)


def drop_evidence(*ids: str) -> Mutation:
    def mutate(data: dict) -> None:
        data["evidence"] = [e for e in data["evidence"] if e["id"] not in ids]
    return mutate


def variant(data: dict, variant_id: str) -> dict:
    return next(v for v in data["variants"] if v["id"] == variant_id)


def add_evidence(**item) -> Mutation:
    def mutate(data: dict) -> None:
        data["evidence"].append({"result": "test", "source": "test", **item})
    return mutate


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
