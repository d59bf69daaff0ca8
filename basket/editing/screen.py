"""Screen a table or VCF of genomic variants against an indexed FASTA with one or more editors.

Input columns (TSV/CSV, header required, case-insensitive): ``chrom``, ``pos`` (1-based),
``ref``, ``alt`` (+ strand), optional ``id``, ``strand`` (gene strand) and ``c_pos`` (the
variant's c. number, which with ``strand`` lets bystander consequences be computed). VCF files
use their standard columns. All input problems are reported together as ``file:line: column: message``.
"""

from __future__ import annotations

import csv
import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import IO, Literal

import pyfaidx

from basket.editing.classify import Classification, classify
from basket.editing.editors import Editor
from basket.editing.guides import editors_reach
from basket.editing.hgvs import change_class, parsed_from_alleles
from basket.editing.reference_fasta import open_reference
from basket.editing.sequence_context import SequenceContext
from basket.foundation.atomic_output import new_temporary_file
from basket.foundation.output_location import check_output_location
from basket.foundation.text_tables import spreadsheet_text

Progress = Callable[[int, int], None]  # (variants done, variants in total)
ALLELE_ALPHABET = frozenset("ACGTN")
PROGRESS_EVERY = 1000


class ScreenInputError(ValueError):
    """The variants file (or its agreement with the FASTA) has problems; ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class VariantRecord:
    line: int
    id: str
    chrom: str
    pos: int
    ref: str
    alt: str
    gene_strand: Literal["+", "-"] | None = None
    c_pos: int | None = None


@dataclass(frozen=True, slots=True)
class ScreenRow:
    line: int
    id: str
    chrom: str
    pos: int
    ref: str
    alt: str
    status: str
    editor: str | None
    protospacer: str | None
    pam: str | None
    strand: str | None
    start: int | None
    end: int | None
    target_position: int | None
    guides: int
    bystanders: str  # "c.1002:synonymous;c.1008:synonymous" or "210591885:unknown (no transcript)"
    reason: str


TABLE_COLUMNS = [f.name for f in fields(ScreenRow)]


def screen(
    variants_file: str | Path,
    fasta_path: str | Path,
    editors: Editor | Sequence[Editor],
    progress: Progress | None = None,
) -> Iterator[ScreenRow]:
    """Classify every variant; the first editor is the platform, the rest its alternatives.

    Rows come out in input order. Everything is checked before the first row is yielded, so a
    :class:`ScreenInputError` (bad rows, unknown contigs, reference mismatches) leaves no partial output.
    """
    platform, *others = [editors] if isinstance(editors, Editor) else list(editors)
    genome = open_reference(fasta_path, as_raw=True, sequence_always_upper=True)
    contig_lengths = {name: len(record) for name, record in genome.records.items()}
    records = read_variants(variants_file, contig_lengths)
    flank = editors_reach((platform, *others))
    rows, problems = _screen_records(records, genome, platform, others, flank, progress, str(variants_file))
    if problems:
        raise ScreenInputError(problems)
    yield from rows


def _screen_records(
    records: list[VariantRecord],
    genome: pyfaidx.Fasta,
    platform: Editor,
    others: list[Editor],
    flank: int,
    progress: Progress | None,
    source: str,
) -> tuple[list[ScreenRow], list[str]]:
    rows: list[ScreenRow | None] = [None] * len(records)
    problems: list[str] = []
    done = 0
    for chrom, indices in _by_contig(records).items():
        contig = str(genome[chrom][:])  # one read per contig: slicing a str beats per-variant seeks
        for index in indices:
            record = records[index]
            found = contig[record.pos - 1 : record.pos - 1 + len(record.ref)]
            if found != record.ref:
                problems.append(
                    f"{source}:{record.line}: ref: {record.ref} does not match the FASTA, which has "
                    f"{found} at {chrom}:{record.pos}"
                )
                continue
            rows[index] = _screen_one(record, contig, platform, others, flank)
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, len(records))
    if progress:
        progress(done, len(records))
    return [row for row in rows if row is not None], problems


def _by_contig(records: list[VariantRecord]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        groups.setdefault(record.chrom, []).append(index)
    return groups


def _screen_one(record: VariantRecord, contig: str, platform: Editor, others: list[Editor], flank: int) -> ScreenRow:
    parsed = parsed_from_alleles(record.pos, record.ref, record.alt, record.chrom)
    context = None
    if change_class(parsed) == "transition":
        first = max(1, record.pos - flank)
        context = SequenceContext(
            chrom=record.chrom,
            start=first,
            sequence=contig[first - 1 : record.pos + flank],
            variant_position=record.pos,
            ref=record.ref,
            alt=record.alt,
            gene_strand=record.gene_strand,
            variant_c=record.c_pos,
            label=record.id,
        )
    return _row(record, classify(parsed, context, platform, others))


def _row(record: VariantRecord, result: Classification) -> ScreenRow:
    guide = result.guide
    bystanders = ";".join(f"{b.c or b.position}:{b.consequence}" for b in guide.bystanders) if guide else ""
    return ScreenRow(
        line=record.line,
        id=record.id,
        chrom=record.chrom,
        pos=record.pos,
        ref=record.ref,
        alt=record.alt,
        status=result.status,
        editor=result.editor,
        protospacer=guide.protospacer if guide else None,
        pam=guide.pam if guide else None,
        strand=guide.strand if guide else None,
        start=guide.start if guide else None,
        end=guide.end if guide else None,
        target_position=guide.target_position if guide else None,
        guides=len(result.guides),
        bystanders=bystanders,
        reason=result.reason,
    )


# --- reading -----------------------------------------------------------------------------------


def read_variants(path: str | Path, contig_lengths: dict[str, int]) -> list[VariantRecord]:
    """Parse a TSV, CSV or VCF (optionally .gz) of variants; raise ScreenInputError listing every problem."""
    path = Path(path)
    problems: list[str] = []
    if not path.is_file():  # a named pipe would be read forever
        raise ScreenInputError([f"{path}: not a regular file"])
    try:
        with _open_binary(path) as handle:
            lines = _decoded_lines(handle, str(path))
            if _format_of(path) == "vcf":
                records = list(_read_vcf(lines, str(path), contig_lengths, problems))
            else:
                delimiter = "," if _format_of(path) == "csv" else "\t"
                records = list(_read_table(lines, str(path), delimiter, contig_lengths, problems))
    except (OSError, EOFError, zlib.error, csv.Error) as error:  # a truncated or corrupt .gz, a NUL byte
        raise ScreenInputError([f"{path}: cannot read: {getattr(error, 'strerror', None) or error}"]) from None
    if problems:
        raise ScreenInputError(problems)
    return records


def _format_of(path: Path) -> Literal["vcf", "csv", "tsv"]:
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    last = suffixes[-1] if suffixes else ""
    return "vcf" if last == ".vcf" else "csv" if last == ".csv" else "tsv"


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def _decoded_lines(handle: IO[bytes], source: str) -> Iterator[str]:
    """The file's lines as text, read as they are needed (a VCF can be large); a line that is not
    UTF-8 stops reading with its line number. A spreadsheet's byte order mark is fine."""
    for number, raw in enumerate(handle, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            byte = raw[error.start]
            message = f"{source}:{number}: not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
            raise ScreenInputError([message]) from None


def _read_table(
    handle: Iterable[str], source: str, delimiter: str, contig_lengths: dict[str, int], problems: list[str]
) -> Iterator[VariantRecord]:
    reader = csv.reader(handle, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        problems.append(f"{source}:1: header: the file is empty; expected columns chrom, pos, ref, alt")
        return
    columns = {name.strip().lower().lstrip("#"): i for i, name in enumerate(header)}
    missing = [name for name in ("chrom", "pos", "ref", "alt") if name not in columns]
    if missing:
        problems.append(f"{source}:1: header: missing column(s) {', '.join(missing)}")
        return
    for line, cells in enumerate(reader, start=2):
        if not cells or not "".join(cells).strip() or cells[0].startswith("#"):
            continue
        if len(cells) != len(header):
            problems.append(f"{source}:{line}: row: has {len(cells)} fields, the header has {len(header)}")
            continue
        record = _record(
            source, line, {name: cells[i].strip() for name, i in columns.items()}, contig_lengths, problems
        )
        if record is not None:
            yield record


def _read_vcf(
    handle: Iterable[str], source: str, contig_lengths: dict[str, int], problems: list[str]
) -> Iterator[VariantRecord]:
    seen_header = False
    for line, text in enumerate(handle, start=1):
        text = text.rstrip("\r\n")
        if text.startswith("##") or not text.strip():
            continue
        if text.startswith("#"):
            seen_header = True
            continue
        cells = text.split("\t")
        if not seen_header or len(cells) < 5:
            problems.append(f"{source}:{line}: row: expected a #CHROM header and at least 5 tab-separated columns")
            continue
        chrom, pos, vid, ref, alts = cells[:5]
        for alt in alts.split(","):
            values = {"chrom": chrom, "pos": pos, "id": "" if vid == "." else vid, "ref": ref, "alt": alt}
            record = _record(source, line, values, contig_lengths, problems)
            if record is not None:
                yield record


def _record(
    source: str, line: int, values: dict[str, str], contig_lengths: dict[str, int], problems: list[str]
) -> VariantRecord | None:
    """Validate one row's fields; append every problem found and return the record if none."""
    errors: list[str] = []
    chrom, ref, alt = values["chrom"], values["ref"].upper(), values["alt"].upper()
    pos = _positive_int(values["pos"], "pos", errors)
    if chrom not in contig_lengths:
        errors.append(f"chrom: contig {chrom!r} is not in the FASTA")
    elif pos is not None and pos + max(len(ref), 1) - 1 > contig_lengths[chrom]:
        errors.append(f"pos: {pos} is past the end of {chrom} ({contig_lengths[chrom]} bp)")
    if not ref or not ALLELE_ALPHABET.issuperset(ref):
        errors.append(f"ref: {values['ref']!r} is not a sequence of A, C, G, T, N")
    if not alt or not (ALLELE_ALPHABET.issuperset(alt) or alt == "*" or alt.startswith("<")):
        errors.append(f"alt: {values['alt']!r} is not a sequence of A, C, G, T, N (or a VCF symbolic allele)")
    strand = values.get("strand", "") or None
    if strand not in (None, "+", "-"):
        errors.append(f"strand: {strand!r} must be '+' or '-'")
    c_pos = _c_number(values.get("c_pos", ""), errors)
    if c_pos is not None and strand is None:
        errors.append("c_pos: a c. position needs the gene strand in the 'strand' column")
    if errors:
        problems.extend(f"{source}:{line}: {error}" for error in errors)
        return None
    identifier = values.get("id") or f"{chrom}:{pos}{ref}>{alt}"
    return VariantRecord(line, identifier, chrom, pos, ref, alt, strand, c_pos)  # type: ignore[arg-type]


def _positive_int(text: str, column: str, errors: list[str]) -> int | None:
    try:
        value = int(text)
    except ValueError:
        errors.append(f"{column}: {text!r} is not a whole number")
        return None
    if value < 1:
        errors.append(f"{column}: {value} must be 1 or more (positions are 1-based)")
        return None
    return value


def _c_number(text: str, errors: list[str]) -> int | None:
    text = text.removeprefix("c.")
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        errors.append(f"c_pos: {text!r} is not a c. number (intronic and c.* positions are not supported here)")
        return None
    if value == 0:
        errors.append("c_pos: there is no c.0 in HGVS numbering")
        return None
    return value


# --- writing -----------------------------------------------------------------------------------


def write_table(rows: Iterable[ScreenRow], path: str | Path, format: Literal["tsv", "csv"] | None = None,
                inputs: Iterable[Path | None] = ()) -> None:
    """Write rows as TSV or CSV (default: from the file suffix), atomically via a temp file + rename.
    `path` must not be one of `inputs` (the files the screen read) nor lie inside one."""
    path = Path(path)
    check_output_location(path, inputs, folder=False)
    delimiter = "," if (format or _format_of(path)) == "csv" else "\t"
    fd, temp = new_temporary_file(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
            writer.writerow(TABLE_COLUMNS)
            for row in rows:
                writer.writerow("" if value is None else spreadsheet_text(value) if isinstance(value, str) else value
                                for value in astuple(row))
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
