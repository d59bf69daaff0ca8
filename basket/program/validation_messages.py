"""pydantic's validation errors as sentences a person can act on.

pydantic says `String should match pattern '^HGNC:\\d+$'`; a sponsor's data manager needs "'HGNC2323'
is not an HGNC id (HGNC, a colon and digits), e.g. HGNC:2323; did you mean 'HGNC:2323'?". Each
pattern of the model is described once, with an example, in `basket.program.model.TEXT_FORMATS`;
a did-you-mean is found by trying the edits people's values usually need (case, separators, a
missing colon or underscore, stray spaces) and keeping the first that the pattern accepts. An unknown
field gets the nearest field of that model; a value outside a fixed list, the nearest allowed value.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from basket.program.model import TEXT_FORMATS, Program, TextFormat, field_types


def message(error: Mapping[str, Any], path: tuple[object, ...], known_ids: Mapping[str, set[str]]) -> str:
    """The sentence for one pydantic error at `path` (the data path, union tags removed).

    `known_ids`: ids seen in the program's raw data per kind (`variant`, `disease`, `gene`,
    `platform`), for suggestions that name another object."""
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return _unknown_field(path)
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        return _pattern_mismatch(value, error.get("ctx", {}).get("pattern", ""), known_ids)
    if kind in {"literal_error", "enum"}:
        return _not_allowed(value, error.get("ctx", {}).get("expected", ""))
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_for_text(value, path, known_ids)
    if kind in _TYPE_SENTENCES:
        return f"{_TYPE_SENTENCES[kind]}, got {_shown(value)}"
    return str(error["msg"]).removeprefix("Value error, ")


_TYPE_SENTENCES = {
    "string_type": "expected text",
    "int_type": "expected a whole number (e.g. 3)",
    "int_parsing": "expected a whole number (e.g. 3)",
    "int_from_float": "expected a whole number (e.g. 3)",
    "float_type": "expected a number (e.g. 0.5)",
    "float_parsing": "expected a number (e.g. 0.5)",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "date_type": "expected a date written YYYY-MM-DD (e.g. 2026-02-15)",
    "date_parsing": "expected a date written YYYY-MM-DD (e.g. 2026-02-15)",
    "date_from_datetime_inexact": "expected a date without a time of day (YYYY-MM-DD)",
    "list_type": "expected a list (one item per line, each starting with '- ')",
    "dict_type": "expected a mapping (one `key: value` per line)",
    "model_type": "expected a mapping of fields (one `field: value` per line)",
    "model_attributes_type": "expected a mapping of fields (one `field: value` per line)",
}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    return repr(value)


def _number_for_text(value: float, path: tuple[object, ...], known_ids: Mapping[str, set[str]]) -> str:
    """YAML reads `protocol_version: 1.0` or `hgnc: 2323` as numbers: say to quote it, and when the
    text must also have a form (an HGNC id), what that form is."""
    sentence = (f"expected text, got the number {value!r}; put it in quotes to keep it as text (YAML reads "
                "unquoted 1.0 or 2026 as numbers)")
    text_format = _format_of(path)
    if text_format is None or re.fullmatch(text_format.pattern, str(value)):
        return sentence
    suggestion = suggest(str(value), text_format, known_ids)
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    return f"{sentence}, and write it as {text_format.description}, e.g. {text_format.example}{hint}"


def _format_of(path: tuple[object, ...]) -> TextFormat | None:
    """The described pattern of the text field at `path`, if it has one."""
    model = model_at(path[:-1])
    field = model.model_fields.get(str(path[-1])) if model is not None and path else None
    if model is None or field is None:
        return None
    stack: list[Any] = [field_types(model)[str(path[-1])], *field.metadata]
    while stack:
        item = stack.pop()
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str) and pattern in TEXT_FORMATS:
            return TEXT_FORMATS[pattern]
        stack += [*getattr(item, "__metadata__", ()), *typing.get_args(item)]
    return None


def _unknown_field(path: tuple[object, ...]) -> str:
    model = model_at(path[:-1])
    if model is None:
        return "unknown field (see docs/program-format.md)"
    fields = list(model.model_fields)
    close = difflib.get_close_matches(str(path[-1]), fields, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown field{hint} (fields here: {', '.join(fields)})"


def model_at(path: tuple[object, ...]) -> type[BaseModel] | None:
    """The model class whose fields live at `path` in a program (`("variants", 3, "window")` is
    SequenceWindow), or None where the path leaves the model."""
    model: type[BaseModel] = Program
    for part in path:
        if isinstance(part, int):
            continue
        annotation = field_types(model).get(str(part))
        if annotation is None:
            return None
        found = _model_in(annotation)
        if found is None:
            return None
        model = found
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `list[Variant]` or `SequenceWindow | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, tuple, typing.Annotated) or \
            typing.get_args(annotation):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


def _not_allowed(value: object, expected: str) -> str:
    choices = re.findall(r"'([^']*)'", expected) or [expected]
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6) if isinstance(value, str) else []
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{_shown(value)} is not one of {', '.join(repr(c) for c in choices)}{hint}"


def _pattern_mismatch(value: object, pattern: str, known_ids: Mapping[str, set[str]]) -> str:
    text_format = TEXT_FORMATS.get(pattern)
    if text_format is None:  # a pattern without a description: say it plainly rather than not at all
        return f"{_shown(value)} does not have the expected form (pattern {pattern})"
    suggestion = suggest(str(value), text_format, known_ids)
    hint = f"; did you mean {suggestion!r}?" if suggestion else ""
    return f"{_shown(value)} is not {text_format.description}, e.g. {text_format.example}{hint}"


def suggest(value: str, text_format: TextFormat, known_ids: Mapping[str, set[str]] | None = None) -> str | None:
    """The first usual repair of `value` that the format accepts, or None."""
    accepts = re.compile(text_format.pattern).fullmatch
    for candidate in _repairs(value, known_ids or {}, text_format):
        if candidate != value and accepts(candidate):
            return candidate
    return None


_SEPARATORS = (" ", "_", "-", ".", ":", "/")


def _repairs(value: str, known_ids: Mapping[str, set[str]], text_format: TextFormat) -> Iterator[str]:
    """Edits in the order a person most likely needs them: the value in another case; one separator
    swapped for another (`OMIM 237300`, `CPS1 Q335X`); the colon, underscore or hyphen missing after
    a letter prefix put in (`HGNC2323`); spaces, then spaces and digits, removed (a sequence pasted
    from a FASTA or GenBank view); the fixed text the pattern starts with put in front (`2323` for
    `HGNC:2323`); last, for a reference to another object (`kind:id`), the kind an existing id needs."""
    stripped = value.strip()
    cases = list(dict.fromkeys([stripped, stripped.upper(), stripped.lower()]))
    yield from cases
    for base in cases:
        for old in _SEPARATORS:
            if old in base:
                for new in _SEPARATORS[1:]:
                    yield base.replace(old, new)
    for base in cases:
        for joint in (":", "_", "-"):
            yield re.sub(r"^([A-Za-z]+)(\d)", rf"\g<1>{joint}\g<2>", base)
    for squeezed in (re.sub(r"\s+", "", stripped), re.sub(r"[\s\d]+", "", stripped)):
        yield squeezed
        yield squeezed.upper()
    prefix = re.match(r"\^([A-Za-z0-9:_-]*)", text_format.pattern)
    if prefix and prefix.group(1):  # the pattern begins with fixed text (`HGNC:`): the number alone was given
        yield prefix.group(1) + stripped
    yield from _reference_repairs(stripped, known_ids, text_format)


def _reference_repairs(value: str, known_ids: Mapping[str, set[str]], text_format: TextFormat) -> Iterator[str]:
    if not text_format.kinds:
        return
    kind, colon, key = value.partition(":")
    if colon:  # a misspelt kind: `variants:CPS1-Q335X`
        for close in difflib.get_close_matches(kind, text_format.kinds, n=1, cutoff=0.6):
            yield f"{close}:{key}"
    for kind in text_format.kinds:  # the kind left out: `CPS1-Q335X` is a variant's id
        if value in known_ids.get(kind, ()):
            yield f"{kind}:{value}"
