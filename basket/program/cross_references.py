"""Cross-reference checks across a validated program.

Single objects are valid by construction (pydantic); here we check that they
fit together: ids are unique, references resolve, variants belong under the
umbrella's diseases, documents stay inside the program directory, and each
variant's HGVS and sequence agree.

The program may be partial (some items failed validation, the umbrella or the platform may be
missing: `basket.program.load`); `Unchecked` says what was left out, and a reference into it is
not reported as unknown.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from basket.foundation.problems import Problem
from basket.program.model import Program
from basket.program.unchecked import Unchecked

Report = Callable[[tuple[object, ...], str], Problem]


NOTHING_UNCHECKED = Unchecked()


def check_program(program: Program, root: Path, report: Report,
                  unchecked: Unchecked = NOTHING_UNCHECKED) -> list[Problem]:
    checks = (
        _duplicates,
        _umbrella_refs,
        _objective_endpoints,
        _disease_genes,
        _natural_history,
        _variant_refs,
        _patient_refs,
        _evidence_refs,
    )
    problems = [problem for check in checks for problem in check(program, report, unchecked)]
    problems += list(_document_paths(program, root, report))
    from basket.program.sequence_checks import check_variant_sequences

    problems += check_variant_sequences(program, report)
    return problems


DOSED = ("dosed", "follow_up")


def program_warnings(program: Program, locator) -> list[Problem]:
    """What loads but looks wrong: dosing recorded on one side only, windows too narrow for the editors."""
    from basket.program.sequence_checks import narrow_window_warnings

    return list(_dosing_disagreements(program, locator.problem)) + narrow_window_warnings(program, locator.problem)


def _dosing_disagreements(program: Program, report: Report) -> Iterator[Problem]:
    """A variant dosed while none of the patients carrying it is (or the other way round)."""
    for index, variant in enumerate(program.variants):
        carriers = program.patients_by_variant.get(variant.id, [])
        if variant.status in DOSED and carriers and not any(p.status in DOSED for p in carriers):
            statuses = ", ".join(f"{p.id} is {p.status}" for p in carriers)
            yield report(("variants", index, "status"),
                         f"{variant.id} is {variant.status} but no patient carrying it is dosed ({statuses}); "
                         "update the patient's status, or the variant's")
    for index, patient in enumerate(program.patients):
        variants = [program.variants_by_id[a.variant] for a in patient.genotype if a.variant in program.variants_by_id]
        if patient.status in DOSED and variants and not any(v.status in DOSED for v in variants):
            statuses = ", ".join(dict.fromkeys(f"{v.id} is {v.status}" for v in variants))
            yield report(("patients", index, "status"),
                         f"{patient.id} is {patient.status} but none of the variants it carries is dosed "
                         f"({statuses}); update the variant's status (`basket status`), or the patient's")


def _duplicates(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    keyed: dict[str, Iterable[str]] = {
        "editors": (e.name for e in program.editors),
        "diseases": (d.id for d in program.diseases),
        "genes": (g.symbol for g in program.genes),
        "variants": (v.id for v in program.variants),
        "patients": (p.id for p in program.patients),
        "evidence": (e.id for e in program.evidence),
    }
    for section, keys in keyed.items():
        keys = list(keys)
        repeated = {key for key, count in Counter(keys).items() if count > 1}
        seen: set[str] = set()
        for index, key in enumerate(keys):
            if key in repeated:
                if key in seen:
                    field = "name" if section == "editors" else "symbol" if section == "genes" else "id"
                    yield report((section, index, field), f"duplicate id {key!r}")
                seen.add(key)


def _umbrella_refs(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    umbrella, platform = program.umbrella, program.platform
    if umbrella is not None and platform is not None and umbrella.platform != platform.id:
        yield report(("umbrella", "platform"), f"unknown platform {umbrella.platform!r} "
                     f"(the program's platform is {platform.id!r})")
    known = program.diseases_by_id
    for index, disease_id in enumerate(umbrella.diseases if umbrella is not None else ()):
        if disease_id not in known and not unchecked.may_hold("diseases", disease_id):
            yield report(("umbrella", "diseases", index), f"unknown disease {disease_id!r}")
    if platform is not None and platform.editor not in program.editors_by_name \
            and not unchecked.may_hold("editors", platform.editor):
        yield report(("platform", "editor"), f"unknown editor {program.platform.editor!r}: define it under "
                     "`editors:` or use a built-in one (`basket editors`)")


def _objective_endpoints(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    """An objective names the disease endpoints that measure it; a misspelt name would print as is."""
    if program.umbrella is None or unchecked.touches("diseases"):  # the endpoints are not all known
        return
    covered = [program.diseases_by_id[d] for d in program.umbrella.diseases if d in program.diseases_by_id]
    known = sorted({endpoint.name for disease in covered for endpoint in disease.endpoints})
    choices = (f"the umbrella's diseases define {', '.join(known)}" if known
               else "the umbrella's diseases define no endpoints (diseases[].endpoints)")
    for o_index, objective in enumerate(program.umbrella.objectives):
        for e_index, name in enumerate(objective.endpoints):
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                yield report(("umbrella", "objectives", o_index, "endpoints", e_index),
                             f"unknown endpoint {name!r}; {hint}{choices}")


def _disease_genes(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    for d_index, disease in enumerate(program.diseases):
        for g_index, symbol in enumerate(disease.genes):
            if symbol not in program.genes_by_symbol and not unchecked.may_hold("genes", symbol):
                yield report(("diseases", d_index, "genes", g_index), f"unknown gene {symbol!r}")


def _natural_history(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    """A study may describe several diseases (same id, same content); one id, two contents is an error."""
    seen: dict[str, object] = {}
    for d_index, disease in enumerate(program.diseases):
        measures = {m.name for h in disease.natural_history for m in h.measures}
        for h_index, history in enumerate(disease.natural_history):
            first = seen.setdefault(history.id, history)
            if first != history:
                yield report(("diseases", d_index, "natural_history", h_index, "id"),
                             f"natural history {history.id!r} is defined twice with different content")
        for e_index, endpoint in enumerate(disease.endpoints):
            if endpoint.comparator is not None and endpoint.comparator not in measures:
                yield report(("diseases", d_index, "endpoints", e_index, "comparator"),
                             f"no natural-history measure named {endpoint.comparator!r} for {disease.id}")


def _variant_refs(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    # which diseases a gene causes, and which are covered, is only known when nothing of either was left out
    coverage_known = program.umbrella is not None and not unchecked.touches("diseases")
    covered = set(program.umbrella.diseases) if program.umbrella is not None else set()
    for index, variant in enumerate(program.variants):
        gene = program.genes_by_symbol.get(variant.gene)
        if gene is None:
            if not unchecked.may_hold("genes", variant.gene):
                yield report(("variants", index, "gene"), f"unknown gene {variant.gene!r}")
            continue
        if variant.disease is not None:
            disease = program.diseases_by_id.get(variant.disease)
            if disease is None:
                if not unchecked.may_hold("diseases", variant.disease):
                    yield report(("variants", index, "disease"), f"unknown disease {variant.disease!r}")
            elif variant.gene not in disease.genes:
                yield report(("variants", index, "disease"), f"{variant.gene} is not a gene of {disease.id}")
            continue
        causes = {d.id for d in program.diseases if variant.gene in d.genes}
        if coverage_known and not causes & covered:
            yield report(("variants", index, "gene"),
                         f"gene {variant.gene} causes no disease covered by the umbrella")


def _patient_refs(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    for index, patient in enumerate(program.patients):
        disease = program.diseases_by_id.get(patient.disease)
        if disease is None and not unchecked.may_hold("diseases", patient.disease):
            yield report(("patients", index, "disease"), f"unknown disease {patient.disease!r}")
        for a_index, allele in enumerate(patient.genotype):
            variant = program.variants_by_id.get(allele.variant)
            path = ("patients", index, "genotype", a_index, "variant")
            if variant is None:
                if not unchecked.may_hold("variants", allele.variant):
                    yield report(path, f"patient carries unknown variant {allele.variant!r}")
            elif disease is not None and variant.gene not in disease.genes:
                yield report(path, f"variant {variant.id} is in {variant.gene}, not a gene of {disease.id}")


def _evidence_refs(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    platforms = {program.platform.id: program.platform} if program.platform is not None else {}
    for index, item in enumerate(program.evidence):
        kind, _, key = item.subject.partition(":")
        known = {
            "variant": program.variants_by_id,
            "disease": program.diseases_by_id,
            "gene": program.genes_by_symbol,
            "platform": platforms,
        }[kind]
        section = {"variant": "variants", "disease": "diseases", "gene": "genes", "platform": "platform"}[kind]
        if key not in known and not unchecked.may_hold(section, key):
            yield report(("evidence", index, "subject"), f"unknown {kind} {key!r}")


def _document_paths(program: Program, root: Path, report: Report) -> Iterator[Problem]:
    base = root.resolve()
    for index, item in enumerate(program.evidence):
        if item.document is None:
            continue
        try:
            target = (root / item.document).resolve()
        except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
            yield report(("evidence", index, "document"), f"document path cannot be resolved: {error}")
            continue
        if not target.is_relative_to(base):
            yield report(("evidence", index, "document"),
                         "document path leaves the program directory (directly or through a symbolic link)")
