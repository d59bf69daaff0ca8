"""The site's big tables as data files, not HTML: variant roster, readiness matrix, evidence, gaps.

A table page (`templates/site/table.html.j2`) loads its rows from `data/<table>.js` with a
`<script src>` (a page opened from file:// cannot fetch() a JSON file in Chromium) and
`site_assets/table.js` draws one page of rows at a time, sorts, filters by facet and by text.

The data file sets `window.basketTable` to:

    {"name": "roster", "columns": [COLUMN, ...], "rows": [[cell, ...], ...]}
    COLUMN = {"key", "label", "facet": bool, "values": [...], "link": folder, "href": key,
              "status": bool, "hidden": bool}

A facet column's cells are indexes into its `values`, which are sorted, so sorting by the index
sorts by the value. `link` makes the cell a link to the page of that id in the folder
(`variants/`); `href` names a hidden column holding the cell's link; `status` makes the value the
cell's CSS class (readiness colours). The JSON is written with `script_json`, so no value can
end the script.

`search_documents` lists every page for the search index (`site_assets/search.js`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def table_data(name: str, columns: tuple[Column, ...], rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """The table as the data file holds it: facet cells coded as indexes into sorted values."""
    rows = list(rows)
    specs = []
    codes: list[dict[Any, int] | None] = []
    for position, column in enumerate(columns):
        spec = {key: value for key, value in asdict(column).items() if value not in (False, "")}
        if column.facet:
            values = sorted({str(row[position]) for row in rows})
            spec["values"] = values
            codes.append({value: index for index, value in enumerate(values)})
        else:
            codes.append(None)
        specs.append(spec)
    coded = [[codes[i][str(cell)] if codes[i] is not None else cell for i, cell in enumerate(row)]  # type: ignore[index]
             for row in rows]
    return {"name": name, "columns": specs, "rows": coded}


def data_script(variable: str, data: object) -> bytes:
    """A data file for `<script src>`: assigns the JSON to `window.<variable>`."""
    from basket.documents.graph_viewer import script_json

    return f"window.{variable} = {script_json(data)};\n".encode()


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


def search_documents(program: Program, plan: Plan, headings: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Every page of the site as [kind, url, title, text, extra link] for the search index."""
    documents: list[list[str]] = [["section", url, title, "", ""] for url, title in headings]
    for disease in program.diseases:
        documents.append(["basket", basket_href(disease.id), disease.name,
                          " ".join([disease.id, *disease.genes, *disease.xrefs]), ""])
    for item in plan.variants:
        text = " ".join(filter(None, [item.gene, item.hgvs_c, item.hgvs_p, item.disease_name, item.classification,
                                      item.status]))
        documents.append(["variant", variant_href(item.variant), item.variant, text,
                          appendix_href(item.variant) if item.in_umbrella else ""])
    for patient in program.patients:
        first = patient.genotype[0].variant
        documents.append(["patient", f"{variant_href(first)}#patients", patient.id,
                          " ".join(a.variant for a in patient.genotype), ""])
    for e in program.evidence:
        documents.append(["evidence", evidence_href(e.id), e.id, f"{e.kind.replace('_', ' ')} {e.subject} {e.result}",
                          ""])
    return {"documents": documents}

