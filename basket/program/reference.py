"""Which reference FASTA a command reads: `--fasta`, else the one the program names.

A program names its reference once, in a `reference:` section (build, and the FASTA by path or
through an environment variable), so that every command plans on the same sequence. A reference
the program names but this machine does not have (the variable unset, the file absent) is not an
error: the commands run, say so, and report the windows as unverified. A file that exists but is
not a usable FASTA is bad input (exit 2), as with `--fasta`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from basket.editing.reference_fasta import ReferenceGenome, open_genome, reference_genome
from basket.foundation.problems import InputError, Problem

if TYPE_CHECKING:
    from basket.program.load import LoadedProgram


@dataclass(frozen=True)
class ProgramReference:
    """The reference a command uses (`fasta`), or why there is none (`unavailable`)."""

    fasta: Path | None
    build: str | None  # as the program names it; None when it names none
    origin: str  # where the choice came from, for messages: "--fasta", "$BASKET_GRCH38", "reference.fasta"
    unavailable: str | None = None  # why no FASTA is used (a sentence), when fasta is None
    named: bool = False  # the program has a `reference:` section

    @property
    def genome(self) -> ReferenceGenome | None:
        return open_genome(self.fasta) if self.fasta is not None else None

    @property
    def label(self) -> str:
        """`GRCh38 (hg38.fa)`, `hg38.fa` without a build, `none` without a FASTA."""
        if self.fasta is None:
            return f"{self.build} (FASTA not available)" if self.build else "none"
        return f"{self.build} ({self.fasta.name})" if self.build else self.fasta.name

    @property
    def warning(self) -> str | None:
        """What to tell the user when the program names a reference this machine lacks."""
        if self.fasta is not None or not self.named:
            return None
        return (f"the program's {self.build} reference is not available here ({self.unavailable}): sequence "
                "windows are not verified and variants without a window are not searched")


NO_REFERENCE = ProgramReference(None, None, "", "the program names no reference and --fasta was not given")


def program_reference(loaded: LoadedProgram, override: Path | None = None,
                      environ: Mapping[str, str] | None = None) -> ProgramReference:
    """The reference for this run: `override` (--fasta), else the program's `reference:` section.

    A FASTA that is chosen is opened at once, so one that cannot be indexed is reported (InputError)
    even when no variant needs it."""
    environ = os.environ if environ is None else environ
    settings = loaded.program.reference
    build = settings.build if settings else None
    if override is not None:
        chosen = ProgramReference(Path(override), build, "--fasta", named=settings is not None)
    elif settings is None:
        return NO_REFERENCE
    else:
        chosen = _named(loaded, settings, environ)
    if chosen.fasta is not None:
        reference_genome(chosen.fasta)  # raises InputError (file:line) for a FASTA pyfaidx cannot index
    return chosen


def _named(loaded: LoadedProgram, settings, environ: Mapping[str, str]) -> ProgramReference:
    variable = settings.fasta_env
    if variable and environ.get(variable):
        path, origin = Path(environ[variable]).expanduser(), f"${variable}"
    elif settings.fasta:
        path, origin = Path(settings.fasta).expanduser(), "reference.fasta"
        if not path.is_absolute():
            path = loaded.root / path
    else:
        why = f"${variable} is not set" if variable else "it names no FASTA (give reference.fasta or --fasta)"
        return ProgramReference(None, settings.build, "", why, named=True)
    if not path.exists():
        return ProgramReference(None, settings.build, origin, f"{origin} names {path}, which does not exist",
                                named=True)
    if not path.is_file():
        raise InputError([_problem(loaded, f"{origin} names {path}, which is not a regular file")])
    return ProgramReference(path, settings.build, origin, named=True)


def _problem(loaded: LoadedProgram, message: str) -> Problem:
    return loaded.locator.problem(("reference",), message)


def required_reference(loaded: LoadedProgram, override: Path | None = None) -> ProgramReference:
    """The reference, for a command that cannot run without one (`basket window`)."""
    chosen = program_reference(loaded, override)
    if chosen.fasta is None:
        if chosen.named:
            raise InputError([_problem(loaded, f"the {chosen.build} reference is not available: {chosen.unavailable} "
                                       "(or pass --fasta)")])
        raise InputError([Problem(str(loaded.root), 0, "reference",
                                  "no reference FASTA: add a `reference:` section to the program "
                                  "(see docs/program-format.md) or pass --fasta")])
    return chosen
