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


def markdown_to_html(text: str, assets: dict[str, bytes] | None = None) -> str:
    rendered = _parser().render(text)
    if assets:
        rendered = _IMAGE_SOURCE.sub(lambda m: m.group(1) + _embedded(m.group(2), assets) + m.group(3), rendered)
    # the escaped marker text becomes a highlighted span (its content is already HTML-escaped)
    return _MARKER.sub(r'<mark class="tbp">[to be provided: \1]</mark>', rendered)


def _embedded(source: str, assets: dict[str, bytes]) -> str:
    path = html.unescape(source)
    if path not in assets:
        return source
    kind = MEDIA_TYPES.get(path.rsplit(".", 1)[-1], "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(assets[path]).decode('ascii')}"
