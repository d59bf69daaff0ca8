"""Output formats: each turns a Document into bytes, all from the same Markdown template.

md    the document template rendered (`overview.md.j2`, `appendix.md.j2`);
html  that Markdown converted (basket.documents.markdown_html) inside `document.html.j2`
      with `document.css` (screen and print CSS), one self-contained file;
pdf   WeasyPrint on that HTML (US Letter, running header, page numbers, a bookmark for every
      heading, contents with page numbers, wide tables on landscape pages; see `pdf` below);
docx  the same HTML walked into Word headings, lists and tables (basket.documents.docx_writer).
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from basket.documents.document import Document
from basket.documents.template_environment import Templates
from basket.foundation.characters import xml_safe
from basket.foundation.problems import InputError, Problem

Formatter = Callable[[Templates, Document], bytes]

HTML_TEMPLATE = "document.html.j2"
CSS_TEMPLATE = "document.css"


def markdown_text(templates: Templates, doc: Document) -> str:
    if doc.markdown:
        return doc.markdown
    text = xml_safe(templates.markdown.get_template(f"{doc.kind}.md.j2").render(**doc.context))
    while "\n\n\n" in text:  # template loops leave extra blank lines; one is enough (str.replace: 10x a regex)
        text = text.replace("\n\n\n", "\n\n")
    return text


def markdown(templates: Templates, doc: Document) -> bytes:
    return markdown_text(templates, doc).encode("utf-8")


def html_body(templates: Templates, doc: Document, embed_assets: bool = True) -> str:
    """The document's HTML fragment: headings anchored, contents marked, wide tables marked,
    identifiers linked (`basket.documents.html_structure`)."""
    from basket.documents.html_structure import structure
    from basket.documents.markdown_html import markdown_to_html

    return structure(markdown_to_html(markdown_text(templates, doc), doc.assets if embed_assets else None)).body


def css_string(value: str) -> str:
    """A CSS string literal whose content cannot end the string or the <style> element."""
    out = []
    for char in value:
        if char.isalnum() or char in " .,:;-_+()/·–":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


def html_text(templates: Templates, doc: Document, nav: list[dict[str, str]] | None = None,
              for_print: bool = False) -> str:
    """The self-contained HTML page; `for_print` fixes every table's column widths (the PDF)."""
    meta = doc.context["document"]
    env = templates.html
    css_source = env.loader.get_source(env, CSS_TEMPLATE)[0]  # type: ignore[union-attr]
    body = html_body(templates, doc)
    if for_print:
        from basket.documents.html_structure import fixed_table_widths

        body = fixed_table_widths(body)
    return xml_safe(env.get_template(HTML_TEMPLATE).render(
        title=doc.title,
        document=meta,
        body=Markup(body),
        css=Markup(css_source),
        running_header_css=Markup(css_string(meta["running_header"])),
        nav=nav or [],
    ))


def html(templates: Templates, doc: Document) -> bytes:
    return html_text(templates, doc).encode("utf-8")


PDF_VERSION = "1.7"  # the FDA's PDF specifications accept PDF 1.4 to 1.7


def pdf(templates: Templates, doc: Document) -> bytes:
    """PDF 1.7 as the FDA's eCTD PDF specifications ask: fonts embedded (WeasyPrint subsets and
    embeds every font it uses), searchable text, no JavaScript, no security, a bookmark for every
    heading, opening on the bookmarks panel and the page. WeasyPrint may read only what the document
    embeds (data: URLs): a template that points at a local file or a web address is refused, never
    fetched."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    document = weasyprint.HTML(string=html_text(templates, doc, for_print=True), base_url=None,
                               url_fetcher=_embedded_only())
    try:
        return document.write_pdf(pdf_identifier=doc.stem.encode("utf-8"), pdf_version=PDF_VERSION,
                                  finisher=_open_on_bookmarks)
    except FatalURLFetchingError as error:
        url = getattr(error.__cause__, "url", "a resource")
        raise InputError([Problem(f"{doc.stem}.pdf", 0, "", f"the document refers to {url}; a PDF is made only "
                                  "from what the document embeds (data: URLs), never from local files or the "
                                  "network (check the templates)")]) from None


def _embedded_only():
    from weasyprint.urls import URLFetcher

    class EmbeddedOnly(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> object:
            if not url.startswith("data:"):
                raise ExternalResource(url)
            return super().fetch(url, headers)

    return EmbeddedOnly(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)


class ExternalResource(ValueError):
    def __init__(self, url: str):
        super().__init__(f"not fetched: {url}")
        self.url = url


def _open_on_bookmarks(document, pdf) -> None:
    """Initial view "Bookmarks Panel and Page" when the PDF has bookmarks; the title bar shows
    the document title."""
    import pydyf

    if "Outlines" in pdf.catalog:
        pdf.catalog["PageMode"] = "/UseOutlines"
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})


def docx(templates: Templates, doc: Document) -> bytes:
    from basket.documents.docx_writer import html_to_docx

    return html_to_docx(html_body(templates, doc, embed_assets=False), doc.title, doc.context["document"], doc.assets)


FORMATTERS: dict[str, Formatter] = {"md": markdown, "html": html, "pdf": pdf, "docx": docx}
