"""One nomination, start to finish: search the reference, add the patient's own sites, label them,
rank them, and shape the report with the reference's identity and the query in its header."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from basket.offtargets.genome_search import Progress, search_genome
from basket.offtargets.query import OffTargetQuery
from basket.offtargets.ranking import ranked
from basket.offtargets.report import FORMAT_NAME, FORMAT_VERSION, NominationReport, site_row, summary
from basket.offtargets.sites import Site


@dataclass(frozen=True)
class OnTarget:
    """Where the guide is meant to bind (protospacer, 1-based inclusive, plus strand): that site is
    marked on-target, not counted as an off-target. The contig matches with or without a 'chr' prefix."""

    contig: str
    strand: str
    start: int
    end: int

    def matches(self, site: Site) -> bool:
        bare = self.contig.removeprefix("chr")
        return (site.contig in (bare, f"chr{bare}") and site.strand == self.strand
                and site.start <= self.end and site.end >= self.start)


def nominate(query: OffTargetQuery, fasta: Path, build: str | None = None, vcf: Path | None = None,
             sample: str | None = None, annotation: Path | None = None, subject: dict | None = None,
             progress: Progress | None = None, on_target: OnTarget | None = None) -> NominationReport:
    """Every candidate site of the query's guides in the reference (and with ``vcf``, in the patient's
    haplotypes), ranked; ``subject`` (program, variant) is recorded in the header when given."""
    features = None
    if annotation is not None:
        from basket.offtargets.annotation import read_annotation

        features = read_annotation(annotation)  # bad input is found before the long search
    alleles = None
    if vcf is not None:
        from basket.offtargets.vcf_alleles import read_alleles

        alleles = read_alleles(vcf, sample)
    search = search_genome(query, fasta, build, progress, alleles)
    sites = search.sites
    if on_target is not None:
        sites = [site.with_(on_target=True) if on_target.matches(site) else site for site in sites]
    if features is not None:
        sites = [site.with_(annotation=features.label(site.contig, min(site.start, site.pam_start),
                                                      max(site.end, site.pam_end))) for site in sites]
    rows = [site_row(rank, site, query.editor.edited_base)
            for rank, site in enumerate(ranked(sites, search.contig_order), start=1)]
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "kind": "in_silico_nomination",
        "coordinates": "1-based, inclusive, plus strand; protospacer start-end, PAM pam_start-pam_end",
        "reference": search.reference.to_dict(),
        "query": _query_header(query),
        "personal_genome": alleles.describe() if alleles is not None else None,
        "annotation": annotation.name if annotation is not None else None,
        "subject": subject,
        "on_target": asdict(on_target) if on_target is not None else None,
        "ranking": "counts and seed position (differences, bulges, canonical PAM, seed differences, "
                   "difference closest to the PAM); no published scoring model",
        "summary": summary(rows),
    }
    return NominationReport(header, rows)


def _query_header(query: OffTargetQuery) -> dict:
    editor = query.editor
    return {
        "guides": list(query.guides),
        "editor": editor.name,
        "deaminase": editor.deaminase,
        "edited_base": editor.edited_base,
        "pams": list(query.pams),
        "canonical_pams": list(editor.pams),
        "spacer_length": query.spacer,
        "core_window": list(editor.core_window),
        "extended_window": list(editor.extended_window) if editor.extended_window else None,
        "max_mismatches": query.max_mismatches,
        "max_bulges": query.max_bulges,
    }
