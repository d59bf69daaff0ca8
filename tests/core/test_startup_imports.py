"""What a command imports decides how long it takes to start (about a second for scipy.stats, half a
second for networkx and the graph), so commands that need neither must not import them. Checked on
the import log of a fresh process (`python -X importtime`), whatever the command's exit code."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "configs" / "ucd-umbrella"


def imported(*command: str) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "basket", *command], cwd=ROOT,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                            check=False)
    assert result.returncode in (0, 1, 2), result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2}


def under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


@pytest.mark.parametrize("command", [
    ("window", str(EXAMPLE), "--all", "--dry-run"),  # refused here (no reference)
    ("window", str(EXAMPLE), "NO-SUCH-VARIANT"),  # refused: an unknown variant
])
def test_commands_without_the_graph_do_not_import_it(command):
    modules = imported(*command)
    assert "basket.program.window_fetch" in modules  # the command ran
    assert not under(modules, "networkx", "basket.graph", "scipy")


def test_validate_imports_neither_the_graph_nor_scipy_stats():
    modules = imported("validate", str(EXAMPLE))
    assert "basket.stats.overdispersion" in modules  # the design notes were computed
    assert not under(modules, "scipy.stats", "networkx", "basket.graph", "basket.plan")
