"""Into the program (item 4): evidence points at a nomination file; readiness tells in-silico from
experimental nomination; the appendix's Off-Target Assessment summarises the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from basket.cli import main
from basket.evidence.readiness_rules import MET, PARTIAL
from basket.program.model import Evidence
from tests.readiness.conftest import add_evidence, drop_evidence, evidence, judge
from tests.readiness.test_rules import element

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "offtargets" / "data"
MINI = ROOT / "tests" / "render" / "fixtures" / "mini"
NOMINATION = MINI / "documents" / "q335x-offtargets.tsv"


def test_the_fixture_nomination_file_is_what_basket_offtargets_writes(tmp_path):
    out = tmp_path / "q335x-offtargets.tsv"
    result = CliRunner().invoke(main, ["offtargets", str(MINI), "CPS1-Q335X", "--fasta",
                                       str(DATA / "synthetic-reference.fa"), "--build", "synthetic", "--vcf",
                                       str(DATA / "patient.vcf"), "--no-progress", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == NOMINATION.read_bytes()


def _with_method(method: str | None):
    def mutate(data: dict) -> None:
        evidence(data, "ev-ot-nom")["method"] = method
    return mutate


def test_an_in_silico_nomination_alone_leaves_element_4_partial(ready: Path):
    assert element(judge(ready), 4).status == MET  # unset method: an experimental nomination (ONE-seq, ...)
    status = element(judge(ready, _with_method("in_silico")), 4)
    assert status.status == PARTIAL
    assert status.missing == [("off-target nomination: in silico only (ev-ot-nom); an experimental nomination "
                               "(e.g. ONE-seq, CHANGE-seq-BE, GUIDE-seq) is still needed")]
    assert element(judge(ready, _with_method("experimental")), 4).status == MET


def test_a_nomination_file_counts_as_in_silico_and_experimental_evidence_completes_it(ready: Path):
    (ready / "docs").mkdir(exist_ok=True)
    shutil.copy(NOMINATION, ready / "docs" / "offtargets.tsv")

    def file_only(data: dict) -> None:
        drop_evidence("ev-ot-nom")(data)
        add_evidence(id="ev-ot-computed", element=4, kind="off_target_nomination", subject="variant:CPS1-Q335X",
                     document="docs/offtargets.tsv")(data)

    assert element(judge(ready, file_only), 4).status == PARTIAL

    def both(data: dict) -> None:
        file_only(data)
        add_evidence(id="ev-ot-oneseq", element=4, kind="off_target_nomination", subject="variant:CPS1-Q335X",
                     method="experimental")(data)

    status = element(judge(ready, both), 4)
    assert status.status == MET and {"ev-ot-computed", "ev-ot-oneseq"} <= set(status.evidence)


def test_method_belongs_to_off_target_nomination_only():
    with pytest.raises(ValidationError, match="off_target_nomination evidence only"):
        Evidence(id="x", element=4, kind="off_target_confirmation", subject="variant:X", method="in_silico",
                 result="r", source="s")
