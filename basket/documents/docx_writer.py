"""The HTML fragment of a document (from its Markdown) walked into a Word document.

A small walker, no business logic: h1 becomes the Title, h2–h6 real Word
"Heading 1–5" styles (so Word's navigation pane and table of contents work),
tables Word tables with a bold header row, lists list paragraphs, `code`
monospace runs, images (the trial schema, as PNG) pictures. Text is set as
run text, so `<script>` in a value stays text.

Deterministic bytes: core properties are fixed (dates from the protocol date,
else 2000-01-01; no author but "basket"), and the package is re-zipped with
fixed timestamps in python-docx's part order.

Well-formed whatever the text: every text passes `xml_safe` (what XML cannot hold becomes
U+FFFD), and the core properties Word limits to 255 characters (title, subject, version) are
shortened with an ellipsis; the document itself keeps the full title.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from lxml import html as lxml_html

from basket.foundation.characters import xml_safe

FIXED_DATE = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
MAX_PROPERTY = 255  # python-docx refuses longer core properties, as Word does


def html_to_docx(body: str, title: str, meta: dict[str, Any], assets: dict[str, bytes]) -> bytes:
    document = new_document()
    _core_properties(document, title, meta)
    _header_and_footer(document, xml_safe(meta["running_header"]))
    root = lxml_html.fragment_fromstring(xml_safe(body), create_parent="div")
    walker = _Walker(document, assets)
    for element in root:
        walker.block(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


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

    def block(self, element, list_style: str | None = None, number: int | None = None) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "h1":
            self.inline(self.document.add_paragraph(style="Title"), element)
        elif tag in HEADINGS:
            self.inline(self.document.add_heading(level=HEADINGS[tag]), element)
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
        width = max(len(row.findall("th") + row.findall("td")) for row in rows)
        table = self.document.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        for row in rows:
            cells = [c for c in row if c.tag in ("th", "td")]
            word_row = table.add_row()
            for index, cell in enumerate(cells):
                paragraph = word_row.cells[index].paragraphs[0]
                self.inline(paragraph, cell, {"bold": True} if cell.tag == "th" else {})
        self.document.add_paragraph()

    def image(self, element) -> None:
        src = element.get("src", "")
        png = self.assets.get(src.rsplit(".", 1)[0] + ".png") if src in self.assets else None
        if png is None:
            self.document.add_paragraph(element.get("alt", ""))
            return
        self.document.add_picture(io.BytesIO(png), width=Inches(6.3))

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
