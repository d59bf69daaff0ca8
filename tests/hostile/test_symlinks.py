"""Class 13 of issue 12: symbolic links inside a program are reported, not silently skipped, and
`basket status` works on a program file that is a link.

A folder of the program that is a link to a folder outside it was skipped without a word (its YAML
files were lost from the program); `status` on a YAML file that is a link compared the hash of the
link's target under the link's name and so always answered "file changed while the status was
being set".
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from tests.hostile.conftest import MINIMAL_FILES, program_dir, run

MORE_VARIANTS = "variants:\n  - id: CPS1-X1\n    gene: CPS1\n    hgvs_c: NM_001875.5:c.2141A>G\n    source: test\n"


def test_a_linked_folder_outside_the_program_is_reported(tmp_path: Path):
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "more.yaml").write_text(MORE_VARIANTS)
    with program_dir({}) as program:
        os.symlink(outside, program / "extra")
        result = run("validate", str(program))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"{program}/extra: a symbolic link to the folder {outside} outside the program directory" in \
            result.stderr and "its files are not read" in result.stderr, result.stderr


def test_a_linked_folder_to_a_hidden_folder_is_reported():
    with program_dir({".shared/more.yaml": MORE_VARIANTS}) as program:
        os.symlink(program / ".shared", program / "extra")
        result = run("validate", str(program))
        assert result.exit_code == 2 and "extra: a symbolic link to a hidden folder" in result.stderr, result.stderr


def test_a_linked_folder_inside_the_program_is_read_once(tmp_path: Path):
    with program_dir({"data/more.yaml": MORE_VARIANTS}) as program:
        os.symlink(program / "data", program / "alias")
        result = run("validate", str(program))
        assert result.exit_code == 0, result.output
        assert "3 variants" in result.output


def test_a_dangling_or_looping_folder_link_does_not_hang(tmp_path: Path):
    with program_dir({}) as program:
        os.symlink(program / "nowhere", program / "gone")
        os.symlink(program / "loop", program / "loop")
        result = run("validate", str(program))
        assert result.exit_code == 0, result.output


def test_status_on_a_linked_program_file_edits_its_target_and_keeps_the_link():
    variants = MINIMAL_FILES["variants.yaml"]
    with program_dir({".store/variants.yaml": variants}) as program:
        (program / "variants.yaml").unlink()
        os.symlink(Path(".store") / "variants.yaml", program / "variants.yaml")
        result = run("status", str(program), "CPS1-E714X", "assessed")
        assert result.exit_code == 0, result.output
        assert (program / "variants.yaml").is_symlink()
        data = yaml.safe_load((program / ".store" / "variants.yaml").read_text())
        assert {v["id"]: v.get("status") for v in data["variants"]}["CPS1-E714X"] == "assessed"
        again = run("status", str(program), "CPS1-E714X", "appendix_drafted")
        assert again.exit_code == 0, again.output
        assert "appendix_drafted" in (program / ".store" / "variants.yaml").read_text()
        assert sorted(os.listdir(program / ".store")) == ["variants.yaml"]  # no temporary file left


def test_status_refuses_a_file_edited_meanwhile(monkeypatch):
    """The hash check still works: a file changed between loading and writing is not overwritten."""
    import basket.evidence.status_workflow as workflow

    original = workflow.read_unchanged

    def edited_meanwhile(loaded, path, doing):
        path.write_text(path.read_text() + "# edited by someone else\n")
        return original(loaded, path, doing)

    monkeypatch.setattr(workflow, "read_unchanged", edited_meanwhile)
    with program_dir({}) as program:
        result = run("status", str(program), "CPS1-E714X", "assessed")
        assert result.exit_code == 2 and "file changed while the status was being set" in result.stderr
        assert "status: assessed" not in (program / "variants.yaml").read_text()


def test_a_recorded_version_linked_in_a_loop_is_reported(tmp_path: Path):
    """Its path cannot be resolved: a line-numbered problem, not a traceback (as an evidence document's)."""
    import shutil

    from tests.conftest import EXAMPLE, copy_program

    program = copy_program(EXAMPLE, tmp_path / "program")
    shutil.rmtree(program / "versions" / "0.1-example")
    (program / "versions" / "0.1-example").symlink_to(program / "versions" / "loop")
    (program / "versions" / "loop").symlink_to(program / "versions" / "0.1-example")
    result = run("validate", str(program))
    assert result.exit_code == 2, result.output
    assert "umbrella.history[0].program: versions/0.1-example: path cannot be resolved" in result.stderr
