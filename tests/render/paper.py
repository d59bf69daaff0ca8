"""Reading rendered PDFs and DOCX files back for the paper tests (margins, widths, FDA PDF rules)."""

from __future__ import annotations

import io
from pathlib import Path

POINTS_PER_INCH = 72
BINDING_EDGE = 0.75 * POINTS_PER_INCH  # FDA: at least 3/4 inch on the left (top on landscape pages)
OTHER_EDGES = 0.375 * POINTS_PER_INCH  # FDA: at least 3/8 inch elsewhere; headers and footers too
LETTER = (612, 792)
TOLERANCE = 0.5  # points: glyph boxes are computed from font metrics


def chars_off_the_page(path: Path) -> list[str]:
    """Every character that lies in the FDA's margins or off the page, as `page N: 'x' at (x, y)`."""
    import pdfplumber

    found = []
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            width, height = float(page.width), float(page.height)
            portrait = width < height
            left = BINDING_EDGE if portrait else OTHER_EDGES
            top = OTHER_EDGES if portrait else BINDING_EDGE
            for char in page.chars:
                if (char["x0"] < left - TOLERANCE or char["x1"] > width - OTHER_EDGES + TOLERANCE
                        or char["top"] < top - TOLERANCE or char["bottom"] > height - OTHER_EDGES + TOLERANCE):
                    found.append(f"page {number}: {char['text']!r} at ({char['x0']:.0f}, {char['top']:.0f})")
    return found


def smallest_text(path: Path) -> float:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return min(char["size"] for page in pdf.pages for char in page.chars)


def docx_tables_wider_than_their_page(path: Path) -> list[str]:
    """Tables whose columns add up to more than the text width of the section they are in."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Emu

    document = docx.Document(str(path))
    body = document.element.body
    sections = iter(document.sections)
    section = next(sections)
    found = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            width = sum(int(col.get(qn("w:w"))) for col in child.iter(qn("w:gridCol")))  # twips
            available = Emu(section.page_width - section.left_margin - section.right_margin).twips
            if width > available:
                found.append(f"table starting {child.xpath('string(.)')[:40]!r}: {width} > {available} twips")
        if child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section = next(sections)  # a paragraph carrying sectPr ends its section
    return found
