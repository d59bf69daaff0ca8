"""The program model: what a sponsor writes down about its umbrella.

Plain pydantic v2 types with `extra="forbid"` so a misspelt field is an error,
not a silently ignored value. Cross-references between objects are checked in
`basket.program.cross_references`; this module only knows single objects.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
import typing
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from basket.editing.assemblies import Build
from basket.editing.editors import Editor
from basket.program.personal_data import personal_data_in, personal_data_in_patient_notes, refusal, skeleton


@dataclass(frozen=True)
class TextFormat:
    """A pattern a text field must match, described for people: `basket.program.validation_messages`
    turns a mismatch into "'X' is not DESCRIPTION, e.g. EXAMPLE; did you mean ...?"."""

    pattern: str
    description: str
    example: str
    kinds: tuple[str, ...] = ()  # for a reference `kind:id`: the kinds it may name


IDENTIFIER = TextFormat(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$", "an id (letters, digits and . _ : -, starting with a "
                        "letter or digit, no spaces)", "CPS1-Q335X")
CURIE = TextFormat(r"^[A-Za-z][A-Za-z0-9_.\-]*:[A-Za-z0-9_.\-]+$", "a prefixed id (a prefix such as OMIM, MONDO "
                   "or Orphanet, a colon, the id; no spaces)", "OMIM:237300")
SHA256 = TextFormat(r"^[0-9a-f]{64}$", "a SHA-256 digest (64 lower-case hexadecimal digits, as `sha256sum FILE` "
                    "prints)", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
GENE_SYMBOL = TextFormat(r"^[A-Z0-9][A-Z0-9\-]*$", "an HGNC gene symbol (capital letters, digits and -)", "CPS1")
HGNC_ID = TextFormat(r"^HGNC:\d+$", "an HGNC id (HGNC, a colon, digits)", "HGNC:2323")
TRANSCRIPT = TextFormat(r"^(NM|NR|XM|ENST)_?\d+(\.\d+)?$", "a RefSeq or Ensembl transcript accession (NM_, NR_, "
                        "XM_ or ENST, digits, an optional .version)", "NM_001875.5")
PROTEIN = TextFormat(r"^(NP|XP|ENSP)_?\d+(\.\d+)?$", "a RefSeq or Ensembl protein accession (NP_, XP_ or ENSP, "
                     "digits, an optional .version)", "NP_001866.2")
CHROMOSOME = TextFormat(r"^(chr)?([0-9]{1,2}|X|Y|M|MT)$", "a chromosome name (1-22, X, Y or MT, optionally after "
                        "chr)", "chr2")
BASES = TextFormat(r"^[ACGTNacgtn]+$", "a DNA sequence (the letters A, C, G, T and N only)", "ACGTTGCAAN")
PROTOSPACER = TextFormat(r"^[ACGTUacgtu]{15,30}$", "a protospacer (15 to 30 of the letters A, C, G, T or U)",
                         "TGATTCTAAGCAGTAATGAA")
CLINVAR = TextFormat(r"^(RCV|VCV|SCV)\d+(\.\d+)?$", "a ClinVar accession (RCV, VCV or SCV, digits, an optional "
                     ".version)", "RCV001045342")
PSEUDONYM = TextFormat(r"^[A-Z]{1,6}-?[0-9]{1,6}$", "a pseudonymous patient id (1-6 capital letters, an optional -, "
                       "1-6 digits)", "PT-001")
SUBJECT = TextFormat(r"^(variant|disease|platform|gene):.+$", "what the evidence is about, written variant:ID, "
                     "disease:ID, platform:ID or gene:SYMBOL", "variant:CPS1-Q335X",
                     kinds=("variant", "disease", "platform", "gene"))
ENVIRONMENT_VARIABLE = TextFormat(r"^[A-Za-z_][A-Za-z0-9_]*$", "an environment variable's name (letters, digits "
                                  "and _, not starting with a digit)", "BASKET_REFERENCE_FASTA")
RECORDED_VERSION_FOLDER = TextFormat(r"^versions/[A-Za-z0-9][A-Za-z0-9_.\-]*$", "a folder under versions/ (versions/, "
                                     "then letters, digits and . _ -)", "versions/0.1-example")
# pattern -> its description, for the messages; a test checks that every pattern in the model has one
TEXT_FORMATS: dict[str, TextFormat] = {f.pattern: f for f in (
    IDENTIFIER, CURIE, SHA256, GENE_SYMBOL, HGNC_ID, TRANSCRIPT, PROTEIN, CHROMOSOME, BASES, PROTOSPACER, CLINVAR,
    PSEUDONYM, SUBJECT, ENVIRONMENT_VARIABLE, RECORDED_VERSION_FOLDER)}

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER.pattern, max_length=120)]
Curie = Annotated[str, StringConstraints(pattern=CURIE.pattern)]
def _without_personal_data(value: str) -> str:
    found = personal_data_in(value)
    if found is not None:
        raise ValueError(refusal(found))
    return value


# free text: every text field is checked for birth dates and record numbers (basket.program.personal_data)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000),
                 AfterValidator(_without_personal_data)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256.pattern)]

def bounded(low: float, high: float, *, integer: bool = False, above: bool = False, below: bool = False) -> object:
    """A number type that refuses NaN, infinities and anything outside [low, high] (`above`, `below`:
    that end excluded) with the allowed range in the message: a value that loads must be one every
    later stage (render, docs, design) can compute with and print."""
    lowest = f"above {_number_text(low)}" if above else f"from {_number_text(low)}"
    highest = f"below {_number_text(high)}" if below else f"to {_number_text(high)}"
    allowed = f"{'a whole number' if integer else 'a finite number'} {lowest} {'and' if below else ''} {highest}"
    allowed = " ".join(allowed.split())

    def check(value: object) -> object:
        if isinstance(value, bool) and not integer:  # (a strict integer refuses true by itself)
            raise ValueError(f"must be {allowed}, not {str(value).lower()}")
        if not isinstance(value, int | float):
            return value  # not a number at all: pydantic says what type is expected
        if integer and isinstance(value, float):
            raise ValueError(f"must be {allowed} (got {_number_text(value)})")
        finite = not isinstance(value, float) or math.isfinite(value)  # an int of any size compares exactly
        inside = finite and (low < value if above else low <= value) and (value < high if below else value <= high)
        if not inside:
            raise ValueError(f"must be {allowed} (got {_number_text(value)})")
        return value

    return Annotated[StrictInt if integer else float, BeforeValidator(check)]


def _number_text(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and len(str(abs(value))) > 30:
        return f"a number of {len(str(abs(value)))} digits"
    return f"{value:,}" if abs(value) < 1e7 or isinstance(value, int) and abs(value) < 10**16 else f"{value:g}"


# The allowed ranges (docs/program-format.md lists them per field).
FIGURE = bounded(-1e15, 1e15)  # a natural-history or evidence figure in any unit
DISPERSION = bounded(0.001, 1e6)  # gamma-Poisson shape
COHORT_SIZE = bounded(1, 100_000_000, integer=True)
GENOMIC_POSITION = bounded(1, 3_000_000_000, integer=True)  # the longest human chromosome is 249 Mb
DOSE = bounded(0, 1e20, above=True)  # up to vector genomes per kg (about 1e14)
PATIENTS = bounded(1, 10_000, integer=True)
FOLLOW_UP_YEARS = bounded(1, 50, integer=True)
ELEMENT = bounded(1, 5, integer=True)
RATE_RATIO = bounded(0, 1, above=True, below=True)
ALPHA = bounded(0, 0.5, above=True, below=True)
SIMULATIONS = bounded(100, 10_000_000, integer=True)
YEARS = bounded(0, 100, above=True)
SEED = bounded(0, 2**32 - 1, integer=True)
INTERVAL_LEVEL = bounded(0.5, 1, above=True, below=True)  # of a confidence interval
COUNT = bounded(0, 1_000_000, integer=True)  # events one patient had
AGE = bounded(0, 100_000)  # in days, weeks, months or years
TIPPING_FACTOR = bounded(0, 10, above=True)  # on the untreated rate
PRIOR_RATE_RATIO = bounded(0, 100, above=True)  # prior mean of the on-treatment / natural-history rate ratio
PRIOR_SHAPE = bounded(0.01, 1000)  # gamma shape: the prior weighs as much as this many events
FUTILITY = bounded(0, 0.5, above=True, below=True)  # a predictive probability of success

ELEMENTS: dict[int, str] = {
    1: "Specific molecular cause identified",
    2: "Product targets the cause",
    3: "Natural history well characterized",
    4: "Target engagement confirmed",
    5: "Improvement in clinical course",
}

VariantStatus = Literal[
    "proposed", "assessed", "appendix_drafted", "submitted", "cleared", "dosed", "follow_up"
]
VARIANT_STATUSES: tuple[str, ...] = get_args(VariantStatus)  # the workflow, in order

EvidenceKind = Literal[
    "genotype_confirmation",
    "acmg_classification",
    "in_vitro_editing",
    "patient_cells_editing",
    "humanized_mouse",
    "nhp_toxicology",
    "off_target_nomination",
    "off_target_confirmation",
    "natural_history",
    "clinical_follow_up",
    "other",
]
EVIDENCE_KINDS: tuple[str, ...] = get_args(EvidenceKind)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Component(Strict):
    """A part of the platform product; variant-specific ones (the gRNA) differ per appendix."""

    id: Identifier
    name: Text
    kind: Literal["mRNA", "LNP", "gRNA", "protein", "vector", "other"]
    shared: bool
    version: Text | None = None
    description: Text | None = None
    source: Text | None = None


class Platform(Strict):
    id: Identifier
    name: Text
    modality: Text
    delivery: Text
    target_tissue: Text
    editor: Text = Field(description="name of the editor (program or built-in catalogue)")
    components: list[Component] = Field(min_length=1)
    dose_form: Text | None = Field(
        default=None, description="pharmaceutical dose form as administered, a CDISC term (codelist C66726)")
    source: Text | None = None

    @model_validator(mode="after")
    def _one_variant_specific_component(self) -> Platform:
        if not any(not c.shared for c in self.components):
            raise ValueError("a platform needs at least one variant-specific component (shared: false), e.g. the gRNA")
        return self


class Measure(Strict):
    """One natural-history baseline figure, with the citation it comes from.

    For an event rate the optional fields say how the counts vary and how well the rate is known
    (read by `basket.stats.basket_controls`): a declared gamma-Poisson `dispersion`, a confidence
    `interval`, the `range` of per-patient counts over `observation_years`, the `patients` behind it.
    """

    name: Text
    definition: Text
    value: FIGURE | None = None  # type: ignore[valid-type]
    unit: Text | None = None
    dispersion: DISPERSION | None = Field(  # type: ignore[valid-type]
        default=None, description="gamma-Poisson shape of per-patient counts, if over-dispersed")
    interval: tuple[FIGURE, FIGURE] | None = Field(default=None, description="confidence interval of value")  # type: ignore[valid-type]
    interval_level: INTERVAL_LEVEL | None = Field(default=None, description="level of interval (0.95)")  # type: ignore[valid-type]
    range: tuple[COUNT, COUNT] | None = Field(  # type: ignore[valid-type]
        default=None, description="smallest and largest per-patient count over observation_years")
    observation_years: YEARS | None = Field(  # type: ignore[valid-type]
        default=None, description="per-patient observation window of value and range")
    patients: COHORT_SIZE | None = Field(  # type: ignore[valid-type]
        default=None, description="patients behind this measure, when not the whole cohort")
    source: Text

    @field_validator("interval")
    @classmethod
    def _ordered_finite_interval(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None:
            low, high = value
            if low > high:
                raise ValueError(f"interval [{low:g}, {high:g}]: the lower bound is above the upper")
        return value

    @field_validator("range")
    @classmethod
    def _ordered_count_range(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None:
            low, high = value
            if low > high:
                raise ValueError(f"range [{low}, {high}]: the smallest count is above the largest")
        return value

    @model_validator(mode="after")
    def _interval_holds_the_value(self) -> Measure:
        if self.interval_level is not None and self.interval is None:
            raise ValueError("interval_level is given without interval")
        if self.interval is not None and self.value is not None and not self.interval[0] <= self.value <= self.interval[1]:
            raise ValueError(f"value {self.value:g} lies outside its interval "
                             f"[{self.interval[0]:g}, {self.interval[1]:g}]")
        return self


class NaturalHistory(Strict):
    id: Identifier
    source: Text
    population: Text
    n: COHORT_SIZE | None = None  # type: ignore[valid-type]
    measures: list[Measure] = Field(default_factory=list)


class Endpoint(Strict):
    name: Text
    definition: Text
    kind: Literal["primary", "secondary", "exploratory", "safety"] = "primary"
    comparator: Text | None = Field(default=None, description="natural-history measure name used as comparator")


class Disease(Strict):
    id: Curie
    name: Text
    xrefs: list[Curie] = Field(default_factory=list)
    genes: list[Text] = Field(min_length=1)
    inheritance: Literal["autosomal recessive", "autosomal dominant", "X-linked", "X-linked recessive", "mitochondrial"]
    natural_history: list[NaturalHistory] = Field(default_factory=list)
    endpoints: list[Endpoint] = Field(default_factory=list)
    biomarkers: list[Text] = Field(default_factory=list)
    source: Text


class Gene(Strict):
    symbol: Annotated[str, StringConstraints(pattern=GENE_SYMBOL.pattern)]
    hgnc: Annotated[str, StringConstraints(pattern=HGNC_ID.pattern)]
    transcript: Annotated[str, StringConstraints(pattern=TRANSCRIPT.pattern)]
    protein: Annotated[str, StringConstraints(pattern=PROTEIN.pattern)] | None = None
    chrom: Annotated[str, StringConstraints(pattern=CHROMOSOME.pattern)]
    strand: Literal["+", "-"]
    source: Text


class SequenceWindow(Strict):
    """Reference (+ strand) sequence around a variant, with where it came from."""

    chrom: Annotated[str, StringConstraints(pattern=CHROMOSOME.pattern)]
    start: GENOMIC_POSITION = Field(description="1-based genomic position of the first base")  # type: ignore[valid-type]
    variant_position: GENOMIC_POSITION | None = Field(  # type: ignore[valid-type]
        default=None, description="1-based genomic position of the variant, when hgvs_g is not given"
    )
    sequence: Annotated[str, StringConstraints(pattern=BASES.pattern, min_length=10, max_length=100_000)]
    coding_start: GENOMIC_POSITION | None = None  # type: ignore[valid-type]
    coding_end: GENOMIC_POSITION | None = None  # type: ignore[valid-type]
    source: Text
    # Provenance written by `basket window` (optional for a window taken from a genome browser).
    build: Build | None = Field(default=None, description="assembly the sequence was read from")
    fasta: Text | None = Field(default=None, description="file name of the reference FASTA it was read from")
    contig: Text | None = Field(default=None, description="the FASTA's name of the chromosome")
    sha256: Sha256 | None = Field(default=None, description="sha256 of the sequence (upper case ASCII)")

    @property
    def end(self) -> int:
        return self.start + len(self.sequence) - 1

    @model_validator(mode="after")
    def _checksum_matches(self) -> SequenceWindow:
        if self.sha256 is not None and self.sha256 != sequence_sha256(self.sequence):
            raise ValueError(
                f"the window's sha256 {self.sha256[:12]}… does not match its sequence "
                f"({sequence_sha256(self.sequence)[:12]}…): the sequence was edited after it was fetched; "
                "fetch it again with `basket window` rather than editing bases by hand"
            )
        return self

    @model_validator(mode="after")
    def _coding_bounds_inside(self) -> SequenceWindow:
        if (self.coding_start is None) != (self.coding_end is None):
            raise ValueError("give both coding_start and coding_end, or neither")
        if self.coding_start is not None and not (self.coding_start <= self.coding_end):  # type: ignore[operator]
            raise ValueError("coding_start must not be after coding_end")
        if self.variant_position is not None and not self.start <= self.variant_position <= self.end:
            raise ValueError(f"variant_position {self.variant_position} is outside the window {self.start}-{self.end}")
        return self


def sequence_sha256(sequence: str) -> str:
    """The checksum recorded with a fetched window: sha256 of its bases in upper case."""
    return hashlib.sha256(sequence.upper().encode("ascii")).hexdigest()


class Reference(Strict):
    """The reference genome every command of the program designs on and checks windows against.

    The FASTA is named by `fasta` (a path, relative to the program directory) or by `fasta_env`
    (an environment variable holding the path, which wins when set), so that a multi-gigabyte file
    stays out of version control; `--fasta` on a command overrides both.
    """

    build: Build
    fasta: Text | None = Field(default=None, description="path of the FASTA (relative: to the program directory)")
    fasta_env: Annotated[str, StringConstraints(pattern=ENVIRONMENT_VARIABLE.pattern, max_length=100)] | None = Field(
        default=None, description="environment variable whose value is the FASTA's path")
    source: Text | None = Field(default=None, description="where the FASTA comes from (release, download)")

    @field_validator("fasta")
    @classmethod
    def _plain_path(cls, value: str | None) -> str | None:
        if value is not None and any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise ValueError("the FASTA path cannot contain control characters (NUL, line breaks, ...)")
        return value


class GuideRNA(Strict):
    """The variant-specific product, where the program already fixes it."""

    name: Text | None = None
    protospacer: Annotated[str, StringConstraints(pattern=PROTOSPACER.pattern)] | None = None
    modifications: Text | None = None
    manufacturer: Text | None = None
    source: Text | None = None


class Variant(Strict):
    id: Identifier
    gene: Text
    hgvs_c: Text
    hgvs_p: Text | None = None
    hgvs_g: Text | None = None
    disease: Curie | None = Field(default=None, description="defaults to the covered disease the gene causes")
    consequence: Literal[
        "nonsense", "missense", "synonymous", "splice", "frameshift", "inframe_indel", "start_loss", "stop_loss", "other"
    ] | None = None
    clinvar: Annotated[str, StringConstraints(pattern=CLINVAR.pattern)] | None = None
    classification: Literal[
        "pathogenic", "pathogenic/likely pathogenic", "likely pathogenic", "uncertain significance",
        "likely benign", "benign",
    ] | None = None
    window: SequenceWindow | None = None
    grna: GuideRNA | None = None
    status: VariantStatus = "proposed"
    submit: bool = Field(default=False, description="marked for submission: must pass the entry gate")
    notes: Text | None = None
    source: Text
    eligibility: list[Statement] = Field(default_factory=list, description="variant-specific criteria")
    dosing: Dosing | None = Field(default=None, description="variant-specific dosing; else the umbrella's")
    schedule: list[Visit] = Field(default_factory=list, description="variant-specific schedule; else the umbrella's")


PERSONAL_DATA_FIELDS = {
    "name", "first_name", "last_name", "given_name", "family_name", "surname", "full_name", "initials",
    "dob", "birth_date", "date_of_birth", "birthdate", "birthday",
    "mrn", "medical_record", "medical_record_number", "record_number", "hospital_number", "nhs_number",
    "ssn", "social_security_number", "address", "phone", "email",
}
# words that make a field name personal data however it is spelt: DateOfBirth, patient-name, MRN_no
_PERSONAL_WORDS = {
    "name", "names", "surname", "forename", "initials", "dob", "birth", "birthdate", "birthday", "born",
    "mrn", "record", "ssn", "nhs", "address", "postcode", "phone", "telephone", "mobile", "email",
}
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
@lru_cache(maxsize=4096)  # a program repeats the same few keys thousands of times
def is_personal_data_field(key: object) -> bool:
    """A field name that would hold a name, birth date, record number or contact detail, in any
    spelling (DateOfBirth, patient-name, ＤＯＢ, MRN_no)."""
    text = unicodedata.normalize("NFKC", str(key))
    words = skeleton(text).split()
    if text.lower() in PERSONAL_DATA_FIELDS or {"_".join(words), "".join(words)} & PERSONAL_DATA_FIELDS:
        return True
    return any(word.lower() in _PERSONAL_WORDS for word in _WORDS.findall(text))


def _measure_name(name: str) -> str:
    """An evidence measure's name is free text too, and must not be a personal-data field."""
    if is_personal_data_field(name):
        raise ValueError(refusal(f"the name of a personal-data field ({name!r})"))
    return _without_personal_data(name)


class Allele(Strict):
    variant: Identifier
    origin: Literal["maternal", "paternal", "de novo", "unknown"] = "unknown"


PatientStatus = Literal["candidate", "screening", "enrolled", "dosed", "follow_up", "withdrawn"]
PATIENT_STATUSES: tuple[str, ...] = get_args(PatientStatus)


class Patient(Strict):
    id: Annotated[str, StringConstraints(pattern=PSEUDONYM.pattern)] = Field(
        description="pseudonymous id such as PT-001"
    )
    disease: Curie
    genotype: list[Allele] = Field(min_length=1, max_length=2)
    zygosity: Literal["homozygous", "compound heterozygous", "heterozygous", "hemizygous"] | None = None
    status: PatientStatus = "candidate"
    notes: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _refuse_personal_data(cls, data: object) -> object:
        if isinstance(data, dict):
            found = sorted(str(k) for k in data if is_personal_data_field(k))
            if found:
                raise ValueError(
                    f"patient records must be pseudonymous: remove {', '.join(found)} "
                    "(names, birth dates and record numbers are personal data)"
                )
        return data

    @field_validator("notes")
    @classmethod
    def _notes_without_identifiers(cls, value: str | None) -> str | None:
        found = personal_data_in_patient_notes(value or "")
        if found:
            raise ValueError(f"patient records must be pseudonymous: the notes carry {found}")
        return value


EvidenceStatus = Literal["complete", "partial", "planned"]
EVIDENCE_STATUSES: tuple[str, ...] = get_args(EvidenceStatus)


class Evidence(Strict):
    id: Identifier
    element: ELEMENT  # type: ignore[valid-type]
    kind: EvidenceKind
    subject: Annotated[str, StringConstraints(pattern=SUBJECT.pattern)] = Field(
        description="what it supports: variant:ID, disease:ID, platform:ID or gene:SYMBOL"
    )
    status: EvidenceStatus = "complete"
    method: Literal["in_silico", "experimental"] | None = Field(
        default=None, description="off_target_nomination only: computed (e.g. `basket offtargets`) or measured "
                                  "(ONE-seq, CHANGE-seq, GUIDE-seq ...); unset counts as experimental")
    result: Text
    measures: dict[Annotated[str, AfterValidator(_measure_name)], FIGURE] = Field(default_factory=dict)  # type: ignore[valid-type]
    date: dt.date | None = None
    document: Text | None = None
    sha256: Sha256 | None = None
    source: Text

    @model_validator(mode="after")
    def _hash_needs_document(self) -> Evidence:
        if self.sha256 and not self.document:
            raise ValueError("sha256 given without a document")
        if self.method is not None and self.kind != "off_target_nomination":
            raise ValueError("method (in_silico / experimental) applies to off_target_nomination evidence only")
        return self

    @field_validator("document")
    @classmethod
    def _relative_document(cls, value: str | None) -> str | None:
        if value is not None and any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise ValueError("document paths cannot contain control characters (NUL, line breaks, ...)")
        if value is not None and (Path(value).is_absolute() or ".." in Path(value).parts):
            raise ValueError("document paths must stay inside the program directory (relative, no '..')")
        return value


# --- Protocol content (optional): what the master protocol and its appendices say ----------------
# Every item may carry its source; anything left out renders as an explicit "to be provided" marker.


class Statement(Strict):
    """One protocol statement (a criterion, a rule, a monitoring item) with where it comes from."""

    text: Text
    source: Text | None = None


class AgeRange(Strict):
    """The planned age of participants, in one unit (USDM's planned age range)."""

    min: AGE = Field()  # type: ignore[valid-type]
    max: AGE = Field()  # type: ignore[valid-type]
    unit: Literal["days", "weeks", "months", "years"]

    @model_validator(mode="after")
    def _min_below_max(self) -> AgeRange:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        return self


class Population(Strict):
    description: Text | None = None
    age: Text | None = None
    planned_age: AgeRange | None = None
    planned_sex: list[Literal["female", "male"]] = Field(default_factory=list, max_length=2)
    inclusion: list[Statement] = Field(default_factory=list)
    exclusion: list[Statement] = Field(default_factory=list)
    source: Text | None = None

    @field_validator("planned_sex")
    @classmethod
    def _each_sex_once(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("list each sex once")
        return values


class SponsorOrganization(Strict):
    """What a study-definition repository needs to know of the sponsor: its kind and registered identifier."""

    kind: Literal["academia", "company", "government", "healthcare", "contract research"]
    identifier: Text = Field(description="the organization's registered identifier, e.g. a DUNS number or a ROR id")
    scheme: Text = Field(description="the identification scheme, e.g. DUNS or ROR")
    source: Text | None = None


class Objective(Strict):
    level: Literal["primary", "secondary", "exploratory", "safety"] = "primary"
    text: Text
    endpoints: list[Text] = Field(default_factory=list, description="names of disease endpoints it is measured by")
    source: Text | None = None


class DoseStep(Strict):
    label: Text
    dose: DOSE | None = None  # type: ignore[valid-type]
    unit: Text | None = None
    route: Text | None = None
    timing: Text | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _unit_needs_a_dose(self) -> DoseStep:
        if self.unit is not None and self.dose is None:
            raise ValueError(f"unit {self.unit!r} is given without dose: give the dose, or leave both out "
                             "(the documents then mark the dose as to be provided)")
        return self


class Dosing(Strict):
    description: Text | None = None
    steps: list[DoseStep] = Field(default_factory=list)
    rules: list[Statement] = Field(default_factory=list)
    concomitant: list[Statement] = Field(default_factory=list, description="premedication, immunosuppression")
    source: Text | None = None


class Visit(Strict):
    """One row of the schedule of assessments."""

    name: Text
    timing: Text
    assessments: list[Text] = Field(min_length=1)
    source: Text | None = None


class SafetyPlan(Strict):
    monitoring: list[Statement] = Field(default_factory=list)
    stopping_rules: list[Statement] = Field(default_factory=list)
    follow_up_years: FOLLOW_UP_YEARS | None = Field(default=None, description="long-term follow-up after dosing")  # type: ignore[valid-type]
    follow_up_source: Text | None = None

    @model_validator(mode="after")
    def _follow_up_with_its_source(self) -> SafetyPlan:
        # without both, the documents would print the program's years next to FDA's 15-year citation or vice versa
        if (self.follow_up_years is None) != (self.follow_up_source is None):
            given, missing = (("follow_up_years", "follow_up_source") if self.follow_up_source is None
                              else ("follow_up_source", "follow_up_years"))
            raise ValueError(f"{given} is given without {missing}: give both (the duration and where it comes "
                             "from) or neither (the FDA guidance's 15 years are cited)")
        return self


class ExNexPriorPlan(Strict):
    """Priors of the EXNEX model on the log rate ratio (see basket.stats.hierarchical)."""

    mu_mean: float = Field(ge=-10, le=10, allow_inf_nan=False, description="mean of the exchangeable mean mu")
    mu_sd: float = Field(gt=0, le=10, allow_inf_nan=False, description="standard deviation of mu")
    tau_scale: float = Field(gt=0, le=10, allow_inf_nan=False, description="half-normal scale of tau")
    nex_mean: float = Field(ge=-10, le=10, allow_inf_nan=False, description="mean of the non-exchangeable prior")
    nex_sd: float = Field(gt=0, le=10, allow_inf_nan=False, description="standard deviation of the NEX prior")
    p_exchangeable: float = Field(ge=0, le=1, allow_inf_nan=False, description="prior weight of exchangeability")


class BayesPlan(Strict):
    """The supportive Bayesian rule: EXNEX borrowing across baskets, benefit when P(RR < x | data) >= gamma."""

    prior: ExNexPriorPlan
    rationale: Text = Field(description="why this prior: citation or reasoning")
    min_probability: float = Field(default=0.9, ge=0.5, lt=1, allow_inf_nan=False,
                                   description="declare benefit when the posterior probability reaches this")
    rate_ratio_below: float = Field(default=1.0, gt=0, le=1, allow_inf_nan=False,
                                    description="benefit means a rate ratio below this")
    calibrate_to: float | None = Field(default=None, gt=0, lt=0.5, allow_inf_nan=False,
                                       description="target family-wise type I error for a calibrated threshold")


class WithinPatientPlan(Strict):
    """The within-patient comparison: each patient's post-dose events against their own pre-dose window."""

    pre_dose_years: float = Field(gt=0, le=20, allow_inf_nan=False,
                                  description="the fixed pre-dose window counted for every patient, in years")
    min_pre_dose_events: StrictInt = Field(
        default=0, ge=0, le=1000,
        description="enrolment requires at least this many events in the window (0: no such rule)")


class InterimPlan(Strict):
    """Interim looks: the predictive probability that the final analysis succeeds, given the outcomes so far."""

    after_patients: list[PATIENTS] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=20,
        description="a look is taken in a basket when this many of its patients have been dosed")
    final_patients: PATIENTS = Field(description="patients per basket at the final analysis")  # type: ignore[valid-type]
    final_follow_up_years: YEARS = Field(description="follow-up of each patient at the final analysis, in years")  # type: ignore[valid-type]
    prior_rate_ratio: PRIOR_RATE_RATIO = Field(  # type: ignore[valid-type]
        description="mean of the gamma prior on the on-treatment / natural-history event rate ratio")
    prior_shape: PRIOR_SHAPE = Field(  # type: ignore[valid-type]
        description="shape of that gamma prior: it weighs as much as this many observed events")
    futility_below: FUTILITY | None = Field(  # type: ignore[valid-type]
        default=None, description="non-binding: a basket whose predictive probability of success is below this "
                                  "may stop enrolling")
    rationale: Text = Field(description="why these looks and this prior: citation or reasoning")

    @field_validator("after_patients")
    @classmethod
    def _looks_in_order(cls, values: list[int]) -> list[int]:
        return sorted(set(values))

    @model_validator(mode="after")
    def _looks_before_the_end(self) -> InterimPlan:
        late = [n for n in self.after_patients if n >= self.final_patients]
        if late:
            raise ValueError(f"after_patients {late} is not before the final analysis's {self.final_patients} "
                             "patients: a look is taken while patients are still to come")
        return self


class SampleSizePlan(Strict):
    """Assumptions of the basket design (`basket design`, master protocol section 10.9).

    The baseline rate of each basket comes from its natural history (the primary
    endpoint's comparator); only the hypothesised effect and the scenarios live here.
    """

    rate_ratio: RATE_RATIO = Field(description="hypothesised on-treatment / natural-history event rate ratio")  # type: ignore[valid-type]
    rationale: Text = Field(description="why this effect size: citation or clinical reasoning")
    alpha: ALPHA = Field(default=0.025, description="one-sided family-wise significance level of the primary "  # type: ignore[valid-type]
                                                     "family (the designable baskets of the umbrella)")
    adjustment: Literal["holm", "bonferroni"] = Field(
        default="holm", description="multiplicity adjustment across the primary family's baskets")
    control_uncertainty: bool = Field(
        default=True, description="propagate the uncertainty of each natural-history rate into the tests")
    tipping_factors: list[TIPPING_FACTOR] = Field(  # type: ignore[valid-type]
        default=[1.0, 0.9, 0.8, 0.7, 0.6, 0.5], min_length=1, max_length=20,
        description="factors on the untreated rate at which the design's type I error is shown")
    bayes: BayesPlan | None = Field(default=None, description="the supportive Bayesian rule (basket design --bayes)")
    primary: Literal["external_control", "within_patient"] = Field(
        default="external_control", description="the primary comparison of each basket")
    within_patient: WithinPatientPlan | None = Field(
        default=None, description="the within-patient comparison (primary when primary: within_patient)")
    biomarker_windows: list[StrictInt] = Field(
        default=[28, 91, 182, 365], min_length=1, max_length=20,
        description="upper bounds (days after the first dose) of the post-dose windows of the biomarker analysis")
    interim: InterimPlan | None = Field(
        default=None, description="interim looks: predictive probability of success (basket analyze --interim)")
    patients_per_basket: list[PATIENTS] = Field(default=[1, 2, 3, 5, 10], min_length=1, max_length=100)  # type: ignore[valid-type]
    follow_up_years: list[YEARS] = Field(default=[1.0], min_length=1, max_length=100)  # type: ignore[valid-type]
    simulations: SIMULATIONS = 20_000  # type: ignore[valid-type]
    seed: SEED = 20261125  # type: ignore[valid-type]

    @field_validator("patients_per_basket", "follow_up_years")
    @classmethod
    def _scenarios_in_order(cls, values: list) -> list:
        return sorted(set(values))

    @model_validator(mode="after")
    def _within_patient_primary_needs_its_window(self) -> SampleSizePlan:
        if self.primary == "within_patient" and self.within_patient is None:
            raise ValueError("primary: within_patient needs within_patient.pre_dose_years (the prespecified window)")
        return self

    @field_validator("biomarker_windows")
    @classmethod
    def _increasing_days(cls, values: list[int]) -> list[int]:
        if any(not 1 <= v <= 36_500 for v in values) or values != sorted(set(values)):
            raise ValueError("windows are increasing whole days between 1 and 36500")
        return values

    @field_validator("tipping_factors")
    @classmethod
    def _factors(cls, values: list[float]) -> list[float]:
        return sorted(set(values), reverse=True)


class RecordedVersion(Strict):
    """An earlier version of the program, kept as a copy of its files in `versions/NAME`."""

    version: Text
    date: dt.date | None = None
    program: Annotated[str, StringConstraints(pattern=RECORDED_VERSION_FOLDER.pattern)] = Field(
        description="the folder holding that version's files, versions/NAME")
    summary: Text | None = None


class Umbrella(Strict):
    id: Text = Field(description="the sponsor's identifier of the master protocol: IND number, protocol number, "
                             "or a working id while the IND is pending")
    title: Text
    short_title: Text | None = None
    sponsor: Text
    sponsor_organization: SponsorOrganization | None = None
    ind: Text | None = Field(default=None, description="IND number assigned by FDA")
    registry: list[Text] = Field(default_factory=list, description="e.g. NCT numbers")
    phase: Text | None = None
    platform: Identifier
    diseases: list[Curie] = Field(min_length=1)
    protocol_version: Text
    protocol_date: dt.date | None = None
    source: Text | None = None
    design: Text | None = Field(default=None, description="overall design, one paragraph")
    purpose: Text | None = None
    population: Population | None = None
    objectives: list[Objective] = Field(default_factory=list)
    dosing: Dosing | None = None
    schedule: list[Visit] = Field(default_factory=list)
    safety: SafetyPlan | None = None
    statistics: list[Statement] = Field(default_factory=list)
    sample_size: SampleSizePlan | None = None
    discontinuation: list[Statement] = Field(
        default_factory=list, description="when a participant stops the intervention or leaves the trial (M11 section 7)")
    oversight: list[Statement] = Field(default_factory=list)
    history: list[RecordedVersion] = Field(
        default_factory=list, description="earlier versions of the program, oldest first (document control)")
    amendment_rationale: Text | None = Field(default=None, description="why the current version amends the last")


class Program(Strict):
    """A whole program as loaded from its directory."""

    umbrella: Umbrella
    platform: Platform
    reference: Reference | None = None
    editors: list[Editor] = Field(default_factory=list)
    diseases: list[Disease] = Field(default_factory=list)
    genes: list[Gene] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)
    patients: list[Patient] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    @cached_property
    def variants_by_id(self) -> dict[str, Variant]:
        return {v.id: v for v in self.variants}

    @cached_property
    def variant_index(self) -> dict[str, int]:
        """Variant id -> its index in `variants` (the locator's path of its fields)."""
        return {v.id: index for index, v in enumerate(self.variants)}

    @cached_property
    def genes_by_symbol(self) -> dict[str, Gene]:
        return {g.symbol: g for g in self.genes}

    @cached_property
    def diseases_by_id(self) -> dict[str, Disease]:
        return {d.id: d for d in self.diseases}

    @cached_property
    def editors_by_name(self) -> dict[str, Editor]:
        """Program editors override built-in catalogue entries of the same name."""
        from basket.editing.editors import load_catalogue

        return {**load_catalogue(), **{e.name: e for e in self.editors}}

    @cached_property
    def editors_reach(self) -> int:
        """Bases each side of a variant that the guides of every editor in play (catalogue and program) need."""
        from basket.editing.guides import editors_reach

        return editors_reach(self.editors_by_name.values())

    @property
    def platform_editor(self) -> Editor:
        return self.editors_by_name[self.platform.editor]

    def disease_of(self, variant: Variant) -> Disease | None:
        """The variant's disease: declared, else the covered disease its gene causes."""
        if variant.disease is not None:
            return self.diseases_by_id.get(variant.disease)
        covered = set(self.umbrella.diseases)
        causes = [d for d in self.diseases if variant.gene in d.genes]
        preferred = [d for d in causes if d.id in covered] or causes
        return preferred[0] if preferred else None

    @cached_property
    def patients_by_variant(self) -> dict[str, list[Patient]]:
        """Variant id -> the patients carrying it, in program order (each patient once)."""
        index: dict[str, list[Patient]] = {}
        for patient in self.patients:
            for variant in dict.fromkeys(allele.variant for allele in patient.genotype):
                index.setdefault(variant, []).append(patient)
        return index

    def evidence_for(self, subject: str) -> list[Evidence]:
        return self._evidence_by_subject.get(subject, [])

    @cached_property
    def _evidence_by_subject(self) -> dict[str, list[Evidence]]:
        index: dict[str, list[Evidence]] = {}
        for item in self.evidence:
            index.setdefault(item.subject, []).append(item)
        return index


@functools.cache
def field_types(model: type[BaseModel]) -> dict[str, Any]:
    """Each field's type, forward references resolved: pydantic keeps `Dosing | None` as a string in
    `model_fields` where a model is used before its class is defined (Variant uses Dosing)."""
    hints = typing.get_type_hints(model, include_extras=True)
    return {name: hints[name] for name in model.model_fields}
