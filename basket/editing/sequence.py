"""DNA alphabets, reverse complements and IUPAC PAM matching.

Sequences are plain ``str`` in upper case. ``N`` in a *sequence* means an unknown base;
IUPAC codes in a *pattern* (a PAM such as ``NGG`` or ``NRN``) mean sets of bases.
"""

from __future__ import annotations

import re
from functools import lru_cache

DNA_BASES = "ACGT"
SEQUENCE_ALPHABET = frozenset("ACGTN")

IUPAC_CODES: dict[str, str] = {
    "A": "A",
    "C": "C",
    "G": "G",
    "T": "T",
    "R": "AG",
    "Y": "CT",
    "S": "CG",
    "W": "AT",
    "K": "GT",
    "M": "AC",
    "B": "CGT",
    "D": "AGT",
    "H": "ACT",
    "V": "ACG",
    "N": "ACGT",
}

# Complements of every IUPAC code, so that PAM patterns can be reverse-complemented too.
_COMPLEMENT = str.maketrans("ACGTRYSWKMBDHVN", "TGCAYRSWMKVHDBN")


class SequenceError(ValueError):
    """A sequence or pattern contains characters outside its alphabet."""


def reverse_complement(seq: str) -> str:
    """Reverse complement of a DNA sequence or IUPAC pattern (upper case)."""
    return seq.translate(_COMPLEMENT)[::-1]


def complement(base: str) -> str:
    """Complement of one base (or a sequence, without reversing)."""
    return base.translate(_COMPLEMENT)


def validate_dna(seq: str, what: str = "sequence") -> str:
    """Upper-case ``seq`` and check it uses only A, C, G, T and N."""
    upper = seq.upper()
    if SEQUENCE_ALPHABET.issuperset(upper):  # fast path; the loop below only finds the culprit
        return upper
    for index, char in enumerate(upper):
        if char not in SEQUENCE_ALPHABET:
            raise SequenceError(f"{what} has {seq[index]!r} at position {index + 1}; only A, C, G, T and N are allowed")
    return upper


def validate_iupac(pattern: str, what: str = "pattern") -> str:
    """Upper-case ``pattern`` and check every character is an IUPAC nucleotide code."""
    upper = pattern.upper()
    if not upper:
        raise SequenceError(f"{what} is empty")
    for index, char in enumerate(upper):
        if char not in IUPAC_CODES:
            raise SequenceError(
                f"{what} {pattern!r} has {pattern[index]!r} at position {index + 1}, "
                f"which is not an IUPAC nucleotide code ({''.join(IUPAC_CODES)})"
            )
    return upper


def pam_matches(pam_pattern: str, seq: str) -> bool:
    """True when ``seq`` (a concrete sequence) satisfies the IUPAC ``pam_pattern``.

    An ``N`` in the *sequence* is an unknown base and never matches, not even an ``N``
    in the pattern: a guide must not be proposed on a PAM we cannot see.
    """
    return pam_regex(pam_pattern.upper()).fullmatch(seq.upper()) is not None


@lru_cache(maxsize=256)
def pam_regex(pam_pattern: str) -> re.Pattern[str]:
    """A compiled regex for an upper-case IUPAC pattern; matches only A, C, G, T (never N)."""
    validate_iupac(pam_pattern, "PAM")
    return re.compile("".join(f"[{IUPAC_CODES[code]}]" for code in pam_pattern))
