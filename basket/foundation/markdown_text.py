"""Markdown-escaping of plain text, so text never turns into markup.

`escape_markdown_text` backslash-escapes the characters that would start emphasis, links, code,
raw HTML (`<` before a tag-like character) or a table cell, keeps entity-like `&` literal,
escapes block markers at the start, and flattens line breaks. The rendered documents escape every
printed value with it (`basket.documents.markdown_escape`), and so does every other Markdown
basket writes (`diff -o amendment.md`, `readiness --format md`, `plan --format md`): text from a
program is never markup, in any of them.
"""

from __future__ import annotations

import re

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


def escape_markdown_text(text: str) -> str:
    """`text` as Markdown that renders as exactly that text (one line)."""
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
