"""Document control: the program's recorded versions, and the ICH M11 "overview of changes" of the
current amendment, both from `basket diff` (`basket.changes.program_diff`) between the versions.

A program records its earlier versions under `umbrella.history`, each a copy of that version's files
in `versions/NAME/` (a folder the loader leaves out of the program itself). `program_history` diffs
each recorded version against the one before it, and the last one against the program as it is now,
once per render; `history_context` is what one document shows of it: the master protocol every
change, an appendix only the changes that reach it.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

from basket.changes.program_diff import Change, ProgramDiff, diff_programs
from basket.documents.document_context import Gaps
from basket.program.load import LoadedProgram, program_files
from basket.program.model import RecordedVersion

ORIGINAL = "Original version."


@dataclass(frozen=True)
class ProgramHistory:
    recorded: list[RecordedVersion]  # oldest first, as the program lists them
    diffs: list[ProgramDiff | None]  # diffs[i]: from the version before recorded[i] (None for the first)
    current: ProgramDiff | None  # from the last recorded version to the program as it is now


def program_history(loaded: LoadedProgram) -> ProgramHistory:
    recorded = list(loaded.program.umbrella.history)
    folders = [loaded.root / entry.program for entry in recorded]
    diffs: list[ProgramDiff | None] = [None]
    diffs += [diff_programs(old, new, usdm=False) for old, new in itertools.pairwise(folders)]
    current = diff_programs(folders[-1], loaded.root, usdm=False) if folders else None
    return ProgramHistory(recorded, diffs if recorded else [], current)


def document_inputs(loaded: LoadedProgram) -> dict[str, str]:
    """What the documents are made from, file -> sha256 (manifest.json's inputs): the program's files
    and those of its recorded versions, which make the version history."""
    return {**loaded.inputs, **_recorded_inputs(loaded)}


def _recorded_inputs(loaded: LoadedProgram) -> dict[str, str]:
    """Every file of the recorded versions -> sha256."""
    inputs = {}
    for entry in loaded.program.umbrella.history:
        for path in program_files(loaded.root / entry.program):
            inputs[path.relative_to(loaded.root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return inputs


def history_context(history: ProgramHistory, loaded: LoadedProgram, gaps: Gaps,
                    variant: str | None = None) -> dict[str, Any]:
    """The version table and the current amendment's changes, as one document shows them (an
    appendix, `variant`, shows only the changes that reach it)."""
    umbrella = loaded.program.umbrella
    versions = [{"version": entry.version, "date": entry.date.isoformat() if entry.date else "",
                 "changes": _summary(diff, variant), "note": entry.summary or ""}
                for entry, diff in zip(history.recorded, history.diffs)]
    versions.append({"version": umbrella.protocol_version,
                     "date": umbrella.protocol_date.isoformat() if umbrella.protocol_date else "",
                     "changes": _summary(history.current, variant), "note": "current version"})
    amendment = None
    if history.current is not None:
        changes = _reaching(history.current.changes, variant)
        amendment = {
            "previous": history.recorded[-1].version,
            "current": umbrella.protocol_version,
            "rationale": gaps.value(umbrella.amendment_rationale,
                                    "rationale of the current amendment (umbrella.amendment_rationale)"),
            "changes": [{"section": c.section, "description": c.description, "why": c.why} for c in changes],
            "consequences": ([] if variant else history.current.plan_changes + history.current.readiness_changes),
        }
    return {"versions": versions, "amendment": amendment}


def _reaching(changes: list[Change], variant: str | None) -> list[Change]:
    return changes if variant is None else [c for c in changes if variant in c.appendices]


def _summary(diff: ProgramDiff | None, variant: str | None) -> str:
    if diff is None:
        return ORIGINAL
    changes = _reaching(diff.changes, variant)
    if not changes:
        return "No change to this appendix." if variant else "No change to the protocol text."
    sections = list(dict.fromkeys(c.section for c in changes))
    return f"{len(changes)} change(s): " + "; ".join(sections) + "."
