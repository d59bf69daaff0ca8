"""Identifiers in a document's text as https links: DOIs, ClinVar accessions, NCT numbers, PubMed and
PubMed Central ids, and bare https URLs.

Works on markdown-it's HTML fragment (see `html_structure`): text there is HTML-escaped, so a
match is unescaped, its URL built from the identifier's own characters (percent-encoded), and both
are escaped again. Text inside an existing link, `code`, `pre` or an image is left alone. Only https
links are made; `http://` addresses stay text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

_TRAILING = ".,;:!?'\""
# regions never linked inside: an existing link, code, preformatted text, an image (its data URI)
_SKIP = r"<a\b[^>]*>.*?</a>|<code>.*?</code>|<pre>.*?</pre>|<img\b[^>]*>"
_IDENTIFIER = re.compile(
    rf"(?P<skip>{_SKIP})"
    r"|(?P<url>https://[^\s<>\"]+)"
    r"|(?P<doi>\b(?:doi:\s?)?(?P<doi_id>10\.\d{4,9}/[^\s<>\"]+))"
    r"|(?P<clinvar>\b(?P<clinvar_kind>RCV|VCV|SCV)(?P<clinvar_number>\d{6,9})(?:\.\d+)?\b)"
    r"|(?P<nct>\bNCT\d{8}\b)"
    r"|(?P<pmid>\bPMID:?\s?(?P<pmid_number>\d{1,9})\b)"
    r"|(?P<pmc>\bPMC\d{4,9}\b)",
    re.DOTALL,
)
# a cheap test: most pieces of text hold none of these
_MAYBE = re.compile(r"https://|10\.\d|RCV|VCV|SCV|NCT\d|PMID|PMC\d")


def link_identifiers(fragment: str) -> str:
    """`fragment` with every identifier in its text turned into an `<a href="https://...">`."""
    if not _MAYBE.search(fragment):
        return fragment
    return _IDENTIFIER.sub(_link, fragment)


def _link(match: re.Match[str]) -> str:
    if match.group("skip"):
        return match.group(0)
    text = html.unescape(match.group(0))
    text, rest = _trim(text) if match.group("url") or match.group("doi") else (text, "")
    url = _url(match, text)
    return f'<a href="{html.escape(url)}">{_escape_text(text)}</a>{_escape_text(rest)}'


def _url(match: re.Match[str], text: str) -> str:
    if match.group("url"):
        return "https://" + quote(text[len("https://"):], safe="/:;?&=#%+@!$'()*,.~_-")
    if match.group("doi"):
        doi = text[text.index("10."):]
        return "https://doi.org/" + quote(doi, safe="/:;()._-~")
    if match.group("clinvar"):
        kind, number = match.group("clinvar_kind"), match.group("clinvar_number")
        if kind == "VCV":
            return f"https://www.ncbi.nlm.nih.gov/clinvar/variation/{int(number)}/"
        if kind == "RCV":
            return f"https://www.ncbi.nlm.nih.gov/clinvar/RCV{number}/"
        return f"https://www.ncbi.nlm.nih.gov/clinvar/?term=SCV{number}"
    if match.group("nct"):
        return f"https://clinicaltrials.gov/study/{text}"
    if match.group("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{int(match.group('pmid_number'))}/"
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{text}/"


def _trim(text: str) -> tuple[str, str]:
    """A URL or DOI without the sentence punctuation that follows it (and a closing bracket it does
    not open): "(doi:10.1/x)." -> "doi:10.1/x" and ")."."""
    end = len(text)
    while end > 0:
        char = text[end - 1]
        if char in _TRAILING or (char == ")" and text.count("(", 0, end) < text.count(")", 0, end)) or (
                char == "]" and text.count("[", 0, end) < text.count("]", 0, end)):
            end -= 1
            continue
        break
    return text[:end], text[end:]


def _escape_text(text: str) -> str:
    """As markdown-it escapes text: `&`, `<`, `>` and `"`."""
    return html.escape(text, quote=False).replace('"', "&quot;")
