"""Off-target nomination: every site in a genome (and in a patient's own genome) where a guide could
bind next to a PAM with at most k mismatches and b bulges, with what a base editor could edit there.
It knows nothing of programs: it takes guides, an editor, a FASTA and optionally a VCF and annotation.

    query.py           what to search: guides, editor (PAMs, window), limits
    scan_kernel.py     the compiled scan (numba): PAM windows packed two bits a base, guides by XOR/popcount,
                       bulges by a small exact dynamic programme
    sequence_codes.py  DNA as codes, guides and PAM patterns as the kernel wants them
    alignment.py       one displayed alignment of guide and site (mismatches, DNA and RNA bulges)
    sites.py           hits → sites: plus-strand coordinates, PAM, editable bases in the editor's window
    fasta_stream.py    reading a FASTA one contig at a time, hashing it as it is read
    genome_search.py   the whole search over a genome, contig by contig, with progress
    personal_genome.py the patient's alleles from a VCF: sites they create, change or destroy
    vcf_alleles.py     reading SNVs and short indels (and phase) from a VCF, with file:line errors
    annotation.py      gene and exon / intron / intergenic from a GTF or BED
    ranking.py         the order of sites (counts and seed position; why not CFD: docs/decisions.md)
    report.py          TSV and JSON output with the reference's identity in the header; reading it back

May import: `basket.editing`, `basket.foundation`. Must not import: program, plan, graph, evidence,
stats, changes, documents, api, cli (it sits beside `basket.program`, independent of it).
"""
