"""Markdown (the rendered templates) to an HTML fragment, the shared source of HTML, PDF and DOCX.

CommonMark plus GFM tables through cmark-gfm (GitHub's C implementation, via `cmarkgfm`),
without its unsafe option: raw HTML in the Markdown is never passed through (our templates
escape every `<` that could open a tag, so program text always prints as text). Images
whose path names a document asset (the trial schema picture) are embedded as data URIs so
the HTML is one self-contained file.
"""

from __future__ import annotations

import base64
import html
import re

import cmarkgfm
from cmarkgfm.cmark import Options

MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# the marker text, already HTML-escaped; "[]" may occur inside it (e.g. "variants[].dosing")
_MARKER = re.compile(r"\[to be provided: ((?:[^\]\[<]|\[\])*)\]")
_IMAGE_SOURCE = re.compile(r'(<img src=")([^"]*)(")')
_OPTIONS = Options.CMARK_OPT_VALIDATE_UTF8  # invalid bytes become U+FFFD; no raw HTML, no smart quotes


def markdown_to_html(text: str, assets: dict[str, bytes] | None = None) -> str:
    rendered = cmarkgfm.markdown_to_html_with_extensions(text, options=_OPTIONS, extensions=["table"])
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
