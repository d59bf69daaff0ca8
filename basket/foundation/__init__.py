"""Foundation shared by every stage; it knows nothing of programs.

    problems.py           Problem and InputError: how bad input is reported (`file:line: field: message`)
    atomic_output.py      outputs written so nothing is lost: whole files and folders appear at once
    output_location.py    an output never is, holds or lies inside an input (or the working directory)
    directory_lock.py     an exclusive lock on a directory while a command edits files in it
    background_writer.py  files written on a second thread while the next document is made
    text_tables.py        terminal tables, CSV, JSON and Markdown: one shape for every command's output
    garbage_collector.py  keeping Python's cyclic collector out of big acyclic work

May import: the standard library and small third-party packages. Must not import: any other
`basket` package (the layer contract in pyproject.toml enforces it).
"""
