"""Every readiness rule: what makes each element met, partial, missing or not yet applicable."""

from __future__ import annotations

from pathlib import Path

import pytest

from basket.evidence.evidence_checks import CHANGED, UNHASHED, check_natural_history
from basket.evidence.evidence_checks import MISSING as DOC_MISSING
from basket.evidence.readiness_rules import MET, MISSING, NOT_YET, PARTIAL, RULES, UNVERIFIED_WINDOW, kind_elements
from basket.program.model import Disease

from .conftest import add_evidence, drop_evidence, evidence, judge, variant

Q = "CPS1-Q335X"


def element(report, number: int, variant_id: str = Q):
    return report.get(variant_id).elements[number]


def test_fixture_passes_the_gate(ready: Path) -> None:
    report = judge(ready)
    item = report.get(Q)
    assert [item.elements[n].status for n in range(1, 6)] == [MET, MET, MET, MET, NOT_YET]
    assert item.gate.passed and item.gate.failures == []
    assert item.must_pass and not item.blocking
    assert report.blocking == []


def test_every_status_carries_its_rule_text(ready: Path) -> None:
    for number, status in judge(ready).get(Q).elements.items():
        assert status.rule == RULES[number].text
        assert status.title == RULES[number].title


# --- element 1 -----------------------------------------------------------------------------------


def test_e1_without_genotype_confirmation_is_partial(ready: Path) -> None:
    status = element(judge(ready, drop_evidence("ev-genotype")), 1)
    assert status.status == PARTIAL
    assert any("genotype confirmation" in m for m in status.missing)


def test_e1_without_any_evidence_or_classification_is_missing(ready: Path) -> None:
    def mutate(data):
        drop_evidence("ev-genotype", "ev-acmg")(data)
        variant(data, Q)["classification"] = None

    status = element(judge(ready, mutate), 1)
    assert status.status == MISSING
    assert len(status.missing) == 3


@pytest.mark.parametrize("classification,expected", [
    ("pathogenic", MET), ("likely pathogenic", MET), ("uncertain significance", PARTIAL),
    ("likely benign", PARTIAL), (None, PARTIAL),
])
def test_e1_needs_a_pathogenic_or_likely_pathogenic_classification(ready: Path, classification, expected) -> None:
    status = element(judge(ready, lambda d: variant(d, Q).update(classification=classification)), 1)
    assert status.status == expected
    if expected != MET:
        assert f"recorded: {classification or 'none'}" in " ".join(status.missing)


def test_e1_acmg_evidence_about_the_gene_does_not_count(ready: Path) -> None:
    def mutate(data):
        evidence(data, "ev-acmg")["subject"] = "gene:CPS1"

    report = judge(ready, mutate)
    assert element(report, 1).status == PARTIAL
    assert any("ev-acmg" in w and "not used by any rule" in w for w in report.warnings)


# --- element 2 -----------------------------------------------------------------------------------


def test_e2_without_editing_evidence_is_partial(ready: Path) -> None:
    status = element(judge(ready, drop_evidence("ev-invitro")), 2)
    assert status.status == PARTIAL  # the platform condition is met, the evidence is missing
    assert any("in-vitro or patient-cell editing" in m for m in status.missing)


def test_e2_patient_cell_editing_counts(ready: Path) -> None:
    mutate = lambda d: (drop_evidence("ev-invitro")(d),
                        add_evidence(id="ev-cells", element=2, kind="patient_cells_editing",
                                     subject=f"variant:{Q}")(d))
    status = element(judge(ready, mutate), 2)
    assert status.status == MET and status.evidence == ["ev-cells"]


def test_e2_needs_the_platform_to_correct_the_variant(ready: Path) -> None:
    mutate = add_evidence(id="ev-e714x", element=2, kind="in_vitro_editing", subject="variant:CPS1-E714X")
    status = element(judge(ready, mutate), 2, "CPS1-E714X")
    assert status.status == PARTIAL
    assert any("correctable by the platform editor (plan: other_modality" in m for m in status.missing)
    assert element(judge(ready), 2, "CPS1-E714X").status == MISSING


# --- element 3 -----------------------------------------------------------------------------------


def test_e3_met_with_adequate_natural_history(ready: Path) -> None:
    status = element(judge(ready), 3)
    assert status.status == MET and "NH-TEST" in status.evidence


def test_e3_without_n_is_partial(ready: Path) -> None:
    status = element(judge(ready, lambda d: d["diseases"][0]["natural_history"][0].update(n=None)), 3)
    assert status.status == PARTIAL
    assert status.missing == ["natural history inadequate: NH-TEST: cohort size n"]


def test_e3_measure_without_value_is_partial(ready: Path) -> None:
    status = element(judge(ready, lambda d: d["diseases"][0]["natural_history"][0]["measures"][0]
                           .update(value=None)), 3)
    assert status.status == PARTIAL
    assert "at least one measure with a value and its citation" in status.missing[0]


def test_e3_without_natural_history_is_missing(ready: Path) -> None:
    report = judge(ready, lambda d: d["diseases"][0].update(natural_history=[]))
    assert element(report, 3).status == MISSING
    assert not report.natural_history["OMIM:237300"].adequate
    assert report.get(Q).gate.failures == ["element 3 (Natural history well characterized) is missing"]


def test_e3_natural_history_evidence_alone_is_partial(ready: Path) -> None:
    def mutate(data):
        data["diseases"][0]["natural_history"] = []
        add_evidence(id="ev-nh", element=3, kind="natural_history", subject="disease:OMIM:237300")(data)

    status = element(judge(ready, mutate), 3)
    assert status.status == PARTIAL and status.evidence == ["ev-nh"]


def test_natural_history_check_lists_every_gap() -> None:
    disease = Disease.model_validate({
        "id": "OMIM:1", "name": "D", "genes": ["G"], "inheritance": "autosomal recessive", "source": "s",
        "natural_history": [{"id": "NH", "source": "s", "population": "p",
                             "measures": [{"name": "m", "definition": "d", "source": "c"}]}],
    })
    check = check_natural_history(disease)
    assert not check.adequate
    assert check.missing == ["NH: cohort size n", "NH: at least one measure with a value and its citation"]


# --- element 4 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dropped,requirement", [
    ("ev-mouse", "in-vivo or patient-cell editing"),
    ("ev-ot-nom", "off-target nomination"),
    ("ev-ot-conf", "off-target confirmation"),
    ("ev-nhp", "NHP toxicology"),
])
def test_e4_needs_each_requirement(ready: Path, dropped: str, requirement: str) -> None:
    status = element(judge(ready, drop_evidence(dropped)), 4)
    assert status.status == PARTIAL
    assert [m.split(":")[0] for m in status.missing] == [requirement]


def test_e4_without_any_evidence_is_missing(ready: Path) -> None:
    status = element(judge(ready, drop_evidence("ev-mouse", "ev-ot-nom", "ev-ot-conf", "ev-nhp")), 4)
    assert status.status == MISSING and len(status.missing) == 4


def test_e4_platform_level_nhp_counts_for_every_variant(ready: Path) -> None:
    report = judge(ready)
    assert "ev-nhp" in element(report, 4).evidence
    assert "ev-nhp" in element(report, 4, "CPS1-Q335X-B").evidence


def test_e4_variant_level_nhp_counts_too(ready: Path) -> None:
    mutate = lambda d: evidence(d, "ev-nhp").update(subject=f"variant:{Q}")
    assert element(judge(ready, mutate), 4).status == MET


def test_e4_patient_cells_count_as_in_vivo_substitute(ready: Path) -> None:
    mutate = lambda d: evidence(d, "ev-mouse").update(kind="patient_cells_editing")
    assert element(judge(ready, mutate), 4).status == MET


# --- element 5 -----------------------------------------------------------------------------------


def test_e5_not_yet_applicable_before_dosing(ready: Path) -> None:
    assert element(judge(ready), 5).status == NOT_YET


def test_e5_missing_after_dosing_without_follow_up(ready: Path) -> None:
    status = element(judge(ready, lambda d: variant(d, Q).update(status="dosed")), 5)
    assert status.status == MISSING and "clinical follow-up" in status.missing[0]


def test_e5_met_with_follow_up(ready: Path) -> None:
    def mutate(data):
        variant(data, Q)["status"] = "follow_up"
        add_evidence(id="ev-fu", element=5, kind="clinical_follow_up", subject=f"variant:{Q}")(data)

    assert element(judge(ready, mutate), 5).status == MET


def test_e5_applies_when_a_carrier_patient_is_dosed(ready: Path) -> None:
    status = element(judge(ready, lambda d: d["patients"][0].update(status="dosed")), 5)
    assert status.status == MISSING


def test_e5_planned_follow_up_is_partial(ready: Path) -> None:
    def mutate(data):
        variant(data, Q)["status"] = "dosed"
        add_evidence(id="ev-fu", element=5, kind="clinical_follow_up", subject=f"variant:{Q}", status="planned")(data)

    status = element(judge(ready, mutate), 5)
    assert status.status == PARTIAL and status.missing == ["clinical follow-up: ev-fu is planned"]


# --- evidence status and documents ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["planned", "partial"])
def test_planned_or_partial_evidence_counts_as_partial(ready: Path, state: str) -> None:
    report = judge(ready, lambda d: evidence(d, "ev-mouse").update(status=state))
    assert element(report, 4).status == PARTIAL
    assert element(report, 4).missing == [f"in-vivo or patient-cell editing: ev-mouse is {state}"]
    assert not report.get(Q).gate.passed


def test_complete_item_wins_over_a_planned_one(ready: Path) -> None:
    mutate = add_evidence(id="ev-mouse-2", element=4, kind="humanized_mouse", subject=f"variant:{Q}",
                          status="planned")
    assert element(judge(ready, mutate), 4).status == MET


def test_document_with_matching_hash_is_fine(ready: Path) -> None:
    report = judge(ready)
    assert report.documents == {}
    assert element(report, 2).flags == [UNVERIFIED_WINDOW]  # no document flag; the window, unverified, is flagged


def test_changed_document_is_flagged_and_partial(ready: Path) -> None:
    (ready / "docs" / "report.txt").write_text("edited after review\n")
    report = judge(ready)
    assert report.documents["ev-invitro"].kind == CHANGED
    status = element(report, 2)
    assert status.status == PARTIAL
    assert any("changed" in f for f in status.flags)
    assert report.get(Q).blocking


def test_missing_document_is_flagged_and_partial(ready: Path) -> None:
    (ready / "docs" / "report.txt").unlink()
    report = judge(ready)
    assert report.documents["ev-invitro"].kind == DOC_MISSING
    assert element(report, 2).status == PARTIAL
    assert "document docs/report.txt is missing" in element(report, 2).flags[0]


def test_document_without_hash_is_noted_but_counts(ready: Path) -> None:
    report = judge(ready, lambda d: evidence(d, "ev-invitro").update(sha256=None))
    assert report.documents["ev-invitro"].kind == UNHASHED
    assert element(report, 2).status == MET


def test_flagged_natural_history_evidence_makes_element_3_partial(ready: Path) -> None:
    mutate = add_evidence(id="ev-nh", element=3, kind="natural_history", subject="disease:OMIM:237300",
                          document="docs/gone.pdf")
    status = element(judge(ready, mutate), 3)
    assert status.status == PARTIAL and "docs/gone.pdf" in status.flags[0]


# --- the gate -------------------------------------------------------------------------------------


def test_gate_fails_for_a_disease_not_covered(ready: Path) -> None:
    def mutate(data):
        data["umbrella"]["diseases"] = ["OMIM:311250"]

    item = judge(ready, mutate).get(Q)
    assert not item.gate.passed
    assert "disease not covered by the umbrella" in item.gate.failures


def test_gate_lists_each_failing_element(ready: Path) -> None:
    item = judge(ready, drop_evidence("ev-genotype", "ev-mouse")).get(Q)
    assert item.gate.failures == ["element 1 (Specific molecular cause identified) is partial",
                                  "element 4 (Target engagement confirmed) is partial"]


def test_gate_names_the_platform_classification(ready: Path) -> None:
    item = judge(ready).get("CPS1-E714X")
    assert "not correctable by the platform (classification other_modality)" in item.gate.failures


@pytest.mark.parametrize("status,submit,must", [
    ("appendix_drafted", False, False), ("appendix_drafted", True, True), ("submitted", False, True),
    ("cleared", False, True), ("follow_up", False, True), ("proposed", False, False),
])
def test_who_must_pass_the_gate(ready: Path, status: str, submit: bool, must: bool) -> None:
    item = judge(ready, lambda d: variant(d, "CPS1-E714X").update(status=status, submit=submit)).get("CPS1-E714X")
    assert item.must_pass is must
    assert item.blocking is must  # E714X never passes


# --- warnings -------------------------------------------------------------------------------------


def test_misfiled_evidence_is_warned_about(ready: Path) -> None:
    report = judge(ready, lambda d: evidence(d, "ev-mouse").update(element=2))
    assert "evidence ev-mouse: kind humanized_mouse counts for element 4, not 2" in report.warnings
    assert element(report, 4).status == MET  # the kind decides, not the declared element


def test_kind_elements_cover_every_kind_but_other() -> None:
    from basket.program.model import EVIDENCE_KINDS

    assert set(kind_elements()) == set(EVIDENCE_KINDS) - {"other"}
