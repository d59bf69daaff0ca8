"""Escaping values for Markdown, so program text never turns into markup.

The Markdown templates are the single source of every format (HTML, PDF and
DOCX are made from the Markdown), so a value is escaped once, here, when a
template prints it: `{{ value }}` in a `.md.j2` template passes through the
environment's `finalize` (`ESCAPED`, a memory of `escape_markdown`), which backslash-escapes the characters that would start
emphasis, links, code, raw HTML or a table cell, and flattens line breaks (the text-level
escaping lives in `basket.foundation.markdown_text`, shared with every Markdown basket writes).
Literal `&`, `<` and `>` stay literal in HTML because the Markdown converter
runs with raw HTML disabled (see `basket.documents.markdown_html`).
"""

from __future__ import annotations

from basket.documents.document_context import ToBeProvided
from basket.foundation.markdown_text import escape_markdown_text as _escape_text


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


def markdown_raw(value: object) -> MarkdownSafe:
    """Template filter `raw`: print trusted template text (not program data) unescaped."""
    return MarkdownSafe(str(value))
