"""One reference per program (issue item 1): a program that names its reference and carries no window
gets the same decision from every command that plans or shows a plan: plan, guides, readiness,
render, docs, graph export, picture, impact, validate. So does the same program given --fasta, or
the FASTA through an environment variable, or with its windows fetched by `basket window`."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.reference.conftest import run
from tests.reference.genome import write_program

INSIDE = {"CPS1-Q335X": ("TGATTCTAAGCAGTAATGAA", "-"), "TESTM-MIRROR": ("TGATTCTAAGCAGTAATGAA", "+")}
OUTSIDE = {"CPS1-E714X": "transversion", "CPS1-NOPOS": "no_position", "OTC-NOCONTIG": "no_contig",
           "CPS1-DEL": "indel"}



@pytest.fixture(scope="module")
def programs(tmp_path_factory) -> dict[str, Path]:
    """The same program: reference by path; by environment variable; without a reference section."""
    base = tmp_path_factory.mktemp("reference")
    named = write_program(base / "named")
    by_env = write_program(base / "env", "reference:\n  build: GRCh38\n  fasta_env: BASKET_TEST_GRCH38\n")
    bare = write_program(base / "bare", None)
    return {"named": named, "env": by_env, "bare": bare}


def decisions_everywhere(program: Path, tmp: Path, *extra: str, env: dict[str, str] | None = None) -> dict:
    """What each command says: the variants inside the umbrella and their guide, and the others' reason."""
    found: dict[str, object] = {}
    plan = json.loads(run("plan", str(program), "--format", "json", *extra, env=env).stdout)
    found["plan"] = {r["variant"]: (r["guide"]["protospacer"], r["guide"]["strand"]) if r["in_umbrella"]
                     else r["reason_code"] for r in plan}
    guides = {}
    for variant in [r["variant"] for r in plan]:
        result = run("guides", str(program), variant, "--format", "json", *extra, env=env, code=None)
        rows = json.loads(result.stdout)
        guides[variant] = ((rows[0]["protospacer"], rows[0]["strand"]) if result.exit_code == 0
                           else re.search(r"no guide \((\w+)\)", result.stderr).group(1))
    found["guides"] = guides
    readiness = json.loads(run("readiness", str(program), "--format", "json", *extra, env=env, code=None).stdout)
    found["readiness"] = sorted(v["variant"] for v in readiness["variants"] if v["in_umbrella"])
    out = tmp / "render"
    run("render", str(program), "-o", str(out), *extra, env=env)
    found["render"] = sorted(p.stem for p in (out / "appendices").glob("*.md"))
    found["render guides"] = {p.stem: re.search(r"`([ACGT]{20})`", p.read_text()).group(1)
                              for p in (out / "appendices").glob("*.md")}
    site = tmp / "site"
    run("docs", str(program), "-o", str(site), "--no-pictures", *extra, env=env)
    found["docs"] = sorted(p.stem for p in (site / "appendices").glob("*.html"))
    graph = json.loads(run("graph", "export", str(program), "--format", "json", "-o", "-", *extra, env=env).stdout)
    found["graph"] = sorted((e["source"].removeprefix("variant:"), e["protospacer"]) for e in graph["edges"]
                            if e["rel"] == "correctable_by")
    impact = json.loads(run("impact", str(program), "component:grna", "--format", "json", *extra, env=env).stdout)
    found["impact"] = impact["appendices"]
    return found


def expected_decisions() -> dict:
    plan = {**INSIDE, **OUTSIDE}
    inside = sorted(INSIDE)
    return {"plan": plan, "guides": plan, "readiness": inside, "render": inside,
            "render guides": {v: guide[0] for v, guide in INSIDE.items()}, "docs": inside,
            "graph": sorted((v, guide[0]) for v, guide in INSIDE.items()), "impact": inside}


def test_every_command_reaches_the_same_decision_from_the_reference(programs, tmp_path):
    assert decisions_everywhere(programs["named"], tmp_path / "named") == expected_decisions()


def test_fasta_override_and_environment_variable_give_the_same_decisions(programs, tmp_path):
    fasta = str(programs["bare"] / "genome" / "ref.fa")
    assert decisions_everywhere(programs["bare"], tmp_path / "bare", "--fasta", fasta) == expected_decisions()
    env = {"BASKET_TEST_GRCH38": str(programs["env"] / "genome" / "ref.fa")}
    assert decisions_everywhere(programs["env"], tmp_path / "env", env=env) == expected_decisions()


def test_the_trial_schema_labels_each_variant_by_its_real_reason(programs, tmp_path):
    from tests.site.browser import require_tool

    require_tool("Graphviz", "dot")
    svg = tmp_path / "schema.svg"
    run("picture", str(programs["named"]), "--schema", "-o", str(svg))
    labels = {}
    for node in re.findall(r'<g id="node\d+" class="node">(.*?)</g>', svg.read_text(), re.DOTALL):
        lines = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", node)]
        labels[lines[0]] = lines[1:]
    assert {v: labels[v] for v in [*INSIDE, *OUTSIDE]} == {
        "CPS1-Q335X": ["appendix"], "TESTM-MIRROR": ["appendix"], "CPS1-E714X": ["outside: transversion"],
        "CPS1-NOPOS": ["outside: no genomic position"], "OTC-NOCONTIG": ["outside: contig not in reference"],
        "CPS1-DEL": ["outside: indel"]}


def test_a_reference_the_machine_lacks_is_said_and_nothing_is_claimed(programs, tmp_path):
    result = run("plan", str(programs["env"]), "--format", "json", env={"BASKET_TEST_GRCH38": ""})
    assert "warning: the program's GRCh38 reference is not available here ($BASKET_TEST_GRCH38 is not set)" \
        in result.stderr
    rows = {r["variant"]: r for r in json.loads(result.stdout)}
    assert rows["CPS1-Q335X"]["reason_code"] == "no_sequence" and not rows["CPS1-Q335X"]["in_umbrella"]
    assert "reference is not available here" in rows["CPS1-Q335X"]["reason"]
    missing = tmp_path / "missing"
    shutil.copytree(programs["bare"], missing)
    (missing / "reference.yaml").write_text("reference:\n  build: GRCh38\n  fasta: /nonexistent/hg38.fa\n")
    result = run("readiness", str(missing), code=None)
    assert "reference.fasta names /nonexistent/hg38.fa, which does not exist" in result.stderr


def test_windows_fetched_by_basket_window_give_the_same_decisions_verified_or_not(programs, tmp_path):
    program = tmp_path / "program"
    shutil.copytree(programs["named"], program)
    run("window", str(program), "--all", code=1)  # 1: two variants cannot be placed (no hgvs_g, no contig)
    assert decisions_everywhere(program, tmp_path / "with-reference") == expected_decisions()
    rows = json.loads(run("plan", str(program), "--format", "json").stdout)
    assert {r["variant"]: r["sequence"] for r in rows} == {
        "CPS1-Q335X": "verified", "CPS1-E714X": "verified", "TESTM-MIRROR": "verified",
        "CPS1-NOPOS": "none", "OTC-NOCONTIG": "none", "CPS1-DEL": "none"}
    (program / "program.yaml").write_text((program / "program.yaml").read_text().split("reference:")[0])
    assert decisions_everywhere(program, tmp_path / "without-reference") == {
        **expected_decisions(),
        "plan": {**INSIDE, **OUTSIDE, "OTC-NOCONTIG": "no_sequence", "CPS1-NOPOS": "no_sequence"},
        "guides": {**INSIDE, **OUTSIDE, "OTC-NOCONTIG": "no_sequence", "CPS1-NOPOS": "no_sequence"}}
    rows = json.loads(run("plan", str(program), "--format", "json").stdout)
    assert rows[0]["sequence"] == "unverified"
    readiness = run("readiness", str(program), "--format", "md", code=None).stdout
    assert "not verified against a reference genome" in readiness
    out = tmp_path / "unverified-render"
    run("render", str(program), "-o", str(out))
    assert "the window was not verified against a reference genome" in (out / "appendices" / "CPS1-Q335X.md").read_text()
    assert "No reference genome was available" in (out / "overview.md").read_text()


def test_validate_with_the_reference_reports_what_it_checked(programs):
    result = run("validate", str(programs["named"]))
    assert "Reference GRCh38 (ref.fa): 0 of 0 window(s)" in result.stdout
    assert "3 variant(s) without a window placed on it" in result.stdout
    assert "not verified: OTC-NOCONTIG" in result.stdout
