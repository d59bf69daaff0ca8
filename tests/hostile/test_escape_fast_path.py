"""The fast path of `escape_markdown` (nothing to escape: return the text) changes no output."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents import markdown_escape
from basket.foundation import markdown_text as escape


def reference(text: str) -> str:
    """Every substitution, always (the escaping without its fast path)."""
    text = escape._NEWLINES.sub(" ", text)
    text = escape._INLINE.sub(r"\\\1", text)
    text = escape._UNDERSCORE.sub(r"\\_", text)
    text = escape._ENTITY.sub(r"\\&", text)
    return escape._LEADING.sub(escape._escape_leading, text)


markdownish = st.text(alphabet=st.sampled_from(list("aZ09 _-*#>+=|`[]<~&;.)/!?\\\n\r\t\x0b\x1c\u2028\u00a0é")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(markdownish | st.text(max_size=20))
def test_fast_path_changes_nothing(text: str):
    assert markdown_escape.escape_markdown(text) == reference(text)


@settings(max_examples=500, deadline=None)
@given(markdownish | st.text(max_size=20))
def test_markup_check_matches_the_regexes(text: str):
    expected = bool(escape._MAYBE_MARKUP.search(text) or escape._LEADING.match(text))
    assert escape._has_markup(text) == expected
