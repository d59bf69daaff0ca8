"""The patient's own genome: sites their alleles create or change, and reference sites they destroy.

For each haplotype context (`vcf_alleles.PatientAlleles`) the alleles of a contig are gathered into
windows that reach one longest site (spacer + bulges + PAM) beyond them, the alleles applied to the
reference there, and the windows of the contig scanned together (joined by runs of N, which no site
crosses). A site found there counts as patient-specific only when an allele lies in its search region (the PAM
and the spacer + bulges bases 5' of it, which decide whether and how the guide pairs there; a deletion
counts when the region spans its junction); every other site of the window is a reference site, already
found by the reference scan. A reference site with an applied allele in its search region but no site
at the same PAM in the patient's window is marked destroyed by those alleles (with the haplotype).
Coordinates of patient sites are the reference's: an inserted base takes the position of the
reference base before it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from basket.foundation.problems import InputError, Problem
from basket.offtargets.sequence_codes import decode, encode, reverse_complement_codes
from basket.offtargets.sites import EditableBase, Site, StrandScan, site_from_hit
from basket.offtargets.vcf_alleles import MAX_ALLELE_LENGTH, Allele, ContigAlleles

INSERTION_BITS = 10  # inserted runs are at most MAX_ALLELE_LENGTH bases


@dataclass
class _Window:
    label: str
    start: int  # 0-based index of its first base in the joined sequence
    length: int
    reference_positions: np.ndarray  # reference position of each base << INSERTION_BITS | insertion rank
    applied: list[tuple[Allele, int, int]]  # allele, first joined index of its bases, number of bases
    reference_begin: int  # the reference span it covers, 1-based inclusive
    reference_end: int
    left_out: list[Allele]  # alleles overlapping one already applied on this haplotype


def haplotype_label(context: str) -> str:
    """How a context is shown: phased "1"/"2", "1,2" for homozygous-only, "unphased" otherwise."""
    if context in ("1", "2"):
        return context
    return "1,2" if context == "homozygous" else "unphased"


def _overlaps(allele: Allele, low: int, high: int) -> bool:
    """Does the allele change the reference span [low, high]? An insertion does when it falls inside."""
    if allele.ref:
        return allele.position <= high and allele.ref_end >= low
    return low <= allele.position - 1 and allele.position <= high


def check_reference_alleles(vcf: str, contig: str, codes: np.ndarray, n: int, alleles: ContigAlleles) -> None:
    """Every allele's REF must be the reference's bases there: a VCF of another build is bad input."""
    problems = []
    seen = set()
    for allele in alleles.all():
        if (allele.line, allele.id) in seen:
            continue
        seen.add((allele.line, allele.id))
        if allele.ref_end > n:
            problems.append(Problem(vcf, allele.line, "POS", f"{contig}:{allele.position} is past the end of "
                                    f"{contig} ({n} bp) in the reference"))
            continue
        found = decode(codes[allele.position - 1:allele.ref_end])
        if found != allele.ref and "N" not in allele.ref:
            problems.append(Problem(vcf, allele.line, "REF", f"{allele.ref} at {contig}:{allele.position} "
                                    f"but the reference has {found} (another build?)"))
    if problems:
        raise InputError(problems)


def patient_sites(scan: StrandScan, contig: str, codes: np.ndarray, n: int, alleles: ContigAlleles,
                  reference_sites: list[Site]) -> tuple[list[Site], list[Site], set[str]]:
    """(patient-specific sites, the reference sites with `destroyed_by` filled in, the ids of alleles
    left out because they overlap another allele on the same haplotype) for one contig."""
    query = scan.query
    flank = query.spacer + query.max_bulges + scan.pam_width
    windows, joined, positions = _windows(codes, n, alleles, flank)
    left_out = {allele.id for window in windows for allele in window.left_out}
    if not windows:
        return [], reference_sites, left_out
    length = len(joined)
    plus = encode(bytes(joined))
    minus = reverse_complement_codes(plus, length)
    starts = [w.start for w in windows]
    found: dict[tuple, Site] = {}
    present: set[tuple] = set()  # (context, strand, reference PAM first base, guide) seen in the patient
    for strand, strand_codes in (("+", plus), ("-", minus)):
        for hit in scan.hits(strand_codes, length, 0, length):
            site = site_from_hit(query, contig, strand_codes, length, hit, strand)
            window = windows[bisect_right(starts, site.pam_start - 1) - 1]
            mapped = _mapped(site, positions)
            present.add((window.label, mapped.key, mapped.guide))
            involved = _involved(site, window, query.spacer + query.max_bulges)
            if involved and not (mapped.start < 1 or mapped.pam_start < 1):
                _merge(found, mapped.with_(origin="patient", haplotype=haplotype_label(window.label),
                                           variants=involved))
    destroyed = _destroyed(reference_sites, windows, present, query.spacer + query.max_bulges)
    return list(found.values()), destroyed, left_out


def _windows(codes: np.ndarray, n: int, alleles: ContigAlleles, flank: int):
    """Windows to scan, per context: "1" / "2" (phased haplotypes), "alone:<allele id>" (an allele of
    unknown phase with the homozygous ones near it), "homozygous" (those alone, when nothing is phased)."""
    groups: list[tuple[str, list[Allele]]] = []
    for haplotype in sorted(alleles.phased):
        groups += [(haplotype, group) for group in _clusters(alleles.phased[haplotype], flank)]
    if not alleles.phased:
        groups += [("homozygous", group) for group in _clusters(alleles.background, flank)]
    background_starts = [a.position for a in alleles.background]
    for allele in alleles.alone:
        low = bisect_left(background_starts, allele.position - 2 * flank - MAX_ALLELE_LENGTH)
        high = bisect_right(background_starts, allele.ref_end + 2 * flank)
        near = [a for a in alleles.background[low:high]
                if a.position - flank <= allele.ref_end + flank and a.ref_end + flank >= allele.position - flank]
        groups.append((f"alone:{allele.id}", sorted([allele, *near], key=lambda a: (a.position, a.ref_end))))
    windows: list[_Window] = []
    joined = bytearray()
    positions: list[np.ndarray] = []
    gap = b"N" * flank
    for label, group in groups:
        begin = max(1, group[0].position - flank)
        end = min(n, max(a.ref_end for a in group) + flank)
        sequence, reference_positions, applied = _apply(codes, begin, end, group, len(joined))
        applied_ids = {id(allele) for allele, _, _ in applied}
        left_out = [allele for allele in group if id(allele) not in applied_ids]
        windows.append(_Window(label, len(joined), len(sequence), reference_positions, applied, begin, end, left_out))
        joined += sequence + gap
        positions += [reference_positions, np.zeros(len(gap), dtype=np.int64)]
    return windows, joined, (np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64))


def _clusters(alleles: list[Allele], flank: int) -> list[list[Allele]]:
    """Alleles whose windows (one flank either side) touch, together."""
    groups: list[list[Allele]] = []
    reach = -1
    for allele in alleles:
        if groups and allele.position - flank <= reach:
            groups[-1].append(allele)
        else:
            groups.append([allele])
        reach = max(reach, allele.ref_end + flank)
    return groups


def _apply(codes: np.ndarray, begin: int, end: int, group: list[Allele], joined_start: int):
    """The reference [begin, end] with the group's alleles applied (an allele overlapping one already
    applied on this haplotype is left out), the reference position of each base, and where each allele's
    bases landed."""
    sequence = bytearray()
    positions: list[int] = []  # reference position << INSERTION_BITS | rank among bases inserted after it
    applied = []
    cursor = begin  # next reference position to copy
    for allele in group:
        if allele.position < cursor:  # overlaps an allele already applied here
            continue
        sequence += decode(codes[cursor - 1:allele.position - 1]).encode()
        positions.extend(p << INSERTION_BITS for p in range(cursor, allele.position))
        applied.append((allele, joined_start + len(sequence), len(allele.alt)))
        sequence += allele.alt.encode()
        replaced = len(allele.ref)
        for i in range(len(allele.alt)):
            if i < replaced:
                positions.append((allele.position + i) << INSERTION_BITS)
            else:  # beyond the replaced bases: inserted after the last reference base before them
                anchor = allele.ref_end if replaced else allele.position - 1
                positions.append(anchor << INSERTION_BITS | (i - replaced + 1))
        cursor = allele.ref_end + 1
    sequence += decode(codes[cursor - 1:end]).encode()
    positions.extend(p << INSERTION_BITS for p in range(cursor, end + 1))
    return sequence, np.array(positions, dtype=np.int64), applied


def search_region(site: Site, reach: int) -> tuple[int, int]:
    """The bases that decide whether there is a site at this PAM and what it is: the PAM and the
    ``reach`` (spacer + bulges) bases 5' of it. 1-based, inclusive, plus strand."""
    if site.strand == "+":
        return site.pam_start - reach, site.pam_end
    return site.pam_start, site.pam_end + reach


def _involved(site: Site, window: _Window, reach: int) -> tuple[str, ...]:
    """Alleles whose bases lie in the site's search region, or whose deletion junction it spans;
    positions here are 1-based in the joined sequence."""
    low, high = (value - 1 for value in search_region(site, reach))  # 0-based, inclusive
    names = []
    for allele, first, count in window.applied:
        inside = first <= high and first + count - 1 >= low if count else low <= first - 1 and first <= high
        if inside:
            names.append(allele.id)
    return tuple(names)


def _mapped(site: Site, positions: np.ndarray) -> Site:
    """The site in reference coordinates; a PAM starting on an inserted base keeps its rank among the
    bases inserted there, so two PAMs mapped to one reference position stay two sites."""
    def where(joined: int) -> int:
        return int(positions[joined - 1]) >> INSERTION_BITS

    editable = tuple(EditableBase(b.protospacer_position, b.window, where(b.position)) for b in site.editable)
    start, end = sorted((where(site.start), where(site.end)))
    pam_start, pam_end = sorted((where(site.pam_start), where(site.pam_end)))
    first_pam_base = site.pam_start if site.strand == "+" else site.pam_end
    inserted = int(positions[first_pam_base - 1]) & ((1 << INSERTION_BITS) - 1)
    return site.with_(start=start, end=end, pam_start=pam_start, pam_end=pam_end, editable=editable,
                      pam_inserted_rank=inserted)


def _merge(found: dict[tuple, Site], site: Site) -> None:
    """One row per patient site: the same site on two haplotypes is one row naming both."""
    identity = (site.key, site.guide, site.dna, site.pam)
    previous = found.get(identity)
    if previous is None:
        found[identity] = site
        return
    haplotypes = sorted(set(previous.haplotype.split(",")) | set(site.haplotype.split(",")))
    variants = tuple(sorted(set(previous.variants) | set(site.variants)))
    found[identity] = previous.with_(haplotype=",".join(haplotypes), variants=variants)


def _destroyed(reference_sites: list[Site], windows: list[_Window], present: set[tuple], reach: int) -> list[Site]:
    ordered = sorted(windows, key=lambda w: w.reference_begin)
    begins = [w.reference_begin for w in ordered]
    longest = max(w.reference_end - w.reference_begin for w in ordered)
    updated = []
    for site in reference_sites:
        low, high = search_region(site, reach)
        destroyed = set()
        first = bisect_left(begins, low - longest)
        for window in ordered[first:bisect_right(begins, high)]:
            hits = [allele for allele, _, _ in window.applied if _overlaps(allele, low, high)]
            if hits and (window.label, site.key, site.guide) not in present:
                label = haplotype_label(window.label)
                destroyed |= {f"{allele.id} (haplotype {label})" for allele in hits}
        updated.append(site.with_(destroyed_by=tuple(sorted(destroyed))) if destroyed else site)
    return updated
