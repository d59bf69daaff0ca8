"""Benchmark `basket export usdm` (the umbrella as a CDISC USDM v4 study) against `basket render
--format md` of the same program, in the same run.

Usage:
    python benchmarks/usdm.py                  # 10,000 variants (about two minutes)
    python benchmarks/usdm.py --sizes 1000,10000 --json usdm.json

For each size a seeded synthetic program (benchmarks/synthetic.py, which states everything USDM
needs: sponsor organization, objectives, planned age and sex, schedule, doses) is written to a
temporary directory. Both commands run as a user runs them, each in a fresh process: wall time, CPU
time and peak RSS (`wait4`). The ratio is export / render in CPU time (steadier than wall time on a
shared machine). A third fresh process splits the export into its
stages: load + plan, usdm4's CDISC terminology (loaded once per process), the study built as usdm4
objects, the JSON written.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, time_cli
from synthetic import write_program

DEFAULT_SIZES = "10000"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated variant counts ({DEFAULT_SIZES})")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages:
        print(json.dumps(export_stages(args.stages)))
        return 0
    results = [run_size(int(size), args.seed) for size in args.sizes.split(",")]
    for result in results:
        print_result(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def run_size(size: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="basket-usdm-bench-") as temp:
        program = Path(temp) / "program"
        write_program(program, size, seed)
        render = time_cli(["render", str(program), "-o", str(Path(temp) / "out"), "--format", "md"])
        study = Path(temp) / "study.json"
        export = time_cli(["export", "usdm", str(program), "-o", str(study)])
        export["megabytes"] = study.stat().st_size / 1e6
        export["designs"] = len(json.loads(study.read_bytes())["study"]["versions"][0]["studyDesigns"])
        done = subprocess.run([sys.executable, __file__, "--stages", str(program)], capture_output=True, text=True,
                              check=True, cwd=ROOT)
        return {"variants": size, "render_md": render, "export_usdm": export, "stages": json.loads(done.stdout)}


def export_stages(program: Path) -> dict:
    """The export's stages in one process (what `basket.api.export_usdm` does, timed piece by piece)."""
    from basket.api import plan_program
    from basket.usdm import terminology
    from basket.usdm.requirements import missing_for_usdm
    from basket.usdm.serialization import study_json
    from basket.usdm.study_builder import study_of

    stages: dict[str, float] = {}
    start = time.perf_counter()
    loaded, plan = plan_program(program)
    stages["load + plan"] = time.perf_counter() - start
    start = time.perf_counter()
    terminology.terminology_version()
    stages["usdm4 terminology"] = time.perf_counter() - start
    start = time.perf_counter()
    assert not missing_for_usdm(loaded, plan)
    wrapper = study_of(loaded, plan)
    stages["build (usdm4 objects)"] = time.perf_counter() - start
    start = time.perf_counter()
    study_json(wrapper)
    stages["JSON"] = time.perf_counter() - start
    return stages


def print_result(result: dict) -> None:
    render, export = result["render_md"], result["export_usdm"]
    print(f"{result['variants']:,} variants ({export['designs']:,} appendices = USDM study designs, "
          f"{export['megabytes']:.1f} MB of JSON)")
    print("                              wall      CPU    peak")
    print(f"  basket render --format md   {render['seconds']:6.2f} s {render['cpu_seconds']:6.2f} s "
          f"{render['peak_mib']:5.0f} MiB")
    print(f"  basket export usdm          {export['seconds']:6.2f} s {export['cpu_seconds']:6.2f} s "
          f"{export['peak_mib']:5.0f} MiB   ({export['cpu_seconds'] / render['cpu_seconds']:.1f}x the render's CPU time)")
    for name, seconds in result["stages"].items():
        print(f"    {name:<26}{seconds:7.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())
