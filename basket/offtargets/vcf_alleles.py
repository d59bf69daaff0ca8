"""A patient's alleles from a VCF (plain or gzip/bgzip): SNVs, MNVs and short indels, with phase.

Why not cyvcf2 or pysam (both installable): on a malformed record they raise a bare ``Exception`` with
htslib's message and no line number, and print warnings to stderr; basket reports bad input as
`file:line: field: message` and writes nothing. We need five columns and one sample's GT, so a small
reader keeps that promise (docs/decisions.md, "Off-target nomination").

Which alleles count: with a sample, the alleles its GT calls (``--sample``, default the first sample);
without samples (a population VCF), every ALT allele. Symbolic (``<DEL>``), spanning-deletion (``*``)
and missing (``.``) alleles, and alleles longer than MAX_ALLELE_LENGTH, are skipped and counted.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from basket.foundation.problems import InputError, Problem

MAX_ALLELE_LENGTH = 50  # "short" indels: longer alleles are structural variants, out of scope here
_ALLELE = re.compile(r"^[ACGTNacgtn]+$")
_GT = re.compile(r"^(\.|\d+)([|/](\.|\d+))*$")


@dataclass(frozen=True)
class Allele:
    """One alternate allele, trimmed of the bases it shares with REF: ``ref`` replaced by ``alt`` at
    ``position`` (1-based); an insertion has ref "" and sits before ``position``, a deletion has alt ""."""

    id: str
    contig: str
    position: int
    ref: str
    alt: str
    line: int

    @property
    def ref_end(self) -> int:
        """Last reference base replaced (position - 1 for an insertion)."""
        return self.position + len(self.ref) - 1


@dataclass
class ContigAlleles:
    """One contig's alleles, by how they combine (each list in position order).

    ``phased``: haplotype "1" / "2" -> the alleles on it, applied together. ``alone``: alleles whose
    haplotype is unknown (unphased heterozygous calls, or every ALT of a VCF without samples), each
    applied on its own on top of ``background``: unphased homozygous alleles, on both haplotypes.
    """

    phased: dict[str, list[Allele]] = field(default_factory=dict)
    alone: list[Allele] = field(default_factory=list)
    background: list[Allele] = field(default_factory=list)

    def all(self) -> list[Allele]:
        return [a for alleles in self.phased.values() for a in alleles] + self.alone + self.background


@dataclass
class PatientAlleles:
    """The alleles of one sample (or of every ALT, without samples), by contig."""

    source: str
    sample: str | None
    phased: bool
    contigs: dict[str, ContigAlleles] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    alleles: int = 0

    def count_skipped(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def describe(self) -> dict:
        return {"vcf": Path(self.source).name, "sample": self.sample, "phased": self.phased, "alleles": self.alleles,
                "skipped": dict(sorted(self.skipped.items()))}


def read_alleles(path: Path, sample: str | None = None) -> PatientAlleles:
    problems: list[Problem] = []
    records = list(_records(Path(path), sample, problems))
    if problems:
        raise InputError(problems)
    columns = records[0] if records else None
    return _contexts(Path(path), columns, records[1:], problems)


def _open_text(path: Path) -> Iterator[str]:
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError([Problem(str(path), number, "", "not valid UTF-8 text")]) from None


def _records(path: Path, sample: str | None, problems: list[Problem]):
    """First the chosen sample's (name, column index or None), then (line, chrom, pos, ref, alts, gt)."""
    if not path.is_file():
        raise InputError([Problem(str(path), 0, "", "the VCF is not a regular file")])
    column = None
    header_seen = False
    try:
        for number, text in enumerate(_open_text(path), start=1):
            text = text.rstrip("\r\n")
            if number == 1 and not text.startswith("##fileformat=VCF"):
                raise InputError([Problem(str(path), 1, "", "not a VCF: the first line must be ##fileformat=VCFv4.x")])
            if text.startswith("##") or not text:
                continue
            if text.startswith("#"):
                column = _sample_column(path, number, text.split("\t"), sample)
                header_seen = True
                yield column
                continue
            if not header_seen:
                raise InputError([Problem(str(path), number, "", "a record before the #CHROM header line")])
            record = _record(path, number, text.split("\t"), column[1], problems)
            if record is not None:
                yield record
    except (OSError, EOFError, zlib.error) as error:
        raise InputError([Problem(str(path), 0, "", f"cannot read the VCF: {error}")]) from None
    if not header_seen:
        raise InputError([Problem(str(path), 0, "", "no #CHROM header line")])


def _sample_column(path: Path, line: int, cells: list[str], sample: str | None) -> tuple[str | None, int | None]:
    samples = cells[9:]
    if sample is None:
        return (samples[0], 9) if samples else (None, None)
    if sample not in samples:
        known = ", ".join(samples) or "none"
        raise InputError([Problem(str(path), line, "--sample", f"no sample {sample!r} (samples: {known})")])
    return sample, 9 + samples.index(sample)


def _record(path: Path, line: int, cells: list[str], column: int | None, problems: list[Problem]):
    where = str(path)
    if len(cells) < 5 or (column is not None and len(cells) <= column):
        problems.append(Problem(where, line, "", f"{len(cells)} tab-separated fields; expected the VCF columns"))
        return None
    chrom, pos, vid, ref, alts = cells[:5]
    if not pos.isdigit() or int(pos) < 1:
        problems.append(Problem(where, line, "POS", f"{pos!r} is not a position (1-based whole number)"))
        return None
    if not _ALLELE.match(ref):
        problems.append(Problem(where, line, "REF", f"{ref!r} is not a sequence of A, C, G, T, N"))
        return None
    gt = None
    if column is not None:
        keys = cells[8].split(":") if len(cells) > 8 else []
        if "GT" not in keys:
            problems.append(Problem(where, line, "FORMAT", "no GT field for the sample"))
            return None
        values = cells[column].split(":")
        gt = values[keys.index("GT")] if keys.index("GT") < len(values) else "."
        if not _GT.match(gt):
            problems.append(Problem(where, line, "GT", f"{gt!r} is not a genotype such as 0|1 or 1/1"))
            return None
    return line, chrom, int(pos), ref.upper(), alts.split(","), vid, gt


def _contexts(path: Path, columns, records, problems: list[Problem]) -> PatientAlleles:
    sample = columns[0] if columns else None
    result = PatientAlleles(str(path), sample, phased=False)
    for line, chrom, pos, ref, alts, vid, gt in records:
        called, phased = _called(gt, len(alts))
        for index, alt in enumerate(alts, start=1):
            if gt is not None and index not in called:
                continue
            allele = _allele(path, line, chrom, pos, ref, alt, vid, index, len(alts), result, problems)
            if allele is None:
                continue
            result.alleles += 1
            contig = result.contigs.setdefault(chrom, ContigAlleles())
            if gt is None or called[index] == "heterozygous":
                contig.alone.append(allele)
            elif phased:
                result.phased = True
                for haplotype, carried in enumerate(called[index], start=1):
                    if carried:
                        contig.phased.setdefault(str(haplotype), []).append(allele)
            else:
                contig.background.append(allele)
    if problems:
        raise InputError(problems)
    for contig in result.contigs.values():
        for haplotype in contig.phased:  # homozygous calls lie on both phased haplotypes too
            contig.phased[haplotype] += contig.background
        for alleles in (*contig.phased.values(), contig.alone, contig.background):
            alleles.sort(key=lambda a: (a.position, a.ref_end, a.alt))
    return result


def _called(gt: str | None, count: int):
    """Allele index -> its haplotypes (phased: a (hap1, hap2) tuple of booleans) or 'homozygous' /
    'heterozygous'; and whether the call is phased."""
    if gt is None:
        return {}, False
    parts = re.split(r"[|/]", gt)
    phased = "|" in gt and "/" not in gt and len(parts) > 1
    called = {}
    for index in {int(p) for p in parts if p != "." and p != "0"}:
        if index > count:
            continue
        if phased:
            called[index] = tuple(p == str(index) for p in parts)
        else:
            called[index] = "homozygous" if all(p == str(index) for p in parts) else "heterozygous"
    return called, phased


def _allele(path: Path, line: int, chrom: str, pos: int, ref: str, alt: str, vid: str, index: int, count: int,
            result: PatientAlleles, problems: list[Problem]) -> Allele | None:
    if alt in ("*", ".") or alt.startswith("<") or "[" in alt or "]" in alt:
        result.count_skipped("symbolic or missing")
        return None
    if not _ALLELE.match(alt):
        problems.append(Problem(str(path), line, "ALT", f"{alt!r} is not a sequence of A, C, G, T, N"))
        return None
    if max(len(ref), len(alt)) > MAX_ALLELE_LENGTH:
        result.count_skipped(f"longer than {MAX_ALLELE_LENGTH} bp")
        return None
    alt = alt.upper()
    name = vid if vid not in ("", ".") else f"{chrom}:{pos}{ref}>{alt}"
    if count > 1 and vid not in ("", "."):
        name = f"{vid}:{alt}"
    trimmed_ref, trimmed_alt, position = _trim(ref, alt, pos)
    if not trimmed_ref and not trimmed_alt:
        result.count_skipped("same as REF")
        return None
    return Allele(name, chrom, position, trimmed_ref, trimmed_alt, line)


def _trim(ref: str, alt: str, pos: int) -> tuple[str, str, int]:
    """Drop the bases REF and ALT share at the end, then at the start (VCF pads indels with one)."""
    while ref and alt and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while ref and alt and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    return ref, alt, pos
