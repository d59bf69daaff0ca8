"""Compare two versions of a program (or two render manifests) for change control.

Programs: every object is keyed (variants, evidence and patients by id, genes by
symbol, platform components and natural-history entries by id, ...); a change
is an added, removed or modified object with field-level differences. Each
change is placed in the ICH M11 section it amends, given a reason it matters,
and traced through the program graph (`basket.graph.build.dependents`) to the
appendices (variants inside the umbrella) and patients it affects, in the old
and the new version. Plan consequences (a variant moving in or out of the
umbrella) and readiness consequences (an element or the gate changing) are
listed too.

Manifests: inputs and outputs whose sha256 was added, removed or changed;
changed outputs under `appendices/` name their appendix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from basket.foundation.text_tables import format_number
from basket.graph.impact import dependents
from basket.graph.lookup import UnknownNode
from basket.program.load import LoadedProgram, load_program
from basket.program.model import ELEMENTS, Program
from basket.usdm.object_changes import UsdmChange

M11 = {
    "title": "Title page and 1 Protocol Summary",
    "design": "4 Trial Design",
    "purpose": "2 Introduction",
    "population": "5 Trial Population",
    "coverage": "5 Trial Population (diseases covered)",
    "objectives": "3 Trial Objectives and Associated Estimands",
    "intervention": "6 Trial Intervention and Concomitant Therapy",
    "schedule": "1.3 Schedule of Activities",
    "safety": "8 Trial Assessments and Procedures (safety)",
    "statistics": "10 Statistical Considerations",
    "discontinuation": "7 Participant Discontinuation of Trial Intervention and Discontinuation or Withdrawal from Trial",
    "oversight": "11 Trial Oversight and Other General Considerations",
    "natural_history": "2 Introduction and 10 Statistical Considerations (natural-history external control)",
    "background": "2 Introduction (disease background)",
    "participants": "none (participant records, not protocol text)",
}
UMBRELLA_SECTIONS = {
    "design": "design", "purpose": "purpose", "population": "population", "diseases": "coverage",
    "objectives": "objectives", "dosing": "intervention", "platform": "intervention", "schedule": "schedule",
    "safety": "safety", "statistics": "statistics", "sample_size": "statistics", "discontinuation": "discontinuation",
    "oversight": "oversight",
}
VARIANT_WHY = {
    "hgvs_c": "the molecular cause (element 1) and the guide design (element 2)",
    "hgvs_g": "the genomic position used for guide design (element 2)",
    "hgvs_p": "the described protein consequence (element 1)",
    "window": "the reference sequence used for guide design and bystander analysis (element 2)",
    "gene": "the molecular cause and the basket (elements 1 and 3)",
    "disease": "basket membership and the natural-history comparator (element 3)",
    "classification": "pathogenicity (element 1)",
    "consequence": "the described consequence (element 1)",
    "clinvar": "the pathogenicity record (element 1)",
    "grna": "the variant-specific product (gRNA)",
    "eligibility": "variant-specific eligibility",
    "dosing": "variant-specific dosing",
    "schedule": "the variant-specific schedule of activities",
    "status": "the workflow status (no protocol text)",
    "submit": "whether the entry gate is enforced for the variant",
}
SECTION_NAMES = {
    "umbrella": "master protocol", "platform": "platform", "components": "platform component",
    "editors": "editor", "diseases": "disease", "natural_history": "natural history", "genes": "gene",
    "variants": "variant", "patients": "patient", "evidence": "evidence",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    kind: str  # a key of SECTION_NAMES
    key: str
    action: str  # added | removed | modified
    fields: list[FieldChange]
    section: str  # ICH M11 section amended
    description: str
    why: str
    appendices: list[str]
    patients: list[str]


@dataclass(frozen=True)
class ProgramDiff:
    mode: str  # "programs" or "manifests"
    old: str
    new: str
    old_version: str
    new_version: str
    changes: list[Change]
    plan_changes: list[str] = field(default_factory=list)
    readiness_changes: list[str] = field(default_factory=list)
    usdm_changes: list[UsdmChange] = field(default_factory=list)  # objects of the two USDM exports
    usdm_note: str = ""  # why USDM objects were not compared, when they were not

    @property
    def empty(self) -> bool:
        return not (self.changes or self.plan_changes or self.readiness_changes or self.usdm_changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- objects and field differences ---------------------------------------------------------------


def keyed_objects(program: Program) -> dict[str, dict[str, dict[str, Any]]]:
    """kind -> key -> plain data, for every object a change can touch."""
    dump = program.model_dump(mode="json", exclude_defaults=False)
    platform = dict(dump["platform"])
    components = platform.pop("components")
    diseases, histories = {}, {}
    for disease in dump["diseases"]:
        disease = dict(disease)
        for history in disease.pop("natural_history"):
            histories[history["id"]] = {"disease": disease["id"], **history}
        diseases[disease["id"]] = disease
    return {
        "umbrella": {"umbrella": dump["umbrella"]},
        "platform": {platform["id"]: platform},
        "components": {c["id"]: c for c in components},
        "editors": {e["name"]: e for e in dump["editors"]},
        "diseases": diseases,
        "natural_history": histories,
        "genes": {g["symbol"]: g for g in dump["genes"]},
        "variants": {v["id"]: v for v in dump["variants"]},
        "patients": {p["id"]: p for p in dump["patients"]},
        "evidence": {e["id"]: e for e in dump["evidence"]},
    }


def field_changes(old: Any, new: Any, prefix: str = "") -> list[FieldChange]:
    """Differences between two plain values, by dotted field path (lists compared whole)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            path = f"{prefix}.{key}" if prefix else key
            found += field_changes(old.get(key), new.get(key), path)
        return found
    return [] if old == new else [FieldChange(prefix, old, new)]


# --- the program diff ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    loaded: LoadedProgram
    graph: Any
    inside: set[str]
    plan: Any
    readiness: Any


def _version(directory: Path) -> _Version:
    from basket.evidence.readiness_rules import assess
    from basket.graph.build import program_graph
    from basket.plan.umbrella_decision import checked_plan

    loaded = load_program(directory)
    plan = checked_plan(loaded)
    return _Version(loaded, program_graph(loaded, plan), {v.variant for v in plan.inside}, plan,
                    assess(loaded, plan))


def diff_programs(old_dir: Path, new_dir: Path, usdm: bool = True) -> ProgramDiff:
    """The changes from `old_dir` to `new_dir`; `usdm=False` skips comparing their USDM exports (the
    documents' version history shows protocol sections only)."""
    old, new = _version(old_dir), _version(new_dir)
    before, after = keyed_objects(old.loaded.program), keyed_objects(new.loaded.program)
    changes: list[Change] = []
    for kind in SECTION_NAMES:
        a, b = before[kind], after[kind]
        for key in sorted(set(a) | set(b)):
            if key not in b:
                changes.append(_change(kind, key, "removed", [], a[key], old, new))
            elif key not in a:
                changes.append(_change(kind, key, "added", [], b[key], old, new))
            else:
                fields = field_changes(a[key], b[key])
                if fields and kind == "umbrella":
                    changes += _umbrella_changes(fields, old, new)
                elif fields:
                    changes.append(_change(kind, key, "modified", fields, b[key], old, new))
    usdm_changes, usdm_note = _usdm_changes(old, new) if usdm else ([], "")
    return ProgramDiff(
        "programs", str(old_dir), str(new_dir),
        old.loaded.program.umbrella.protocol_version, new.loaded.program.umbrella.protocol_version,
        changes, _plan_changes(old, new), _readiness_changes(old, new), usdm_changes, usdm_note,
    )


def _usdm_changes(old: _Version, new: _Version) -> tuple[list[UsdmChange], str]:
    """The USDM objects (`basket export usdm`) that differ, when both versions can be expressed in USDM."""
    from basket.usdm.terminology import USDM4_INSTALL, usdm4_installed

    if not usdm4_installed():
        return [], f"USDM objects are not compared: the usdm4 package is not installed (`{USDM4_INSTALL}`)."
    from basket.usdm.object_changes import usdm_changes
    from basket.usdm.requirements import missing_for_usdm
    from basket.usdm.serialization import study_json
    from basket.usdm.study_builder import study_of

    lacking = [name for name, version in (("old", old), ("new", new))
               if missing_for_usdm(version.loaded, version.plan)]
    if lacking:
        return [], (f"USDM objects are not compared: the {' and the '.join(lacking)} version cannot be expressed "
                    "as a USDM study (`basket export usdm` lists what it lacks).")
    studies = [study_json(study_of(version.loaded, version.plan)) for version in (old, new)]
    return usdm_changes(*studies), ""


def _node(kind: str, key: str, version: _Version) -> str | None:
    program = version.loaded.program
    if kind == "editors":
        return f"platform:{program.platform.id}" if key == program.platform.editor else None
    prefix = {"components": "component", "natural_history": "natural_history", "genes": "gene",
              "variants": "variant", "patients": "patient", "evidence": "evidence", "diseases": "disease",
              "platform": "platform"}.get(kind)
    return f"{prefix}:{key}" if prefix else None


def _affected(kind: str, key: str, versions: Iterable[_Version]) -> tuple[list[str], list[str]]:
    appendices: set[str] = set()
    patients: set[str] = set()
    for version in versions:
        node = _node(kind, key, version)
        if node is None or node not in version.graph:
            continue
        try:
            reached = dependents(version.graph, node) | {node}
        except UnknownNode:  # pragma: no cover - checked above
            continue
        for other in reached:
            attrs = version.graph.nodes[other]
            if attrs["kind"] == "variant" and attrs["label"] in version.inside:
                appendices.add(attrs["label"])
            elif attrs["kind"] == "patient":
                patients.add(attrs["label"])
    return sorted(appendices), sorted(patients)


def _change(kind: str, key: str, action: str, fields: list[FieldChange], data: dict[str, Any],
            old: _Version, new: _Version) -> Change:
    versions = [v for v, present in ((old, action != "added"), (new, action != "removed")) if present]
    appendices, patients = _affected(kind, key, versions)
    section, why = _section_and_why(kind, key, action, fields, data, appendices)
    return Change(kind, key, action, fields, section, _describe(kind, key, action, fields), why,
                  appendices, patients)


def _umbrella_changes(fields: list[FieldChange], old: _Version, new: _Version) -> list[Change]:
    """One row per amended M11 section of the master protocol."""
    groups: dict[str, list[FieldChange]] = {}
    for change in fields:
        top = change.field.split(".")[0]
        groups.setdefault(UMBRELLA_SECTIONS.get(top, "title"), []).append(change)
    rows = []
    for section, group in groups.items():
        if section == "coverage":
            moved = _coverage_variants(group, old, new)
            appendices, why = moved, ("Changes which diseases, and so which variants, the umbrella covers; "
                                      "variants of an added or removed disease enter or leave the umbrella.")
        else:
            appendices = sorted(old.inside | new.inside)
            why = ("Master-protocol text that every intervention-specific appendix refers to."
                   if section != "title" else "Identification of the master protocol, cited by every appendix.")
        patients = sorted({p.id for v in (old, new) for p in v.loaded.program.patients
                           if any(allele.variant in appendices for allele in p.genotype)})
        rows.append(Change("umbrella", "umbrella", "modified", group, M11[section],
                           _describe("umbrella", "", "modified", group), why, appendices, patients))
    return rows


def _coverage_variants(group: list[FieldChange], old: _Version, new: _Version) -> list[str]:
    change = group[0]
    touched = set(change.old or []) ^ set(change.new or [])
    found = set()
    for version in (old, new):
        program = version.loaded.program
        for variant in program.variants:
            disease = program.disease_of(variant)
            if disease is not None and disease.id in touched:
                found.add(variant.id)
    return sorted(found)


def _section_and_why(kind: str, key: str, action: str, fields: list[FieldChange], data: dict[str, Any],
                     appendices: list[str]) -> tuple[str, str]:
    reach = ("affects no appendix inside the umbrella" if not appendices else
             "affects 1 appendix" if len(appendices) == 1 else f"affects {len(appendices)} appendices")
    if kind in ("platform", "components", "editors"):
        shared = data.get("shared", True)
        what = {"platform": "The shared platform", "editors": "The platform's editor definition",
                "components": "A shared platform component" if shared else
                "The variant-specific component template"}[kind]
        if kind == "editors" and not appendices:
            return M11["intervention"], "An editor the platform does not use: no appendix is affected."
        detail = ("guide design, if its PAM or window changed, and the product description" if kind == "editors"
                  else "product description and quality, nonclinical bridging")
        return M11["intervention"], f"{what} is part of every variant's product ({detail}); {reach}."
    if kind == "variants":
        if action == "added":
            return f"Intervention Specific Appendix {key}", (
                "New variant: a new appendix." if appendices else "New variant, outside the umbrella: no appendix.")
        if action == "removed":
            return f"Intervention Specific Appendix {key}", "Variant withdrawn: its appendix and patients are affected."
        reasons = sorted({VARIANT_WHY.get(f.field.split(".")[0], "supporting text and citations") for f in fields})
        return f"Intervention Specific Appendix {key}", "Changes " + "; ".join(reasons) + f"; {reach}."
    if kind == "evidence":
        subject = data.get("subject", "")
        element = data.get("element")
        title = ELEMENTS.get(element, "")
        section = {"variant": f"Intervention Specific Appendix {subject.partition(':')[2]} (nonclinical and "
                              f"clinical evidence)",
                   "platform": M11["intervention"] + " (platform nonclinical evidence)",
                   "disease": M11["background"],
                   "gene": "Intervention Specific Appendices of the gene's variants"}[subject.partition(":")[0]]
        document = any(f.field in ("document", "sha256") for f in fields)
        why = f"Evidence for element {element} ({title}) about {subject}: readiness may change"
        if document:
            why += "; the supporting document or its hash changed: re-review it"
        return section, why + f"; {reach}."
    if kind == "natural_history":
        return M11["natural_history"], (f"External-control baseline for {data.get('disease')} (element 3): "
                                        f"natural-history adequacy and comparators; {reach}.")
    if kind == "diseases":
        tops = {f.field.split(".")[0] for f in fields}
        if tops and tops <= {"endpoints", "biomarkers"}:
            return M11["objectives"], f"Endpoints or biomarkers of the basket; {reach}."
        return M11["population"], f"Definition of the disease basket (genes, identifiers); {reach}."
    if kind == "genes":
        return f"Intervention Specific Appendices of {key} variants", (
            f"Gene reference (transcript, strand, chromosome) used for HGVS mapping and guide design; {reach}.")
    return M11["participants"], "Participant record; amends no protocol text."


def _describe(kind: str, key: str, action: str, fields: list[FieldChange]) -> str:
    name = SECTION_NAMES[kind]
    if kind == "umbrella":
        name, key = "master protocol", ""
    if action != "modified":
        return f"{action.capitalize()} {name} {key}."
    parts = [f"{f.field}: {_short(f.old)} → {_short(f.new)}" for f in fields]
    return f"Modified {name}{' ' + key if key else ''}: " + "; ".join(parts) + "."


def _short(value: Any, width: int = 60) -> str:
    if value is None or value == [] or value == {}:
        return "(none)"
    text = " ".join(_plain(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plain(value: Any) -> str:
    """A value as the program wrote it: numbers as entered (1234567, not 1234567.0), lists and
    mappings without Python's quotes, fields left empty left out."""
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list):
        return "[" + ", ".join(_plain(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_plain(item)}" for key, item in value.items() if item is not None) + "}"
    return str(value)


def _plan_changes(old: _Version, new: _Version) -> list[str]:
    lines = []
    before = {v.variant: v for v in old.plan.variants}
    for item in new.plan.variants:
        prior = before.get(item.variant)
        if prior is None:
            continue
        if prior.in_umbrella != item.in_umbrella or prior.classification != item.classification:
            where = "now inside the umbrella" if item.in_umbrella else (
                "now outside the umbrella" if prior.in_umbrella else "still outside the umbrella")
            lines.append(f"{item.variant}: {where} (classification {prior.classification} → {item.classification})")
    return lines


def _readiness_changes(old: _Version, new: _Version) -> list[str]:
    from basket.evidence.readiness_rules import STATUS_LABELS

    lines = []
    before = {v.variant: v for v in old.readiness.variants}
    for item in new.readiness.variants:
        prior = before.get(item.variant)
        if prior is None:
            continue
        for number, element in item.elements.items():
            was = prior.elements[number].status
            if was != element.status:
                lines.append(f"{item.variant}: element {number} {STATUS_LABELS[was]} → {element.label}")
        if prior.gate.passed != item.gate.passed:
            lines.append(f"{item.variant}: entry gate {'pass' if prior.gate.passed else 'fail'} → "
                         f"{'pass' if item.gate.passed else 'fail'}")
    return lines


# --- manifests ----------------------------------------------------------------------------------


def diff_manifests(old_path: Path, new_path: Path) -> ProgramDiff:
    from basket.changes.output_verification import read_manifest_file

    old, new = read_manifest_file(old_path), read_manifest_file(new_path)
    changes = []
    for section, label in (("inputs", "program input"), ("outputs", "rendered output")):
        a, b = old[section], new[section]
        for name in sorted(set(a) | set(b)):
            action = "added" if name not in a else "removed" if name not in b else (
                "modified" if a[name] != b[name] else None)
            if action is None:
                continue
            appendix = _appendix_of(name) if section == "outputs" else None
            why = ("Program file: diff the two program versions for what changed and why it matters."
                   if section == "inputs" else
                   f"Rendered appendix {appendix}." if appendix else "Rendered master-protocol document.")
            fields = [FieldChange("sha256", a.get(name), b.get(name))]
            changes.append(Change(section, name, action, fields, f"{label}: {name}",
                                  f"{action.capitalize()} {label} {name}.", why,
                                  [appendix] if appendix else [], []))
    for key in sorted((set(old) | set(new)) - {"inputs", "outputs"}):
        if old.get(key) != new.get(key):
            changes.append(Change("manifest", key, "modified", [FieldChange(key, old.get(key), new.get(key))],
                                  "manifest", f"Manifest {key}: {_short(old.get(key))} → {_short(new.get(key))}.",
                                  "Render settings or program identification.", [], []))
    return ProgramDiff("manifests", str(old_path), str(new_path), str(old.get("protocol_version", "")),
                       str(new.get("protocol_version", "")), changes)


def _appendix_of(name: str) -> str | None:
    parts = name.split("/")
    if len(parts) == 2 and parts[0] == "appendices":
        return parts[1].rsplit(".", 1)[0]
    return None


def manifest_path(path: Path) -> Path | None:
    """The manifest a path stands for: a .json file, or a render directory holding manifest.json."""
    from basket.changes.manifest import MANIFEST_NAME
    from basket.program.load import program_files

    if path.is_file() and path.suffix == ".json":
        return path
    if path.is_dir() and (path / MANIFEST_NAME).is_file() and not program_files(path):
        return path / MANIFEST_NAME
    return None


def diff_paths(old: Path, new: Path) -> ProgramDiff:
    """Programs or manifests, decided by what the two paths are; InputError when they differ in kind."""
    from basket.foundation.problems import InputError, Problem

    old_manifest, new_manifest = manifest_path(old), manifest_path(new)
    if (old_manifest is None) != (new_manifest is None):
        raise InputError([Problem(f"{old} {new}", 0, "", "compare two program directories or two manifests "
                                  "(manifest.json files or render directories), not one of each")])
    if old_manifest is not None and new_manifest is not None:
        return diff_manifests(old_manifest, new_manifest)
    return diff_programs(old, new)
