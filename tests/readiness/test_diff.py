"""`basket diff`: every kind of change, its M11 section, impact, and the amendment summary."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.changes.manifest import build_manifest
from basket.changes.program_diff import diff_paths, diff_programs, field_changes
from basket.cli import main

from .conftest import READY, replace_text


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(READY, old)
    shutil.copytree(READY, new)
    return old, new


def only(diff, kind: str):
    found = [c for c in diff.changes if c.kind == kind]
    assert len(found) == 1, diff.changes
    return found[0]


def test_identical_programs_have_no_changes(versions) -> None:
    diff = diff_programs(*versions)
    assert diff.empty and diff.changes == []


def test_added_variant(versions) -> None:
    old, new = versions
    replace_text(new / "variants.yaml", "  - id: CPS1-E714X\n",
                 "  - id: CPS1-NEW\n    gene: CPS1\n    hgvs_c: NM_001875.5:c.2140G>A\n    source: test\n"
                 "  - id: CPS1-E714X\n")
    change = only(diff_programs(old, new), "variants")
    assert (change.key, change.action) == ("CPS1-NEW", "added")
    assert change.section == "Intervention Specific Appendix CPS1-NEW"
    assert change.description == "Added variant CPS1-NEW."


def test_removed_variant_lists_its_old_appendix_and_patients(versions) -> None:
    old, new = versions
    replace_text(new / "patients.yaml", "  - id: PT-002\n    disease: OMIM:237300\n    genotype:\n"
                 "      - {variant: CPS1-Q335X-B, origin: unknown}\n", "")
    text = (new / "variants.yaml").read_text()
    start = text.index("  # a second (hypothetical")
    end = text.index("  - id: CPS1-E714X")
    (new / "variants.yaml").write_text(text[:start] + text[end:])
    diff = diff_programs(old, new)
    change = next(c for c in diff.changes if c.kind == "variants")
    assert (change.key, change.action) == ("CPS1-Q335X-B", "removed")
    assert change.appendices == ["CPS1-Q335X-B"] and change.patients == ["PT-002"]
    assert next(c for c in diff.changes if c.kind == "patients").action == "removed"


def test_modified_variant_has_field_level_differences(versions) -> None:
    old, new = versions
    replace_text(new / "variants.yaml", "classification: pathogenic", "classification: likely pathogenic")
    change = only(diff_programs(old, new), "variants")
    assert change.action == "modified"
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("classification", "pathogenic", "likely pathogenic")]
    assert "pathogenicity (element 1)" in change.why
    assert change.appendices == ["CPS1-Q335X"] and change.patients == ["PT-001"]


def test_status_change_is_workflow_only(versions) -> None:
    old, new = versions
    replace_text(new / "variants.yaml", "status: appendix_drafted", "status: submitted")
    change = only(diff_programs(old, new), "variants")
    assert "the workflow status (no protocol text)" in change.why


def test_platform_component_change_reaches_every_appendix(versions) -> None:
    old, new = versions
    replace_text(new / "platform.yaml", "{id: lnp, name: LNP, kind: LNP, shared: true}",
                 "{id: lnp, name: LNP, kind: LNP, shared: true, version: v2}")
    change = only(diff_programs(old, new), "components")
    assert change.section == "6 Trial Intervention and Concomitant Therapy"
    assert change.appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]
    assert change.patients == ["PT-001", "PT-002"]
    assert "affects 2 appendices" in change.why


def test_editor_change_reaches_every_appendix_and_may_move_variants(versions) -> None:
    old, new = versions
    replace_text(new / "platform.yaml", "pams: [NGC]", "pams: [NGG]")
    diff = diff_programs(old, new)
    change = only(diff, "editors")
    assert change.appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]
    assert change.fields[0].field == "pams"


def test_evidence_change(versions) -> None:
    old, new = versions
    replace_text(new / "evidence.yaml", "result: up to 42%", "result: up to 40%")
    change = only(diff_programs(old, new), "evidence")
    assert change.section == "Intervention Specific Appendix CPS1-Q335X (nonclinical and clinical evidence)"
    assert "Evidence for element 4 (Target engagement confirmed)" in change.why
    assert change.appendices == ["CPS1-Q335X"]


def test_platform_evidence_change_reaches_every_appendix(versions) -> None:
    old, new = versions
    replace_text(new / "evidence.yaml", "result: tolerated", "result: transient ALT elevation")
    change = only(diff_programs(old, new), "evidence")
    assert change.appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]


def test_evidence_status_change_reports_readiness_consequences(versions) -> None:
    old, new = versions
    replace_text(new / "evidence.yaml", "kind: off_target_confirmation,", "kind: off_target_confirmation, "
                 "status: planned,")
    diff = diff_programs(old, new)
    assert diff.readiness_changes == ["CPS1-Q335X: element 4 met → partial", "CPS1-Q335X: entry gate pass → fail"]


def test_document_hash_change_asks_for_review(versions) -> None:
    old, new = versions
    (new / "docs" / "report.txt").write_text("new report\n")
    import hashlib
    digest = hashlib.sha256(b"new report\n").hexdigest()
    text = (new / "evidence.yaml").read_text()
    start = text.index("sha256: ") + len("sha256: ")
    (new / "evidence.yaml").write_text(text[:start] + digest + text[start + 64:])
    change = only(diff_programs(old, new), "evidence")
    assert "re-review it" in change.why and change.fields[0].field == "sha256"


def test_natural_history_change(versions) -> None:
    old, new = versions
    replace_text(new / "diseases.yaml", "n: 10", "n: 12")
    change = only(diff_programs(old, new), "natural_history")
    assert change.key == "NH-TEST" and change.fields[0].field == "n"
    assert "natural-history external control" in change.section
    assert change.appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]


def test_natural_history_removed_changes_readiness(versions) -> None:
    old, new = versions
    replace_text(new / "diseases.yaml", "        n: 10\n", "")
    diff = diff_programs(old, new)
    assert "CPS1-Q335X: element 3 met → partial" in diff.readiness_changes


def test_endpoint_change_amends_objectives(versions) -> None:
    old, new = versions
    replace_text(new / "diseases.yaml", "    source: OMIM 237300\n",
                 "    source: OMIM 237300\n    biomarkers: [plasma ammonia]\n")
    change = only(diff_programs(old, new), "diseases")
    assert change.section == "3 Trial Objectives and Associated Estimands"


def test_coverage_change_lists_variants_entering_or_leaving(versions) -> None:
    old, new = versions
    replace_text(new / "umbrella.yaml", "diseases: [OMIM:237300]", "diseases: [OMIM:237300, OMIM:311250]")
    replace_text(new / "umbrella.yaml", 'protocol_version: "1.0"', 'protocol_version: "1.1"')
    diff = diff_programs(old, new)
    rows = {c.section: c for c in diff.changes if c.kind == "umbrella"}
    assert set(rows) == {"5 Trial Population (diseases covered)", "Title page and 1 Protocol Summary"}
    assert rows["Title page and 1 Protocol Summary"].appendices == ["CPS1-Q335X", "CPS1-Q335X-B"]
    assert (diff.old_version, diff.new_version) == ("1.0", "1.1")


def test_patient_change_amends_no_protocol_text(versions) -> None:
    old, new = versions
    replace_text(new / "patients.yaml", "origin: unknown", "origin: de novo")
    change = only(diff_programs(old, new), "patients")
    assert change.why == "Participant record; amends no protocol text."


def test_field_changes_walk_nested_mappings() -> None:
    found = field_changes({"a": {"b": 1, "c": [1]}, "d": 1}, {"a": {"b": 2, "c": [1]}, "e": 2})
    assert [(f.field, f.old, f.new) for f in found] == [("a.b", 1, 2), ("d", 1, None), ("e", None, 2)]


# --- manifests ----------------------------------------------------------------------------------


def write_manifest(directory: Path, outputs: dict[str, bytes], inputs: dict[str, str], version: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "manifest.json"
    path.write_bytes(build_manifest(inputs, sha256s(outputs), {"protocol_version": version}))
    return path


def test_manifest_diff(tmp_path: Path) -> None:
    old = write_manifest(tmp_path / "a", {"overview.md": b"o", "appendices/X.md": b"x"}, {"v.yaml": "1" * 64}, "1")
    new = write_manifest(tmp_path / "b", {"overview.md": b"o", "appendices/X.md": b"x2", "appendices/Y.md": b"y"},
                         {"v.yaml": "2" * 64}, "2")
    diff = diff_paths(old, new)
    assert diff.mode == "manifests"
    summary = {(c.kind, c.key, c.action): c.appendices for c in diff.changes}
    assert summary == {("inputs", "v.yaml", "modified"): [], ("outputs", "appendices/X.md", "modified"): ["X"],
                       ("outputs", "appendices/Y.md", "added"): ["Y"], ("manifest", "protocol_version", "modified"): []}
    assert diff_paths(tmp_path / "a", tmp_path / "b").changes == diff.changes  # render directories work too


def test_mixing_a_program_and_a_manifest_is_bad_input(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "a", {}, {}, "1")
    result = CliRunner().invoke(main, ["diff", str(READY), str(manifest)])
    assert result.exit_code == 2 and "not one of each" in result.output


# --- CLI and summary ------------------------------------------------------------------------------


def test_summary_is_an_m11_overview_of_changes_table(versions, tmp_path: Path) -> None:
    old, new = versions
    replace_text(new / "platform.yaml", "{id: lnp, name: LNP, kind: LNP, shared: true}",
                 "{id: lnp, name: LNP, kind: LNP, shared: true, version: v2}")
    target = tmp_path / "amendment.md"
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-o", str(target)])
    assert result.exit_code == 0 and "wrote" in result.output
    text = target.read_text()
    assert text.startswith("# Overview of changes\n")
    assert "| Section | Description of change | Brief rationale / why it matters | Affected appendices |" in text
    assert ("| 6 Trial Intervention and Concomitant Therapy | Modified platform component lnp: version: (none) → v2. |"
            in text)
    assert "CPS1-Q335X, CPS1-Q335X-B (patients: PT-001, PT-002) |" in text


def test_cli_exit_codes(versions) -> None:
    old, new = versions
    runner = CliRunner()
    same = runner.invoke(main, ["diff", str(old), str(new), "--exit-code"])
    assert same.exit_code == 0 and "No differences." in same.output
    replace_text(new / "diseases.yaml", "n: 10", "n: 12")
    assert runner.invoke(main, ["diff", str(old), str(new)]).exit_code == 0
    assert runner.invoke(main, ["diff", str(old), str(new), "--exit-code"]).exit_code == 1


def test_cli_json(versions) -> None:
    old, new = versions
    replace_text(new / "diseases.yaml", "n: 10", "n: 12")
    data = json.loads(CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"]).output)
    assert data["changes"][0]["fields"] == [{"field": "n", "old": 10, "new": 12}]


def test_invalid_new_program_exits_2_and_writes_nothing(versions, tmp_path: Path) -> None:
    old, new = versions
    replace_text(new / "variants.yaml", "gene: CPS1\n", "gene: NOPE\n")
    target = tmp_path / "amendment.md"
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-o", str(target)])
    assert result.exit_code == 2 and not target.exists()


def sha256s(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


@pytest.mark.parametrize("field, section", [
    ("discontinuation", "7 Participant Discontinuation of Trial Intervention and Discontinuation or Withdrawal from Trial"),
    ("oversight", "11 Trial Oversight and Other General Considerations"),
])
def test_umbrella_statement_lists_map_to_their_m11_section(versions, field: str, section: str) -> None:
    old, new = versions
    umbrella = new / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text() + f"  {field}:\n    - text: A statement.\n      source: test\n")
    change = only(diff_programs(old, new), "umbrella")
    assert change.section == section
