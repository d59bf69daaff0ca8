"""The umbrella as a CDISC USDM v4 digital protocol (`basket export usdm`).

    terminology.py     the CDISC codes the export writes, looked up in usdm4's bundled terminology
    requirements.py    what USDM needs that a program may lack, as `file:line: field: message`
    schedule_timing.py visit timings ("Day 1", "Week 4") as ISO 8601 durations from the first dose
    study_builder.py   program + plan -> usdm4 `Wrapper`: identification, interventions, documents
    design_builder.py  one study design per intervention-specific appendix
    serialization.py   the study as deterministic JSON bytes, and back through usdm4
    conformance.py     usdm4's rules library run on an exported file
    object_changes.py  which USDM objects differ between two exports (for `basket diff`)

The objects are usdm4's pydantic model (`usdm4.api`); ids are derived from program ids, so the same
program gives the same bytes and an object keeps its id between two versions of a program.

May import: `basket.plan`, `basket.program`, `basket.editing`, `basket.foundation` and usdm4.
Must not import: `basket.changes`, `basket.documents`, `basket.api`, `basket.cli`.
"""
