"""The compiled scan: every PAM occurrence of one strand of one sequence, every guide, k mismatches, b bulges.

Terms (docs/decisions.md, "Off-target nomination", has the full definitions):

* The sequence is scanned as the strand that carries the PAM, 5'->3'; the minus strand is scanned as
  the reverse complement. Codes: A=0, C=1, G=2, T=3, anything else (N, IUPAC ambiguity) = 4.
* A site is one PAM occurrence: the PAM's first base at index ``s``. The protospacer is the DNA just
  5' of it. An alignment pairs the guide with that DNA starting at the PAM (guide base L with DNA base
  s-1) and ending with a pair at the PAM-distal end; between pairs it may leave DNA bases unpaired
  (DNA bulges) or guide bases unpaired (RNA bulges). A pair of different bases, or with an N, is a
  mismatch: an N never matches.
* Work is done PAM-anchored: guide index i counts from the PAM (i = 0 is guide base L) and DNA index j
  counts 5'-ward from the PAM (j = 0 is base s-1). A pair (i, j) lies on diagonal d = j - i; a DNA bulge
  moves the next pair to d + 1, an RNA bulge to d - 1. The alignment starts at (0, 0).

Bases are packed two bits each into a 64-bit register that rolls along the sequence, so the guide's
mismatches against the DNA on one diagonal are one XOR and a popcount. Only the (site, guide) pairs that
pass a lower bound go through the small exact dynamic programme over diagonals.
"""

from __future__ import annotations

import numpy as np
from numba import njit

N_CODE = 4
PAD = 16  # N codes after the sequence, so the scan reads past its end without bounds tests
MAX_PAM_LENGTH = 8  # the PAM lookup table has 8**length entries
MAX_PACKED_BASES = 32  # a uint64 holds 32 two-bit bases: spacer length + 2 * bulges must fit
EVEN_BITS = np.uint64(0x5555555555555555)
HIT_FIELDS = ("pam_start", "guide", "pam", "mismatches", "bulges", "diagonal")
INFINITE = 1 << 20


@njit(cache=True)
def translate_in_place(data, table):
    """data[i] = table[data[i]] for every byte: ASCII to codes without a second copy of a contig."""
    for i in range(data.shape[0]):
        data[i] = table[data[i]]


@njit(cache=True)
def reverse_complement_into(codes, n, out):
    """out[:n] = the reverse complement of codes[:n] (the complement of code c < 4 is 3 - c; N stays N)."""
    for i in range(n):
        code = codes[n - 1 - i]
        out[i] = 3 - code if code < N_CODE else N_CODE


@njit(cache=True, inline="always")
def _popcount(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def _best_alignment(masks, spacer, max_mismatches, max_bulges, available, table):
    """The best (bulges, mismatches, diagonal) over alignments with at most max_bulges bulges, or bulges = -1.

    masks[b + d] has bit 2i set when guide index i mismatches the DNA on diagonal d. The order is fewest
    bulges, then fewest mismatches, then the larger final diagonal (DNA bulges before RNA bulges).
    ``table[i, u, b + d]`` is scratch: the fewest mismatches of an alignment whose last pair is (i, i + d)
    having used u bulges.
    """
    b = max_bulges
    width = 2 * b + 1
    for i in range(spacer):
        for u in range(b + 1):
            for e in range(width):
                table[i, u, e] = INFINITE
    table[0, 0, b] = np.int64((masks[b] & np.uint64(1)) != 0)
    for i in range(1, spacer):
        shift = np.uint64(2 * i)
        for u in range(b + 1):
            for e in range(width):
                d = e - b
                cost = np.int64((masks[e] >> shift) & np.uint64(1))
                best = INFINITE
                # x DNA bulges and r RNA bulges between the previous pair and this one
                for r in range(u + 1):
                    previous = i - 1 - r
                    if previous < 0:
                        break
                    for x in range(u - r + 1):
                        pe = e - x + r
                        if pe < 0 or pe >= width:
                            continue
                        value = table[previous, u - r - x, pe]
                        best = min(best, value)
                if best < INFINITE:
                    table[i, u, e] = best + cost
    last = spacer - 1
    for u in range(b + 1):
        best_mm = INFINITE
        best_d = 0
        for e in range(width - 1, -1, -1):  # larger diagonal first: DNA bulges before RNA bulges
            d = e - b
            if spacer + d > available:
                continue
            value = table[last, u, e]
            if value <= max_mismatches and value < best_mm:
                best_mm = value
                best_d = d
        if best_mm < INFINITE:
            return u, best_mm, best_d
    return -1, 0, 0


@njit(cache=True, inline="always")
def _low(p):
    """Bit pairs of guide indices below p (even bits only)."""
    return np.uint64((1 << (2 * p)) - 1) & np.uint64(0x5555555555555555)


@njit(cache=True)
def _best_one_bulge(m0, m_dna, m_rna, spacer, max_mismatches, available):
    """The exact answer of `_best_alignment` for one bulge, without the table.

    A DNA bulge after guide index p - 1 pairs indices below p on diagonal 0 and the rest on +1; an RNA
    bulge at index p pairs those below p on 0 and those above on -1. The prefix on diagonal 0 may hold at
    most max_mismatches, which bounds p by the (k+1)-th mismatch of m0; suffixes only shrink as p grows,
    so if even that p leaves too many in both suffixes there is no one-bulge site.
    """
    full = _low(spacer)
    rest = m0
    for _ in range(max_mismatches):
        rest &= rest - np.uint64(1)
    if rest == 0:
        last_p = spacer - 1
    else:
        last_p = min(spacer - 1, _popcount((rest & (~rest + np.uint64(1))) - np.uint64(1)) // 2)
    dna_possible = spacer + 1 <= available and _popcount(m_dna & full & ~_low(last_p)) <= max_mismatches
    rna_last = min(last_p, spacer - 2)
    rna_possible = spacer - 1 <= available and _popcount(m_rna & full & ~_low(rna_last + 1)) <= max_mismatches
    if not (dna_possible or rna_possible):
        return -1, 0, 0
    best_dna = INFINITE
    best_rna = INFINITE
    for p in range(1, last_p + 1):
        prefix = _popcount(m0 & _low(p))
        if dna_possible:
            value = prefix + _popcount(m_dna & full & ~_low(p))
            best_dna = min(best_dna, value)
        if rna_possible and p <= spacer - 2:
            value = prefix + _popcount(m_rna & full & ~_low(p + 1))
            best_rna = min(best_rna, value)
    if best_dna <= max_mismatches and best_dna <= best_rna:
        return 1, best_dna, 1
    if best_rna <= max_mismatches:
        return 1, best_rna, -1
    return -1, 0, 0


@njit(cache=True)
def pam_windows(codes, n, start, stop, spacer, max_bulges, pam_table, pam_width):
    """The PAM occurrences with a first base in [start, stop) on the strand ``codes[:n]`` reads 5'->3', each
    with the DNA around its protospacer packed into registers.

    ``codes`` continues past n with at least PAD codes of N. ``pam_table`` maps the ``pam_width`` codes at
    a position, three bits each (first base highest), to the first PAM pattern they satisfy, or -1. The
    registers hold spacer + 2 * max_bulges bases, two bits each, ending max_bulges bases into the PAM: bit
    pair j is the base at s - 1 + max_bulges - j (the protospacer's DNA index j - max_bulges, counted
    5'-ward from the PAM); ``unknown`` has the low bit of pair j set where that base is N or lies before
    the sequence. Returns (count, pam_start, pam pattern, bases, unknown) filled up to count.
    """
    b = max_bulges
    window = spacer + 2 * b
    register_mask = np.uint64((1 << (2 * window)) - 1) if window < 32 else np.uint64(0xFFFFFFFFFFFFFFFF)
    pam_mask = np.uint64((1 << (3 * pam_width)) - 1)
    size = max(stop - start, 0)
    starts = np.empty(size, dtype=np.int64)
    patterns = np.empty(size, dtype=np.int64)
    packed = np.empty(size, dtype=np.uint64)
    unknowns = np.empty(size, dtype=np.uint64)
    count = 0
    two = np.uint64(2)
    three = np.uint64(3)
    bases = np.uint64(0)
    unknown = register_mask  # before the sequence starts every base counts as unknown
    pam = np.uint64(0)
    first = max(start, 1)
    last = min(stop, n)
    # warm up: for PAM start s the protospacer registers end at base s - 1 + b, the PAM register at s + w - 1
    for x in range(max(0, first - 1 + b - window), first - 1 + b):
        code = np.uint64(codes[x])
        bases = ((bases << two) | (code & three)) & register_mask
        unknown = ((unknown << two) | (code >> two)) & register_mask  # code 4 (N) has bit 2 set
    for y in range(first, first + pam_width - 1):
        pam = ((pam << three) | np.uint64(codes[y])) & pam_mask
    for s in range(first, last):
        code = np.uint64(codes[s - 1 + b])
        bases = ((bases << two) | (code & three)) & register_mask
        unknown = ((unknown << two) | (code >> two)) & register_mask
        pam = ((pam << three) | np.uint64(codes[s + pam_width - 1])) & pam_mask
        pattern = pam_table[pam]
        if pattern < 0:
            continue
        starts[count] = s
        patterns[count] = pattern
        packed[count] = bases
        unknowns[count] = unknown
        count += 1
    return count, starts, patterns, packed, unknowns


@njit(cache=True)
def match_guides(count, starts, patterns, packed, unknowns, guides, spacer, max_mismatches, max_bulges):
    """Every (site, guide) within the limits among the first ``count`` PAM windows of `pam_windows`.

    ``guides`` holds each guide packed PAM-anchored (bit pair i = guide base L - i, codes 0-3).
    Returns an int64 array of rows (pam_start, guide, pam pattern, mismatches, bulges, diagonal),
    sorted by pam_start then guide; the protospacer spans [pam_start - spacer - diagonal, pam_start).
    """
    b = max_bulges
    guide_mask = np.uint64((1 << (2 * spacer)) - 1) if spacer < 32 else np.uint64(0xFFFFFFFFFFFFFFFF)
    even = np.uint64(0x5555555555555555)
    guide_even = guide_mask & even
    width = 2 * b + 1
    masks = np.zeros(width, dtype=np.uint64)
    table = np.empty((spacer, b + 1, width), dtype=np.int64)
    hits = np.empty((64, 6), dtype=np.int64)
    found = 0
    centre = np.uint64(2 * b)  # diagonal 0 sits b bases into the register
    for w in range(count):
        s = starts[w]
        bases = packed[w]
        unknown = unknowns[w]
        for g in range(guides.shape[0]):
            guide = guides[g]
            x0 = ((bases >> centre) & guide_mask) ^ guide
            m0 = ((x0 | (x0 >> np.uint64(1))) & even) | ((unknown >> centre) & guide_even)
            mismatches = _popcount(m0)
            if mismatches <= max_mismatches and spacer <= s:
                bulges, diagonal = 0, 0
            elif b == 0:
                continue
            elif b == 1:
                x_dna = ((bases >> np.uint64(4)) & guide_mask) ^ guide
                m_dna = ((x_dna | (x_dna >> np.uint64(1))) & even) | ((unknown >> np.uint64(4)) & guide_even)
                x_rna = (bases & guide_mask) ^ guide
                m_rna = ((x_rna | (x_rna >> np.uint64(1))) & even) | (unknown & guide_even)
                bulges, mismatches, diagonal = _best_one_bulge(m0, m_dna, m_rna, spacer, max_mismatches, s)
                if bulges < 0:
                    continue
            else:
                all_mismatch = guide_even
                for e in range(width):  # e = b + d: DNA index i + d sits b + i + d pairs into the register
                    shift = np.uint64(2 * e)
                    xe = ((bases >> shift) & guide_mask) ^ guide
                    me = ((xe | (xe >> np.uint64(1))) & even) | ((unknown >> shift) & guide_even)
                    masks[e] = me
                    all_mismatch &= me
                if _popcount(all_mismatch) - b > max_mismatches:
                    # every paired guide base mismatches at least where all diagonals do; RNA bulges pair none
                    continue
                else:
                    bulges, mismatches, diagonal = _best_alignment(masks, spacer, max_mismatches, b, s, table)
                if bulges < 0:
                    continue
            if found == hits.shape[0]:
                grown = np.empty((2 * found, 6), dtype=np.int64)
                grown[:found] = hits
                hits = grown
            hits[found, 0] = s
            hits[found, 1] = g
            hits[found, 2] = patterns[w]
            hits[found, 3] = mismatches
            hits[found, 4] = bulges
            hits[found, 5] = diagonal
            found += 1
    return hits[:found].copy()
