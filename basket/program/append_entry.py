"""`basket add`: append one well-formed entry to a list section of a program, editing nothing else.

The entry goes after the last item of its section, in the file that holds it (or into the file that
declares the section, `variants: []` as `basket init` writes it; or into a new `SECTION.yaml`). Its
text is ruamel.yaml's serialization of the entry (round-trip dumper: quoting where YAML would read a
value as something else), indented like the items already there. Everything else in the file —
comments, quoting, key order, line endings — stays byte for byte (a full round-trip dump would
re-wrap folded text and re-indent flow mappings).

Safety, as `basket status` and `basket window` (`basket.program.checked_edit`): the edit runs under
the program directory's lock from reading to the final check, so concurrent edits are all kept; the
file must still hash as loaded; the new text must parse to the old data plus exactly this entry; the
file is replaced atomically; and the whole program must load afterwards, else the old bytes are put
back (a new file removed) and the problems are reported against the options that made the entry.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from basket.foundation.problems import InputError, Problem
from basket.program.checked_edit import editing_program, read_unchanged, replace_checked
from basket.program.load import LoadedProgram, load_program
from basket.program.model import Program, field_types
from basket.program.validation_messages import message
from basket.program.yaml_source import parse_yaml

ADDABLE = ("variants", "patients", "evidence")


@dataclass(frozen=True)
class Appended:
    section: str
    key: str  # the new entry's id
    file: str
    line: int  # 1-based line of the new entry
    written: bool
    diff: str


def append_entry(directory: Path, section: str, entry: dict[str, Any], option_of: dict[str, str],
                 dry_run: bool = False) -> Appended:
    """Append `entry` to `section` of the program in `directory`.

    `option_of` maps a field to the command-line option that set it, so that problems name what the
    user typed. InputError: the entry or the program is invalid (nothing written)."""
    _check_alone(section, entry, option_of)
    with editing_program(directory) as folder:
        return _append(folder, section, entry, option_of, dry_run)


def _check_alone(section: str, entry: dict[str, Any], option_of: dict[str, str]) -> None:
    """The entry's own fields, before any file is touched (references are checked with the program)."""
    item_type = field_types(Program)[section]
    try:
        TypeAdapter(item_type).validate_python([entry])
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            path = tuple(item["loc"][1:])  # without the list index
            problems.append(Problem(_option(path, option_of), 0, "", message(item, (section, 0, *path), {})))
        raise InputError(problems) from None


def _option(path: tuple[object, ...], option_of: dict[str, str]) -> str:
    field = str(path[0]) if path else ""
    return option_of.get(field, f"--{field.replace('_', '-')}" if field else "entry")


def _append(directory: Path, section: str, entry: dict[str, Any], option_of: dict[str, str],
            dry_run: bool) -> Appended:
    loaded = load_program(directory)
    path, original = _target_file(loaded, section)
    text = original.decode("utf-8-sig") if original else ""
    bom = "\ufeff" if original.startswith(b"\xef\xbb\xbf") else ""
    new_body, line = insert_item(text, section, entry, str(path))
    updated = (bom + new_body).encode("utf-8")
    diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), new_body.splitlines(keepends=True),
                                        str(path), str(path)))
    key = str(entry.get("id", ""))
    if dry_run:
        return Appended(section, key, str(path), line, False, diff)
    try:
        replace_checked(directory, {path: (original if path.exists() else None, updated)})
    except InputError as error:  # the files are back as they were
        raise InputError(_about_the_entry(error.problems, str(path), line, option_of)) from None
    return Appended(section, key, str(path), line, True, diff)


def _target_file(loaded: LoadedProgram, section: str) -> tuple[Path, bytes]:
    """The file to append to, and its bytes as loaded (b"" for a new file)."""
    count = sum(1 for key in loaded.locator.origins if len(key) == 2 and key[0] == section)
    origin = loaded.locator.origins.get((section, count - 1)) or loaded.locator.origins.get((section,))
    path = Path(origin.document.file) if origin is not None else loaded.root / f"{section}.yaml"
    if not path.exists():  # no file declares the section: SECTION.yaml is started
        return path, b""
    return path, read_unchanged(loaded, path, "the entry was being added")


def insert_item(text: str, section: str, entry: dict[str, Any], display: str) -> tuple[str, int]:
    """`text` with `entry` appended to the list `section`; also the 1-based line where it starts."""
    document = parse_yaml(text, display) if text.strip() else None
    before = document.data if document is not None else None
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if document is not None and isinstance(before, dict) and before.get(section):
        at, indent = _after_last_item(lines, document.lines, section, len(before[section]), display)
    elif isinstance(before, dict) and section in before:
        at, indent, lines = _empty_section(lines, section, display, ending)
    else:  # no such section in this file (or a new file): start one at its end
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += ending
        lines.append(f"{section}:{ending}")
        at, indent = len(lines), 2
    item = [" " * indent + row + ending for row in _dumped(entry)]
    new_text = "".join(lines[:at] + item + lines[at:])
    _check_only_appended(before, new_text, section, entry, display)
    return new_text, at + 1


def _dumped(entry: dict[str, Any]) -> list[str]:
    """The entry as a block list item (`- id: ...` and its fields), as ruamel.yaml writes it."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = (1, 1)  # the loader reads YAML 1.1: quote what 1.1 would read as another type (yes, on, 017)
    yaml.default_flow_style = False
    yaml.width = 4096  # one value, one line
    yaml.indent(mapping=2, sequence=4, offset=2)  # nested lists indented under their key, as in the example
    buffer = io.StringIO()
    yaml.dump([entry], buffer)
    rows = buffer.getvalue().splitlines()
    rows = rows[rows.index("---") + 1:]  # without the `%YAML 1.1` directive
    return textwrap.dedent("\n".join(rows)).splitlines()  # the dash at column 0


def _after_last_item(lines: list[str], key_lines: Mapping[tuple[object, ...], int], section: str, count: int,
                     display: str) -> tuple[int, int]:
    """Where the section's last item ends (index of the line after it) and the column of its dash.

    The loader's record of the line of every value gives the last item's first line (ruamel.yaml's
    round-trip loader, which could say the same, reads 1,000 variants in seconds)."""
    row = key_lines[(section, count - 1)] - 1
    dash = len(lines[row]) - len(lines[row].lstrip(" "))
    if row <= key_lines[(section,)] - 1 or not lines[row].startswith("- ", dash):
        raise InputError([Problem(display, row + 1, section, "the section is not a block list of `- ` items (flow "
                                  "style [...], or an item not starting its line); add the entry by hand")])
    end = row + 1
    for index in range(row + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped:
            continue
        if len(lines[index]) - len(lines[index].lstrip(" ")) <= dash:
            break
        end = index + 1  # a line of the item (a comment inside it included)
    return end, dash


_EMPTY = r"^(?P<indent>[ ]*){key}:[ ]*(?P<flow>\[[ ]*\])?[ ]*(?P<comment>#.*)?$"


def _empty_section(lines: list[str], section: str, display: str, ending: str) -> tuple[int, int, list[str]]:
    """A section declared empty (`variants: []` or `variants:`): the block starts under its key."""
    pattern = re.compile(_EMPTY.format(key=re.escape(section)))
    for index, line in enumerate(lines):
        found = pattern.match(line.rstrip("\r\n"))
        if found:
            indent = len(found["indent"])
            if found["flow"]:
                comment = f"  {found['comment']}" if found["comment"] else ""
                lines = lines[:index] + [f"{found['indent']}{section}:{comment}{ending}"] + lines[index + 1:]
            return index + 1, indent + 2, lines
    raise InputError([Problem(display, 0, section, f"cannot find the `{section}:` line; add the entry by hand")])


def _check_only_appended(before: Any, new_text: str, section: str, entry: dict[str, Any], display: str) -> None:
    after = parse_yaml(new_text.lstrip("\ufeff"), display).data
    expected = copy.deepcopy(before) if isinstance(before, dict) else {}
    expected[section] = [*(expected.get(section) or []), entry]
    if after != expected:
        raise InputError([Problem(display, 0, section, "refusing to write: the edit would change more than the new "
                                  "entry (please report this); add it by hand")])


def _about_the_entry(problems: list[Problem], file: str, line: int, option_of: dict[str, str]) -> list[Problem]:
    """Problems of the program with the entry in it, told against the options that made the entry
    (its lines are gone again); any other problem as it is."""
    told = []
    for problem in problems:
        match = re.match(r"^[a-z_]+\[\d+\]\.?(?P<rest>.*)$", problem.field)
        if problem.file == file and problem.line >= line and match:
            rest = match["rest"]
            field = re.split(r"[.\[]", rest, maxsplit=1)[0]
            told.append(Problem(_option((field,) if field else (), option_of), 0, "", problem.message))
        else:
            told.append(problem)
    return told


__all__ = ["ADDABLE", "Appended", "append_entry", "insert_item"]
