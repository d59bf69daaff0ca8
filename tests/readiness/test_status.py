"""The status workflow: every transition, the gate on submission, and byte-exact write-through."""

from __future__ import annotations

import os
import stat
from itertools import product
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.cli import main
from basket.evidence.status_workflow import (
    BACK_ALLOWED,
    TransitionRefused,
    rewrite_status,
    set_status,
    transition_refusal,
)
from basket.foundation.problems import InputError
from basket.program.load import load_program
from basket.program.model import VARIANT_STATUSES

from .conftest import replace_text

ORDER = VARIANT_STATUSES


def status(*args: str):
    return CliRunner().invoke(main, ["status", *map(str, args)])


# --- transitions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("current,new", list(product(ORDER, ORDER)))
def test_every_transition(current: str, new: str) -> None:
    if current == new:
        return  # same status: a no-op, tested below
    a, b = ORDER.index(current), ORDER.index(new)
    allowed = b == a + 1 or (b == a - 1 and current in BACK_ALLOWED)
    reason = transition_refusal(current, new)
    assert (reason is None) is allowed, (current, new, reason)
    if reason is not None:
        assert reason.startswith(f"cannot go {'back ' if b < a else ''}from {current} to {new}: ")


def test_skipping_names_the_missing_steps() -> None:
    assert transition_refusal("assessed", "cleared") == (
        "cannot go from assessed to cleared: the variant must first pass through appendix_drafted and "
        "submitted (one step at a time; next is appendix_drafted)")
    assert "assessed, appendix_drafted and submitted" in transition_refusal("proposed", "cleared")


def test_back_steps_allowed_before_an_answer_only() -> None:
    assert transition_refusal("appendix_drafted", "assessed") is None
    assert transition_refusal("submitted", "appendix_drafted") is None
    assert transition_refusal("assessed", "proposed") is None
    assert "the clearance is a fact of record" in transition_refusal("cleared", "submitted")
    assert "dosing is a fact of record" in transition_refusal("dosed", "cleared")
    assert "go back one step at a time (submitted → appendix_drafted)" in transition_refusal("submitted", "assessed")


# --- the gate on submission -------------------------------------------------------------------------


def test_entering_submitted_requires_the_gate(ready: Path) -> None:
    (ready / "docs" / "report.txt").write_text("edited\n")
    before = (ready / "variants.yaml").read_bytes()
    with pytest.raises(TransitionRefused, match=r"cannot enter submitted: CPS1-Q335X fails the readiness entry "
                                                r"gate: element 2 \(Product targets the cause\) is partial"):
        set_status(ready, "CPS1-Q335X", "submitted")
    assert (ready / "variants.yaml").read_bytes() == before


def test_entering_submitted_when_ready(ready: Path) -> None:
    change = set_status(ready, "CPS1-Q335X", "submitted")
    assert (change.old, change.new, change.written) == ("appendix_drafted", "submitted", True)
    assert load_program(ready).program.variants_by_id["CPS1-Q335X"].status == "submitted"


# --- writing ------------------------------------------------------------------------------------------


def changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b) if x != y]


def test_only_the_status_line_changes(ready: Path) -> None:
    path = ready / "variants.yaml"
    before = path.read_bytes()
    set_status(ready, "CPS1-Q335X", "assessed")
    assert changed_lines(before, path.read_bytes()) == [
        (b"    status: appendix_drafted     # trailing comment kept\n",
         b"    status: assessed     # trailing comment kept\n")]


def test_example_program_keeps_every_other_byte(example_copy: Path) -> None:
    path = example_copy / "variants.yaml"
    before = path.read_bytes()
    change = set_status(example_copy, "CPS1-Q335X", "follow_up")
    assert change.file.endswith("variants.yaml") and change.line == 8
    assert changed_lines(before, path.read_bytes()) == [(b"    status: dosed\n", b"    status: follow_up\n")]


def test_quotes_are_kept(ready: Path) -> None:
    path = ready / "variants.yaml"
    before = path.read_bytes()
    set_status(ready, "CPS1-E714X", "appendix_drafted")
    assert changed_lines(before, path.read_bytes()) == [(b'    status: "assessed"\n',
                                                          b'    status: "appendix_drafted"\n')]


def test_missing_status_key_is_inserted(example_copy: Path) -> None:
    path = example_copy / "variants.yaml"
    before = path.read_text().splitlines(keepends=True)
    set_status(example_copy, "OTC-R40H", "assessed")
    after = path.read_text().splitlines(keepends=True)
    assert len(after) == len(before) + 1
    index = next(i for i, (a, b) in enumerate(zip(before, after)) if a != b)
    assert after[index] == "    status: assessed\n"
    assert after[:index] + after[index + 1:] == before
    assert after[index - 1].startswith("    classification: pathogenic")  # OTC-R40H's mapping
    assert after[index + 1].startswith("    notes:")  # placed before notes
    assert load_program(example_copy).program.variants_by_id["OTC-R40H"].status == "assessed"


def test_crlf_line_endings_are_kept(ready: Path) -> None:
    path = ready / "variants.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    set_status(ready, "CPS1-Q335X-B", "assessed")  # no status key: inserted with CRLF
    after = path.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n") + 1
    assert b"\n" not in after.replace(b"\r\n", b"")


def test_file_permissions_are_kept(ready: Path) -> None:
    path = ready / "variants.yaml"
    os.chmod(path, 0o640)
    set_status(ready, "CPS1-Q335X", "assessed")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_variant_in_a_second_file_is_found_by_the_locator(ready: Path) -> None:
    text = (ready / "variants.yaml").read_text()
    head, tail = text.split("  - id: CPS1-E714X\n")
    (ready / "variants.yaml").write_text(head)
    (ready / "more-variants.yaml").write_text("# second file\nvariants:\n  - id: CPS1-E714X\n" + tail)
    change = set_status(ready, "CPS1-E714X", "proposed")
    assert change.file.endswith("more-variants.yaml") and change.line == 3
    assert 'status: "proposed"' in (ready / "more-variants.yaml").read_text()
    assert (ready / "variants.yaml").read_text() == head


def test_flow_style_variant_without_status_is_refused(ready: Path) -> None:
    (ready / "flow.yaml").write_text("variants:\n  - {id: CPS1-FLOW, gene: CPS1, hgvs_c: 'NM_001875.5:c.2150G>T', "
                                     "source: test}\n")
    before = (ready / "flow.yaml").read_bytes()
    with pytest.raises(InputError, match="flow style"):
        set_status(ready, "CPS1-FLOW", "assessed")
    assert (ready / "flow.yaml").read_bytes() == before


def test_flow_style_with_status_is_edited_in_place(ready: Path) -> None:
    (ready / "flow.yaml").write_text("variants:\n  - {id: CPS1-FLOW, gene: CPS1, hgvs_c: 'NM_001875.5:c.2150G>T', "
                                     "status: proposed, source: test}\n")
    set_status(ready, "CPS1-FLOW", "assessed")
    assert "status: assessed, source: test}" in (ready / "flow.yaml").read_text()


def test_same_status_writes_nothing(ready: Path) -> None:
    before = (ready / "variants.yaml").stat().st_mtime_ns
    change = set_status(ready, "CPS1-Q335X", "appendix_drafted")
    assert not change.changed and not change.written
    assert (ready / "variants.yaml").stat().st_mtime_ns == before


def test_dry_run_writes_nothing(ready: Path) -> None:
    before = (ready / "variants.yaml").read_bytes()
    change = set_status(ready, "CPS1-Q335X", "assessed", dry_run=True)
    assert change.changed and not change.written
    assert "-    status: appendix_drafted" in change.diff and "+    status: assessed" in change.diff
    assert (ready / "variants.yaml").read_bytes() == before


def test_no_temporary_files_are_left(ready: Path) -> None:
    set_status(ready, "CPS1-Q335X", "assessed")
    assert sorted(p.name for p in ready.iterdir() if p.name.startswith(".")) == []


# --- CLI ------------------------------------------------------------------------------------------------


def test_cli_changes_and_exits_0(ready: Path) -> None:
    result = status(ready, "CPS1-Q335X", "assessed")
    assert result.exit_code == 0
    assert result.output.startswith("CPS1-Q335X: appendix_drafted → assessed (")


def test_cli_refusal_exits_1_with_reason(ready: Path) -> None:
    before = (ready / "variants.yaml").read_bytes()
    result = status(ready, "CPS1-E714X", "cleared")
    assert result.exit_code == 1
    assert "refused: cannot go from assessed to cleared" in result.output
    assert "nothing was written" in result.output
    assert (ready / "variants.yaml").read_bytes() == before


def test_cli_gate_refusal_exits_1(ready: Path) -> None:
    status(ready, "CPS1-E714X", "appendix_drafted")
    result = status(ready, "CPS1-E714X", "submitted")
    assert result.exit_code == 1
    assert "fails the readiness entry gate" in result.output


@pytest.mark.parametrize("variant,new,message", [
    ("CPS1-Q335Y", "assessed", "unknown variant 'CPS1-Q335Y'; did you mean CPS1-Q335X"),
    ("CPS1-Q335X", "cleard", "unknown status 'cleard'; did you mean 'cleared'?"),
])
def test_cli_bad_input_exits_2(ready: Path, variant: str, new: str, message: str) -> None:
    before = (ready / "variants.yaml").read_bytes()
    result = status(ready, variant, new)
    assert result.exit_code == 2 and message in result.output
    assert (ready / "variants.yaml").read_bytes() == before


def test_cli_invalid_program_exits_2(ready: Path) -> None:
    replace_text(ready / "patients.yaml", "disease: OMIM:237300", "disease: OMIM:999999")
    assert status(ready, "CPS1-Q335X", "assessed").exit_code == 2


def test_cli_same_status_exits_0(ready: Path) -> None:
    result = status(ready, "CPS1-Q335X", "appendix_drafted")
    assert result.exit_code == 0 and "already appendix_drafted; nothing was written" in result.output


def test_cli_dry_run_prints_a_diff(ready: Path) -> None:
    result = status(ready, "CPS1-Q335X", "assessed", "--dry-run")
    assert result.exit_code == 0 and "+    status: assessed" in result.output


# --- property: whatever surrounds the status, only its value changes --------------------------------

comments = st.text(st.characters(max_codepoint=0x2FF, exclude_categories=("Cc", "Cs")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(comment=comments, quote=st.sampled_from(["", "'", '"']), spaces=st.integers(1, 6),
       old=st.sampled_from(ORDER), new=st.sampled_from(ORDER))
def test_rewrite_changes_only_the_status_value(comment: str, quote: str, spaces: int, old: str, new: str) -> None:
    tail = f"{' ' * spaces}# {comment}" if comment.strip() else ""
    text = ("variants:\n  # before\n  - id: V1\n    notes: >-\n      folded\n      text\n"
            f"    status: {quote}{old}{quote}{tail}\n    source: s  # after\n")
    result = rewrite_status(text.encode(), ("variants", 0), new, "t.yaml").decode()
    expected = text.replace(f"status: {quote}{old}{quote}", f"status: {quote}{new}{quote}", 1)
    assert result == expected
