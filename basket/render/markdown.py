"""Markdown (the rendered templates) to an HTML fragment, the shared source of HTML, PDF and DOCX.

CommonMark plus tables, raw HTML disabled: any `<`, `>` or `&` left in the
Markdown (from a program value or a user template) is printed as text, never
as markup. Images whose path names a document asset (the trial schema
picture) are embedded as data URIs so the HTML is one self-contained file.
"""

from __future__ import annotations

import base64
import re

from markdown_it import MarkdownIt

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
_MARKER = re.compile(r"\[to be provided: ([^\]<]*)\]")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def markdown_to_html(text: str, assets: dict[str, bytes] | None = None) -> str:
    parser = _parser()
    tokens = parser.parse(text)
    assets = assets or {}
    for token in tokens:
        for child in token.children or []:
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                if src in assets:
                    kind = MEDIA_TYPES.get(src.rsplit(".", 1)[-1], "application/octet-stream")
                    child.attrSet("src", f"data:{kind};base64,{base64.b64encode(assets[src]).decode('ascii')}")
    html = parser.renderer.render(tokens, parser.options, {})
    # the escaped marker text becomes a highlighted span (its content is already HTML-escaped)
    return _MARKER.sub(r'<mark class="tbp">[to be provided: \1]</mark>', html)
