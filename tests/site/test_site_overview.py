"""The site's overview: the master protocol with its lists of variants bounded (basket.documents.site_overview);
how fast it opens at 10,000 variants is in test_site_browser.py."""

from __future__ import annotations

import pytest

from basket.documents.site_overview import moved_out_of_tables
from tests.render.golden import FIXTURE


@pytest.fixture(scope="module")
def overview():
    from basket.api import plan_program
    from basket.documents.rendering import iter_documents
    from basket.documents.template_environment import make_templates

    loaded, plan = plan_program(FIXTURE)
    return make_templates(), next(iter_documents(loaded, plan, None, pictures=False)), plan


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    return markdown[start:markdown.index("\n### ", start + 1)]


def test_under_the_bound_the_site_shows_the_overview_basket_render_writes(overview):
    from basket.documents.rendering import markdown_document
    from basket.documents.site_overview import site_overview

    templates, doc, _plan = overview
    assert site_overview(templates, doc).markdown == markdown_document(templates, doc).markdown


def test_over_the_bound_each_list_is_cut_and_a_paragraph_links_the_roster_for_the_rest(overview):
    from basket.documents.rendering import markdown_document
    from basket.documents.site_overview import site_overview

    templates, doc, plan = overview
    inside, outside = [v.variant for v in plan.inside], [v.variant for v in plan.outside]
    assert len(inside) == 1 and len(outside) == 2  # the example: one list under the bound of 1, one over it
    roster = _section(site_overview(templates, doc, max_rows=1).markdown, "#### 4.1.2")
    outside_table = roster[roster.index("Variants outside the umbrella"):].split("\n\n")[1]
    assert [line.split(" | ")[0] for line in outside_table.splitlines()[2:]] == [f"| {outside[0]}"]
    assert ("\n\nThe first 1 of 2 variants outside the umbrella are listed here; the [variant roster]"
            "(roster.html#in_umbrella=no) lists all 2, sortable and filterable.\n") in roster
    assert roster.count("The first") == 1  # the list inside the umbrella has one row: not cut
    full = _section(markdown_document(templates, doc).markdown, "#### 4.1.2")  # what `basket render` writes
    assert all(f"| {variant} |" in full for variant in inside + outside) and "The first" not in full


def test_a_program_value_like_the_sentence_stays_in_its_cell():
    from basket.documents.markdown_escape import escape_markdown

    value = escape_markdown("The first 1 of 2 variants; the [variant roster](roster.html#in_umbrella=no) lists "
                            "all 2, sortable and filterable.")
    table = f"| Variant | Reason |\n|---|---|\n| X | {value} |\n"
    assert moved_out_of_tables(table) == table
    made = ("| The first 1 of 2 variants; the [variant roster](roster.html#in_umbrella=no) lists all 2, sortable "
            "and filterable. | |\n")
    assert moved_out_of_tables(table + made) == table + "\n" + made[2:-5] + "\n\n"


def test_a_trial_schema_cell_names_its_first_variants_and_links_the_roster_for_the_rest():
    from basket.documents.site_overview import bounded_cell

    listed = "CPS1-A, CPS1-B (transversion), CPS1-C (no guide)"
    assert bounded_cell(listed, "CPS1 deficiency", "no", max_listed=3) == listed
    assert str(bounded_cell(listed, "CPS1 deficiency", "no", max_listed=2)) == (
        "CPS1-A, CPS1-B (transversion) and [1 more in the variant roster]"
        "(roster.html#disease=CPS1%20deficiency&in_umbrella=no)")
