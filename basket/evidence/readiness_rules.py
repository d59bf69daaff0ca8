"""Plausible-mechanism readiness: per variant and element, met / partial / missing / not yet applicable.

The rules are data (`RULES`): each element lists the evidence requirements
that satisfy it (which evidence kinds count, for which subjects) and named
conditions on the program or the plan. Every status carries the rule text,
the evidence it used, document flags and a list of what is missing, so a
reader can see why, not only what.

How a requirement is judged:
* met: an evidence item of an accepted kind, about an accepted subject, with
  status `complete` and no missing or changed document;
* partial: such items exist but are `planned` / `partial`, or their document
  is missing or its sha256 changed (the flag is shown);
* missing: no such item.
An element is met when all its requirements and conditions are met, missing
when none has anything, partial otherwise.

The umbrella's entry gate: elements 1-4 met, correctable by the platform
(plan classification 'platform'), disease covered by the umbrella, adequate
natural history. Variants that must pass it: those marked `submit: true` and
those whose status is `submitted` or later (a variant already submitted must
keep passing: a changed document after submission is exactly what to catch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from basket.evidence.evidence_checks import DocumentFlag, NaturalHistoryCheck, check_documents, check_natural_history
from basket.foundation.problems import Problem
from basket.plan.umbrella_decision import Plan, VariantPlan
from basket.program.load import LoadedProgram
from basket.program.model import ELEMENTS, VARIANT_STATUSES, Evidence, Program, Variant

MET, PARTIAL, MISSING, NOT_YET = "met", "partial", "missing", "not_yet_applicable"
STATUS_LABELS = {MET: "met", PARTIAL: "partial", MISSING: "missing", NOT_YET: "not yet applicable"}
GATE_ELEMENTS = (1, 2, 3, 4)
PATHOGENIC = ("pathogenic", "likely pathogenic")
DOSED_STATUSES = ("dosed", "follow_up")
MUST_PASS_FROM = "submitted"  # this status and every later one must keep passing the gate
COMMON_RULE = ("Evidence with status planned or partial, or whose document is missing or changed, "
               "counts as partial.")


@dataclass(frozen=True)
class Requirement:
    """Evidence that satisfies part of an element: one of `kinds`, about one of `scopes`."""

    name: str
    kinds: tuple[str, ...]
    scopes: tuple[str, ...]  # subject kinds that count: variant, gene, disease, platform


@dataclass(frozen=True)
class Rule:
    element: int
    text: str
    requirements: tuple[Requirement, ...] = ()
    conditions: tuple[str, ...] = ()  # names in CONDITIONS
    applies_after_dosing: bool = False

    @property
    def title(self) -> str:
        return ELEMENTS[self.element]


RULES: dict[int, Rule] = {
    1: Rule(
        1,
        "Met when the genotype is confirmed (genotype_confirmation) and the variant is classified pathogenic "
        "or likely pathogenic: acmg_classification evidence and the variant's `classification`.",
        (Requirement("genotype confirmation", ("genotype_confirmation",), ("variant",)),
         Requirement("ACMG classification", ("acmg_classification",), ("variant",))),
        ("classified_pathogenic",),
    ),
    2: Rule(
        2,
        "Met when the plan classifies the variant 'platform' (the platform editor has a guide for it) and "
        "editing is shown in vitro or in patient-derived cells (in_vitro_editing or patient_cells_editing).",
        (Requirement("in-vitro or patient-cell editing", ("in_vitro_editing", "patient_cells_editing"),
                     ("variant",)),),
        ("platform_correctable",),
    ),
    3: Rule(
        3,
        "Met when the variant's disease has an adequate natural history: an entry with source, population, "
        "n and at least one baseline measure with a value and its citation.",
        (),
        ("natural_history_adequate",),
    ),
    4: Rule(
        4,
        "Met with in-vivo or patient-cell editing (humanized_mouse or patient_cells_editing), off-target "
        "nomination AND confirmation, and NHP toxicology (variant-level or platform-level evidence counts). "
        "An in-silico nomination alone (method: in_silico, or a `basket offtargets` file) is partial: the "
        "nomination needs an experimental method too (e.g. ONE-seq, CHANGE-seq-BE, GUIDE-seq).",
        (Requirement("in-vivo or patient-cell editing", ("humanized_mouse", "patient_cells_editing"),
                     ("variant",)),
         Requirement("off-target confirmation", ("off_target_confirmation",), ("variant",)),
         Requirement("NHP toxicology", ("nhp_toxicology",), ("variant", "platform"))),
        ("off_target_nominated_experimentally",),
    ),
    5: Rule(
        5,
        "Not yet applicable before dosing (variant or a carrier patient dosed / in follow-up); afterwards met "
        "with clinical follow-up evidence (clinical_follow_up).",
        (Requirement("clinical follow-up", ("clinical_follow_up",), ("variant",)),),
        applies_after_dosing=True,
    ),
}

# Evidence kinds that are listed under an element without being a requirement of it.
LISTED_KINDS: dict[int, tuple[str, ...]] = {3: ("natural_history",)}
# Requirements judged inside a condition (which looks further than kind and status), by element.
OFF_TARGET_NOMINATION = Requirement("off-target nomination", ("off_target_nomination",), ("variant",))
CONDITION_REQUIREMENTS: dict[int, tuple[Requirement, ...]] = {4: (OFF_TARGET_NOMINATION,)}


def _all_requirements() -> list[tuple[int, Requirement]]:
    return ([(rule.element, r) for rule in RULES.values() for r in rule.requirements]
            + [(element, r) for element, rs in CONDITION_REQUIREMENTS.items() for r in rs])


def kind_elements() -> dict[str, set[int]]:
    """Evidence kind -> the elements where it counts (used to warn about misfiled evidence)."""
    found: dict[str, set[int]] = {}
    for element, requirement in _all_requirements():
        for kind in requirement.kinds:
            found.setdefault(kind, set()).add(element)
    for element, kinds in LISTED_KINDS.items():
        for kind in kinds:
            found.setdefault(kind, set()).add(element)
    return found


@dataclass(frozen=True)
class Finding:
    """The verdict on one requirement or condition."""

    name: str
    state: str  # met | partial | missing
    missing: str | None = None
    evidence: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ElementStatus:
    element: int
    title: str
    status: str
    rule: str
    missing: list[str]
    evidence: list[str]
    flags: list[str]

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Gate:
    passed: bool
    failures: list[str]


@dataclass(frozen=True)
class VariantReadiness:
    variant: str
    gene: str
    disease: str | None
    status: str
    submit: bool
    classification: str
    in_umbrella: bool
    elements: dict[int, ElementStatus]
    gate: Gate

    @property
    def must_pass(self) -> bool:
        """Marked for submission, or already submitted or later."""
        return self.submit or VARIANT_STATUSES.index(self.status) >= VARIANT_STATUSES.index(MUST_PASS_FROM)

    @property
    def blocking(self) -> bool:
        return self.must_pass and not self.gate.passed

    def to_dict(self) -> dict:
        data = asdict(self)
        data["elements"] = {str(k): v for k, v in data["elements"].items()}
        data["must_pass"] = self.must_pass
        data["blocking"] = self.blocking
        return data


@dataclass(frozen=True)
class Readiness:
    umbrella: str
    variants: list[VariantReadiness]
    documents: dict[str, DocumentFlag]
    natural_history: dict[str, NaturalHistoryCheck]
    warnings: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[VariantReadiness]:
        return [v for v in self.variants if v.blocking]

    def get(self, variant_id: str) -> VariantReadiness:
        for item in self.variants:
            if item.variant == variant_id:
                return item
        raise KeyError(variant_id)

    def to_dict(self) -> dict:
        return {
            "umbrella": self.umbrella,
            "rules": {str(n): {"title": r.title, "rule": r.text} for n, r in RULES.items()},
            "common_rule": COMMON_RULE,
            "variants": [v.to_dict() for v in self.variants],
            "documents": {k: asdict(v) for k, v in sorted(self.documents.items())},
            "natural_history": {k: asdict(v) for k, v in sorted(self.natural_history.items())},
            "warnings": self.warnings,
            "blocking": [v.variant for v in self.blocking],
        }


@dataclass(frozen=True)
class Context:
    """What the rules look at for one variant."""

    program: Program
    variant: Variant
    plan: VariantPlan
    evidence: list[Evidence]
    flags: dict[str, DocumentFlag]
    natural_history: NaturalHistoryCheck | None
    root: Path  # the program directory, where evidence documents are


def assess(loaded: LoadedProgram, plan: Plan) -> Readiness:
    """Readiness of every variant in `plan` (the plan may be a selection), with the program's load
    warnings (dosing recorded on one side only, windows too narrow) among its warnings."""
    readiness = assess_program(loaded.program, loaded.root, plan)
    readiness.warnings.extend(str(_relative(problem, loaded.root)) for problem in loaded.warnings)
    return readiness


def _relative(problem: Problem, root: Path) -> Problem:
    """The problem with its file named from the program directory, as documents name inputs."""
    path = Path(problem.file)
    return replace(problem, file=path.relative_to(root).as_posix()) if path.is_relative_to(root) else problem


def assess_program(program: Program, root: Path, plan: Plan) -> Readiness:
    flags = check_documents(program, root)
    histories = {d.id: check_natural_history(d) for d in program.diseases}
    variants = []
    for item in plan.variants:
        variant = program.variants_by_id[item.variant]
        context = Context(program, variant, item, _evidence_of(program, variant, item), flags,
                          histories.get(item.disease) if item.disease else None, root)
        elements = {number: judge_element(rule, context) for number, rule in RULES.items()}
        variants.append(VariantReadiness(
            variant=variant.id, gene=variant.gene, disease=item.disease, status=variant.status,
            submit=variant.submit, classification=item.classification, in_umbrella=item.in_umbrella,
            elements=elements, gate=judge_gate(program, item, elements),
        ))
    return Readiness(program.umbrella.id, variants, flags, histories, _warnings(program))


def _evidence_of(program: Program, variant: Variant, item: VariantPlan) -> list[Evidence]:
    subjects = [f"variant:{variant.id}", f"gene:{variant.gene}", f"platform:{program.platform.id}"]
    if item.disease:
        subjects.append(f"disease:{item.disease}")
    return [e for s in subjects for e in program.evidence_for(s)]


def judge_element(rule: Rule, context: Context) -> ElementStatus:
    listed = [e.id for e in context.evidence if e.kind in LISTED_KINDS.get(rule.element, ())]
    if rule.applies_after_dosing and not _dosed(context):
        used = [e.id for r in rule.requirements for e in _matching(r, context)]
        return ElementStatus(rule.element, rule.title, NOT_YET, rule.text, [], used + listed, [])
    findings = [judge_requirement(r, context) for r in rule.requirements]
    findings += [CONDITIONS[name](context) for name in rule.conditions]
    findings += _listed_findings(listed, context)
    states = {f.state for f in findings}
    if states <= {MET}:
        status = MET
    elif states <= {MISSING}:
        status = MISSING
    else:
        status = PARTIAL
    evidence = sorted({e for f in findings for e in f.evidence} | set(listed))
    return ElementStatus(
        rule.element, rule.title, status, rule.text,
        missing=[f.missing for f in findings if f.state != MET and f.missing],
        evidence=evidence,
        flags=sorted({flag for f in findings for flag in f.flags}),
    )


def judge_requirement(requirement: Requirement, context: Context) -> Finding:
    candidates = _matching(requirement, context)
    if not candidates:
        kinds = " or ".join(requirement.kinds)
        scopes = " or ".join(requirement.scopes)
        return Finding(requirement.name, MISSING, f"{requirement.name}: no {kinds} evidence about the {scopes}")
    flags = tuple(context.flags[e.id].message for e in candidates
                  if e.id in context.flags and context.flags[e.id].downgrades)
    good = [e for e in candidates if e.status == "complete" and not _downgraded(e, context)]
    if good:
        return Finding(requirement.name, MET, None, tuple(e.id for e in good), flags)
    reasons = []
    for e in candidates:
        if e.status != "complete":
            reasons.append(f"{e.id} is {e.status}")
        if _downgraded(e, context):
            reasons.append(f"{e.id}: {context.flags[e.id].message}")
    return Finding(requirement.name, PARTIAL, f"{requirement.name}: {'; '.join(reasons)}",
                   tuple(e.id for e in candidates), flags)


def _matching(requirement: Requirement, context: Context) -> list[Evidence]:
    return [e for e in context.evidence
            if e.kind in requirement.kinds and e.subject.partition(":")[0] in requirement.scopes]


def _downgraded(item: Evidence, context: Context) -> bool:
    flag = context.flags.get(item.id)
    return flag is not None and flag.downgrades


def _listed_findings(listed: list[str], context: Context) -> list[Finding]:
    """Listed (non-requirement) evidence with a missing or changed document still makes the element partial."""
    return [Finding(item, PARTIAL, f"{item}: {context.flags[item].message}", (item,),
                    (context.flags[item].message,))
            for item in listed if item in context.flags and context.flags[item].downgrades]


def _dosed(context: Context) -> bool:
    if context.variant.status in DOSED_STATUSES:
        return True
    return any(p.status in DOSED_STATUSES for p in context.program.patients_by_variant.get(context.variant.id, []))


def _off_target_nominated_experimentally(context: Context) -> Finding:
    """Off-target nomination, told apart by method: computed sites are candidates, not evidence that
    the editor leaves them alone, so an in-silico nomination alone leaves the requirement partial."""
    found = judge_requirement(OFF_TARGET_NOMINATION, context)
    if found.state != MET:
        return found
    computed = [e for e in _matching(OFF_TARGET_NOMINATION, context) if e.id in found.evidence
                and is_in_silico(e, context.root)]
    if len(computed) < len(found.evidence):
        return found
    names = ", ".join(e.id for e in computed)
    return Finding(found.name, PARTIAL, f"off-target nomination: in silico only ({names}); an experimental "
                   "nomination (e.g. ONE-seq, CHANGE-seq-BE, GUIDE-seq) is still needed", found.evidence, found.flags)


def is_in_silico(item: Evidence, root: Path) -> bool:
    """An in-silico nomination: said so (method: in_silico), or its document is a `basket offtargets` file."""
    if item.method is not None:
        return item.method == "in_silico"
    if item.document is None:
        return False
    from basket.offtargets.report import is_nomination_file

    return is_nomination_file(root / item.document)


def _classified_pathogenic(context: Context) -> Finding:
    recorded = context.variant.classification
    if recorded in PATHOGENIC:
        return Finding("classification", MET)
    return Finding("classification", MISSING,
                   f"classification pathogenic or likely pathogenic (recorded: {recorded or 'none'})")


UNVERIFIED_WINDOW = ("guide designed on a sequence window not verified against a reference genome "
                     "(name the program's reference, or pass --fasta)")


def _platform_correctable(context: Context) -> Finding:
    plan = context.plan
    if plan.classification == "platform":
        flags = (UNVERIFIED_WINDOW,) if plan.sequence == "unverified" else ()
        return Finding("platform correctable", MET, flags=flags)
    return Finding("platform correctable", MISSING,
                   f"correctable by the platform editor (plan: {plan.classification}; {plan.reason})")


def _natural_history_adequate(context: Context) -> Finding:
    check = context.natural_history
    if check is None:
        return Finding("natural history", MISSING, "natural history: the variant has no disease")
    if check.adequate:
        return Finding("natural history", MET, None, tuple(check.entries))
    disease = context.program.diseases_by_id[check.disease]
    state = PARTIAL if disease.natural_history else MISSING
    has_evidence = any(e.kind == "natural_history" for e in context.evidence)
    if state == MISSING and has_evidence:
        state = PARTIAL
    return Finding("natural history", state, "natural history inadequate: " + "; ".join(check.missing))


CONDITIONS: dict[str, Callable[[Context], Finding]] = {
    "classified_pathogenic": _classified_pathogenic,
    "platform_correctable": _platform_correctable,
    "natural_history_adequate": _natural_history_adequate,
    "off_target_nominated_experimentally": _off_target_nominated_experimentally,
}


def judge_gate(program: Program, plan: VariantPlan, elements: dict[int, ElementStatus]) -> Gate:
    failures = [f"element {n} ({elements[n].title}) is {elements[n].label}"
                for n in GATE_ELEMENTS if elements[n].status != MET]
    covered = plan.disease is not None and plan.disease in program.umbrella.diseases
    if not covered:
        failures.append("disease not covered by the umbrella")
    if plan.classification != "platform":
        failures.append(f"not correctable by the platform (classification {plan.classification})")
    # "adequate natural history" is element 3's rule: its failure is already listed above.
    return Gate(not failures, failures)


def _warnings(program: Program) -> list[str]:
    """Evidence filed where no rule can use it (wrong element, or a subject the kind cannot count for)."""
    where = kind_elements()
    scopes: dict[str, set[str]] = {}
    for _, requirement in _all_requirements():
        for kind in requirement.kinds:
            scopes.setdefault(kind, set()).update(requirement.scopes)
    scopes.setdefault("natural_history", set()).add("disease")
    warnings = []
    for item in program.evidence:
        if item.kind == "other":
            continue
        if item.element not in where[item.kind]:
            allowed = ", ".join(str(n) for n in sorted(where[item.kind]))
            warnings.append(f"evidence {item.id}: kind {item.kind} counts for element {allowed}, "
                            f"not {item.element}")
        subject_kind = item.subject.partition(":")[0]
        if subject_kind not in scopes[item.kind]:
            warnings.append(f"evidence {item.id}: {item.kind} about a {subject_kind} is not used by any rule "
                            f"(accepted: {', '.join(sorted(scopes[item.kind]))})")
    return warnings
