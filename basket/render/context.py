"""What the documents say, computed in Python; templates only format it.

Every value a document needs passes through `Gaps.value`, which returns it or
a `ToBeProvided` marker and remembers what was missing, so nothing renders as
blank or "None" and the completeness report lists every gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from basket import __version__
from basket.load import LoadedProgram
from basket.model import ELEMENTS, Disease, Program, Variant
from basket.plan import Plan, VariantPlan


@dataclass(frozen=True)
class ToBeProvided:
    what: str

    def __str__(self) -> str:
        return f"[to be provided: {self.what}]"

    def __bool__(self) -> bool:
        return False


@dataclass
class Gaps:
    document: str
    items: list[str] = field(default_factory=list)

    def value(self, value: Any, what: str) -> Any:
        if value is None or value == "" or value == []:
            self.items.append(what)
            return ToBeProvided(what)
        return value


def overview_context(loaded: LoadedProgram, plan: Plan, gaps: Gaps) -> dict[str, Any]:
    program = loaded.program
    umbrella, platform = program.umbrella, program.platform
    editor = program.platform_editor
    return {
        "umbrella": {
            "id": umbrella.id,
            "title": umbrella.title,
            "short_title": umbrella.short_title or umbrella.title,
            "sponsor": umbrella.sponsor,
            "registry": ", ".join(umbrella.registry) if umbrella.registry else gaps.value(None, "registry number"),
            "phase": gaps.value(umbrella.phase, "trial phase"),
            "protocol_version": umbrella.protocol_version,
            "protocol_date": gaps.value(umbrella.protocol_date and umbrella.protocol_date.isoformat(),
                                        "protocol date"),
        },
        "platform": _platform(program, gaps),
        "editor": _editor(editor),
        "baskets": [_basket(program, plan, disease, gaps) for disease in _covered(program)],
        "roster": [_roster_row(item) for item in plan.variants],
        "counts": {
            "variants": len(plan.variants),
            "inside": len(plan.inside),
            "outside": len(plan.outside),
            "patients": len(program.patients),
        },
        "document_control": _document_control(loaded),
    }


def appendix_context(loaded: LoadedProgram, plan: Plan, item: VariantPlan, gaps: Gaps) -> dict[str, Any]:
    program = loaded.program
    variant = program.variants_by_id[item.variant]
    gene = program.genes_by_symbol[variant.gene]
    disease = program.diseases_by_id[item.disease] if item.disease else None
    return {
        "umbrella": {"id": program.umbrella.id, "title": program.umbrella.title,
                     "protocol_version": program.umbrella.protocol_version},
        "variant": _variant(variant, gaps),
        "gene": {"symbol": gene.symbol, "hgnc": gene.hgnc, "transcript": gene.transcript,
                 "protein": gaps.value(gene.protein, f"{gene.symbol} protein accession"),
                 "chrom": gene.chrom, "strand": gene.strand, "source": gene.source},
        "disease": {"id": disease.id, "name": disease.name, "inheritance": disease.inheritance,
                    "source": disease.source} if disease else gaps.value(None, "disease"),
        "plan": item.to_dict(),
        "guide": _guide(item),
        "grna": _grna(variant, gaps),
        "platform": _platform(program, gaps),
        "editor": _editor(program.platform_editor),
        "evidence": _evidence_by_element(program, variant, disease),
        "patients": [
            {"id": p.id, "status": p.status,
             "genotype": ", ".join(f"{a.variant} ({a.origin})" for a in p.genotype)}
            for p in program.patients
            if any(a.variant == variant.id for a in p.genotype)
        ],
        "document_control": _document_control(loaded),
    }


def _covered(program: Program) -> list[Disease]:
    return [program.diseases_by_id[d] for d in program.umbrella.diseases]


def _platform(program: Program, gaps: Gaps) -> dict[str, Any]:
    platform = program.platform
    return {
        "id": platform.id,
        "name": platform.name,
        "modality": platform.modality,
        "delivery": platform.delivery,
        "target_tissue": platform.target_tissue,
        "source": gaps.value(platform.source, "platform source"),
        "components": [
            {"id": c.id, "name": c.name, "kind": c.kind,
             "role": "shared" if c.shared else "variant-specific",
             "version": gaps.value(c.version, f"version of {c.name}"),
             "description": gaps.value(c.description, f"description of {c.name}"),
             "source": gaps.value(c.source, f"source for {c.name}")}
            for c in platform.components
        ],
    }


def _editor(editor) -> dict[str, Any]:
    core = editor.core_window
    extended = editor.extended_window
    return {
        "name": editor.name,
        "deaminase": editor.deaminase,
        "cas_variant": editor.cas_variant,
        "pams": ", ".join(editor.pams),
        "core_window": f"{core[0]}–{core[1]}",
        "extended_window": f"{extended[0]}–{extended[1]}" if extended else "none",
        "spacer_length": editor.spacer_length,
        "source": editor.source,
    }


def _basket(program: Program, plan: Plan, disease: Disease, gaps: Gaps) -> dict[str, Any]:
    members = [v for v in plan.variants if v.basket == disease.id]
    return {
        "id": disease.id,
        "name": disease.name,
        "genes": ", ".join(disease.genes),
        "inheritance": disease.inheritance,
        "xrefs": ", ".join(disease.xrefs),
        "natural_history": [
            {"id": h.id, "source": h.source, "population": h.population,
             "n": gaps.value(h.n, f"cohort size of {h.id}"),
             "measures": [{"name": m.name, "definition": m.definition,
                           "value": gaps.value(_figure(m.value, m.unit), f"{m.name} ({disease.name})"),
                           "source": m.source} for m in h.measures]}
            for h in disease.natural_history
        ] or gaps.value(None, f"natural history of {disease.name}"),
        "inside": len([v for v in members if v.in_umbrella]),
        "members": len(members),
        "source": disease.source,
    }


def _figure(value: float | None, unit: str | None) -> str | None:
    if value is None:
        return None
    number = f"{value:g}"
    return f"{number} {unit}" if unit else number


def _roster_row(item: VariantPlan) -> dict[str, Any]:
    return {
        "variant": item.variant,
        "gene": item.gene,
        "hgvs_c": item.hgvs_c,
        "disease": item.disease_name or "—",
        "change_class": item.change_class,
        "correction": item.correction or "none",
        "in_umbrella": "yes" if item.in_umbrella else "no",
        "reason": item.reason,
    }


def _variant(variant: Variant, gaps: Gaps) -> dict[str, Any]:
    return {
        "id": variant.id,
        "hgvs_c": variant.hgvs_c,
        "hgvs_p": gaps.value(variant.hgvs_p, "protein consequence (HGVS p.)"),
        "hgvs_g": gaps.value(variant.hgvs_g, "genomic description (HGVS g.)"),
        "consequence": gaps.value(variant.consequence, "variant consequence"),
        "clinvar": gaps.value(variant.clinvar, "ClinVar accession"),
        "classification": gaps.value(variant.classification, "ACMG classification"),
        "status": variant.status,
        "notes": variant.notes or "",
        "source": variant.source,
    }


def _guide(item: VariantPlan) -> dict[str, Any] | None:
    if item.guide is None:
        return None
    guide = dict(item.guide)
    guide["bystanders"] = list(guide.get("bystanders", []))
    return guide


def _grna(variant: Variant, gaps: Gaps) -> dict[str, Any]:
    grna = variant.grna
    return {
        "name": gaps.value(grna and grna.name, "gRNA name"),
        "modifications": gaps.value(grna and grna.modifications, "gRNA chemical modifications"),
        "manufacturer": gaps.value(grna and grna.manufacturer, "gRNA manufacturer"),
        "source": (grna and grna.source) or "",
    }


def _evidence_by_element(program: Program, variant: Variant, disease: Disease | None) -> list[dict[str, Any]]:
    subjects = [f"variant:{variant.id}", f"gene:{variant.gene}", f"platform:{program.platform.id}"]
    if disease is not None:
        subjects.append(f"disease:{disease.id}")
    items = [e for s in subjects for e in program.evidence_for(s)]
    return [
        {
            "element": number,
            "title": title,
            "items": [
                {"id": e.id, "kind": e.kind.replace("_", " "), "status": e.status, "result": e.result,
                 "date": e.date.isoformat() if e.date else "", "source": e.source, "subject": e.subject}
                for e in sorted(items, key=lambda e: e.id)
                if e.element == number
            ],
        }
        for number, title in ELEMENTS.items()
    ]


def _document_control(loaded: LoadedProgram) -> dict[str, Any]:
    return {
        "basket_version": __version__,
        "inputs": [{"path": path, "sha256": digest} for path, digest in sorted(loaded.inputs.items())],
    }
