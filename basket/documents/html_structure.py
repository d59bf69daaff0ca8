"""The HTML fragment of a document (from `markdown_html`) made navigable and fit for paper.

- every heading gets its stable anchor as `id` (`basket.documents.contents`), which the table of
  contents links to and WeasyPrint turns into named PDF destinations;
- the list under the "Table of Contents" heading is marked `class="toc"` (page numbers in the PDF,
  a Word TOC field in the DOCX);
- a table with more than `WIDE_COLUMNS` columns is marked `class="wide"`: the PDF and the DOCX print
  it on a landscape page;
- identifiers in the text become https links (`basket.documents.identifier_links`).

The fragment is markdown-it's own output (raw HTML is disabled, so every `<` in it is markup and
every `<` of a program value is `&lt;`), which is what makes these regular-expression passes safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from basket.documents.contents import CONTENTS_TITLE, Anchors, Heading, plain_text
from basket.documents.identifier_links import link_identifiers

WIDE_COLUMNS = 6  # tables with more columns than this go on a landscape page
LONGEST_DEMAND = 60  # a column's share of the width grows with its text up to this many characters

_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TABLE_HEAD = re.compile(r"<table>\n<thead>\n<tr>\n(.*?)</tr>", re.DOTALL)
_HEADER_CELL = re.compile(r"<th[ >]")
_TABLE = re.compile(r"(<table[^>]*>)(.*?</table>)", re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.DOTALL)


@dataclass(frozen=True)
class Structured:
    body: str
    headings: list[Heading]


def structure(body: str) -> Structured:
    body, headings = _anchor_headings(body)
    body = _mark_contents(body, headings)
    body = _TABLE_HEAD.sub(_mark_wide, body)
    return Structured(link_identifiers(body), headings)


def _anchor_headings(body: str) -> tuple[str, list[Heading]]:
    anchors = Anchors()
    headings: list[Heading] = []

    def identify(match: re.Match[str]) -> str:
        level, inner = int(match.group(1)), match.group(2)
        text = plain_text(inner)
        heading = Heading(level, text, anchors.anchor(text))
        headings.append(heading)
        return f'<h{level} id="{heading.anchor}">{inner}</h{level}>'

    return _HEADING.sub(identify, body), headings


def _mark_contents(body: str, headings: list[Heading]) -> str:
    contents = next((h for h in headings if h.text == CONTENTS_TITLE), None)
    if contents is None:
        return body
    heading_start = body.index(f'<h{contents.level} id="{contents.anchor}">')
    heading_end = body.index(f"</h{contents.level}>", heading_start)
    list_start = body.find("<ul>\n", heading_end)
    next_heading = body.find("<h", heading_end + 5)
    if list_start == -1 or (next_heading != -1 and next_heading < list_start):
        return body
    return body[:list_start] + '<ul class="toc">\n' + body[list_start + len("<ul>\n"):]


def _mark_wide(match: re.Match[str]) -> str:
    if len(_HEADER_CELL.findall(match.group(1))) <= WIDE_COLUMNS:
        return match.group(0)
    return '<table class="wide">' + match.group(0)[len("<table>"):]


def column_shares(rows: list[list[str]], count: int, minimum: float) -> list[float]:
    """Each column's share of a table's width (adding up to 1): at least `minimum`, the rest shared
    by how much text the column holds (its longest cell, up to LONGEST_DEMAND characters)."""
    demand = [1] * count
    for row in rows:
        for index, text in enumerate(row[:count]):
            demand[index] = max(demand[index], min(len(text), LONGEST_DEMAND))
    floor = min(minimum, 1 / count)
    spare = 1 - floor * count
    return [floor + spare * d / sum(demand) for d in demand]


def fixed_table_widths(body: str) -> str:
    """Every table with a `<colgroup>` of fixed column widths (percentages from `column_shares`),
    for `table-layout: fixed` in print: the browser engine then never measures the narrowest
    width of each cell, which for long unbreakable values wrapped anywhere costs minutes."""

    def widths(match: re.Match[str]) -> str:
        rows = [[plain_text(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(match.group(2))]
        count = max((len(row) for row in rows), default=0)
        if not count:
            return match.group(0)
        shares = column_shares(rows, count, minimum=0.06)
        columns = "".join(f'<col style="width: {share * 100:.2f}%">' for share in shares)
        return f"{match.group(1)}<colgroup>{columns}</colgroup>{match.group(2)}"

    return _TABLE.sub(widths, body)
