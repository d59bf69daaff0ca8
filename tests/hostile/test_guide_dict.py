"""`basket.plan.guide_design.guide_dict` (the fast converter the plan uses) equals `Guide.to_dict()`."""

from __future__ import annotations

import sys
from pathlib import Path

from basket.editing.guides import find_guides
from basket.plan.guide_design import guide_dict
from basket.program.load import load_program
from basket.program.variant_sequence import variant_sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import write_program


def test_guide_dict_equals_to_dict(tmp_path: Path, example: Path):
    write_program(tmp_path / "syn", 60, seed=3)
    compared = 0
    for directory in (example, tmp_path / "syn"):
        program = load_program(directory).program
        for variant in program.variants:
            context = variant_sequence(program, variant).context
            if context is None:
                continue
            for editor in program.editors_by_name.values():
                for guide in find_guides(context, editor):
                    assert guide_dict(guide) == guide.to_dict()
                    compared += 1
    assert compared > 50


def test_variant_plan_to_dict_equals_asdict(tmp_path: Path, example: Path):
    from dataclasses import asdict

    from basket.plan.umbrella_decision import make_plan

    write_program(tmp_path / "syn", 40, seed=5)
    for directory in (example, tmp_path / "syn"):
        for item in make_plan(load_program(directory).program).variants:
            full = asdict(item)
            assert item.to_dict(with_guides=True) == full
            full.pop("guides")
            assert item.to_dict() == full
            copied = item.to_dict(with_guides=True)
            if copied["guide"] is not None:  # a fresh copy: editing it leaves the plan alone
                copied["guide"]["bystanders"].append({})
                assert copied["guide"] != item.guide
