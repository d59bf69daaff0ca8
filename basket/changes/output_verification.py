"""Verify rendered outputs against their manifest.json, or byte for byte against a fresh render.

`manifest.json` (written by `basket render`) lists the sha256 of every output.
`verify_outputs` re-hashes each listed file and walks the directory for files the
manifest does not list. Any difference means the directory is not what was
rendered. That proves the files are unchanged since the manifest was written, and
no more: whoever edits a document can edit its hash too. `compare_outputs` compares
a folder with another made afresh from the program (`basket.documents.reproduction`),
manifest.json included, which proves the files are what the program renders.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from basket.changes.manifest import MANIFEST_NAME
from basket.evidence.evidence_checks import file_sha256
from basket.foundation.atomic_output import OUTPUT_MARKER
from basket.foundation.characters import forbidden_character
from basket.foundation.problems import InputError, Problem


@dataclass(frozen=True)
class VerifyReport:
    out: str
    listed: int  # files the manifest lists, or (against a program) files the fresh render made
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    against: str | None = None  # the program a fresh render was made from, when compared with one
    notes: list[str] = field(default_factory=list)  # what may explain differences (other tool versions)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def read_manifest_file(path: Path) -> dict[str, Any]:
    """A manifest's JSON, checked for the fields verify and diff rely on; InputError otherwise."""
    if not path.is_file():
        raise InputError([Problem(str(path), 0, "", "no manifest.json (render with `basket render` first)")])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([Problem(str(path), 0, "", f"not a readable JSON manifest: {error}")]) from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_MANIFEST_DEPTH:
        raise InputError([Problem(str(path), 0, "", f"not a manifest: JSON nested deeper than {MAX_MANIFEST_DEPTH} "
                                  "levels (basket's manifests are at most three deep)")])
    problems = []
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 0, "", "a manifest must be a JSON object")])
    for section in ("inputs", "outputs"):
        table = data.get(section)
        if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
            problems.append(Problem(str(path), 0, section, "must map file paths to sha256 strings"))
            continue
        for name in table:
            if not _safe_relative(name):
                problems.append(Problem(str(path), 0, section, f"path {name!r} is not a file name inside the output directory"))
    if problems:
        raise InputError(problems)
    return data


MAX_MANIFEST_DEPTH = 20


def _depth(data: Any) -> int:
    """How deeply lists and objects nest in `data`, counted without recursion (a deep value would
    make comparing or printing it raise RecursionError)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_MANIFEST_DEPTH:
                return deepest
            stack.extend((item, level + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def _safe_relative(name: str) -> bool:
    pure = PurePosixPath(name)
    return (bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name
            and forbidden_character(name) is None)


def verify_outputs(out: Path) -> VerifyReport:
    if not out.is_dir():
        raise InputError([Problem(str(out), 0, "", "not an output directory")])
    outputs: dict[str, str] = read_manifest_file(out / MANIFEST_NAME)["outputs"]
    changed, missing = [], []
    for name, digest in sorted(outputs.items()):
        target = out / name
        if not target.exists() and not target.is_symlink():
            missing.append(name)
        elif target.is_symlink() or not target.is_file() or file_sha256(target) != digest:
            changed.append(name)
    extra = sorted(name for name in _files(out) if name not in outputs and name not in (MANIFEST_NAME, OUTPUT_MARKER))
    return VerifyReport(str(out), len(outputs), changed, missing, extra)


def compare_outputs(out: Path, fresh: Path, against: str, notes: list[str] | None = None) -> VerifyReport:
    """`out` against `fresh` (made from the program `against`), every file byte for byte: changed
    (including a symbolic link or folder where fresh has a file), missing from `out`, extra in `out`."""
    made, found = set(_files(fresh)), set(_files(out))
    changed = sorted(name for name in made & found if not _same_bytes(out / name, fresh / name))
    return VerifyReport(str(out), len(made), changed, sorted(made - found), sorted(found - made), against,
                        list(notes or []))


def _same_bytes(first: Path, second: Path) -> bool:
    if first.is_symlink() or not first.is_file():
        return False
    if first.stat().st_size != second.stat().st_size:
        return False
    with open(first, "rb") as one, open(second, "rb") as other:
        for block in iter(lambda: one.read(1 << 20), b""):
            if block != other.read(len(block)):
                return False
    return True


def _files(root: Path) -> list[str]:
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in files:
            found.append((Path(directory) / name).relative_to(root).as_posix())
        for name in subdirs:  # a symlinked directory is not walked, but is itself unlisted content
            if (Path(directory) / name).is_symlink():
                found.append((Path(directory) / name).relative_to(root).as_posix())
    return found


def verify_output(report: VerifyReport, fmt: str) -> str:
    from basket.foundation.text_tables import to_json

    if fmt == "json":
        return to_json(report.to_dict())
    if report.against is None:
        reference, extra, what, counted = "manifest.json", "not in manifest", "outputs", "listed outputs"
    else:
        reference, extra = f"a fresh render of {report.against}", "not in the fresh render"
        what = counted = "files"
    lines = [f"changed: {name}" for name in report.changed]
    lines += [f"missing: {name}" for name in report.missing]
    lines += [f"extra ({extra}): {name}" for name in report.extra]
    lines += [f"note: {note}" for note in report.notes]
    if report.ok:
        lines.append(f"{report.out}: all {report.listed} {what} match {reference}.")
    elif report.against is None:
        lines.append(f"{report.out}: {len(report.changed)} changed, {len(report.missing)} missing, "
                     f"{len(report.extra)} extra of {report.listed} {counted}.")
    else:
        lines.append(f"{report.out}: {len(report.changed)} changed, {len(report.missing)} missing, "
                     f"{len(report.extra)} extra; {reference} made {report.listed} {counted}.")
    return "\n".join(lines) + "\n"
