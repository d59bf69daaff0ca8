"""Class 7 of issue 12: HGVS that names no real position is refused.

c.0 (c. numbering skips from c.-1 to c.1), g.0, residue 0, c.*0, intronic offsets of 0, leading
zeros, ranges that do not run 5' to 3' (or from a position to itself), and digits that are not
ASCII (the grammar read `१००३` or fullwidth digits as 1003) were accepted. Each is refused when
loading, in hgvs_c, hgvs_g and hgvs_p, with its line.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.editing.hgvs import HgvsError, parse_hgvs
from tests.hostile.conftest import MINIMAL_FILES, assert_clean, program_dir, run

VARIANTS = MINIMAL_FILES["variants.yaml"]
NOT_POSITIONS = {
    "c.0C>T": "there is no position 0", "c.0del": "there is no position 0", "c.-0A>G": "there is no position 0",
    "c.*0A>G": "there is no position 0", "c.0+1G>A": "there is no position 0",
    "c.100+0G>A": "an intronic offset of 0", "c.100-0G>A": "an intronic offset of 0",
    "c.01003C>T": "leading zero", "c.100+01G>A": "leading zero",
    "c.200_100del": "must run 5' to 3'", "c.-5_-10del": "must run 5' to 3'", "c.*5_100del": "must run 5' to 3'",
    "c.100+5_100-5del": "must run 5' to 3'", "c.5_-3del": "must run 5' to 3'", "c.100_100del": "to itself",
    "c.\u0967\u0966\u0966\u0969C>T": "ASCII", "c.\uff11\uff10\uff10\uff13C>T": "ASCII",
    "c.1\u00b2C>T": "ASCII", "c.100_10\u0661del": "ASCII",
}


@pytest.mark.parametrize("text", sorted(NOT_POSITIONS))
def test_a_position_no_sequence_has_is_refused(text: str):
    with pytest.raises(HgvsError, match=NOT_POSITIONS[text].replace("'", ".")):
        parse_hgvs(text)


@pytest.mark.parametrize("text", ["c.1003C>T", "c.-5A>G", "c.*5A>G", "c.1000+1G>A", "c.1001-2A>G", "c.100_101insA",
                                  "c.-10_-5del", "c.100-5_100+5del", "c.99+10_100-10del", "c.*5_*10del",
                                  "c.-3_2del", "g.1A>G", "p.Gln335Ter", "p.(Ser149ThrfsTer45)", "p.Gln335_Gly340del"])
def test_real_positions_parse(text: str):
    parse_hgvs(text)


@pytest.mark.parametrize("field, old, new", [
    ("hgvs_c", "NM_001875.5:c.2140G>T", "NM_001875.5:c.0G>T"),
    ("hgvs_c", "NM_001875.5:c.2140G>T", "NM_001875.5:c.2141_2140del"),
    ("hgvs_c", "NM_001875.5:c.2140G>T", "NM_001875.5:c.\uff12140G>T"),
    ("hgvs_g", "NC_000002.12:g.210591886C>T", "NC_000002.12:g.0C>T"),
    ("hgvs_p", "    source: NEJM 2025;392:2235-43\n  - id", "    hgvs_p: p.Gln0Ter\n    source: NEJM\n  - id"),
    ("hgvs_p", "    source: NEJM 2025;392:2235-43\n  - id", "    hgvs_p: p.Gln335_Ser330del\n    source: NEJM\n  - id"),
])
def test_a_program_with_such_hgvs_is_refused_with_its_line(field: str, old: str, new: str):
    assert old in VARIANTS
    with program_dir({"variants.yaml": VARIANTS.replace(old, new, 1)}) as program:
        result = run("validate", str(program))
        assert_clean(result, program)
        assert result.exit_code == 2 and f"].{field}: " in result.stderr, result.stderr


@pytest.mark.parametrize("protein", ["p.?", "p.0", "p.=", "p.(=)", "NP_001866.2:p.0"])
def test_protein_descriptions_without_a_residue_are_fine(protein: str):
    text = VARIANTS.replace("    source: NEJM 2025;392:2235-43\n  - id", f"    hgvs_p: {protein!r}\n    source: NEJM\n  - id")
    with program_dir({"variants.yaml": text}) as program:
        result = run("validate", str(program))
        assert result.exit_code == 0, result.output


@settings(max_examples=150, deadline=None)
@given(st.integers(-50, 50), st.integers(-50, 50), st.booleans(), st.booleans())
def test_a_range_parses_exactly_when_it_runs_5_to_3(first: int, last: int, star_first: bool, star_last: bool):
    """Against a brute-force order: 5' UTR (negative) < coding (positive) < 3' UTR (*N); 0 is no position."""
    def written(n: int, star: bool) -> str:
        return f"*{abs(n)}" if star else str(n)

    def order(n: int, star: bool) -> tuple[int, int]:
        return (1, abs(n)) if star else (0, n)

    text = f"c.{written(first, star_first)}_{written(last, star_last)}del"
    real = first != 0 and last != 0
    valid = real and order(first, star_first) < order(last, star_last)
    try:
        parsed = parse_hgvs(text)
    except HgvsError:
        assert not valid, text
    else:
        assert valid, text
        assert parsed.start.base == (abs(first) if star_first else first)
