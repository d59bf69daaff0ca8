"""The search over a whole genome: contig by contig, strand by strand, in stretches, with progress.

Memory holds one contig (its bytes, its codes and its reverse complement) and the PAM windows of one
stretch of SCAN_STRETCH positions; it does not grow with the genome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from basket.foundation.problems import InputError, Problem
from basket.offtargets.fasta_stream import FastaStream, ReferenceIdentity
from basket.offtargets.personal_genome import check_reference_alleles, patient_sites
from basket.offtargets.query import OffTargetQuery
from basket.offtargets.sequence_codes import encode, reverse_complement_codes
from basket.offtargets.sites import Site, StrandScan, site_from_hit
from basket.offtargets.vcf_alleles import PatientAlleles

SCAN_STRETCH = 1 << 20
Progress = Callable[[int, int], None]  # (bytes of the FASTA done, bytes in all)


@dataclass(frozen=True)
class GenomeSearch:
    query: OffTargetQuery
    reference: ReferenceIdentity
    sites: list[Site]
    contig_order: tuple[str, ...]


def search_genome(query: OffTargetQuery, fasta: Path, build: str | None = None,
                  progress: Progress | None = None, alleles: PatientAlleles | None = None) -> GenomeSearch:
    """Every site of the query in the reference FASTA, both strands, in file order of contigs; with
    ``alleles``, also the sites the patient's alleles create or change, and the ones they destroy."""
    stream = FastaStream(fasta, build)
    scan = StrandScan(query)
    sites: list[Site] = []
    order: list[str] = []
    before = 0
    for name, sequence in stream:
        order.append(name)
        n = len(sequence)
        codes = encode(sequence)
        del sequence
        after = stream.position
        done = _Stretches(progress, before, after - before, 2 * n, stream.size)
        found = _strand_sites(scan, name, codes, n, "+", done)
        minus = reverse_complement_codes(codes, n)
        found += _strand_sites(scan, name, minus, n, "-", done)
        del minus
        if alleles is not None and name in alleles.contigs:
            check_reference_alleles(alleles.source, name, codes, n, alleles.contigs[name])
            patient, found, left_out = patient_sites(scan, name, codes, n, alleles.contigs[name], found)
            found += patient
            if left_out:
                alleles.count_skipped("overlapping another allele on the same haplotype", len(left_out))
        sites += found
        before = after
    assert stream.identity is not None
    if alleles is not None:
        _every_contig_known(alleles, set(order))
    return GenomeSearch(query, stream.identity, sites, tuple(order))


def _every_contig_known(alleles: PatientAlleles, contigs: set[str]) -> None:
    missing = sorted(set(alleles.contigs) - contigs)
    if missing:
        first = min((a for name in missing for a in alleles.contigs[name].all()), key=lambda a: a.line)
        raise InputError([Problem(alleles.source, first.line, "CHROM", f"contig(s) {', '.join(missing)} of the VCF "
                                  f"are not in the reference FASTA ({', '.join(sorted(contigs)[:5])}, ...)")])


def sites_in_codes(query: OffTargetQuery, contig: str, codes, n: int) -> list[Site]:
    """Every site on both strands of one encoded sequence (the plus strand, as `encode` gives it)."""
    scan = StrandScan(query)
    return (_strand_sites(scan, contig, codes, n, "+", None)
            + _strand_sites(scan, contig, reverse_complement_codes(codes, n), n, "-", None))


def _strand_sites(scan: StrandScan, contig: str, codes, n: int, strand: str, done) -> list[Site]:
    found = []
    for start in range(0, n, SCAN_STRETCH):
        stop = min(n, start + SCAN_STRETCH)
        found += [site_from_hit(scan.query, contig, codes, n, hit, strand) for hit in scan.hits(codes, n, start, stop)]
        if done is not None:
            done.advance(stop - start)
    return found


class _Stretches:
    """Progress within a contig, as a share of the bytes the contig took in the file."""

    def __init__(self, progress: Progress | None, before: int, contig_bytes: int, work: int, total: int):
        self.progress, self.before, self.contig_bytes, self.work, self.total = (
            progress, before, contig_bytes, max(work, 1), total)
        self.done = 0

    def advance(self, positions: int) -> None:
        self.done += positions
        if self.progress is not None:
            self.progress(self.before + self.contig_bytes * self.done // self.work, self.total)
