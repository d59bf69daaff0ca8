"""Stage 2, plan: for every variant, can the shared platform correct it, and does it belong under
the umbrella, and why (or why not)?

    guide_design.py      bridge from a program variant to the editing engine: its guides and class
    umbrella_decision.py `Plan`: the umbrella decision per variant with a reason a writer can quote

May import: `basket.program`, `basket.editing`, `basket.foundation`. Must not import: graph,
evidence, stats, changes, documents, api, cli.
"""
