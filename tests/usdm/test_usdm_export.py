"""`basket export usdm`: the umbrella as a CDISC USDM v4 study that usdm4 loads and validates."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from click.testing import CliRunner

from basket.api import export_usdm, plan_program
from basket.cli import main
from basket.usdm.serialization import load_study, study_json
from tests.conftest import EXAMPLE, ROOT
from tests.readiness.conftest import replace_text
from tests.usdm.golden import GOLDEN, example_with_usdm_facts, golden_study

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_program


def study(data: bytes) -> dict:
    return json.loads(data)["study"]


def version(data: bytes) -> dict:
    return study(data)["versions"][0]


def test_example_passes_every_implemented_usdm4_rule(example_conformance) -> None:
    assert example_conformance.findings == []
    assert example_conformance.passed_rules == 213


def test_synthetic_program_passes_every_implemented_usdm4_rule(tmp_path: Path) -> None:
    from basket.usdm.conformance import check_study

    write_program(tmp_path / "synthetic", 60, seed=11)
    result = export_usdm(tmp_path / "synthetic", None)
    assert result.designs >= 5  # several appendices, several diseases: names must stay unique across designs
    conformance = check_study(result.data)
    assert conformance.findings == [], conformance.summary()


def test_example_matches_its_golden_file() -> None:
    assert golden_study() == GOLDEN.read_bytes(), "regenerate with `make golden` and review the diff"


def test_example_round_trips_through_usdm4() -> None:
    data = GOLDEN.read_bytes()
    assert study_json(load_study(data)) == data
    loaded, plan = example_with_usdm_facts()
    umbrella = loaded.program.umbrella
    v = version(data)
    assert [t["text"] for t in v["titles"]] == [umbrella.title, umbrella.short_title]
    assert v["versionIdentifier"] == umbrella.protocol_version
    assert [i["text"] for i in v["studyIdentifiers"]] == [umbrella.id]
    inclusion = [s.text for s in umbrella.population.inclusion]
    assert [re.sub("&gt;", ">", i["text"]) for i in v["eligibilityCriterionItems"][: len(inclusion)]] == inclusion
    assert [d["name"] for d in v["studyDesigns"]] == [f"ISA {item.variant}" for item in plan.inside]
    documents = study(data)["documentedBy"]
    assert documents[0]["childIds"] == [d["id"] for d in documents[1:]]
    assert [d["name"] for d in documents] == ["overview"] + [f"appendices/{i.variant}" for i in plan.inside]


def test_export_maps_identifiers_products_schedule_and_sources(full: Path) -> None:
    data = export_usdm(full, None).data
    v = version(data)
    organizations = {o["id"]: o for o in v["organizations"]}
    scopes = {i["text"]: organizations[i["scopeId"]]["type"]["decode"] for i in v["studyIdentifiers"]}
    assert scopes == {"UMB-TEST-001": "Academia", "000001": "Regulatory Agency", "NCT00000001": "Study Registry"}
    assert [r["code"]["decode"] for r in v["roles"]] == ["Clinical Study Sponsor"]
    # one intervention and one product per appendix; the variant's own guide is an ingredient of its product
    assert [i["name"] for i in v["studyInterventions"]] == ["Test ABE platform CPS1-Q335X",
                                                            "Test ABE platform CPS1-Q335X-B"]
    grna = [ing["substance"]["label"] for ing in v["administrableProducts"][1]["ingredients"]]
    assert grna == ["editor mRNA", "LNP", "test guide B, protospacer GAGGATGTTGTCCAAGGCAT"]
    doses = v["studyInterventions"][0]["administrations"]
    assert [(a["label"], a["dose"]["value"], a["dose"]["unit"]["standardCode"]["decode"],
             a["route"]["standardCode"]["code"]) for a in doses] == [
        ("Dose 1", 0.1, "Milligram per Kilogram", "C38276"), ("Dose 2", 0.3, "Milligram per Kilogram", "C38276")]
    first, second = v["studyDesigns"]
    timeline = first["scheduleTimelines"][0]
    placed = [(i["label"], t["type"]["decode"], t["value"]) for i, t in zip(timeline["instances"], timeline["timings"],
                                                                            strict=True)]
    assert placed == [("Screening", "Before", "P28D"), ("Dosing", "Fixed Reference", "P0D"),
                      ("Dose 2", "After", "P21D"), ("Week 4", "After", "P4W"), ("Month 12", "After", "P12M")]
    assert [i["label"] for i in second["scheduleTimelines"][0]["instances"]] == ["Dosing", "Day 8", "Dose 2"]
    assert [c["label"] for c in second["eligibilityCriteria"]] == [
        "IN1", "IN2", "CPS1-Q335X-B_GENOTYPE", "CPS1-Q335X-B_IN1", "EX1"]
    objectives = [(o["level"]["decode"], [e["level"]["decode"] for e in o["endpoints"]]) for o in first["objectives"]]
    assert objectives == [("Trial Primary Objective", ["Primary Endpoint"]),
                          ("Trial Secondary Objective", ["Secondary Endpoint"])]
    criterion = next(c for c in v["eligibilityCriterionItems"] if c["name"] == "IN1")
    assert criterion["text"] == "Severe CPS1 deficiency &amp; a history of ammonia &gt;= 400 umol/L"
    assert [n["text"] for n in criterion["notes"]] == ["Source: test criterion source"]
    assert [n["text"] for n in first["encounters"][0]["notes"]] == ["Source: test visit source"]


def test_export_is_byte_identical_between_runs_and_through_the_cli(full: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a.json", "b.json"):
        result = runner.invoke(main, ["export", "usdm", str(full), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert "wrote" in result.output and "2 study designs" in result.output
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes() == export_usdm(full, None).data


def test_example_as_it_stands_is_refused_with_what_usdm_needs(tmp_path: Path) -> None:
    out = tmp_path / "study.json"
    result = CliRunner().invoke(main, ["export", "usdm", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(re.match(r".*umbrella\.yaml:\d+: umbrella\.sponsor_organization: USDM needs the sponsor", x)
               for x in lines)
    assert any(re.match(r".*umbrella\.yaml:\d+: umbrella\.objectives: USDM needs exactly one primary objective", x)
               for x in lines)
    assert any(re.match(r".*umbrella\.yaml:\d+: umbrella\.population\.planned_age: USDM needs", x) for x in lines)
    assert lines[-1].endswith("nothing was written.")
    assert not out.exists()


def test_facts_usdm_cannot_code_are_reported_at_their_line(full: Path, tmp_path: Path) -> None:
    replace_text(full / "umbrella.yaml", "timing: Week 4,", "timing: at the end of the first month,")
    replace_text(full / "umbrella.yaml", "route: intravenous,", "route: by vein,")
    replace_text(full / "umbrella.yaml", "registry: [NCT00000001]", "registry: [NCT00000001, ISRCTN00000001]")
    out = tmp_path / "study.json"
    result = CliRunner().invoke(main, ["export", "usdm", str(full), "-o", str(out)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    text = (full / "umbrella.yaml").read_text().splitlines()
    line_of = {needle: next(i for i, x in enumerate(text, 1) if needle in x)
               for needle in ("at the end of the first month", "by vein", "ISRCTN")}
    assert any(x.endswith(f"umbrella.yaml:{line_of['at the end of the first month']}: umbrella.schedule[2].timing: "
                          "'at the end of the first month': USDM places a visit by its time from an anchor; write it "
                          "as Day N, Week N, Month N or Year N, counted from the first dose (Day 1)") for x in lines)
    assert any(f"umbrella.yaml:{line_of['by vein']}: umbrella.dosing.steps[1].route: 'by vein' is no term of the "
               "CDISC codelist C66729" in x for x in lines)
    assert any(f"umbrella.yaml:{line_of['ISRCTN']}: umbrella.registry[1]: 'ISRCTN00000001'" in x for x in lines)
    assert not out.exists()


def test_a_primary_endpoint_the_disease_lacks_is_reported(full: Path) -> None:
    replace_text(full / "diseases.yaml", "        kind: primary\n", "        kind: secondary\n")
    result = CliRunner().invoke(main, ["export", "usdm", str(full), "-o", "-"])
    assert result.exit_code == 2
    assert re.search(r"diseases\.yaml:\d+: diseases\[0\]\.endpoints: USDM needs a primary endpoint for the primary "
                     r"objective in each appendix of CPS1 deficiency \(rule DDF00041\)", result.output)


def test_no_output_inside_the_program(full: Path) -> None:
    before = (full / "umbrella.yaml").read_bytes()
    for target in (full / "umbrella.yaml", full / "study.json"):
        result = CliRunner().invoke(main, ["export", "usdm", str(full), "-o", str(target)])
        assert result.exit_code == 2 and "lies inside the input" in result.output, result.output
    assert (full / "umbrella.yaml").read_bytes() == before and not (full / "study.json").exists()


def test_validate_option_reports_the_rules_and_exits_1_on_a_failure(full: Path, tmp_path: Path, monkeypatch,
                                                                   example_conformance) -> None:
    import dataclasses

    from basket.usdm import conformance

    checked = []
    monkeypatch.setattr(conformance, "check_study", lambda data: checked.append(data) or example_conformance)
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["export", "usdm", str(full), "-o", str(out), "--validate"])
    assert result.exit_code == 0, result.output
    assert checked == [out.read_bytes()]
    assert "usdm4 rules: 213 passed, 0 failed, 47 not implemented by usdm4" in result.output
    failed = dataclasses.replace(example_conformance, findings=[conformance.Finding("DDF00083", "Failure",
                                                                                    "id 'X' is not unique", "$.x")])
    monkeypatch.setattr(conformance, "check_study", lambda data: failed)
    result = CliRunner().invoke(main, ["export", "usdm", str(full), "-o", str(out), "--validate"])
    assert result.exit_code == 1
    assert "1 failed (DDF00083)" in result.output and "DDF00083 failure: id 'X' is not unique at $.x" in result.output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["export", "usdm", "--help"])
    assert result.exit_code == 0 and "Example: basket export usdm configs/ucd-umbrella -o study.json" in result.output


def test_every_design_belongs_to_a_variant_inside_the_umbrella(full: Path) -> None:
    _, plan = plan_program(full)
    outside = {item.variant for item in plan.outside}
    names = {d["name"] for d in version(export_usdm(full, None).data)["studyDesigns"]}
    assert outside == {"CPS1-E714X"} and names == {"ISA CPS1-Q335X", "ISA CPS1-Q335X-B"}


def test_without_usdm4_the_command_says_how_to_install_it(full: Path, tmp_path: Path, monkeypatch) -> None:
    from basket.usdm import terminology

    monkeypatch.setattr(terminology, "usdm4_installed", lambda: False)
    result = CliRunner().invoke(main, ["export", "usdm", str(full), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 2 and "pip install --no-deps usdm4==0.29.0" in result.output
    assert not (tmp_path / "s.json").exists()
