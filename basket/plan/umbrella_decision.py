"""The plan: for every variant, can the platform correct it and does it belong under the umbrella?

A pure function of the program. Guide design (plausible-mechanism element 2)
is delegated to `basket.plan.guide_design`; this module turns its classification into
the umbrella decision and a reason a regulatory writer can quote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args

from basket.editing.classify import Status as EditingClassification
from basket.foundation.garbage_collector import collector_paused
from basket.foundation.problems import InputError, Problem
from basket.plan.guide_design import design_variant
from basket.program.load import LoadedProgram
from basket.program.model import Program, Variant
from basket.program.reference import NO_REFERENCE, ProgramReference, program_reference
from basket.program.variant_sequence import DesignError

# what the plan says of a variant: the sequence engine's classification, or outside every covered disease
CLASSIFICATIONS: tuple[str, ...] = (*get_args(EditingClassification), "not_covered")


@dataclass(frozen=True)
class VariantPlan:
    variant: str
    reason_code: str  # short machine reason (basket.plan.guide_design.REASON_CODES); `reason` says it in full
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
    sequence: str = "none"  # verified | unverified (window not checked against a reference) | reference | none
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
    reference: str = "none"  # label of the reference FASTA the plan was made with, e.g. "GRCh38 (hg38.fa)"
    reference_warning: str | None = None  # the program names a reference this machine does not have

    def only(self, variant_ids: Iterable[str]) -> Plan:
        """The same plan restricted to these variants (in plan order)."""
        wanted = set(variant_ids)
        return replace(self, variants=[v for v in self.variants if v.variant in wanted])

    @property
    def unverified(self) -> list[VariantPlan]:
        """Variants designed on a window no reference has confirmed."""
        return [v for v in self.variants if v.sequence == "unverified"]

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


def make_plan(program: Program, only: set[str] | None = None, reference: ProgramReference = NO_REFERENCE,
              errors: list[DesignError] | None = None) -> Plan:
    """Plan every variant (or those whose ids are in `only`), in program order.

    A variant whose HGVS or sequence cannot be used raises DesignError, or, when `errors` is a list,
    is added to it and left out of the plan (so a caller can report every such variant at once)."""
    variants = [v for v in program.variants if only is None or v.id in only]
    planned = []
    with collector_paused():  # many small acyclic objects, as in loading
        for variant in variants:
            try:
                planned.append(plan_variant(program, variant, reference))
            except DesignError as error:
                if errors is None:
                    raise
                errors.append(error)
    return Plan(umbrella=program.umbrella.id, platform_editor=program.platform.editor, variants=planned,
                reference=reference.label if reference.fasta else "none", reference_warning=reference.warning)


def plan_variant(program: Program, variant: Variant, reference: ProgramReference = NO_REFERENCE) -> VariantPlan:
    disease = program.disease_of(variant)
    design = design_variant(program, variant, reference)
    covered = disease is not None and disease.id in program.umbrella.diseases
    in_umbrella = covered and design.classification == "platform"
    if not covered:
        reason = (
            f"{disease.name} ({disease.id}) is not covered by the umbrella." if disease
            else f"No disease of the program is caused by {variant.gene}."
        )
        classification, code = "not_covered", "not_covered"
    else:
        reason, classification, code = design.reason, design.classification, design.reason_code
    return VariantPlan(
        variant=variant.id,
        reason_code=code,
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
        sequence=design.sequence,
        guide=design.best_guide,
        guides=design.guides,
    )


def checked_plan(loaded: LoadedProgram, fasta: Path | None = None,
                 reference: ProgramReference | None = None, only: set[str] | None = None) -> Plan:
    """The plan on the program's reference (or `fasta`, which overrides it, or `reference` when the
    caller has resolved it already); every variant whose HGVS or sequence cannot be used (a window
    that differs from the reference, an hgvs_g the reference contradicts) is an input error with file:line.
    `only` limits the plan to those variant ids."""
    if reference is None:
        reference = program_reference(loaded, fasta)
    errors: list[DesignError] = []
    plan = make_plan(loaded.program, only, reference, errors)
    if errors:
        raise InputError([design_problem(loaded, error) for error in errors])
    return plan


def design_problem(loaded: LoadedProgram, error: DesignError) -> Problem:
    index = loaded.program.variant_index[error.variant]
    return loaded.locator.problem(("variants", index, *error.path), str(error))


__all__ = ["Plan", "VariantPlan", "checked_plan", "make_plan", "plan_variant"]
