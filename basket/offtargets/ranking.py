"""The order of nominated sites, most likely to be edited first, by counts and seed position.

No published scoring model is applied (docs/decisions.md, "Ranking without CFD", says why): sites are
ordered by what the alignment shows. Fewer differences first (mismatches + bulges); at equal
differences fewer bulges; then a canonical PAM before a weaker one; then fewer differences in the
PAM-proximal seed, where Cas9 tolerates them least; then the PAM-proximal-most difference farther
from the PAM; then position, so the order is total and reproducible.
"""

from __future__ import annotations

from basket.offtargets.sites import Site


def rank_key(site: Site, contig_index: dict[str, int]) -> tuple:
    alignment = site.alignment
    # positions count from the PAM-distal end: the highest is the difference closest to the PAM
    closest_to_pam = max(alignment.difference_positions, default=0)
    return (
        alignment.mismatches + alignment.bulges,
        alignment.bulges,
        not site.canonical_pam,
        alignment.seed_differences,
        closest_to_pam,  # a difference at position 20 (next to the PAM) ranks after one at 11
        contig_index.get(site.contig, len(contig_index)),
        site.start,
        site.strand,
        site.guide,
        site.origin,
        site.haplotype,
    )


def ranked(sites: list[Site], contig_order: tuple[str, ...]) -> list[Site]:
    index = {name: i for i, name in enumerate(contig_order)}
    return sorted(sites, key=lambda site: rank_key(site, index))
