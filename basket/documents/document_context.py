"""What the documents say, computed in Python; templates only format it.

Every value a document needs passes through `Gaps.value`, which returns it or
a `ToBeProvided` marker and remembers what was missing, so nothing renders as
blank or "None" and the completeness report lists every gap.

Two documents: the master-protocol overview (ICH M11 section numbering) and
one intervention-specific appendix (ISA) per variant inside the umbrella. One
context per document feeds every format (md, html, pdf, docx).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from basket import __version__
from basket.foundation.text_tables import format_number
from basket.plan.guide_design import REASON_CODES
from basket.plan.umbrella_decision import Plan, VariantPlan
from basket.program.appendix_content import LTFU_GUIDANCE, LTFU_GUIDANCE_YEARS, appendix_dosing, appendix_schedule
from basket.program.load import LoadedProgram
from basket.program.model import ELEMENTS, Disease, Dosing, Evidence, Program, Statement, Variant, Visit

if TYPE_CHECKING:
    from basket.evidence.readiness_rules import VariantReadiness

MASTER_PROTOCOL_INDICATOR = "Yes"
NONCLINICAL_EFFICACY_KINDS = ("in_vitro_editing", "patient_cells_editing", "humanized_mouse")
OFF_TARGET_KINDS = ("off_target_nomination", "off_target_confirmation")
TOXICOLOGY_KINDS = ("nhp_toxicology",)
GENOTYPE_KINDS = ("genotype_confirmation", "acmg_classification")


@dataclass(frozen=True)
class ToBeProvided:
    what: str

    def __str__(self) -> str:
        return f"[to be provided: {self.what}]"

    def __bool__(self) -> bool:
        return False


# How much a missing item matters, most urgent first (completeness.md is ordered by it).
BLOCKS_SUBMISSION = "submission"  # protocol content an IND needs (21 CFR 312.23(a)(6)) or entry-gate evidence
PROTOCOL_CONTENT = "protocol"  # the rest of the ICH M11 protocol
DETAIL = "detail"  # identification and product details
GAP_LEVELS = {
    BLOCKS_SUBMISSION: "Blocks submission: protocol content an IND must contain (21 CFR 312.23(a)(6): "
                       "objectives, eligibility, design, dose and regimen, observations, safety monitoring) "
                       "or evidence for plausible-mechanism elements 1-4",
    PROTOCOL_CONTENT: "Needed for a complete ICH M11 protocol",
    DETAIL: "Identification and product details",
}


@dataclass
class Gaps:
    document: str
    items: list[str] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)  # item -> one of GAP_LEVELS

    def value(self, value: Any, what: str, level: str = PROTOCOL_CONTENT) -> Any:
        if value is None or value == "" or value == [] or value == {}:
            if what not in self.items:
                self.items.append(what)
                self.levels[what] = level
            return ToBeProvided(what)
        return value


class References:
    """Distinct sources in order of first citation (the documents' reference list)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def cite(self, source: str | None) -> str | None:
        if source and source not in self.items:
            self.items.append(source)
        return source


# ---------------------------------------------------------------------------------------------
# Master protocol overview


def overview_context(loaded: LoadedProgram, plan: Plan, gaps: Gaps) -> dict[str, Any]:
    program = loaded.program
    umbrella = program.umbrella
    refs = References()
    refs.cite(umbrella.source)
    covered = _covered(program)
    objectives = [_objective(o, refs) for o in umbrella.objectives]
    population = umbrella.population
    refs.cite(population and population.source)
    safety = umbrella.safety
    context = {
        "document": _document_meta(program, "Master protocol", umbrella.protocol_version, None),
        "umbrella": _umbrella(program, gaps),
        "synopsis": {
            "master_protocol_indicator": MASTER_PROTOCOL_INDICATOR,
            "population_conditions": ", ".join(d.name for d in covered),
            "genes": ", ".join(sorted({g for d in covered for g in d.genes})),
            "intervention": f"{program.platform.name} (shared platform) with a variant-specific guide RNA",
            "appendices": len(plan.inside),
            "design": gaps.value(umbrella.design, "overall design (umbrella.design)", BLOCKS_SUBMISSION),
        },
        "objectives": {
            level: [o for o in objectives if o["level"] == level]
            for level in ("primary", "secondary", "exploratory", "safety")
        },
        "objectives_missing": gaps.value(objectives, "trial objectives (umbrella.objectives)", BLOCKS_SUBMISSION),
        "purpose": gaps.value(umbrella.purpose, "purpose of the trial (umbrella.purpose)"),
        "platform": _platform(program, gaps, refs),
        "platform_evidence": [_evidence_item(e, refs) for e in program.evidence_for(f"platform:{program.platform.id}")],
        "editor": _editor(program, refs),
        "baskets": [_basket(program, plan, disease, gaps, refs) for disease in covered],
        "endpoints": _endpoint_rows(program, covered, gaps, refs),
        "schema": _schema(program, plan, covered),
        "schedule": _schedule(umbrella.schedule, "schedule of activities (umbrella.schedule)", gaps, refs),
        "roster": [_roster_row(item) for item in plan.variants],
        "sequence_check": _sequence_check(plan),
        "counts": {
            "variants": len(plan.variants),
            "inside": len(plan.inside),
            "outside": len(plan.outside),
            "patients": len(program.patients),
        },
        "population": {
            "description": gaps.value(population and population.description,
                                      "description of the trial population (umbrella.population.description)"),
            "age": gaps.value(population and population.age, "participant age range (umbrella.population.age)"),
            "inclusion": gaps.value(_statements(population.inclusion if population else [], refs),
                                    "inclusion criteria (umbrella.population.inclusion)", BLOCKS_SUBMISSION),
            "exclusion": gaps.value(_statements(population.exclusion if population else [], refs),
                                    "exclusion criteria (umbrella.population.exclusion)", BLOCKS_SUBMISSION),
        },
        "dosing": _dosing(umbrella.dosing, "umbrella.dosing", gaps, refs),
        "safety": _safety(program, gaps, refs),
        "stopping_rules": gaps.value(_statements(safety.stopping_rules if safety else [], refs),
                                     "trial stopping rules (umbrella.safety.stopping_rules)", BLOCKS_SUBMISSION),
        "discontinuation": gaps.value(_statements(umbrella.discontinuation, refs),
                                      "participant discontinuation and withdrawal rules (umbrella.discontinuation)"),
        "statistics": {
            "statements": gaps.value(_statements(umbrella.statistics, refs),
                                     "statistical considerations (umbrella.statistics)"),
            "comparators": _comparator_rows(program, covered, refs),
            "sample_size": _sample_size(program, gaps, refs),
        },
        "oversight": gaps.value(_statements(umbrella.oversight, refs), "trial oversight (umbrella.oversight)"),
        "appendices": [{"variant": v.variant, "gene": v.gene, "hgvs_c": v.hgvs_c,
                        "disease": v.disease_name or v.disease or "", "path": f"appendices/{v.variant}"}
                       for v in plan.inside],
        "document_control": _document_control(loaded),
    }
    context["references"] = refs.items
    return context


# ---------------------------------------------------------------------------------------------
# Intervention-specific appendix


def appendix_context(loaded: LoadedProgram, plan: Plan, item: VariantPlan, gaps: Gaps,
                     verdict: VariantReadiness | None = None) -> dict[str, Any]:
    program = loaded.program
    variant = program.variants_by_id[item.variant]
    gene = program.genes_by_symbol[variant.gene]
    disease = program.diseases_by_id[item.disease] if item.disease else None
    refs = References()
    evidence = _evidence_of(program, variant, disease)
    readiness = _readiness(loaded, plan, item.variant, verdict)
    guide = _guide(item)
    umbrella = program.umbrella
    population = umbrella.population
    context = {
        "umbrella": {"id": umbrella.id, "title": umbrella.title,
                     "short_title": umbrella.short_title or umbrella.title,
                     "protocol_version": umbrella.protocol_version},
        "variant": {**_variant(variant, gaps, refs), "window_check": _window_check(item, plan.reference)},
        "gene": {"symbol": gene.symbol, "hgnc": gene.hgnc, "transcript": gene.transcript,
                 "protein": gaps.value(gene.protein, f"{gene.symbol} protein accession", DETAIL),
                 "chrom": gene.chrom, "strand": gene.strand, "source": refs.cite(gene.source)},
        "disease": {"id": disease.id, "name": disease.name, "inheritance": disease.inheritance,
                    "source": refs.cite(disease.source)} if disease else gaps.value(None, "disease", BLOCKS_SUBMISSION),
        "plan": item.to_dict(),
        "genotype_evidence": [_evidence_item(e, refs) for e in evidence if e.kind in GENOTYPE_KINDS],
        "elements": _elements(evidence, readiness, item, refs),
        "guide": guide,
        "bystander_summary": _bystander_summary(guide),
        "grna": _grna(variant, guide, gaps, refs),
        "platform": _platform(program, gaps, refs),
        "editor": _editor(program, refs),
        "nonclinical": {
            "efficacy": gaps.value([_evidence_item(e, refs) for e in evidence if e.kind in NONCLINICAL_EFFICACY_KINDS],
                                   "nonclinical editing efficiency", BLOCKS_SUBMISSION),
            "off_target": gaps.value([_evidence_item(e, refs) for e in evidence if e.kind in OFF_TARGET_KINDS],
                                     "off-target assessment", BLOCKS_SUBMISSION),
            "off_target_nominations": _nomination_summaries(evidence, loaded.root),
            "toxicology": gaps.value([_evidence_item(e, refs) for e in evidence if e.kind in TOXICOLOGY_KINDS],
                                     "nonclinical toxicology", BLOCKS_SUBMISSION),
        },
        "eligibility": {
            "genotype": f"At least one {gene.symbol} allele {variant.hgvs_c}"
                        + (f" ({variant.hgvs_p})" if variant.hgvs_p else "")
                        + ", confirmed as described in section 1.",
            "inclusion": gaps.value(_statements(population.inclusion if population else [], refs),
                                    "inclusion criteria (umbrella.population.inclusion)", BLOCKS_SUBMISSION),
            "exclusion": gaps.value(_statements(population.exclusion if population else [], refs),
                                    "exclusion criteria (umbrella.population.exclusion)", BLOCKS_SUBMISSION),
            "specific": _statements(variant.eligibility, refs),
        },
        "dosing": _dosing(appendix_dosing(variant, umbrella.dosing),
                          "variants[].dosing or umbrella.dosing", gaps, refs),
        "dosing_scope": "variant-specific" if variant.dosing else "master protocol",
        "schedule": _schedule(appendix_schedule(variant, umbrella),
                              "schedule of assessments (variants[].schedule or umbrella.schedule)", gaps, refs),
        "endpoints": _endpoint_rows(program, [disease] if disease else [], gaps, refs),
        "safety": _safety(program, gaps, refs),
        "patients": [
            {"id": p.id, "status": p.status,
             "genotype": ", ".join(f"{a.variant} ({a.origin})" for a in p.genotype)}
            for p in program.patients_by_variant.get(variant.id, [])
        ],
        "document_control": _document_control(loaded, evidence),
    }
    context["references"] = refs.items
    revision = _revision(context)
    label = f"Appendix {variant.id}"
    context["document"] = _document_meta(program, label, f"{umbrella.protocol_version}+{revision}", revision)
    return context


# ---------------------------------------------------------------------------------------------
# Pieces shared by both documents


def _document_meta(program: Program, label: str, version: str, revision: str | None) -> dict[str, Any]:
    umbrella = program.umbrella
    return {
        "label": label,
        "version": version,
        "revision": revision or "",
        "date": umbrella.protocol_date.isoformat() if umbrella.protocol_date else "",
        "running_header": f"{umbrella.id} · {label} · version {version}",
    }


def _revision(context: dict[str, Any]) -> str:
    """A short content hash of what the appendix shows (without document control): it changes
    exactly when the appendix's content changes, so two versions of one appendix are told apart."""
    shown = {k: v for k, v in context.items() if k != "document_control"}
    data = json.dumps(shown, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:8]


def _umbrella(program: Program, gaps: Gaps) -> dict[str, Any]:
    umbrella = program.umbrella
    return {
        "id": umbrella.id,
        "title": umbrella.title,
        "short_title": umbrella.short_title or umbrella.title,
        "sponsor": umbrella.sponsor,
        "registry": ", ".join(umbrella.registry) if umbrella.registry else gaps.value(None, "registry number", DETAIL),
        "phase": gaps.value(umbrella.phase, "trial phase"),
        "protocol_version": umbrella.protocol_version,
        "protocol_date": gaps.value(umbrella.protocol_date and umbrella.protocol_date.isoformat(), "protocol date",
                                    DETAIL),
        "source": umbrella.source or "",
    }


def _covered(program: Program) -> list[Disease]:
    return [program.diseases_by_id[d] for d in program.umbrella.diseases]


def _statements(items: list[Statement], refs: References) -> list[dict[str, str]]:
    return [{"text": s.text, "source": refs.cite(s.source) or ""} for s in items]


def _objective(objective, refs: References) -> dict[str, Any]:
    return {"level": objective.level, "text": objective.text,
            "endpoints": ", ".join(objective.endpoints) or "—", "source": refs.cite(objective.source) or ""}


def _platform(program: Program, gaps: Gaps, refs: References) -> dict[str, Any]:
    platform = program.platform
    return {
        "id": platform.id,
        "name": platform.name,
        "modality": platform.modality,
        "delivery": platform.delivery,
        "target_tissue": platform.target_tissue,
        "source": gaps.value(refs.cite(platform.source), "platform source", DETAIL),
        "components": [
            {"id": c.id, "name": c.name, "kind": c.kind,
             "role": "shared" if c.shared else "variant-specific",
             "version": gaps.value(c.version, f"version of {c.name}", DETAIL),
             "description": gaps.value(c.description, f"description of {c.name}", DETAIL),
             "source": gaps.value(refs.cite(c.source), f"source for {c.name}", DETAIL)}
            for c in platform.components
        ],
    }


def _editor(program: Program, refs: References) -> dict[str, Any]:
    editor = program.platform_editor
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
        "source": refs.cite(editor.source),
    }


def _basket(program: Program, plan: Plan, disease: Disease, gaps: Gaps, refs: References) -> dict[str, Any]:
    members = [v for v in plan.variants if v.basket == disease.id]
    refs.cite(disease.source)
    return {
        "id": disease.id,
        "name": disease.name,
        "genes": ", ".join(disease.genes),
        "inheritance": disease.inheritance,
        "xrefs": ", ".join(disease.xrefs),
        "biomarkers": ", ".join(disease.biomarkers) or "—",
        "natural_history": [
            {"id": h.id, "source": refs.cite(h.source), "population": h.population,
             "n": gaps.value(h.n, f"cohort size of {h.id}", DETAIL),
             "measures": [{"name": m.name, "definition": m.definition,
                           "value": gaps.value(_figure(m.value, m.unit), f"{m.name} ({disease.name})"),
                           "source": refs.cite(m.source)} for m in h.measures]}
            for h in disease.natural_history
        ] or gaps.value(None, f"natural history of {disease.name}", BLOCKS_SUBMISSION),
        "inside": len([v for v in members if v.in_umbrella]),
        "members": len(members),
        "source": disease.source,
    }


def _figure(value: float | None, unit: str | None) -> str | None:
    if value is None:
        return None
    number = format_number(value)
    return f"{number} {unit}" if unit else number


def _measure_index(disease: Disease) -> dict[str, tuple[Any, Any]]:
    return {m.name: (h, m) for h in disease.natural_history for m in h.measures}


def _endpoint_rows(program: Program, diseases: list[Disease], gaps: Gaps, refs: References) -> list[dict[str, Any]]:
    """Each endpoint with its natural-history comparator (element 3): the measure, its baseline, its source."""
    rows = []
    for disease in diseases:
        measures = _measure_index(disease)
        if not disease.endpoints:
            rows.append({"disease": disease.name, "name": gaps.value(None, f"endpoints of {disease.name}",
                                                                     BLOCKS_SUBMISSION),
                         "kind": "—", "definition": "—", "comparator": "—", "baseline": "—", "source": "—"})
        for endpoint in disease.endpoints:
            found = measures.get(endpoint.comparator or "")
            if endpoint.kind == "safety":
                comparator, baseline, source = "not applicable (safety endpoint)", "—", "—"
            elif found is None:
                what = (f"natural-history measure {endpoint.comparator!r} for {endpoint.name} ({disease.name})"
                        if endpoint.comparator else
                        f"natural-history comparator for {endpoint.name} ({disease.name})")
                comparator, baseline, source = gaps.value(None, what, BLOCKS_SUBMISSION), "—", "—"
            else:
                history, measure = found
                comparator = f"{measure.name} ({history.id})"
                baseline = gaps.value(_figure(measure.value, measure.unit), f"{measure.name} ({disease.name})")
                source = refs.cite(measure.source)
            rows.append({"disease": disease.name, "name": endpoint.name, "kind": endpoint.kind,
                         "definition": endpoint.definition, "comparator": comparator, "baseline": baseline,
                         "source": source})
    return rows


def _sample_size(program: Program, gaps: Gaps, refs: References) -> Any:
    """Exact figures of the prespecified analysis and its robustness to the control (`basket design` adds
    simulation)."""
    from basket.stats.basket_design import basket_baselines, design_figures
    from basket.stats.biomarker_trends import window_labels

    plan = program.umbrella.sample_size
    if plan is None:
        return gaps.value(None, "sample size assumptions (umbrella.sample_size)")
    baselines, skipped = basket_baselines(program, plan)
    return {
        "rate_ratio": format_number(plan.rate_ratio),
        "alpha": format_number(plan.alpha),
        "adjustment": "Holm" if plan.adjustment == "holm" else "Bonferroni",
        "n_baskets": len(baselines),
        "rationale": plan.rationale,
        **design_figures(program, plan),
        "bayes": _bayes_rule(plan),
        "interim": _interim(plan),
        "within_patient_primary": plan.primary == "within_patient",
        "biomarker_windows": "; ".join(window_labels(plan.biomarker_windows)),
        "biomarkers": ", ".join(list(dict.fromkeys(m for d in program.diseases if d.id in program.umbrella.diseases
                                                   for m in d.biomarkers))[:4]),
        "skipped": [{"name": s.name, "reason": s.reason} for s in skipped],
        "designable": bool(baselines),
    }


def _interim(plan) -> dict[str, str] | None:
    """The prespecified interim looks as the protocol states them (None when the program has none)."""
    it = plan.interim
    if it is None:
        return None
    return {"after": ", ".join(map(str, it.after_patients)), "final_patients": str(it.final_patients),
            "final_follow_up": format_number(it.final_follow_up_years), "prior_mean": format_number(it.prior_rate_ratio),
            "prior_shape": format_number(it.prior_shape), "rationale": it.rationale,
            "futility": "" if it.futility_below is None else format_number(it.futility_below),
            "within_patient": "yes" if plan.primary == "within_patient" else ""}


def _bayes_rule(plan) -> dict[str, str] | None:
    """The supportive Bayesian rule as the protocol states it (None when the program has none)."""
    b = plan.bayes
    if b is None:
        return None
    p = b.prior
    return {
        "prior": (f"mu ~ N({p.mu_mean:g}, {p.mu_sd:g}²), tau ~ half-normal({p.tau_scale:g}), non-exchangeable "
                  f"N({p.nex_mean:g}, {p.nex_sd:g}²), prior probability of exchangeability {p.p_exchangeable:g}"),
        "rule": f"P(rate ratio < {b.rate_ratio_below:g} | data) ≥ {b.min_probability:g}",
        "rationale": b.rationale,
        "calibration": "" if b.calibrate_to is None else f"{b.calibrate_to:g}",
    }


def _comparator_rows(program: Program, diseases: list[Disease], refs: References) -> list[dict[str, Any]]:
    """Natural-history measures the program provides as external comparators, per basket."""
    return [
        {"disease": d.name, "history": h.id, "measure": m.name, "definition": m.definition,
         "value": _figure(m.value, m.unit) or "—", "source": refs.cite(m.source)}
        for d in diseases for h in d.natural_history for m in h.measures
    ]


def _schema(program: Program, plan: Plan, covered: list[Disease]) -> list[dict[str, Any]]:
    """The trial schema as a table: umbrella → shared platform → disease baskets → variant appendices."""
    rows = []
    for disease in covered:
        members = [v for v in plan.variants if v.basket == disease.id]
        rows.append({
            "basket": disease.name,
            "genes": ", ".join(disease.genes),
            "inside": ", ".join(v.variant for v in members if v.in_umbrella) or "none yet",
            "outside": ", ".join(f"{v.variant} ({REASON_CODES.get(v.reason_code, v.reason_code)})"
                                 for v in members if not v.in_umbrella) or "none",
        })
    return rows


VISITS_PER_TABLE = 8  # a schedule with more visits is printed as several tables, each fitting a page


def _schedule(visits: list[Visit], what: str, gaps: Gaps, refs: References) -> Any:
    """Schedule of assessments as a matrix: one row per assessment, one column per visit; `parts`
    cuts it into tables of at most VISITS_PER_TABLE visits so that no table is wider than a page."""
    if not visits:
        return gaps.value(None, what, BLOCKS_SUBMISSION)
    assessments: list[str] = []
    for visit in visits:
        for name in visit.assessments:
            if name not in assessments:
                assessments.append(name)
    for visit in visits:
        refs.cite(visit.source)
    parts = []
    for start in range(0, len(visits), VISITS_PER_TABLE):
        chunk = visits[start : start + VISITS_PER_TABLE]
        parts.append({
            "visits": [{"name": v.name, "timing": v.timing} for v in chunk],
            "rows": [{"assessment": a, "cells": ["X" if a in v.assessments else "–" for v in chunk]}
                     for a in assessments],
        })
    return {
        "visits": [{"name": v.name, "timing": v.timing} for v in visits],
        "rows": [{"assessment": a, "cells": ["X" if a in v.assessments else "–" for v in visits]}
                 for a in assessments],
        "parts": parts,
        "sources": list(dict.fromkeys(v.source for v in visits if v.source)),
    }


def _dosing(dosing: Dosing | None, where: str, gaps: Gaps, refs: References) -> dict[str, Any]:
    steps = dosing.steps if dosing else []
    refs.cite(dosing and dosing.source)
    return {
        "description": (dosing and dosing.description) or "",
        "steps": gaps.value([
            {"label": s.label,
             "dose": _figure(s.dose, s.unit) or gaps.value(None, f"dose of {s.label} (dosing.steps[].dose)",
                                                           BLOCKS_SUBMISSION),
             "route": s.route or "—", "timing": s.timing or "—", "source": refs.cite(s.source) or "—"}
            for s in steps
        ], f"dose and regimen ({where})", BLOCKS_SUBMISSION),
        "rules": gaps.value(_statements(dosing.rules if dosing else [], refs), f"dosing rules ({where}.rules)",
                            BLOCKS_SUBMISSION),
        "concomitant": _statements(dosing.concomitant if dosing else [], refs),
        "source": (dosing and dosing.source) or "",
    }


def _safety(program: Program, gaps: Gaps, refs: References) -> dict[str, Any]:
    safety = program.umbrella.safety
    years = safety.follow_up_years if safety else None
    return {
        "monitoring": gaps.value(_statements(safety.monitoring if safety else [], refs),
                                 "safety monitoring (umbrella.safety.monitoring)", BLOCKS_SUBMISSION),
        "follow_up_years": years or LTFU_GUIDANCE_YEARS,
        "follow_up_source": refs.cite((safety and safety.follow_up_source) or LTFU_GUIDANCE),
        "follow_up_from_program": years is not None,
    }


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


def _window_check(item: VariantPlan, reference: str) -> str:
    """What the guide design of this variant stood on, in words (see VariantPlan.sequence)."""
    return {
        "verified": f"every base of the window equals the reference genome {reference}",
        "unverified": "the window was not verified against a reference genome (none was available)",
        "reference": f"no window recorded; the sequence was read from the reference genome {reference}",
    }.get(item.sequence, "no sequence: no guide was searched")


def _sequence_check(plan: Plan) -> str:
    """One sentence on how many designs stood on sequence a reference confirmed."""
    counts = {kind: sum(v.sequence == kind for v in plan.variants) for kind in ("verified", "unverified", "reference")}
    if plan.reference == "none":
        head = "No reference genome was available for this version"
    else:
        head = f"Reference genome: {plan.reference}"
    return (f"{head}: {counts['verified']} sequence window(s) verified base for base, {counts['reference']} "
            f"variant(s) read from the reference, {counts['unverified']} window(s) not verified.")


def _variant(variant: Variant, gaps: Gaps, refs: References) -> dict[str, Any]:
    return {
        "id": variant.id,
        "hgvs_c": variant.hgvs_c,
        "hgvs_p": gaps.value(variant.hgvs_p, "protein consequence (HGVS p.)", DETAIL),
        "hgvs_g": gaps.value(variant.hgvs_g, "genomic description (HGVS g.)", DETAIL),
        "consequence": gaps.value(variant.consequence, "variant consequence", DETAIL),
        "clinvar": gaps.value(variant.clinvar, "ClinVar accession", BLOCKS_SUBMISSION),
        "classification": gaps.value(variant.classification, "ACMG classification", BLOCKS_SUBMISSION),
        "status": variant.status,
        "notes": variant.notes or "",
        "source": refs.cite(variant.source),
        "window": (f"{variant.window.chrom}:{variant.window.start}-{variant.window.end}"
                   if variant.window else "—"),
        "window_source": refs.cite(variant.window.source) if variant.window else "",
    }


def _guide(item: VariantPlan) -> dict[str, Any] | None:
    if item.guide is None:
        return None
    guide = dict(item.guide)
    guide["bystanders"] = list(guide.get("bystanders", []))
    return guide


def _bystander_summary(guide: dict[str, Any] | None) -> str:
    """Per-base consequences, then what bases sharing a codon do when edited together (the worst)."""
    if guide is None:
        return "No guide: bystander edits not assessed."
    bystanders = guide["bystanders"]
    if not bystanders:
        return "No other editable base lies in the editing window."
    kinds: dict[str, int] = {}
    for b in bystanders:
        kinds[b["consequence"]] = kinds.get(b["consequence"], 0) + 1
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    if guide.get("worst_consequence") in (None, "synonymous", "non-coding"):
        verdict = "none is predicted to change the protein, alone or edited together with others in its codon"
    else:
        worst = _with_protein_change(guide["worst_consequence"], guide.get("worst_protein_change"))
        verdict = f"the worst predicted outcome is {worst}, which needs assessment"
    together = "".join(
        f" Edited together, {' and '.join(str(c) for c in o['c'])} turn codon {o['codon']} from {o['ref_codon']} "
        f"into {o['alt_codon']}: {_with_protein_change(o['consequence'], o['protein_change'])}."
        for o in guide.get("codon_outcomes", []) if len(o["positions"]) > 1
    )
    return f"{len(bystanders)} bystander base(s) in the window ({parts}): {verdict}.{together}"


def _with_protein_change(consequence: str, protein_change: str | None) -> str:
    return f"{consequence} ({protein_change})" if protein_change else consequence


def _grna(variant: Variant, guide: dict[str, Any] | None, gaps: Gaps, refs: References) -> dict[str, Any]:
    grna = variant.grna
    declared = grna and grna.protospacer
    if declared:
        protospacer, origin = declared.upper().replace("U", "T"), "declared by the program"
    elif guide:
        protospacer, origin = guide["protospacer"], "designed by basket from the sequence window (best guide)"
    else:
        protospacer, origin = gaps.value(None, "gRNA protospacer", BLOCKS_SUBMISSION), "—"
    return {
        "name": gaps.value(grna and grna.name, "gRNA name", DETAIL),
        "protospacer": protospacer,
        "protospacer_origin": origin,
        "modifications": gaps.value(grna and grna.modifications, "gRNA chemical modifications", DETAIL),
        "manufacturer": gaps.value(grna and grna.manufacturer, "gRNA manufacturer", DETAIL),
        "source": refs.cite(grna and grna.source) or "",
    }


def _evidence_of(program: Program, variant: Variant, disease: Disease | None) -> list[Evidence]:
    subjects = [f"variant:{variant.id}", f"gene:{variant.gene}", f"platform:{program.platform.id}"]
    if disease is not None:
        subjects.append(f"disease:{disease.id}")
    return sorted((e for s in subjects for e in program.evidence_for(s)), key=lambda e: (e.element, e.id))


def _evidence_item(e: Evidence, refs: References) -> dict[str, Any]:
    return {
        "id": e.id, "element": e.element, "kind": e.kind.replace("_", " "), "status": e.status,
        "result": e.result, "date": e.date.isoformat() if e.date else "", "subject": e.subject,
        "measures": "; ".join(f"{k.replace('_', ' ')}: {format_number(v)}" for k, v in sorted(e.measures.items()))
        or "—",
        "document": e.document or "", "source": refs.cite(e.source),
    }


TOP_NOMINATED_SITES = 10


def _nomination_summaries(evidence: list[Evidence], root: Path) -> list[dict[str, Any]]:
    """What each `basket offtargets` file behind an off_target_nomination item found: sites by
    mismatch/bulge class, patient-specific and destroyed sites, the top sites with editable bases."""
    from basket.offtargets.report import is_nomination_file, read_report

    found = []
    for item in evidence:
        path = root / item.document if item.kind == "off_target_nomination" and item.document else None
        if path is None or not is_nomination_file(path):
            continue  # a missing or changed document is flagged by the readiness rules
        report = read_report(path)
        header, query, reference = report.header, report.header["query"], report.header["reference"]
        counts = header["summary"]
        editable = [row for row in report.rows if row["editable_core"] + row["editable_extended"] > 0]
        found.append({
            "evidence": item.id,
            "reference": f"{reference['build'] or 'build not stated'}, {reference['file_name']}, "
                         f"sha256 {reference['sha256'][:12]}…",
            "guides": ", ".join(query["guides"]),
            "limits": f"at most {_count(query['max_mismatches'], 'mismatch')} and "
                      f"{_count(query['max_bulges'], 'bulge')}; PAM {', '.join(query['pams'])}; "
                      f"editor {query['editor']}",
            "edited_base": query["edited_base"],
            "total": counts["sites"],
            "patient_specific": counts["patient_specific"],
            "destroyed": counts["destroyed_by_patient_alleles"],
            "personal_genome": "searched" if header.get("personal_genome") else "not searched (no VCF)",
            "classes": counts["by_class"],
            "top": [_nominated_site(row) for row in editable[:TOP_NOMINATED_SITES]],
            "editable_sites": len(editable),
        })
    return found


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "es" if noun.endswith("h") else "s")


def _nominated_site(row: dict[str, Any]) -> dict[str, Any]:
    differences = _count(row["mismatches"], "mismatch") + (f", {_count(row['bulges'], 'bulge')}" if row["bulges"] else "")
    # with a bulge the DNA row alone hides where: show the guide row (- = DNA bulge) above it
    alignment = f"{row['guide_alignment']} / {row['site_alignment']}" if row["bulges"] else row["site_alignment"]
    return {
        "rank": row["rank"], "locus": f"{row['contig']}:{row['start']}-{row['end']}", "strand": row["strand"],
        "pam": row["pam"], "differences": differences, "alignment": alignment,
        "editable": row["editable_bases"], "gene": row["gene"] or "—", "region": row["region"] or "—",
        "origin": ("on-target, " if row.get("on_target") == "yes" else "") + row["origin"]
                  + (f" ({row['variants']})" if row["variants"] else ""),
    }


def _readiness(loaded: LoadedProgram, plan: Plan, variant: str,
               verdict: VariantReadiness | None = None) -> dict[int, dict[str, Any]]:
    """Per element: the readiness verdict (basket.evidence.readiness_rules) with what is missing; pass `verdict`
    when rendering many appendices (assessing the whole plan per appendix is quadratic)."""
    from basket.evidence.readiness_rules import assess

    if verdict is None:
        verdict = assess(loaded, replace(plan, variants=[plan.get(variant)])).get(variant)
    return {n: {"status": e.label, "missing": "; ".join(e.missing)} for n, e in verdict.elements.items()}


def _elements(evidence: list[Evidence], readiness: dict[int, dict[str, Any]], item: VariantPlan,
              refs: References) -> list[dict[str, Any]]:
    return [
        {
            "element": number,
            "title": title,
            "status": readiness.get(number, {}).get("status", "—"),
            "missing": readiness.get(number, {}).get("missing", ""),
            "rationale": item.reason if number == 2 else "",
            "items": [_evidence_item(e, refs) for e in evidence if e.element == number],
        }
        for number, title in ELEMENTS.items()
    ]


def _document_control(loaded: LoadedProgram, evidence: list[Evidence] | None = None) -> dict[str, Any]:
    return {
        "basket_version": __version__,
        "inputs": [{"path": path, "sha256": digest} for path, digest in sorted(loaded.inputs.items())],
        "documents": [{"evidence": e.id, "document": e.document, "sha256": e.sha256 or "not recorded"}
                      for e in (evidence or []) if e.document],
    }
