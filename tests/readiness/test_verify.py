"""`basket verify OUT`: clean, modified, missing and extra files; manifest problems."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.changes.manifest import build_manifest
from basket.changes.output_verification import verify_outputs
from basket.cli import main

OUTPUTS = {"overview.md": b"# Overview\n", "appendices/CPS1-Q335X.md": b"# Appendix\n", "completeness.md": b"ok\n"}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    for name, data in OUTPUTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "manifest.json").write_bytes(build_manifest({"v.yaml": "0" * 64}, sha256s(OUTPUTS), {"protocol_version": "1"}))
    return root


def verify(*args: str):
    return CliRunner().invoke(main, ["verify", *map(str, args)])


def test_clean_output_exits_0(out: Path) -> None:
    report = verify_outputs(out)
    assert report.ok and report.listed == 3
    result = verify(out)
    assert result.exit_code == 0 and "all 3 outputs match manifest.json" in result.output


def test_modified_file_exits_1(out: Path) -> None:
    (out / "appendices" / "CPS1-Q335X.md").write_bytes(b"# Appendix, edited by hand\n")
    assert verify_outputs(out).changed == ["appendices/CPS1-Q335X.md"]
    result = verify(out)
    assert result.exit_code == 1 and "changed: appendices/CPS1-Q335X.md" in result.output


def test_missing_file_exits_1(out: Path) -> None:
    (out / "overview.md").unlink()
    assert verify_outputs(out).missing == ["overview.md"]
    assert verify(out).exit_code == 1


def test_extra_file_exits_1(out: Path) -> None:
    (out / "appendices" / "UNLISTED.md").write_text("x")
    (out / ".hidden").write_text("x")
    report = verify_outputs(out)
    assert report.extra == [".hidden", "appendices/UNLISTED.md"]
    result = verify(out)
    assert result.exit_code == 1 and "extra (not in manifest): appendices/UNLISTED.md" in result.output


def test_listed_path_replaced_by_a_symlink_counts_as_changed(out: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.md").write_bytes(OUTPUTS["overview.md"])
    (out / "overview.md").unlink()
    os.symlink(tmp_path / "elsewhere.md", out / "overview.md")
    assert verify_outputs(out).changed == ["overview.md"]


def test_json_report(out: Path) -> None:
    (out / "overview.md").unlink()
    data = json.loads(verify(out, "--format", "json").output)
    assert data["missing"] == ["overview.md"] and data["ok"] is False


def test_no_manifest_exits_2(tmp_path: Path) -> None:
    result = verify(tmp_path)
    assert result.exit_code == 2 and "no manifest.json" in result.output


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    assert verify(tmp_path / "nope").exit_code == 2


@pytest.mark.parametrize("content,message", [
    ("{not json", "not a readable JSON manifest"),
    ('{"inputs": {}, "outputs": []}', "outputs: must map file paths to sha256 strings"),
    ('{"inputs": {}, "outputs": {"../escape.md": "00"}}', "path '../escape.md' is not a file name inside the output directory"),
    ('{"inputs": {}, "outputs": {"/etc/passwd": "00"}}', "is not a file name inside the output directory"),
])
def test_bad_manifest_exits_2(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "manifest.json").write_text(content)
    result = verify(tmp_path)
    assert result.exit_code == 2 and message in result.output


def sha256s(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
