"""Headings: stable anchors and the table of contents, the same in Markdown, HTML, PDF and DOCX.

A heading's anchor is its GitHub-style slug (lower case, punctuation dropped, spaces to hyphens,
repeats numbered `-1`, `-2` in document order), so "4.1.2 Variant Roster" is `#412-variant-roster`
in our HTML and PDF, in the DOCX bookmarks and on any Markdown viewer that slugs headings the same
way. The slug is computed from the heading as it reads (the Markdown converted to HTML, tags
dropped), so the Markdown table of contents and the HTML ids agree.

The templates mark where the contents go with `CONTENTS_SLOT`; once a document's Markdown is
rendered, `fill_contents` replaces the slot with a nested list of links to its level-2 and level-3
headings (every heading after the title except the contents' own).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CONTENTS_SLOT = "[[basket:contents]]"
CONTENTS_TITLE = "Table of Contents"
CONTENTS_LEVELS = (2, 3)

# an ATX heading, or the start or end of a fenced code block (inside which `#` is not a heading)
_LINE = re.compile(r"^(?:(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*|( {0,3}(?:`{3,}|~{3,})).*)$", re.MULTILINE)
_TAG = re.compile(r"<[^>]*>")
_NOT_SLUG = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # as the reader sees it (no markup)
    anchor: str


def plain_text(fragment_html: str) -> str:
    """The text an HTML fragment shows: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub("", fragment_html)).split())


def slug(text: str) -> str:
    """GitHub's heading slug: lower case, only letters, digits, `_`, `-` and spaces kept, spaces to `-`."""
    return _NOT_SLUG.sub("", text.lower()).replace(" ", "-")


class Anchors:
    """Anchors in document order; a repeated slug gets `-1`, `-2`, ... as GitHub numbers them."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def anchor(self, text: str) -> str:
        base = slug(text) or "section"
        candidate = base
        while candidate in self.seen:
            self.seen[base] += 1
            candidate = f"{base}-{self.seen[base]}"
        self.seen[candidate] = 0
        return candidate


def markdown_headings(markdown: str) -> Iterator[Heading]:
    """Every ATX heading of the Markdown, outside fenced code, with its anchor."""
    from basket.documents.markdown_html import convert

    anchors = Anchors()
    fence = ""
    for match in _LINE.finditer(markdown):
        marker = match.group(3)
        if marker is not None:
            token = marker.strip()[:3]
            if not fence:
                fence = token
            elif token == fence:
                fence = ""
            continue
        if fence:
            continue
        text = plain_text(convert("# " + match.group(2)))  # as a heading, exactly as the HTML shows it
        yield Heading(len(match.group(1)), text, anchors.anchor(text))


def contents_markdown(headings: Iterable[Heading]) -> str:
    """The table of contents as a nested Markdown list of links."""
    from basket.documents.markdown_escape import escape_markdown

    lines = []
    for heading in headings:
        if heading.level not in CONTENTS_LEVELS or heading.text == CONTENTS_TITLE:
            continue
        indent = "  " * (heading.level - CONTENTS_LEVELS[0])
        lines.append(f"{indent}- [{escape_markdown(heading.text)}](#{heading.anchor})")
    return "\n".join(lines) if lines else "This document has no numbered sections."


def fill_contents(markdown: str) -> str:
    """`markdown` with its contents slot (if any) replaced by the list of its sections."""
    if CONTENTS_SLOT not in markdown:
        return markdown
    return markdown.replace(CONTENTS_SLOT, contents_markdown(markdown_headings(markdown)), 1)
