"""The plan: for every variant, can the platform correct it and does it belong under the umbrella?

A pure function of the program. Guide design (plausible-mechanism element 2)
is delegated to `basket.plan.guide_design`; this module turns its classification into
the umbrella decision and a reason a regulatory writer can quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_args

from basket.editing.classify import Status as EditingClassification
from basket.foundation.garbage_collector import collector_paused
from basket.foundation.problems import InputError
from basket.plan.guide_design import design_variant
from basket.program.load import LoadedProgram
from basket.program.model import Program, Variant
from basket.program.variant_sequence import DesignError

# what the plan says of a variant: the sequence engine's classification, or outside every covered disease
CLASSIFICATIONS: tuple[str, ...] = (*get_args(EditingClassification), "not_covered")


@dataclass(frozen=True)
class VariantPlan:
    variant: str
    gene: str
    disease: str | None
    disease_name: str | None
    basket: str | None
    hgvs_c: str
    hgvs_p: str | None
    change_class: str
    correction: str | None  # "ABE", "CBE" or None
    classification: str  # platform | other_editor | other_modality | no_sequence | not_covered
    editor: str | None  # the editor that corrects it, when one does
    in_umbrella: bool
    reason: str
    status: str
    guide: dict[str, Any] | None = None
    guides: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, with_guides: bool = False) -> dict[str, Any]:
        """The fields as a fresh dict (what `dataclasses.asdict` gives, without its slow recursion:
        only the guide dicts are nested, and they are copied)."""
        data = {name: getattr(self, name) for name in _PLAN_FIELDS}
        data["guide"] = _copy_guide(self.guide) if self.guide is not None else None
        if with_guides:
            data["guides"] = [_copy_guide(guide) for guide in self.guides]
        else:
            data.pop("guides")
        return data


def _copy_guide(guide: dict[str, Any]) -> dict[str, Any]:
    copied = {key: list(value) if isinstance(value, (list, tuple)) else value for key, value in guide.items()}
    if "bystanders" in copied:
        copied["bystanders"] = [dict(b) for b in guide["bystanders"]]
    return copied


_PLAN_FIELDS = tuple(f.name for f in fields(VariantPlan))


@dataclass(frozen=True)
class Plan:
    umbrella: str
    platform_editor: str
    variants: list[VariantPlan]

    @property
    def inside(self) -> list[VariantPlan]:
        return [v for v in self.variants if v.in_umbrella]

    @property
    def outside(self) -> list[VariantPlan]:
        return [v for v in self.variants if not v.in_umbrella]

    def get(self, variant_id: str) -> VariantPlan:
        for item in self.variants:
            if item.variant == variant_id:
                return item
        raise KeyError(variant_id)

    def corrections(self) -> dict[str, dict[str, Any]]:
        """Guide attributes for the graph's `correctable_by` edges (inside the umbrella only)."""
        return {
            v.variant: {
                "editor": v.editor or "",
                "protospacer": v.guide["protospacer"],
                "pam": v.guide["pam"],
                "strand": v.guide["strand"],
                "target_position": v.guide["target_position"],
            }
            for v in self.inside
            if v.guide is not None
        }


def make_plan(program: Program, only: set[str] | None = None, fasta: Path | None = None) -> Plan:
    """Plan every variant (or those whose ids are in `only`), in program order."""
    variants = [v for v in program.variants if only is None or v.id in only]
    with collector_paused():  # many small acyclic objects, as in loading
        planned = [plan_variant(program, v, fasta) for v in variants]
    return Plan(umbrella=program.umbrella.id, platform_editor=program.platform.editor, variants=planned)


def plan_variant(program: Program, variant: Variant, fasta: Path | None = None) -> VariantPlan:
    disease = program.disease_of(variant)
    design = design_variant(program, variant, fasta)
    covered = disease is not None and disease.id in program.umbrella.diseases
    in_umbrella = covered and design.classification == "platform"
    if not covered:
        reason = (
            f"{disease.name} ({disease.id}) is not covered by the umbrella." if disease
            else f"No disease of the program is caused by {variant.gene}."
        )
        classification = "not_covered"
    else:
        reason, classification = design.reason, design.classification
    return VariantPlan(
        variant=variant.id,
        gene=variant.gene,
        disease=disease.id if disease else None,
        disease_name=disease.name if disease else None,
        basket=disease.id if disease else None,
        hgvs_c=variant.hgvs_c,
        hgvs_p=variant.hgvs_p,
        change_class=design.change_class,
        correction=design.correction,
        classification=classification,
        editor=design.editor,
        in_umbrella=in_umbrella,
        reason=reason,
        status=variant.status,
        guide=design.best_guide,
        guides=design.guides,
    )


def checked_plan(loaded: LoadedProgram, fasta: Path | None = None) -> Plan:
    """The plan; a variant whose HGVS or sequence cannot be used is an input error with file:line."""
    from basket.editing.reference_fasta import reference_genome

    if fasta is not None:
        reference_genome(fasta)  # a FASTA that cannot be used is reported even when no variant needs it
    try:
        return make_plan(loaded.program, fasta=fasta)
    except DesignError as error:
        index = [v.id for v in loaded.program.variants].index(error.variant)
        raise InputError([loaded.locator.problem(("variants", index, error.field), str(error))]) from None


__all__ = ["Plan", "VariantPlan", "checked_plan", "make_plan", "plan_variant"]
