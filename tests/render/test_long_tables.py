"""A long table converted in pieces gives exactly the HTML of converting it whole."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents.markdown_html import _parser, _reference_parser, convert, render_markdown

token = st.sampled_from(list("ab1 *_`<&[]().#-") + ["\\|", "**x**", "`c`", "[l](u)", "\\*"])
cell = st.lists(token, max_size=8).map(lambda parts: "".join(parts).strip() or "x")
row = st.lists(cell, min_size=3, max_size=3).map(lambda cells: "| " + " | ".join(cells) + " |")
prose = st.sampled_from(["", "# Title", "Some *text*.", "- item\n- item", "```\n| not | a | table |\n```",
                         "> quote", "1. one\n2. two"])


@settings(max_examples=150, deadline=None)
@given(st.lists(row, min_size=0, max_size=40), prose, prose, st.integers(min_value=1, max_value=7))
def test_pieces_equal_whole(rows: list[str], before: str, after: str, per_piece: int):
    table = "\n".join(["| a | b | c |", "|---|:-:|--:|", *rows])
    text = "\n\n".join(part for part in (before, table, after) if part) + "\n"
    assert render_markdown(text, rows_per_piece=per_piece) == convert(text) == _reference_parser().render(text)


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
