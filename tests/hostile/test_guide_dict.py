"""`basket.design.guide_dict` (the fast converter the plan uses) equals `Guide.to_dict()`."""

from __future__ import annotations

import sys
from pathlib import Path

from basket.design import guide_dict, variant_context
from basket.editing.guides import find_guides
from basket.load import load_program

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import write_program  # noqa: E402


def test_guide_dict_equals_to_dict(tmp_path: Path, example: Path):
    write_program(tmp_path / "syn", 60, seed=3)
    compared = 0
    for directory in (example, tmp_path / "syn"):
        program = load_program(directory).program
        for variant in program.variants:
            context = variant_context(program, variant)
            if context is None:
                continue
            for editor in program.editors_by_name.values():
                for guide in find_guides(context, editor):
                    assert guide_dict(guide) == guide.to_dict()
                    compared += 1
    assert compared > 50
