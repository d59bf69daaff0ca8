"""The regex fast path of `parse_hgvs` gives exactly what the biocommons grammar gives.

The fast path (basket/editing/hgvs.py) handles the common shapes without the slow parser;
for every string it accepts, the result must equal the grammar's, and every string it
declines must still parse (or fail) as before.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from basket.editing.hgvs import HgvsError, _fast_parse, _parse_slow, parse_hgvs

# Mostly well-formed parts (so the fast path is exercised), with near misses mixed in.
digits = st.integers(min_value=1, max_value=10**6).map(str) | st.sampled_from(["0", "01", "9999999999", "10000000000"])
base = st.sampled_from("ACGTACGTACGTNacgU")
accession = st.sampled_from(["", "", "NM_001875.5:", "NC_000002.12:", "ENST00000233072.10:", "ENST00000233072.1:",
                             "NM_1:", "nm_1.2:", "XR_12.3:", "NG_1.1:", "X:", "NM_001875.5::", ":"])
sign = st.sampled_from(["", "", "", "-", "*", "+", "*-", "-*"])
offset = st.sampled_from(["", "", "", "+", "-"]).flatmap(lambda s: digits.map(lambda d: f"{s}{d}" if s else ""))
position = st.builds(lambda s, d, o: f"{s}{d}{o}", sign, digits, offset)
span = st.builds(lambda a, b: a if b is None else f"{a}_{b}", position, st.none() | st.none() | position)
edit = (st.builds(lambda r, a: f"{r}>{a}", base, base)
        | st.sampled_from(["del", "dup", "delA", "ins", "insA", "delinsAG", "=", ">", "inv", "del "]))
coordinate = st.sampled_from(["c.", "c.", "g.", "g.", "n.", "m.", "p.", "c", "C."])
descriptions = st.builds(lambda a, c, s, e: f"{a}{c}{s}{e}", accession, coordinate, span, edit)


def _slow_or_error(text: str):
    try:
        return _parse_slow(text)
    except HgvsError as error:
        return error


@settings(max_examples=200, deadline=None)
@given(descriptions)
def test_fast_path_equals_the_grammar(text: str):
    fast = _fast_parse(text)
    if fast is not None:
        assert _slow_or_error(text) == fast


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["c.", "g."]), st.integers(1, 10**8), st.sampled_from("ACGT"), st.sampled_from("ACGT"),
       st.sampled_from(["", "NM_001875.5:", "NC_000023.11:"]), st.sampled_from(["", "+", "-"]),
       st.integers(1, 500))
def test_common_snvs_take_the_fast_path(coord, pos, ref, alt, acc, off_sign, off):
    intronic = f"{off_sign}{off}" if off_sign and coord == "c." else ""
    text = f"{acc}{coord}{pos}{intronic}{ref}>{alt}"
    fast = _fast_parse(text)
    assert (fast is None) == (ref == alt)
    if fast is not None:
        assert fast == _parse_slow(text)
        assert parse_hgvs(f"  {text} ") == fast


def test_declined_strings_still_reach_the_grammar():
    assert _fast_parse("c.123delA") is None
    assert parse_hgvs("c.123delA").ref == "A"
    assert _fast_parse("c.100C>C") is None and parse_hgvs("c.100C>C").kind == "other"
