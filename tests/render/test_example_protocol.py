"""The bundled example reads as a protocol from public sources: the registry's eligibility, the regimen
published for the index patient, primary sources cited (never a file outside the repository)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def example_markdown(tmp_path_factory):
    from basket.api import render_to
    from tests.conftest import EXAMPLE

    out = tmp_path_factory.mktemp("example-md") / "out"
    render_to(EXAMPLE, out, ["md"])
    return out


def test_q335x_appendix_states_the_published_regimen(example_markdown):
    text = (example_markdown / "appendices" / "CPS1-Q335X.md").read_text()
    section = text[text.index("## 6 Dose and Dosing Rules"):text.index("## 7 ")]
    assert "| dose 1 (total RNA) | 0.1 mg/kg | intravenous | Day 1 |" in section
    assert "| dose 2 (total RNA) | 0.3 mg/kg | intravenous | Day 23 |" in section
    assert "dose 1 on day 208 of life, dose 2 22 days later" in section
    assert "sirolimus and tacrolimus" in section and "to be provided" not in section


def test_overview_carries_the_registry_eligibility_with_its_source(example_markdown):
    text = (example_markdown / "overview.md").read_text()
    inclusion = text[text.index("### 5.2 Inclusion Criteria"):text.index("### 5.3 ")]
    exclusion = text[text.index("### 5.3 Exclusion Criteria"):text.index("## 6 ")]
    assert len(re.findall(r"^\d+\. .*NCT07667387, inclusion criterion \d", inclusion, re.MULTILINE)) == 8
    assert len(re.findall(r"^\d+\. .*NCT07667387, exclusion criterion \d", exclusion, re.MULTILINE)) == 4
    assert "7. Weight >3.5 kg at the time of screening." in inclusion


def test_completeness_lists_what_blocks_submission_first(example_markdown):
    report = (example_markdown / "completeness.md").read_text()
    headings = re.findall(r"^## (.*)$", report, re.MULTILINE)
    assert headings[0].startswith("Blocks submission") and len(headings) >= 2
    blocking = report[report.index(headings[0]):report.index(headings[1])]
    assert "trial objectives (umbrella.objectives)" in blocking and "protocol date" not in blocking


def test_nothing_cites_a_file_outside_the_repository():
    searched = [p for folder in ("configs", "tests", "templates", "docs", "basket") for p in (ROOT / folder).rglob("*")
                if p.is_file() and p.suffix in (".yaml", ".md", ".py", ".j2", ".html") and p != ROOT / __file__]
    offenders = [str(p.relative_to(ROOT)) for p in searched
                 if re.search(r"shared/data|/work/", p.read_text(errors="replace")) and p.name != "test_example_protocol.py"]
    assert offenders == []
