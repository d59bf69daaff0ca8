"""Benchmark the basket pipeline on synthetic programs of growing size.

Usage:
    python benchmarks/run.py                      # sizes 10, 1,000, 10,000 (about a minute)
    python benchmarks/run.py --sizes 100000       # opt-in: 100,000 variants (a few minutes)
    python benchmarks/run.py --sizes 10,1000 --render-limit 500 --json results.json

For each size a seeded synthetic program (benchmarks/synthetic.py) is written to a
temporary directory, then measured in a fresh subprocess so that sizes do not share
caches or memory. Stages, in pipeline order:

    yaml baseline   plain `yaml.load` (libyaml CSafeLoader) of the same files
    load+validate   basket.program.load.load_program: YAML with line marks, merge, pydantic, cross-references, HGVS
    plan            basket.plan.umbrella_decision.make_plan: guide design for every variant
    graph           basket.graph.build.build_graph with the plan (decisions on variants, correctable_by edges)
    impact          dependents of the shared LNP component (the "what does this change affect" query)
    select          basket.graph.selection.select of a dbt-style query: wildcards, attributes, depth, an
                    intersection, a union and an exclusion (what `--select ... --exclude ...` costs)
    contexts        basket.documents.rendering.collect_documents: what every document shows, computed in Python
                    (including the readiness verdicts and each appendix's version hash)
    jinja baseline  bare jinja2 (no sandbox, no escaping) rendering the same templates with precomputed contexts
    templates md    basket's environment (sandbox, Markdown escaping of every value) on the same contexts:
                    the like-for-like comparison with the jinja baseline
    render md/html  basket.documents.rendering.render_program, the whole stage: contexts, Graphviz schema, templates,
                    (HTML: Markdown to HTML), files written and hashed, manifest, atomic swap
    export json/graphml  basket.graph.export_formats.export_graph
    sqlite db       basket.documents.program_database.write_database (`basket db`), readiness verdicts included

Ratios: load, plan, graph, impact, select, export and sqlite db are divided by the YAML baseline of the same
run; render stages by the jinja baseline (same documents, same run). Peak memory is the
child process's maximum resident set size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`),
read after each stage (the "peak MiB" column: the maximum so far). Rendering above
--render-limit appendices uses a sample of the first N (the overview always lists every
variant); the table says so.
`basket --help` is timed as the best of five runs of the console script. Last, each size is
rendered as a user would (`basket render PROGRAM -o OUT --format md,html`, every appendix, in a
fresh process): its wall time and peak RSS are the end-to-end figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout: the repository root holds the basket package
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_SIZES = "10,1000,10000"
DEFAULT_RENDER_LIMIT = 2_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated variant counts ({DEFAULT_SIZES})")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--render-limit", type=int, default=DEFAULT_RENDER_LIMIT,
                        help="render at most this many appendices (a sample) per size")
    parser.add_argument("--formats", default="md,html", help="render formats to time, if available (md,html)")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.render_limit, args.formats.split(","))))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = {"help_seconds": time_help(), "sizes": []}
    print(f"basket --help: {results['help_seconds']:.3f} s (best of 5; goal < 0.2 s)\n")
    for size in sizes:
        results["sizes"].append(run_size(size, args))
        print_table(results["sizes"][-1])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def run_size(size: int, args: argparse.Namespace) -> dict:
    from synthetic import write_program

    with tempfile.TemporaryDirectory(prefix=f"basket-bench-{size}-") as temp:
        program = Path(temp) / "program"
        counts = write_program(program, size, args.seed)
        command = [sys.executable, __file__, "--child", str(program), "--render-limit", str(args.render_limit),
                   "--formats", args.formats]
        done = subprocess.run(command, capture_output=True, text=True, cwd=temp, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"benchmark of {size} variants failed")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["counts"] = counts
        result["cli_render"] = time_cli_render(program, Path(temp) / "out", args.formats)
        return result


def time_cli_render(program: Path, out: Path, formats: str) -> dict:
    """`basket render` of every appendix, as a user runs it: a fresh process, wall time and peak RSS."""
    return {**time_cli(["render", str(program), "-o", str(out), "--format", formats]), "formats": formats}


def time_cli(arguments: list[str]) -> dict:
    """A `basket` command in a fresh process: wall time, CPU time and peak RSS (the child's own, from wait4)."""
    script = shutil.which("basket", path=str(Path(sys.executable).parent))
    command = ([script] if script else [sys.executable, "-m", "basket"]) + arguments
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen
    if code != 0:
        raise SystemExit(f"basket {arguments[0]} failed with exit code {code}: {' '.join(command)}")
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}


def time_help() -> float:
    script = shutil.which("basket", path=str(Path(sys.executable).parent)) or shutil.which("basket")
    command = [script, "--help"] if script else [sys.executable, "-m", "basket", "--help"]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(program: Path, render_limit: int, formats: list[str]) -> dict:
    """Run every stage once in this (fresh) process and return the timings."""
    import yaml

    stages: list[dict] = []

    def stage(name: str, seconds: float, items: int, baseline: str | None, note: str = "") -> None:
        stages.append({"stage": name, "seconds": seconds, "items": items, "baseline": baseline, "note": note,
                       "peak_mib": _peak_mib()})

    files = sorted(p for p in program.rglob("*.yaml"))
    start = time.perf_counter()
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    import_start = time.perf_counter()
    stage("yaml baseline", import_start - start, 0, None, f"{len(files)} files")

    import basket.api  # noqa: F401  - import cost is not a stage
    from basket.graph.build import build_graph
    from basket.graph.impact import dependents
    from basket.graph.selection import select
    from basket.plan.umbrella_decision import make_plan
    from basket.program.load import load_program

    start = time.perf_counter()
    loaded = load_program(program)
    n = len(loaded.program.variants)
    stage("load+validate", time.perf_counter() - start, n, "yaml baseline")

    start = time.perf_counter()
    plan = make_plan(loaded.program)
    stage("plan", time.perf_counter() - start, n, "yaml baseline", f"{len(plan.inside)} inside the umbrella")

    start = time.perf_counter()
    graph = build_graph(loaded.program, plan)
    stage("graph", time.perf_counter() - start, graph.number_of_nodes(), "yaml baseline",
          f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")

    start = time.perf_counter()
    affected = dependents(graph, "component:lnp")
    stage("impact", time.perf_counter() - start, len(affected), "yaml baseline", "dependents of component:lnp")
    start = time.perf_counter()
    chosen = select(graph, ["gene:OTC+1,status:proposed variant:CPS1-* 2+classification:platform"],
                    ["in_umbrella:yes"])
    stage("select", time.perf_counter() - start, len(chosen), "yaml baseline", f"{len(chosen)} nodes selected")
    peak_after_plan = _peak_mib()

    render_stages(loaded, plan, render_limit, formats, stage)

    from basket.graph.export_formats import export_graph

    for fmt in ("json", "graphml"):
        start = time.perf_counter()
        data = export_graph(graph, fmt)
        stage(f"export {fmt}", time.perf_counter() - start, graph.number_of_nodes(), "yaml baseline",
              f"{len(data) / 2**20:.1f} MiB")

    from basket.documents.program_database import write_database
    from basket.evidence.readiness_rules import assess

    with tempfile.TemporaryDirectory(prefix="basket-bench-db-") as temp:
        start = time.perf_counter()
        counts = write_database(loaded, plan, assess(loaded, plan), Path(temp) / "program.sqlite")
        size = (Path(temp) / "program.sqlite").stat().st_size
        stage("sqlite db", time.perf_counter() - start, n, "yaml baseline",
              f"{sum(counts.values()):,} rows, {size / 2**20:.1f} MiB (readiness included)")
    return {"variants": n, "stages": stages, "peak_mib_after_plan": peak_after_plan, "peak_mib": _peak_mib()}


def render_stages(loaded, plan, render_limit: int, formats: list[str], stage) -> None:
    import jinja2

    from basket.documents.output_formats import FORMATTERS
    from basket.documents.rendering import RenderOptions, collect_documents, render_program, with_markdown
    from basket.documents.template_environment import make_templates, shipped_templates

    inside = [v.variant for v in plan.inside]
    sample = inside[:render_limit] if len(inside) > render_limit else None
    note = f"sample: {len(sample)} of {len(inside)} appendices" if sample is not None else ""
    start = time.perf_counter()
    documents = collect_documents(loaded, plan, sample, pictures=False)
    stage("contexts", time.perf_counter() - start, len(documents), "jinja baseline",
          "document contexts and readiness (no Graphviz)")

    # Baseline: plain jinja2, same templates and whitespace options, contexts computed beforehand.
    bare = jinja2.Environment(loader=jinja2.FileSystemLoader(str(shipped_templates())), keep_trailing_newline=True,
                              trim_blocks=True, lstrip_blocks=True)
    bare.filters.update(cell=str, raw=str)
    try:
        for doc in documents[:3]:  # compile the templates outside the timing
            bare.get_template(f"{doc.kind}.md.j2").render(**doc.context)
        start = time.perf_counter()
        for doc in documents:
            bare.get_template(f"{doc.kind}.md.j2").render(**doc.context).encode("utf-8")
    except jinja2.TemplateError as error:  # templates and contexts are being edited together
        stage("jinja baseline", float("nan"), 0, None, f"failed: {error}"[:120])
        return
    stage("jinja baseline", time.perf_counter() - start, len(documents), None, note or "md templates")

    templates = make_templates()
    with_markdown(templates, documents[:3])  # compile the templates outside the timing, as the baseline's warm-up
    start = time.perf_counter()
    with_markdown(templates, documents)
    stage("templates md", time.perf_counter() - start, len(documents), "jinja baseline", note or "md templates")
    count = len(documents)
    del documents  # render_program builds its own, one at a time; do not count these in its memory

    with tempfile.TemporaryDirectory(prefix="basket-bench-out-") as temp:
        for fmt in formats:
            if fmt not in FORMATTERS:
                stage(f"render {fmt}", float("nan"), 0, None, "format not available in this checkout")
                continue
            start = time.perf_counter()
            try:
                render_program(loaded, plan, Path(temp) / fmt, RenderOptions([fmt], variants=sample))
            except Exception as error:  # noqa: BLE001 - the harness reports a broken stage and measures the rest
                stage(f"render {fmt}", float("nan"), 0, None, f"failed: {type(error).__name__}: {error}"[:120])
                continue
            stage(f"render {fmt}", time.perf_counter() - start, count, "jinja baseline",
                  note or "all appendices")


def print_table(result: dict) -> None:
    counts = result["counts"]
    print(f"== {result['variants']:,} variants ({counts['patients']:,} patients, {counts['evidence']:,} evidence items)")
    seconds = {s["stage"]: s["seconds"] for s in result["stages"]}
    header = f"{'stage':<15} {'seconds':>9} {'items/s':>11} {'ratio':>8}  {'vs':<15} {'peak MiB':>9}  note"
    print(header)
    print("-" * len(header))
    for s in result["stages"]:
        rate = f"{s['items'] / s['seconds']:,.0f}" if s["items"] and s["seconds"] > 0 else ""
        base = seconds.get(s["baseline"]) if s["baseline"] else None
        ratio = f"{s['seconds'] / base:.1f}x" if base else ""
        secs = f"{s['seconds']:.3f}" if s["seconds"] == s["seconds"] else "-"
        print(f"{s['stage']:<15} {secs:>9} {rate:>11} {ratio:>8}  {s['baseline'] or '':<15} "
              f"{s['peak_mib']:>9,.0f}  {s['note']}")
    print(f"peak memory (max RSS): {result['peak_mib_after_plan']:,.0f} MiB after load+plan+graph, "
          f"{result['peak_mib']:,.0f} MiB at the end")
    cli = result["cli_render"]
    print(f"basket render --format {cli['formats']} (fresh process, every appendix): {cli['seconds']:.1f} s, "
          f"peak {cli['peak_mib']:,.0f} MiB\n")


if __name__ == "__main__":
    sys.exit(main())
