"""Stage 4, evidence: what each variant has shown of the FDA plausible-mechanism elements.

    readiness_rules.py  per-element rules as data; met / partial / missing / not yet applicable; the entry gate
    evidence_checks.py  evidence documents (present, unchanged) and natural-history adequacy
    status_workflow.py  the variant workflow (proposed → … → follow_up) edited in its YAML line

May import: `basket.plan`, `basket.program`, `basket.editing`, `basket.foundation`. Must not import:
graph, stats, changes, documents, api, cli.
"""
