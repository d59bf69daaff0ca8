"""The Python API behind every CLI command: each function takes paths and options and returns
data; nothing here prints. The CLI and the tests call these; each stage's own modules are the
place for anything finer.

Each function imports the stages it needs when it runs, so that a command pays only for its own
(`basket validate` needs neither the plan nor the graph, whose imports took half a second).

May import: every pipeline stage. Must not import: `basket.cli`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from basket.foundation.problems import InputError, NothingSelected, Problem
from basket.program.load import LoadedProgram, load_program

if TYPE_CHECKING:
    from basket.plan.umbrella_decision import Plan

__all__ = [
    "Impact", "OffTargetRequest", "UsdmExport", "database_to", "export_to", "export_usdm", "guides_for", "impact_of",
    "offtargets_for", "plan_program", "render_to", "selected_graph", "user_template_errors", "validate_program",
    "verify_against",
]

Warn = Callable[[str], None]


def plan_program(
    directory: Path, selectors: Iterable[str] = (), fasta: Path | None = None, exclude: Iterable[str] = (),
    warn: Warn | None = None,
) -> tuple[LoadedProgram, Plan]:
    """The program and its plan on the program's reference (`fasta` overrides it), narrowed to the
    variants `--select`/`--exclude` choose; `warn` hears what the user should know (a reference the
    program names but this machine lacks)."""
    from basket.graph.selection import selected_variants

    loaded = load_program(directory)
    plan = _plan(loaded, fasta, warn)
    selected = selected_variants(loaded, plan, selectors, exclude)
    if selected is not None:
        plan = plan.only(selected)
    return loaded, plan


def _plan(loaded: LoadedProgram, fasta: Path | None, warn: Warn | None) -> Plan:
    from basket.plan.umbrella_decision import checked_plan

    plan = checked_plan(loaded, fasta)
    if warn is not None and plan.reference_warning:
        warn(plan.reference_warning)
    return plan


def render_to(
    directory: Path,
    out: Path,
    formats: list[str],
    templates: Path | None = None,
    selectors: Iterable[str] = (),
    fasta: Path | None = None,
    progress: Callable[[str], None] | None = None,
    exclude: Iterable[str] = (),
    warn: Warn | None = None,
):
    from basket.documents.output_formats import FORMATTERS
    from basket.documents.rendering import RenderOptions, render_program
    from basket.editing.reference_fasta import reference_files
    from basket.foundation.output_location import check_output_location
    from basket.program.reference import program_reference

    check_output_location(out, (directory, templates, *reference_files(fasta)), folder=True)  # before any work
    unknown = [f for f in formats if f not in FORMATTERS]
    if unknown or not formats:
        raise InputError([Problem("--format", 0, "", f"unknown format {', '.join(unknown) or '(none)'}; "
                                  f"choose from {', '.join(FORMATTERS)}")])
    selectors, exclude = list(selectors), list(exclude)
    loaded, plan = plan_program(directory, selectors, fasta, exclude, warn)
    check_output_location(out, reference_files(program_reference(loaded, fasta).fasta), folder=True)
    variants = [v.variant for v in plan.variants] if any(selectors) or any(exclude) else None
    with user_template_errors(templates):
        options = RenderOptions(tuple(formats), templates, variants, progress)
        return render_program(loaded, plan, out, options)


def verify_against(out: Path, directory: Path, fasta: Path | None = None, templates: Path | None = None):
    """`basket verify OUT --against PROGRAM`: OUT compared byte for byte with PROGRAM rendered again as
    OUT/manifest.json records (`basket.documents.reproduction`); a `VerifyReport`."""
    from basket.documents.reproduction import verify_against as reproduce_and_compare

    with user_template_errors(templates):
        return reproduce_and_compare(out, directory, fasta, templates)


@contextmanager
def user_template_errors(templates: Path | None = None) -> Iterator[None]:
    """A broken or hostile user template is bad input (exit 2), not a crash: jinja's errors and the
    sandbox's bounds always, and any other exception (a division by zero, RecursionError,
    MemoryError) raised while a template of the user's folder `templates` ran."""
    import jinja2

    from basket.documents.template_environment import raised_in_folder, template_problem

    try:
        yield
    except (jinja2.TemplateError, OverflowError) as error:  # the sandbox raises OverflowError for huge ranges
        raise InputError([template_problem(error)]) from None
    except UnicodeDecodeError as error:
        raise InputError([Problem("--templates", 0, "", f"a template is not valid UTF-8 text ({error.reason} "
                                  f"at byte {error.start})")]) from None
    except Exception as error:
        if templates is None or not raised_in_folder(error, templates):
            raise  # basket's own bug: a traceback, not a message about the user's template
        raise InputError([template_problem(error)]) from None


def database_to(directory: Path, output: Path, fasta: Path | None = None, warn: Warn | None = None) -> dict[str, int]:
    """`basket db`: the program, plan and readiness as SQLite at `output`; rows written per table."""
    from basket.documents.program_database import write_database
    from basket.evidence.readiness_rules import assess

    loaded, plan = plan_program(directory, fasta=fasta, warn=warn)
    return write_database(loaded, plan, assess(loaded, plan), output)


def export_to(directory: Path, fmt: str, selectors: Iterable[str] = (), exclude: Iterable[str] = (),
              fasta: Path | None = None, warn: Warn | None = None) -> bytes:
    from basket.graph.export_formats import export_graph

    loaded = load_program(directory)
    return export_graph(selected_graph(loaded, _plan(loaded, fasta, warn), selectors, exclude), fmt)


def selected_graph(loaded: LoadedProgram, plan: Plan, selectors: Iterable[str] = (),
                   exclude: Iterable[str] = ()):
    """The program graph, or its subgraph of the nodes `--select`/`--exclude` choose."""
    from basket.graph.build import program_graph
    from basket.graph.selection import select_or_report

    graph = program_graph(loaded, plan)
    selectors, exclude = [s for s in selectors if s], [s for s in exclude if s]
    if not selectors and not exclude:
        return graph
    nodes = select_or_report(graph, selectors, exclude)
    if not nodes:
        raise NothingSelected([f"--exclude {' '.join(exclude)} leaves no node of the selection"])
    return graph.subgraph(nodes).copy()


@dataclass(frozen=True)
class UsdmExport:
    """What `export_usdm` wrote: the study's bytes, its designs (one per appendix) and, when asked,
    usdm4's rule validation of the file."""

    data: bytes
    designs: int
    conformance: object | None = None  # basket.usdm.conformance.Conformance


def export_usdm(directory: Path, output: Path | None, fasta: Path | None = None, validate: bool = False) -> UsdmExport:
    """The umbrella as a CDISC USDM v4 study (JSON), written atomically to `output` (None: not written).
    A program USDM cannot express raises InputError naming what USDM needs; nothing is written then."""
    from basket.foundation.atomic_output import write_bytes_atomic
    from basket.usdm.requirements import missing_for_usdm
    from basket.usdm.serialization import study_json
    from basket.usdm.study_builder import study_of

    loaded, plan = plan_program(directory, (), fasta)
    problems = missing_for_usdm(loaded, plan)
    if problems:
        raise InputError(problems)
    data = study_json(study_of(loaded, plan))
    conformance = None
    if validate:
        from basket.usdm.conformance import check_study

        conformance = check_study(data)
    if output is not None:
        write_bytes_atomic(output, data, (directory, fasta))
    return UsdmExport(data, len(plan.inside), conformance)


@dataclass(frozen=True)
class Impact:
    node: str
    direction: str  # "downstream" (what it affects) or "upstream" (what it depends on)
    nodes: dict[str, list[str]]  # kind -> node ids
    appendices: list[str]  # variants inside the umbrella among them
    patients: list[str]


def impact_of(directory: Path, name: str, upstream: bool = False, fasta: Path | None = None,
              warn: Warn | None = None) -> Impact:
    from basket.graph.build import program_graph
    from basket.graph.impact import dependencies, dependents
    from basket.graph.lookup import UnknownNode, resolve

    loaded = load_program(directory)
    plan = _plan(loaded, fasta, warn)
    graph = program_graph(loaded, plan)
    try:
        node = resolve(graph, name)
        found = dependencies(graph, node) if upstream else dependents(graph, node)
    except UnknownNode as error:
        raise InputError([Problem(str(directory), 0, "NODE", str(error))]) from None
    by_kind: dict[str, list[str]] = {}
    for other in sorted(found):
        by_kind.setdefault(graph.nodes[other]["kind"], []).append(other)
    inside = {v.variant for v in plan.inside}
    appendices = sorted(graph.nodes[n]["label"] for n in by_kind.get("variant", []) if graph.nodes[n]["label"] in inside)
    patients = sorted(graph.nodes[n]["label"] for n in by_kind.get("patient", []))
    return Impact(node, "upstream" if upstream else "downstream", by_kind, appendices, patients)


def guides_for(directory: Path, variant_id: str, editor: str | None = None, fasta: Path | None = None,
               warn: Warn | None = None):
    """Every guide of the editor for one variant (`GuideSearch`), or the real reason there is none."""
    from basket.plan.guide_design import design_guides
    from basket.plan.umbrella_decision import design_problem
    from basket.program.reference import program_reference
    from basket.program.variant_sequence import DesignError

    loaded = load_program(directory)
    program = loaded.program
    _known_variant(directory, program, variant_id)
    if editor is not None and editor not in program.editors_by_name:
        raise InputError([Problem("--editor", 0, "", f"unknown editor {editor!r}; known: "
                                  f"{', '.join(sorted(program.editors_by_name))}")])
    reference = program_reference(loaded, fasta)
    if warn is not None and reference.warning:
        warn(reference.warning)
    try:
        return design_guides(program, program.variants_by_id[variant_id], editor, reference)
    except DesignError as error:
        raise InputError([design_problem(loaded, error)]) from None


@dataclass(frozen=True)
class OffTargetRequest:
    """`basket offtargets` options: the search limits and the inputs beside the program."""

    guide: str | None = None
    mismatches: int = 4
    bulges: int = 1
    noncanonical_pams: bool = False
    fasta: Path | None = None
    build: str | None = None
    vcf: Path | None = None
    sample: str | None = None
    annotation: Path | None = None


def offtargets_for(directory: Path, variant_id: str, request: OffTargetRequest,
                   progress: Callable[[int, int], None] | None = None):
    """Off-target nomination for a variant's guide: the plan's best guide (or ``request.guide``) with
    the editor that makes it, searched in the reference FASTA and, with a VCF, the patient's genome."""
    from basket.offtargets.nomination import nominate
    from basket.offtargets.query import make_query
    from basket.plan.umbrella_decision import checked_plan
    from basket.program.reference import required_reference

    loaded = load_program(directory)
    program = loaded.program
    variant = _known_variant(directory, program, variant_id)
    # The genome searched: --fasta, else the program's reference. The guide comes from the plan, made on
    # the program's reference (or on --fasta for a variant without a window, which then needs one).
    if request.fasta is not None:
        fasta, build = request.fasta, request.build or (program.reference.build if program.reference else None)
    else:
        reference = required_reference(loaded)
        fasta, build = reference.fasta, request.build or reference.build
    plan = checked_plan(loaded, request.fasta if variant.window is None else None)
    item = next(v for v in plan.variants if v.variant == variant_id)
    editor = program.editors_by_name[item.editor or program.platform.editor]
    guide = request.guide or (item.guide or {}).get("protospacer")
    if guide is None:
        raise InputError([Problem(str(directory), 0, "VARIANT", f"{variant_id} has no guide ({item.reason}); "
                                  "give the protospacer with --guide")])
    query = make_query([guide], editor, request.mismatches, request.bulges, request.noncanonical_pams)
    subject = {"program": program.umbrella.id, "variant": variant_id, "guide_from": "--guide" if request.guide
               else "plan (best guide)"}
    return nominate(query, fasta, build, request.vcf, request.sample, request.annotation,
                    subject, progress, _on_target(program, variant, item, query.guides[0]))


def _on_target(program, variant, item, guide: str):
    """The plan's guide site, when the searched guide is the plan's (its coordinates are known)."""
    from basket.offtargets.nomination import OnTarget

    planned = item.guide
    if not planned or planned.get("protospacer") != guide:
        return None
    chrom = variant.window.chrom if variant.window else program.genes_by_symbol[variant.gene].chrom
    return OnTarget(chrom, planned["strand"], planned["start"], planned["end"])


def _known_variant(directory: Path, program, variant_id: str):
    if variant_id not in program.variants_by_id:
        import difflib

        hint = difflib.get_close_matches(variant_id, list(program.variants_by_id), n=3)
        raise InputError([Problem(str(directory), 0, "VARIANT", f"unknown variant {variant_id!r}"
                                  + (f"; did you mean {', '.join(hint)}?" if hint else ""))])
    return program.variants_by_id[variant_id]


def validate_program(directory: Path, fasta: Path | None = None, warn: Warn | None = None):
    """Load and check the program; with a reference (the program's or `fasta`), every base of every
    window is compared with it and every other hgvs_g placed on it (all problems at once, file:line).
    Returns the loaded program, its reference and the `ReferenceCheck`."""
    from basket.program.reference import program_reference
    from basket.program.sequence_checks import check_against_reference

    loaded = load_program(directory)
    reference = program_reference(loaded, fasta)
    if warn is not None and reference.warning:
        warn(reference.warning)
    check = check_against_reference(loaded, reference)
    if check.problems:
        raise InputError(check.problems)
    return loaded, reference, check
