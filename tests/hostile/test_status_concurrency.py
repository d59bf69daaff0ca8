"""Class 1 of issue 12: `basket status` runs at the same time on one program keep every edit.

Each run reads the YAML file, changes one line and writes the file back; without a lock held from
reading to writing, two runs on different variants of one file both report success and the later
write drops the earlier edit. The tests start real processes together.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import MINIMAL, copy_program

EXTRA_VARIANTS = [
    f"  - id: CPS1-X{index}\n    gene: CPS1\n    hgvs_c: NM_001875.5:c.{2140 + index}G>T\n    source: test fixture\n"
    for index in range(1, 5)
]
VARIANT_IDS = [f"CPS1-X{index}" for index in range(1, 5)]


def statuses(file: Path) -> dict[str, str]:
    return {v["id"]: v.get("status", "proposed") for v in yaml.safe_load(file.read_text(encoding="utf-8"))["variants"]}


def run_together(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for command in commands]
    results = []
    for command, process in zip(commands, processes):
        stdout, stderr = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
    return results


def status_chain(program: Path, variant: str, *steps: str) -> list[str]:
    """One process that moves `variant` through `steps`, each as its own `basket status` run."""
    script = ("import sys\nfrom click.testing import CliRunner\nfrom basket.cli import main\n"
              "for step in sys.argv[3:]:\n"
              "    result = CliRunner().invoke(main, ['status', sys.argv[1], sys.argv[2], step])\n"
              "    sys.stdout.write(result.output)\n"
              "    if result.exit_code:\n        sys.exit(result.exit_code)\n")
    return [sys.executable, "-c", script, str(program), variant, *steps]


def test_concurrent_status_runs_keep_every_edit(tmp_path: Path):
    """Four processes at once, two steps each: two variants share variants.yaml with the untouched
    ones, two share another file."""
    program = copy_program(MINIMAL, tmp_path / "program")
    variants = program / "variants.yaml"
    variants.write_text(variants.read_text(encoding="utf-8") + "".join(EXTRA_VARIANTS[:2]), encoding="utf-8")
    (program / "more-variants.yaml").write_text("variants:\n" + "".join(EXTRA_VARIANTS[2:]), encoding="utf-8")
    results = run_together([status_chain(program, variant, "assessed", "appendix_drafted")
                            for variant in VARIANT_IDS])
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.count("→") == 2
    found = statuses(variants) | statuses(program / "more-variants.yaml")
    assert found == {"CPS1-Q335X": "proposed", "CPS1-E714X": "proposed",
                     **dict.fromkeys(VARIANT_IDS, "appendix_drafted")}
    assert sorted(os.listdir(program)) == sorted(os.listdir(MINIMAL) + ["more-variants.yaml"])  # nothing left behind
