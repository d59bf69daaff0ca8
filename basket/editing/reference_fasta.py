"""Opening a reference FASTA (`--fasta`) with pyfaidx, with its problems as bad input.

pyfaidx reads the index `PATH.fai` beside the FASTA, and writes it there when missing, as
`samtools faidx` does. A file it cannot index (text before the first `>`, lines of uneven
length, an empty file, gzip that is not bgzip) is reported as `file:line: message`, exit 2.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from basket.editing.assemblies import accession_chromosome, bare_chromosome
from basket.foundation.problems import InputError, Problem

_LINE = re.compile(r"\bat line (\d+)")
# Spans closer than this are read together (`ReferenceGenome.fetch_many`): one more pyfaidx read costs
# about as much as decoding a thousand more bases of the file (measured: ~3 us against ~3 ns a base).
NEARBY = 1_000


def open_reference(path: str | Path, **options: Any):
    """`pyfaidx.Fasta(path, **options)`, or InputError saying why the file cannot be used."""
    import pyfaidx

    path = Path(path)
    if not path.is_file():  # a named pipe would be read forever
        raise InputError([Problem(str(path), 0, "", "the reference FASTA is not a regular file")])
    try:
        return pyfaidx.Fasta(str(path), **options)
    except (pyfaidx.FastaIndexingError, pyfaidx.UnsupportedCompressionFormat) as error:
        raise InputError([_problem(path, str(error))]) from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError([Problem(str(path), 0, "", f"cannot read the reference FASTA: {reason}")]) from None


def _problem(path: Path, message: str) -> Problem:
    found = _LINE.search(message)
    line = int(found.group(1)) if found else 0
    text = _LINE.sub("", message).replace(f" in {path.name}", "").replace(f" {path.name}", "")
    text = re.sub(r"\s+([.,;:!])", r"\1", " ".join(text.split()))
    return Problem(str(path), line, "", "not a usable reference FASTA: " + text)


def reference_files(path: Path | None) -> list[Path]:
    """The FASTA and the index files read (and written when missing) beside it: what an output
    must never replace."""
    if path is None:
        return []
    return [path, Path(f"{path}.fai"), Path(f"{path}.gzi")]


@lru_cache(maxsize=4)  # one open index per reference, however many variants use it
def reference_genome(path: Path):
    return open_reference(path, as_raw=True)


class ReferenceGenome:
    """Windows of an indexed reference FASTA by 1-based inclusive coordinates, upper case.

    A chromosome is found under the FASTA's own name for it: `chr2`, `2` or its RefSeq accession
    (`NC_000002.12`, as NCBI's FASTA names it), and `chrM`/`MT` for the mitochondrion.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fasta = reference_genome(self.path)
        self.lengths = {name: record.rlen for name, record in self._fasta.faidx.index.items()}  # read only
        self._contigs: dict[tuple[str, str | None], str | None] = {}
        self._places: dict[tuple[str | None, str], tuple[str, str | None]] = {}

    @property
    def file_name(self) -> str:
        return self.path.name

    def contig(self, chrom: str, accession: str | None = None) -> str | None:
        """The FASTA's name for a chromosome, or None when the FASTA does not hold it."""
        key = (chrom, accession)
        if key not in self._contigs:
            bare = bare_chromosome(chrom)
            names = (accession, chrom, f"chr{bare}", bare) + (("chrMT", "MT") if bare == "M" else ())
            self._contigs[key] = next((name for name in names if name and name in self.lengths), None)
        return self._contigs[key]

    def place(self, accession: str | None, chrom: str) -> tuple[str, str | None]:
        """The chromosome an HGVS g. accession names (a RefSeq chromosome accession names its own; any
        other leaves `chrom`, the gene's) and the FASTA's contig for it (None when the FASTA lacks it).
        Worked out once per pair: a program's variants share a handful of them."""
        key = (accession, chrom)
        placed = self._places.get(key)
        if placed is None:
            known = accession_chromosome(accession) if accession else None
            named = f"chr{known[0]}" if known else chrom
            placed = self._places[key] = (named, self.contig(named, accession))
        return placed

    def length(self, contig: str) -> int:
        return self.lengths[contig]

    def fetch(self, contig: str, first: int, last: int) -> str:
        """Bases `first`..`last` (1-based, inclusive, inside the contig) on the + strand, upper case."""
        return self._fasta.faidx.fetch(contig, first, last).upper()

    def fetch_many(self, spans: Sequence[tuple]) -> list[str]:
        """The bases of every span, as `fetch` reads each, in the order given. A span is a tuple that
        starts with `(contig, first, last)`; what follows is ignored, so callers pass their own records.

        Read in genome order, and spans less than NEARBY bases apart in one read of the stretch that
        covers them, each then a slice of it: for thousands of short windows most of the cost of a read
        is pyfaidx's work per call (its arithmetic, the seek), and reading forward keeps the file's
        buffer useful."""
        sequences = [""] * len(spans)
        for contig, indices in self._genome_order(spans):
            firsts, lasts = [spans[i][1] for i in indices], [spans[i][2] for i in indices]
            at, count = 0, len(indices)
            while at < count:
                start, end, upto = firsts[at], lasts[at], at + 1
                while upto < count and firsts[upto] - end <= NEARBY:  # near enough: read in the same stretch
                    end, upto = max(end, lasts[upto]), upto + 1
                stretch = self.fetch(contig, start, end)
                for k in range(at, upto):
                    sequences[indices[k]] = stretch[firsts[k] - start:lasts[k] - start + 1]
                at = upto
        return sequences

    @staticmethod
    def _genome_order(spans: Sequence[tuple]) -> list[tuple[str, list[int]]]:
        """Each contig with its spans' indices by first base, contigs by name. (Sorting the first bases,
        plain integers, then splitting by contig takes half the time of sorting the tuples.)"""
        firsts = [span[1] for span in spans]
        by_contig: dict[str, list[int]] = {}
        for index in sorted(range(len(spans)), key=firsts.__getitem__):
            by_contig.setdefault(spans[index][0], []).append(index)
        return sorted(by_contig.items())


@lru_cache(maxsize=4)
def open_genome(path: Path) -> ReferenceGenome:
    """The reference at `path`, opened once per process (its index and contig names read once)."""
    return ReferenceGenome(path)


def forget_references() -> None:
    """Close every reference opened so far (tests and benchmarks that write many FASTA files)."""
    open_genome.cache_clear()
    reference_genome.cache_clear()
