"""Safe YAML loading that remembers the line of every value.

PyYAML's composer gives nodes with marks; we construct plain Python values
ourselves so that only standard YAML types exist (no tags that build objects)
and every key and list item keeps the line it came from.

Bounded, whatever the file: at most MAX_EVENTS YAML events per file (counted by libyaml
before anything is built), MAX_DEPTH levels, MAX_ALIASED values and ALIAS_CHARACTERS characters
of text repeated through aliases (`*name`), numbers of at most MAX_NUMBER_CHARACTERS characters.
YAML 1.1's base-60 numbers (`12:30`, whose conversion is quadratic in its length) are text, as
in YAML 1.2. Text holding a character that is not text (a control character, a lone surrogate,
U+FFFE) is refused with its line (`basket.foundation.characters`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from basket.foundation.characters import forbidden_character
from basket.foundation.problems import InputError, Problem, format_path

try:  # the C parser is an order of magnitude faster on big programs
    from yaml import _yaml

    _Loader = yaml.CSafeLoader
except (ImportError, AttributeError):  # pragma: no cover - wheels ship libyaml
    _yaml = None
    _Loader = yaml.SafeLoader

MAX_EVENTS = 1_000_000  # YAML events (scalars, keys, collection starts and ends) per file: about 8 MB of YAML
MAX_NODES = MAX_EVENTS  # values built per file, aliases expanded
MAX_ALIASED = 100_000  # values reached again through aliases (*name): a "billion laughs" bomb stops here
ALIAS_CHARACTERS = 1_000_000  # characters of text aliases may repeat beyond the file's own length
MAX_DEPTH = 200
MAX_NUMBER_CHARACTERS = 100

Path = tuple[object, ...]


@dataclass
class YamlDocument:
    """A parsed file: its data and the 1-based line of each path inside it."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    values: int = 0  # values built (aliases expanded), counted against the program's budget

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


_MAP, _SEQ, _STR = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"
# Standard scalar tags and the SafeLoader constructor for each; anything else (!!python/object,
# !!binary, custom !tags) is refused. Strings, the bulk of a program, skip the constructor.
_SCALAR_CONSTRUCTORS = {
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}


_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class _Builder:
    """Turns composed nodes into plain dicts, lists and scalars, recording the line of each path.

    A value's line is its key's line inside a mapping and its own line inside a list.
    """

    def __init__(self, file: str, loader: Any, text_length: int, max_values: int, too_many: str):
        self.file = file
        self.loader = loader
        self.lines: dict[Path, int] = {}
        self.count = 0
        self.max_values = max_values
        self.too_many = too_many
        # every character of text in the file is built once; more than that came through aliases
        self.characters_left = text_length + ALIAS_CHARACTERS
        self.open: set[int] = set()  # containers being built: meeting one again means a recursive alias
        self.built: set[int] = set()  # containers built once: meeting one again means an alias
        self.aliasing = 0  # depth inside alias expansions
        self.aliased = 0

    def fail(self, node: yaml.Node, path: Path, message: str) -> InputError:
        return InputError([Problem(self.file, node.start_mark.line + 1, format_path(path), message)])

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > self.max_values:
            raise self.fail(node, path, self.too_many)
        if self.aliasing:
            self.aliased += 1
            if self.aliased > MAX_ALIASED:
                raise self.fail(node, path, f"aliases (*name) expand to more than {MAX_ALIASED:,} values "
                                "(a YAML alias bomb?)")
        kind = type(node)
        if kind is yaml.ScalarNode:
            if node.tag == _STR:  # the bulk of a program: `text` inlined
                value = node.value
                self.characters_left -= len(value)
                if self.characters_left < 0 or node.style == '"':
                    self.check_text(node, path)
                return value
            return self.build_scalar(node, path)
        if len(path) >= MAX_DEPTH:
            raise self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels")
        if id(node) in self.open:
            raise self.fail(node, path, "an alias (*name) refers to a value that contains it (recursive structure)")
        again = id(node) in self.built
        self.aliasing += again
        self.open.add(id(node))
        try:
            if kind is yaml.MappingNode:
                return self.build_mapping(node, path)
            return self.build_sequence(node, path)
        finally:
            self.open.discard(id(node))
            self.built.add(id(node))
            self.aliasing -= again

    def build_sequence(self, node: yaml.SequenceNode, path: Path) -> list:
        if node.tag != _SEQ:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}")
        items = []
        lines = self.lines
        for index, item in enumerate(node.value):
            child = path + (index,)
            lines[child] = item.start_mark.line + 1
            items.append(self.build(item, child))
        return items

    def build_mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        if node.tag != _MAP:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}")
        result: dict = {}
        lines = self.lines
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise self.fail(key_node, path, "mapping keys must be plain scalars")
            if key_node.tag == _STR:  # `text` inlined: a program has as many keys as values
                key = key_node.value
                self.characters_left -= len(key)
                if self.characters_left < 0 or key_node.style == '"':
                    self.check_text(key_node, path)
            else:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, path, "YAML merge keys (<<) are not supported; write the fields out")
                key = self.build_scalar(key_node, path)
                if not isinstance(key, (str, int, float, bool)):
                    raise self.fail(key_node, path, "mapping keys must be plain scalars")
                key = str(key)
            child = path + (key,)
            if key in result:
                raise self.fail(key_node, child, f"duplicate key {key!r}")
            lines[child] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child)
        return result

    def text(self, node: yaml.ScalarNode, path: Path) -> str:
        value = node.value
        self.characters_left -= len(value)
        if self.characters_left < 0 or node.style == '"':
            self.check_text(node, path)
        return value

    def check_text(self, node: yaml.ScalarNode, path: Path) -> None:
        if self.characters_left < 0:
            raise self.fail(node, path, f"aliases (*name) repeat more than {ALIAS_CHARACTERS:,} characters of text "
                            "(a YAML alias bomb?); write the text out where it is needed")
        # only a double-quoted scalar has escapes ("\0", "\ud800"); the reader refused the rest
        found = forbidden_character(node.value)
        if found is not None:
            raise self.fail(node, path, f"the text holds {found}, which is not text (control characters, lone "
                            "surrogates and U+FFFE/U+FFFF cannot be printed in any document); remove it")

    def build_scalar(self, node: yaml.Node, path: Path) -> Any:
        if type(node) is not yaml.ScalarNode:
            raise self.fail(node, path, "expected a scalar value")
        if node.tag == _STR:
            return self.text(node, path)
        constructor = _SCALAR_CONSTRUCTORS.get(node.tag)
        if constructor is None:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}")
        if node.tag in _NUMBER_TAGS:
            if not node.style and ":" in node.value:  # YAML 1.1 base 60 (12:30): text, as in YAML 1.2
                return self.text(node, path)
            if len(node.value) > MAX_NUMBER_CHARACTERS:
                raise self.fail(node, path, f"invalid {node.tag.split(':')[-1]} value: a number of {len(node.value):,} "
                                f"characters (at most {MAX_NUMBER_CHARACTERS})")
        try:
            return getattr(self.loader, constructor)(node)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            raise self.fail(node, path, f"invalid {node.tag.split(':')[-1]} value: {error}") from None


def parse_yaml(text: str, file: str, max_values: int = MAX_NODES, too_many: str = "") -> YamlDocument:
    """Parse one YAML document of at most `max_values` values (else `too_many` is the message);
    raise InputError with file:line on any problem."""
    loader = _Loader(text)
    try:
        _count_events(text, file)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (NUL, most C0 controls)
        line = text[: error.position].count("\n") + 1
        what = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        raise InputError([Problem(file, line, "", f"invalid YAML: unacceptable character {what}: {error.reason}")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError([Problem(file, line, "", f"invalid YAML: {error.problem or error}")]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(file, 1, "", f"invalid YAML: {error}")]) from None
    finally:
        loader.dispose()
    _refuse_raw_noncharacters(text, file)
    if node is None:
        return YamlDocument(file, None)
    builder = _Builder(file, loader, len(text), max_values,
                       too_many or f"document has more than {max_values:,} values")
    builder.lines[()] = node.start_mark.line + 1
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise InputError([Problem(file, node.start_mark.line + 1, "", "document nested too deeply")]) from None
    return YamlDocument(file, data, builder.lines, builder.count)


def _refuse_raw_noncharacters(text: str, file: str) -> None:
    """The YAML reader refuses control characters written as such, but lets noncharacters such as
    U+FDD0 through; escapes in double-quoted text are checked value by value (`_Builder.text`)."""
    if text.isascii():  # the reader refused every ASCII control character already
        return
    found = forbidden_character(text.replace("\x85", "\n"))  # YAML reads a raw NEL as a line break
    if found is not None:
        position = next(i for i, char in enumerate(text) if forbidden_character(char) and char != "\x85")
        line = text.count("\n", 0, position) + 1
        raise InputError([Problem(file, line, "", f"the file holds {found}, which is not text; remove it")])


def _count_events(text: str, file: str) -> None:
    """Refuse a file of more than MAX_EVENTS events before building anything: libyaml counts them
    in C without making a Python object (composing them took 300 bytes and microseconds each)."""
    if len(text) * 4 // 3 + 16 < MAX_EVENTS or _yaml is None:  # an event takes at least ~1.5 characters ("[]," is two)
        return
    parser = _yaml.CParser(text)
    try:
        events = parser.raw_parse()
    finally:
        parser.dispose()
    if events > MAX_EVENTS:
        raise InputError([Problem(file, 1, "", f"the file holds {events:,} YAML nodes (keys, values, list and mapping "
                                  f"starts and ends), more than {MAX_EVENTS:,}; split it over several files")])


def read_yaml_file(path: os.PathLike[str] | str, display: str) -> YamlDocument:
    """Read a file as UTF-8 YAML; wrong encodings are input errors, not tracebacks."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise InputError([Problem(display, 1, "", f"cannot read file: {error.strerror}")]) from None
    return parse_yaml_bytes(raw, display)


def parse_yaml_bytes(raw: bytes, display: str, max_values: int = MAX_NODES, too_many: str = "") -> YamlDocument:
    """Decode UTF-8 (an optional BOM allowed) and parse; other encodings are input errors."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError([Problem(display, line, "", "file is not valid UTF-8 text")]) from None
    return parse_yaml(text, display, max_values, too_many)

