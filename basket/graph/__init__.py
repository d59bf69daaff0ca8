"""Stage 3, graph: the program as a typed networkx graph, and the questions asked of it.

    build.py           nodes and edges from a program (and the plan's guides)
    lookup.py          a node by id or bare key, with did-you-mean
    impact.py          what a change to a node affects (downstream) or depends on (upstream)
    selection.py       dbt-style `--select`, implemented once
    export_formats.py  GraphML, GEXF, node-link JSON, Cytoscape JSON, DOT, Mermaid

May import: `basket.plan`, `basket.program`, `basket.foundation`. Must not import: evidence, stats,
changes, documents, api, cli.
"""
