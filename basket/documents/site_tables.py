"""The site's big tables as data files, not HTML: variant roster, readiness matrix, evidence, gaps.

A table page (`templates/site/table.html.j2`) loads its rows from `data/<table>.js` with a
`<script src>` (a page opened from file:// cannot fetch() a JSON file in Chromium) and
`site_assets/table.js` draws one page of rows at a time, sorts, filters by facet and by text.

The data file sets `window.basketTable` to:

    {"name": "roster", "columns": [COLUMN, ...], "rows": [[cell, ...], ...], "orders": {COLUMN_INDEX: [row, ...]}}
    COLUMN = {"key", "label", "facet": bool, "values": [...], "link": folder, "href": key,
              "status": bool, "hidden": bool}

A facet column's cells are indexes into its `values`, which are sorted, so sorting by the index
sorts by the value. `orders` holds, for each shown text column, the row indexes sorted by its cells
(as JavaScript's `<` compares strings: by UTF-16 code units; ties in row order): sorting 100,000
strings takes the browser about 200 ms, Python's sort a tenth of that, once. `link` makes the cell a link to the page of that id in the folder
(`variants/`); `href` names a hidden column holding the cell's link; `status` makes the value the
cell's CSS class (readiness colours). The JSON is written with `script_json`, so no value can
end the script.

`search_documents` lists every page for the search index (`site_assets/search.js`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from basket.documents.site_pages import appendix_href, basket_href, evidence_href, subject_link, variant_href
from basket.evidence.readiness_rules import RULES, STATUS_LABELS, Readiness
from basket.plan.umbrella_decision import Plan
from basket.program.model import ELEMENTS, Program


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    facet: bool = False
    link: str = ""
    href: str = ""
    status: bool = False
    hidden: bool = False


ROSTER = (
    Column("variant", "Variant", link="variants/"), Column("gene", "Gene", facet=True),
    Column("hgvs_c", "HGVS c."), Column("disease", "Disease", facet=True),
    Column("change_class", "Change", facet=True), Column("correction", "Correction", facet=True),
    Column("classification", "Classification", facet=True), Column("status", "Status", facet=True),
    Column("in_umbrella", "In umbrella", facet=True), Column("reason", "Reason"),
)
READINESS = (
    Column("variant", "Variant", link="variants/"), Column("gene", "Gene", facet=True),
    Column("disease", "Disease", facet=True), Column("status", "Status", facet=True),
    Column("submit", "Submit", facet=True), Column("classification", "Classification", facet=True),
    *(Column(f"e{n}", f"E{n}", facet=True, status=True) for n in RULES),
    Column("gate", "Gate", facet=True, status=True),
)
EVIDENCE = (
    Column("evidence", "Evidence", link="evidence/"), Column("element", "Element", facet=True),
    Column("kind", "Kind", facet=True), Column("subject", "About", href="subject_href"),
    Column("subject_href", "", hidden=True), Column("status", "Status", facet=True),
    Column("result", "Result"), Column("date", "Date"), Column("source", "Source"),
)
GAPS = (
    Column("document", "Document", href="document_href"), Column("document_href", "", hidden=True),
    Column("kind", "Kind", facet=True), Column("what", "To be provided"),
)


ROWS_PER_PIECE = 2_000  # rows encoded per piece of a data file


@dataclass(frozen=True)
class TableFile:
    """A table's data file, made in pieces: `rows()` is read twice (the facet values and sort orders,
    then the coded rows), so no table of 100,000 rows is ever held whole (only the cells of its text
    columns, which the rows share with the plan, while they are sorted)."""

    name: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[tuple[Any, ...]]]

    def survey(self) -> TableSurvey:
        """Each facet column's sorted values, the number of rows and the text columns' sort orders."""
        seen: list[set[str] | None] = [set() if column.facet else None for column in self.columns]
        texts: dict[int, list[Any]] = {position: [] for position, column in enumerate(self.columns) if not (column.facet or column.hidden)}
        count = 0
        for row in self.rows():
            count += 1
            for position, values in enumerate(seen):
                if values is not None:
                    values.add(str(row[position]))
            for position, cells in texts.items():
                cells.append(row[position])
        orders = {position: _sort_order(cells) for position, cells in texts.items()
                  if all(isinstance(cell, str) for cell in cells)}  # other cells: the browser compares them
        return TableSurvey([sorted(values) if values is not None else None for values in seen], count, orders)

    def pieces(self, survey: TableSurvey, variable: str = "basketTable") -> Iterator[bytes]:
        """`window.<variable> = {"name", "columns", "rows", "orders"};` with facet cells as indexes into
        `survey.values`."""
        from basket.documents.graph_viewer import script_json

        specs = []
        for column, known in zip(self.columns, survey.values, strict=True):
            spec = {key: value for key, value in asdict(column).items() if value not in (False, "")}
            if known is not None:
                spec["values"] = known
            specs.append(spec)
        head = script_json({"name": self.name, "columns": specs})
        yield f"window.{variable} = {head[:-1]},\"rows\":[".encode()
        codes = [{value: index for index, value in enumerate(known)} if known is not None else None
                 for known in survey.values]
        rows = (script_json([cell if code is None else code[str(cell)] for cell, code in zip(row, codes, strict=True)])
                for row in self.rows())
        yield from _joined(rows)
        yield b"],\"orders\":{"
        yield ",".join(f'"{position}":{script_json(order)}' for position, order in survey.orders.items()).encode()
        yield b"}};\n"


@dataclass(frozen=True)
class TableSurvey:
    values: list[list[str] | None]  # per column: a facet's sorted values, None for other columns
    count: int  # rows
    orders: dict[int, list[int]]  # text column -> row indexes in ascending order of its cells


def _sort_order(cells: list[str]) -> list[int]:
    """Row indexes sorted by `cells` as JavaScript compares strings (UTF-16 code units, which differs
    from Python's code points only beyond U+FFFF), ties in row order (Python's sort is stable)."""
    keys = [cell.encode("utf-16-be") for cell in cells]
    return sorted(range(len(keys)), key=keys.__getitem__)


def _joined(items: Iterator[str]) -> Iterator[bytes]:
    """JSON texts joined by commas, in pieces of ROWS_PER_PIECE."""
    first = True
    while True:
        batch = list(itertools.islice(items, ROWS_PER_PIECE))
        if not batch:
            return
        yield (("" if first else ",") + ",".join(batch)).encode()
        first = False


def roster_rows(plan: Plan) -> Iterator[tuple[Any, ...]]:
    for item in plan.variants:
        yield (item.variant, item.gene, item.hgvs_c, item.disease_name or "none", item.change_class,
               item.correction or "none", item.classification, item.status, "yes" if item.in_umbrella else "no",
               item.reason)


def readiness_rows(plan: Plan, report: Readiness) -> Iterator[tuple[Any, ...]]:
    diseases = {item.variant: item.disease_name or "none" for item in plan.variants}
    for v in report.variants:
        gate = "pass" if v.gate.passed else ("blocking" if v.must_pass else "fail")
        yield (v.variant, v.gene, diseases.get(v.variant, "none"), v.status, "yes" if v.submit else "no",
               v.classification, *(STATUS_LABELS[v.elements[n].status] for n in RULES), gate)


def evidence_rows(program: Program) -> Iterator[tuple[Any, ...]]:
    for e in program.evidence:
        subject = subject_link(e.subject, program)
        yield (e.id, f"{e.element} {ELEMENTS[e.element]}", e.kind.replace("_", " "), subject["label"],
               subject["href"], e.status, e.result, e.date.isoformat() if e.date else "", e.source)


def gap_rows(gaps: Iterable[tuple[str, str]]) -> Iterator[tuple[Any, ...]]:
    for stem, what in gaps:
        kind = "overview" if stem == "overview" else "appendix"
        yield (stem, f"{stem}.html", kind, what)


def search_pieces(program: Program, plan: Plan, headings: Iterable[tuple[str, str]]) -> Iterator[bytes]:
    """data/search.js: `window.basketSearch = {"documents": [[kind, url, title, text, extra link], ...]};`,
    one entry per page of the site, in pieces."""
    from basket.documents.graph_viewer import script_json

    yield b'window.basketSearch = {"documents":['
    yield from _joined(script_json(document) for document in search_documents(program, plan, headings))
    yield b"]};\n"


def search_documents(program: Program, plan: Plan, headings: Iterable[tuple[str, str]]) -> Iterator[list[str]]:
    """Every page of the site as [kind, url, title, text, extra link] for the search index."""
    for url, title in headings:
        yield ["section", url, title, "", ""]
    for disease in program.diseases:
        yield ["basket", basket_href(disease.id), disease.name, " ".join([disease.id, *disease.genes, *disease.xrefs]), ""]
    for item in plan.variants:
        text = " ".join(filter(None, [item.gene, item.hgvs_c, item.hgvs_p, item.disease_name, item.classification,
                                      item.status]))
        yield ["variant", variant_href(item.variant), item.variant, text,
               appendix_href(item.variant) if item.in_umbrella else ""]
    for patient in program.patients:
        first = patient.genotype[0].variant
        yield ["patient", f"{variant_href(first)}#patients", patient.id, " ".join(a.variant for a in patient.genotype), ""]
    for e in program.evidence:
        yield ["evidence", evidence_href(e.id), e.id, f"{e.kind.replace('_', ' ')} {e.subject} {e.result}", ""]
