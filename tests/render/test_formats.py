"""PDF, DOCX and pictures, read back: text, running header, page numbers, bookmarks, Word styles."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from tests.render.conftest import XSS_IMG, XSS_SCRIPT
from tests.site.browser import require_tool


def _pdf(path: Path):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(path.read_bytes()))


def _appendix_version(rendered: Path) -> str:
    text = (rendered / "appendices" / "CPS1-Q335X.md").read_text()
    return re.search(r"\| Appendix version \| (\S+) \|", text).group(1)


def test_pdf_text_has_the_content_and_escaped_payload(rendered):
    reader = _pdf(rendered / "appendices" / "CPS1-Q335X.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "1 Variant Identification and Genotype Confirmation" in flat
    assert "TGATTCTAAGCAGTAATGAA" in flat
    assert XSS_SCRIPT in flat and XSS_IMG in flat  # shown as text


def test_pdf_pages_carry_running_header_and_page_numbers(rendered):
    reader = _pdf(rendered / "appendices" / "CPS1-Q335X.pdf")
    version = _appendix_version(rendered)
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        flat = " ".join(page.extract_text().split())
        assert f"IND-FIXTURE-1 · Appendix CPS1-Q335X · version {version}" in flat, number
        assert f"Page {number} of {total}" in flat, number


def test_pdf_bookmarks_follow_the_headings(rendered):
    reader = _pdf(rendered / "overview.pdf")

    def titles(outline) -> list[str]:
        found = []
        for item in outline:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    bookmarks = titles(reader.outline)
    assert "1 Protocol Summary" in bookmarks and "1.1 Protocol Synopsis" in bookmarks
    assert "10 Statistical Considerations" in bookmarks
    assert reader.metadata.title.startswith("Fixture master protocol")


def test_pdf_bytes_are_identical_in_a_fresh_process(rendered, fixture_program, tmp_path):
    out = tmp_path / "fresh"
    code = ("import sys; from pathlib import Path; from basket.api import render_to; "
            "render_to(Path(sys.argv[1]), Path(sys.argv[2]), ['pdf', 'docx'])")
    subprocess.run([sys.executable, "-c", code, str(fixture_program), str(out)], check=True)
    for name in ("overview.pdf", "appendices/CPS1-Q335X.pdf", "overview.docx"):
        assert (out / name).read_bytes() == (rendered / name).read_bytes(), name


def test_docx_reads_back_with_word_headings_tables_and_fixed_properties(rendered):
    import docx

    document = docx.Document(str(rendered / "appendices" / "CPS1-Q335X.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", "Intervention-Specific Appendix CPS1-Q335X: CPS1 NM_001875.5:c.1003C>T") in headings
    assert ("Heading 1", "1 Variant Identification and Genotype Confirmation") in headings
    assert ("Heading 2", "4.1 Editing Efficiency") in headings
    guide = next(t for t in document.tables if t.rows[0].cells[0].text == "Best guide")
    assert [c.text for c in guide.rows[1].cells] == ["Protospacer (5'→3')", "TGATTCTAAGCAGTAATGAA"]
    assert all(run.bold for run in guide.rows[0].cells[0].paragraphs[0].runs)
    schedule = next(t for t in document.tables if t.rows[0].cells[0].text == "Assessment")
    assert [c.text for c in schedule.rows[3].cells] == ["liver enzymes", "–", "X", "X"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert XSS_SCRIPT in body and XSS_IMG in body
    props = document.core_properties
    assert props.created.date().isoformat() == "2025-03-11" and props.modified == props.created
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("IND-FIXTURE-1 · Appendix CPS1-Q335X · version ")


def test_docx_overview_embeds_the_trial_schema_picture(rendered):
    require_tool("Graphviz", "dot")
    import docx

    document = docx.Document(str(rendered / "overview.docx"))
    assert len(document.inline_shapes) == 1
    assert (rendered / "graph" / "trial-schema.png").read_bytes().startswith(b"\x89PNG")


def test_trial_schema_picture_is_drawn_escaped_and_embedded(fixture_copy, tmp_path):
    require_tool("Graphviz", "dot")
    from basket.api import render_to

    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace("short_title: Fixture umbrella",
                                                     f'short_title: "Fixture {XSS_SCRIPT}"'))
    out = tmp_path / "out"
    render_to(fixture_copy, out, ["md", "html"])
    import html

    svg = (out / "graph" / "trial-schema.svg").read_text()
    assert "CPS1-Q335X" in html.unescape(svg) and "OTC-R40H" in html.unescape(svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "](graph/trial-schema.svg)" in (out / "overview.md").read_text()
    assert 'src="data:image/svg+xml;base64,' in (out / "overview.html").read_text()
    import json

    assert json.loads((out / "manifest.json").read_text())["graphviz"].startswith("dot")


def test_unknown_format_is_a_usage_error(fixture_program, tmp_path):
    from click.testing import CliRunner

    from basket.cli import main

    result = CliRunner().invoke(main, ["render", str(fixture_program), "-o", str(tmp_path / "o"), "--format", "md,rtf"])
    assert result.exit_code == 2 and "unknown format rtf" in result.output


def test_cli_renders_all_four_formats(fixture_program, tmp_path):
    from click.testing import CliRunner

    from basket.cli import main

    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["render", str(fixture_program), "-o", str(out), "--format", "md,html,pdf,docx"])
    assert result.exit_code == 0, result.output
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for stem in ("overview", "appendices/CPS1-Q335X"):
        assert {f"{stem}.{fmt}" for fmt in ("md", "html", "pdf", "docx")} <= names
