"""The whole chain on a minus-strand gene: the CPS1 window mirrored (reverse-complemented in place)
must give the mirror of the real result — the same guide on the other strand, the same bystanders
at the same c. positions with the same consequences."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from basket.cli import main
from basket.editing.sequence import reverse_complement

WINDOW = ("TTCTCTCCAGAGGGCAGAATCAGCCTGTTTTGAATATCACAAACAAACAGGCTTTCATTACTGCTCAGAATCATGGCTATGCCTTGGACAACACC"
          "CTCCCTGCTGGCTGG")
START, END = 210591821, 210591930


def guides(program: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["guides", str(program), "CPS1-Q335X", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_mirrored_gene_gives_mirrored_guides(minimal: Path):
    plus = guides(minimal)
    mirrored_position = START + END - 210591886
    disease = minimal / "disease.yaml"
    disease.write_text(disease.read_text().replace('strand: "+"', 'strand: "-"'))
    variants = minimal / "variants.yaml"
    variants.write_text(variants.read_text()
                        .replace(WINDOW, reverse_complement(WINDOW))
                        .replace("g.210591886C>T", f"g.{mirrored_position}G>A"))
    minus = guides(minimal)
    assert len(plus) == len(minus) >= 1
    for a, b in zip(plus, minus):
        assert a["protospacer"] == b["protospacer"] and a["pam"] == b["pam"]
        assert {a["strand"], b["strand"]} == {"+", "-"}
        assert (b["start"], b["end"]) == (START + END - a["end"], START + END - a["start"])
        assert a["target_position"] == b["target_position"]
        assert sorted((x["c"], x["consequence"]) for x in a["bystanders"]) == \
            sorted((x["c"], x["consequence"]) for x in b["bystanders"])
