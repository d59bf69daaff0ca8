"""Change control through the graph: components and evidence reach appendices and patients."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.api import impact_of
from basket.cli import main

from .conftest import EXAMPLE


@pytest.mark.parametrize("node", ["component:lnp", "component:mrna", "platform:test-platform"])
def test_shared_platform_change_lists_every_appendix_and_patient(ready: Path, node: str) -> None:
    report = impact_of(ready, node)
    assert report.appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]
    assert report.patients == ["PT-001", "PT-002"]


def test_variant_evidence_reaches_its_appendix_and_patients(ready: Path) -> None:
    report = impact_of(ready, "evidence:ev-mouse")
    assert report.appendices == ["CPS1-Q335X"] and report.patients == ["PT-001"]


def test_platform_evidence_reaches_every_appendix(ready: Path) -> None:
    assert impact_of(ready, "evidence:ev-nhp").appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]


def test_natural_history_reaches_the_basket(ready: Path) -> None:
    report = impact_of(ready, "natural_history:NH-TEST")
    assert report.appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]
    assert "variant:CPS1-E714X" in report.nodes["variant"]  # outside the umbrella: listed, not an appendix


def test_example_lnp_change(example) -> None:
    result = CliRunner().invoke(main, ["impact", str(EXAMPLE), "component:lnp", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["appendices"] == ["CPS1-Q335X"] and data["patients"] == ["PT-001"]


def test_example_evidence_change(example) -> None:
    result = CliRunner().invoke(main, ["impact", str(EXAMPLE), "evidence:EV-PLATFORM-NHP-TOX"])
    assert result.exit_code == 0
    assert "appendices (1): CPS1-Q335X" in result.output and "patients (1): PT-001" in result.output


def test_unknown_node_exits_2(ready: Path) -> None:
    result = CliRunner().invoke(main, ["impact", str(ready), "component:lnpp"])
    assert result.exit_code == 2 and "did you mean component:lnp" in result.output
