"""Class 10 of issue 12: outputs that carry program text.

`basket diff -o amendment.md` and `readiness --format md` copied raw HTML from program text (it ran
when the Markdown was viewed as HTML); CSV and TSV cells starting with = + - @ became spreadsheet
formulas. (Numbers printed as entered: tests/hostile/test_numbers.py.)
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from basket.foundation.text_tables import spreadsheet_cell, to_csv, to_markdown
from tests.hostile.conftest import MINIMAL_FILES, program_dir, run

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "[click](javascript:alert(1))", "![x](http://192.0.2.1/track.png)", "<iframe src=//192.0.2.1>",
    "**bold** _em_ `code` <b>b</b>", "| a | b |", "&lt;script&gt;",
]
FORMULAS = ["=HYPERLINK(\"http://192.0.2.1\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
            "=1+1"]


def as_html(markdown: str) -> str:
    """The Markdown as a viewer that lets raw HTML through would show it."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def assert_inert(html: str, payload: str) -> None:
    for element in ("<script", "<img", "<iframe", "<a href=\"javascript", "<a href='javascript", "<b>", "<strong>",
                    "<em>", "<code>code</code>"):
        assert element not in html, f"{payload!r} became {element} in:\n{html}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_amendment_summary_escapes_program_text(tmp_path: Path, payload: str):
    with program_dir({}) as old:
        new = tmp_path / "new"
        shutil.copytree(old, new)
        variants = (new / "variants.yaml").read_text()
        (new / "variants.yaml").write_text(variants.replace("    source: NEJM 2025;392:2235-43\n  - id",
                                                            f"    source: {payload!r}\n  - id", 1))
        umbrella = (new / "umbrella.yaml").read_text()
        (new / "umbrella.yaml").write_text(umbrella.replace('protocol_version: "1.0"',
                                                            f"protocol_version: {payload!r}"))
        out = tmp_path / "amendment.md"
        result = run("diff", str(old), str(new), "-o", str(out))
        assert result.exit_code == 0, result.output
        markdown = out.read_text()
        assert "source" in markdown
        assert_inert(as_html(markdown), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_readiness_markdown_escapes_program_text(tmp_path: Path, payload: str):
    umbrella = MINIMAL_FILES["umbrella.yaml"].replace("  id: IND-TEST", f"  id: {payload!r}")
    with program_dir({"umbrella.yaml": umbrella}) as program:
        out = tmp_path / "readiness.md"
        result = run("readiness", str(program), "--format", "md", "-o", str(out))
        assert result.exit_code in (0, 1), result.output
        assert_inert(as_html(out.read_text()), payload)


def test_markdown_tables_escape_every_cell():
    rows = [{"a": payload, "b": 1.5} for payload in PAYLOADS]
    html = as_html(to_markdown(rows, ("a", "b")))
    assert_inert(html, "table")
    assert html.count("<tr>") == len(PAYLOADS) + 1  # no payload split or merged a row


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_never_start_a_formula(formula: str):
    text = to_csv([{"name": formula, "count": -3, "strand": "-", "value": "-2.5"}], ("name", "count", "strand", "value"))
    row = next(csv.DictReader(text.splitlines()))
    assert row == {"name": "'" + formula, "count": "-3", "strand": "-", "value": "-2.5"}
    assert spreadsheet_cell(-1234567.0) == "-1234567"


def test_screen_tables_never_start_a_formula(tmp_path: Path):
    window = ("TTCTCTCCAGAGGGCAGAATCAGCCTGTTTTGAATATCACAAACAAACAGGCTTTCATTACTGCTCAGAATCATGGCTATGCCTTGGACAACACC"
              "CTCCCTGCTGGCTGG")  # hg38 chr2:210591821-210591930 (UCSC)
    fasta = tmp_path / "ref.fa"
    fasta.write_text(f">chr2\n{window}\n")
    variants = tmp_path / "variants.tsv"
    variants.write_text("id\tchrom\tpos\tref\talt\n" + "".join(f"{formula}\tchr2\t66\tC\tT\n" for formula in FORMULAS))
    for name in ("screen.tsv", "screen.csv"):
        out = tmp_path / name
        result = run("screen", str(variants), "--fasta", str(fasta), "-o", str(out), "--no-progress")
        assert result.exit_code == 0, result.output
        delimiter = "\t" if name.endswith(".tsv") else ","
        ids = [row["id"] for row in csv.DictReader(out.open(), delimiter=delimiter)]
        assert ids == ["'" + formula for formula in FORMULAS]
