"""Escaping values for Markdown, so program text never turns into markup.

The Markdown templates are the single source of every format (HTML, PDF and
DOCX are made from the Markdown), so a value is escaped once, here, when a
template prints it: `{{ value }}` in a `.md.j2` template passes through the
environment's `finalize` (`ESCAPED`, a memory of `escape_markdown`), which backslash-escapes the characters that would start
emphasis, links, code, raw HTML or a table cell, and flattens line breaks.
Literal `&`, `<` and `>` stay literal in HTML because the Markdown converter
runs with raw HTML disabled (see `basket.documents.markdown_html`).
"""

from __future__ import annotations

import re

from basket.documents.document_context import ToBeProvided

# characters that start inline markup anywhere in CommonMark (tables: `|`); `<` only where it
# could open a tag or an autolink, `~` only where two could strike through (GitHub)
_INLINE = re.compile(r"([\\`*\[\]|]|<(?=[A-Za-z/!?])|~(?=~)|(?<=~)~)")
# `_` only matters at a word boundary ("NM_001875.5" stays readable)
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# an entity reference such as `&amp;` would be decoded: keep the ampersand literal
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# block markup at the start of a value printed at the start of a line
_LEADING = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[+\-*](?=\s|$)|\d{1,9}[.)](?=\s|$)|=+(?=\s*$))")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
# where none of the patterns above matches, escaping changes nothing: a quick test for "some
# might" (_LEADING is tried with .match); tests/hostile/test_escape_fast_path.py checks it
_MAYBE_MARKUP = re.compile(r"[\r\n\\`*\[\]|]|<(?=[A-Za-z/!?])|~~|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?[A-Za-z0-9]+;)")


class MarkdownSafe:
    """Text already escaped for Markdown, or deliberately markup (`| raw`): printed as is.

    Not a `str` subclass on purpose: a str subclass would look up equal to the plain text
    in `ESCAPED` and come back escaped a second time."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def escape_markdown(value: object) -> str:
    """`value` as Markdown text that renders as exactly that text."""
    try:
        return ESCAPED[value]
    except TypeError:  # unhashable (a list a user template prints whole): not remembered
        return _escape_value(value)


def _escape_value(value: object) -> str:
    if isinstance(value, MarkdownSafe):
        return value.text
    if isinstance(value, ToBeProvided):
        return f"[to be provided: {escape_markdown(value.what)}]"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    # a str subclass is escaped by its characters, as a remembered equal plain str would be
    return _escape_text(str.__str__(value) if isinstance(value, str) else str(value))


SHORT_TEXT = 2048  # plain text up to this length is remembered: names, ids, labels and citations recur
MEMORY_CHARS = 4_000_000  # characters of remembered keys (escaped values are about as long) before all is forgotten


class _EscapeMemory(dict):
    """Plain text -> its escaped form. Jinja calls the Markdown templates' `finalize` for every
    printed value, so the shipped templates use `ESCAPED.__getitem__` itself: a value seen before
    costs one dict lookup, with no Python frame. Only exact `str` keys are stored, so a value of
    another type (a number, a `ToBeProvided`, a `MarkdownSafe`) never equals a stored key."""

    chars = 0  # characters of the remembered keys

    def __missing__(self, value: object) -> str:
        if type(value) is not str or len(value) > SHORT_TEXT:
            return _escape_value(value)
        escaped = _escape_text(value)
        self.chars += len(value)
        if self.chars > MEMORY_CHARS:
            self.clear()  # cheaper than tracking recency; recurring values come back at once
            self.chars = len(value)
        self[value] = escaped
        return escaped


ESCAPED = _EscapeMemory()


# the characters `_MAYBE_MARKUP` needs besides `_`: text with none of them skips that regex
_INLINE_CHARS = re.compile(r"[\r\n\\`*\[\]|<~&]")


def _has_markup(text: str) -> bool:
    """`_MAYBE_MARKUP.search(text) or _LEADING.match(text)`, several times cheaper on long plain
    text such as "NM_001875.5:c.1003C>T is a C>T transition…": a character-class scan first,
    and underscores checked where they are instead of by a look-around at every position."""
    if _INLINE_CHARS.search(text) and _MAYBE_MARKUP.search(text):
        return True
    return _loose_underscore(text) or _LEADING.match(text) is not None


def _loose_underscore(text: str) -> bool:
    """An `_` not between two ASCII letters or digits (it could open or close emphasis)."""
    index = text.find("_")
    while index != -1:
        before, after = text[index - 1 : index] if index else "", text[index + 1 : index + 2]
        if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
            return True
        index = text.find("_", index + 1)
    return False


def _escape_text(text: str) -> str:
    if not _has_markup(text):  # most values (ids, numbers, plain words): nothing to escape
        return text
    text = _NEWLINES.sub(" ", text)
    text = _INLINE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LEADING.sub(_escape_leading, text)


def _escape_leading(match: re.Match[str]) -> str:
    mark = match.group(2)
    return match.group(1) + (mark[:-1] + "\\" + mark[-1] if len(mark) > 1 else "\\" + mark)


def markdown_raw(value: object) -> MarkdownSafe:
    """Template filter `raw`: print trusted template text (not program data) unescaped."""
    return MarkdownSafe(str(value))
