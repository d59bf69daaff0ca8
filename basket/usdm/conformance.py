"""usdm4's rules library (the CDISC USDM v4 conformance rules, DDF00006 ...) run on an exported study.

usdm4 runs the rules offline on a file. Rules its library does not implement are not run at all
(their modules are skipped when the library loads), so they are listed from the library's own rule
files: `not_run` is every rule file without an outcome. docs/usdm.md lists them for usdm4 0.29.0.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    rule: str
    status: str  # Failure | Exception
    message: str
    path: str


@dataclass(frozen=True)
class Conformance:
    passed_rules: int
    findings: list[Finding]
    not_run: list[str]  # rule ids the library has a file for but does not implement

    @property
    def passed(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        failed = sorted({f.rule for f in self.findings})
        lines = [f"usdm4 rules: {self.passed_rules} passed, {len(failed)} failed"
                 + (f" ({', '.join(failed)})" if failed else "")
                 + f", {len(self.not_run)} not implemented by usdm4"]
        lines += [f"  {f.rule} {f.status.lower()}: {f.message} at {f.path}" for f in self.findings]
        return "\n".join(lines)


def check_study(data: bytes) -> Conformance:
    """Validate the study's JSON bytes with usdm4's rules library."""
    with tempfile.TemporaryDirectory(prefix="basket-usdm-") as folder:
        path = Path(folder) / "study.json"
        path.write_bytes(data)
        return check_file(path)


def check_file(path: Path) -> Conformance:
    from usdm4 import USDM4
    from usdm4.rules.results import RuleStatus

    results = USDM4().validate(str(path))
    findings = []
    for outcome in sorted(results.outcomes.values(), key=lambda o: o.rule_id):
        if outcome.status == RuleStatus.EXCEPTION:
            findings.append(Finding(outcome.rule_id, "Exception", (outcome.exception or "").splitlines()[0], ""))
        elif outcome.status == RuleStatus.FAILURE:
            findings += [Finding(outcome.rule_id, "Failure", row["message"], row["location"].get("path", ""))
                         for row in outcome.errors.to_dict(level=0)]
    passed = sum(1 for o in results.outcomes.values() if o.status == RuleStatus.SUCCESS)
    return Conformance(passed, findings, sorted(set(library_rules()) - set(results.outcomes)))


@functools.cache
def library_rules() -> dict[str, str]:
    """Every rule usdm4's library has a module for: id -> the rule's text."""
    import usdm4

    rules = {}
    for module in sorted((Path(usdm4.__file__).parent / "rules" / "library").glob("rule_ddf*.py")):
        text = module.read_text(encoding="utf-8")
        found = re.search(r'"""\s*(DDF\w+): (.*?)\n\s*\n', text, re.DOTALL)
        if found:
            rules[found.group(1)] = " ".join(found.group(2).split())
    return rules
