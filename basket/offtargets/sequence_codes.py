"""DNA as small integer codes for the compiled scan, guides packed into registers, PAMs as bitmasks.

Codes: A=0, C=1, G=2, T=3 and 4 for anything else (N, an IUPAC ambiguity code in an assembly, a
soft-masked base is upper-cased first). The complement of code c < 4 is 3 - c.
"""

from __future__ import annotations

import numpy as np

from basket.editing.sequence import IUPAC_CODES
from basket.offtargets.scan_kernel import (
    MAX_PACKED_BASES,
    N_CODE,
    PAD,
    reverse_complement_into,
    translate_in_place,
)

BASES = "ACGT"
_CODE_OF_BYTE = np.array([BASES.index(chr(b).upper()) if chr(b).upper() in BASES else N_CODE for b in range(256)],
                         dtype=np.uint8)
_PADDING = bytes([N_CODE] * PAD)
_LETTER_OF_CODE = np.frombuffer(b"ACGTN", dtype=np.uint8)


def encode(sequence: bytes | bytearray) -> np.ndarray:
    """Codes of a DNA byte string (upper or lower case; any other letter becomes N), followed by PAD Ns.

    A bytearray is encoded in place (its bytes become the codes, so a contig is held once); anything
    else is copied first."""
    buffer = sequence if isinstance(sequence, bytearray) else bytearray(sequence)
    buffer.extend(b"N" * PAD)
    codes = np.frombuffer(buffer, dtype=np.uint8)
    translate_in_place(codes, _CODE_OF_BYTE)
    return codes


def reverse_complement_codes(codes: np.ndarray, n: int) -> np.ndarray:
    """The reverse complement of ``codes[:n]``, followed by PAD Ns."""
    reverse = np.full(n + PAD, N_CODE, dtype=np.uint8)
    reverse_complement_into(codes, n, reverse)
    return reverse


def decode(codes: np.ndarray) -> str:
    return _LETTER_OF_CODE[codes].tobytes().decode("ascii")


def pack_guides(guides: list[str], spacer: int) -> np.ndarray:
    """Each guide as a uint64, PAM-anchored: bit pair i holds the code of guide base ``spacer - i``."""
    packed = np.zeros(len(guides), dtype=np.uint64)
    for index, guide in enumerate(guides):
        value = 0
        for i, base in enumerate(reversed(guide)):
            value |= BASES.index(base) << (2 * i)
        packed[index] = value
    return packed


def pam_lookup(pams: list[str]) -> tuple[np.ndarray, int]:
    """For every window of the longest PAM's length, as its codes three bits each (first base highest),
    the index of the first pattern it satisfies, or -1; and that length. Shorter patterns look only at
    the window's first bases; a window base that is N (code 4) satisfies nothing."""
    width = max(len(pam) for pam in pams)
    values = np.arange(8**width, dtype=np.int64)
    window = [(values >> (3 * (width - 1 - t))) & 7 for t in range(width)]
    table = np.full(8**width, -1, dtype=np.int8)
    for index in reversed(range(len(pams))):  # earlier patterns win: written last
        allowed = np.ones(len(values), dtype=bool)
        for t, symbol in enumerate(pams[index]):
            allowed &= np.isin(window[t], [BASES.index(base) for base in IUPAC_CODES[symbol]])
        table[allowed] = index
    return table, width


def fits_register(spacer: int, max_bulges: int) -> bool:
    return spacer + 2 * max_bulges <= MAX_PACKED_BASES
