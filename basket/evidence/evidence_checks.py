"""Checks on evidence documents and on natural history, the inputs readiness relies on.

Two questions, both pure functions of the program (plus, for documents, the
files beside it):

* Is each evidence document still the one that was reviewed? A document that
  is missing, or whose sha256 differs from the recorded one, is flagged; the
  readiness rules then count the item as partial. A document without a
  recorded sha256 is noted (nothing to compare against) but not downgraded.
* Is a disease's natural history adequate as an external control? Adequate
  means at least one natural-history entry with a source, a population, a
  cohort size `n` and at least one measure that has a value and a citation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from basket.program.model import Disease, Evidence, NaturalHistory, Program

# Document flag kinds; the first two make the evidence item count as partial.
MISSING = "missing"
CHANGED = "hash_changed"
UNHASHED = "no_hash"
DOWNGRADING = frozenset({MISSING, CHANGED})


@dataclass(frozen=True)
class DocumentFlag:
    evidence: str
    document: str
    kind: str  # missing | hash_changed | no_hash
    message: str

    @property
    def downgrades(self) -> bool:
        return self.kind in DOWNGRADING


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_document(item: Evidence, root: Path) -> DocumentFlag | None:
    """The flag for one evidence item's document, or None when it is fine (or there is none)."""
    if item.document is None:
        return None
    path = root / item.document
    if not path.is_file():
        return DocumentFlag(item.id, item.document, MISSING, f"document {item.document} is missing")
    if item.sha256 is None:
        return DocumentFlag(item.id, item.document, UNHASHED,
                            f"document {item.document} has no recorded sha256 (changes cannot be detected)")
    actual = file_sha256(path)
    if actual != item.sha256:
        return DocumentFlag(item.id, item.document, CHANGED,
                            f"document {item.document} changed: sha256 {actual[:12]}… differs from the "
                            f"recorded {item.sha256[:12]}…")
    return None


def check_documents(program: Program, root: Path) -> dict[str, DocumentFlag]:
    """Evidence id -> flag, for every evidence item whose document needs attention."""
    flags = {}
    for item in program.evidence:
        flag = check_document(item, root)
        if flag is not None:
            flags[item.id] = flag
    return flags


@dataclass(frozen=True)
class NaturalHistoryCheck:
    disease: str
    adequate: bool
    entries: list[str]  # natural-history ids that are adequate
    missing: list[str]  # what is lacking, when not adequate


def entry_gaps(history: NaturalHistory) -> list[str]:
    """What one natural-history entry lacks to be adequate (empty when adequate)."""
    gaps = []
    if not history.source:
        gaps.append(f"{history.id}: source")
    if not history.population:
        gaps.append(f"{history.id}: population")
    if history.n is None:
        gaps.append(f"{history.id}: cohort size n")
    if not any(m.value is not None and m.source for m in history.measures):
        gaps.append(f"{history.id}: at least one measure with a value and its citation")
    return gaps


def check_natural_history(disease: Disease) -> NaturalHistoryCheck:
    if not disease.natural_history:
        gap = (f"natural history of {disease.name}: source, population, n and at least one baseline measure "
               "with value and citation")
        return NaturalHistoryCheck(disease.id, False, [], [gap])
    adequate = [h.id for h in disease.natural_history if not entry_gaps(h)]
    missing = [] if adequate else [gap for h in disease.natural_history for gap in entry_gaps(h)]
    return NaturalHistoryCheck(disease.id, bool(adequate), adequate, missing)
