"""Identifiers in free text (DOI, ClinVar, NCT, PubMed, PMC, OMIM, HGNC) as links, for HTML.

`link_identifiers(text)` escapes the text and wraps each identifier it recognises in an
`<a href="https://...">`; nothing else becomes markup. Links are only ever https and built from
the matched identifier alone (its characters are restricted by the patterns below), so a value
cannot smuggle a `javascript:` URL or an attribute into the page.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup, escape

# DOI: "10." registrant "/" suffix; the suffix stops at whitespace, quotes, angle brackets, and
# does not keep trailing sentence punctuation (a DOI cited at the end of a sentence).
_DOI = r"(?P<doi>\b10\.\d{4,9}/[^\s\"'<>]+[^\s\"'<>.,;:)\]])"
_NCT = r"(?P<nct>\bNCT\d{8}\b)"
_CLINVAR = r"(?P<clinvar>\b(?:VCV|RCV|SCV)\d{6,12}(?:\.\d+)?\b)"
_PMID = r"(?P<pmid>\bPMID:?\s?(?P<pmid_number>\d{1,9})\b)"
_PMC = r"(?P<pmc>\bPMC\d{4,9}\b)"
_OMIM = r"(?P<omim>\b(?:OMIM|MIM):(?P<omim_number>\d{6})\b)"
_HGNC = r"(?P<hgnc>\bHGNC:\d{1,6}\b)"
IDENTIFIER = re.compile("|".join((_DOI, _NCT, _CLINVAR, _PMID, _PMC, _OMIM, _HGNC)))


def identifier_url(match: re.Match[str]) -> str:
    """The https URL of the identifier one match of `IDENTIFIER` found."""
    kind = match.lastgroup
    if match.group("doi"):
        return "https://doi.org/" + quote(match.group("doi"), safe="/;:()._-")
    if match.group("nct"):
        return f"https://clinicaltrials.gov/study/{match.group('nct')}"
    if match.group("clinvar"):
        accession = match.group("clinvar")
        if accession.startswith("VCV"):
            return f"https://www.ncbi.nlm.nih.gov/clinvar/variation/{int(accession[3:].split('.')[0])}/"
        return f"https://www.ncbi.nlm.nih.gov/clinvar/?term={accession}"
    if match.group("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{match.group('pmid_number')}/"
    if match.group("pmc"):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{match.group('pmc')}/"
    if match.group("omim"):
        return f"https://omim.org/entry/{match.group('omim_number')}"
    if match.group("hgnc"):
        return f"https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{match.group('hgnc')}"
    raise AssertionError(f"unhandled identifier kind {kind}")  # pragma: no cover - the pattern has no other group


def link_identifiers(text: object) -> Markup:
    """The text, HTML-escaped, with every recognised identifier as a link."""
    value = str(text)
    pieces: list[str] = []
    last = 0
    for match in IDENTIFIER.finditer(value):
        pieces.append(escape(value[last:match.start()]))
        pieces.append(Markup('<a class="identifier" href="{}">{}</a>').format(identifier_url(match), match.group(0)))
        last = match.end()
    pieces.append(escape(value[last:]))
    return Markup("").join(pieces)
