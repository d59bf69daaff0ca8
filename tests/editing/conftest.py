"""Shared fixtures for the guide-design engine tests."""

from __future__ import annotations

import pytest

from basket.editing.editors import Editor, load_catalogue
from basket.editing.sequence_context import SequenceContext, context_from_window

# Infant KJ's CPS1 variant (NEJM 2025;392:2235-43,
# doi:10.1056/NEJMoa2504747); window from the UCSC Genome Browser, GRCh38/hg38 chr2:210591821-210591930; transcript NM_001875.5, gene on the +
# strand of chr2). Base 66 of the window is c.1003 (reference C), the first base of codon 335 (CAG, Gln).
CPS1_CHROM = "chr2"
CPS1_START = 210591821
CPS1_WINDOW = (
    "TTCTCTCCAGAGGGCAGAATCAGCCTGTTTTGAATATCACAAACAAACAGGCTTTCATTACTGCTCAGAATCATGGCTATGCCTTGGACAACACCCTCCCTGCTGGCTGG"
)
Q335X_C = "NM_001875.5:c.1003C>T"
Q335X_G = "NC_000002.12:g.210591886C>T"
E714X_C = "NM_001875.5:c.2140G>T"


def make_editor(name: str = "test-editor", **fields: object) -> Editor:
    """An SpCas9 ABE with ABE8e-like windows and an NGG PAM, unless ``fields`` say otherwise."""
    defaults: dict[str, object] = {
        "deaminase": "ABE",
        "cas_variant": "SpCas9 nickase",
        "pams": ["NGG"],
        "core_window": (4, 8),
        "extended_window": (3, 9),
        "source": "test",
    }
    return Editor.model_validate({**defaults, **fields, "name": name})


@pytest.fixture(scope="session")
def abe8e() -> Editor:
    return make_editor("ABE8e")


@pytest.fixture(scope="session")
def catalogue() -> dict[str, Editor]:
    return load_catalogue()


@pytest.fixture(scope="session")
def ngc_editor() -> Editor:
    # The KJ editor is in no published table. Its window is taken as ABE8e's (core 4-8, extended 3-9):
    # V106W narrows off-target RNA editing and is not reported to move the DNA window.
    return Editor(
        name="NGC-ABE8e-V106W",
        deaminase="ABE",
        cas_variant="SpCas9 D10A nickase variant preferring NGC PAMs",
        pams=["NGC"],
        core_window=(4, 8),
        extended_window=(3, 9),
        source="Musunuru K et al. NEJM 2025;392:2235-43. doi:10.1056/NEJMoa2504747",
        notes="window assumed equal to ABE8e's",
    )


@pytest.fixture()
def q335x_context() -> SequenceContext:
    return context_from_window(CPS1_CHROM, CPS1_START, CPS1_WINDOW, Q335X_C, hgvs_g=Q335X_G, gene_strand="+")
