"""What the documents say: ICH M11 numbering, the appendix sections, gaps, escaping, overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.api import plan_program, render_to
from basket.documents.markdown_escape import escape_markdown
from basket.documents.markdown_html import markdown_to_html
from basket.documents.rendering import RenderOptions, render_documents
from basket.documents.template_environment import OPEN_ITEMS_LEAD
from tests.render.conftest import XSS_IMG, XSS_SCRIPT

M11_HEADINGS = [
    "## 1 Protocol Summary", "### 1.1 Protocol Synopsis", "#### 1.1.1 Primary and Secondary Objectives and Estimands",
    "#### 1.1.2 Overall Design", "### 1.2 Trial Schema", "### 1.3 Schedule of Activities", "## 2 Introduction",
    "## 3 Trial Objectives and Associated Estimands", "## 4 Trial Design", "## 5 Trial Population",
    "### 5.2 Inclusion Criteria", "### 5.3 Exclusion Criteria", "## 6 Trial Intervention and Concomitant Therapy",
    "## 8 Trial Assessments and Procedures", "## 10 Statistical Considerations",
    "## 11 Trial Oversight and Other General Considerations", "## 13 Appendix: Glossary of Terms and Abbreviations",
    "## 14 Appendix: References",
]
APPENDIX_HEADINGS = [
    "## 1 Variant Identification and Genotype Confirmation", "## 2 Plausible-Mechanism Rationale",
    "## 3 Variant-Specific Product", "## 4 Nonclinical Summary", "## 5 Eligibility", "## 6 Dose and Dosing Rules",
    "## 7 Schedule of Assessments", "## 8 Endpoints and Natural-History Comparator",
    "## 9 Safety Monitoring and Long-Term Follow-Up", "## 10 Document Control",
]


def _md(rendered: Path, name: str) -> str:
    return (rendered / name).read_text(encoding="utf-8")


def test_overview_follows_ich_m11_numbering_in_order(rendered):
    text = _md(rendered, "overview.md")
    positions = [text.index(heading + "\n") for heading in M11_HEADINGS]
    assert positions == sorted(positions)
    assert "| Master Protocol Indicator | Yes |" in text


def test_appendix_has_every_section_in_order(rendered):
    text = _md(rendered, "appendices/CPS1-Q335X.md")
    positions = [text.index(heading + "\n") for heading in APPENDIX_HEADINGS]
    assert positions == sorted(positions)


def test_appendix_content_comes_from_the_program(rendered):
    text = _md(rendered, "appendices/CPS1-Q335X.md")
    assert "| Protospacer (5'→3') | `TGATTCTAAGCAGTAATGAA` |" in text and "| PAM | `AGC` |" in text  # guide table
    assert "synonymous (p.Asn336=)" in text  # bystander table
    assert "| dose 2 | 0.3 mg/kg total RNA | intravenous | 22 days after dose 1 |" in text
    assert "| liver enzymes | – | X | X |" in text  # schedule of assessments as a matrix
    assert "| Plasma ammonia | primary |" in text and "recurrent_hyperammonemia_before_age_1 (NH-FIXTURE) | 80 percent" in text
    assert "Long-term follow-up: 15 years after the last dose." in text
    # master-protocol dosing rules apply when the variant states its regimen but no rules
    assert "Repeat doses no sooner than 2 weeks apart." in text
    version = re.search(r"\| Appendix version \| (1\.0\+[0-9a-f]{8}) \|", text)
    assert version and f"appendix version {version.group(1)}" in text
    assert "| umbrella.yaml | `" in text


def test_appendix_version_changes_with_its_content_only(fixture_copy):
    def version_of(program: Path) -> str:
        loaded, plan = plan_program(program)
        docs = render_documents(loaded, plan, RenderOptions(["md"], pictures=False)).documents
        return docs[1].context["document"]["version"]

    before = version_of(fixture_copy)
    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text() + "\n# a comment changes the hash of the input, not the content\n")
    assert version_of(fixture_copy) == before
    variants = fixture_copy / "variants.yaml"
    variants.write_text(variants.read_text().replace("manufacturer: IDT", "manufacturer: Another maker"))
    assert version_of(fixture_copy) != before


def test_missing_data_is_marked_and_listed_never_blank(rendered):
    completeness = _md(rendered, "completeness.md")
    rows = [line.split(" | ") for line in completeness.splitlines() if line.startswith(("| overview |", "| appendices/"))]
    assert rows
    for row in rows:
        stem, what = row[0].removeprefix("| "), row[1].removesuffix(" |")
        assert f"[to be provided: {what}]" in _md(rendered, f"{stem}.md")
    for name in ("overview.md", "appendices/CPS1-Q335X.md", "overview.html", "appendices/CPS1-Q335X.html"):
        text = _md(rendered, name)
        assert not re.search(r"\bNone\b", text), name
        body = text[text.index("Table of Contents"):]  # the signature forms before it have blank fields
        assert "| |" not in body.replace("| | |", ""), name
        assert "<td></td>" not in body, name
    assert '<li><mark class="tbp">[to be provided: trial oversight (umbrella.oversight)]</mark></li>' in \
        _md(rendered, "overview.html")


def test_open_items_are_listed_once_per_section_never_mid_sentence(rendered):
    for name in ("overview.md", "appendices/CPS1-Q335X.md"):
        lines = _md(rendered, name).splitlines()
        markers = [(number, line) for number, line in enumerate(lines) if "[to be provided:" in line]
        assert markers, name
        for number, line in markers:
            assert line.startswith("- [to be provided: ") and line.endswith("]"), (name, line)
            first = number
            while lines[first - 1].startswith("- "):
                first -= 1
            assert lines[first - 2 : first] == [OPEN_ITEMS_LEAD, ""], (name, line)  # a list under its lead
        sections = re.split(r"^#{2,6} ", "\n".join(lines), flags=re.MULTILINE)
        for section in sections:
            assert section.count(OPEN_ITEMS_LEAD) <= 1, section[:80]


def test_statistics_section_states_what_is_provided_and_marks_the_rest(rendered):
    text = _md(rendered, "overview.md")
    section = text[text.index("## 10 Statistical Considerations"):text.index("## 11 ")]
    assert "Fixture statistics statement" in section
    assert "| Carbamoyl phosphate synthetase I deficiency | NH-FIXTURE | recurrent_hyperammonemia_before_age_1 |" in section
    assert "[to be provided: sample size assumptions (umbrella.sample_size)]" in section


def test_xss_payload_is_text_in_markdown_and_html(rendered):
    md = _md(rendered, "appendices/CPS1-Q335X.md")
    assert "\\<script>window.\\_\\_pwned=1\\</script>" in md and "\\*not emphasis\\* \\| not a cell" in md
    html = _md(rendered, "appendices/CPS1-Q335X.html")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in html
    assert XSS_SCRIPT not in html and XSS_IMG not in html and "<em>not emphasis</em>" not in html


def test_user_templates_override_file_by_file(fixture_program, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "appendix.md.j2").write_text("# Custom appendix {{ variant.id }}\n\nNote: {{ variant.notes }}\n")
    (templates / "document.css").write_text("body { color: rebeccapurple; }\n")
    out = tmp_path / "out"
    render_to(fixture_program, out, ["md", "html"], templates)
    appendix = (out / "appendices" / "CPS1-Q335X.md").read_text()
    assert appendix.startswith("# Custom appendix CPS1-Q335X\n")
    assert "\\<script>" in appendix  # a user template is escaped like the shipped ones
    assert "## 1 Protocol Summary" in (out / "overview.md").read_text()  # not overridden: shipped template
    assert "rebeccapurple" in (out / "overview.html").read_text()


def test_user_templates_run_sandboxed(fixture_program, tmp_path):
    from basket.foundation.problems import InputError

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "overview.md.j2").write_text("{{ umbrella.__class__.__mro__ }}\n")
    with pytest.raises(InputError) as caught:
        render_to(fixture_program, tmp_path / "out", ["md"], templates)
    assert "template error (SecurityError)" in str(caught.value)


def test_outputs_are_byte_identical_across_renders(fixture_program, rendered, tmp_path):
    again = tmp_path / "again"
    render_to(fixture_program, again, ["md", "html", "pdf", "docx"])
    for path in sorted(p for p in rendered.rglob("*") if p.is_file()):
        relative = path.relative_to(rendered)
        assert (again / relative).read_bytes() == path.read_bytes(), relative


def test_real_example_renders_every_format(example, tmp_path):
    out = tmp_path / "out"
    result = render_to(example, out, ["md", "html", "pdf", "docx"])
    appendix = (out / "appendices" / "CPS1-Q335X.md").read_text()
    assert "kayjayguran" in appendix and "TGATTCTAAGCAGTAATGAA" in appendix
    assert "At least one of the subject's alleles must be amenable to base editing by LNP.UCD.ABE" in appendix
    assert (out / "overview.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "appendices" / "CPS1-Q335X.docx").read_bytes().startswith(b"PK")
    assert result.gaps  # the example leaves protocol content to be provided, listed in completeness.md


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_escaped_text_renders_as_the_same_text(text):
    """Whatever a program says, Markdown escaping makes the HTML show exactly that text."""
    import html as html_lib

    shown = markdown_to_html("x " + escape_markdown(text) + " x")
    assert shown.startswith("<p>") and shown.count("<") == 2  # <p> and </p>: no element from the text
    inner = html_lib.unescape(shown[3:-5])
    assert " ".join(inner.split()) == " ".join(("x " + text + " x").split())


def test_discontinuation_rules_fill_m11_section_7(fixture_copy):
    section = "## 7 Participant Discontinuation of Trial Intervention and Discontinuation or Withdrawal from Trial"

    def section_7(program: Path) -> str:
        loaded, plan = plan_program(program)
        text = render_documents(loaded, plan, RenderOptions(["md"], pictures=False)).outputs["overview.md"].decode()
        return text[text.index(section):text.index("## 8 Trial Assessments")]

    assert "[to be provided: participant discontinuation and withdrawal rules (umbrella.discontinuation)]" in \
        section_7(fixture_copy)
    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text() + (
        "  discontinuation:\n"
        "    - text: A participant may withdraw consent at any time.\n"
        "      source: Fixture statement for this test\n"))
    text = section_7(fixture_copy)
    assert "- A participant may withdraw consent at any time. Source: Fixture statement for this test" in text
    assert "to be provided" not in text


def test_a_variant_regimen_keeps_the_master_protocols_concomitant_therapy_unless_it_states_its_own(fixture_copy):
    def appendix() -> str:
        loaded, plan = plan_program(fixture_copy)
        return render_documents(loaded, plan, RenderOptions(["md"], pictures=False)).outputs["appendices/CPS1-Q335X.md"].decode()

    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace(
        "  dosing:\n    rules:\n",
        "  dosing:\n    concomitant:\n      - text: Fixture premedication statement.\n        source: test\n    rules:\n"))
    text = appendix()
    assert "Regimen given to the index patient" in text  # the variant's own regimen ...
    assert "Prophylactic sirolimus and tacrolimus." in text  # ... and its own concomitant therapy
    assert "Fixture premedication statement." not in text
    variants = fixture_copy / "variants.yaml"
    variants.write_text(variants.read_text().replace(
        "      concomitant:\n        - text: Prophylactic sirolimus and tacrolimus.\n"
        "          source: NEJM 2025;392:2235-43\n", ""))
    text = appendix()
    assert "Regimen given to the index patient" in text
    assert "Fixture premedication statement." in text  # the umbrella's concomitant therapy now applies


@pytest.mark.parametrize("dropped, message", [
    ("    follow_up_source:", "follow_up_years is given without follow_up_source"),
    ("    follow_up_years:", "follow_up_source is given without follow_up_years"),
])
def test_follow_up_years_and_their_source_go_together(fixture_copy, dropped: str, message: str):
    from basket.foundation.problems import InputError

    umbrella = fixture_copy / "umbrella.yaml"
    lines = umbrella.read_text().splitlines(keepends=True)
    umbrella.write_text("".join(line for line in lines if not line.startswith(dropped)))
    with pytest.raises(InputError) as error:
        plan_program(fixture_copy)
    assert f"umbrella.yaml:42: umbrella.safety: {message}" in str(error.value)


def test_a_misspelt_objective_endpoint_is_refused_with_a_suggestion(fixture_copy):
    from basket.foundation.problems import InputError

    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace("endpoints: [Plasma ammonia]", "endpoints: [Plasma amonia]"))
    with pytest.raises(InputError) as error:
        plan_program(fixture_copy)
    assert ("umbrella.yaml:24: umbrella.objectives[0].endpoints[0]: unknown endpoint 'Plasma amonia'; "
            "did you mean 'Plasma ammonia'?") in str(error.value)


def test_the_population_source_is_listed_among_the_references(fixture_copy):
    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace("  population:\n", "  population:\n    source: Fixture population source\n", 1))
    loaded, plan = plan_program(fixture_copy)
    text = render_documents(loaded, plan, RenderOptions(["md"], pictures=False)).outputs["overview.md"].decode()
    assert "Fixture population source" in text[text.index("## 14 Appendix: References"):]


def test_safety_objectives_are_listed_with_the_secondary_ones(fixture_copy):
    umbrella = fixture_copy / "umbrella.yaml"
    umbrella.write_text(umbrella.read_text().replace(
        "  objectives:\n",
        "  objectives:\n    - level: safety\n      text: Fixture safety objective (test data).\n", 1))
    loaded, plan = plan_program(fixture_copy)
    text = render_documents(loaded, plan, RenderOptions(["md"], pictures=False)).outputs["overview.md"].decode()
    secondary = text[text.index("### 3.2 Secondary"):text.index("### 3.3 Exploratory")]
    assert "- Safety: Fixture safety objective (test data). Endpoints: —." in secondary
    assert "- Fixture secondary objective (test data)." in secondary


def test_a_dose_step_without_dose_is_marked_and_a_unit_alone_is_refused(fixture_copy):
    from basket.foundation.problems import InputError

    variants = fixture_copy / "variants.yaml"
    original = variants.read_text()
    variants.write_text(original.replace("          dose: 0.1\n          unit: mg/kg total RNA\n", "", 1))
    loaded, plan = plan_program(fixture_copy)
    appendix = render_documents(loaded, plan, RenderOptions(["md"], pictures=False)).outputs["appendices/CPS1-Q335X.md"].decode()
    assert "| dose 1 | to be provided | intravenous |" in appendix
    assert "- [to be provided: dose of dose 1 (dosing.steps\\[\\].dose)]" in appendix  # Markdown-escaped
    variants.write_text(original.replace("          dose: 0.1\n", "", 1))
    with pytest.raises(InputError) as error:
        plan_program(fixture_copy)
    assert "variants.yaml:27: variants[0].dosing.steps[0]: unit 'mg/kg total RNA' is given without dose" in str(error.value)
