"""What to search for: the guides, the editor's PAMs and window, and the limits on differences."""

from __future__ import annotations

from dataclasses import dataclass

from basket.editing.editors import Editor
from basket.editing.sequence import SEQUENCE_ALPHABET
from basket.foundation.problems import InputError, Problem

MAX_MISMATCHES = 8
MAX_BULGES = 2


@dataclass(frozen=True)
class OffTargetQuery:
    guides: tuple[str, ...]  # protospacers 5'->3', A/C/G/T, each editor.spacer_length long
    editor: Editor
    max_mismatches: int = 4
    max_bulges: int = 1
    noncanonical_pams: bool = False  # search the editor's weaker PAMs too

    @property
    def spacer(self) -> int:
        return self.editor.spacer_length

    @property
    def pams(self) -> tuple[str, ...]:
        """Canonical PAMs first: where patterns overlap at one place, the first names the site's PAM."""
        extra = self.editor.noncanonical_pams if self.noncanonical_pams else []
        return tuple(self.editor.pams) + tuple(pam for pam in extra if pam not in self.editor.pams)

    def is_canonical(self, pam_index: int) -> bool:
        return pam_index < len(self.editor.pams)


def make_query(guides: list[str], editor: Editor, max_mismatches: int = 4, max_bulges: int = 1,
               noncanonical_pams: bool = False) -> OffTargetQuery:
    """A checked query; InputError naming the option at fault otherwise. A guide in RNA letters is read as DNA."""
    problems = []
    cleaned = []
    for guide in guides:
        text = guide.strip().upper().replace("U", "T")
        if not text or not SEQUENCE_ALPHABET.issuperset(text) or "N" in text:
            problems.append(Problem("--guide", 0, "", f"{guide!r} is not a protospacer of A, C, G, T (or U)"))
        elif len(text) != editor.spacer_length:
            problems.append(Problem("--guide", 0, "", f"{guide!r} has {len(text)} nt; editor {editor.name} "
                                    f"uses {editor.spacer_length}-nt protospacers"))
        cleaned.append(text)
    if not 0 <= max_mismatches <= MAX_MISMATCHES:
        problems.append(Problem("--mismatches", 0, "", f"{max_mismatches} is outside 0..{MAX_MISMATCHES}"))
    if not 0 <= max_bulges <= MAX_BULGES:
        problems.append(Problem("--bulges", 0, "", f"{max_bulges} is outside 0..{MAX_BULGES}"))
    elif editor.spacer_length + 2 * max_bulges > 32:
        problems.append(Problem("--bulges", 0, "", f"a {editor.spacer_length}-nt spacer with {max_bulges} "
                                "bulge(s) exceeds the 32 bases the scan packs into a register"))
    if not guides:
        problems.append(Problem("--guide", 0, "", "no guide to search"))
    if problems:
        raise InputError(problems)
    return OffTargetQuery(tuple(dict.fromkeys(cleaned)), editor, max_mismatches, max_bulges, noncanonical_pams)
