"""Gene and exon / intron / intergenic labels for sites, from a GTF/GFF or a BED file.

GTF/GFF: `gene` records give genes (name from gene_name, else gene_id / Name / ID) and `exon` records
exons. BED: each line is a gene (name column 4); a BED12 line's blocks are its exons, and a BED line
without blocks gives the gene only, so its sites are labelled `genic` (exon or intron unknown).
A site is `exon` when any of its bases (protospacer or PAM) lies in an exon, `intron` when it lies in
a gene but no exon, `intergenic` otherwise. Coordinates are converted to 1-based inclusive.
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from basket.foundation.problems import InputError, Problem

_ATTRIBUTE = re.compile(r'(\w+)[ =]"?([^";]+)"?')


@dataclass
class _Intervals:
    """Intervals of one contig, searchable for overlap: sorted starts and the running maximum end."""

    items: list[tuple[int, int, str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    max_end: list[int] = field(default_factory=list)

    def freeze(self) -> None:
        self.items.sort()
        self.starts = [start for start, _, _ in self.items]
        running = 0
        self.max_end = []
        for _, end, _ in self.items:
            running = max(running, end)
            self.max_end.append(running)

    def overlapping(self, low: int, high: int) -> list[str]:
        found = []
        index = bisect_right(self.starts, high) - 1
        while index >= 0 and self.max_end[index] >= low:
            _, end, name = self.items[index]
            if end >= low:
                found.append(name)
            index -= 1
        return sorted(set(found))


@dataclass
class Annotation:
    source: str
    genes: dict[str, _Intervals] = field(default_factory=dict)
    exons: dict[str, _Intervals] = field(default_factory=dict)
    has_exons: bool = False

    def label(self, contig: str, start: int, end: int) -> dict[str, str]:
        genes = self.genes[contig].overlapping(start, end) if contig in self.genes else []
        exons = self.exons[contig].overlapping(start, end) if contig in self.exons else []
        if exons:
            return {"gene": ",".join(sorted(set(genes) | set(exons))), "region": "exon"}
        if genes:
            return {"gene": ",".join(genes), "region": "intron" if self.has_exons else "genic"}
        return {"gene": "", "region": "intergenic"}


def read_annotation(path: Path) -> Annotation:
    path = Path(path)
    name = path.name.lower().removesuffix(".gz")
    reader = _bed_line if name.endswith(".bed") else _gtf_line
    annotation = Annotation(path.name)
    problems: list[Problem] = []
    try:
        with _open(path) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.rstrip("\r\n")
                if not line or line.startswith(("#", "track", "browser")):
                    continue
                try:
                    reader(annotation, line.split("\t"))
                except ValueError as error:
                    problems.append(Problem(str(path), number, "", str(error)))
                if len(problems) >= 20:
                    break
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError([Problem(str(path), 0, "", f"cannot read the annotation: {error}")]) from None
    if problems:
        raise InputError(problems)
    for table in (*annotation.genes.values(), *annotation.exons.values()):
        table.freeze()
    return annotation


def _open(path: Path):
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rt", encoding="utf-8") if compressed else path.open(encoding="utf-8")


def _gtf_line(annotation: Annotation, cells: list[str]) -> None:
    if len(cells) != 9:
        raise ValueError(f"{len(cells)} tab-separated fields; a GTF/GFF line has 9")
    contig, kind, start, end, attributes = cells[0], cells[2], cells[3], cells[4], cells[8]
    if kind not in ("gene", "exon"):
        return
    low, high = _span(start, end, one_based=True)
    values = dict(_ATTRIBUTE.findall(attributes))
    gene = values.get("gene_name") or values.get("gene_id") or values.get("Name") or values.get("ID") or "?"
    target = annotation.genes if kind == "gene" else annotation.exons
    target.setdefault(contig, _Intervals()).items.append((low, high, gene))
    annotation.has_exons |= kind == "exon"


def _bed_line(annotation: Annotation, cells: list[str]) -> None:
    if len(cells) < 4:
        raise ValueError(f"{len(cells)} fields; the BED needs chrom, start, end and name")
    contig, name = cells[0], cells[3]
    low, high = _span(cells[1], cells[2], one_based=False)
    annotation.genes.setdefault(contig, _Intervals()).items.append((low, high, name))
    if len(cells) >= 12:
        sizes = [int(v) for v in cells[10].strip(",").split(",") if v]
        offsets = [int(v) for v in cells[11].strip(",").split(",") if v]
        if len(sizes) != len(offsets):
            raise ValueError("blockSizes and blockStarts differ in length")
        for size, offset in zip(sizes, offsets):
            annotation.exons.setdefault(contig, _Intervals()).items.append((low + offset, low + offset + size - 1,
                                                                             name))
        annotation.has_exons = True


def _span(start: str, end: str, one_based: bool) -> tuple[int, int]:
    try:
        low, high = int(start), int(end)
    except ValueError:
        raise ValueError(f"start {start!r} / end {end!r} are not whole numbers") from None
    low = low if one_based else low + 1  # BED is 0-based, half-open
    if low < 1 or high < low:
        raise ValueError(f"start {start} and end {end} are not an interval")
    return low, high
