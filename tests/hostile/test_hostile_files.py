"""Hand-made hostile program files: each is refused with exit 2 and a `file:line:` message."""

from __future__ import annotations

import os
import time

import pytest

from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

VARIANTS = MINIMAL_FILES["variants.yaml"]
PATIENTS = MINIMAL_FILES["patients.yaml"]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")
)

CASES = {
    # name: (files, expected message, expected line)
    "deep-flow-nesting": ({"x.yaml": "variants: " + "[" * 10_000 + "]" * 10_000}, "nesting depth", 1),
    "deep-flow-mapping": ({"x.yaml": "variants: " + "{a: " * 10_000 + "1" + "}" * 10_000}, "nesting depth", 1),
    "deep-block-nesting": ({"x.yaml": "".join(" " * i + "a:\n" for i in range(3_000))}, "nesting depth", None),
    "nesting-over-200": ({"x.yaml": "variants: " + "[" * 300 + "]" * 300}, "nesting deeper than 200", 1),
    "alias-bomb": ({"x.yaml": BOMB}, "alias bomb", None),
    "recursive-alias": ({"x.yaml": "variants: &a [*a]\n"}, "recursive structure", 1),
    "python-object": ({"x.yaml": "variants: !!python/object/apply:os.system ['echo owned']\n"},
                      "unsupported YAML tag", 1),
    "python-name": ({"x.yaml": "variants:\n  - !!python/name:os.system\n"}, "unsupported YAML tag", 2),
    "binary": ({"x.yaml": "variants: !!binary aGVsbG8=\n"}, "unsupported YAML tag", 1),
    "custom-tag": ({"x.yaml": "variants: !evil {a: 1}\n"}, "unsupported YAML tag '!evil'", 1),
    "tag-directive": ({"x.yaml": "%TAG !e! tag:evil.com,2000:\n---\nvariants: !e!x [1]\n"}, "unsupported YAML tag", 3),
    "merge-key": ({"variants.yaml": VARIANTS.replace("  - id: CPS1-E714X", "  - <<: {gene: CPS1}\n    id: CPS1-E714X")},
                  "merge keys", 13),
    "complex-key": ({"variants.yaml": VARIANTS.replace("  - id: CPS1-E714X", "  - ? [a]\n    : 1\n    id: CPS1-E714X")},
                    "mapping keys must be plain scalars", 13),
    "duplicate-key": ({"variants.yaml": VARIANTS.replace("    gene: CPS1\n", "    gene: CPS1\n    gene: OTC\n", 1)},
                      "duplicate key 'gene'", 4),
    "multiple-documents": ({"variants.yaml": VARIANTS + "---\nvariants: []\n"}, "another document", 17),
    "utf-16": ({"variants.yaml": VARIANTS.encode("utf-16")}, "not valid UTF-8", 1),
    "utf-32": ({"variants.yaml": VARIANTS.encode("utf-32")}, "not valid UTF-8", 1),
    "latin-1": ({"variants.yaml": (VARIANTS + "# café\n").encode("latin-1")}, "not valid UTF-8", 17),
    "nul-byte": ({"variants.yaml": VARIANTS.replace("gene: CPS1", "gene: CP\x00S1", 1)}, "unacceptable character #x0000", 3),
    "control-character": ({"variants.yaml": VARIANTS.replace("gene: CPS1", "gene: CP\x07S1", 1)}, "unacceptable character", 3),
    "huge-integer": ({"variants.yaml": VARIANTS.replace("start: 210591821", "start: " + "9" * 5_000)}, "invalid int", 8),
    "huge-hgvs-number": ({"variants.yaml": VARIANTS.replace("c.1003C>T", "c." + "9" * 5_000 + "C>T")},
                         "cannot parse HGVS", 4),
    "bad-date": ({"umbrella.yaml": MINIMAL_FILES["umbrella.yaml"] + "  protocol_date: 2020-13-45\n"}, "invalid timestamp", 10),
    "date-field-location": ({"patients.yaml": PATIENTS + "    date: 99999-01-01\n"}, "evidence[0].date:", 14),
    "blank-key": ({"x.yaml": '"\\r": 1\n'}, "['\\r']: unknown section", 1),
    "scalar-document": ({"x.yaml": "42\n"}, "must be a mapping of sections", 1),
    "tab-indentation": ({"variants.yaml": VARIANTS.replace("    gene: CPS1", "\tgene: CPS1", 1)}, "tab", 3),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_with_its_line(name: str):
    files, message, line = CASES[name]
    start = time.perf_counter()
    with program_dir(files) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2
        assert message in result.stderr, result.stderr
        if line is not None:
            assert f".yaml:{line}:" in result.stderr, result.stderr
    assert time.perf_counter() - start < 10


def test_a_byte_order_mark_is_fine():
    with program_dir({"variants.yaml": "\ufeff" + VARIANTS}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 0, result.output


def test_a_file_over_the_size_limit_is_refused_without_reading_it(monkeypatch):
    import basket.program.load

    monkeypatch.setattr(basket.program.load, "MAX_FILE_BYTES", 64 * 1024)
    with program_dir({"big.yaml": "# padding\n" * 20_000}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "big.yaml: file larger than" in result.stderr


def test_a_long_scalar_loads_in_reasonable_time():
    with program_dir({"variants.yaml": VARIANTS.replace("source: NEJM 2025;392:2235-43\n  - id",
                                                        f"source: {'x' * 5_000_000}\n  - id", 1)}) as program:
        start = time.perf_counter()
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "at most 20000 characters" in result.stderr
        assert time.perf_counter() - start < 10


def test_a_program_file_linking_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("variants: []\n")
    with program_dir({}) as program:
        os.symlink(secret, program / "linked.yaml")
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and "linked.yaml: a symbolic link to a file outside" in result.stderr


def test_problems_after_a_broken_variant_are_still_reported():
    """One unparsable HGVS does not hide a sequence mismatch in a later variant."""
    broken = VARIANTS.replace("NM_001875.5:c.2140G>T", "NM_001875.5:c.2140G>>T")
    second = broken.replace("  - id: CPS1-Q335X", "  - id: CPS1-X\n    gene: CPS1\n    hgvs_c: c.5A>G\n    source: s\n"
                            "  - id: CPS1-Q335X")
    mismatch = second.replace("g.210591886C>T", "g.210591887C>T")
    with program_dir({"variants.yaml": mismatch}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert "c.2140G>>T" in result.stderr and "the reference has A" in result.stderr


def test_a_yaml_name_that_is_not_a_regular_file_is_reported_not_read_or_skipped():
    """A named pipe would block reading forever; a folder, a device or a dangling link would silently
    drop a file from the program. Each is a problem of its own."""
    with program_dir({}) as program:
        os.mkfifo(program / "pipe.yaml")
        os.symlink("/dev/zero", program / "zero.yaml")
        os.symlink(program / "missing.yaml", program / "dangling.yml")
        (program / "folder.yaml").mkdir()
        start = time.perf_counter()
        result = run("validate", str(program))
        assert time.perf_counter() - start < 10
        assert result.exit_code == 2
        for name, kind in [("pipe.yaml", "a named pipe"), ("zero.yaml", "a character device"),
                           ("dangling.yml", "a symbolic link to nothing"), ("folder.yaml", "a folder")]:
            assert f"{name}: not a regular file ({kind})" in result.stderr, result.stderr
