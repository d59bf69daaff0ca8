"""CDISC controlled terminology for the export.

Every code basket writes is named here by its concept id; its decode and codelist version are read
from the terminology usdm4 ships (the same library its rules check codes against), so a code can
never disagree with the validator. Loading that library takes a few seconds, once per process.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

CDISC_SYSTEM = "http://www.cdisc.org"
# usdm4 is installed without its dependencies (docs/decisions.md, "USDM export"): a plain
# `pip install basket` does not bring it.
USDM4_INSTALL = "pip install --no-deps usdm4==0.29.0"


def usdm4_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("usdm4") is not None


@dataclass(frozen=True)
class Term:
    code: str
    decode: str
    version: str
    system: str = CDISC_SYSTEM


# The concepts the export uses, by what they mean here (the codelist each belongs to in brackets).
OFFICIAL_TITLE = "C207616"  # Study Title Type (C207419)
BRIEF_TITLE = "C207615"
SPONSOR_ROLE = "C70793"  # Study Role Code (C215480): Clinical Study Sponsor
DRUG_COMPANY = "C54149"  # Organization Type (C188724)
ACADEMIA = "C18240"
REGULATORY_AGENCY = "C188863"
STUDY_REGISTRY = "C93453"
PROTOCOL_DOCUMENT = "C70817"  # Study Definition Document Type (C215477): Study Protocol
DRAFT = "C85255"  # Study Definition Document Version status (C188723)
PENDING_REVIEW = "C188862"
FINAL = "C25508"
ISSUED_DATE = "C215664"  # Governance Date Type (C207413)
GLOBAL_SCOPE = "C68846"  # Geographic Scope Type (C207412)
INTERVENTIONAL = "C98388"  # Study Type (C99077)
SINGLE_GROUP = "C82640"  # Intervention Model (C99076)
OPEN_LABEL = "C49659"  # Trial Blinding Schema (C66735)
TREATMENT_INTENT = "C49656"  # Trial Intent Type (C66736): Treatment Study
INVESTIGATIONAL_ARM = "C174266"  # Study Arm Type (C174222)
DATA_WITHIN_STUDY = "C188866"  # Study Arm Data Origin Type (C188727)
SCREENING_EPOCH = "C202487"  # Epoch (C99079)
TREATMENT_EPOCH = "C101526"
FOLLOW_UP_EPOCH = "C202578"
VISIT = "C25716"  # Encounter Type (C188728)
FIXED_REFERENCE = "C201358"  # Timing Type (C201264)
AFTER = "C201356"
BEFORE = "C201357"
START_TO_START = "C201355"  # Timing Relative To From (C201265)
INCLUSION = "C25532"  # Category of Inclusion/Exclusion (C66797)
EXCLUSION = "C25370"
OBJECTIVE_LEVELS = {"primary": "C85826", "secondary": "C85827", "exploratory": "C163559"}  # C188725
ENDPOINT_LEVELS = {"primary": "C94496", "secondary": "C139173", "exploratory": "C170559"}  # C188726
PROTOCOL_AGENT = "C41161"  # Study Intervention Role (C207417): the investigational product
GENE_THERAPY = "C15238"  # Intervention Type (C99078)
INVESTIGATIONAL_PRODUCT = "C202579"  # Product Designation (C207418): Investigational Medicinal Product
ONCE = "C64576"  # Frequency (C71113): a dose step is one administration
SEX = {"female": "C16576", "male": "C20197"}  # Sex of Participants (C66732)
AGE_UNITS = {"days": "C25301", "weeks": "C29844", "months": "C29846", "years": "C29848"}  # Age Unit (C66781)
YEAR = "C29848"

# CDISC concepts outside the USDM subset usdm4 ships (its rules check no codelist for these
# attributes): Ingredient Type (C177907) and Protocol Entity Terminology (C132310). Written with the
# release usdm4 ships, so the study uses one CDISC version throughout (rule DDF00073).
ACTIVE_INGREDIENT = "C82533"
EXCIPIENT = "C42637"
STUDY_PRODUCT_ADMINISTRATION = "C177924"
_OUTSIDE_USDM_SUBSET = {ACTIVE_INGREDIENT: "Active Ingredient", EXCIPIENT: "Pharmaceutical Excipient",
                        STUDY_PRODUCT_ADMINISTRATION: "Study Product Administration"}


class UnknownTerm(LookupError):
    """A value the program gives is no term of the CDISC codelist USDM requires for it."""


def term(concept_id: str) -> Term:
    """The CDISC term of a concept the export uses, with its decode and codelist version."""
    return _term(concept_id)


def submission_term(concept_id: str) -> Term:
    """The term decoded by its submission value ("Fixed Reference" rather than "Fixed Reference Timing
    Type"): usdm4's timing rules (DDF00011, DDF00031) recognise anchors by that decode."""
    found = _term(concept_id)
    codelist = _library().cl_by_term(concept_id)
    value = next(t["submissionValue"] for t in codelist["terms"] if t["conceptId"] == concept_id)
    return Term(found.code, value, found.version)


@functools.cache
def term_for(klass: str, attribute: str, value: str) -> Term:
    """The term whose submission value or preferred term is `value` (case-insensitive), in the
    codelist USDM binds to `klass.attribute` (e.g. Administration.route -> C66729)."""
    codelist = _library().klass_and_attribute(klass, attribute)
    found, _ = _library().find_in_terms(codelist["terms"], value, by="any")
    if found is None:
        raise UnknownTerm(f"{value!r} is no term of the CDISC codelist {codelist['conceptId']} "
                          f"({codelist['name']}) that USDM requires for {klass}.{attribute}")
    return Term(found["conceptId"], found["preferredTerm"], codelist["source"]["effective_date"])


@functools.cache
def _term(concept_id: str) -> Term:
    if concept_id in _OUTSIDE_USDM_SUBSET:
        return Term(concept_id, _OUTSIDE_USDM_SUBSET[concept_id], terminology_version())
    codelist = _library().cl_by_term(concept_id)
    if codelist is None:
        raise UnknownTerm(f"concept {concept_id} is in none of usdm4's CDISC codelists")
    decode = next(t["preferredTerm"] for t in codelist["terms"] if t["conceptId"] == concept_id)
    return Term(concept_id, decode, codelist["source"]["effective_date"])


@functools.cache
def _library():
    import usdm4
    from usdm4.ct.cdisc.library import Library

    library = Library(str(Path(usdm4.__file__).parent))
    library.load()
    return library


def terminology_version() -> str:
    """The CDISC terminology release usdm4 ships (every code the export writes is from it)."""
    return _library().version


_ARABIC_PHASES = re.compile(r"(?<![0-9])([1-4])(?![0-9])")
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def phase_term(text: str) -> Term:
    """The CDISC trial phase for a program's `phase` ("Phase 1/2", "Phase I/II", "phase 1b")."""
    roman = _ARABIC_PHASES.sub(lambda m: _ROMAN[m.group(1)], text.strip().upper())
    if roman.startswith("PHASE") and not roman.endswith("TRIAL"):
        roman += " TRIAL"
    return term_for("InterventionalStudyDesign", "studyPhase", roman)
