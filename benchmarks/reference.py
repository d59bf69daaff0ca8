"""Benchmark reading and checking windows against a reference: `basket window --all` and `basket validate`.

Usage: python benchmarks/reference.py [--n 10000] [--contig-length 1500000] [--seed 7]

Writes a seeded synthetic genome (one contig per gene chromosome of benchmarks/synthetic.py, random
bases) and a synthetic program of N variants (benchmarks/synthetic.py, its windows dropped and its
SNVs re-placed so that their HGVS g. matches the genome), which names the FASTA in `reference:`.
Then, in one run:

  pyfaidx alone      reading the same windows (the editors' reach each side of each variant) with
                     pyfaidx.Fasta(as_raw=True, sequence_always_upper=True), one read per window in the
                     program's order, as a user of pyfaidx would: the baseline
  basket's reads     the same windows read as the window stage reads them (ReferenceGenome.fetch_many:
                     in genome order, windows less than 1,000 bases apart in one pyfaidx read and sliced),
                     nothing else: what the stage's ratio owes to reading differently from the baseline
  window stage       basket.program.window_fetch.decide_windows on the loaded program: each variant placed,
                     its reference base checked, its window read and compared with what the YAML holds
  verify stage       basket.program.sequence_checks.check_against_reference once the windows are written:
                     every base of every window compared with the reference
  basket window --all / basket validate   the commands as a user runs them, each in a fresh process
                     (loading the YAML, and for window the surgical edit, the check and the reload)
  what the commands spend besides: reading the program's YAML (basket's line-keeping reader, the part
                     of loading that is YAML), load_program as a whole (YAML, model, cross-references,
                     HGVS and window consistency), and a fresh process importing what the commands import

Every figure is CPU time (the process's, or its children's for a fresh process), the best of 15
rounds, each stage run just after the baseline: on a shared machine the wall time of a sub-second stage
moves by half between runs, the CPU time less (wall times are printed beside). The stage ratios
(stage / pyfaidx alone) measure what basket adds to reading the sequence. Each is given two ways: the
median of the 15 rounds' ratios, with their range (the stage against the baseline run first in the
same round, so both in the same state of the machine: the figure to quote), and the best stage over the best
baseline. The command times add starting Python, importing basket and loading the program, which the
last rows break down.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyfaidx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout: the repository root holds the basket package
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import GENES, write_program

COMPLEMENT = str.maketrans("ACGT", "TGCA")
TRANSITION = {"A": "G", "G": "A", "C": "T", "T": "C"}
VARIANT = re.compile(r"^  - id: (?P<id>\S+)\n    gene: (?P<gene>\S+)\n", re.MULTILINE)


def write_genome(path: Path, length: int, rng: random.Random) -> dict[str, str]:
    contigs = {chrom: "".join(rng.choices("ACGT", k=length)) for chrom in dict.fromkeys(g[3] for g in GENES)}
    with path.open("w") as handle:
        for name, sequence in contigs.items():
            handle.write(f">{name}\n")
            handle.writelines(sequence[i:i + 60] + "\n" for i in range(0, len(sequence), 60))
    pyfaidx.Faidx(str(path))  # the .fai index, as a user's reference has
    return contigs


def replace_variants(program: Path, contigs: dict[str, str], rng: random.Random) -> None:
    """The synthetic program's variants (same ids and genes, so patients and evidence still match),
    without windows, as SNVs (80% transitions) and a few deletions placed on the synthetic genome."""
    genes = {g[0]: g for g in GENES}
    c_positions: dict[str, int] = {}  # a running c. number per gene: one allele under one id
    taken: set[tuple[str, int]] = set()
    for file in sorted((program / "variants").glob("*.yaml")):
        lines = ["variants:"]
        for match in VARIANT.finditer(file.read_text()):
            symbol, _, transcript, chrom, accession, strand, disease, *_ = genes[match["gene"]]
            lines += [f"  - id: {match['id']}", f"    gene: {symbol}"]
            position = rng.randint(1_000, len(contigs[chrom]) - 1_000)
            while (chrom, position) in taken:
                position += 1
            taken.add((chrom, position))
            plus_ref = contigs[chrom][position - 1]
            c_pos = c_positions[symbol] = c_positions.get(symbol, 0) + 1
            if rng.random() < 0.05:
                lines.append(f"    hgvs_c: {transcript}:c.{c_pos}del")
            else:
                plus_alt = TRANSITION[plus_ref] if rng.random() < 0.8 else rng.choice(
                    [b for b in "ACGT" if b not in (plus_ref, TRANSITION[plus_ref])])
                c_ref, c_alt = ((plus_ref, plus_alt) if strand == "+"
                                else (plus_ref.translate(COMPLEMENT), plus_alt.translate(COMPLEMENT)))
                lines += [f"    hgvs_c: {transcript}:c.{c_pos}{c_ref}>{c_alt}",
                          f"    hgvs_g: {accession}:g.{position}{plus_ref}>{plus_alt}"]
            if symbol == "PAH":
                lines.append(f"    disease: {disease}")
            lines += ["    status: assessed", f"    source: synthetic entry {match['id']}"]
        file.write_text("\n".join(lines) + "\n")


def pyfaidx_alone(fasta: Path, windows: list[tuple[str, int, int]]) -> None:
    """Open the indexed FASTA and read every window, as a user of pyfaidx would."""
    genome = pyfaidx.Fasta(str(fasta), as_raw=True, sequence_always_upper=True)
    total = 0
    for contig, first, last in windows:
        total += len(genome[contig][first - 1:last])
    assert total > 0


REPEATS = 15


def timed(work) -> tuple[float, float]:
    """Wall and CPU seconds of `work()`. CPU time is what the ratios use: on a shared machine the
    wall time of a sub-second stage moves by half between runs, the CPU time far less."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def best(times: list[tuple[float, float]]) -> tuple[float, float]:
    """The least wall and the least CPU time of the rounds."""
    return min(t[0] for t in times), min(t[1] for t in times)


def per_round(stage: list[tuple[float, float]], baseline: list[tuple[float, float]]) -> list[float]:
    """Each round's CPU time of the stage over the baseline's, run first in the same round. On a shared machine
    whose speed shifts between runs (seen here: the same code 0.11 s in one process, 0.16 s in the next),
    the ratio within a round moves far less than either time, and the best of one need not meet the
    best of the other in the same state."""
    return [s[1] / b[1] for s, b in zip(stage, baseline, strict=True)]


def ratio_text(ratios: list[float], stage: tuple[float, float], baseline: tuple[float, float]) -> str:
    return (f"{statistics.median(ratios):5.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]; "
            f"{stage[1] / baseline[1]:.2f}x")


def basket_reads(fasta: Path, windows: list[tuple[str, int, int]]) -> None:
    """Open the reference anew and read every window as the window stage does, nothing more."""
    from basket.editing.reference_fasta import ReferenceGenome, forget_references

    forget_references()
    total = sum(len(bases) for bases in ReferenceGenome(fasta).fetch_many(windows))
    assert total > 0


def fresh_reference(loaded):
    """The program's reference, opened anew (as the baseline opens its FASTA each time)."""
    from basket.editing.reference_fasta import forget_references
    from basket.program.reference import program_reference

    forget_references()
    return program_reference(loaded)


def fresh_process(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the child) of `python ARGS` run in a fresh process."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def read_yaml(program: Path) -> None:
    """Every file of the program through basket's YAML reader (values with their lines), nothing more;
    with the cyclic collector paused, as load_program reads them."""
    from basket.foundation.garbage_collector import collector_paused
    from basket.program.yaml_source import parse_yaml_bytes

    with collector_paused():
        for path in sorted(program.rglob("*.yaml")):
            parse_yaml_bytes(path.read_bytes(), str(path))


IMPORTS = ("import basket.api, basket.cli.program_commands, basket.program.window_fetch, "
           "basket.stats.basket_design, basket.stats.overdispersion")  # what `basket validate` and `basket window` import


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="variants (default 10000)")
    parser.add_argument("--contig-length", type=int, default=1_500_000, help="bases per contig (default 1.5 Mb)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(f"basket-reference-benchmark-{args.seed}")

    from basket.program.load import load_program
    from basket.program.reference import program_reference
    from basket.program.sequence_checks import check_against_reference
    from basket.program.window_fetch import decide_windows

    with tempfile.TemporaryDirectory() as scratch:
        program = Path(scratch) / "program"
        write_program(program, args.n, seed=args.seed)
        fasta = Path(scratch) / "genome.fa"
        contigs = write_genome(fasta, args.contig_length, rng)
        replace_variants(program, contigs, rng)
        (program / "reference.yaml").write_text(f"reference:\n  build: GRCh38\n  fasta: {fasta}\n")

        loaded = load_program(program)
        variants = list(loaded.program.variants)
        planned = decide_windows(loaded, variants, program_reference(loaded))
        windows = [(r.window["contig"], r.window["start"], r.window["start"] + len(r.window["sequence"]) - 1)
                   for r in planned if r.window is not None]
        # Each stage alternates with the baseline, REPEATS rounds: other work on the machine moves both alike.
        baseline, reads, window_stage, verify_stage, verify_baseline = [], [], [], [], []
        for _ in range(REPEATS):
            baseline.append(timed(lambda: pyfaidx_alone(fasta, windows)))
            reads.append(timed(lambda: basket_reads(fasta, windows)))
            window_stage.append(timed(lambda: decide_windows(loaded, variants, fresh_reference(loaded))))
        window_command = fresh_process("-m", "basket", "window", str(program), "--all")
        loaded = load_program(program)
        check = check_against_reference(loaded, fresh_reference(loaded))
        assert not check.problems and check.windows_verified == len(windows), check
        for _ in range(REPEATS):
            verify_baseline.append(timed(lambda: pyfaidx_alone(fasta, windows)))
            verify_stage.append(timed(lambda: check_against_reference(loaded, fresh_reference(loaded))))
        validate_command = best([fresh_process("-m", "basket", "validate", str(program)) for _ in range(2)])
        yaml_only = best([timed(lambda: read_yaml(program)) for _ in range(3)])
        load_whole = best([timed(lambda: load_program(program)) for _ in range(3)])
        imports = best([fresh_process("-c", IMPORTS) for _ in range(3)])

    ratios = {"reads": per_round(reads, baseline), "window": per_round(window_stage, baseline),
              "verify": per_round(verify_stage, verify_baseline)}
    # each stage's best against the best of the baseline rounds it alternated with (the verify stage's ran
    # later, after a fresh process: the machine may have been in another state by then)
    baseline, verify_baseline, reads, window_stage, verify_stage = (
        best(baseline), best(verify_baseline), best(reads), best(window_stage), best(verify_stage))
    print(f"{args.n:,} variants ({len(windows):,} single-base substitutions with a window) on "
          f"{len(contigs)} contigs of {args.contig_length:,} bp; reach {loaded.program.editors_reach} bases each side")
    row = "{:44} {:8.3f} s  {:8.3f} s  {}"
    print(f"{'':44} {'wall':>10}  {'CPU':>10}  ratio to pyfaidx (CPU): median of the rounds' [range]; of the bests")
    print(row.format("pyfaidx alone, same windows", *baseline, ""))
    print(row.format("basket's reads alone (genome order)", *reads, ratio_text(ratios["reads"], reads, baseline)))
    print(row.format("window stage (decide_windows)", *window_stage, ratio_text(ratios["window"], window_stage, baseline)
                     + f"; {window_stage[1] / reads[1]:.2f}x basket's reads"))
    print(row.format("pyfaidx alone, in the verify stage's rounds", *verify_baseline, ""))
    print(row.format("verify stage (every base checked)", *verify_stage,
                     ratio_text(ratios["verify"], verify_stage, verify_baseline)))
    print(row.format("basket window --all (fresh process, once)", *window_command, ""))
    print(row.format("basket validate (fresh process)", *validate_command, ""))
    print("of which, measured apart:")
    print(row.format("  reading the YAML (basket's reader)", *yaml_only,
                     f"{yaml_only[1] / load_whole[1]:5.0%} of load_program"))
    print(row.format("  load_program (YAML, model, checks)", *load_whole, ""))
    print(row.format("  Python start + imports (fresh process)", *imports, ""))

if __name__ == "__main__":
    main()
