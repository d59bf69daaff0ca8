"""Writing a variant's `window:` block into its YAML file, touching nothing else.

The loader already knows the line of every key (`YamlDocument.lines`), so the block is found
without parsing the file again: the `window:` key's line, and every following line that is blank
or indented deeper than the key (nested keys, folded sequences, comments inside the block). A new
block goes just above the first of `INSERT_BEFORE` that starts its own line. Everything outside
the block (comments, quoting, key order, line endings, a byte order mark) stays byte for byte.
`basket.program.window_fetch` then requires the program, loaded again, to equal the old one with
only those windows replaced, and puts the files back otherwise.

(ruamel.yaml's round-trip loader, which `basket status` uses to find one value, took 7.2 s to read
one file of 1,000 variants here, against 0.35 s for the libyaml composer behind the loader's lines.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

# Where a new `window:` goes in a variant: above the first of these keys that starts a line.
INSERT_BEFORE = ("grna", "status", "submit", "notes", "source", "eligibility", "dosing", "schedule")
_KEY = re.compile(r"""^(?P<lead>[ ]*(?:-[ ]+)*)(?P<q>["']?)(?P<key>[^"':#\s][^"':#]*?)(?P=q)[ ]*:(?:[ ]|$)""")


class WindowEditRefused(ValueError):
    """The window of this variant cannot be written safely; the message says why."""


@dataclass(frozen=True)
class WindowEdit:
    """Replace lines [first, last) of a file (0-based) with `text`; an insertion has first == last."""

    variant_path: tuple[object, ...]  # path of the variant mapping inside the file, e.g. ("variants", 3)
    window: dict[str, Any]  # the whole window after the edit, or (`whole` false) the keys added to it
    whole: bool
    first: int
    last: int
    text: list[str]


# Plain scalars that YAML reads back as the same string: no indicator first, no ": " or " #" inside
# (the character set has no "#"), no ":" or space last, and not a word YAML resolves to another
# type (yes, null, 1e3, 12:30). Anything else is written as a double-quoted JSON string.
_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 _.,:;()+/=\-]*")
_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def yaml_scalar(value: object) -> str:
    """A value written so that YAML reads it back unchanged (double-quoted when plain would not)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"unexpected window value {value!r}")
    if isinstance(value, int):
        return str(value)
    if (_PLAIN.fullmatch(value) and ": " not in value and not value.endswith((":", " "))
            and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR):
        return value
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    """A YAML double-quoted scalar: printable ASCII as is, everything else escaped (\\x, \\u, \\U)."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code <= 0x7E:
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader


def block_lines(window: Mapping[str, Any], indent: int, child_indent: int, ending: str) -> list[str]:
    lines = [" " * indent + "window:" + ending]
    lines += [" " * child_indent + f"{key}: {yaml_scalar(value)}{ending}" for key, value in window.items()]
    return lines


def window_edit(lines: list[str], key_lines: Mapping[tuple[object, ...], int], variant_path: tuple[object, ...],
                window: dict[str, Any], keep_existing: bool = False) -> WindowEdit:
    """The edit that writes `window` into the variant at `variant_path` of a file read as `lines`.

    `key_lines` are the loader's 1-based lines of every path in the file. With `keep_existing`, the
    existing block stays and only the keys it lacks are added after its last line (so comments
    inside it survive); otherwise the whole block is replaced, or inserted when there is none."""
    window_key = variant_path + ("window",)
    if window_key in key_lines:
        row = key_lines[window_key] - 1
        lead = _key_column(lines[row], "window")
        end = _block_end(lines, row, lead)
        ending = _ending(lines[row])
        children = [key_lines[p] - 1 for p in key_lines if len(p) == len(window_key) + 1 and p[:-1] == window_key]
        child = _key_column(lines[min(children)], None) if children and min(children) > row else lead + 2
        if keep_existing and children and min(children) > row:
            added = {k: v for k, v in window.items() if (*window_key, k) not in key_lines}
            text = [" " * child + f"{k}: {yaml_scalar(v)}{ending}" for k, v in added.items()]
            return WindowEdit(variant_path, added, False, end, end, text)
        return WindowEdit(variant_path, window, True, row, end, block_lines(window, lead, lead + 2, ending))
    for key in INSERT_BEFORE:
        path = variant_path + (key,)
        if path not in key_lines:
            continue
        row = key_lines[path] - 1
        column = _key_column(lines[row], key)
        if lines[row][:column].strip() == "":  # the key starts its line: the block can go above it
            return WindowEdit(variant_path, window, True, row, row,
                              block_lines(window, column, column + 2, _ending(lines[row])))
    raise WindowEditRefused("cannot find where to insert `window:` (the variant is in flow style, or no key "
                            "of it starts a line); add the block by hand")


def _key_column(line: str, key: str | None) -> int:
    match = _KEY.match(line)
    if match is None or (key is not None and match.group("key") != key):
        raise WindowEditRefused(f"cannot read the key on the line {line.rstrip()!r}; edit the window by hand")
    return len(match.group("lead"))


def _block_end(lines: list[str], row: int, column: int) -> int:
    """The first line after the block that starts at `row` (exclusive end; trailing blank lines left out)."""
    end = row + 1
    last = row + 1
    while end < len(lines):
        text = lines[end]
        stripped = text.strip()
        if stripped and len(text) - len(text.lstrip(" ")) <= column:
            break
        end += 1
        if stripped:
            last = end
    return last


def _ending(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def apply_edits(lines: list[str], edits: list[WindowEdit]) -> str:
    """The text of `lines` with the edits made (bottom first, so earlier line numbers stay valid)."""
    lines = list(lines)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += _ending(lines[0])
    for edit in sorted(edits, key=lambda e: e.first, reverse=True):
        lines[edit.first:edit.last] = edit.text
    return "".join(lines)


def edit_diff(lines: list[str], edit: WindowEdit, display: str) -> str:
    """The edit as a unified diff of `display`, with one line of context on each side."""
    before = lines[max(0, edit.first - 1):edit.first]
    after = lines[edit.last:edit.last + 1]
    old = lines[edit.first:edit.last]
    start = edit.first - len(before) + 1
    hunk = (f"@@ -{start},{len(before) + len(old) + len(after)} "
            f"+{start},{len(before) + len(edit.text) + len(after)} @@\n")
    body = ([f" {line}" for line in before] + [f"-{line}" for line in old] + [f"+{line}" for line in edit.text]
            + [f" {line}" for line in after])
    return f"--- {display}\n+++ {display}\n{hunk}" + "".join(line if line.endswith("\n") else line + "\n"
                                                         for line in body)
