"""Stage 1, load: a program directory of YAML files → a validated, cross-referenced `Program`.

    yaml_source.py       safe YAML with the line of every value, bounded against hostile files
    model.py             the pydantic types of a program (`extra="forbid"`)
    load.py              read, merge, validate; every problem at once as `file:line: field: message`
    cross_references.py  ids that must exist, be unique, agree
    sequence_checks.py   each variant's HGVS and sequence window against each other
    variant_sequence.py  the sequence around a variant, from its window or the reference FASTA
    appendix_content.py  a variant appendix's own dosing and schedule, else the umbrella's
    checked_edit.py      editing the program's YAML in place: locked, checked, put back on failure
    append_entry.py      `basket add`: one entry appended to a section, the rest of the file kept
    scaffold.py          `basket init`: a new commented program (scaffold_files/), placeholder warnings
    discovery.py         the program folder from the current directory upwards (umbrella.yaml)

May import: `basket.editing`, `basket.foundation`. Must not import: plan, graph, evidence, stats,
changes, documents, api, cli.
"""
