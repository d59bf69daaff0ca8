"""Documents fit the page and follow the FDA's PDF specifications, read back from the files.

Layout: no character in the FDA's margins or off the page, whatever the length of a value (the
example, the fixture, and a program with very long HGVS, sources, URLs, sequences, a 24-visit
schedule and a long roster); DOCX tables no wider than the text width of their section.
PDF (FDA "Portable Document Format Specifications" v4.0): PDF 1.4-1.7, fonts embedded, text
searchable, no JavaScript, no security, no annotations but links, a bookmark for every heading,
opening on the bookmarks, contents linked to the pages of their headings, US Letter, landscape
pages saved landscape.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.render.paper import LETTER, chars_off_the_page, docx_tables_wider_than_their_page, smallest_text

LONG_TOKEN = "ACGT" * 50  # 200 characters without a break opportunity
LONG_URL = "https://example.org/" + "/".join(f"segment-{i}-with-a-long-name" for i in range(12))
LONG_INSERTION = "ACGTTGCA" * 20


def _long_values_program(copy: Path) -> Path:
    """The fixture with values no column can hold on one line and a schedule wider than a page."""
    variants = copy / "variants.yaml"
    extra = [f"""  - id: OTC-LONG-{number}
    gene: OTC
    hgvs_c: NM_000531.6:c.{100 + number}_{102 + number}delins{LONG_INSERTION}
    source: Source {number} {LONG_TOKEN} {LONG_URL}
""" for number in range(60)]
    variants.write_text(variants.read_text().replace("manufacturer: IDT", f"manufacturer: IDT {LONG_TOKEN}")
                        + "".join(extra))
    umbrella = copy / "umbrella.yaml"
    visits = "".join(f"""    - name: Visit {number} {LONG_TOKEN[:60]}
      timing: week {number}
      assessments: [plasma ammonia, liver enzymes {LONG_TOKEN[:40]}]
""" for number in range(24))
    umbrella.write_text(umbrella.read_text().replace("  schedule:\n", "  schedule:\n" + visits, 1)
                        .replace("source: Test fixture derived from configs/ucd-umbrella",
                                 f"source: {LONG_URL} {LONG_TOKEN}"))
    return copy


@pytest.fixture(scope="module")
def long_values(tmp_path_factory) -> Path:
    from basket.api import render_to
    from tests.conftest import copy_program
    from tests.render.golden import FIXTURE

    program = _long_values_program(copy_program(FIXTURE, tmp_path_factory.mktemp("long") / "program"))
    out = tmp_path_factory.mktemp("long-out") / "out"
    render_to(program, out, ["md", "pdf", "docx"])
    return out


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory) -> Path:
    from basket.api import render_to
    from tests.conftest import EXAMPLE

    out = tmp_path_factory.mktemp("example") / "out"
    render_to(EXAMPLE, out, ["html", "pdf", "docx"])
    return out


def _documents(out: Path, suffix: str) -> list[Path]:
    return sorted(out.rglob(f"*.{suffix}"))


@pytest.mark.parametrize("which", ["rendered", "example_pdf", "long_values"])
def test_no_text_lies_outside_the_margins(which, request):
    out = request.getfixturevalue(which)
    for path in _documents(out, "pdf"):
        assert chars_off_the_page(path) == [], path


def test_long_values_wrap_and_wide_tables_turn_landscape(long_values):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO((long_values / "overview.pdf").read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert LONG_TOKEN[:200] in "".join(text.split())  # printed whole, over several lines
    sizes = {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages}
    assert sizes == {LETTER, LETTER[::-1]}  # the 24-visit schedule is cut into landscape tables
    markdown = (long_values / "overview.md").read_text()
    schedule = markdown[markdown.index("### 1.3 Schedule"):markdown.index("## 2 Introduction")]
    assert schedule.count("| Assessment |") == 4  # 27 visits, 8 per table


@pytest.mark.parametrize("which", ["rendered", "example_pdf", "long_values"])
def test_docx_tables_fit_their_pages(which, request):
    out = request.getfixturevalue(which)
    for path in _documents(out, "docx"):
        assert docx_tables_wider_than_their_page(path) == [], path


def test_docx_pages_are_letter_with_landscape_sections_for_wide_tables(long_values):
    import docx
    from docx.enum.section import WD_ORIENT

    document = docx.Document(str(long_values / "overview.docx"))
    shapes = {(s.orientation, round(s.page_width.inches, 2), round(s.page_height.inches, 2)) for s in document.sections}
    assert shapes == {(WD_ORIENT.PORTRAIT, 8.5, 11.0), (WD_ORIENT.LANDSCAPE, 11.0, 8.5)}
    assert all(s.left_margin.inches >= 0.75 for s in document.sections if s.orientation == WD_ORIENT.PORTRAIT)


# --- the FDA's PDF specifications, point by point, on the fixture's and the example's PDFs ----------


def _pdfs(out: Path):
    from pypdf import PdfReader

    return [(path, PdfReader(io.BytesIO(path.read_bytes()))) for path in _documents(out, "pdf")]


@pytest.fixture(params=["rendered", "example_pdf"])
def pdfs(request):
    return _pdfs(request.getfixturevalue(request.param))


def test_pdf_version_is_1_4_to_1_7_without_security(pdfs):
    for path, reader in pdfs:
        assert re.match(rb"%PDF-1\.[4-7]\n", path.read_bytes()[:9]), path
        assert not reader.is_encrypted and "/Encrypt" not in reader.trailer, path


def test_pdf_has_no_javascript_attachments_or_annotations_but_links(pdfs):
    for path, reader in pdfs:
        data = path.read_bytes()
        for key in (b"/JavaScript", b"/JS", b"/EmbeddedFile", b"/RichMedia", b"/3D", b"/Launch"):
            assert key not in data, (path, key)
        root = reader.trailer["/Root"]
        assert "/OpenAction" not in root and "/AA" not in root and "/AcroForm" not in root, path
        for page in reader.pages:
            for annotation in page.get("/Annots", []):
                assert annotation.get_object()["/Subtype"] == "/Link", path


def test_pdf_fonts_are_embedded_and_text_is_searchable(pdfs):
    for path, reader in pdfs:
        for page in reader.pages:
            fonts = page["/Resources"].get_object().get("/Font", {})
            for font in fonts.values():
                font = font.get_object()
                descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
                for item in descendants:
                    descriptor = item["/FontDescriptor"].get_object()
                    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), (path, item["/BaseFont"])
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert "1 " in text and ("Protocol Summary" in text or "Variant Identification" in text), path


def test_pdf_text_is_at_least_9_point(rendered, example_pdf):
    for out in (rendered, example_pdf):
        for path in _documents(out, "pdf"):
            if path.name == "overview.pdf":  # the trial schema picture scales with the program (see README)
                continue
            assert smallest_text(path) >= 8.9, path


def test_pdf_bookmarks_every_heading_and_opens_on_them(pdfs):
    for path, reader in pdfs:
        html = path.with_suffix(".html")
        headings = _html_headings(html) if html.exists() else None

        def titles(outline) -> list[str]:
            found = []
            for item in outline:
                found += titles(item) if isinstance(item, list) else [" ".join(item.title.split())]
            return found

        bookmarks = titles(reader.outline)
        assert len(bookmarks) >= 10, path
        if headings is not None:
            assert bookmarks == headings, path
        assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines", path


def _html_headings(path: Path) -> list[str]:
    from basket.documents.contents import plain_text

    return [plain_text(m) for m in re.findall(r"<h[1-6] id=\"[^\"]*\">(.*?)</h[1-6]>", path.read_text(), re.DOTALL)]


def test_pdf_contents_link_to_the_page_of_each_heading(pdfs):
    for path, reader in pdfs:
        titles = {anchor: title for anchor, title in _html_anchors(path.with_suffix(".html"))}
        pages = {page.indirect_reference.idnum: page for page in reader.pages}
        destinations = {name: pages[dest.page.idnum] for name, dest in reader.named_destinations.items()}
        links = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
        internal = [str(link["/Dest"]) for link in links if "/Dest" in link]  # only the contents link inside
        assert len(internal) >= 10 and set(internal) <= set(titles), path
        for name in internal:
            shown = "".join(destinations[name].extract_text().split())
            assert "".join(titles[name].split()) in shown, (path, name)  # the link lands on its heading's page


def _html_anchors(path: Path) -> list[tuple[str, str]]:
    from basket.documents.contents import plain_text

    found = re.findall(r"<h[1-6] id=\"([^\"]*)\">(.*?)</h[1-6]>", path.read_text(), re.DOTALL)
    return [(anchor, plain_text(inner)) for anchor, inner in found]


def test_pdf_pages_are_letter_and_landscape_pages_are_saved_landscape(pdfs):
    for path, reader in pdfs:
        for page in reader.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size in (LETTER, LETTER[::-1]), path
            assert page.get("/Rotate", 0) == 0, path  # a landscape page is displayed as it is saved
