"""Markdown (the rendered templates) to an HTML fragment, the shared source of HTML, PDF and DOCX.

CommonMark plus tables through markdown-it.rs (the Rust port of markdown-it, via
`markdown-it-pyrs`) with the raw-HTML rules left out: any `<`, `>` or `&` left in the
Markdown (from a program value or a user template) prints as text, never as markup. Images
whose path names a document asset (the trial schema picture) are embedded as data URIs so
the HTML is one self-contained file.
"""

from __future__ import annotations

import base64
import html
import re
from functools import lru_cache

import markdown_it_pyrs

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# the marker text, already HTML-escaped; "[]" may occur inside it (e.g. "variants[].dosing")
_MARKER = re.compile(r"\[to be provided: ((?:[^\]\[<]|\[\])*)\]")
_IMAGE_SOURCE = re.compile(r'(<img src=")([^"]*)(")')
# CommonMark's rules without html_block/html_inline, plus tables; no typographic replacements
_RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
          "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table"]


@lru_cache(maxsize=1)
def _parser() -> markdown_it_pyrs.MarkdownIt:
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(_RULES)


@lru_cache(maxsize=1)
def _reference_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def convert(text: str) -> str:
    """One piece of Markdown to HTML: markdown-it.rs, or markdown-it-py where the Rust port panics.

    markdown-it.rs 0.6 panics on some inputs (e.g. a table cell `[` followed by a backtick); the
    pure-Python markdown-it-py is the reference it ports and renders the same HTML, only ~12x slower.
    """
    try:
        return _parser().render(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - pyo3's PanicException derives from BaseException
        return _reference_parser().render(text)


def markdown_to_html(text: str, assets: dict[str, bytes] | None = None) -> str:
    rendered = render_markdown(text)
    if assets:
        rendered = _IMAGE_SOURCE.sub(lambda m: m.group(1) + _embedded(m.group(2), assets) + m.group(3), rendered)
    # the escaped marker text becomes a highlighted span (its content is already HTML-escaped)
    return _MARKER.sub(r'<mark class="tbp">[to be provided: \1]</mark>', rendered)


ROWS_PER_PIECE = 1_000
_DELIMITER_ROW = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def render_markdown(text: str, rows_per_piece: int = ROWS_PER_PIECE) -> str:
    """Markdown to HTML; a top-level table longer than `rows_per_piece` is converted in pieces.

    The parser's syntax tree costs ~30x the text, so one 30 MB roster table (a 100,000-variant
    master protocol) would take ~1 GB at once. Table rows are independent, so converting the
    body in pieces under the same header and joining the rows gives the same HTML.
    """
    lines = text.split("\n")
    table = _long_table(lines, rows_per_piece)
    if table is None:
        return convert(text)
    start, end = table
    head, rows = lines[start : start + 2], lines[start + 2 : end]
    pieces = [convert("\n".join(head + rows[i : i + rows_per_piece]) + "\n")
              for i in range(0, len(rows), rows_per_piece)]
    body = "".join(_table_rows(piece) for piece in pieces)
    table_html = pieces[0][: pieces[0].index("<tbody>\n") + len("<tbody>\n")] + body + "</tbody>\n</table>\n"
    before = convert("\n".join(lines[:start]) + "\n") if start else ""
    return before + table_html + render_markdown("\n".join(lines[end:]), rows_per_piece)


def _long_table(lines: list[str], rows_per_piece: int) -> tuple[int, int] | None:
    """(first line, end) of the first top-level table with more body rows than `rows_per_piece`:
    preceded by a blank line, outside fenced code, every row starting with `|`, ended by a blank line."""
    fenced = False
    index = 0
    while index < len(lines) - 1:
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        elif (not fenced and line.startswith("|") and (index == 0 or not lines[index - 1].strip())
              and _DELIMITER_ROW.match(lines[index + 1])):
            end = index + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            if (end == len(lines) or not lines[end].strip()) and end - index - 2 > rows_per_piece:
                return index, end
            index = end
            continue
        index += 1
    return None


def _table_rows(piece: str) -> str:
    start = piece.index("<tbody>\n") + len("<tbody>\n")
    return piece[start : piece.rindex("</tbody>")]


def _embedded(source: str, assets: dict[str, bytes]) -> str:
    path = html.unescape(source)
    if path not in assets:
        return source
    kind = MEDIA_TYPES.get(path.rsplit(".", 1)[-1], "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(assets[path]).decode('ascii')}"
