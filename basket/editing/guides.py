"""Guide search: protospacers on either strand that put the mutant base in an editor's window.

Guides are designed on the *mutant* sequence (the allele to correct). Protospacer positions are
1-based from the PAM-distal (5') end; genomic coordinates are 1-based, inclusive, start <= end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, Literal

from basket.editing.consequence import (
    KNOWN_SAFE,
    base_change_consequence,
    codon_edit_consequence,
    codon_number_of,
    severity,
)
from basket.editing.editors import Editor
from basket.editing.sequence import complement, pam_regex, reverse_complement
from basket.editing.sequence_context import SequenceContext

Strand = Literal["+", "-"]

# Cas9 tolerates mismatches at the PAM-distal end of the protospacer but not in the ~10 nt next
# to the PAM (the "seed"). A guide is called allele-specific only when the variant falls there.
SEED_LENGTH = 10


@dataclass(frozen=True)
class Bystander:
    """Another editable base in the window; its consequence is judged on the corrected allele."""

    position: int  # genomic, 1-based
    c: str | None  # c. label (with intronic offset outside the coding bounds); None without transcript
    protospacer_position: int
    window: Literal["core", "extended"]
    change: str  # on the protospacer strand, e.g. "A>G"
    plus_strand_change: str
    coding_strand_change: str | None
    consequence: str
    protein_change: str | None

    @property
    def is_known_safe(self) -> bool:
        return self.consequence in KNOWN_SAFE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CodonOutcome:
    """The worst of the combined edits of two or more bystanders that share one codon.

    Every non-empty subset of the codon's editable bases is edited together (on the corrected codon,
    so with the target restored) and the most severe outcome is kept: two adenines of a TAA stop
    codon are each synonymous alone, but TAA -> TGG (Trp) is a stop loss."""

    codon: int  # codon number, 1 = start codon
    positions: tuple[int, ...]  # genomic positions of the bases edited together in the worst outcome
    c: tuple[str | None, ...]  # their c. labels
    ref_codon: str  # coding strand, 5'->3'
    alt_codon: str
    consequence: str
    protein_change: str | None
    combinations: int  # how many subsets were enumerated (2^k - 1 for k bystanders in the codon)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["positions"], data["c"] = list(self.positions), list(self.c)
        return data


@dataclass(frozen=True)
class Guide:
    editor: str
    protospacer: str  # 5'->3' on its own strand
    pam: str
    strand: Strand
    start: int
    end: int
    pam_start: int
    pam_end: int
    target_position: int
    in_core_window: bool
    allele_specific: bool
    bystanders: tuple[Bystander, ...]
    codon_outcomes: tuple[CodonOutcome, ...] = ()  # codons with several bystanders, each its worst combination
    worst_consequence: str | None = None  # of the bystanders alone and edited together; None without bystanders
    worst_protein_change: str | None = None
    rank: int = 0
    score: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def has_unsafe_bystander(self) -> bool:
        """Bystander edits, alone or together, that are not known to be synonymous or non-coding."""
        return self.worst_consequence is not None and self.worst_consequence not in KNOWN_SAFE

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bystanders"] = [b.to_dict() for b in self.bystanders]
        data["codon_outcomes"] = [o.to_dict() for o in self.codon_outcomes]
        data["notes"] = list(self.notes)
        return data


def editors_reach(editors: Iterable[Editor]) -> int:
    """Bases needed on each side of a variant for every guide of these editors to be found, with its
    PAM and the codons of its bystanders, on either strand.

    A guide that puts the target at protospacer position p (inside the outer window lo..hi) reaches
    p - 1 bases to the PAM-distal side of the target and spacer_length - p + the PAM's length to the
    PAM side; its bystanders lie at most hi - lo bases from the target and reading their codons takes
    2 bases more. The largest of these over every editor and position is the flank; a guide on the
    - strand is the mirror image, so one flank serves both strands.
    """
    reach = 0
    for editor in editors:
        lo, hi = editor.outer_window
        pam = max(len(p) for p in editor.pams)
        reach = max(reach, hi - 1, hi - lo + 2, editor.spacer_length - lo + pam)
    return reach


def find_guides(context: SequenceContext, editor: Editor) -> list[Guide]:
    """All guides with which ``editor`` reverts the variant in ``context``, best first.

    Empty when the editor's deaminase cannot turn the mutant base back into the reference base.
    """
    if not _reverts_variant(context, editor):
        return []
    mutant = context.mutant_sequence
    found = [guide for strand in ("+", "-") for guide in _guides_on_strand(context, editor, mutant, strand)]
    ranked = sorted(found, key=lambda g: _sort_key(g, editor))
    for rank, guide in enumerate(ranked, start=1):
        # Ranks exist only once all guides are sorted; these fresh objects are not shared yet, and
        # setting the field in place is several times cheaper than dataclasses.replace in a screen.
        object.__setattr__(guide, "rank", rank)
    return ranked


def _reverts_variant(context: SequenceContext, editor: Editor) -> bool:
    """Editing the mutant base, on the strand where it reads as the editable base, restores the reference."""
    if context.alt == editor.edited_base:
        return context.ref == editor.product_base
    if context.alt == complement(editor.edited_base):
        return context.ref == complement(editor.product_base)
    return False


def _plus_product(editor: Editor, strand: Strand) -> str:
    """The + strand base left after the deaminase edits a protospacer on ``strand``."""
    return editor.product_base if strand == "+" else complement(editor.product_base)


def _guides_on_strand(context: SequenceContext, editor: Editor, mutant: str, strand: Strand) -> list[Guide]:
    target = _to_strand_index(context.variant_index, strand, len(mutant))
    mutant_base = mutant[context.variant_index]
    if (mutant_base if strand == "+" else complement(mutant_base)) != editor.edited_base:
        return []
    seq = mutant if strand == "+" else reverse_complement(mutant)
    guides = []
    lo, hi = editor.outer_window
    # A PAM starting at p puts the target at protospacer position target + spacer_length + 1 - p.
    first_pam, last_pam = target + editor.spacer_length + 1 - hi, target + editor.spacer_length + 1 - lo
    for match in _pam_finder(tuple(editor.pams)).finditer(seq, max(first_pam, 0)):
        if match.start() > last_pam:
            break
        spacer_start = match.start() - editor.spacer_length
        if spacer_start >= 0 and "N" not in seq[spacer_start : match.start()]:
            pam = next(group for group in match.groups() if group is not None)
            position = target - spacer_start + 1
            guides.append(_make_guide(context, editor, seq, strand, (spacer_start, pam), position))
    return guides


@lru_cache(maxsize=64)
def _pam_finder(pams: tuple[str, ...]) -> re.Pattern[str]:
    """Finds every PAM start (overlapping) of any pattern; when several match at one place the
    first pattern in the editor's order names the PAM, so NG and NGG at one site are one guide."""
    alternatives = "|".join(f"({pam_regex(pam).pattern})" for pam in pams)
    return re.compile(f"(?=(?:{alternatives}))")


def _make_guide(
    context: SequenceContext, editor: Editor, seq: str, strand: Strand, site: tuple[int, str], target_position: int
) -> Guide:
    spacer_start, pam = site
    spacer_end = spacer_start + editor.spacer_length
    start, end = _genomic_span(context, strand, spacer_start, spacer_end)
    pam_start, pam_end = _genomic_span(context, strand, spacer_end, spacer_end + len(pam))
    in_core = editor.window_of(target_position) == "core"
    allele_specific = target_position > editor.spacer_length - SEED_LENGTH
    bystanders = _bystanders(context, editor, seq, strand, spacer_start, target_position)
    outcomes = codon_outcomes(context, bystanders)
    worst = _worst(bystanders, outcomes)
    safe = worst is None or worst[0] in KNOWN_SAFE
    return Guide(
        editor=editor.name,
        protospacer=seq[spacer_start:spacer_end],
        pam=pam,
        strand=strand,
        start=start,
        end=end,
        pam_start=pam_start,
        pam_end=pam_end,
        target_position=target_position,
        in_core_window=in_core,
        allele_specific=allele_specific,
        bystanders=bystanders,
        codon_outcomes=outcomes,
        worst_consequence=worst[0] if worst else None,
        worst_protein_change=worst[1] if worst else None,
        score=_score(in_core, safe, allele_specific, _centre_distance(target_position, editor), editor),
        notes=context.notes,
    )


def _bystanders(
    context: SequenceContext, editor: Editor, seq: str, strand: Strand, spacer_start: int, target_position: int
) -> tuple[Bystander, ...]:
    # The reference window is the corrected allele: editing the target restores the reference base.
    corrected = context.sequence
    edited, product = editor.edited_base, editor.product_base
    plus_change = f"{edited}>{product}" if strand == "+" else f"{complement(edited)}>{complement(product)}"
    coding_change = _coding_change(plus_change, context.gene_strand)
    lo, hi = editor.outer_window
    found = []
    for position in range(lo, hi + 1):
        index = spacer_start + position - 1
        if position == target_position or seq[index] != edited:
            continue
        genomic = context.start + _to_strand_index(index, strand, len(seq))
        consequence = base_change_consequence(context, corrected, genomic, _plus_product(editor, strand))
        window = editor.window_of(position)
        assert window is not None
        found.append(
            Bystander(
                position=genomic,
                c=context.c_label(genomic),
                protospacer_position=position,
                window=window,
                change=f"{edited}>{product}",
                plus_strand_change=plus_change,
                coding_strand_change=coding_change,
                consequence=consequence.kind,
                protein_change=consequence.protein_change,
            )
        )
    return tuple(found)


def codon_outcomes(context: SequenceContext, bystanders: tuple[Bystander, ...]) -> tuple[CodonOutcome, ...]:
    """For each codon holding two or more coding bystanders, the worst outcome over every non-empty
    subset of them edited together, judged on the corrected sequence (the target restored)."""
    by_codon: dict[int, list[Bystander]] = {}
    for b in bystanders:
        if context.has_transcript and context.is_coding(b.position):
            by_codon.setdefault(codon_number_of(context, b.position), []).append(b)
    outcomes = []
    for codon, members in sorted(by_codon.items()):
        if len(members) < 2:
            continue  # one base alone: its own consequence says it all
        subsets = [c for size in range(1, len(members) + 1) for c in combinations(members, size)]
        judged = [(_together(context, subset), subset) for subset in subsets]
        consequence, subset = max(judged, key=lambda pair: (severity(pair[0].kind), -len(pair[1])))
        ref_codon, alt_codon = _codons(context, subset)
        outcomes.append(CodonOutcome(
            codon=codon, positions=tuple(b.position for b in subset), c=tuple(b.c for b in subset),
            ref_codon=ref_codon, alt_codon=alt_codon, consequence=consequence.kind,
            protein_change=consequence.protein_change, combinations=len(subsets),
        ))
    return tuple(outcomes)


def _together(context: SequenceContext, subset: tuple[Bystander, ...]):
    edits = {b.position: b.plus_strand_change[-1] for b in subset}
    return codon_edit_consequence(context, context.sequence, edits)


def _codons(context: SequenceContext, subset: tuple[Bystander, ...]) -> tuple[str, str]:
    """The codon before and after the subset's edits, on the coding strand (empty past the window)."""
    first_c = 3 * (codon_number_of(context, subset[0].position) - 1) + 1
    positions = [context.position_of_c(first_c + k) for k in range(3)]
    if not all(context.start <= p <= context.end for p in positions):
        return "", ""
    edits = {b.position: b.plus_strand_change[-1] for b in subset}
    ref = "".join(context.sequence[p - context.start] for p in positions)
    alt = "".join(edits.get(p, context.sequence[p - context.start]) for p in positions)
    return (complement(ref), complement(alt)) if context.gene_strand == "-" else (ref, alt)


def _worst(bystanders: tuple[Bystander, ...], outcomes: tuple[CodonOutcome, ...]) -> tuple[str, str | None] | None:
    """The most severe consequence of the bystanders alone and of each codon's combined edits."""
    found = [(b.consequence, b.protein_change) for b in bystanders]
    found += [(o.consequence, o.protein_change) for o in outcomes]
    return max(found, key=lambda pair: (severity(pair[0]), pair[1] or "")) if found else None


def _coding_change(plus_change: str, gene_strand: str | None) -> str | None:
    if gene_strand is None:
        return None
    return plus_change if gene_strand == "+" else complement(plus_change)


def _to_strand_index(index: int, strand: Strand, length: int) -> int:
    """Map a 0-based index between the + strand and the strand's own 5'->3' string (an involution)."""
    return index if strand == "+" else length - 1 - index


def _genomic_span(context: SequenceContext, strand: Strand, begin: int, end: int) -> tuple[int, int]:
    """1-based inclusive genomic (start, end) of the half-open strand interval [begin, end)."""
    if strand == "+":
        return context.start + begin, context.start + end - 1
    length = len(context.sequence)
    return context.start + length - end, context.start + length - 1 - begin


def _centre_distance(target_position: int, editor: Editor) -> float:
    lo, hi = editor.core_window
    return abs(target_position - (lo + hi) / 2)


def _sort_key(guide: Guide, editor: Editor) -> tuple[object, ...]:
    unsafe = sum(not b.is_known_safe for b in guide.bystanders)
    worst = severity(guide.worst_consequence) if guide.worst_consequence else -1
    return (
        not guide.in_core_window,
        guide.has_unsafe_bystander,
        not guide.allele_specific,
        _centre_distance(guide.target_position, editor),
        worst,
        unsafe,
        len(guide.bystanders),
        guide.strand,
        guide.start,
    )


def _score(in_core: bool, safe: bool, allele_specific: bool, centre_distance: float, editor: Editor) -> float:
    """A 0-15 number that orders guides like the ranking's first four criteria (for display)."""
    closeness = 1 - centre_distance / editor.spacer_length
    return round(8 * in_core + 4 * safe + 2 * allele_specific + closeness, 3)
