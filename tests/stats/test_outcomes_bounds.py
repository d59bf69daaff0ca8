"""Outcome and biomarker files are bounded like the program's numbers: a value no trial can hold is a
line-numbered problem (exit 2), never a crash or a computation that does not end."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main
from tests.conftest import EXAMPLE

HEADER = "patient,variant,period,events,exposure_years,dose_mg_per_kg\n"


@pytest.mark.parametrize(("row", "message"), [
    ("PT-001,CPS1-Q335X,post,99999999999999999999,1.0,0.3", "events: must be a whole number from 0 to 5,000"),
    ("PT-001,CPS1-Q335X,post,2,1e308,0.3", "exposure_years: must be at most 100 in size"),
    ("PT-001,CPS1-Q335X,post,2,1.0,1e300", "dose_mg_per_kg: must be at most 1e+06 in size"),
    ("PT-001,CPS1-Q335X,post,2,inf,", "exposure_years: must be finite"),
    ("PT-001,CPS1-Q335X,post,2," + "9" * 5000 + ",", "exposure_years: must be finite, got a value of 5,000 characters"),
])
def test_a_value_no_trial_holds_is_refused_with_its_line(tmp_path: Path, row: str, message: str):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(HEADER + row + "\n")
    for extra in ([], ["--interim"]):
        result = CliRunner().invoke(main, ["analyze", str(EXAMPLE), str(outcomes), *extra])
        assert result.exit_code == 2, result.output
        assert f"outcomes.csv:2: {message}" in result.stderr


def test_events_adding_up_past_the_bound_are_refused_where_they_pass_it(tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(HEADER + "PT-001,CPS1-Q335X,pre,3000,1.0,\nPT-001,CPS1-Q335X,post,3000,1.0,0.3\n")
    result = CliRunner().invoke(main, ["analyze", str(EXAMPLE), str(outcomes)])
    assert result.exit_code == 2, result.output
    assert "outcomes.csv:3: events: the file's events add up to more than 5,000 here" in result.stderr


def test_biomarker_days_and_values_are_bounded(tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(HEADER + "PT-001,CPS1-Q335X,post,0,1.0,0.3\n")
    biomarkers = tmp_path / "biomarkers.csv"
    biomarkers.write_text("patient,marker,day,value,unit\nPT-001,ammonia,99999999,50,umol/L\n"
                          "PT-001,ammonia,10,1e300,umol/L\n")
    result = CliRunner().invoke(main, ["analyze", str(EXAMPLE), str(outcomes), "--biomarkers", str(biomarkers)])
    assert result.exit_code == 2, result.output
    assert "biomarkers.csv:2: day: must be a whole number of days from -36,500 to 36,500" in result.stderr
    assert "biomarkers.csv:3: value: must be at most 1e+15 in size" in result.stderr
