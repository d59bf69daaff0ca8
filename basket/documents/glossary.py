"""ICH M11 section 13, Glossary of Terms and Abbreviations: the abbreviations a document uses.

The overview template marks where the glossary goes with `GLOSSARY_SLOT`; once the document's
Markdown is rendered, the slot is replaced by a table of the abbreviations below that the text
actually contains (whole words), so the glossary never lists a term the reader will not meet.
"""

from __future__ import annotations

import re

GLOSSARY_SLOT = "[[basket:glossary]]"

ABBREVIATIONS = {
    "ABE": "adenine base editor",
    "ACMG": "American College of Medical Genetics and Genomics",
    "AE": "adverse event",
    "CBE": "cytosine base editor",
    "CRISPR": "clustered regularly interspaced short palindromic repeats",
    "DNA": "deoxyribonucleic acid",
    "EXNEX": "exchangeability–nonexchangeability (hierarchical model for borrowing between baskets)",
    "FDA": "U.S. Food and Drug Administration",
    "HGNC": "HUGO Gene Nomenclature Committee",
    "HGVS": "Human Genome Variation Society (variant nomenclature)",
    "ICH": "International Council for Harmonisation of Technical Requirements for Pharmaceuticals for Human Use",
    "IND": "Investigational New Drug application",
    "LNP": "lipid nanoparticle",
    "LTFU": "long-term follow-up",
    "MANE": "Matched Annotation from NCBI and EMBL-EBI (reference transcript set)",
    "NCT": "ClinicalTrials.gov registry number prefix",
    "NHP": "non-human primate",
    "OMIM": "Online Mendelian Inheritance in Man",
    "PAM": "protospacer-adjacent motif",
    "RNA": "ribonucleic acid",
    "SAE": "serious adverse event",
    "SNV": "single-nucleotide variant",
    "gRNA": "guide RNA",
    "mRNA": "messenger RNA",
    "sgRNA": "single guide RNA",
}

_WORD = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                   + r")s?(?![A-Za-z0-9])")  # a plural ("PAMs") counts


def fill_glossary(markdown: str) -> str:
    """`markdown` with its glossary slot (if any) replaced by the table of abbreviations it uses."""
    if GLOSSARY_SLOT not in markdown:
        return markdown
    used = sorted(set(_WORD.findall(markdown)), key=str.lower)
    if not used:
        table = "The documents use no abbreviations that need explaining."
    else:
        table = "\n".join(["| Abbreviation | Meaning |", "|---|---|"]
                          + [f"| {term} | {ABBREVIATIONS[term]} |" for term in used])
    return markdown.replace(GLOSSARY_SLOT, table)
