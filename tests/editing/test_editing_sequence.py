from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from basket.editing.sequence import (
    SequenceError,
    complement,
    pam_matches,
    reverse_complement,
    validate_dna,
    validate_iupac,
)

dna = st.text(alphabet="ACGTN", max_size=60)


def test_reverse_complement_hand_checked() -> None:
    assert reverse_complement("AACGTN") == "NACGTT"
    assert reverse_complement("NGG") == "CCN"
    assert reverse_complement("NRCH") == "DGYN"  # IUPAC codes complement too (H<->D, R<->Y)
    assert complement("ACGT") == "TGCA"


@given(dna)
def test_reverse_complement_is_an_involution(seq: str) -> None:
    assert reverse_complement(reverse_complement(seq)) == seq
    assert len(reverse_complement(seq)) == len(seq)


def test_validate_dna_upper_cases_and_locates_bad_characters() -> None:
    assert validate_dna("acgtn") == "ACGTN"
    with pytest.raises(SequenceError, match=r"'X' at position 3"):
        validate_dna("ACXGT")
    with pytest.raises(SequenceError, match="position 2"):
        validate_dna("AR")  # IUPAC ambiguity codes are not sequence bases


def test_validate_iupac_rejects_non_codes() -> None:
    assert validate_iupac("nrch") == "NRCH"
    with pytest.raises(SequenceError, match="'E' at position 2"):
        validate_iupac("NEG")
    with pytest.raises(SequenceError, match="empty"):
        validate_iupac("")


@pytest.mark.parametrize(
    ("pattern", "seq", "expected"),
    [
        ("NGG", "AGG", True),
        ("NGG", "AGC", False),
        ("NGC", "TGC", True),
        ("NG", "CG", True),
        ("NRN", "TAC", True),
        ("NRN", "TGC", True),
        ("NRN", "TCC", False),
        ("NYN", "TCA", True),
        ("NRCH", "AACA", True),
        ("NRCH", "AACG", False),  # H is A, C or T
        ("S", "C", True),
        ("S", "A", False),
        ("W", "T", True),
        ("K", "G", True),
        ("K", "A", False),
        ("M", "C", True),
        ("B", "A", False),
        ("D", "C", False),
        ("H", "G", False),
        ("V", "T", False),
        ("V", "G", True),
        ("NGG", "NGG", False),  # N in the sequence is unknown: never a PAM base
        ("NGG", "ANG", False),
        ("NGG", "AG", False),  # too short
        ("ngg", "agg", True),
    ],
)
def test_pam_matches(pattern: str, seq: str, expected: bool) -> None:
    assert pam_matches(pattern, seq) is expected
