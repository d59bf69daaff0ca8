"""One alignment of a guide with a site's DNA, to show: which bases mismatch and where the bulges are.

The scan finds, for each site, the fewest bulges and then the fewest mismatches; this module places
them. Of the alignments with those counts, it shows the one whose bulges lie farthest from the PAM
(PAM-distal first, the side where Cas9 tolerates them best). Rows read 5'->3' on the site's strand:
the guide row has ``-`` where a DNA base is unpaired (DNA bulge), the DNA row has ``-`` where a guide
base is unpaired (RNA bulge), and a mismatched DNA base is in lower case (an N is always lower case).
"""

from __future__ import annotations

from dataclasses import dataclass

from basket.editing.guides import SEED_LENGTH

UNREACHABLE = 1 << 20


@dataclass(frozen=True)
class Alignment:
    guide_row: str
    dna_row: str
    mismatches: int
    dna_bulges: int
    rna_bulges: int
    # Protospacer positions (1-based from the PAM-distal end of the guide) of each difference:
    # a mismatch or RNA bulge at that guide base, a DNA bulge after it.
    difference_positions: tuple[int, ...]

    @property
    def bulges(self) -> int:
        return self.dna_bulges + self.rna_bulges

    @property
    def seed_differences(self) -> int:
        """Differences in the PAM-proximal seed (the last SEED_LENGTH guide positions)."""
        spacer = len(self.guide_row.replace("-", ""))
        return sum(position > spacer - SEED_LENGTH for position in self.difference_positions)


def align(guide: str, dna: str, bulges: int, mismatches: int, dna_bulges: int) -> Alignment:
    """The alignment of ``guide`` with ``dna`` (both 5'->3', the DNA ending at the PAM) with exactly
    these counts, which the scan found to be the best; ValueError if there is none."""
    rna_bulges = bulges - dna_bulges
    if len(dna) != len(guide) + dna_bulges - rna_bulges:
        raise ValueError("the DNA length does not match the bulge counts")
    if bulges == 0:
        return _rows([(i, i) for i in range(len(guide))], guide, dna, mismatches, 0, 0)
    table = _fewest_mismatches(guide, dna, bulges)
    end = (len(guide) - 1, len(dna) - 1)
    if table.get((end, dna_bulges, rna_bulges), UNREACHABLE) != mismatches:
        raise ValueError(f"no alignment of {guide} with {dna} has {mismatches} mismatches and these bulges")
    columns = _trace(table, guide, dna, end, dna_bulges, rna_bulges)
    return _rows(columns, guide, dna, mismatches, dna_bulges, rna_bulges)


def _pair_cost(guide: str, dna: str, i: int, j: int) -> int:
    return 0 if guide[i] == dna[j] and dna[j] in "ACGT" else 1


def _fewest_mismatches(guide: str, dna: str, bulges: int) -> dict:
    """Fewest mismatches of alignments whose last pair is (i, j) with (DNA, RNA) bulges used, PAM-distal first."""
    table: dict = {((0, 0), 0, 0): _pair_cost(guide, dna, 0, 0)}
    for i in range(1, len(guide)):
        for j in range(max(1, i - bulges), min(len(dna), i + bulges + 1)):  # a bulge moves the diagonal by one
            cost = _pair_cost(guide, dna, i, j)
            for previous_i in range(max(0, i - 1 - bulges), i):
                for previous_j in range(max(0, j - 1 - bulges), j):
                    rna, dna_gap = i - 1 - previous_i, j - 1 - previous_j
                    for used_dna in range(bulges + 1):
                        for used_rna in range(bulges + 1 - used_dna):
                            total_dna, total_rna = used_dna + dna_gap, used_rna + rna
                            if total_dna + total_rna > bulges:
                                continue
                            value = table.get(((previous_i, previous_j), used_dna, used_rna))
                            if value is None:
                                continue
                            key = ((i, j), total_dna, total_rna)
                            if value + cost < table.get(key, UNREACHABLE):
                                table[key] = value + cost
    return table


def _trace(table: dict, guide: str, dna: str, end: tuple[int, int], dna_bulges: int, rna_bulges: int):
    """Pairs from the PAM-proximal end back, taking a plain pair whenever an optimal path allows, so
    bulges end up as far from the PAM as possible."""
    pairs = [end]
    (i, j), used_dna, used_rna = end, dna_bulges, rna_bulges
    while (i, j) != (0, 0):
        value = table[((i, j), used_dna, used_rna)] - _pair_cost(guide, dna, i, j)
        options = []
        for previous_i in range(max(0, i - 1 - used_rna), i):
            for previous_j in range(max(0, j - 1 - used_dna), j):
                rna, dna_gap = i - 1 - previous_i, j - 1 - previous_j
                key = ((previous_i, previous_j), used_dna - dna_gap, used_rna - rna)
                if table.get(key) == value:
                    options.append((rna + dna_gap, -dna_gap, key))
        _, _, ((i, j), used_dna, used_rna) = min(options)
        pairs.append((i, j))
    return pairs[::-1]


def _rows(pairs, guide: str, dna: str, mismatches: int, dna_bulges: int, rna_bulges: int) -> Alignment:
    guide_row, dna_row, differences = [], [], []
    previous = (-1, -1)
    for i, j in pairs:
        for skipped in range(previous[1] + 1, j):  # DNA bulges: after guide base previous[0] + 1
            guide_row.append("-")
            dna_row.append(dna[skipped])
            differences.append(previous[0] + 1)
        for skipped in range(previous[0] + 1, i):  # RNA bulges
            guide_row.append(guide[skipped])
            dna_row.append("-")
            differences.append(skipped + 1)
        mismatch = _pair_cost(guide, dna, i, j)
        guide_row.append(guide[i])
        dna_row.append(dna[j].lower() if mismatch else dna[j])
        if mismatch:
            differences.append(i + 1)
        previous = (i, j)
    return Alignment("".join(guide_row), "".join(dna_row), mismatches, dna_bulges, rna_bulges,
                     tuple(sorted(differences)))
