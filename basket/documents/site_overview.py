"""The master protocol as the site shows it (`overview.html`): the document `basket render` writes,
with its lists of variants bounded.

The protocol lists every variant three times (section 1.2, the trial schema's cells of variant ids per
basket; section 4.1.2, the roster inside and outside the umbrella; section 12.1, the appendices). With
them in full the page took 1.8 to 2.3 s to open at 10,000 variants (the goal is 1 s), and its trial
schema alone is 2.3 MB at 100,000.
The site already has every variant in the roster table (roster.html: sortable, filterable, paged,
drawn from a data file), so its overview shows the first `MAX_ROWS` rows of each list and, in place of
the rest, a sentence that says how many more there are and links to the roster filtered to them; a
schema cell lists its first `MAX_LISTED` variants and links the rest. `basket render` keeps it all.

Works with any overview template that prints a variant's id in a table row: the rows beyond the
bound are replaced by one row whose `variant` is the sentence (a Markdown link); once the Markdown is
rendered, that row is taken out of the table and put after it as a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from basket.documents.document import Document
from basket.documents.markdown_escape import MarkdownSafe, escape_markdown
from basket.documents.rendering import markdown_document
from basket.documents.site_pages import table_href
from basket.documents.template_environment import Templates

MAX_ROWS = 100  # rows of each variant list on the site's overview; the roster table has them all
MAX_LISTED = 20  # variants named in a cell of the trial schema


def bounded_context(context: dict[str, Any], max_rows: int = MAX_ROWS) -> dict[str, Any]:
    """The overview's context with `roster` (inside, then outside the umbrella, each bounded) and
    `appendices` bounded, each cut list ending in a row that links to the roster, and the trial
    schema's cells of variants bounded."""
    inside = [row for row in context["roster"] if row["in_umbrella"] == "yes"]
    outside = [row for row in context["roster"] if row["in_umbrella"] == "no"]
    roster = (_bounded(inside, max_rows, "variants inside the umbrella", "yes")
              + _bounded(outside, max_rows, "variants outside the umbrella", "no"))
    appendices = _bounded(context["appendices"], max_rows, "intervention-specific appendices", "yes")
    schema = [{**row, "inside": bounded_cell(row["inside"], row["basket"], "yes"),
               "outside": bounded_cell(row["outside"], row["basket"], "no")} for row in context["schema"]]
    return {**context, "roster": roster, "appendices": appendices, "schema": schema}


def bounded_cell(listed: str, disease: str, in_umbrella: str, max_listed: int = MAX_LISTED) -> str | MarkdownSafe:
    """A schema cell ("CPS1-Q335X, CPS1-E714X (transversion), ...": ids hold no ", ", nor do the
    reasons in brackets) with its first `max_listed` variants and a link to the roster for the rest."""
    items = listed.split(", ")
    if len(items) <= max_listed:
        return listed
    href = table_href("roster", disease=disease, in_umbrella=in_umbrella)
    first = escape_markdown(", ".join(items[:max_listed]))
    return MarkdownSafe(f"{first} and [{len(items) - max_listed:,} more in the variant roster]({href})")


def _bounded(rows: list[dict[str, Any]], max_rows: int, what: str, in_umbrella: str) -> list[dict[str, Any]]:
    if len(rows) <= max_rows:
        return rows
    href = table_href("roster", in_umbrella=in_umbrella)
    sentence = (f"The first {max_rows:,} of {len(rows):,} {what} are listed here; the [variant roster]({href}) "
                f"lists all {len(rows):,}, sortable and filterable.")
    more = dict.fromkeys(rows[0], MarkdownSafe(""))
    more.update(variant=MarkdownSafe(sentence), in_umbrella=in_umbrella)
    return [*rows[:max_rows], more]


def moved_out_of_tables(markdown: str) -> str:
    """Each table row that holds a "more rows" sentence (made by `bounded_context`) becomes a
    paragraph after its table."""
    return _MORE_ROW.sub(lambda row: f"\n{row['sentence']}\n", markdown)


# a program value in a row cannot match: its brackets are escaped (\[variant roster\])
_MORE_ROW = re.compile(r"^\|[^\n]*?(?P<sentence>The first [\d,]+ of [\d,]+ [^\n\\]*?; the \[variant roster\]"
                       r"\(roster\.html#in_umbrella=(?:yes|no)\) lists all [\d,]+, sortable and filterable\.)[^\n]*$",
                       re.MULTILINE)


def site_overview(templates: Templates, doc: Document, max_rows: int = MAX_ROWS) -> Document:
    """The overview document as the site shows it, its Markdown rendered (`markdown_document`)."""
    doc = markdown_document(templates, replace(doc, context=bounded_context(doc.context, max_rows)))
    return replace(doc, markdown=moved_out_of_tables(doc.markdown))
