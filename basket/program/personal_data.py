"""Personal data written into free text: dates of birth and medical-record or hospital numbers.

Patients are pseudonymous (`PT-001`); a birth date or a record number written into a note, a
statement, a result or an evidence measure would be printed in every appendix. `personal_data_in`
finds them in any spelling: the text is first reduced to a skeleton (Unicode NFKC, format
characters such as zero-width spaces dropped, Cyrillic and Greek look-alike letters read as Latin,
accents dropped, case folded, every run of punctuation or space one space), so `D.O.B.`,
`Date-of-Birth`, `ＤＯＢ`, `d\u200bob` and `dоb` (Cyrillic o) all read `dob`.

Only a label followed by its value is personal data: `DOB 2024-03-01`, `born on 3 March 2024`,
`MRN 12345678`, `hospital no. A1234567`. Scientific text is not: publication dates (`2025;392:2235-43`),
`day 1`, doses, accessions (NM_001875.5, RCV000011761, NCT07667387, PMID 12345678) and `born at
38 weeks` carry no such label or no such value. A US social security number (123-45-6789) is
refused without a label.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cyrillic and Greek letters that look like Latin ones (the common confusables)
_LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q",
    "ԝ": "w", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w",
})
_SEPARATORS = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre"
          r"|octobre|novembre|decembre|januar|februar|marz|juni|juli|oktober|dezember|enero|febrero|marzo|abril"
          r"|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio"
          r"|giugno|luglio|settembre|ottobre|dicembre)")
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|e)?"
# dates as tokens (separators already turned into single spaces)
_DATE = (rf"(?:\d{{1,2}} \d{{1,2}} \d{{2,4}}|\d{{4}} \d{{1,2}} \d{{1,2}}|{_DAY}(?: of| de)? {_MONTH}(?: \d{{2,4}})?"
         rf"|{_MONTH} {_DAY}(?: \d{{2,4}})?|{_MONTH} \d{{4}})")
# labels whose value is a birth date: any number after them is one
_BIRTH_LABEL = (r"(?:dob|d o b|date of birth|dateofbirth|birth ?date|birthday|date naissance|date de naissance"
                r"|nee? le|geburtsdatum|geb|geboren am|fecha de nacimiento|fecha nacimiento|data di nascita"
                r"|geboortedatum|fodselsdato)")
_BIRTH = re.compile(rf"\b{_BIRTH_LABEL}\b(?: [a-z]{{1,8}}){{0,2}} \w*\d")
_BORN = re.compile(rf"\bborn(?: on| in)? {_DATE}\b")
_RECORD_LABEL = (r"(?:mrn|m r n|medical record(?: number| no| num| nr| id)?|med rec(?: no| number)?"
                 r"|(?:hospital|hosp|clinic|chart|case record|record|unit|ur|nhs|chi|health card|insurance"
                 r"|social security)(?: number| no| num| nr| id)|ssn|social security)")
_RECORD = re.compile(rf"\b{_RECORD_LABEL}\b(?: (?:is|was|number|no|num|nr|id))*((?: \w*\d\w*){{1,4}})")
# a word every label above begins with or contains, to skip text that has none in one search
_LABEL_STEMS = re.compile(r"\b(?:dob|d o b|dateofbirth|birth|born|naissance|nee? le|geb|nacimiento|nascita|geboortedatum"
                          r"|fodselsdato|mrn|m r n|record|med rec|hospital|hosp|clinic|chart|unit|ur|nhs|chi|health card"
                          r"|insurance|ssn|social security)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")


def _record_number(tokens: str) -> bool:
    """A record number: one token of 5 digits or more, or digit groups of 7 or more in all (NHS
    943 476 5919); years (1990 2013) are a period, not a number."""
    digits = [sum(char.isdigit() for char in token) for token in tokens.split() if not _YEAR.fullmatch(token)]
    return any(count >= 5 for count in digits) or sum(digits) >= 7


def skeleton(text: str) -> str:
    """`text` as the detector reads it: NFKC, no format characters, look-alikes as Latin, no
    accents, case-folded, every run of punctuation or space one space."""
    if text.isascii():  # most text: nothing to normalize (and the loops below cost microseconds a string)
        return " " + _SEPARATORS.sub(" ", text.lower()).strip() + " "
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf").translate(_LOOK_ALIKES)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " " + _SEPARATORS.sub(" ", text).strip() + " "


@lru_cache(maxsize=65_536)  # a program repeats its sources and statements many times
def personal_data_in(text: str) -> str | None:
    """What personal data `text` holds ("a date of birth (DOB 2024 03 01)"), or None."""
    if not _DIGIT.search(text):
        return None  # a birth date or a record number has digits
    plain = text if text.isascii() else unicodedata.normalize("NFKC", text)
    found = _SSN.search(plain) if plain.count("-") >= 2 else None
    if found:
        return f"a social security number ({found.group()})"
    words = skeleton(text)
    if not _LABEL_STEMS.search(words):
        return None  # no label at all: the common case, one search
    found = _BIRTH.search(words) or _BORN.search(words)
    if found:
        return f"a date of birth ({found.group().strip()})"
    for found in _RECORD.finditer(words):
        if _record_number(found.group(1)):
            return f"a medical record or hospital number ({found.group().strip()})"
    return None


_NUMERIC_DATE = re.compile(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)")
_NAMED_DATE = re.compile(rf"\b(?:{_DAY}(?: of| de)? {_MONTH} \d{{2,4}}|{_MONTH} {_DAY} \d{{2,4}}|{_MONTH} \d{{4}})\b")
_IDENTIFIER_LABEL = re.compile(rf"\b(?:{_BIRTH_LABEL}|born on|{_RECORD_LABEL})\b")


def personal_data_in_patient_notes(text: str) -> str | None:
    """Stricter, for a patient's own notes: besides what `personal_data_in` finds, any calendar date
    more precise than a year (a birth, dosing or visit date identifies a patient of a rare disease)
    and the label of an identifier even without its value."""
    found = personal_data_in(text)
    if found is not None:
        return found
    plain = unicodedata.normalize("NFKC", text)
    words = skeleton(text)
    match = _NUMERIC_DATE.search(plain) or _NAMED_DATE.search(words) or _IDENTIFIER_LABEL.search(words)
    return f"{match.group().strip()!r} (dates more precise than a year, birth dates and record numbers)" \
        if match else None


def refusal(found: str) -> str:
    return (f"patient records must be pseudonymous: the text holds {found}; names, birth dates and record "
            "numbers must not be written into a program (patients are ids such as PT-001)")
