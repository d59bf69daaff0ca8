"""Load a program directory of YAML files into a validated `Program`.

A program is split across files as its authors like: each file is a mapping
whose top-level keys are sections (`umbrella`, `platform`, `variants`, ...).
List sections from several files are concatenated; single sections may be
defined once. Every problem is reported as `file:line: field: message`.

Every check that can still be trusted runs, so one run reports every problem: a file that cannot
be read does not stop the others from being validated; an item with a bad field is left out of the
cross-reference checks (and references to it are not reported as unknown: its own problem is
reported), and the remaining items are cross-checked and their sequences compared with their
windows. What could not be read at all (a file with a YAML error, a section that is not a list)
may define anything, so references into those sections are not reported as unknown either.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from basket.foundation.characters import describe, forbidden_character
from basket.foundation.garbage_collector import collector_paused
from basket.foundation.problems import InputError, Problem, format_path
from basket.program.model import Program
from basket.program.unchecked import Unchecked
from basket.program.validation_messages import message
from basket.program.yaml_source import MAX_NODES, YamlDocument, parse_yaml_bytes

SINGLE_SECTIONS = ("umbrella", "platform", "reference")
REQUIRED_SECTIONS = ("umbrella", "platform")
LIST_SECTIONS = ("editors", "diseases", "genes", "variants", "patients", "evidence")
SECTIONS = SINGLE_SECTIONS + LIST_SECTIONS
VERSIONS_FOLDER = "versions"  # earlier versions of the program (umbrella.history), not part of it
MAX_FILE_BYTES = 200 * 1024 * 1024
# Values the program's files may hold in all: ordinary YAML spends 10 to 40 bytes on a value, so
# this never binds a real program, while 10 MB of `[0,0,0,...]` (5 million values, minutes and
# gigabytes to build and validate) is refused after at most 1.5 million.
BASE_VALUES = 200_000
BYTES_PER_VALUE = 8


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
    """The YAML files of a program, in a stable order (hidden folders and the `versions/` folder of
    earlier versions skipped). Anything named
    *.yaml that is not a regular file (a folder, a FIFO, a device, a dangling link) is listed
    too, so that reading reports it instead of the program silently losing a file."""
    files = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in root.rglob(pattern)
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
        and path.relative_to(root).parts[0] != VERSIONS_FOLDER
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def linked_folders(root: Path) -> list[Problem]:
    """A folder inside the program that is a symbolic link is not searched (its files would be read
    twice, or from outside the program), so a link whose files would otherwise be skipped, one to a
    folder outside the program or to a hidden one, is reported instead of silently losing them."""
    base = root.resolve()
    problems = []
    for directory, subdirs, _ in os.walk(root):
        subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
        for name in subdirs:
            link = Path(directory) / name
            if not link.is_symlink():
                continue
            try:
                target = link.resolve(strict=True)
            except (OSError, RuntimeError):  # missing target or a loop: nothing is read either way
                continue
            display = printable_path(_display(root, link))
            if not target.is_relative_to(base):
                problems.append(Problem(display, 0, "", f"a symbolic link to the folder {printable_path(str(target))} "
                                        "outside the program directory; its files are not read. Copy the folder "
                                        "into the program instead"))
            elif any(part.startswith(".") for part in target.relative_to(base).parts) and _holds_yaml(target):
                problems.append(Problem(display, 0, "", "a symbolic link to a hidden folder of the program; hidden "
                                        "folders are not read, through a link or not. Move the files out of it"))
    return problems


def _holds_yaml(folder: Path) -> bool:
    return any(True for pattern in ("*.yaml", "*.yml") for _ in folder.rglob(pattern))


def load_program(directory: str | Path) -> LoadedProgram:
    """Read, merge, validate and cross-check a program; raise InputError with every problem."""
    with collector_paused():
        return _load_program(Path(directory))


def _load_program(root: Path) -> LoadedProgram:
    if not root.is_dir():
        raise InputError([Problem(str(root), 0, "", "not a program directory (expected a folder of YAML files)")])
    files = program_files(root)
    linked = linked_folders(root)
    if not files and not linked:
        raise InputError([Problem(str(root), 0, "", "no .yaml or .yml files found in the program directory")])
    documents, inputs, problems, budget_spent = _read_all(root, files)
    if budget_spent:  # hostile or generated input: validating what was read would only multiply messages
        raise InputError(problems)
    merged, locator, merge_problems, unread = _merge(documents)
    for document in documents:
        document.data = None  # the merged program holds the values; the locator needs only the lines
    problems += merge_problems
    if len(documents) < len(files):  # a file that could not be read may hold any section
        unread = set(SECTIONS)
    locator.default_file = str(root)
    validated = validate_program(merged, locator, unread)
    # imported here: it pulls in the editing engine
    from basket.program.cross_references import check_program, program_warnings

    problems += validated.problems
    problems += check_program(validated.program, root, validated.report, validated.unchecked)
    problems += linked  # a linked folder is reported with the rest
    if problems:
        raise InputError(problems)
    return LoadedProgram(validated.program, root, inputs, locator, program_warnings(validated.program, locator))


def _read_all(root: Path, files: list[Path]) -> tuple[list[YamlDocument], dict[str, str], list[Problem], bool]:
    """The parsed files, their checksums, the problems of reading them, and whether the program's
    value budget was spent (reading stops there)."""
    documents: list[YamlDocument] = []
    inputs: dict[str, str] = {}
    problems: list[Problem] = []
    base = root.resolve()
    total_bytes = sum(_size_of(path) for path in files)
    budget = BASE_VALUES + total_bytes // BYTES_PER_VALUE
    values_left = budget
    for path in files:
        display = _display(root, path)
        bad_name = _bad_file_name(path.relative_to(root).as_posix())
        if bad_name:
            problems.append(Problem(printable_path(display), 0, "", bad_name))
            continue
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
        too_many = (f"the program's files hold more than {budget:,} values in {_size(total_bytes)} "
                    f"of YAML: basket reads {BASE_VALUES:,} values plus one per {BYTES_PER_VALUE} bytes, which "
                    "ordinary YAML never reaches (generated or hostile input?)")
        try:
            if values_left < MAX_NODES:
                document = parse_yaml_bytes(raw, display, max(values_left, 0), too_many)
            else:
                document = parse_yaml_bytes(raw, display)
        except InputError as error:
            problems += error.problems
            if any(problem.message == too_many for problem in error.problems):
                return documents, inputs, problems, True  # reading more files would only cost more
            continue
        documents.append(document)
        values_left -= document.values
    return documents, inputs, problems, False


def _bad_file_name(name: str) -> str | None:
    """Why a file name cannot be used, or None. Its name is printed in the manifest and in every
    appendix (section 10), so it must be text: a name that is not UTF-8 reaches Python as lone
    surrogates, which no output can encode."""
    if any("\udc80" <= char <= "\udcff" for char in name):
        return "the file name is not valid UTF-8 text; rename the file"
    found = forbidden_character(name) or next((describe(char) for char in name if char in "\t\n\r"), None)
    if found is not None:
        return f"the file name holds {found}, which a file name should not; rename the file"
    return None


def printable_path(text: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 shown as \\xNN escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


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


def _merge(documents: list[YamlDocument]) -> tuple[dict[str, Any], Locator, list[Problem], set[str]]:
    """The sections of every file merged, where each value came from, the problems, and the
    sections whose content was (partly) left out because it could not be used."""
    merged: dict[str, Any] = {}
    locator = Locator()
    problems: list[Problem] = []
    unread: set[str] = set()
    for doc in documents:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.file, 1, "", "a program file must be a mapping of sections such as `variants:`"))
            unread.update(SECTIONS)
            continue
        for key, value in doc.data.items():
            found = _merge_section(merged, locator, doc, key, value)
            if found and key in SECTIONS:
                unread.add(key)
            problems += found
    return merged, locator, problems, unread


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


@dataclass(frozen=True)
class Validated:
    """The program as far as it validated, and how to report on it.

    When every field is valid, `program` is the whole program and `report` the locator's. Else
    `program` holds the single sections and list items that validated (None for a single section
    that did not), `report` maps their positions back to the files, and `unchecked` says what was
    left out, so cross-reference checks do not call it unknown."""

    program: Program
    problems: list[Problem]
    report: Callable[[tuple[object, ...], str], Problem]
    unchecked: Unchecked


def validate_program(merged: dict[str, Any], locator: Locator, unread: set[str] = frozenset()) -> Validated:
    try:
        program = Program.model_validate(merged)
    except ValidationError as error:
        return _partly_valid(merged, locator, unread, error)
    return Validated(program, [], locator.problem, Unchecked(frozenset(unread)))


def _partly_valid(merged: dict[str, Any], locator: Locator, unread: set[str], error: ValidationError) -> Validated:
    known_ids = _raw_ids(merged)
    problems: list[Problem] = []
    failed_sections: set[str] = set()
    failed_items: dict[str, set[int]] = {section: set() for section in LIST_SECTIONS}
    for item in error.errors(include_url=False):
        path = _data_path(item["loc"], merged)
        section = str(path[0]) if path else ""
        if section in failed_items and len(path) > 1 and isinstance(path[1], int):
            failed_items[section].add(path[1])
        else:
            failed_sections.add(section)
        if item["type"] == "missing" and len(path) == 1:
            if section not in unread:  # an unreadable file may hold it
                problems.append(locator.problem(path, f"missing section `{section}:`"))
            continue
        problems.append(locator.problem(path, message(item, path, known_ids)))
    parts: dict[str, Any] = {}
    kept: dict[str, list[int]] = {}
    for section in SECTIONS:
        value = merged.get(section)
        if section in failed_sections or value is None:
            parts[section] = None if section in SINGLE_SECTIONS else []
            continue
        if section in SINGLE_SECTIONS:
            parts[section] = _section_type(section).validate_python(value)
            continue
        kept[section] = [index for index in range(len(value)) if index not in failed_items[section]]
        parts[section] = _section_type(section).validate_python([value[index] for index in kept[section]])
    dropped = {section: frozenset(_item_id(section, merged[section][index]) for index in indices) - {None}
               for section, indices in failed_items.items() if indices}
    unchecked = Unchecked(frozenset(unread | failed_sections), dropped)  # type: ignore[arg-type]

    def report(path: tuple[object, ...], text: str) -> Problem:
        if len(path) > 1 and path[0] in kept and isinstance(path[1], int):
            path = (path[0], kept[str(path[0])][path[1]], *path[2:])  # back to the index in the files
        return locator.problem(path, text)

    return Validated(Program.model_construct(**parts), problems, report, unchecked)


@functools.cache
def _section_type(section: str) -> TypeAdapter:
    """A validator for one section alone (what Program validates for that field)."""
    return TypeAdapter(Program.model_fields[section].annotation)

_ID_FIELDS = {"editors": "name", "genes": "symbol"}  # the others are keyed by `id`


def _item_id(section: str, item: Any) -> str | None:
    key = item.get(_ID_FIELDS.get(section, "id")) if isinstance(item, dict) else None
    return key if isinstance(key, str) else None


def _raw_ids(merged: dict[str, Any]) -> dict[str, set[str]]:
    """Ids as written, per kind of reference (`variant`, `disease`, `gene`, `platform`), for suggestions."""
    ids = {kind: {key for item in merged.get(section) or [] if (key := _item_id(section, item))}
           for kind, section in (("variant", "variants"), ("disease", "diseases"), ("gene", "genes"))
           if isinstance(merged.get(section), list)}
    platform = merged.get("platform")
    if isinstance(platform, dict) and isinstance(platform.get("id"), str):
        ids["platform"] = {platform["id"]}
    return ids


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


