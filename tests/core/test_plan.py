from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from basket.cli import main
from basket.plan.umbrella_decision import make_plan
from basket.program.load import load_program

REQUIRED_KEYS = {"variant", "gene", "disease", "change_class", "correction", "in_umbrella", "reason"}


def plan_json(program: Path, *extra: str) -> list[dict]:
    result = CliRunner().invoke(main, ["plan", str(program), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_q335x_inside_with_abe_and_e714x_outside_as_transversion(example: Path):
    rows = {row["variant"]: row for row in plan_json(example)}
    assert all(REQUIRED_KEYS <= row.keys() for row in rows.values())
    q335x, e714x = rows["CPS1-Q335X"], rows["CPS1-E714X"]
    assert (q335x["change_class"], q335x["correction"], q335x["in_umbrella"]) == ("transition", "ABE", True)
    assert q335x["guide"]["target_position"] == 8
    assert (e714x["change_class"], e714x["correction"], e714x["in_umbrella"]) == ("transversion", None, False)
    assert "transversion" in e714x["reason"] and "no base editor" in e714x["reason"]


def test_every_variant_outside_has_a_reason(example: Path):
    for row in plan_json(example):
        if not row["in_umbrella"]:
            assert len(row["reason"]) > 30


def test_transition_without_sequence_is_not_claimed(minimal: Path):
    path = minimal / "variants.yaml"
    text = path.read_text()
    start = text.index("    window:")
    end = text.index("    submit:")
    path.write_text(text[:start] + text[end:])
    row = plan_json(minimal)[0]
    assert row["correction"] == "ABE" and row["classification"] == "no_sequence" and not row["in_umbrella"]
    assert "sequence" in row["reason"]


def test_cbe_variant_needs_another_editor(minimal: Path):
    # c.1003C>T read as its reverse: a T>C change needs a CBE; the platform editor is an ABE
    path = minimal / "variants.yaml"
    text = path.read_text().replace("c.1003C>T", "c.1003C>T", 1)
    path.write_text(text.replace("  - id: CPS1-E714X\n    gene: CPS1\n    hgvs_c: NM_001875.5:c.2140G>T",
                                 "  - id: CPS1-T1004C\n    gene: CPS1\n    hgvs_c: NM_001875.5:c.1004A>G\n"
                                 "    window:\n      chrom: chr2\n      start: 210591821\n"
                                 "      variant_position: 210591887\n"
                                 "      sequence: TTCTCTCCAGAGGGCAGAATCAGCCTGTTTTGAATATCACAAACAAACAGGCTTTCATTACTGCT"
                                 "CAGAATCATGGCTATGCCTTGGACAACACCCTCCCTGCTGGCTGG\n      source: test"))
    (minimal / "patients.yaml").write_text((minimal / "patients.yaml").read_text().replace("CPS1-E714X", "CPS1-T1004C"))
    rows = {row["variant"]: row for row in plan_json(minimal)}
    row = rows["CPS1-T1004C"]
    assert row["correction"] == "CBE" and not row["in_umbrella"]
    assert row["classification"] in {"other_editor", "other_modality"}
    assert "an ABE" in row["reason"] and "a CBE" in row["reason"]


def test_plan_formats(example: Path):
    runner = CliRunner()
    csv = runner.invoke(main, ["plan", str(example), "--format", "csv"]).stdout
    assert csv.splitlines()[0].startswith("reason_code,variant,gene,disease")
    md = runner.invoke(main, ["plan", str(example), "--format", "md"]).stdout
    assert md.startswith("| reason_code | variant |")
    table = runner.invoke(main, ["plan", str(example)]).stdout
    assert "variants inside the umbrella" in table


def test_select_limits_the_plan(example: Path):
    rows = plan_json(example, "--select", "variant:CPS1-E714X")
    assert [r["variant"] for r in rows] == ["CPS1-E714X"]
    rows = plan_json(example, "--select", "gene:CPS1+")
    assert {r["variant"] for r in rows} == {"CPS1-Q335X", "CPS1-E714X"}


def test_plan_is_a_pure_function(example: Path):
    program = load_program(example).program
    assert make_plan(program) == make_plan(program)
