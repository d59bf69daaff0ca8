"""Human reference assemblies: which RefSeq chromosome accession belongs to which build and chromosome.

An HGVS g. description names its chromosome by RefSeq accession (`NC_000002.12:g.210591886C>T`); the
accession's version tells the assembly: NC_000002.12 is chromosome 2 of GRCh38, NC_000002.11 of GRCh37.
Accessions from the NCBI assembly reports of GRCh38.p14 (GCF_000001405.40) and GRCh37.p13
(GCF_000001405.25); the chromosome accessions did not change across either build's patch releases.
The mitochondrial genome (NC_012920.1, the revised Cambridge Reference Sequence) is the same in both.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

Build = Literal["GRCh38", "GRCh37"]
BUILDS: tuple[Build, ...] = ("GRCh38", "GRCh37")

_CHROMOSOMES = tuple(str(n) for n in range(1, 23)) + ("X", "Y")
# Accession versions of NC_000001 ... NC_000024 (chromosomes 1-22, X, Y) in GRCh38; GRCh37's are one lower.
_GRCH38_VERSIONS = (11, 12, 12, 12, 10, 12, 14, 11, 12, 11, 10, 12, 11, 9, 10, 10, 11, 10, 10, 11, 9, 11, 11, 10)
MITOCHONDRION = "NC_012920.1"


def _accessions(build: Build) -> dict[str, str]:
    lower = 0 if build == "GRCh38" else 1
    table = {f"NC_{number:06d}.{version - lower}": chrom
             for number, (chrom, version) in enumerate(zip(_CHROMOSOMES, _GRCH38_VERSIONS, strict=True), start=1)}
    table[MITOCHONDRION] = "M"
    return table


ACCESSIONS: dict[Build, dict[str, str]] = {build: _accessions(build) for build in BUILDS}


def bare_chromosome(chrom: str) -> str:
    """`chr2` -> `2`, `chrMT`/`MT` -> `M`: the name without prefix, mitochondrion spelt one way."""
    bare = chrom.removeprefix("chr")
    return "M" if bare == "MT" else bare


@lru_cache(maxsize=256)
def accession_chromosome(accession: str) -> tuple[str, tuple[Build, ...]] | None:
    """The chromosome (bare, e.g. `2`) of a RefSeq chromosome accession and the builds it belongs to;
    None for an accession that is not a GRCh37/GRCh38 chromosome (a different version, a scaffold)."""
    builds = tuple(build for build in BUILDS if accession in ACCESSIONS[build])
    if not builds:
        return None
    return ACCESSIONS[builds[0]][accession], builds


def chromosome_accession(chrom: str, build: Build) -> str | None:
    """The RefSeq accession of a chromosome in a build (`chr2`, GRCh38 -> NC_000002.12)."""
    wanted = bare_chromosome(chrom)
    return next((accession for accession, name in ACCESSIONS[build].items() if name == wanted), None)
