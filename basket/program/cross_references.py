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
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from basket.foundation.problems import Problem
from basket.program.model import Program
from basket.program.personal_data import personal_data_in, refusal
from basket.program.unchecked import Unchecked

Report = Callable[[tuple[object, ...], str], Problem]


NOTHING_UNCHECKED = Unchecked()


def check_program(program: Program, root: Path, report: Report,
                  unchecked: Unchecked = NOTHING_UNCHECKED) -> list[Problem]:
    checks = (
        _duplicates,
        _editor_text,
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
    problems += list(_recorded_versions(program, root, report))
    from basket.program.sequence_checks import check_variant_sequences

    problems += check_variant_sequences(program, report)
    return problems


DOSED = ("dosed", "follow_up")


def program_warnings(program: Program, locator) -> list[Problem]:
    """What loads but looks wrong: dosing recorded on one side only, windows too narrow for the editors,
    placeholders of `basket init` not yet replaced."""
    from basket.program.scaffold import placeholder_warnings
    from basket.program.sequence_checks import narrow_window_warnings

    return (list(_dosing_disagreements(program, locator.problem)) + narrow_window_warnings(program, locator.problem)
            + placeholder_warnings(program, locator.problem))


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
    """Every list whose items are told apart by a key holds each key once. Keys are compared as a
    reader (or a case-insensitive file system: appendices are files named by variant id) would:
    Unicode-normalized (NFKC), case-folded and with runs of spaces as one."""
    for path, keys, field, what in _keyed_lists(program):
        yield from _repeated(report, [(path + (index,) + ((field,) if field else ()), key)
                                      for index, key in enumerate(keys)], what)
    for index, disease in enumerate(program.diseases):
        # an endpoint's comparator names a measure of any of the disease's natural-history entries
        yield from _repeated(report, [(("diseases", index, "natural_history", h, "measures", m, "name"), measure.name)
                                      for h, history in enumerate(disease.natural_history)
                                      for m, measure in enumerate(history.measures)], "natural-history measure name")


def _repeated(report: Report, entries: list[tuple[tuple[object, ...], str]], what: str) -> Iterator[Problem]:
    first: dict[str, tuple[tuple[object, ...], str]] = {}
    for path, key in entries:
        folded = _fold(key)
        if folded not in first:
            first[folded] = (path, key)
            continue
        earlier_path, earlier_key = first[folded]
        earlier = report(earlier_path, "")
        same = "" if earlier_key == key else f" ({earlier_key!r} differs only in case or spacing)"
        yield report(path, f"duplicate {what} {key!r}{same}: also at line {earlier.line} of {Path(earlier.file).name}")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


KeyedList = tuple[tuple[object, ...], list[str], str | None, str]


def _keyed_lists(program: Program) -> Iterator[KeyedList]:
    """(path of the list, the key of each item, the key's field or None for the item itself, what it is)."""
    yield ("editors",), [e.name for e in program.editors], "name", "editor name"
    yield ("diseases",), [d.id for d in program.diseases], "id", "id"
    yield ("genes",), [g.symbol for g in program.genes], "symbol", "id"
    yield ("variants",), [v.id for v in program.variants], "id", "id"
    yield ("patients",), [p.id for p in program.patients], "id", "id"
    yield ("evidence",), [e.id for e in program.evidence], "id", "id"
    umbrella = program.umbrella
    if program.platform is not None:
        yield ("platform", "components"), [c.id for c in program.platform.components], "id", "component id"
    for index, editor in enumerate(program.editors):
        yield ("editors", index, "pams"), list(editor.pams), None, "PAM"
    for index, disease in enumerate(program.diseases):
        here = ("diseases", index)
        yield here + ("xrefs",), list(disease.xrefs), None, "cross-reference"
        yield here + ("genes",), list(disease.genes), None, "gene"
        yield here + ("biomarkers",), list(disease.biomarkers), None, "biomarker"
        yield here + ("endpoints",), [e.name for e in disease.endpoints], "name", "endpoint name"
        yield here + ("natural_history",), [h.id for h in disease.natural_history], "id", "natural-history id"
    if umbrella is not None:
        yield from _umbrella_lists(umbrella)
    for index, variant in enumerate(program.variants):
        here = ("variants", index)
        yield here + ("eligibility",), [s.text for s in variant.eligibility], "text", "criterion"
        yield from _protocol_lists(here, None, variant.dosing, variant.schedule)


def _umbrella_lists(umbrella) -> Iterator[KeyedList]:
    yield ("umbrella", "diseases"), list(umbrella.diseases), None, "disease"
    yield ("umbrella", "registry"), list(umbrella.registry), None, "registry id"
    yield ("umbrella", "objectives"), [o.text for o in umbrella.objectives], "text", "objective"
    for index, objective in enumerate(umbrella.objectives):
        yield ("umbrella", "objectives", index, "endpoints"), list(objective.endpoints), None, "endpoint"
    yield from _protocol_lists(("umbrella",), umbrella.population, umbrella.dosing, umbrella.schedule)
    for list_name in ("statistics", "discontinuation", "oversight"):
        yield ("umbrella", list_name), [s.text for s in getattr(umbrella, list_name)], "text", "statement"
    if umbrella.safety is not None:
        for list_name in ("monitoring", "stopping_rules"):
            yield (("umbrella", "safety", list_name), [s.text for s in getattr(umbrella.safety, list_name)], "text",
                   "statement")


def _protocol_lists(here: tuple[object, ...], population, dosing, schedule) -> Iterator[KeyedList]:
    if population is not None:
        for list_name in ("inclusion", "exclusion"):
            yield here + ("population", list_name), [s.text for s in getattr(population, list_name)], "text", \
                "criterion"
    if dosing is not None:
        yield here + ("dosing", "steps"), [step.label for step in dosing.steps], "label", "dose step"
        for list_name in ("rules", "concomitant"):
            yield here + ("dosing", list_name), [s.text for s in getattr(dosing, list_name)], "text", "statement"
    yield here + ("schedule",), [visit.name for visit in schedule], "name", "visit"
    for index, visit in enumerate(schedule):
        yield here + ("schedule", index, "assessments"), list(visit.assessments), None, "assessment"


def _editor_text(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    """Editors are the sequence engine's type (plain strings); their text is free text like any other."""
    for index, editor in enumerate(program.editors):
        for field in ("name", "cas_variant", "source", "notes"):
            found = personal_data_in(getattr(editor, field) or "")
            if found is not None:
                yield report(("editors", index, field), refusal(found))


def _case_hint(name: str, known: Iterable[str]) -> str:
    """'; did you mean X? (ids are case-sensitive)' when `name` differs from a known id only in case."""
    folded = _fold(name)
    match = next((other for other in known if _fold(other) == folded), None)
    return f"; did you mean {match!r}? (ids are case-sensitive)" if match else ""


def _umbrella_refs(program: Program, report: Report, unchecked: Unchecked) -> Iterator[Problem]:
    umbrella, platform = program.umbrella, program.platform
    if umbrella is not None and platform is not None and umbrella.platform != platform.id:
        yield report(("umbrella", "platform"), f"unknown platform {umbrella.platform!r} "
                     f"(the program's platform is {platform.id!r})")
    known = program.diseases_by_id
    for index, disease_id in enumerate(umbrella.diseases if umbrella is not None else ()):
        if disease_id not in known and not unchecked.may_hold("diseases", disease_id):
            yield report(("umbrella", "diseases", index), f"unknown disease {disease_id!r}{_case_hint(disease_id, known)}")
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
                yield report(("diseases", d_index, "genes", g_index),
                             f"unknown gene {symbol!r}{_case_hint(symbol, program.genes_by_symbol)}")


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
                yield report(("variants", index, "gene"),
                             f"unknown gene {variant.gene!r}{_case_hint(variant.gene, program.genes_by_symbol)}")
            continue
        if variant.disease is not None:
            disease = program.diseases_by_id.get(variant.disease)
            if disease is None:
                if not unchecked.may_hold("diseases", variant.disease):
                    yield report(("variants", index, "disease"), f"unknown disease {variant.disease!r}"
                                 f"{_case_hint(variant.disease, program.diseases_by_id)}")
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
            yield report(("patients", index, "disease"),
                         f"unknown disease {patient.disease!r}{_case_hint(patient.disease, program.diseases_by_id)}")
        for a_index, allele in enumerate(patient.genotype):
            variant = program.variants_by_id.get(allele.variant)
            path = ("patients", index, "genotype", a_index, "variant")
            if variant is None:
                if not unchecked.may_hold("variants", allele.variant):
                    yield report(path, f"patient carries unknown variant {allele.variant!r}"
                                 f"{_case_hint(allele.variant, program.variants_by_id)}")
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
            yield report(("evidence", index, "subject"), f"unknown {kind} {key!r}{_case_hint(key, known)}")


def _recorded_versions(program: Program, root: Path, report: Report) -> Iterator[Problem]:
    """Each recorded version is a folder of YAML files under versions/, with its own version number."""
    if program.umbrella is None:  # the umbrella itself was refused (reported already)
        return
    seen = {program.umbrella.protocol_version}
    for index, entry in enumerate(program.umbrella.history):
        folder = root / entry.program
        outside = _leaves_program(root, entry.program)
        if outside:
            yield report(("umbrella", "history", index, "program"),
                         f"{entry.program}: {outside}; recorded versions are kept inside the program")
        elif not folder.is_dir() or not any(folder.glob("*.y*ml")):
            yield report(("umbrella", "history", index, "program"),
                         f"no recorded version at {entry.program} (a folder of that version's YAML files)")
        if entry.version in seen:
            yield report(("umbrella", "history", index, "version"),
                         f"version {entry.version!r} is recorded twice (or is the current protocol_version)")
        seen.add(entry.version)


def _document_paths(program: Program, root: Path, report: Report) -> Iterator[Problem]:
    for index, item in enumerate(program.evidence):
        if item.document is None:
            continue
        outside = _leaves_program(root, item.document)
        if outside:
            yield report(("evidence", index, "document"), f"document {outside}")


def _leaves_program(root: Path, relative: str) -> str | None:
    """Why `relative` (a path the program names) is not inside the program directory, or None."""
    try:
        target = (root / relative).resolve()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop (Python < 3.13)
        return f"path cannot be resolved: {error}"
    if not target.is_relative_to(root.resolve()):
        return "path leaves the program directory (directly or through a symbolic link)"
    return None
