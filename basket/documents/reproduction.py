"""`basket verify OUT --against PROGRAM`: make OUT again from PROGRAM and compare the bytes.

OUT is a `basket render` output folder or a `basket docs` site (the manifest's `kind`).

A manifest alone proves only that OUT's files are those it lists: whoever edits a document can edit its
hash too. Renders and sites are deterministic (same program, options and tools, same bytes), so this
renders PROGRAM again with the options OUT/manifest.json records (`basket.documents.render_record`) into a
temporary folder (removed afterwards; never inside OUT, the program or the templates) and compares
every file, manifest.json included, byte for byte (`basket.changes.output_verification.compare_outputs`).

What the record names but cannot supply is bad input, said precisely before anything is rendered:
the user's templates (given again with --templates, and checked against the recorded sha256 of each
template the render read), the reference genome (the program's or --fasta, checked by the label the
documents print) and Graphviz when the render drew pictures. Another basket or Graphviz version than
the render's is not an error but a note beside the differences it may explain.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from basket.changes.manifest import MANIFEST_NAME
from basket.changes.output_verification import VerifyReport, compare_outputs, read_manifest_file
from basket.documents.render_record import SITE_KIND, RenderRecord, read_render_record
from basket.documents.rendering import RenderOptions, render_program
from basket.foundation.output_location import check_output_location
from basket.foundation.problems import InputError, Problem
from basket.plan.umbrella_decision import Plan, checked_plan
from basket.program.load import LoadedProgram, load_program
from basket.program.reference import program_reference


def verify_against(out: Path, program: Path, fasta: Path | None = None, templates: Path | None = None) -> VerifyReport:
    """OUT compared byte for byte with a render (or site) of `program` made as OUT's manifest records."""
    if not out.is_dir():
        raise InputError([Problem(str(out), 0, "", "not an output directory")])
    manifest_file = out / MANIFEST_NAME
    manifest = read_manifest_file(manifest_file)
    record = read_render_record(manifest_file, manifest)
    _check_templates_given(manifest_file, record, templates)
    _check_graphviz(manifest_file, record)
    loaded = load_program(program)
    plan = _plan_as_recorded(manifest_file, loaded, record, fasta)
    notes = _input_notes(manifest, loaded)
    if record.variants is not None:
        plan = plan.only(record.variants)
        absent = sorted(set(record.variants) - {item.variant for item in plan.variants})
        if absent:
            notes.append(f"the render's selection holds variant(s) {', '.join(absent)}, which {program} does not have")
    with tempfile.TemporaryDirectory(prefix="basket-verify-") as temporary:
        fresh = Path(temporary) / "again"
        check_output_location(fresh, (out, program, templates), folder=False)
        _make_again(loaded, plan, fresh, record, templates)
        made = read_manifest_file(fresh / MANIFEST_NAME)
        _check_templates_read(manifest_file, record, read_render_record(fresh / MANIFEST_NAME, made), templates)
        notes += _tool_notes(manifest, made)
        return compare_outputs(out, fresh, str(program), notes)


def _make_again(loaded: LoadedProgram, plan: Plan, fresh: Path, record: RenderRecord, templates: Path | None) -> None:
    """The render (`basket render`) or the site (`basket docs`) the record describes, written to `fresh`."""
    pictures = record.graphviz is not None
    if record.kind == SITE_KIND:
        from basket.documents.static_site import write_program_site

        write_program_site(loaded, plan, fresh, templates, record.focus, pictures)
    else:
        render_program(loaded, plan, fresh, RenderOptions(record.formats, templates, record.variants, pictures=pictures))


def _check_templates_given(manifest_file: Path, record: RenderRecord, templates: Path | None) -> None:
    if record.templates and templates is None:
        raise InputError([Problem(str(manifest_file), 0, "templates", f"the render read {len(record.templates)} "
                                  f"user template(s) ({', '.join(record.templates)}); give their folder with "
                                  "--templates (the manifest records their sha256, not where they were)")])
    if not record.templates and templates is not None:
        raise InputError([Problem("--templates", 0, "", f"the render read no user template ({manifest_file} "
                                  "records none): leave out --templates")])


def _check_templates_read(manifest_file: Path, record: RenderRecord, again: RenderRecord,
                          templates: Path | None) -> None:
    """The templates the new render read from --templates must be those the render read (by sha256)."""
    before, now = record.templates or {}, again.templates or {}
    problems = []
    for name in sorted(set(before) | set(now)):
        if name not in now:
            why = f"the render read {name} from its templates folder; {templates} has none (the shipped one was used)"
        elif name not in before:
            why = f"{templates} has {name}, which the render did not read (it used the shipped one)"
        elif before[name] != now[name]:
            why = f"{name} differs from the one the render read (sha256 {before[name][:12]}…, here {now[name][:12]}…)"
        else:
            continue
        problems.append(Problem("--templates", 0, "", why))
    if problems:
        problems.append(Problem(str(manifest_file), 0, "templates", "the render cannot be made again without the "
                                "templates it read"))
        raise InputError(problems)


def _check_graphviz(manifest_file: Path, record: RenderRecord) -> None:
    from basket.documents.graphviz_pictures import dot_executable

    if record.graphviz is not None and dot_executable() is None:
        raise InputError([Problem(str(manifest_file), 0, "graphviz", f"the render drew its pictures with "
                                  f"{record.graphviz!r}; Graphviz (`dot`) is not installed here")])


def _plan_as_recorded(manifest_file: Path, loaded: LoadedProgram, record: RenderRecord, fasta: Path | None) -> Plan:
    """The plan on the reference the render used: none, or the program's (or --fasta) when its label is
    the recorded one."""
    if record.reference == "none":
        if fasta is not None:
            raise InputError([Problem("--fasta", 0, "", f"the render was planned without a reference genome "
                                      f"({manifest_file} records reference 'none'): leave out --fasta")])
        reference = program_reference(loaded)
        if reference.fasta is not None:  # the documents say why no reference was used: that cannot be made again
            raise InputError([Problem(str(manifest_file), 0, "reference", "the render was planned without a "
                                      f"reference genome; here the program's reference is available "
                                      f"({reference.label}), so the documents would differ. Verify where it is "
                                      "not available")])
        return checked_plan(loaded, reference=reference)  # none, or the program's, unavailable as it was
    plan = checked_plan(loaded, fasta)
    if plan.reference != record.reference:
        if fasta is not None:
            here = f"--fasta is {plan.reference}"
        elif plan.reference_warning:
            here = f"the program's reference is not available ({plan.reference_warning})"
        elif plan.reference == "none":
            here = "the program names no reference genome"
        else:
            here = f"the program's reference is {plan.reference}"
        raise InputError([Problem(str(manifest_file), 0, "reference", f"the render was planned on "
                                  f"{record.reference}; here {here}. Give that genome with --fasta")])
    return plan


def _input_notes(manifest: dict, loaded: LoadedProgram) -> list[str]:
    """Program files that differ from those the render read (by the manifest's word): the likely cause
    of differences, when the manifest is genuine."""
    from basket.documents.version_history import document_inputs

    before, now = manifest["inputs"], document_inputs(loaded)
    notes = [f"program file {name} differs from the one the render read" for name in sorted(set(before) & set(now))
             if before[name] != now[name]]
    notes += [f"program file {name} was not read by the render" for name in sorted(set(now) - set(before))]
    notes += [f"the render read program file {name}, which the program no longer has"
              for name in sorted(set(before) - set(now))]
    return notes


def _tool_notes(manifest: dict, made: dict) -> list[str]:
    notes = []
    if manifest.get("generator") != made.get("generator"):
        notes.append(f"OUT was made by {manifest.get('generator')}, this is {made.get('generator')}: documents may "
                     "differ for that alone")
    if manifest.get("graphviz") != made.get("graphviz"):
        notes.append(f"OUT's pictures were drawn with {manifest.get('graphviz')}, these with {made.get('graphviz')}: "
                     "pictures may differ for that alone")
    return notes
