"""Document control: the version history and the ICH M11 overview of changes of the current amendment,
from the program's recorded versions (`umbrella.history`, copies under `versions/`) and `basket diff`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_program
from tests.render.golden import FIXTURE


def _amended(tmp_path: Path) -> Path:
    """The fixture as version 1.1, recording version 1.0 (the fixture as it is) under versions/1.0."""
    program = copy_program(FIXTURE, tmp_path / "program")
    shutil.copytree(FIXTURE, program / "versions" / "1.0")
    umbrella = program / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text()
                        .replace('protocol_version: "1.0"', 'protocol_version: "1.1"')
                        .replace("Fixture exclusion criterion (test data).", "Amended exclusion criterion (test data).")
                        .replace("  source: Test fixture derived from configs/ucd-umbrella\n",
                                 "  source: Test fixture derived from configs/ucd-umbrella\n"
                                 "  amendment_rationale: Fixture amendment rationale (test data).\n"
                                 "  history:\n    - version: \"1.0\"\n      date: 2025-03-11\n"
                                 "      program: versions/1.0\n"))
    variants = program / "variants.yaml"
    variants.write_text(variants.read_text().replace("          dose: 0.3\n", "          dose: 0.2\n")
                        .replace("    source: ClinVar RCV000011761\n", "    source: ClinVar RCV000011761 (amended)\n"))
    return program


@pytest.fixture(scope="module")
def amended(tmp_path_factory) -> Path:
    from basket.api import render_to

    program = _amended(tmp_path_factory.mktemp("amended"))
    out = program.parent / "out"
    render_to(program, out, ["md"])
    return out


def test_overview_has_the_version_table_and_the_overview_of_changes(amended):
    text = (amended / "overview.md").read_text()
    history = text[text.index("## Document History"):text.index("## Sponsor Approval")]
    assert "| 1.0 | 2025-03-11 | Original version. |" in history
    assert "| 1.1 | 2025-03-11 | " in history and "5 Trial Population" in history
    changes = history[history.index("### Overview of Changes in the Current Amendment"):]
    assert "Amendment of version 1.0 by version 1.1." in changes
    assert "Rationale: Fixture amendment rationale (test data)." in changes
    assert "| 5 Trial Population |" in changes and "Amended exclusion criterion" in changes
    assert "| Intervention Specific Appendix CPS1-Q335X |" in changes
    assert "Intervention Specific Appendix OTC-R40H" in changes  # a variant outside the umbrella


def test_appendix_shows_only_the_changes_that_reach_it(amended):
    text = (amended / "appendices" / "CPS1-Q335X.md").read_text()
    history = text[text.index("## Document History"):text.index("## Sponsor Approval")]
    assert "| Intervention Specific Appendix CPS1-Q335X | Modified variant CPS1-Q335X: dosing.steps" in history
    assert "OTC-R40H" not in history


def test_recorded_versions_are_not_part_of_the_program_and_are_in_the_manifest(amended):
    from basket.program.load import load_program

    program = amended.parent / "program"
    assert len(load_program(program).program.variants) == 3  # versions/1.0 is not loaded as more variants
    inputs = json.loads((amended / "manifest.json").read_text())["inputs"]
    assert "versions/1.0/umbrella.yaml" in inputs and "umbrella.yaml" in inputs


def test_original_protocol_says_there_is_no_amendment(rendered):
    text = (rendered / "overview.md").read_text()
    history = text[text.index("## Document History"):text.index("## Sponsor Approval")]
    assert "| 1.0 | 2025-03-11 | Original version. |" in history
    assert "This is the original protocol; there is no amendment." in history


def test_a_recorded_version_that_is_missing_is_bad_input(tmp_path):
    from basket.foundation.problems import InputError
    from basket.program.load import load_program

    program = _amended(tmp_path)
    shutil.rmtree(program / "versions" / "1.0")
    with pytest.raises(InputError) as error:
        load_program(program)
    assert "umbrella.yaml:" in str(error.value) and "umbrella.history[0].program" in str(error.value)
    assert "no recorded version at versions/1.0" in str(error.value)
