"""`basket diff` names the USDM objects that changed between two versions of a program."""

from __future__ import annotations

from pathlib import Path

from basket.changes.amendment_report import amendment_markdown
from basket.changes.program_diff import diff_programs
from tests.conftest import MINIMAL, copy_program
from tests.readiness.conftest import replace_text
from tests.usdm.conftest import FULL


def test_identical_versions_have_no_usdm_changes(tmp_path: Path) -> None:
    diff = diff_programs(copy_program(FULL, tmp_path / "old"), copy_program(FULL, tmp_path / "new"))
    assert diff.empty and diff.usdm_changes == [] and diff.usdm_note == ""


def test_changed_criterion_and_added_visit_name_their_usdm_objects(tmp_path: Path) -> None:
    old, new = copy_program(FULL, tmp_path / "old"), copy_program(FULL, tmp_path / "new")
    replace_text(new / "umbrella.yaml", "Weight above 3.5 kg at screening", "Weight above 4 kg at screening")
    replace_text(new / "umbrella.yaml", "    - {name: Month 12,",
                 "    - {name: Month 6, timing: Month 6, assessments: [Plasma ammonia]}\n    - {name: Month 12,")
    diff = diff_programs(old, new)
    changes = {(c.action, c.id): c for c in diff.usdm_changes}
    criterion = changes[("modified", "EligibilityCriterionItem_IN2")]
    assert (criterion.klass, criterion.name, criterion.fields) == ("EligibilityCriterionItem", "IN2", ["text"])
    added = {c.id for c in diff.usdm_changes if c.action == "added"}
    # the umbrella's schedule is CPS1-Q335X's; CPS1-Q335X-B has its own, so only one design gains the visit
    assert "Encounter_CPS1-Q335X_Month-6" in added and not any(i.startswith("Encounter_CPS1-Q335X-B") for i in added)
    assert ("modified", "StudyDesign_CPS1-Q335X") in changes and ("modified", "StudyDesign_CPS1-Q335X-B") not in changes
    # the visit after it keeps its id: it is modified (its place in the flow), not re-created
    assert ("modified", "ScheduledActivityInstance_CPS1-Q335X_Month-12") not in changes
    assert ("modified", "ScheduledActivityInstance_CPS1-Q335X_Week-4") in changes  # now followed by Month 6
    text = amendment_markdown(diff)
    assert "## USDM objects changed" in text
    assert "- EligibilityCriterionItem EligibilityCriterionItem_IN2 (IN2) modified: text" in text


def test_versions_usdm_cannot_express_are_said_so(tmp_path: Path) -> None:
    old, new = copy_program(MINIMAL, tmp_path / "old"), copy_program(FULL, tmp_path / "new")
    diff = diff_programs(old, new)
    assert diff.usdm_changes == []
    assert diff.usdm_note.startswith("USDM objects are not compared: the old version cannot be expressed")
    assert diff.usdm_note in amendment_markdown(diff)
