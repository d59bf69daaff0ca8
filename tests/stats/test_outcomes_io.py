"""Outcomes and biomarker CSV readers: parsing and collected file:line errors."""

import pytest

from basket.stats import OutcomesFormatError, read_biomarkers, read_outcomes

GOOD = """\
# hyperammonemic events per period
patient,variant,period,events,exposure_years,basket,dose_mg_per_kg
P01,CPS1-Q335X,pre,3,0.5,CPS1,
P01,CPS1-Q335X,post,0,0.75,CPS1,0.6

P02,OTC-R40H,pre,2,1.0,OTC,
P02,OTC-R40H,post,1,1.0,OTC,0.6
"""


def write(tmp_path, text, name="outcomes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_good_file(tmp_path):
    recs = read_outcomes(write(tmp_path, GOOD))
    assert [(r.patient, r.period, r.events) for r in recs] == [
        ("P01", "pre", 3), ("P01", "post", 0), ("P02", "pre", 2), ("P02", "post", 1)]
    assert recs[1].exposure_years == 0.75 and recs[1].dose_mg_per_kg == 0.6
    assert recs[0].dose_mg_per_kg is None and recs[0].basket == "CPS1"


def test_basket_column_is_optional(tmp_path):
    recs = read_outcomes(write(tmp_path, "patient,variant,period,events,exposure_years\nP1,V,post,0,1\n"))
    assert recs[0].basket is None


def test_all_problems_reported_with_file_line_column(tmp_path):
    bad = """\
patient,variant,period,events,exposure_years
John Smith,V1,pre,1,1.0
P2,V1,during,1,1.0
P3,V1,post,-1,0
P4,V1,post,1.5,abc
P5,V1,post,1,1.0
P5,V1,post,1,1.0
P6,V1,pre,1,1.0
P6,V2,post,1,1.0
P7,V1,post
"""
    path = write(tmp_path, bad)
    with pytest.raises(OutcomesFormatError) as err:
        read_outcomes(path)
    problems = err.value.problems
    expected = [
        f"{path}:2: patient:",
        f"{path}:3: period: must be 'pre' or 'post'",
        f"{path}:4: events:",
        f"{path}:4: exposure_years: must be above 0 and at most 100",
        f"{path}:5: events:",
        f"{path}:5: exposure_years: must be a number",
        f"{path}:7: period: patient P5 already has a post row (line 6)",
        f"{path}:9: variant: patient P6 has a different variant/basket on line 8",
        f"{path}:10: -: expected 5 cells, got 3",
    ]
    assert len(problems) == len(expected)
    for got, want in zip(problems, expected):
        assert got.startswith(want), (got, want)
    assert isinstance(err.value, ValueError) and err.value.field == "outcomes"


def test_header_problems(tmp_path):
    with pytest.raises(OutcomesFormatError) as err:
        read_outcomes(write(tmp_path, "patient,variant,period,events,dob\nP1,V,pre,1,2001-01-01\n"))
    msgs = err.value.problems
    assert any(": exposure_years: required column is missing" in m for m in msgs)
    assert any(": dob: unknown column" in m for m in msgs)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(OutcomesFormatError, match="no header row"):
        read_outcomes(write(tmp_path, "\n# nothing\n"))
    with pytest.raises(OutcomesFormatError, match="no outcome rows"):
        read_outcomes(write(tmp_path, "patient,variant,period,events,exposure_years\n"))
    with pytest.raises(OutcomesFormatError, match="cannot read file"):
        read_outcomes(tmp_path / "absent.csv")


def test_encoding_problems_are_located_and_a_spreadsheet_bom_is_fine(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(GOOD.replace("OTC-R40H,pre", "OTC-R40H\xe9,pre").encode("latin-1"))
    with pytest.raises(OutcomesFormatError, match=r"latin.csv:6: -: not valid UTF-8 \(byte 0xe9\)"):
        read_outcomes(latin)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(GOOD.encode("utf-8-sig"))
    assert len(read_outcomes(bom)) == 4


def test_a_named_pipe_is_refused_without_reading(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(OutcomesFormatError, match="not a regular file"):
        read_outcomes(tmp_path / "pipe.csv")


def test_biomarkers(tmp_path):
    text = "patient,marker,day,value,unit\nP01,ammonia,-10,180,umol/L\nP01,ammonia,+5,60,\n"
    recs = read_biomarkers(write(tmp_path, text, "bio.csv"))
    assert [(r.day, r.value, r.unit) for r in recs] == [(-10, 180.0, "umol/L"), (5, 60.0, None)]
    with pytest.raises(OutcomesFormatError) as err:
        read_biomarkers(write(tmp_path, "patient,marker,day,value\nP01,ammonia,1.5,nan\n", "b2.csv"))
    assert [p.split(": ")[1] for p in err.value.problems] == ["day", "value"]
