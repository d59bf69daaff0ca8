"""Fuzzing the loader: whatever the files hold, `basket validate` exits 0 or 2, never with a
traceback, and a refusal names the file and line of every problem.

Inputs: the valid minimal program mutated structurally (keys deleted, renamed or added,
values replaced by other types, random unicode, swapped, duplicated), its text corrupted
(snippets of YAML syntax, tags, anchors, control characters spliced in), random YAML
documents and random bytes as program files, and other encodings.
"""

from __future__ import annotations

import copy
import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.conftest import MINIMAL_DATA, MINIMAL_FILES, assert_clean, program_dir, run

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

INTERESTING_STRINGS = [
    "", " ", "-", "+", "~", "null", "yes", "NGC", "ABE", "CBE", "CPS1", "OMIM:237300", "variant:CPS1-Q335X",
    "NM_001875.5:c.1003C>T", "c.1003C>T", "c.2140G>T", "c.1003del", "c.1003+1G>A", "c.*1003C>T", "p.Gln335Ter",
    "NC_000002.12:g.210591886C>T", "g.1C>T", "ACGT" * 8, "N" * 40, "../../etc/passwd", "/etc/passwd", "a\x00b",
    "PT-001", "John Smith", "DOB 2020-01-01", "chr2", "chrZ", "NM_000000.1", "HGNC:1", "\u202e\ufeff", "é" * 10,
]
scalars = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40) | st.sampled_from(INTERESTING_STRINGS) | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                           max_size=3), max_leaves=8)
KEYS = ["id", "name", "gene", "hgvs_c", "hgvs_g", "window", "sequence", "start", "variants", "umbrella",
        "platform", "patients", "date_of_birth", "DateOfBirth", "MRN", "first_name", "unknown_field", "source",
        "editor", "pams", "core_window", "genotype", "variant", "disease", "document", "element", "subject"]
keys = st.sampled_from(KEYS) | st.text(min_size=1, max_size=12)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _get(node, path):
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_programs(draw) -> dict[str, str]:
    """The minimal program with one to four structural mutations, dumped back to YAML."""
    data = copy.deepcopy(MINIMAL_DATA)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(data)))
        if not isinstance(data[name], (dict, list)):
            continue
        paths = [p for p in _paths(data[name]) if p]
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent, last = _get(data[name], path[:-1]), path[-1]
        operation = draw(st.sampled_from(["delete", "replace", "unicode", "duplicate", "swap", "add", "rename"]))
        if operation == "delete":
            del parent[last]
        elif operation == "replace":
            parent[last] = draw(values)
        elif operation == "unicode":
            parent[last] = draw(st.text(min_size=1, max_size=60))
        elif operation == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif operation == "swap":
            other_name = draw(st.sampled_from(sorted(data)))
            other_paths = [p for p in _paths(data[other_name]) if p] if isinstance(data[other_name], (dict, list)) else []
            if other_paths:
                other = draw(st.sampled_from(other_paths))
                other_parent = _get(data[other_name], other[:-1])
                parent[last], other_parent[other[-1]] = copy.deepcopy(other_parent[other[-1]]), copy.deepcopy(parent[last])
        elif operation == "add" and isinstance(parent[last], dict):
            parent[last][draw(keys)] = draw(values)
        elif operation == "rename" and isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(last)
    return {name: yaml.safe_dump(doc, allow_unicode=True, sort_keys=False) for name, doc in data.items()}


SNIPPETS = [
    "!!python/object/apply:os.system ['echo owned']", "!!python/name:os.system", "!!binary aGk=", "!custom x",
    "!!set {a, b}", "&a", "*a", "*undefined", "<<: *a", "\t", "- ", ": ", "{", "}", "[", "]", "'", '"', "%YAML 1.1\n",
    "%TAG ! tag:evil.com,2000:\n", "---\n", "...\n", "? ", "#", "\x00", "\x07", "\ufeff", "\u2028", "\x85", "\ud7ff",
    "\U0001f9ec", "\\", "|\n", ">-\n", "&a [*a]", "2020-13-45", "0x" + "f" * 20, "9" * 5000, "{a: &b [*b]}",
]


@st.composite
def corrupted_programs(draw) -> dict[str, bytes]:
    """One file of the minimal program with snippets spliced in, lines dropped or doubled, re-encoded."""
    name = draw(st.sampled_from(sorted(MINIMAL_FILES)))
    text = MINIMAL_FILES[name]
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["snippet", "text", "cut", "double-line"]))
        if operation == "snippet":
            text = text[:position] + draw(st.sampled_from(SNIPPETS)) + text[position:]
        elif operation == "text":
            text = text[:position] + draw(st.text(max_size=20)) + text[position:]
        elif operation == "cut":
            text = text[:position] + text[position + draw(st.integers(1, 40)):]
        else:
            lines = text.splitlines(keepends=True)
            index = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[: index + 1] + lines[index:])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"]))
    return {name: text.encode(encoding, errors="replace")}


@FUZZ
@given(mutated_programs())
def test_mutated_programs_are_valid_or_refused_with_lines(files):
    with program_dir(files) as program:
        assert_clean(run("validate", str(program)), program)


@FUZZ
@given(corrupted_programs())
def test_corrupted_files_are_refused_with_lines(files):
    with program_dir(files) as program:
        assert_clean(run("validate", str(program)), program)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(MINIMAL_FILES) + ["extra.yaml"]), values)
def test_random_yaml_documents(name, document):
    with program_dir({name: yaml.safe_dump(document, allow_unicode=True)}) as program:
        assert_clean(run("validate", str(program)), program)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(MINIMAL_FILES) + ["extra.yml"]), st.binary(max_size=300) | st.text(max_size=300))
def test_random_bytes_and_text(name, content):
    with program_dir({name: content}) as program:
        assert_clean(run("validate", str(program)), program)


@settings(max_examples=40, deadline=None)
@given(mutated_programs())
def test_mutated_programs_plan_and_render_cleanly(files):
    """Planning and rendering a mutated program exit 0, 1 or 2; refused input writes nothing."""
    with program_dir(files) as program:
        assert_clean(run("plan", str(program)), program, codes=(0, 1, 2))
        out = program.parent / "out"
        result = run("render", str(program), "-o", str(out))
        assert_clean(result, program, codes=(0, 1, 2))
        if result.exit_code == 2:
            assert not out.exists()
            assert sorted(p.name for p in program.parent.iterdir() if not p.name.endswith(".lock")) == ["program"]
