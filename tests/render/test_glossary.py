"""M11 section 13: the glossary lists exactly the abbreviations the document uses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.documents.glossary import ABBREVIATIONS, GLOSSARY_SLOT, fill_glossary


def terms(markdown: str) -> list[str]:
    return [line.split(" | ")[0].removeprefix("| ") for line in markdown.splitlines()
            if line.startswith("| ") and not line.startswith("| Abbreviation")]


def test_only_whole_words_the_text_uses_are_listed():
    text = f"An ABE and two PAMs in mRNA; LNPX, xIND and gRNAs.\n\n{GLOSSARY_SLOT}\n"
    assert terms(fill_glossary(text)) == ["ABE", "gRNA", "mRNA", "PAM"]


def test_no_slot_no_change_and_no_terms_says_so():
    assert fill_glossary("An ABE.\n") == "An ABE.\n"
    assert "use no abbreviations" in fill_glossary(f"Plain words.\n{GLOSSARY_SLOT}\n")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(ABBREVIATIONS)), max_size=6), st.sampled_from([" ", ", ", "; ", " (", "\n"]))
def test_every_listed_term_is_used_and_every_used_term_is_listed(used: list[str], separator: str):
    text = separator.join(["Text"] + used) + f"\n\n{GLOSSARY_SLOT}\n"
    assert sorted(terms(fill_glossary(text))) == sorted(set(used))
