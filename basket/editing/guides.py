"""Guide search: protospacers on either strand that put the mutant base in an editor's window.

Guides are designed on the *mutant* sequence (the allele to correct). Protospacer positions are
1-based from the PAM-distal (5') end; genomic coordinates are 1-based, inclusive, start <= end.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from basket.editing.consequence import KNOWN_SAFE, base_change_consequence
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
    rank: int = 0
    score: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def has_unsafe_bystander(self) -> bool:
        """A bystander not known to be synonymous or non-coding (missense, nonsense, unknown...)."""
        return any(not b.is_known_safe for b in self.bystanders)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bystanders"] = [b.to_dict() for b in self.bystanders]
        data["notes"] = list(self.notes)
        return data


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
    safe = all(b.is_known_safe for b in bystanders)
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
    return (
        not guide.in_core_window,
        unsafe > 0,
        not guide.allele_specific,
        _centre_distance(guide.target_position, editor),
        unsafe,
        len(guide.bystanders),
        guide.strand,
        guide.start,
    )


def _score(in_core: bool, safe: bool, allele_specific: bool, centre_distance: float, editor: Editor) -> float:
    """A 0-15 number that orders guides like the ranking's first four criteria (for display)."""
    closeness = 1 - centre_distance / editor.spacer_length
    return round(8 * in_core + 4 * safe + 2 * allele_specific + closeness, 3)
