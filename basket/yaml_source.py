"""Safe YAML loading that remembers the line of every value.

PyYAML's composer gives nodes with marks; we construct plain Python values
ourselves so that only standard YAML types exist (no tags that build objects)
and every key and list item keeps the line it came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from basket.problems import InputError, Problem, format_path

try:  # the C parser is an order of magnitude faster on big programs
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels ship libyaml
    _Loader = yaml.SafeLoader

MAX_NODES = 2_000_000  # an alias bomb expands far beyond any real program
MAX_DEPTH = 200

Path = tuple[object, ...]


@dataclass
class YamlDocument:
    """A parsed file: its data and the 1-based line of each path inside it."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


class _Builder:
    def __init__(self, file: str, loader: Any):
        self.file = file
        self.loader = loader
        self.lines: dict[Path, int] = {}
        self.count = 0

    def fail(self, node: yaml.Node, path: Path, message: str) -> InputError:
        return InputError([Problem(self.file, node.start_mark.line + 1, format_path(path), message)])

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"document expands to more than {MAX_NODES:,} values (alias bomb?)")
        if len(path) > MAX_DEPTH:
            raise self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}")
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.build_scalar(node, path)

    def build_mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        if node.tag not in ("tag:yaml.org,2002:map",):
            raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}")
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, path, "YAML merge keys (<<) are not supported; write the fields out")
            key = self.build_scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int, float, bool)):
                raise self.fail(key_node, path, "mapping keys must be plain scalars")
            key = str(key)
            if key in result:
                raise self.fail(key_node, path + (key,), f"duplicate key {key!r}")
            self.lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, path + (key,))
        return result

    def build_scalar(self, node: yaml.Node, path: Path) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, path, "expected a scalar value")
        if node.tag.startswith("tag:yaml.org,2002:") and node.tag.split(":")[-1] in _SCALAR_TAGS:
            try:
                return self.loader.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as error:
                raise self.fail(node, path, f"invalid {node.tag.split(':')[-1]} value: {error}") from None
        raise self.fail(node, path, f"unsupported YAML tag {node.tag!r}")


_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "binary"}


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; raise InputError with file:line on any problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise InputError([Problem(file, line, "", f"invalid YAML: {error.problem or error}")]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(file, 1, "", f"invalid YAML: {error}")]) from None
    finally:
        loader.dispose()
    if node is None:
        return YamlDocument(file, None)
    builder = _Builder(file, loader)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise InputError([Problem(file, node.start_mark.line + 1, "", "document nested too deeply")]) from None
    return YamlDocument(file, data, builder.lines)


def read_yaml_file(path: os.PathLike[str] | str, display: str) -> YamlDocument:
    """Read a file as UTF-8 YAML; wrong encodings are input errors, not tracebacks."""
    try:
        raw = open(path, "rb").read()
    except OSError as error:
        raise InputError([Problem(display, 1, "", f"cannot read file: {error.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError([Problem(display, line, "", "file is not valid UTF-8 text")]) from None
    return parse_yaml(text, display)

