"""A long table converted in pieces gives exactly the HTML of converting it whole.

(For cells the documents can contain. On arbitrary Markdown the fast Rust parser can disagree with
itself: it panics on some cells, the whole text then falls back to the Python parser while the pieces
without that cell do not, and the two parsers treat some code spans differently.)"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents.markdown_escape import escape_markdown
from basket.documents.markdown_html import _parser, _reference_parser, convert, render_markdown

# A cell as the templates write one: program values escaped for Markdown (`escape_markdown`), alone or
# inside the constructs the templates put around them (strong, code span, link), separated by spaces.
value = st.text(st.sampled_from(list("ab1 *_`<&[]().#-|\\")), max_size=6).map(escape_markdown)
construct = st.one_of(value, value.map(lambda v: f"**{v}**" if v.strip() else v),
                      st.text(st.sampled_from(list("ACGT")), min_size=1, max_size=4).map(lambda v: f"`{v}`"),
                      value.map(lambda v: f"[{v}](https://doi.org/10.1/x)" if v.strip() else v))
cell = st.lists(construct, max_size=4).map(lambda parts: " ".join(parts).strip() or "x")
row = st.lists(cell, min_size=3, max_size=3).map(lambda cells: "| " + " | ".join(cells) + " |")
prose = st.sampled_from(["", "# Title", "Some *text*.", "- item\n- item", "```\n| not | a | table |\n```",
                         "> quote", "1. one\n2. two"])


@settings(max_examples=150, deadline=None)
@given(st.lists(row, min_size=0, max_size=40), prose, prose, st.integers(min_value=1, max_value=7))
def test_pieces_equal_whole(rows: list[str], before: str, after: str, per_piece: int):
    table = "\n".join(["| a | b | c |", "|---|:-:|--:|", *rows])
    text = "\n\n".join(part for part in (before, table, after) if part) + "\n"
    assert render_markdown(text, rows_per_piece=per_piece) == convert(text) == _reference_parser().render(text)


# What the documents put in a table cell is a program value escaped for Markdown. On such text the
# fast Rust parser must agree with the reference (Python) one. On arbitrary Markdown they may differ:
# markdown-it.rs 0.6 leaves `[`c``c`a`` as text where CommonMark makes a code span of `c``c`.
@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(st.sampled_from(list("ab1 *_`<>&[]()!#-|\\~=+.:\u00e9")), max_size=12),
                         min_size=3, max_size=3), max_size=6))
def test_escaped_values_convert_as_the_reference_parser_does(cells: list[list[str]]):
    rows = ["| " + " | ".join(escape_markdown(value) or "x" for value in row) + " |" for row in cells]
    text = "\n".join(["| a | b | c |", "|---|:-:|--:|", *rows]) + "\n"
    assert convert(text) == _reference_parser().render(text)


def test_long_table_is_split(monkeypatch):
    calls = []
    parser = _parser()

    class Counting:
        def render(self, text: str) -> str:
            calls.append(len(text))
            return parser.render(text)

    monkeypatch.setattr("basket.documents.markdown_html.convert", lambda text: Counting().render(text))
    table = "\n".join(["| a |", "|---|", *[f"| {i} |" for i in range(25)]])
    html = render_markdown("# T\n\n" + table + "\n\nend\n", rows_per_piece=10)
    assert len(calls) >= 4 and html.count("<table>") == 1 and html.count("<tr>") == 26


def test_input_that_panics_the_rust_parser_falls_back():
    text = "| a | b |\n|---|---|\n| x | [` |\n"  # markdown-it.rs 0.6 panics on this cell
    assert convert(text) == _reference_parser().render(text)
    assert "<table>" in convert(text)
