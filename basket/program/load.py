"""Load a program directory of YAML files into a validated `Program`.

A program is split across files as its authors like: each file is a mapping
whose top-level keys are sections (`umbrella`, `platform`, `variants`, ...).
List sections from several files are concatenated; single sections may be
defined once. Every problem is reported as `file:line: field: message`.
"""

from __future__ import annotations

import difflib
import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from basket.foundation.garbage_collector import collector_paused
from basket.foundation.problems import InputError, Problem, format_path
from basket.program.model import Program
from basket.program.yaml_source import YamlDocument, parse_yaml_bytes

SINGLE_SECTIONS = ("umbrella", "platform", "reference")
REQUIRED_SECTIONS = ("umbrella", "platform")
LIST_SECTIONS = ("editors", "diseases", "genes", "variants", "patients", "evidence")
SECTIONS = SINGLE_SECTIONS + LIST_SECTIONS
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Origin:
    """Where a merged value came from: the file and its path inside that file."""

    document: YamlDocument
    path: tuple[object, ...]


@dataclass
class Locator:
    """Maps a path in the merged program back to file and line."""

    origins: dict[tuple[object, ...], Origin] = field(default_factory=dict)
    default_file: str = ""

    def problem(self, path: tuple[object, ...], message: str) -> Problem:
        for end in range(len(path), 0, -1):
            origin = self.origins.get(tuple(path[:end]))
            if origin is not None:
                local = origin.path + tuple(path[end:])
                return Problem(origin.document.file, origin.document.line_of(local), format_path(local), message)
        return Problem(self.default_file, 0, format_path(path), message)


@dataclass(frozen=True)
class LoadedProgram:
    """A validated program with the facts later stages need about its files."""

    program: Program
    root: Path
    inputs: dict[str, str]  # display path relative to root -> sha256
    locator: Locator
    warnings: list[Problem] = field(default_factory=list)  # loads, but looks wrong (`basket validate` prints them)


def program_files(root: Path) -> list[Path]:
    """The YAML files of a program, in a stable order (hidden folders skipped). Anything named
    *.yaml that is not a regular file (a folder, a FIFO, a device, a dangling link) is listed
    too, so that reading reports it instead of the program silently losing a file."""
    files = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in root.rglob(pattern)
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def load_program(directory: str | Path) -> LoadedProgram:
    """Read, merge, validate and cross-check a program; raise InputError with every problem."""
    with collector_paused():
        return _load_program(Path(directory))


def _load_program(root: Path) -> LoadedProgram:
    if not root.is_dir():
        raise InputError([Problem(str(root), 0, "", "not a program directory (expected a folder of YAML files)")])
    files = program_files(root)
    if not files:
        raise InputError([Problem(str(root), 0, "", "no .yaml or .yml files found in the program directory")])
    documents, inputs, problems = _read_all(root, files)
    merged, locator, merge_problems = _merge(documents)
    for document in documents:
        document.data = None  # the merged program holds the values; the locator needs only the lines
    problems += merge_problems
    if problems:
        raise InputError(problems)
    locator.default_file = str(root)
    program = _validate(merged, locator)
    # imported here: it pulls in the editing engine
    from basket.program.cross_references import check_program, program_warnings

    problems = check_program(program, root, locator)
    if problems:
        raise InputError(problems)
    return LoadedProgram(program, root, inputs, locator, program_warnings(program, locator))


def _read_all(root: Path, files: list[Path]) -> tuple[list[YamlDocument], dict[str, str], list[Problem]]:
    documents: list[YamlDocument] = []
    inputs: dict[str, str] = {}
    problems: list[Problem] = []
    base = root.resolve()
    for path in files:
        display = _display(root, path)
        try:
            if not path.is_file():  # checked before reading: reading a FIFO would wait forever
                problems.append(Problem(display, 0, "", f"not a regular file ({_file_kind(path)}); "
                                        "a program file must be a regular YAML file"))
                continue
            inside = path.resolve().is_relative_to(base)
            size = path.stat().st_size
            too_big = size > MAX_FILE_BYTES
            raw = b"" if too_big or not inside else path.read_bytes()
        except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
            problems.append(Problem(display, 0, "", f"cannot read file: {getattr(error, 'strerror', None) or error}"))
            continue
        if not inside:
            problems.append(Problem(display, 0, "", "a symbolic link to a file outside the program directory; "
                                    "copy the file into the program instead"))
            continue
        if too_big:
            problems.append(Problem(display, 0, "", f"file larger than the limit of {_size(MAX_FILE_BYTES)} "
                                    f"({_size(size)}); split the program over several files"))
            continue
        inputs[path.relative_to(root).as_posix()] = hashlib.sha256(raw).hexdigest()
        try:
            documents.append(parse_yaml_bytes(raw, display))
        except InputError as error:
            problems += error.problems
    return documents, inputs, problems


def _file_kind(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a symbolic link to nothing"
    mode = path.stat().st_mode
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a file"


def _size(count: int) -> str:
    return f"{count / 2**20:,.1f} MiB" if count >= 2**20 else f"{count:,} bytes"


def _display(root: Path, path: Path) -> str:
    return (root / path.relative_to(root)).as_posix()


def _merge(documents: list[YamlDocument]) -> tuple[dict[str, Any], Locator, list[Problem]]:
    merged: dict[str, Any] = {}
    locator = Locator()
    problems: list[Problem] = []
    for doc in documents:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.file, 1, "", "a program file must be a mapping of sections such as `variants:`"))
            continue
        for key, value in doc.data.items():
            problems += _merge_section(merged, locator, doc, key, value)
    return merged, locator, problems


def _merge_section(merged: dict, locator: Locator, doc: YamlDocument, key: str, value: Any) -> list[Problem]:
    line = doc.line_of((key,))
    if key not in SECTIONS:
        hint = difflib.get_close_matches(key, SECTIONS, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; known sections: {', '.join(SECTIONS)}"
        return [Problem(doc.file, line, format_path((key,)), f"unknown section{suggestion}")]
    if key in SINGLE_SECTIONS:
        if key in merged:
            first = locator.origins[(key,)].document.file
            return [Problem(doc.file, line, key, f"defined more than once (also in {first})")]
        merged[key] = value
        locator.origins[(key,)] = Origin(doc, (key,))
        return []
    if value is None:
        return []
    if not isinstance(value, list):
        return [Problem(doc.file, line, key, "must be a list (each item starting with '- ')")]
    items = merged.setdefault(key, [])
    locator.origins.setdefault((key,), Origin(doc, (key,)))
    for local_index, item in enumerate(value):
        locator.origins[(key, len(items))] = Origin(doc, (key, local_index))
        items.append(item)
    return []


def _validate(merged: dict[str, Any], locator: Locator) -> Program:
    problems = [
        locator.problem((section,), f"missing section `{section}:`")
        for section in REQUIRED_SECTIONS
        if section not in merged
    ]
    if problems:
        raise InputError(problems)
    try:
        return Program.model_validate(merged)
    except ValidationError as error:
        raise InputError(_translate(error, locator, merged)) from None


def _translate(error: ValidationError, locator: Locator, data: Any = None) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        problems.append(locator.problem(_data_path(item["loc"], data), _message(item)))
    return problems


def _data_path(loc: tuple, data: Any) -> tuple:
    """Pydantic's location with the union tags it inserts left out; a part that is a key
    of the data (a field called `date`) is a field, whatever it looks like."""
    path = []
    for part in loc:
        if isinstance(data, dict) and part in data or isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif _is_union_tag(part):
            continue
        else:
            data = None
        path.append(part)
    return tuple(path)


def _is_union_tag(part: object) -> bool:
    """Pydantic adds type names such as 'list[...]' or 'function-after[...]' to union locations."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool", "date", "none"})


def _message(item: dict[str, Any]) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see docs/program-format.md)"
    if kind == "missing":
        return "required field is missing"
    message = item["msg"]
    message = message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return f"{message} (got {item.get('input')!r})"
    if kind in {"literal_error", "enum"}:
        return f"{message} (got {item.get('input')!r})"
    return message
