"""Class 8 of issue 12: every input of at most 10 MB is refused or loaded within about 1 GiB and a
few seconds; class 6's deeply nested manifest.

Alias amplification through *scalars* (a long string referenced many times), YAML 1.1 base-60
numbers (whose conversion is quadratic in their length), numbers of thousands of digits and files
packed with millions of tiny values each cost time or memory out of proportion to the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

UMBRELLA = MINIMAL_FILES["umbrella.yaml"]
DISEASE = MINIMAL_FILES["disease.yaml"]


def timed_validate(files: dict[str, str | bytes]):
    with program_dir(files) as program:
        start = time.perf_counter()
        result = run("validate", str(program))
        elapsed = time.perf_counter() - start
        assert_clean(result, program)
        return result, elapsed


@pytest.mark.parametrize("shape", ["list of aliases", "aliases in a mapping", "alias of a list of text"])
def test_text_repeated_through_aliases_is_refused(shape: str):
    long = "x" * 19_000  # under the 20,000 characters a text field takes
    body = {
        "list of aliases": f"    biomarkers: [&t {long}{', *t' * 200}]\n",
        "aliases in a mapping": "    biomarkers: [&t " + long + "]\n    xrefs: [" + ", ".join(["*t"] * 200) + "]\n",
        "alias of a list of text": f"    biomarkers: &l [{long}, {long}]\n    xrefs: [{', '.join(['*l'] * 100)}]\n",
    }[shape]
    files = {"disease.yaml": DISEASE.replace("    source: OMIM 237300\n", "    source: OMIM 237300\n" + body)}
    result, elapsed = timed_validate(files)
    assert result.exit_code == 2 and "aliases (*name) repeat more than 1,000,000 characters" in result.stderr, \
        result.stderr
    assert "disease.yaml:" in result.stderr and elapsed < 10


def test_a_few_aliases_of_short_text_are_fine():
    body = "    biomarkers: [&b plasma ammonia]\n    endpoints: [{name: *b, definition: *b}]\n"
    files = {"disease.yaml": DISEASE.replace("    source: OMIM 237300\n", "    source: OMIM 237300\n" + body)}
    result, _ = timed_validate(files)
    assert result.exit_code == 0, result.output


def test_a_huge_base_60_number_is_text_and_quick():
    """`1:2:3:...` is an integer in YAML 1.1 whose conversion takes minutes; it is text (YAML 1.2)."""
    sexagesimal = ":".join(["59"] * 150_000)
    result, elapsed = timed_validate({"umbrella.yaml": UMBRELLA.replace("  sponsor: Test sponsor",
                                                                        f"  sponsor: {sexagesimal}")})
    assert elapsed < 10
    assert result.exit_code == 2 and "umbrella.sponsor: String should have at most 20000 characters" in result.stderr


def test_a_base_60_time_is_text_and_a_base_60_dose_is_not_a_number():
    visits = "  schedule:\n    - {name: Day 1, timing: 10:30, assessments: [ammonia]}\n"
    dose = "  dosing:\n    steps:\n      - {label: level 1, dose: 1:30}\n"
    result, _ = timed_validate({"umbrella.yaml": UMBRELLA + visits})
    assert result.exit_code == 0, result.output
    result, _ = timed_validate({"umbrella.yaml": UMBRELLA + dose})
    assert result.exit_code == 2 and "umbrella.dosing.steps[0].dose: expected a number" in result.stderr


@pytest.mark.parametrize("number", ["9" * 4_000, "0b" + "1" * 100_000, "0x" + "f" * 100_000, "1" + "_0" * 100_000,
                                    "1." + "5" * 100_000, "1.0e+" + "9" * 200])
def test_a_number_longer_than_any_field_takes_is_refused_quickly(number: str):
    result, elapsed = timed_validate({"umbrella.yaml": UMBRELLA + f"  safety:\n    follow_up_years: {number}\n"})
    assert result.exit_code == 2 and "characters (at most 100)" in result.stderr, result.stderr
    assert elapsed < 5


def test_a_file_of_too_many_values_is_refused_before_they_are_built(monkeypatch):
    from basket.program import yaml_source

    monkeypatch.setattr(yaml_source, "MAX_EVENTS", 20_000)
    monkeypatch.setattr(yaml_source, "MAX_NODES", 20_000)
    dense = "genes: [" + "0," * 30_000 + "0]\n"
    result, _ = timed_validate({"dense.yaml": dense})
    assert result.exit_code == 2 and "dense.yaml:1: the file holds 30,010 YAML nodes" in result.stderr, result.stderr
    assert "more than 20,000; split it over several files" in result.stderr


def test_values_packed_densely_over_several_files_are_refused(monkeypatch):
    """Each file is under the per-file limit; together they hold far more values than their size
    allows any ordinary YAML (here with a smaller budget, as 10 MB would take seconds)."""
    from basket.program import load

    monkeypatch.setattr(load, "BASE_VALUES", 1_000)
    dense = "genes: [" + "0," * 20_000 + "0]\n"  # 40 kB, 20,001 values: 2 bytes a value
    result, _ = timed_validate({f"dense-{i}.yaml": dense for i in range(5)})
    assert result.exit_code == 2, result.output
    assert "values in" in result.stderr and "plus one per 8 bytes" in result.stderr, result.stderr
    assert result.stderr.count("dense-") == 1  # stopped at the file that spent the budget


def test_a_10_mb_file_is_refused_within_a_few_seconds_and_little_memory(tmp_path: Path):
    """10 MB of `[0,0,0,...]` (5 million values), validated by a fresh process whose CPU time and peak
    memory are measured by a parent of its own (a test worker's RUSAGE_CHILDREN keeps the largest
    peak of every process it ever waited for)."""
    program = tmp_path / "program"
    program.mkdir()
    (program / "x.yaml").write_text("variants: [" + "0," * 4_999_990 + "0]\n")
    assert (program / "x.yaml").stat().st_size <= 10 * 2**20
    measure = ("import json, resource, subprocess, sys\n"
               "r = subprocess.run([sys.executable, '-m', 'basket', 'validate', sys.argv[1]], capture_output=True, "
               "text=True, timeout=120)\n"
               "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "print(json.dumps([r.returncode, r.stderr, u.ru_utime + u.ru_stime, u.ru_maxrss]))")
    parent = subprocess.run([sys.executable, "-c", measure, str(program)], capture_output=True, text=True,
                            timeout=180, check=True)
    returncode, stderr, cpu_seconds, peak_kib = json.loads(parent.stdout)
    assert returncode == 2 and "Traceback" not in stderr, stderr
    assert "the file holds 5,000,000 YAML nodes" in stderr and "split it over several files" in stderr
    assert cpu_seconds < 8
    assert peak_kib < 1024 * 1024  # under 1 GiB


@pytest.mark.parametrize("command", ["verify", "diff"])
def test_a_deeply_nested_manifest_is_bad_input(tmp_path: Path, command: str):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"inputs": {}, "outputs": {}, "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    (tmp_path / "other.json").write_text('{"inputs": {}, "outputs": {}, "x": ' + "[" * 50 + "]" * 50 + "}")
    args = ["verify", str(out)] if command == "verify" else ["diff", str(out / "manifest.json"),
                                                               str(tmp_path / "other.json")]
    result = run(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "not a manifest: JSON nested deeper than 20 levels" in result.stderr, result.stderr
