"""The sequence engine: what a base editor can do at a position of DNA. It knows nothing of programs.

    sequence.py         DNA alphabet, IUPAC codes, reverse complement, PAM patterns
    hgvs.py             HGVS parsing (biocommons grammar, regex fast path) and change classes
    editors.py          the editor model and the sourced built-in catalogue (editors.yaml)
    reference_fasta.py  reading a reference FASTA (plain or bgzip) with pyfaidx
    sequence_context.py the sequence around a variant, in genomic and coding coordinates
    consequence.py      codon table and the coding consequence of a base change
    guides.py           guide search on both strands, bystanders, ranking
    classify.py         platform / other editor / other modality / no sequence, with the reason
    screen.py           classifying a table or VCF of genomic variants against a reference

May import: `basket.foundation`. Must not import: any other `basket` package.
"""
