"""Renders are all-or-nothing, reproducible and serialized.

- two renders of one program are byte-identical (md and html);
- two renders started together into one out/ both succeed, one after the other (a lock),
  leaving a complete render whose manifest verifies and no staging directories;
- a render process killed (SIGKILL) while rendering, or in the middle of writing, leaves the
  previous out/ intact; the next render cleans up what the killed one left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from basket.changes.output_verification import verify_outputs
from basket.foundation.atomic_output import replace_directory
from tests.conftest import MINIMAL


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".new-" in p.name or ".old-" in p.name)


def render_command(program: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "basket", "render", str(program), "-o", str(out), *extra]


@pytest.fixture
def program(tmp_path: Path) -> Path:
    target = tmp_path / "program"
    shutil.copytree(MINIMAL, target)
    return target


def test_two_renders_into_one_directory_are_byte_identical(program: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = subprocess.run(render_command(program, out, "--format", "md,html"), capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    before = tree(out)
    second = subprocess.run(render_command(program, out, "--format", "md,html"), capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert tree(out) == before
    assert verify_outputs(out).ok


def test_concurrent_renders_into_one_out_are_serialized(program: Path, tmp_path: Path):
    out = tmp_path / "out"
    runs = [subprocess.Popen(render_command(program, out, "--format", "md,html"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for process in runs:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    report = verify_outputs(out)
    assert report.ok and report.listed > 3
    assert leftovers(tmp_path) == []


def test_concurrent_writers_wait_for_the_lock(tmp_path: Path):
    """While one writer holds out/'s lock, another cannot swap in its directory."""
    out = tmp_path / "out"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from basket.foundation.atomic_output import replace_directory
        with replace_directory(Path({str(out)!r})) as staging:
            (staging / "who").write_text(sys.argv[1])
            print("inside", flush=True)
            time.sleep(float(sys.argv[2]))
    """)
    slow = subprocess.Popen([sys.executable, "-c", script, "slow", "1.5"], stdout=subprocess.PIPE, text=True)
    assert slow.stdout is not None and slow.stdout.readline().strip() == "inside"
    start = time.perf_counter()
    fast = subprocess.run([sys.executable, "-c", script, "fast", "0"], capture_output=True, text=True, check=False)
    waited = time.perf_counter() - start
    assert slow.wait(timeout=30) == 0 and fast.returncode == 0
    assert waited > 0.5  # it could only enter once the slow writer had finished
    assert (out / "who").read_text() == "fast"
    assert leftovers(tmp_path) == []


def test_render_killed_while_rendering_leaves_previous_out(program: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert subprocess.run(render_command(program, out), capture_output=True, check=False).returncode == 0
    before = tree(out)
    templates = tmp_path / "templates"
    templates.mkdir()
    # a user template that never ends: the sandbox caps range() at 100,000, not loops in loops
    loop = "{% for i in range(100000) %}"
    (templates / "overview.md.j2").write_text(loop * 3 + "{% endfor %}" * 3 + "\n")
    process = subprocess.Popen(render_command(program, out, "--templates", str(templates)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)  # loading and planning the small program take a fraction of that
    assert process.poll() is None, "the render should still be running"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert tree(out) == before and verify_outputs(out).ok


KILLABLE_WRITER = """
import os, sys, time
from pathlib import Path

original = Path.write_bytes

def slow_write(self, data):
    written = original(self, data)
    if ".out.new-" in str(self):
        print("wrote", self.name, flush=True)
        time.sleep(60)  # killed here, with a half-written staging directory
    return written

Path.write_bytes = slow_write
from basket.cli import main
sys.argv = ["basket", "render", sys.argv[1], "-o", sys.argv[2], "--format", "md"]
main()
"""


def test_render_killed_mid_write_leaves_previous_out_and_is_cleaned_up(program: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert subprocess.run(render_command(program, out), capture_output=True, check=False).returncode == 0
    before = tree(out)
    process = subprocess.Popen([sys.executable, "-c", KILLABLE_WRITER, str(program), str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None and process.stdout.readline().startswith("wrote")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert tree(out) == before
    stale = leftovers(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(".out.new-")  # what the killed process left

    (program / "umbrella.yaml").write_text((program / "umbrella.yaml").read_text().replace('"1.0"', '"1.1"'))
    done = subprocess.run(render_command(program, out), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert leftovers(tmp_path) == []
    assert tree(out) != before and verify_outputs(out).ok


def test_previous_output_retired_by_a_killed_swap_is_restored(tmp_path: Path):
    """Without an atomic exchange, out/ is renamed away before the new one is renamed in; a
    process killed between the two leaves only `.out.old-*`: the next writer puts it back."""
    out = tmp_path / "out"
    retired = tmp_path / ".out.old-abcd1234"
    retired.mkdir()
    (retired / "overview.md").write_text("previous")
    with pytest.raises(RuntimeError), replace_directory(out):
        raise RuntimeError("this render fails")
    assert (out / "overview.md").read_text() == "previous"
    assert leftovers(tmp_path) == []


def test_a_similarly_named_directory_is_not_taken_for_a_leftover(tmp_path: Path):
    other = tmp_path / ".out.new-render-of-something-else"
    other.mkdir()
    with replace_directory(tmp_path / "out") as staging:
        (staging / "a").write_text("a")
    assert other.is_dir()
    assert sorted(os.listdir(tmp_path / "out")) == [".basket-output", "a"]
