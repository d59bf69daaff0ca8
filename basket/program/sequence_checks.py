"""Validation of each variant's HGVS and sequence window, reported with file and line.

When loading (`check_variant_sequences`): each description parses and is of its kind; hgvs_c, hgvs_g,
the window and the gene's strand agree on the reference and alternate bases; an hgvs_g accession
names the gene's chromosome in the program's build; one allele is recorded under one id only.
Against the reference genome, when there is one (`check_against_reference`, run by `basket validate`):
every base of every window, and the reference base of every other hgvs_g.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from basket.editing.assemblies import accession_chromosome, bare_chromosome
from basket.editing.hgvs import HgvsError, ParsedHgvs, parse_hgvs
from basket.editing.sequence import complement
from basket.foundation.problems import Problem
from basket.program.load import LoadedProgram
from basket.program.model import Gene, Program, Variant
from basket.program.reference import ProgramReference
from basket.program.variant_sequence import DesignError, variant_sequence, verify_window

Report = Callable[[tuple, str], Problem]


def check_variant_sequences(program: Program, report: Report) -> list[Problem]:
    problems: list[Problem] = []
    for index, variant in enumerate(program.variants):
        problems += _check_variant(program, index, variant, report)
    problems += _repeated_alleles(program, report)
    return problems


def _check_variant(program: Program, index: int, variant: Variant, report: Report) -> list[Problem]:
    gene = program.genes_by_symbol.get(variant.gene)  # None: reported as unknown, or itself invalid
    build = program.reference.build if program.reference else None
    parsed: dict[str, ParsedHgvs] = {}
    problems: list[Problem] = []
    for name, coordinate in (("hgvs_c", "c"), ("hgvs_g", "g")):
        text = getattr(variant, name)
        if text is None:
            continue
        try:
            parsed[name] = parse_hgvs(text)
        except HgvsError as error:
            problems.append(report(("variants", index, name), str(error)))
            continue
        if parsed[name].coordinate != coordinate:
            problems.append(report(("variants", index, name), f"{text}: expected an HGVS {coordinate}. description"))
            del parsed[name]
    problems += _protein_problems(variant, index, report)
    c, g = parsed.get("hgvs_c"), parsed.get("hgvs_g")
    if gene is None:  # what needs the gene (transcript, chromosome, strand, window) waits for it
        return problems
    if c is not None and c.accession and c.accession != gene.transcript:
        problems.append(report(("variants", index, "hgvs_c"),
                               f"{c.text}: transcript {c.accession} differs from the gene's {gene.transcript}"))
    if g is not None:
        problems += [report(("variants", index, "hgvs_g"), message) for message in _accession_problems(g, gene, build)]
    if c is not None and g is not None:
        problems += [report(("variants", index, "hgvs_g"), message) for message in _disagreement(c, g, gene)]
    if problems or len(parsed) < (variant.hgvs_g is not None) + 1:
        return problems
    return _check_window(program, index, variant, gene, build, c, report)


# protein descriptions that rightly name no residue: unknown, no protein, no change (predicted or not)
PROTEIN_WITHOUT_POSITION = {"p.?", "p.0", "p.0?", "p.(0)", "p.=", "p.(=)"}


def _protein_problems(variant: Variant, index: int, report: Report) -> list[Problem]:
    """hgvs_p is printed, not computed on: it must still name real residues (no p.Gln0Ter, no range
    running backwards), unless it says no residue at all (p.?, p.0, p.=)."""
    text = variant.hgvs_p
    if text is None or text.rpartition(":")[2] in PROTEIN_WITHOUT_POSITION:
        return []
    try:
        parsed = parse_hgvs(text)
    except HgvsError as error:
        return [report(("variants", index, "hgvs_p"), str(error))]
    if parsed.coordinate != "p":
        return [report(("variants", index, "hgvs_p"), f"{text}: expected an HGVS p. description")]
    return []


def _accession_problems(g: ParsedHgvs, gene: Gene, build: str | None) -> Iterator[str]:
    """An hgvs_g on a RefSeq chromosome accession must name the gene's chromosome, in the program's build."""
    if not g.accession:
        return
    known = accession_chromosome(g.accession)
    if known is None:
        return
    chrom, builds = known
    if chrom != bare_chromosome(gene.chrom):
        yield (f"{g.text}: {g.accession} is chromosome {chrom}, but {gene.symbol} is on {gene.chrom} "
               "(genes[].chrom)")
    elif build is not None and build not in builds:
        yield (f"{g.text}: {g.accession} is chromosome {chrom} of {' and '.join(builds)}, but the program's "
               f"reference is {build} (reference.build)")


def _plus_strand(parsed: ParsedHgvs, gene: Gene) -> tuple[str, str]:
    ref, alt = parsed.ref or "", parsed.alt or ""
    if parsed.on_transcript and gene.strand == "-":
        return complement(ref), complement(alt)
    return ref, alt


def _disagreement(c: ParsedHgvs, g: ParsedHgvs, gene: Gene) -> Iterator[str]:
    """hgvs_c and hgvs_g must describe the same change: same kind, and for substitutions the same
    bases once the c. alleles are read on the + strand (complemented for a gene on the - strand)."""
    if c.kind != g.kind:
        yield f"{g.text} is a {g.kind} but {c.text} (hgvs_c) is a {c.kind}: they cannot be the same change"
        return
    if c.is_snv and g.is_snv and _plus_strand(c, gene) != _plus_strand(g, gene):
        c_ref, c_alt = _plus_strand(c, gene)
        strand = f"{gene.symbol} is on the - strand, so " if gene.strand == "-" else ""
        yield (f"{g.text} disagrees with {c.text} (hgvs_c): {strand}the c. alleles read {c_ref}>{c_alt} on the + "
               f"strand, but g. says {g.ref}>{g.alt}")


def _check_window(program: Program, index: int, variant: Variant, gene: Gene, build: str | None,
                  parsed_c: ParsedHgvs | None, report: Report) -> list[Problem]:
    window = variant.window
    if window is None:
        return []
    if bare_chromosome(window.chrom) != bare_chromosome(gene.chrom):
        return [report(("variants", index, "window", "chrom"),
                       f"window is on {window.chrom} but {gene.symbol} is on {gene.chrom}")]
    if build is not None and window.build is not None and window.build != build:
        return [report(("variants", index, "window", "build"),
                       f"window was read from {window.build} but the program's reference is {build} "
                       "(reference.build): fetch it again with `basket window`")]
    try:
        variant_sequence(program, variant, parsed=parsed_c)
    except DesignError as error:
        return [report(("variants", index, *error.path), str(error))]
    return []


def _allele_keys(program: Program, variant: Variant) -> Iterator[str]:
    """Names of the allele that do not depend on how it was written (accession given or not)."""
    gene = program.genes_by_symbol.get(variant.gene)
    yield f"{variant.gene}:{variant.hgvs_c.strip().rpartition(':')[2]}"
    if variant.hgvs_g and gene is not None:
        accession, _, change = variant.hgvs_g.strip().rpartition(":")
        known = accession_chromosome(accession) if accession else None
        yield f"chr{known[0] if known else bare_chromosome(gene.chrom)}:{change}"


def _repeated_alleles(program: Program, report: Report) -> Iterator[Problem]:
    """One allele recorded under two variant ids would be counted, planned and rendered twice."""
    first_with: dict[str, int] = {}
    for index, variant in enumerate(program.variants):
        for key in _allele_keys(program, variant):
            first = first_with.setdefault(key, index)
            if first != index:
                earlier = program.variants[first]
                where = report(("variants", first, "id"), "")
                field_name = "hgvs_c" if key.startswith(f"{variant.gene}:") else "hgvs_g"
                yield report(("variants", index, field_name),
                             f"the same allele as variant {earlier.id} ({where.file}:{where.line}); record an allele "
                             "once (a homozygous patient lists it twice in its genotype)")
                break


def narrow_window_warnings(program: Program, report: Report) -> list[Problem]:
    """Windows too short for the longest guide of the editors in play (catalogue and program)."""
    reach = program.editors_reach
    warnings = []
    for index, variant in enumerate(program.variants):
        window, position = variant.window, _window_variant_position(variant)
        if window is None or position is None:
            continue
        short = min(position - window.start, window.end - position)
        if short < reach:
            warnings.append(report(("variants", index, "window"),
                                   f"the window reaches only {short} bases past the variant on one side; guides of "
                                   f"the editors in play need {reach}: some may be missed (fetch it with "
                                   "`basket window`)"))
    return warnings


def _window_variant_position(variant: Variant) -> int | None:
    if variant.window is not None and variant.window.variant_position is not None:
        return variant.window.variant_position
    try:
        return parse_hgvs(variant.hgvs_g).start.base if variant.hgvs_g else None
    except HgvsError:
        return None


@dataclass(frozen=True)
class ReferenceCheck:
    """What comparing a program with its reference found."""

    problems: list[Problem]  # windows that differ from the reference, hgvs_g it contradicts
    windows_verified: int  # windows equal to the reference base for base
    placed: int  # variants without a window whose hgvs_g reference base the reference confirms
    unverified: list[str] = field(default_factory=list)  # "VARIANT: why", for windows or variants it cannot check


def check_against_reference(loaded: LoadedProgram, reference: ProgramReference) -> ReferenceCheck:
    """Every base of every window compared with the reference, and every other single-base variant's
    hgvs_g placed on it; nothing to compare (and nothing reported) without a reference."""
    genome = reference.genome
    if genome is None:
        return ReferenceCheck([], 0, 0, [f"{v.id}: no reference to compare the window with"
                                         for v in loaded.program.variants if v.window is not None])
    program = loaded.program
    problems: list[Problem] = []
    verified = placed = 0
    unverified: list[str] = []
    for index, variant in enumerate(program.variants):
        try:
            if variant.window is not None:
                if verify_window(variant, genome, reference.label):
                    verified += 1
                else:
                    unverified.append(f"{variant.id}: the reference {reference.label} has no "
                                      f"{variant.window.contig or variant.window.chrom}")
                continue
            sequence = variant_sequence(program, variant, reference)
        except DesignError as error:
            problems.append(loaded.locator.problem(("variants", index, *error.path), str(error)))
            continue
        if sequence.origin == "reference":
            placed += 1
        elif sequence.missing == "no_contig":
            unverified.append(f"{variant.id}: {sequence.why}")
    return ReferenceCheck(problems, verified, placed, unverified)
