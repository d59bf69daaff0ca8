from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from basket.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))
        else:
            yield prefix + (name,)


@pytest.mark.parametrize("path", list(all_commands(main)), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_validate_ok(example: Path):
    result = CliRunner().invoke(main, ["validate", str(example)])
    assert result.exit_code == 0 and "valid" in result.output


def test_usage_error_is_exit_2(example: Path):
    assert CliRunner().invoke(main, ["plan", str(example), "--format", "xml"]).exit_code == 2
    assert CliRunner().invoke(main, ["render", str(example), "--format", "rtf", "-o", "x"]).exit_code == 2


def test_selector_matching_nothing_is_exit_1_with_a_suggestion(example: Path):
    result = CliRunner().invoke(main, ["plan", str(example), "--select", "variant:CPS1-Q335"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "--select variant:CPS1-Q335 matches nothing; did you mean variant:CPS1-Q335X" in result.stderr


def test_unreadable_selector_is_exit_2(example: Path):
    result = CliRunner().invoke(main, ["plan", str(example), "--select", "stauts:assessed"])
    assert result.exit_code == 2 and "unknown selector method 'stauts'" in result.stderr


def test_impact_of_lnp_lists_appendices_and_patients(example: Path):
    result = CliRunner().invoke(main, ["impact", str(example), "component:lnp", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "CPS1-Q335X" in report["appendices"] and "PT-001" in report["patients"]


def test_impact_unknown_node(example: Path):
    result = CliRunner().invoke(main, ["impact", str(example), "component:lnpp"])
    assert result.exit_code == 2 and "did you mean component:lnp" in result.stderr


def test_guides_json_shape(example: Path):
    result = CliRunner().invoke(main, ["guides", str(example), "CPS1-Q335X", "--format", "json"])
    assert result.exit_code == 0, result.output
    guides = json.loads(result.stdout)
    assert guides and {"protospacer", "pam", "strand", "start", "end", "target_position", "allele_specific",
                        "bystanders"} <= guides[0].keys()
    assert all({"position", "c", "consequence"} <= b.keys() for b in guides[0]["bystanders"])


def test_guides_unknown_variant_and_editor(example: Path):
    result = CliRunner().invoke(main, ["guides", str(example), "CPS1-Q335"])
    assert result.exit_code == 2 and "did you mean CPS1-Q335X" in result.stderr
    result = CliRunner().invoke(main, ["guides", str(example), "CPS1-Q335X", "--editor", "nope"])
    assert result.exit_code == 2 and "unknown editor 'nope'" in result.stderr


def test_guides_with_catalogue_editor(example: Path):
    result = CliRunner().invoke(main, ["guides", str(example), "CPS1-Q335X", "--editor", "SpRY-ABE8e",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("rank,protospacer")
    assert len(result.stdout.splitlines()) > 2


def test_render_reports_what_it_wrote(example: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["render", str(example), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 appendices" in result.stdout
