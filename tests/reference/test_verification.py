"""Every base verified (item 3), cross-field consistency (item 4) and the real reason everywhere (item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.editing.conftest import CPS1_WINDOW
from tests.reference.conftest import run
from tests.reference.genome import WINDOW_START, write_program


def add_window(program: Path, sequence: str = CPS1_WINDOW, extra: str = "") -> None:
    text = (program / "variants.yaml").read_text().replace(
        "    status: assessed", f"    window:\n      chrom: chr2\n      start: {WINDOW_START}\n"
        f"      sequence: {sequence}\n      source: UCSC hg38 chr2:210591821-210591930{extra}\n    status: assessed", 1)
    (program / "variants.yaml").write_text(text)


def line_of(program: Path, needle: str) -> int:
    return next(i for i, line in enumerate((program / "variants.yaml").read_text().splitlines(), 1) if needle in line)


# --- item 3: every base of every window --------------------------------------------------------------


def test_one_changed_base_anywhere_in_the_window_is_found_with_its_position(program: Path):
    changed = CPS1_WINDOW[:16] + "T" + CPS1_WINDOW[17:]  # base 17 (G in the reference), far from the variant
    add_window(program, changed)
    result = run("validate", str(program), code=2)
    line = line_of(program, "sequence: TTCTCTCC")
    assert (f"{program}/variants.yaml:{line}: variants[0].window.sequence: window base 17 (chr2:1,017) is T but "
            "the reference GRCh38 (ref.fa) has G; fetch the window again with `basket window`") in result.stderr
    # the same window is refused by every command that plans: they would otherwise design on it
    for command in (["plan"], ["readiness"], ["guides", "CPS1-Q335X"]):
        assert "window base 17 (chr2:1,017) is T" in run(command[0], str(program), *command[1:], code=2).stderr


def test_several_differing_bases_are_counted(program: Path):
    assert CPS1_WINDOW[0] == "T" and CPS1_WINDOW[40] != "G"
    changed = "A" + CPS1_WINDOW[1:40] + "G" + CPS1_WINDOW[41:]
    add_window(program, changed)
    assert "window base 1 (chr2:1,001) is A but the reference GRCh38 (ref.fa) has T; 2 of 110 bases differ" \
        in run("validate", str(program), code=2).stderr


def test_a_window_that_equals_the_reference_validates_and_is_verified(program: Path):
    add_window(program)
    result = run("validate", str(program))
    assert "1 of 1 window(s) equal to it base for base" in result.stdout
    rows = {r["variant"]: r for r in json.loads(run("plan", str(program), "--format", "json").stdout)}
    assert rows["CPS1-Q335X"]["sequence"] == "verified"


def test_without_a_reference_the_window_is_said_to_be_unverified(program: Path):
    add_window(program)
    (program / "program.yaml").write_text((program / "program.yaml").read_text().split("reference:")[0])
    result = run("validate", str(program))
    assert "1 sequence window(s) not verified: no reference genome" in result.stdout
    assert "Reference: none; 1 window(s) not verified." in run("plan", str(program)).stdout


def test_a_checksum_that_no_longer_matches_its_sequence_is_an_error_even_without_a_reference(program: Path):
    sha = "ab" * 32
    add_window(program, extra=f"\n      sha256: {sha}")
    (program / "program.yaml").write_text((program / "program.yaml").read_text().split("reference:")[0])
    result = run("validate", str(program), code=2)
    assert "variants[0].window: the window's sha256 abababababab… does not match its sequence" in result.stderr


def test_a_window_from_another_build_is_refused(program: Path):
    add_window(program, extra="\n      build: GRCh37")
    assert "window was read from GRCh37 but the program's reference is GRCh38" in \
        run("validate", str(program), code=2).stderr


# --- item 4: cross-field consistency -----------------------------------------------------------------


def replace(program: Path, old: str, new: str) -> None:
    text = (program / "variants.yaml").read_text()
    assert old in text
    (program / "variants.yaml").write_text(text.replace(old, new, 1))


def test_hgvs_c_and_hgvs_g_that_disagree_are_refused_without_a_window(program: Path):
    # c.1003C>A on a + strand gene reads C>A, but g. says C>T: validated before, then planned as a transversion
    replace(program, "hgvs_c: NM_001875.5:c.1003C>T", "hgvs_c: NM_001875.5:c.1003C>A")
    result = run("validate", str(program), code=2)
    assert ("variants[0].hgvs_g: NC_000002.12:g.1066C>T disagrees with NM_001875.5:c.1003C>A (hgvs_c): the c. "
            "alleles read C>A on the + strand, but g. says C>T") in result.stderr


def test_the_gene_strand_is_used_to_compare_c_and_g(program: Path):
    # TESTM is on the - strand: c.1003C>T is G>A on the + strand, which the g. says; C>T would be wrong
    replace(program, "NC_000012.12:g.1045G>A", "NC_000012.12:g.1045C>T")
    result = run("validate", str(program), code=2)
    assert ("TESTM is on the - strand, so the c. alleles read G>A on the + strand, but g. says C>T"
            in result.stderr)


def test_a_substitution_beside_a_deletion_is_refused(program: Path):
    replace(program, "hgvs_g: NC_000002.12:g.2500G>T", "hgvs_g: NC_000002.12:g.2500del")
    assert "is a deletion but NM_001875.5:c.2140G>T (hgvs_c) is a substitution" in \
        run("validate", str(program), code=2).stderr


def test_the_accession_must_name_the_genes_chromosome_and_the_programs_build(program: Path):
    replace(program, "NC_000002.12:g.1066C>T", "NC_000023.11:g.1066C>T")
    assert "NC_000023.11 is chromosome X, but CPS1 is on chr2" in run("validate", str(program), code=2).stderr
    replace(program, "NC_000023.11:g.1066C>T", "NC_000002.11:g.1066C>T")
    assert "NC_000002.11 is chromosome 2 of GRCh37, but the program's reference is GRCh38" in \
        run("validate", str(program), code=2).stderr


def test_one_allele_under_two_ids_is_refused(program: Path):
    text = (program / "variants.yaml").read_text()
    text += ("  - id: CPS1-Q335X-AGAIN\n    gene: CPS1\n    hgvs_c: c.1003C>T\n    source: the same allele, "
             "written without its transcript\n")
    (program / "variants.yaml").write_text(text)
    result = run("validate", str(program), code=2)
    assert (f"variants[6].hgvs_c: the same allele as variant CPS1-Q335X ({program}/variants.yaml:3); record an "
            "allele once") in result.stderr
    text = text.replace("hgvs_c: c.1003C>T\n", "hgvs_c: c.9999C>T\n    hgvs_g: g.1066C>T\n")
    (program / "variants.yaml").write_text(text)
    assert "variants[6].hgvs_g: the same allele as variant CPS1-Q335X" in run("validate", str(program), code=2).stderr


def test_a_dosed_variant_whose_patient_is_a_candidate_is_flagged(program: Path):
    replace(program, "status: assessed", "status: dosed")
    result = run("validate", str(program))
    assert ("variants[0].status: CPS1-Q335X is dosed but no patient carrying it is dosed (PT-001 is candidate)"
            in result.stderr)
    readiness = json.loads(run("readiness", str(program), "--format", "json", code=None).stdout)
    assert any("CPS1-Q335X is dosed but no patient carrying it is dosed" in w for w in readiness["warnings"])
    patients = (program / "patients.yaml").read_text() + "    status: dosed\n"
    (program / "patients.yaml").write_text(patients)
    assert "warning" not in run("validate", str(program)).stderr
    replace(program, "status: dosed", "status: cleared")
    assert "PT-001 is dosed but none of the variants it carries is dosed" in run("validate", str(program)).stderr


def test_outcomes_of_a_variant_never_dosed_or_outside_the_umbrella_are_analysed_with_a_warning(
        program: Path, tmp_path: Path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("patient,variant,period,events,exposure_years\nPT-001,CPS1-Q335X,post,0,1\n"
                        "PT-002,CPS1-E714X,post,1,1\n")
    (program / "patients.yaml").write_text((program / "patients.yaml").read_text() + (
        "  - id: PT-002\n    disease: OMIM:237300\n    genotype:\n      - {variant: CPS1-E714X, origin: unknown}\n"))
    natural_history = ("    natural_history:\n      - id: NH-CPS1\n        source: test registry\n"
                       "        population: test cohort\n        n: 50\n        measures:\n"
                       "          - {name: crises per year, definition: crises per patient-year, value: 1.5, "
                       "unit: per patient-year, source: test}\n    endpoints:\n      - {name: crises, definition: crises per year, "
                       "comparator: crises per year}\n")
    text = (program / "program.yaml").read_text().replace(
        "  - {id: OMIM:237300, name: CPS1 deficiency, genes: [CPS1], inheritance: autosomal recessive, "
        "source: OMIM 237300}\n",
        "  - id: OMIM:237300\n    name: CPS1 deficiency\n    genes: [CPS1]\n    inheritance: autosomal recessive\n"
        f"    source: OMIM 237300\n{natural_history}")
    (program / "program.yaml").write_text(text)
    result = run("analyze", str(program), str(outcomes))
    assert f"{outcomes}:2: variant: CPS1-Q335X has outcomes but was never dosed (status assessed)" in result.stderr
    assert f"{outcomes}:3: variant: CPS1-E714X is outside the umbrella (transversion)" in result.stderr


# --- item 5: the real reason, everywhere ---------------------------------------------------------------


@pytest.mark.parametrize(("variant", "code", "words"), [
    ("CPS1-E714X", "transversion", "is a G>T transversion, which no base editor corrects"),
    ("CPS1-DEL", "indel", "is a deletion, which no base editor corrects"),
    ("CPS1-NOPOS", "no_position", "no sequence was searched"),
    ("OTC-NOCONTIG", "no_contig", "has no sequence named chrX"),
])
def test_guides_says_the_real_reason_and_exits_1(program: Path, variant: str, code: str, words: str):
    result = run("guides", str(program), variant, code=1)
    assert f"no guide ({code}):" in result.stderr and words in result.stderr
    assert "no guide places the base" not in result.output


def test_guides_without_any_sequence_says_none_was_searched(tmp_path: Path):
    bare = write_program(tmp_path / "bare", None)
    result = run("guides", str(bare), "CPS1-Q335X", code=1)
    assert "no guide (no_sequence):" in result.stderr
    assert "no sequence was searched" in result.stderr
    assert json.loads(run("guides", str(bare), "CPS1-Q335X", "--format", "json", code=1).stdout) == []


def test_guides_with_the_wrong_deaminase_says_so(program: Path):
    result = run("guides", str(program), "CPS1-Q335X", "--editor", "BE4max", code=1)
    assert "no guide (wrong_deaminase):" in result.stderr and "BE4max is a CBE" in result.stderr
    result = run("guides", str(program), "CPS1-Q335X", "--editor", "ABE8e", code=1)
    assert "no guide (no_guide): No NGG PAM of ABE8e places the mutant base in its window 3-9" in result.stderr


def test_plan_tables_lead_with_the_reason_code(program: Path):
    table = run("plan", str(program)).stdout.splitlines()
    assert table[0].startswith("reason_code")
    codes = [line.split()[0] for line in table[2:8]]
    assert codes == ["platform", "transversion", "platform", "no_position", "no_contig", "indel"]
    assert run("plan", str(program), "--format", "csv").stdout.startswith("reason_code,variant,")
    rows = json.loads(run("plan", str(program), "--format", "json").stdout)
    assert all(r["reason"] and r["reason_code"] for r in rows)
