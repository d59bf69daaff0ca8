"""A brute-force off-target enumerator, written from the definitions alone, to check the engine against.

It tries every PAM occurrence on both strands and every placement of up to b bulges (DNA bases or guide
bases left unpaired, never at either end of the alignment), pairs the rest in order and counts mismatches
(an N never matches). A site's result is the best by (bulges, mismatches, RNA bulges): the same order the
engine documents. Slow on purpose: nothing is pruned or packed.
"""

from __future__ import annotations

from itertools import combinations

from basket.editing.sequence import IUPAC_CODES, reverse_complement

Found = tuple[str, int, str, str, int, int, int]  # strand, PAM first base (plus, 1-based), guide, PAM, mm, bulges, DNA bulges


def brute_force_sites(plus: str, guides: list[str], pams: list[str], k: int, b: int) -> set[Found]:
    found: set[Found] = set()
    n = len(plus)
    for strand, seq in (("+", plus), ("-", reverse_complement(plus))):
        for s in range(n):
            pam = _pam_at(seq, s, pams)
            if pam is None:
                continue
            first_base = s + 1 if strand == "+" else n - s
            for guide in guides:
                best = _best(guide, seq, s, k, b)
                if best is not None:
                    bulges, mismatches, rna = best
                    found.add((strand, first_base, guide, seq[s:s + len(pam)], mismatches, bulges, bulges - rna))
    return found


def _pam_at(seq: str, s: int, pams: list[str]) -> str | None:
    for pam in pams:
        window = seq[s:s + len(pam)]
        if len(window) == len(pam) and all(base in IUPAC_CODES[code] for base, code in zip(window, pam)):
            return pam
    return None


def _best(guide: str, seq: str, s: int, k: int, b: int) -> tuple[int, int, int] | None:
    candidates = []
    spacer = len(guide)
    for dna_bulges in range(b + 1):
        for rna_bulges in range(b + 1 - dna_bulges):
            length = spacer + dna_bulges - rna_bulges
            if length > s:
                continue
            dna = seq[s - length:s]
            fewest = min(
                _mismatches(guide, dna, set(dna_skip), set(rna_skip))
                for dna_skip in combinations(range(1, length - 1), dna_bulges)
                for rna_skip in combinations(range(1, spacer - 1), rna_bulges)
            )
            if fewest <= k:
                candidates.append((dna_bulges + rna_bulges, fewest, rna_bulges))
    return min(candidates) if candidates else None


def _mismatches(guide: str, dna: str, dna_skip: set[int], rna_skip: set[int]) -> int:
    paired_guide = [base for i, base in enumerate(guide) if i not in rna_skip]
    paired_dna = [base for j, base in enumerate(dna) if j not in dna_skip]
    assert len(paired_guide) == len(paired_dna)
    return sum(g != d or d not in "ACGT" for g, d in zip(paired_guide, paired_dna))
