"""`basket db`: the program, plan and readiness as normalised SQLite with foreign keys, the same bytes
for the same program, written atomically, with its schema documented in docs/database.md."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.api import database_to, plan_program
from basket.cli import main
from basket.documents.database_schema import all_tables, schema_markdown
from basket.evidence.readiness_rules import assess
from tests.conftest import EXAMPLE, ROOT, copy_program


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("db") / "ucd.sqlite"
    database_to(EXAMPLE, path)
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def one_column(connection: sqlite3.Connection, sql: str, *args) -> list:
    return [row[0] for row in connection.execute(sql, args)]


def test_every_row_keeps_its_keys(database):
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    declared = {t.name for t in all_tables()}
    assert set(one_column(database, "SELECT name FROM sqlite_master WHERE type = 'table'")) == declared
    assert all(database.execute(f"PRAGMA foreign_key_list({name})").fetchall() for name in
               ("variant", "patient_genotype", "guide", "bystander", "readiness_element", "disease_genes"))


def test_the_program_plan_and_readiness_are_all_there(database):
    loaded, plan = plan_program(EXAMPLE)
    program = loaded.program
    assert one_column(database, "SELECT id FROM variant ORDER BY rowid") == [v.id for v in program.variants]
    assert one_column(database, "SELECT variant_id FROM plan ORDER BY rowid") == [v.variant for v in plan.variants]
    assert database.execute("SELECT count(*) FROM guide").fetchone()[0] == sum(len(v.guides) for v in plan.variants)
    q335x = database.execute("SELECT g.protospacer, g.pam, g.strand, g.target_position FROM guide g "
                             "JOIN plan p ON p.variant_id = g.variant_id WHERE p.in_umbrella = 1 AND g.rank = 1"
                             ).fetchall()
    assert q335x == [("TGATTCTAAGCAGTAATGAA", "AGC", "-", 8)]
    assert one_column(database, "SELECT consequence FROM bystander WHERE variant_id = 'CPS1-Q335X'") == \
        ["synonymous", "synonymous"]
    genotype = database.execute("SELECT patient_id, position, variant, origin FROM patient_genotype "
                                "WHERE patient_id = 'PT-001'").fetchall()
    assert genotype == [("PT-001", 1, "CPS1-Q335X", "paternal"), ("PT-001", 2, "CPS1-E714X", "maternal")]
    report = assess(loaded, plan)
    gate = dict(database.execute("SELECT variant_id, passed FROM readiness_gate").fetchall())
    assert gate == {v.variant: int(v.gate.passed) for v in report.variants}
    assert database.execute("SELECT count(*) FROM readiness_element").fetchone()[0] == 5 * len(program.variants)
    window = database.execute("SELECT window_chrom, window_start, length(window_sequence) FROM variant "
                              "WHERE id = 'CPS1-Q335X'").fetchone()
    assert window[0].endswith("2") and window[1] > 0 and window[2] > 20


def test_every_field_of_a_guide_and_a_bystander_has_a_column():
    """The guide and bystander tables are declared by hand: a key added to a guide must be stored."""
    _, plan = plan_program(EXAMPLE)
    from dataclasses import fields

    from basket.editing.guides import CodonOutcome, Guide
    from basket.plan.umbrella_decision import VariantPlan

    guide = plan.get("CPS1-Q335X").guides[0]
    columns = {t.name: {c.name for c in t.columns} for t in all_tables()}
    assert {f.name for f in fields(Guide)} - {"bystanders", "notes", "codon_outcomes"} <= columns["guide"]
    bystander_keys = {key for b in guide["bystanders"] for key in b}
    assert bystander_keys - {"position"} <= columns["bystander"] and "genomic_position" in columns["bystander"]
    assert {f.name for f in fields(CodonOutcome)} - {"positions", "c"} <= columns["codon_outcome"]
    in_variant_table = {"gene", "disease_name", "basket", "hgvs_c", "hgvs_p", "status", "guide", "guides"}
    assert {f.name for f in fields(VariantPlan)} - in_variant_table - {"variant", "disease"} <= columns["plan"]


def test_same_program_same_bytes_and_the_users_permissions(tmp_path: Path):
    previous = os.umask(0o022)
    try:
        database_to(EXAMPLE, tmp_path / "a.sqlite")
        database_to(EXAMPLE, tmp_path / "b.sqlite")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()
    assert stat.S_IMODE((tmp_path / "a.sqlite").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite", "b.sqlite"]  # no journal, no temp file


def test_a_failed_write_leaves_the_previous_database(tmp_path: Path, monkeypatch):
    from basket.documents import program_database

    target = tmp_path / "ucd.sqlite"
    database_to(EXAMPLE, target)
    before = target.read_bytes()

    def fails(path, tables, rows):
        sqlite3.connect(path).execute("CREATE TABLE half (x)").connection.close()
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(program_database, "_fill", fails)
    with pytest.raises(OSError):
        database_to(EXAMPLE, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ucd.sqlite"]


def test_cli_writes_and_refuses_bad_input(minimal: Path, tmp_path: Path):
    out = tmp_path / "p.sqlite"
    result = CliRunner().invoke(main, ["db", str(minimal), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 variants" in result.stdout and out.is_file()
    (minimal / "variants.yaml").write_text((minimal / "variants.yaml").read_text().replace("gene: CPS1", "gene: NOPE"))
    out.unlink()
    result = CliRunner().invoke(main, ["db", str(minimal), "-o", str(out)])
    assert result.exit_code == 2 and "unknown gene 'NOPE'" in result.stderr and not out.exists()
    result = CliRunner().invoke(main, ["db", str(minimal), "-o", str(minimal / "variants.yaml")])
    assert result.exit_code == 2 and "input" in result.stderr


def test_the_schema_document_is_current():
    """docs/database.md is generated from the table definitions: `make golden` regenerates it."""
    assert (ROOT / "docs" / "database.md").read_text() == schema_markdown()


def test_a_program_with_protocol_content_fills_its_child_tables(tmp_path: Path):
    program = copy_program(EXAMPLE, tmp_path / "program")
    out = tmp_path / "x.sqlite"
    database_to(program, out)
    connection = sqlite3.connect(out)
    measures = connection.execute("SELECT disease_id, disease_natural_history_position, name, value "
                                  "FROM disease_natural_history_measures LIMIT 1").fetchone()
    assert measures[0].startswith("OMIM:") and measures[1] >= 1 and measures[2]
    connection.close()


def test_codon_outcomes_are_stored_with_their_bases(tmp_path: Path):
    """Bystanders sharing a codon (edited together) get a row each and their bases a child row each."""
    from dataclasses import replace

    from basket.documents.program_database import write_database

    loaded, plan = plan_program(EXAMPLE)
    item = plan.get("CPS1-Q335X")
    outcome = {"codon": 336, "positions": [210591891, 210591890], "c": ["c.1008", "c.1007"], "ref_codon": "AAT",
               "alt_codon": "GGT", "consequence": "missense", "protein_change": "p.Asn336Gly", "combinations": 3}
    guides = [{**item.guides[0], "codon_outcomes": [outcome]}, *item.guides[1:]]
    plan = plan.only([v.variant for v in plan.variants])
    plan.variants[plan.variants.index(item)] = replace(item, guides=guides)
    out = tmp_path / "x.sqlite"
    write_database(loaded, plan, assess(loaded, plan), out)
    connection = sqlite3.connect(out)
    assert connection.execute("SELECT codon, consequence FROM codon_outcome").fetchall() == [(336, "missense")]
    assert connection.execute("SELECT genomic_position, c FROM codon_outcome_base ORDER BY position").fetchall() == \
        [(210591891, "c.1008"), (210591890, "c.1007")]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()
