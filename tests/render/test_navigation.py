"""Navigation in every format: a table of contents, stable heading anchors, identifiers as https links."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents.contents import markdown_headings, slug
from basket.documents.identifier_links import link_identifiers


def test_html_contents_link_to_existing_stable_anchors(rendered):
    for name in ("overview.html", "appendices/CPS1-Q335X.html"):
        page = (rendered / name).read_text()
        ids = re.findall(r'<h[1-6] id="([^"]+)">', page)
        assert len(ids) == len(set(ids)), name
        start = page.index('<ul class="toc">')
        contents = page[start:page.index("<h2", start)]
        targets = re.findall(r'href="#([^"]+)"', contents)
        assert len(targets) >= 10 and set(targets) <= set(ids), name
    overview = (rendered / "overview.html").read_text()
    assert '<h4 id="412-variant-roster">4.1.2 Variant Roster</h4>' in overview  # GitHub's slug of the heading


def test_markdown_contents_use_the_same_anchors(rendered):
    markdown = (rendered / "overview.md").read_text()
    assert "- [1 Protocol Summary](#1-protocol-summary)" in markdown
    assert "  - [1.1 Protocol Synopsis](#11-protocol-synopsis)" in markdown
    anchors = {h.anchor for h in markdown_headings(markdown)}
    assert set(re.findall(r"\]\(#([^)]+)\)", markdown)) <= anchors


def test_repeated_headings_get_numbered_anchors():
    headings = list(markdown_headings("## A b\n\n## A b\n\n```\n## not a heading\n```\n\n## A-b\n"))
    assert [h.anchor for h in headings] == ["a-b", "a-b-1", "a-b-2"]
    assert slug("4.1.2 Variant Roster") == "412-variant-roster" and slug("Investigator's Agreement") == \
        "investigators-agreement"


def test_identifiers_become_https_links(rendered):
    appendix = (rendered / "appendices" / "CPS1-Q335X.html").read_text()
    assert '<a href="https://doi.org/10.1056/NEJMoa2504747">doi:10.1056/NEJMoa2504747</a>' in appendix
    assert '<a href="https://www.ncbi.nlm.nih.gov/clinvar/RCV001045342/">RCV001045342</a>' in appendix
    overview = (rendered / "overview.html").read_text()
    assert '<a href="https://clinicaltrials.gov/study/NCT07667387">NCT07667387</a>' in overview
    hrefs = re.findall(r'<a href="([^"]+)"', overview + appendix)
    assert hrefs and all(h.startswith(("https://", "#")) for h in hrefs)


def test_identifier_links_escape_and_keep_the_text():
    text = 'doi:10.1000/x"><script>alert(1)</script> PMID: 12345 http://plain.example NCT0000000'
    linked = link_identifiers(html.escape(text, quote=False).replace('"', "&quot;"))
    assert "<script>" not in linked and 'href="https://doi.org/10.1000/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' \
        in linked
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/12345/">PMID: 12345</a>' in linked
    assert "http://plain.example" in linked and 'href="http://' not in linked  # only https links
    assert "NCT0000000" in linked and "clinicaltrials" not in linked  # seven digits: not an NCT number


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["doi:10.1056/NEJMoa2504747", "RCV001045342", "VCV000010987", "NCT07667387",
                                 "PMID:42", "PMC8604755", "https://a.example/x?y=1&z=2", "(", ")", ".", " ", "<",
                                 ">", "&", '"', "x", "10.", "/", "doi:"]), max_size=20).map("".join))
def test_linking_changes_no_text_and_makes_only_https_links(text):
    escaped = html.escape(text, quote=False).replace('"', "&quot;")
    linked = link_identifiers(f"<p>{escaped}</p>")
    assert html.unescape(re.sub(r"<[^>]*>", "", linked)) == text
    for href in re.findall(r'<a href="([^"]*)">', linked):
        assert href.startswith("https://") and "<" not in href and '"' not in href


def test_docx_has_a_toc_field_linked_to_heading_bookmarks_and_page_numbers(rendered):
    import zipfile

    xml = zipfile.ZipFile(rendered / "overview.docx").read("word/document.xml").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml)
    assert len(anchors) >= 10 and set(anchors) <= bookmarks and "h_1_protocol_summary" in bookmarks
    settings_xml = zipfile.ZipFile(rendered / "overview.docx").read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings_xml
    relations = zipfile.ZipFile(rendered / "overview.docx").read("word/_rels/document.xml.rels").decode()
    assert 'Target="https://clinicaltrials.gov/study/NCT07667387" TargetMode="External"' in relations
    footer = zipfile.ZipFile(rendered / "overview.docx").read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer
