"""The Markdown templates' `finalize` is a memory of escaped text; what it prints must not depend on
what was printed before, and trusted or already-escaped text must never be escaped twice."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents import markdown_escape as escape
from basket.documents.document_context import ToBeProvided
from basket.documents.markdown_escape import ESCAPED, MarkdownSafe, escape_markdown
from basket.documents.template_environment import make_templates
from basket.foundation.markdown_text import escape_markdown_text


def render(source: str, user_templates: Path | None = None, **context: object) -> str:
    return make_templates(user_templates).markdown.from_string(source).render(**context)


def test_raw_text_is_not_escaped_after_the_same_plain_text_was():
    assert render("{{ x }} {{ x | raw }}", x="*a*") == "\\*a\\* *a*"
    assert render("{{ x | raw }} {{ x }}", x="*b*") == "*b* \\*b\\*"


def test_cell_output_is_escaped_once_even_when_its_escaped_text_was_printed_as_plain_text():
    printed = render("{{ y }}|{{ x | cell }}", x="a|b", y="a\\|b")
    assert printed == "a\\\\\\|b|a\\|b"


class Label(str):
    """A str subclass with its own __str__ (as `(str, Enum)` members have)."""

    def __str__(self) -> str:
        return "Label(" + str.__str__(self) + ")"


def test_a_str_subclass_prints_its_characters_whether_or_not_the_equal_text_was_printed_first():
    ESCAPED.clear()
    first = render("{{ x }}", x=Label("a_"))
    assert render("{{ y }} {{ x }}", x=Label("a_"), y="a_") == "a\\_ a\\_"
    assert first == "a\\_"


def test_numbers_booleans_and_markers():
    assert render("{{ a }} {{ b }} {{ c }} {{ d }} {{ e }}", a=1, b=True, c=1.0, d=None,
                  e=ToBeProvided("dose *per* kg")) == "1 True 1.0 None [to be provided: dose \\*per\\* kg]"


def test_a_user_template_may_print_a_list(tmp_path: Path):
    assert render("{{ xs }}", tmp_path, xs=["*"]) == "\\['\\*'\\]"


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(escape, "MEMORY_CHARS", 1_000)
    ESCAPED.clear()
    ESCAPED.chars = 0
    for i in range(500):
        escape_markdown(f"value_{i}_")
    assert ESCAPED.chars <= 1_000 + 2 * (escape.SHORT_TEXT + 2)
    assert len(ESCAPED) < 500


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab*_|[`\\ \n", max_size=6), max_size=6))
def test_what_is_printed_does_not_depend_on_what_was_printed_before(values: list[str]):
    ESCAPED.clear()
    cold = [escape_markdown(v) for v in values]
    warm = [escape_markdown(v) for v in values]
    assert cold == warm == [escape_markdown_text(v) for v in values]
    assert all(str(escape_markdown(MarkdownSafe(v))) == v for v in values)
