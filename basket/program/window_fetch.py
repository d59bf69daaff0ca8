"""`basket window`: each variant's sequence window read from the program's reference and written
into its YAML file, with where it came from.

A window spans `Program.editors_reach` bases each side of the variant (fewer at a contig's end):
enough for every guide of every editor in play (catalogue and program), with its PAM and the
codons of its bystanders, on both strands. It records its provenance: build, the FASTA's file name,
the FASTA's name of the contig and the sha256 of the sequence (checked whenever the program loads).
Every variant is placed before any window is read; the windows are then read together, in genome
order (`ReferenceGenome.fetch_many`), and each variant's reference base checked in its window.

An existing window that equals the reference base for base and covers that reach is kept (the
provenance keys it lacks are added under it). One that differs, or is too narrow, is replaced
only with `force`; otherwise it is refused and the difference shown. Each file is checked to be
unchanged since loading, edited surgically (`basket.program.window_yaml`), replaced atomically with
its permissions, and the program loaded again must equal the old one with only those windows replaced,
else every file is put back; all of it
under the program directory's lock (`basket.foundation.directory_lock`, shared with `basket status`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from basket.editing.hgvs import ParsedHgvs
from basket.editing.sequence import complement
from basket.foundation.garbage_collector import collector_paused, collector_skips_existing
from basket.foundation.problems import InputError, Problem
from basket.program.checked_edit import editing_program, read_unchanged, replace_checked
from basket.program.load import LoadedProgram, load_program
from basket.program.model import Gene, Program, SequenceWindow, Variant, sequence_sha256
from basket.program.reference import ProgramReference, required_reference
from basket.program.variant_sequence import (
    DesignError,
    GenomicLocus,
    locate,
    parse_genomic,
    parse_variant,
    window_difference,
)
from basket.program.window_yaml import (
    WindowEdit,
    WindowEditRefused,
    apply_edits,
    edit_diff,
    window_edit,
)

Action = Literal["added", "replaced", "verified", "provenance", "refused", "skipped"]
WRITES: tuple[Action, ...] = ("added", "replaced", "provenance")
PROVENANCE = ("build", "fasta", "contig", "sha256")


class WindowResult(NamedTuple):  # one per variant: a tuple costs a third of a frozen dataclass
    """What happened to one variant's window."""

    variant: str
    action: Action
    message: str  # a sentence: the window written, or why nothing was
    file: str = ""
    line: int = 0
    diff: str = ""  # unified diff of the change (made, or refused)
    window: dict[str, Any] | None = None  # the window fetched from the reference
    skipped: str | None = None  # why a variant was skipped: not_substitution, no_position, no_contig

    @property
    def problem(self) -> bool:
        """Refused, or skipped for a reason the user must act on (a variant that is not a substitution
        needs no window)."""
        return self.action == "refused" or self.skipped in ("no_position", "no_contig")


# Where a variant's window lies, worked out before any window is read: the FASTA contig, the window's
# first and last base (1-based, inclusive), the variant's position, the reference base its hgvs_c needs
# there (+ strand) and the gene's chromosome. A plain tuple: one is made per variant, and a NamedTuple
# costs ten times as much to make.
Placement = tuple[str, int, int, int, str, str]
Outcome = WindowResult | DesignError | None  # a variant's result, why it is refused, or not decided yet
# Makes a WindowResult from all its fields at once (variant, action, message, file, line, diff, window,
# skipped): the NamedTuple's own __new__, a Python function, took a third of the time of each window's block.
_make_result = tuple.__new__


@dataclass(frozen=True)
class WindowUpdate:
    reference: str
    reach: int
    results: list[WindowResult]
    written: list[str] = field(default_factory=list)  # files replaced (none on a dry run)

    @property
    def problems(self) -> list[WindowResult]:
        return [r for r in self.results if r.problem]


def update_windows(directory: Path, variant_ids: list[str], all_variants: bool = False, fasta: Path | None = None,
                   force: bool = False, dry_run: bool = False) -> WindowUpdate:
    """Fetch and write the windows of `variant_ids` (or of every variant with `all_variants`).

    InputError: bad input (unknown variant, no reference, an hgvs_g the reference contradicts, a file
    changed since it was read); nothing is written then. Runs under the program directory's lock, as
    `basket status` does, so concurrent edits of the program wait for each other and none is lost."""
    with editing_program(directory) as folder:
        return _update_windows(folder, variant_ids, all_variants, fasta, force, dry_run)


def _update_windows(directory: Path, variant_ids: list[str], all_variants: bool, fasta: Path | None, force: bool,
                    dry_run: bool) -> WindowUpdate:
    loaded = load_program(directory)
    reference = required_reference(loaded, fasta)
    planned = decide_windows(loaded, _chosen(loaded, variant_ids, all_variants), reference, force)
    results, texts = _edit_files(loaded, planned)
    written: list[str] = []
    if not dry_run and texts:
        windows = {r.variant: r.window for r in results if r.action in WRITES and r.window is not None}
        written = _write_all(loaded, texts, windows)
    return WindowUpdate(reference.label, loaded.program.editors_reach, results, written)


def decide_windows(loaded: LoadedProgram, variants: list[Variant], reference: ProgramReference,
                   force: bool = False) -> list[WindowResult]:
    """What to do with each variant's window, read from the reference (no file touched), in the order
    of `variants`; InputError listing every variant whose hgvs_g the reference contradicts.

    Every variant is placed first, then all the windows are read at once (`ReferenceGenome.fetch_many`:
    in genome order, nearby windows in one read), then each is checked and its block made."""
    reader = WindowReader(loaded.program, reference, force)
    # The collector is paused: reference counting frees what is made here, and its passes over the
    # loaded program and the growing results cost as much as the stage. The results are kept until the
    # files are written, so they go straight to its oldest generation (`results_kept`).
    with collector_skips_existing(), collector_paused(results_kept=True):
        outcomes: list[Outcome] = [None] * len(variants)
        readable, placements = reader.place_all(variants, outcomes)
        sequences = reader.genome.fetch_many(placements)  # reads each placement's (contig, first, last)
        reader.decide_all(variants, readable, placements, sequences, outcomes)
    refused = [error for error in outcomes if type(error) is DesignError]
    if refused:
        program = loaded.program
        raise InputError([loaded.locator.problem(("variants", program.variant_index[e.variant], *e.path), str(e))
                          for e in refused])
    return [outcome for outcome in outcomes if type(outcome) is WindowResult]  # every variant's, none refused


def _chosen(loaded: LoadedProgram, variant_ids: list[str], all_variants: bool) -> list[Variant]:
    program = loaded.program
    if all_variants:
        return list(program.variants)
    if not variant_ids:
        raise InputError([Problem(str(loaded.root), 0, "VARIANT", "name one or more variants, or pass --all")])
    unknown = [v for v in variant_ids if v not in program.variants_by_id]
    if unknown:
        hints = {v: difflib.get_close_matches(v, list(program.variants_by_id), n=1) for v in unknown}
        raise InputError([Problem(str(loaded.root), 0, "VARIANT", f"unknown variant {v!r}"
                                  + (f"; did you mean {hints[v][0]}?" if hints[v] else "")) for v in unknown])
    return [program.variants_by_id[v] for v in dict.fromkeys(variant_ids)]


class WindowReader:
    """Reads variants' windows from one reference. `place_all` and `decide_all` are each one loop over the
    variants, with what is the same for every variant looked up once before it (`basket window --all`
    decides thousands of windows: every step inside a loop is paid per variant); the rarer cases
    (no hgvs_g, an existing window) are methods of their own."""

    def __init__(self, program: Program, reference: ProgramReference, force: bool = False):
        genome = reference.genome
        assert genome is not None, "a window is read from a reference"
        self.program, self.genome, self.force = program, genome, force
        self.genes, self.lengths = program.genes_by_symbol, genome.lengths
        self.label, self.build, self.reach = reference.label, reference.build, program.editors_reach
        self.fasta = reference.fasta.name if reference.fasta else ""
        self.source = f"{self.build} reference FASTA {self.fasta}" if self.build else f"reference FASTA {self.fasta}"
        self._build = {"build": self.build} if self.build else {}  # the provenance key a build-less reference lacks

    def place_all(self, variants: list[Variant], outcomes: list[Outcome]) -> tuple[list[int], list[Placement]]:
        """Where each variant's window lies on the reference, in two parallel lists: the variant's index in
        `variants` and its placement. A variant that needs no window, or cannot be placed, gets its
        skipped result in `outcomes`; one whose position is outside its contig, its DesignError."""
        readable: list[int] = []
        placements: list[Placement] = []
        genes, lengths, reach, place_on = self.genes, self.lengths, self.reach, self.genome.place
        for index, variant in enumerate(variants):  # once per variant: what does not change is looked up above
            try:
                parsed, gene, contig = parse_variant(variant), genes[variant.gene], None
                if parsed.is_snv and variant.hgvs_g:  # the usual case, placed as `locate` places it
                    genomic = parse_genomic(variant)
                    contig, position = place_on(genomic.accession, gene.chrom)[1], genomic.start.base
                if contig is None:  # not a substitution, no hgvs_g, or a contig the FASTA lacks
                    found = self._place_otherwise(variant, parsed, gene)
                    if type(found) is WindowResult:
                        outcomes[index] = found
                        continue
                    contig, position = found
                length = lengths[contig]
                if not 1 <= position <= length:
                    raise DesignError(variant.id, "hgvs_g", f"position {position:,} is outside {contig} "
                                      f"(1..{length:,}) in the reference {self.label}: the HGVS g. does not belong "
                                      "to this reference")
            except DesignError as error:
                outcomes[index] = error
                continue
            base = parsed.ref if gene.strand == "+" else complement(parsed.ref or "")
            readable.append(index)  # fewer bases at a contig's ends:
            placements.append((contig, max(1, position - reach), min(length, position + reach), position, base,
                               gene.chrom))
        return readable, placements

    def _place_otherwise(self, variant: Variant, parsed: ParsedHgvs, gene: Gene) -> WindowResult | tuple[str, int]:
        """The contig and position of a variant without hgvs_g, or whose hgvs_g's contig the FASTA lacks;
        or its skipped result, saying why it has none."""
        if not parsed.is_snv:
            return WindowResult(variant.id, "skipped", "not a single-base substitution: no guide is designed on it, "
                                "so it needs no window", skipped="not_substitution")
        contig, position, _, missing, why = self._locate(variant, gene)
        if position is None or contig is None:
            return WindowResult(variant.id, "skipped", why or "", skipped=missing)
        return contig, position

    def _locate(self, variant: Variant, gene: Gene) -> GenomicLocus:
        """The variant's 1-based position and the FASTA's contig: from hgvs_g, else the window's
        variant_position; or why there is none (no position then)."""
        window = variant.window
        if not variant.hgvs_g and window is not None and window.variant_position is not None:
            contig = self.genome.contig(window.contig or window.chrom)
            if contig is None:
                return GenomicLocus(None, None, window.chrom, "no_contig",
                                    f"The reference {self.label} has no sequence named {window.chrom}.")
            return GenomicLocus(contig, window.variant_position, window.chrom)
        locus = locate(variant, gene, self.genome, self.label)
        return locus if locus.contig else locus._replace(position=None)

    def decide_all(self, variants: list[Variant], readable: list[int], placements: list[Placement],
                   sequences: list[str], outcomes: list[Outcome]) -> None:
        """What to do with each placed variant's window, given the bases read at its placement (no file
        touched yet): its result in `outcomes`, or the DesignError of a reference base that differs."""
        source, build, fasta = self.source, self._build, self.fasta
        for index, (contig, first, last, position, base, chrom), sequence in zip(readable, placements, sequences,
                                                                                  strict=True):
            variant = variants[index]
            if sequence[position - first] != base:
                outcomes[index] = DesignError(
                    variant.id, "hgvs_g", f"the reference {self.label} has {sequence[position - first]} at "
                    f"{contig}:{position:,} but {variant.hgvs_c} needs {base} on the + strand")
                continue
            region = f"{contig}:{first}-{last}"  # as samtools writes a region
            provenance = f"{source}, {region} (+ strand), read by basket window"
            old = variant.window
            if old is None:  # the usual case, its block made in one go
                block = {"chrom": chrom, "start": first, "sequence": sequence, "source": provenance, **build,
                         "fasta": fasta, "contig": contig, "sha256": sequence_sha256(sequence)}
                added = f"window added ({region}, {last - first + 1} bases)"
                outcomes[index] = _make_result(WindowResult, (variant.id, "added", added, "", 0, "", block, None))
            else:
                fetched = self._window(old, chrom, contig, first, sequence, provenance)
                try:
                    outcomes[index] = self._compare(variant, fetched, contig, (first, last))
                except DesignError as error:
                    outcomes[index] = error

    def _window(self, old: SequenceWindow, chrom: str, contig: str, first: int, sequence: str,
                source: str) -> dict[str, Any]:
        """The window block that replaces `old`: what the window is (keeping the old window's
        variant_position and coding span), then where it came from (as `decide` writes a new one)."""
        sha256 = sequence_sha256(sequence)
        provenance = {"source": source, **self._build, "fasta": self.fasta, "contig": contig, "sha256": sha256}
        window: dict[str, Any] = {"chrom": chrom, "start": first}
        if old.variant_position is not None:
            window["variant_position"] = old.variant_position
        window["sequence"] = sequence
        if old.coding_start is not None:
            window["coding_start"], window["coding_end"] = old.coding_start, old.coding_end
        return {**window, **provenance}

    def _compare(self, variant: Variant, fetched: dict[str, Any], contig: str, span: tuple[int, int]) -> WindowResult:
        """What to do with a variant's existing window, given the one just read."""
        old = variant.window
        assert old is not None
        where = f"{contig}:{span[0]}-{span[1]}, {span[1] - span[0] + 1} bases"
        # A window basket wrote spans what was just read: compared with it, not read a second time
        same = (old.start, old.end) == span and old.sequence.upper() == fetched["sequence"]
        difference = None if same else window_difference(old, self.genome, contig, self.label)
        narrow = old.start > span[0] or old.end < span[1]
        if difference is None and not narrow:
            provenance = {**fetched, "sha256": sequence_sha256(old.sequence)}  # the checksum of the window kept
            missing = {key: provenance[key] for key in PROVENANCE if key in provenance and getattr(old, key) is None}
            if not missing:
                return WindowResult(variant.id, "verified",
                                    "the window equals the reference and covers the editors' reach")
            kept = {**old.model_dump(exclude_none=True), **missing}
            return WindowResult(variant.id, "provenance",
                                f"the window equals the reference; added {', '.join(missing)}", window=kept)
        why = difference or (f"the window {old.chrom}:{old.start:,}-{old.end:,} is narrower than the editors in play "
                             f"need ({where})")
        if self.force:
            return WindowResult(variant.id, "replaced", f"window replaced ({where}): {why}", window=fetched)
        return WindowResult(variant.id, "refused", f"{why}; pass --force to replace the window", window=fetched)


def _edit_files(loaded: LoadedProgram,
                planned: list[WindowResult]) -> tuple[list[WindowResult], dict[Path, tuple[bytes, str]]]:
    """Every result with its file, line and diff; the new text of every file that changes."""
    by_file: dict[str, list[tuple[int, Variant, WindowResult]]] = {}
    for order, result in enumerate(planned):
        variant = loaded.program.variants_by_id[result.variant]
        by_file.setdefault(_origin(loaded, variant).document.file, []).append((order, variant, result))
    results: list[WindowResult | None] = [None] * len(planned)
    texts: dict[Path, tuple[bytes, str]] = {}
    for display, items in by_file.items():
        path = Path(display)
        raw = read_unchanged(loaded, path, "the windows were being fetched")
        text = raw.decode("utf-8")
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        lines = text[len(bom):].splitlines(keepends=True)
        edits: list[WindowEdit] = []
        for order, variant, result in items:
            results[order], edit = _edit_one(loaded, variant, result, lines)
            if edit is not None and result.action in WRITES:
                edits.append(edit)
        if edits:
            texts[path] = (raw, bom + apply_edits(lines, edits))
    return [r for r in results if r is not None], texts


def _edit_one(loaded: LoadedProgram, variant: Variant, result: WindowResult,
              lines: list[str]) -> tuple[WindowResult, WindowEdit | None]:
    origin = _origin(loaded, variant)
    located = result._replace(file=origin.document.file, line=origin.document.line_of(origin.path))
    if result.window is None:
        return located, None
    try:
        edit = window_edit(lines, origin.document.lines, origin.path, result.window,
                           keep_existing=result.action == "provenance")
    except WindowEditRefused as refusal:
        return located._replace(action="refused", message=str(refusal), window=None), None
    return located._replace(diff=edit_diff(lines, edit, origin.document.file)), edit


def _origin(loaded: LoadedProgram, variant: Variant):
    return loaded.locator.origins[("variants", loaded.program.variant_index[variant.id])]


def _write_all(loaded: LoadedProgram, texts: dict[Path, tuple[bytes, str]],
               windows: dict[str, dict[str, Any]]) -> list[str]:
    """Replace every changed file, then load the program again: it must equal the old one with only
    `windows` replaced. Otherwise (or if it no longer loads) every file is put back, and the error raised."""
    replace_checked(loaded.root, {path: (old, new.encode("utf-8")) for path, (old, new) in texts.items()},
                    lambda after: _require_only_windows_changed(loaded, after.program, windows))
    return [str(path) for path in texts]


def _require_only_windows_changed(loaded: LoadedProgram, after: Program, windows: dict[str, dict[str, Any]]) -> None:
    before = loaded.program
    sections = [name for name in Program.model_fields if name != "variants"]
    same = all(getattr(before, name) == getattr(after, name) for name in sections)
    expected = [v.model_copy(update={"window": SequenceWindow.model_validate(windows[v.id])}) if v.id in windows
                else v for v in before.variants]
    if not same or expected != after.variants:
        raise InputError([Problem(str(loaded.root), 0, "window", "refusing to keep the edit: it changed more than "
                                  "the windows (please report this); the files were put back")])
