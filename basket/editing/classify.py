"""Decide whether a variant belongs on the platform editor, another editor, or another modality."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from basket.editing.editors import Editor
from basket.editing.guides import Guide, find_guides
from basket.editing.hgvs import ParsedHgvs, correcting_deaminase
from basket.editing.sequence import complement
from basket.editing.sequence_context import SequenceContext, SequenceMismatchError

Status = Literal["platform", "other_editor", "other_modality", "no_sequence"]


@dataclass(frozen=True)
class Classification:
    variant: str
    status: Status
    reason: str  # full sentences, for a regulatory writer
    deaminase: Literal["ABE", "CBE"] | None = None  # the deaminase that would revert the variant
    editor: str | None = None  # the editor whose guide is proposed
    guide: Guide | None = None  # that editor's best guide
    guides: tuple[Guide, ...] = ()  # all of that editor's guides, best first

    def to_dict(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "status": self.status,
            "reason": self.reason,
            "deaminase": self.deaminase,
            "editor": self.editor,
            "guide": self.guide.to_dict() if self.guide else None,
            "guides": [g.to_dict() for g in self.guides],
        }


def classify(
    parsed: ParsedHgvs,
    context: SequenceContext | None,
    platform_editor: Editor,
    catalogue: Mapping[str, Editor] | Iterable[Editor],
) -> Classification:
    """Classify one variant; ``catalogue`` may include the platform editor (it is skipped)."""
    if context is not None:
        _check_alleles_agree(parsed, context)
    strand = context.gene_strand if context is not None and context.gene_strand else "+"
    correction = correcting_deaminase(parsed, strand)
    name = parsed.text
    if correction.deaminase is None:
        return Classification(name, "other_modality", correction.reason)
    if context is None:
        return Classification(
            name,
            "no_sequence",
            f"{correction.reason} No sequence context was given, so no guide could be searched; "
            "give the reference window or a FASTA to decide which editor can reach it.",
            correction.deaminase,
        )
    platform_guides = find_guides(context, platform_editor)
    if platform_guides:
        return Classification(
            name,
            "platform",
            f"{correction.reason} The platform editor {platform_editor.name} reaches it: "
            f"{describe_guide(platform_guides[0])}",
            correction.deaminase,
            platform_editor.name,
            platform_guides[0],
            tuple(platform_guides),
        )
    why_not = _why_not(platform_editor, correction.deaminase)
    others = _other_editors(context, platform_editor, catalogue)
    if others:
        editor, guides = others[0]
        return Classification(
            name,
            "other_editor",
            f"{correction.reason} The platform editor {platform_editor.name} cannot correct it ({why_not}); "
            f"{editor.name} can: {describe_guide(guides[0])}",
            correction.deaminase,
            editor.name,
            guides[0],
            tuple(guides),
        )
    return Classification(
        name,
        "other_modality",
        f"{correction.reason} However, no editor can reach it: the platform editor {platform_editor.name} "
        f"cannot ({why_not}), and {_catalogue_summary(catalogue, platform_editor, correction.deaminase)}. "
        "It needs prime editing or another modality.",
        correction.deaminase,
    )


def describe_guide(guide: Guide) -> str:
    """One sentence on a guide: protospacer, PAM, strand, window position, bystanders."""
    window = "core" if guide.in_core_window else "extended"
    return (
        f"its best guide {guide.protospacer} ({guide.pam} PAM, {guide.strand} strand, "
        f"{guide.start}-{guide.end}) places the mutant base at protospacer position "
        f"{guide.target_position}, in the {window} window, with {_bystander_summary(guide)}."
    )


def _bystander_summary(guide: Guide) -> str:
    if not guide.bystanders:
        return "no other editable base in the window"
    count = len(guide.bystanders)
    noun = "bystander base" if count == 1 else "bystander bases"
    kinds = sorted({b.consequence for b in guide.bystanders})
    if kinds == ["synonymous"] and guide.worst_consequence == "synonymous":
        together = ", also when edited together" if guide.codon_outcomes else ""
        return f"{count} {noun}, {'synonymous' if count == 1 else 'all synonymous'}{together}"
    details = ", ".join(
        f"{b.c or b.position} {b.consequence}{f' ({b.protein_change})' if b.protein_change else ''}"
        for b in guide.bystanders
    )
    combined = "".join(
        f"; edited together, {' and '.join(c or str(p) for c, p in zip(o.c, o.positions, strict=True))} give "
        f"{o.ref_codon}>{o.alt_codon}, {o.consequence}{f' ({o.protein_change})' if o.protein_change else ''}"
        for o in guide.codon_outcomes if len(o.positions) > 1  # a single base is already described alone
    )
    return f"{count} {noun} ({details}{combined})"


def _why_not(editor: Editor, needed: str) -> str:
    if editor.deaminase != needed:
        return f"it is {_a(editor.deaminase)} and the variant needs {_a(needed)}"
    lo, hi = editor.outer_window
    return f"no {'/'.join(editor.pams)} PAM places the mutant base in its window {lo}-{hi}"


def _a(deaminase: str) -> str:
    return f"an {deaminase}" if deaminase == "ABE" else f"a {deaminase}"


def _other_editors(
    context: SequenceContext, platform: Editor, catalogue: Mapping[str, Editor] | Iterable[Editor]
) -> list[tuple[Editor, list[Guide]]]:
    """Catalogue editors with at least one guide, the one whose best guide ranks best first."""
    editors = catalogue.values() if isinstance(catalogue, Mapping) else catalogue
    found = []
    for editor in editors:
        if editor.name == platform.name:
            continue
        guides = find_guides(context, editor)
        if guides:
            found.append((editor, guides))
    found.sort(key=lambda pair: (-pair[1][0].score, pair[0].name))
    return found


def _catalogue_summary(catalogue: Mapping[str, Editor] | Iterable[Editor], platform: Editor, needed: str) -> str:
    editors = catalogue.values() if isinstance(catalogue, Mapping) else catalogue
    names = sorted(e.name for e in editors if e.deaminase == needed and e.name != platform.name)
    if not names:
        return f"the catalogue has no other {needed}"
    return f"no PAM of the other {needed}s in the catalogue ({', '.join(names)}) places it in their windows"


def _check_alleles_agree(parsed: ParsedHgvs, context: SequenceContext) -> None:
    if not parsed.is_snv:
        return
    ref, alt = parsed.ref, parsed.alt
    if parsed.on_transcript and context.gene_strand == "-":
        ref, alt = complement(ref or ""), complement(alt or "")
    if (ref, alt) != (context.ref, context.alt):
        raise SequenceMismatchError(
            f"{parsed.text}: reads {ref}>{alt} on the + strand but its sequence context "
            f"{context.name} carries {context.ref}>{context.alt}"
        )
