"""The HTML fragment of a document (from its Markdown) walked into a Word document.

A small walker, no business logic: h1 becomes the Title, h2–h6 real Word
"Heading 1–5" styles (so Word's navigation pane and table of contents work),
each with a bookmark named after its anchor; the contents list a real Word TOC
field (its entries already filled in as links, page numbers refreshed by Word
when the file is opened); links Word hyperlinks; tables Word tables with a bold
header row and fixed column widths that add up to the text width, a wide table
(`class="wide"`) on a landscape section; lists list paragraphs, `code`
monospace runs, images (the trial schema, as PNG) pictures. Text is set as
run text, so `<script>` in a value stays text. Pages are US Letter with the
PDF's margins, a running header and "Page X of Y" in every section.

Deterministic bytes: core properties are fixed (dates from the protocol date,
else 2000-01-01; no author but "basket"), and the package is re-zipped with
fixed timestamps in python-docx's part order.

Well-formed whatever the text: every text passes `xml_safe` (what XML cannot hold becomes
U+FFFD), and the core properties Word limits to 255 characters (title, subject, version) are
shortened with an ellipsis; the document itself keeps the full title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor
from lxml import html as lxml_html

from basket.foundation.characters import xml_safe

FIXED_DATE = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
MAX_PROPERTY = 255  # python-docx refuses longer core properties, as Word does
# the PDF's page (templates/document.css): US Letter, portrait margins top, right, bottom, left
PAGE = (Inches(8.5), Inches(11))
MARGINS = (Inches(0.9), Inches(0.75), Inches(0.8), Inches(1.0))
LANDSCAPE_MARGINS = (Inches(1.15), Inches(0.6), Inches(0.7), Inches(0.6))
MIN_COLUMN = Inches(0.45)  # narrowest column: a few characters
BOOKMARK_NAME = 40  # Word's longest bookmark name
LINK_COLOUR = RGBColor(0x0B, 0x3D, 0x91)
EMU_PER_TWIP = 635


def html_to_docx(body: str, title: str, meta: dict[str, Any], assets: dict[str, bytes]) -> bytes:
    document = new_document()
    _core_properties(document, title, meta)
    _page_setup(document.sections[0], landscape=False)
    _header_and_footer(document, xml_safe(meta["running_header"]))
    _update_fields_on_open(document)
    root = lxml_html.fragment_fromstring(xml_safe(body), create_parent="div")
    walker = _Walker(document, assets)
    for element in root:
        walker.block(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _page_setup(section, landscape: bool) -> None:
    width, height = PAGE
    top, right, bottom, left = LANDSCAPE_MARGINS if landscape else MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = top, right, bottom, left
    section.header_distance = section.footer_distance = Inches(0.45)


def text_width(section) -> int:
    """The width between the margins of a section, in EMU."""
    return int(section.page_width - section.left_margin - section.right_margin)


def _update_fields_on_open(document) -> None:
    """Ask Word to refresh the TOC's page numbers (and PAGE/NUMPAGES) when the file is opened."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _core_properties(document, title: str, meta: dict[str, Any]) -> None:
    when = FIXED_DATE
    if meta.get("date"):
        when = dt.datetime.fromisoformat(meta["date"])
    props = document.core_properties
    props.title = _property(title)
    props.subject = _property(meta.get("running_header", ""))
    props.author = "basket"
    props.last_modified_by = "basket"
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.version = _property(meta.get("version", ""))
    props.comments = ""
    props.keywords = ""
    props.category = ""


def _property(text: str) -> str:
    text = " ".join(xml_safe(text).split())
    return text if len(text) <= MAX_PROPERTY else text[: MAX_PROPERTY - 1] + "…"


def _header_and_footer(document, running_header: str) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = running_header
    header.style = document.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _normalise_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


class _Walker:
    def __init__(self, document, assets: dict[str, bytes]):
        self.document = document
        self.assets = assets
        self.bookmark_ids = 0

    def block(self, element, list_style: str | None = None, number: int | None = None) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "h1":
            self._bookmarked(self.document.add_paragraph(style="Title"), element)
        elif tag in HEADINGS:
            self._bookmarked(self.document.add_heading(level=HEADINGS[tag]), element)
        elif tag == "ul" and "toc" in element.get("class", "").split():
            self.contents(element)
        elif tag == "p":
            images = element.findall("img")
            if images and not (element.text or "").strip():
                for image in images:
                    self.image(image)
                return
            self.inline(self.document.add_paragraph(), element)
        elif tag in ("ul", "ol"):
            for index, item in enumerate(element.findall("li"), start=int(element.get("start", "1"))):
                self.list_item(item, "ol" if tag == "ol" else "ul", index)
        elif tag == "table":
            self.table(element)
        elif tag == "pre":
            paragraph = self.document.add_paragraph()
            run = paragraph.add_run(element.text_content())
            run.font.name = "Courier New"
            run.font.size = Pt(9)
        elif tag == "blockquote":
            for child in element:
                self.block(child)
        elif tag == "hr":
            self.document.add_paragraph("—" * 20)
        elif tag:
            self.inline(self.document.add_paragraph(), element)

    def list_item(self, item, kind: str, index: int) -> None:
        style = "List Bullet" if kind == "ul" else "List Paragraph"
        paragraph = self.document.add_paragraph(style=style)
        if kind == "ol":
            paragraph.add_run(f"{index}. ")
        # loose lists wrap item text in <p>; nested lists follow as their own paragraphs
        nested = []
        if item.text and item.text.strip():
            self._text(paragraph, item.text, {})
        for child in item:
            if child.tag == "p":
                self.inline(paragraph, child)
            elif child.tag in ("ul", "ol"):
                nested.append(child)
            else:
                self._inline_element(paragraph, child, {})
            if child.tail and child.tail.strip():
                self._text(paragraph, child.tail, {})
        for child in nested:
            self.block(child)

    def table(self, element) -> None:
        rows = element.findall(".//tr")
        if not rows:
            return
        wide = "wide" in element.get("class", "").split()
        if wide:
            _page_setup(self.document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        count = max(len(row.findall("th") + row.findall("td")) for row in rows)
        table = self.document.add_table(rows=0, cols=count)
        table.style = self.document.styles["Table Grid"]
        for row in rows:
            cells = [c for c in row if c.tag in ("th", "td")]
            word_row = table.add_row()
            for index, cell in enumerate(cells):
                paragraph = word_row.cells[index].paragraphs[0]
                self.inline(paragraph, cell, {"bold": True} if cell.tag == "th" else {})
        _fix_widths(table, column_widths(rows, count, text_width(self.document.sections[-1])))
        self.document.add_paragraph()
        if wide:
            _page_setup(self.document.add_section(WD_SECTION.NEW_PAGE), landscape=False)

    def contents(self, element) -> None:
        """The contents list as a Word TOC field whose result already holds the entries as links."""
        entries = [(len(list(item.iterancestors("ul"))) - 1, link) for item in element.iter("li")
                   for link in item.findall("a")[:1]]
        for index, (depth, link) in enumerate(entries):
            paragraph = self.document.add_paragraph()
            paragraph.paragraph_format.left_indent = Inches(0.3 * depth)
            if index == 0:
                _field_char(paragraph, "begin")
                _instruction(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
                _field_char(paragraph, "separate")
            self._hyperlink(paragraph, link, {})
            if index == len(entries) - 1:
                _field_char(paragraph, "end")

    def image(self, element) -> None:
        src = element.get("src", "")
        png = self.assets.get(src.rsplit(".", 1)[0] + ".png") if src in self.assets else None
        if png is None:
            self.document.add_paragraph(element.get("alt", ""))
            return
        self.document.add_picture(io.BytesIO(png), width=Inches(6.3))

    def _bookmarked(self, paragraph, element) -> None:
        """A heading paragraph with a bookmark named after the heading's anchor (its `id`)."""
        anchor = element.get("id")
        if anchor:
            self.bookmark_ids += 1
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(self.bookmark_ids))
            start.set(qn("w:name"), bookmark_name(anchor))
            paragraph._p.append(start)
        self.inline(paragraph, element)
        if anchor:
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(self.bookmark_ids))
            paragraph._p.append(end)

    def _hyperlink(self, paragraph, element, style: dict[str, bool]) -> None:
        """`<a href>`: a Word hyperlink, to a bookmark (`#anchor`) or an https address."""
        href = element.get("href", "")
        link = OxmlElement("w:hyperlink")
        if href.startswith("#"):
            link.set(qn("w:anchor"), bookmark_name(href[1:]))
        elif href.startswith("https://"):
            part = paragraph.part
            link.set(qn("r:id"), part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        else:  # no other kind of link is made (see basket.documents.identifier_links)
            self.inline(paragraph, element, style)
            return
        holder = paragraph.add_run()._r  # runs are made in place, then moved into the hyperlink
        before = len(paragraph.runs)
        self.inline(paragraph, element, {**style, "link": True})
        for run in paragraph.runs[before:]:
            link.append(run._r)
        holder.addprevious(link)
        holder.getparent().remove(holder)

    def inline(self, paragraph, element, style: dict[str, bool] | None = None) -> None:
        style = dict(style or {})
        if element.text:
            self._text(paragraph, element.text, style)
        for child in element:
            self._inline_element(paragraph, child, style)
            if child.tail:
                self._text(paragraph, child.tail, style)

    def _inline_element(self, paragraph, child, style: dict[str, bool]) -> None:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = dict(style)
        if tag in ("strong", "b", "th"):
            inner["bold"] = True
        elif tag in ("em", "i"):
            inner["italic"] = True
        elif tag == "code":
            inner["code"] = True
        elif tag == "mark":
            inner["highlight"] = True
        elif tag == "br":
            paragraph.add_run().add_break()
            return
        elif tag == "img":
            self._text(paragraph, child.get("alt", ""), inner)
            return
        elif tag == "a":
            self._hyperlink(paragraph, child, inner)
            return
        self.inline(paragraph, child, inner)

    @staticmethod
    def _text(paragraph, text: str, style: dict[str, bool]) -> None:
        text = " ".join(text.split("\n"))
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = style.get("bold") or None
        run.italic = style.get("italic") or None
        if style.get("code"):
            run.font.name = "Courier New"
        if style.get("highlight"):
            from docx.enum.text import WD_COLOR_INDEX

            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if style.get("link"):
            run.font.color.rgb = LINK_COLOUR
            run.font.underline = True


def column_widths(rows, count: int, available: int) -> list[int]:
    """Column widths (EMU) adding up to `available`, shared as in the PDF (`column_shares`)."""
    from basket.documents.html_structure import column_shares

    texts = [[" ".join(c.text_content().split()) for c in row if c.tag in ("th", "td")] for row in rows]
    twips = available // EMU_PER_TWIP  # Word stores widths in twips: round down so that they add up
    widths = [int(twips * share) for share in column_shares(texts, count, MIN_COLUMN / available)]
    widths[-1] += twips - sum(widths)
    return [width * EMU_PER_TWIP for width in widths]


def _fix_widths(table, widths: list[int]) -> None:
    """Fixed layout: Word keeps these widths instead of growing a column to its longest word."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(Emu(sum(widths)).twips))
    total.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(total)
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
        for cell in column.cells:
            cell.width = Emu(width)


def bookmark_name(anchor: str) -> str:
    """The Word bookmark of a heading anchor (anchors are unique in a document, and so are these):
    letters, digits and `_`, starting with a letter, at most 40 characters. An anchor that had to be
    shortened or changed carries a hash of itself, so two anchors never share a bookmark."""
    name = "h_" + "".join(char if char.isascii() and char.isalnum() else "_" for char in anchor)
    if name == "h_" + anchor.replace("-", "_") and len(name) <= BOOKMARK_NAME and "_" not in anchor:
        return name
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:8]
    return name[: BOOKMARK_NAME - 9] + "_" + digest


def _field_char(paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _instruction(paragraph, text: str) -> None:
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    paragraph.add_run()._r.append(instruction)
