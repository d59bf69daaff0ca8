"""Stage 5, documents: the master protocol, one appendix per variant, the static site and pictures.

See README.md in this folder for each module. May import: every stage below (changes, evidence,
stats, graph, plan, program, editing, foundation). Must not import: `basket.api`, `basket.cli`.
"""
