"""Escaping values for Markdown, so program text never turns into markup.

The Markdown templates are the single source of every format (HTML, PDF and
DOCX are made from the Markdown), so a value is escaped once, here, when a
template prints it: `{{ value }}` in a `.md.j2` template passes through
`markdown_finalize`, which backslash-escapes the characters that would start
emphasis, links, code, raw HTML or a table cell, and flattens line breaks.
Literal `&`, `<` and `>` stay literal in HTML because the Markdown converter
runs with raw HTML disabled (see `basket.render.markdown`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from basket.render.context import ToBeProvided

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


class MarkdownSafe(str):
    """Text already escaped for Markdown (or deliberately markup): printed as is."""


def escape_markdown(value: object) -> MarkdownSafe:
    if isinstance(value, MarkdownSafe):
        return value
    if isinstance(value, ToBeProvided):
        return MarkdownSafe(f"[to be provided: {escape_markdown(value.what)}]")
    if type(value) is str and len(value) <= SHORT_TEXT:
        return escape_short(value)  # names, ids and labels recur in every appendix
    return _escape_text(str(value))


SHORT_TEXT = 2048  # values up to this length are cached: names, ids, labels and citations recur in every appendix


@lru_cache(maxsize=16_384)  # at most ~32 MiB of cached text
def escape_short(text: str) -> MarkdownSafe:
    return _escape_text(text)


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


def _escape_text(text: str) -> MarkdownSafe:
    if not _has_markup(text):  # most values (ids, numbers, plain words): nothing to escape
        return MarkdownSafe(text)
    text = _NEWLINES.sub(" ", text)
    text = _INLINE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _LEADING.sub(_escape_leading, text)
    return MarkdownSafe(text)


def _escape_leading(match: re.Match[str]) -> str:
    mark = match.group(2)
    return match.group(1) + (mark[:-1] + "\\" + mark[-1] if len(mark) > 1 else "\\" + mark)


def markdown_finalize(value: object) -> object:
    """jinja `finalize` for Markdown templates: every printed value is escaped."""
    if type(value) is str:  # the common case first: it runs for every value every template prints
        return escape_short(value) if len(value) <= SHORT_TEXT else _escape_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return escape_markdown(value)


def markdown_raw(value: object) -> MarkdownSafe:
    """Template filter `raw`: print trusted template text (not program data) unescaped."""
    return MarkdownSafe(str(value))
