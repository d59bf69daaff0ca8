"""What the site's own pages show: one page per variant, per disease (basket) and per evidence item.

Computed in Python, formatted by `templates/site/*.html.j2`. Every link is a path from the site's
root (`variants/CPS1-Q335X.html`); templates put `../` in front on pages one folder down. Pages
link both ways: a variant to its basket, evidence, patients, appendix and graph neighbourhood; a
basket to its variants; an evidence item to what it supports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from basket.evidence.evidence_checks import DocumentFlag
from basket.evidence.readiness_rules import RULES, VariantReadiness
from basket.plan.umbrella_decision import VariantPlan
from basket.program.model import ELEMENTS, Disease, Evidence, Program

# the folder of the page of a graph node of each kind (graph node ids are "<kind>:<id>")
PAGE_FOLDERS = {"variant": "variants/", "basket": "baskets/", "disease": "baskets/", "evidence": "evidence/"}
MAX_GUIDES = 10  # guides listed on a variant page, best first (the plan ranks them)
MAX_MEMBERS = 1_000  # variants listed on a basket page; the roster, filtered to the basket, lists them all
GRAPH_DEPTH = 2


def page_name(identifier: str) -> str:
    """The file name (without .html) of an id's page. ':' (in CURIEs such as OMIM:237300) becomes
    '~', which no id may contain, so names stay distinct and valid on file systems that refuse ':'."""
    return identifier.replace(":", "~")


def variant_href(variant: str) -> str:
    return f"variants/{page_name(variant)}.html"


def basket_href(disease: str) -> str:
    return f"baskets/{page_name(disease)}.html"


def evidence_href(evidence: str) -> str:
    return f"evidence/{page_name(evidence)}.html"


def appendix_href(variant: str) -> str:
    return f"appendices/{variant}.html"  # named by `basket.documents.rendering.iter_documents`


def graph_href(node: str, depth: int = GRAPH_DEPTH) -> str:
    """The graph viewer opened at `node` (its URL fragment is read by viewer.js)."""
    return f"graph.html#node={quote(node, safe=':')}&depth={depth}"


def table_href(table: str, **facets: str) -> str:
    """A site table (roster.html, readiness.html, evidence.html) opened with facets chosen."""
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in facets.items())
    return f"{table}.html#{query}" if query else f"{table}.html"


def subject_link(subject: str, program: Program) -> dict[str, str]:
    """What an evidence item is about, as a label and the page that shows it."""
    kind, _, name = subject.partition(":")
    if kind == "variant":
        return {"label": name, "href": variant_href(name)}
    if kind == "disease":
        disease = program.diseases_by_id.get(name)
        return {"label": disease.name if disease else name, "href": basket_href(name)}
    if kind == "gene":
        return {"label": f"gene {name} (all its variants)", "href": table_href("roster", gene=name)}
    return {"label": f"platform {program.platform.name}", "href": "overview.html"}


# ---------------------------------------------------------------------------------------------
# Variant


def variant_page(program: Program, item: VariantPlan, verdict: VariantReadiness | None,
                 flags: dict[str, DocumentFlag], cited: dict[str, str]) -> dict[str, Any]:
    """`cited`: `cited_links(program)`."""
    variant = program.variants_by_id[item.variant]
    disease = program.diseases_by_id.get(item.disease) if item.disease else None
    own = program.evidence_for(f"variant:{variant.id}")
    return {
        "title": f"{variant.id}: {variant.gene} {variant.hgvs_c}",
        "variant": {
            "id": variant.id, "gene": variant.gene, "hgvs_c": variant.hgvs_c, "hgvs_p": variant.hgvs_p or "",
            "hgvs_g": variant.hgvs_g or "", "consequence": variant.consequence or "", "clinvar": variant.clinvar or "",
            "classification": variant.classification or "", "status": variant.status, "submit": variant.submit,
            "notes": variant.notes or "", "source": variant.source,
        },
        "disease": _disease_link(disease, program),
        "plan": {"change_class": item.change_class, "correction": item.correction or "none",
                 "classification": item.classification, "editor": item.editor or "", "in_umbrella": item.in_umbrella,
                 "reason": item.reason},
        "guides": [_guide(guide) for guide in (item.guides or ([item.guide] if item.guide else []))[:MAX_GUIDES]],
        "more_guides": max(0, len(item.guides) - MAX_GUIDES),
        "readiness": _readiness(verdict, cited),
        "evidence": [_evidence_row(e) for e in sorted(own, key=lambda e: (e.element, e.id))],
        "shared_evidence": _shared_evidence(program, variant.gene, item.disease),
        "patients": [
            {"id": p.id, "status": p.status, "zygosity": p.zygosity or "",
             "alleles": [{"variant": a.variant, "origin": a.origin, "href": variant_href(a.variant)}
                         for a in p.genotype]}
            for p in program.patients_by_variant.get(variant.id, [])
        ],
        "documents": _documents(own, flags),
        "appendix": appendix_href(variant.id) if item.in_umbrella else "",
        "graph": graph_href(f"variant:{variant.id}"),
        "gene_table": table_href("roster", gene=variant.gene),
    }


def _disease_link(disease: Disease | None, program: Program) -> dict[str, Any] | None:
    if disease is None:
        return None
    return {"id": disease.id, "name": disease.name, "href": basket_href(disease.id),
            "covered": disease.id in program.umbrella.diseases}


def _guide(guide: dict[str, Any]) -> dict[str, Any]:
    return {
        "rank": guide.get("rank", ""), "protospacer": guide["protospacer"], "pam": guide["pam"],
        "strand": guide["strand"], "span": f"{guide['start']}-{guide['end']}",
        "target_position": guide["target_position"],
        "window": "core" if guide.get("in_core_window") else "extended",
        "score": guide.get("score", ""), "editor": guide.get("editor", ""),
        "bystanders": [
            {"c": b.get("c", ""), "position": b.get("protospacer_position", ""), "window": b.get("window", ""),
             "change": b.get("coding_strand_change") or b.get("change", ""), "consequence": b.get("consequence", ""),
             "protein_change": b.get("protein_change") or ""}
            for b in guide.get("bystanders", [])
        ],
        "notes": list(guide.get("notes", [])),
    }


def cited_links(program: Program) -> dict[str, str]:
    """Where each name a readiness verdict cites is shown: an evidence item's page, or for a
    natural-history entry (element 3) its disease's page. Built once for every variant page."""
    links = {h.id: f"{basket_href(d.id)}#natural-history" for d in program.diseases for h in d.natural_history}
    links.update((e.id, evidence_href(e.id)) for e in program.evidence)
    return links


def _readiness(verdict: VariantReadiness | None, links: dict[str, str]) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "gate": "passes" if verdict.gate.passed else "fails",
        "failures": verdict.gate.failures,
        "must_pass": verdict.must_pass,
        "elements": [
            {"number": n, "title": e.title, "status": e.status, "label": e.label, "missing": e.missing,
             "flags": e.flags, "rule": RULES[n].text,
             "evidence": [{"id": ev, "href": links.get(ev, "")} for ev in e.evidence]}
            for n, e in sorted(verdict.elements.items())
        ],
    }


def _evidence_row(e: Evidence) -> dict[str, Any]:
    return {"id": e.id, "href": evidence_href(e.id), "element": e.element, "kind": e.kind.replace("_", " "),
            "status": e.status, "result": e.result}


def _shared_evidence(program: Program, gene: str, disease: str | None) -> list[dict[str, Any]]:
    """Evidence about the variant's gene, disease or the platform, which its readiness also counts."""
    subjects = [f"gene:{gene}", f"platform:{program.platform.id}"] + ([f"disease:{disease}"] if disease else [])
    return [{**_evidence_row(e), "subject": e.subject} for s in subjects
            for e in sorted(program.evidence_for(s), key=lambda e: (e.element, e.id))]


def _documents(evidence: Iterable[Evidence], flags: dict[str, DocumentFlag]) -> list[dict[str, str]]:
    return [{"evidence": e.id, "href": evidence_href(e.id), "document": e.document, "sha256": e.sha256 or "",
             "flag": flags[e.id].message if e.id in flags else ""}
            for e in evidence if e.document]


# ---------------------------------------------------------------------------------------------
# Disease basket


def basket_page(program: Program, plan_items: list[VariantPlan], disease: Disease) -> dict[str, Any]:
    """A disease of the program: a basket of the umbrella when the umbrella covers it."""
    members = [item for item in plan_items if item.disease == disease.id]
    classes: dict[str, int] = {}
    for item in members:
        classes[item.classification] = classes.get(item.classification, 0) + 1
    return {
        "title": f"{disease.name} ({disease.id})",
        "disease": {"id": disease.id, "name": disease.name, "genes": disease.genes,
                    "inheritance": disease.inheritance, "xrefs": disease.xrefs, "biomarkers": disease.biomarkers,
                    "source": disease.source},
        "covered": disease.id in program.umbrella.diseases,
        "natural_history": [
            {"id": h.id, "source": h.source, "population": h.population, "n": h.n,
             "measures": [{"name": m.name, "definition": m.definition,
                           "value": f"{m.value:g}{' ' + m.unit if m.unit else ''}" if m.value is not None else "",
                           "source": m.source or ""} for m in h.measures]}
            for h in disease.natural_history
        ],
        "endpoints": [{"name": e.name, "kind": e.kind, "definition": e.definition, "comparator": e.comparator or ""}
                      for e in disease.endpoints],
        "counts": {"members": len(members), "inside": sum(item.in_umbrella for item in members),
                   "classifications": sorted(classes.items())},
        "members": [{"id": item.variant, "href": variant_href(item.variant), "in_umbrella": item.in_umbrella}
                    for item in members[:MAX_MEMBERS]],
        "more_members": max(0, len(members) - MAX_MEMBERS),
        "evidence": [_evidence_row(e) for e in program.evidence_for(f"disease:{disease.id}")],
        "roster": table_href("roster", disease=disease.name),
        "readiness": table_href("readiness", disease=disease.name),
        "graph": graph_href(f"basket:{disease.id}", 1),
    }


# ---------------------------------------------------------------------------------------------
# Evidence item


def evidence_page(program: Program, e: Evidence, flags: dict[str, DocumentFlag]) -> dict[str, Any]:
    kind, _, name = e.subject.partition(":")
    if kind == "variant":
        supports = {"label": f"variant {name}", "href": variant_href(name)}
    elif kind == "gene":
        supports = {"label": f"every variant of {name}", "href": table_href("roster", gene=name)}
    elif kind == "disease":
        supports = {"label": "every variant of the basket", "href": basket_href(name)}
    else:
        supports = {"label": "every variant (platform evidence)", "href": table_href("roster")}
    return {
        "title": f"Evidence {e.id}",
        "evidence": {"id": e.id, "element": e.element, "element_title": ELEMENTS[e.element],
                     "kind": e.kind.replace("_", " "), "status": e.status, "result": e.result,
                     "measures": [{"name": k.replace("_", " "), "value": f"{v:g}"} for k, v in sorted(e.measures.items())],
                     "date": e.date.isoformat() if e.date else "", "document": e.document or "",
                     "sha256": e.sha256 or "", "flag": flags[e.id].message if e.id in flags else "",
                     "source": e.source},
        "subject": subject_link(e.subject, program),
        "supports": supports,
        "graph": graph_href(f"evidence:{e.id}", 1),
    }


# ---------------------------------------------------------------------------------------------
# What the graph viewer shows of a variant


def variant_summary(item: VariantPlan, verdict: VariantReadiness | None) -> dict[str, str]:
    """The plan's correction, best guide and readiness of a variant, as node attributes for the graph
    viewer (the graph already holds its classification and whether it is in the umbrella)."""
    summary = {"correction": item.correction or "none"}
    guide = item.guide
    if guide:
        window = "core" if guide.get("in_core_window") else "extended"
        summary["best guide"] = (f"{guide['protospacer']} {guide['pam']} ({guide['strand']} strand, position "
                                 f"{guide['target_position']}, {window} window, {len(guide.get('bystanders', []))} "
                                 "bystanders)")
    if verdict is not None:
        summary["readiness"] = " · ".join(f"E{n} {e.label}" for n, e in sorted(verdict.elements.items()))
        summary["gate"] = ("passes" if verdict.gate.passed else "fails") + (" (must pass)" if verdict.must_pass else "")
    return summary
