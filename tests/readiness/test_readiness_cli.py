"""`basket readiness`: formats, selection, exit codes, nothing written on bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from basket.cli import main

from .conftest import EXAMPLE, replace_text


def run(*args: str):
    return CliRunner().invoke(main, ["readiness", *map(str, args)])


def test_passing_program_exits_0(ready: Path) -> None:
    result = run(ready)
    assert result.exit_code == 0, result.output
    assert "1 of 3 variants pass the entry gate" in result.output
    assert "Blocking" not in result.output


def test_example_exits_1_because_q335x_is_marked_for_submission(example) -> None:
    result = run(EXAMPLE)
    assert result.exit_code == 1
    assert "gate failed for a variant that must pass: CPS1-Q335X" in result.output
    # the ACMG classification of RCV001045342 was not retrieved for the example: element 1 stays partial
    assert "E1 partial: classification pathogenic or likely pathogenic (recorded: none)" in result.output


def test_submitted_variant_failing_the_gate_exits_1(ready: Path) -> None:
    replace_text(ready / "variants.yaml", 'status: "assessed"', 'status: "submitted"')
    result = run(ready)
    assert result.exit_code == 1
    assert "CPS1-E714X" in result.output.splitlines()[-1]


def test_changed_document_makes_it_exit_1(ready: Path) -> None:
    (ready / "docs" / "report.txt").write_text("tampered\n")
    result = run(ready)
    assert result.exit_code == 1
    assert "flag: document docs/report.txt changed" in result.output


def test_csv_is_a_matrix(ready: Path) -> None:
    result = run(ready, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["variant"] for r in rows] == ["CPS1-Q335X", "CPS1-Q335X-B", "CPS1-E714X"]
    assert [rows[0][f"element_{n}"] for n in range(1, 6)] == ["met"] * 4 + ["not yet applicable"]
    assert rows[0]["gate"] == "pass" and rows[2]["gate"] == "fail"


def test_json_has_rules_and_missing(ready: Path) -> None:
    data = json.loads(run(ready, "--format", "json").stdout)
    assert set(data["rules"]) == {"1", "2", "3", "4", "5"}
    e714x = data["variants"][2]
    assert e714x["elements"]["2"]["status"] == "missing"
    assert e714x["gate"]["passed"] is False and e714x["blocking"] is False


def test_markdown_has_matrix_rules_and_details(ready: Path) -> None:
    text = run(ready, "--format", "md").stdout
    assert text.startswith("# Readiness — IND-READY")
    assert "| variant | gene | status | submit | classification | element_1 |" in text
    assert "## Rules" in text and "### CPS1-E714X" in text


def test_html_is_standalone_escaped_and_coloured(ready: Path) -> None:
    replace_text(ready / "diseases.yaml", "name: OTC deficiency", "name: OTC <script>alert(1)</script>")
    replace_text(ready / "umbrella.yaml", "diseases: [OMIM:237300]", "diseases: [OMIM:237300, OMIM:311250]")
    replace_text(ready / "variants.yaml", "  - id: CPS1-E714X\n", "  - id: OTC-X\n    gene: OTC\n"
                 "    hgvs_c: NM_000531.6:c.119G>A\n    source: test\n  - id: CPS1-E714X\n")
    html = run(ready, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<td class="met"' in html and '<td class="not_yet_applicable"' in html


def test_output_file_is_written(ready: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = run(ready, "--format", "html", "-o", target)
    assert result.exit_code == 0 and target.read_text().startswith("<!DOCTYPE html>")


def test_select_limits_the_matrix(ready: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(ready, "--format", "csv", "-s", "variant:CPS1-E714X").stdout)))
    assert [r["variant"] for r in rows] == ["CPS1-E714X"]
    rows = list(csv.DictReader(io.StringIO(run(ready, "--format", "csv", "-s", "+patient:PT-001").stdout)))
    assert [r["variant"] for r in rows] == ["CPS1-Q335X", "CPS1-E714X"]


def test_select_drops_a_blocking_variant(example) -> None:
    assert run(EXAMPLE, "-s", "variant:OTC-R40H").exit_code == 0


def test_bad_program_exits_2_and_writes_nothing(ready: Path, tmp_path: Path) -> None:
    replace_text(ready / "variants.yaml", "gene: CPS1\n", "gene: NOPE\n")
    target = tmp_path / "r.html"
    result = run(ready, "--format", "html", "-o", target)
    assert result.exit_code == 2
    assert "unknown gene 'NOPE'" in result.output
    assert not target.exists()


def test_selector_matching_nothing_exits_1(ready: Path) -> None:
    result = run(ready, "-s", "variant:NOPE")
    assert result.exit_code == 1 and "--select variant:NOPE matches nothing" in result.output
