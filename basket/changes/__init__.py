"""Change control: what changed between two versions of a program, and whether outputs are intact.

    manifest.py             manifest.json: schema version, input and output hashes (the contract between stages)
    program_diff.py         two program versions (or two manifests) → the changes, sections and affected appendices,
                            and the USDM objects that differ between their `basket export usdm` studies
    amendment_report.py     the ICH M11 "overview of changes" as Markdown or JSON
    output_verification.py  re-hashing rendered outputs against their manifest, or comparing them byte for byte
                            with a fresh render (made by `basket.documents.reproduction`)

May import: `basket.usdm`, `basket.evidence`, `basket.graph`, `basket.plan`, `basket.program`,
`basket.foundation`.
Must not import: documents, api, cli.
"""
