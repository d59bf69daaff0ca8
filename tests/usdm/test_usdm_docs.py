"""docs/usdm.md lists exactly the rules the installed usdm4 does not run."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_documented_unimplemented_rules_are_those_usdm4_skips(example_conformance) -> None:
    text = (ROOT / "docs" / "usdm.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| (DDF\d{5}) \|", text, flags=re.MULTILINE)
    assert listed == sorted(listed)
    assert listed == example_conformance.not_run
    assert f"runs {example_conformance.passed_rules} of the {len(listed) + example_conformance.passed_rules} rules" \
        in text
