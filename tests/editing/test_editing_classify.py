from __future__ import annotations

import json

import pytest

from basket.editing.classify import classify
from basket.editing.editors import Editor
from basket.editing.hgvs import parse_hgvs
from basket.editing.sequence_context import SequenceContext, SequenceMismatchError, context_from_window
from tests.editing.conftest import CPS1_CHROM, CPS1_START, CPS1_WINDOW, E714X_C, Q335X_C


def test_q335x_is_correctable_by_the_kj_platform(q335x_context, ngc_editor, catalogue) -> None:
    result = classify(parse_hgvs(Q335X_C), q335x_context, ngc_editor, catalogue)
    assert (result.status, result.deaminase, result.editor) == ("platform", "ABE", "NGC-ABE8e-V106W")
    assert result.guide is not None and result.guide.target_position == 8 and result.guide.pam == "AGC"
    assert "C>T transition" in result.reason
    assert "protospacer position 8" in result.reason and "all synonymous" in result.reason
    json.dumps(result.to_dict())


def test_e714x_is_another_modality_as_a_transversion(ngc_editor, catalogue) -> None:
    result = classify(parse_hgvs(E714X_C), None, ngc_editor, catalogue)
    assert result.status == "other_modality"
    assert "transversion" in result.reason and "prime editing" in result.reason
    assert result.guide is None


def test_no_sequence_when_base_editable_but_no_context(ngc_editor, catalogue) -> None:
    result = classify(parse_hgvs(Q335X_C), None, ngc_editor, catalogue)
    assert result.status == "no_sequence"
    assert "No sequence context was given" in result.reason


def test_other_editor_when_the_platform_pam_is_missing(q335x_context, catalogue) -> None:
    result = classify(parse_hgvs(Q335X_C), q335x_context, catalogue["ABE8e"], catalogue)
    assert result.status == "other_editor"
    # NG-, SpRY- and NRCH-ABE8e all reach it with an equally scored best guide: the name breaks the tie.
    assert result.editor == "NG-ABE8e"
    assert "The platform editor ABE8e cannot correct it (no NGG PAM places" in result.reason
    assert result.guide is not None and result.guide.editor == result.editor


def test_wrong_deaminase_platform_is_explained(q335x_context, catalogue) -> None:
    result = classify(parse_hgvs(Q335X_C), q335x_context, catalogue["BE4max"], catalogue)
    assert result.status == "other_editor"
    assert "it is a CBE and the variant needs an ABE" in result.reason


def test_other_modality_when_no_editor_reaches_the_base(catalogue) -> None:
    # A lone A>G with no NGG/NG/NRN/NGA/NRCH anywhere: only C and T around it.
    seq = "CT" * 20 + "G" + "TC" * 20
    ctx = SequenceContext("t", 1, seq, 41, "G", "A")
    only_ngg = {name: e for name, e in catalogue.items() if name in ("ABE8e", "ABE7.10", "BE4max")}
    result = classify(parse_hgvs("g.41G>A"), ctx, catalogue["ABE8e"], only_ngg)
    assert result.status == "other_modality"
    assert "no PAM of the other ABEs in the catalogue (ABE7.10)" in result.reason
    assert result.reason.endswith("It needs prime editing or another modality.")


def test_context_must_carry_the_same_alleles(q335x_context, ngc_editor, catalogue) -> None:
    with pytest.raises(SequenceMismatchError, match="carries C>T"):
        classify(parse_hgvs("c.1003C>G"), q335x_context, ngc_editor, catalogue)


def test_minus_strand_variant_is_classified_like_its_plus_strand_twin(ngc_editor: Editor, catalogue) -> None:
    # The CPS1 window read as if the gene were on the - strand: c.X G>A is the same + strand C>T.
    ctx = context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, "c.700G>A", variant_offset=66, gene_strand="-")
    result = classify(parse_hgvs("c.700G>A"), ctx, ngc_editor, catalogue)
    assert result.status == "platform"
    assert result.guide is not None and (result.guide.start, result.guide.target_position) == (210591874, 8)
    # Coding-strand changes are complemented for a '-' strand gene.
    assert {b.coding_strand_change for b in result.guide.bystanders} == {"A>G"}
