"""HGVS variant descriptions: parsing (through the biocommons ``hgvs`` grammar), allele class,
and which deaminase, if any, could revert the variant.

Only the grammar of biocommons ``hgvs`` is used; no transcript database (UTA) is consulted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

import hgvs.edit
import hgvs.exceptions
import hgvs.parser
from bioutils.sequences import aa1_to_aa3

from basket.editing.sequence import complement

Coordinate = Literal["c", "g", "n", "m", "r", "p"]
Kind = Literal["substitution", "deletion", "insertion", "delins", "duplication", "other"]
ChangeClass = Literal["transition", "transversion", "indel", "other"]
Datum = Literal["seq_start", "cds_start", "cds_end"]

_KIND_BY_EDIT_TYPE: dict[str, Kind] = {
    "sub": "substitution",
    "del": "deletion",
    "ins": "insertion",
    "delins": "delins",
    "dup": "duplication",
}
_DATUM_NAMES: dict[str, Datum] = {"SEQ_START": "seq_start", "CDS_START": "cds_start", "CDS_END": "cds_end"}
_TRANSITIONS = {frozenset("AG"), frozenset("CT")}
_PARSE_ERROR_CHAR = re.compile(r"char (\d+): (.*)$", re.DOTALL)


class HgvsError(ValueError):
    """An HGVS string could not be parsed, or is not of a supported form."""


@dataclass(frozen=True)
class HgvsPosition:
    """One position of an HGVS interval.

    ``base`` is the number written in the description (negative for 5' UTR in c.), ``offset``
    the intronic offset (``c.1000+1`` -> base 1000, offset 1) and ``datum`` what ``base`` counts
    from: ``cds_end`` for ``c.*N`` (3' UTR), ``cds_start`` for other c. positions.
    """

    base: int
    offset: int = 0
    datum: Datum = "seq_start"

    @property
    def is_intronic(self) -> bool:
        return self.offset != 0

    def __str__(self) -> str:
        star = "*" if self.datum == "cds_end" else ""
        offset = f"{self.offset:+d}" if self.offset else ""
        return f"{star}{self.base}{offset}"


@dataclass(frozen=True)
class ParsedHgvs:
    """The parts of an HGVS description that guide design needs.

    For ``p.`` descriptions ``start``/``end`` are residue numbers and ``ref``/``alt`` are
    three-letter amino-acid codes (``Gln``, ``Ter``).
    """

    text: str
    accession: str | None
    coordinate: Coordinate
    kind: Kind
    start: HgvsPosition
    end: HgvsPosition
    ref: str | None
    alt: str | None

    @property
    def is_dna(self) -> bool:
        return self.coordinate in ("c", "g", "n", "m")

    @cached_property  # asked of every variant by every stage; the description is frozen
    def is_snv(self) -> bool:
        """A single-nucleotide substitution with both alleles known."""
        return (
            self.is_dna
            and self.kind == "substitution"
            and self.ref is not None
            and self.alt is not None
            and len(self.ref) == len(self.alt) == 1
        )

    @property
    def on_transcript(self) -> bool:
        """True when alleles are written on the transcript strand (c., n., r.) rather than genomic +."""
        return self.coordinate in ("c", "n", "r")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Correction:
    """Which deaminase could revert a variant, and why (a full sentence)."""

    deaminase: Literal["ABE", "CBE"] | None
    reason: str


@lru_cache(maxsize=65_536)  # bounded
def parse_hgvs(text: str) -> ParsedHgvs:
    """Parse ``NM_001875.5:c.1003C>T``, or a bare ``c.1003C>T``, into a :class:`ParsedHgvs`.

    Raises :class:`HgvsError` quoting the string and the 1-based column of the problem. Results
    are cached (they are frozen): validation, planning and `basket window` parse the same strings.
    """
    return _parse_checked(text.strip())


@lru_cache(maxsize=65_536)  # validation and planning parse each variant's description again
def _parse_checked(stripped: str) -> ParsedHgvs:
    _require_ascii(stripped)
    parsed = _fast_parse(stripped) or _parse_slow(stripped)
    _require_real_positions(parsed)
    return parsed


def _require_ascii(text: str) -> None:
    """HGVS is ASCII: the grammar would read other digits (`१००३`, fullwidth `１`) as numbers."""
    if text.isascii():
        return
    index, char = next((i, c) for i, c in enumerate(text) if not c.isascii())
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    raise HgvsError(f"cannot parse HGVS {_clip(text)!r}: column {index + 1} ({char!r}, {name}): HGVS is written "
                    "in ASCII letters and the digits 0-9")


# the position part of a nucleotide description: one position, or two joined by `_`
_POSITIONS = re.compile(r"\(?(?P<first>[*-]?[0-9]+(?:[+-][0-9]+)?)(?:_(?P<last>[*-]?[0-9]+(?:[+-][0-9]+)?))?")
_NUMBER_PARTS = re.compile(r"(?P<star>\*?)(?P<base>-?[0-9]+)(?:(?P<sign>[+-])(?P<offset>[0-9]+))?")


def _require_real_positions(parsed: ParsedHgvs) -> None:
    """Refuse positions no sequence has: c.0 (c. numbering skips from c.-1 to c.1), g.0, p.0 as a
    residue, c.*0, an intronic offset of 0 (c.100+0), leading zeros (c.01003), and ranges that
    do not run 5' to 3' (c.200_100del, c.*5_100del) or run from a position to itself."""
    text = parsed.text
    if parsed.coordinate == "p":
        if parsed.start.base < 1 or parsed.end.base < 1:
            raise HgvsError(f"HGVS {text!r}: residue 0 does not exist (residues are numbered from 1)")
        if parsed.end.base < parsed.start.base:
            raise HgvsError(f"HGVS {text!r}: the range must run from the N-terminal residue to the C-terminal one")
        return
    found = _POSITIONS.match(text.rpartition(":")[2][2:])
    if found is None:  # pragma: no cover - the grammar accepted it, so it has a position
        return
    positions = [_position_key(text, parsed.coordinate, part) for part in (found["first"], found["last"]) if part]
    if len(positions) == 2 and positions[1] <= positions[0]:
        first, last = found["first"], found["last"]
        problem = ("a range from a position to itself; write the single position" if positions[1] == positions[0]
                   else f"the range must run 5' to 3' ({parsed.coordinate}.{first} comes after "
                        f"{parsed.coordinate}.{last})")
        raise HgvsError(f"HGVS {text!r}: {problem}")


def _position_key(text: str, coordinate: str, written: str) -> tuple[int, int, int]:
    """Where a written position lies along the sequence (for ordering), after checking it exists."""
    parts = _NUMBER_PARTS.fullmatch(written)
    assert parts is not None
    digits = parts["base"].lstrip("-")
    where = f"HGVS {text!r}: {coordinate}.{written}"
    if len(digits) > 1 and digits.startswith("0") or parts["offset"] and len(parts["offset"]) > 1 \
            and parts["offset"].startswith("0"):
        raise HgvsError(f"{where}: a number with a leading zero")
    if int(digits) == 0:
        rule = {"c": "c. numbering skips from c.-1 to c.1; c.*1 is the first base after the stop codon"}.get(
            coordinate, "positions are numbered from 1")
        raise HgvsError(f"{where}: there is no position 0 ({rule})")
    if parts["offset"] is not None and int(parts["offset"]) == 0:
        raise HgvsError(f"{where}: an intronic offset of 0 is no offset; write the exon position alone")
    offset = int(parts["offset"] or 0) * (-1 if parts["sign"] == "-" else 1)
    return (1 if parts["star"] else 0, int(parts["base"]), offset)


@lru_cache(maxsize=16_384)
def _parse_slow(stripped: str) -> ParsedHgvs:
    """The biocommons grammar (about 1 ms a string): cached, since a program's variants are
    parsed by validation and again by planning. Errors are not cached (they raise)."""
    try:
        variant = _parse_with_biocommons(stripped)
    except hgvs.exceptions.HGVSError as error:
        raise HgvsError(_parse_error_message(stripped, str(error))) from None
    except ValueError as error:  # the grammar's int() refuses numbers of more than 4,300 digits
        raise HgvsError(f"cannot parse HGVS {_clip(stripped)!r}: {error}".split(";")[0]) from None
    return _to_parsed(stripped, variant)


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The common shapes, parsed without the grammar (a 300x speed-up on big programs): c./g. SNVs,
# c. intronic and UTR positions, plain del/dup. Anything else falls back to biocommons; a
# hypothesis test (tests/hostile/test_hgvs_fast_path.py) checks both give equal results.
_C_POS = r"[*-]?[1-9][0-9]{0,8}(?:[+-][1-9][0-9]{0,8})?"
_FAST = re.compile(
    r"(?:(?P<ac>(?:NM|NR|XM|XR|NC|NG)_[0-9]{1,12}\.[0-9]{1,4}|ENST[0-9]{11}\.[0-9]{1,3}):)?"
    rf"(?:c\.(?P<c1>{_C_POS})(?:_(?P<c2>[1-9][0-9]{{0,8}}))?|g\.(?P<g1>[1-9][0-9]{{0,9}})(?:_(?P<g2>[1-9][0-9]{{0,9}}))?)"
    r"(?:(?P<ref>[ACGT])>(?P<alt>[ACGT])|(?P<edit>del|dup))"
)
_FAST_POS = re.compile(r"(?P<star>\*)?(?P<base>-?[0-9]+)(?P<offset>[+-][0-9]+)?")


def _fast_parse(text: str) -> ParsedHgvs | None:
    match = _FAST.fullmatch(text)
    if match is None:
        return None
    ref, alt, edit = match["ref"], match["alt"], match["edit"]
    first, last = match["c1"] or match["g1"], match["c2"] or match["g2"]
    if ref is not None and (ref == alt or last is not None):
        return None  # no-change and ranged substitutions: leave to the grammar
    if last is not None and (last == first or not first.isdigit()):
        return None  # x_x ranges, and ranges from UTR or intronic positions (the grammar has quirks there)
    coordinate: Coordinate = "c" if match["c1"] else "g"
    start = _fast_position(first, coordinate)
    end = _fast_position(last, coordinate) if last is not None else start
    kind: Kind = "substitution" if ref is not None else _KIND_BY_EDIT_TYPE[edit]
    return ParsedHgvs(text, match["ac"], coordinate, kind, start, end, ref, alt)


def _fast_position(text: str, coordinate: str) -> HgvsPosition:
    if coordinate == "g":
        return HgvsPosition(int(text))
    parts = _FAST_POS.fullmatch(text)
    assert parts is not None
    return HgvsPosition(int(parts["base"]), int(parts["offset"] or 0), "cds_end" if parts["star"] else "cds_start")


def parsed_from_alleles(position: int, ref: str, alt: str, accession: str | None = None) -> ParsedHgvs:
    """A genomic (g.) description built from VCF-style alleles (``pos``, ``ref``, ``alt``).

    VCF indels carry one padding base shared by ref and alt; it is kept in ``ref``/``alt``
    here because only the allele class matters downstream.
    """
    kind: Kind
    if not set(ref + alt) <= set("ACGTN"):
        kind = "other"  # symbolic (<DEL>) or spanning (*) VCF alleles
    elif len(ref) == len(alt) == 1:
        kind = "substitution"
    elif len(ref) == 1 and alt.startswith(ref):
        kind = "insertion"
    elif len(alt) == 1 and ref.startswith(alt):
        kind = "deletion"
    else:
        kind = "delins"
    end = position + max(len(ref), 1) - 1
    prefix = f"{accession}:" if accession else ""
    # Only SNVs get an HGVS-shaped text: indels would need normalisation to be valid HGVS.
    text = (
        f"{prefix}g.{position}{ref}>{alt}"
        if kind == "substitution"
        else f"{prefix}{position} {ref}>{alt} (VCF alleles)"
    )
    return ParsedHgvs(
        text=text,
        accession=accession,
        coordinate="g",
        kind=kind,
        start=HgvsPosition(position),
        end=HgvsPosition(end),
        ref=ref,
        alt=alt,
    )


def change_class(parsed: ParsedHgvs) -> ChangeClass:
    """Transition / transversion for DNA SNVs, indel for length-changing edits, else other."""
    if parsed.is_snv and parsed.ref in "ACGT" and parsed.alt in "ACGT" and parsed.ref != parsed.alt:
        return "transition" if frozenset((parsed.ref, parsed.alt)) in _TRANSITIONS else "transversion"
    if parsed.is_dna and parsed.kind in ("deletion", "insertion", "delins", "duplication"):
        return "indel"
    return "other"


def correcting_deaminase(parsed: ParsedHgvs, gene_strand: Literal["+", "-"] = "+") -> Correction:
    """Which base editor reverts the variant.

    An ABE turns an A•T pair into G•C, so it reverts any variant whose mutant pair is A•T and
    whose reference pair is G•C (C>T or G>A); a CBE turns C•G into T•A and reverts T>C or A>G.
    Since both strands carry the pair, the rule reads the same on the transcript or the genomic
    strand: ``gene_strand`` only changes how the reason quotes the genomic alleles.
    """
    if gene_strand not in ("+", "-"):
        raise ValueError(f"gene_strand must be '+' or '-', not {gene_strand!r}")
    cls = change_class(parsed)
    if cls == "transition":
        return _transition_correction(parsed, gene_strand)
    if cls == "transversion":
        return Correction(
            None,
            f"{parsed.text} is {_article(parsed.ref)} {parsed.ref}>{parsed.alt} transversion, which no base editor "
            "corrects (base editors make only transitions); it needs prime editing or another modality.",
        )
    if cls == "indel":
        return Correction(
            None,
            f"{parsed.text} is {_INDEL_NAMES[parsed.kind]}, which no base editor corrects (base editors change single "
            "bases without inserting or deleting); it needs prime editing or another modality.",
        )
    return Correction(None, _other_reason(parsed))


def _transition_correction(parsed: ParsedHgvs, gene_strand: str) -> Correction:
    assert parsed.ref is not None and parsed.alt is not None
    deaminase: Literal["ABE", "CBE"] = "ABE" if parsed.alt in "AT" else "CBE"
    chemistry = "A•T to G•C" if deaminase == "ABE" else "C•G to T•A"
    where = ""
    if parsed.on_transcript and gene_strand == "-":
        where = (
            f" (on the genomic + strand, the gene being on the - strand, it reads "
            f"{complement(parsed.ref)}>{complement(parsed.alt)})"
        )
    return Correction(
        deaminase,
        f"{parsed.text} is {_article(parsed.ref)} {parsed.ref}>{parsed.alt} transition{where}; the mutant "
        f"{parsed.alt}•{complement(parsed.alt)} base pair can be converted back to "
        f"{parsed.ref}•{complement(parsed.ref)} by {'an adenine' if deaminase == 'ABE' else 'a cytosine'} "
        f"base editor ({deaminase}, {chemistry}).",
    )


_INDEL_NAMES = {
    "deletion": "a deletion",
    "insertion": "an insertion",
    "delins": "a deletion-insertion (delins)",
    "duplication": "a duplication",
}


def _article(base: str) -> str:
    """'an A>G' but 'a C>T': the article follows how the letter is read aloud."""
    return "an" if base == "A" else "a"


def _other_reason(parsed: ParsedHgvs) -> str:
    if parsed.coordinate == "p":
        return (
            f"{parsed.text} describes a protein change; the DNA change must be known to decide whether "
            "a base editor can correct it."
        )
    if parsed.is_snv and parsed.ref == parsed.alt:
        return f"{parsed.text} does not change the sequence, so there is nothing to correct."
    return (
        f"{parsed.text} is not a single-base substitution with known alleles, so no base editor is "
        "known to correct it; it needs prime editing or another modality."
    )


@lru_cache(maxsize=1)
def _parser() -> hgvs.parser.Parser:
    return hgvs.parser.Parser()


def _parse_with_biocommons(text: str) -> object:
    """Full descriptions go through the variant rule; bare ``c.…`` through the posedit rules."""
    if ":" in text:
        return _parser().parse_hgvs_variant(text)
    match = re.match(r"([cgnmrp])\.(.*)$", text, re.DOTALL)
    if not match:
        raise hgvs.exceptions.HGVSParseError(
            f"{text}: char 0: expected an accession and ':' or a coordinate type such as 'c.' or 'g.'"
        )
    coordinate, posedit = match.groups()
    try:
        return _BareVariant(coordinate, getattr(_parser(), f"parse_{coordinate}_posedit")(posedit))
    except hgvs.exceptions.HGVSParseError as error:
        # Shift the reported column past the "c." prefix the rule did not see.
        shifted = _PARSE_ERROR_CHAR.sub(lambda m: f"char {int(m.group(1)) + 2}: {m.group(2)}", str(error))
        raise hgvs.exceptions.HGVSParseError(shifted) from None


@dataclass(frozen=True)
class _BareVariant:
    """Stands in for a biocommons ``SequenceVariant`` that has no accession."""

    type: str
    posedit: object
    ac: None = None


def _parse_error_message(text: str, detail: str) -> str:
    match = _PARSE_ERROR_CHAR.search(detail)
    if not match:
        return f"cannot parse HGVS {text!r}: {detail}"
    # Parsley counts from 0, but reports "end of input" one past the end: clamp it.
    index, reason = min(int(match.group(1)), len(text)), match.group(2).strip()
    found = f"at {text[index]!r}" if index < len(text) else "at the end"
    return f"cannot parse HGVS {text!r}: column {index + 1} ({found}): {reason}"


def _to_parsed(text: str, variant: object) -> ParsedHgvs:
    coordinate = variant.type  # type: ignore[attr-defined]
    posedit = variant.posedit  # type: ignore[attr-defined]
    if posedit is None or posedit.pos is None:
        raise HgvsError(f"HGVS {text!r} has no position (e.g. 'p.?' or 'p.0'); it cannot be placed")
    edit = posedit.edit
    kind = _KIND_BY_EDIT_TYPE.get(getattr(edit, "type", ""), "other")
    ref, alt = _alleles(coordinate, posedit)
    start = _position(posedit.pos.start)
    end = _position(posedit.pos.end if posedit.pos.end is not None else posedit.pos.start)
    return ParsedHgvs(text, variant.ac, coordinate, kind, start, end, ref, alt)  # type: ignore[attr-defined]


def _alleles(coordinate: str, posedit: object) -> tuple[str | None, str | None]:
    edit = posedit.edit  # type: ignore[attr-defined]
    if coordinate == "p":
        ref = aa1_to_aa3(posedit.pos.start.aa) if posedit.pos.start.aa else None  # type: ignore[attr-defined]
        alt = aa1_to_aa3(edit.alt) if isinstance(edit, hgvs.edit.AASub) and edit.alt else None
        return ref, alt
    ref = getattr(edit, "ref", None) or None
    alt = getattr(edit, "alt", None) or None
    return (ref.upper() if ref else None), (alt.upper() if alt else None)


def _position(pos: object) -> HgvsPosition:
    if hasattr(pos, "aa"):  # protein residue
        return HgvsPosition(int(pos.pos))  # type: ignore[attr-defined]
    datum = getattr(pos, "datum", None)
    return HgvsPosition(
        base=int(pos.base),  # type: ignore[attr-defined]
        offset=int(getattr(pos, "offset", 0) or 0),
        datum=_DATUM_NAMES[datum.name] if datum is not None else "seq_start",
    )
