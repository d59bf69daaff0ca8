"""Benchmark basket.editing.screen against merely reading the same inputs.

Usage: python benchmarks/screen.py [--n 100000] [--seed 7]

Writes a seeded random FASTA (a few contigs) and N random SNVs to a temporary directory,
indexes the FASTA, then times (1) screen() with the built-in ABE8e as platform and the rest
of the catalogue as alternatives, and (2) a baseline that parses the same TSV and fetches the
same windows from the same in-memory contigs. Prints variants per second and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import pyfaidx

# Run from a checkout without installing: the repository root holds the basket package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from basket.editing.editors import load_catalogue
from basket.editing.screen import screen

CONTIGS = {"chrA": 2_000_000, "chrB": 1_500_000, "chrC": 1_000_000}
FLANK = 24


def write_fasta(path: Path, rng: random.Random) -> dict[str, str]:
    contigs = {name: "".join(rng.choices("ACGT", k=length)) for name, length in CONTIGS.items()}
    with path.open("w") as handle:
        for name, seq in contigs.items():
            handle.write(f">{name}\n")
            handle.writelines(seq[i : i + 60] + "\n" for i in range(0, len(seq), 60))
    pyfaidx.Faidx(str(path))  # writes the .fai index
    return contigs


def write_variants(path: Path, contigs: dict[str, str], n: int, rng: random.Random) -> None:
    names = list(contigs)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "chrom", "pos", "ref", "alt"])
        for i in range(n):
            chrom = rng.choice(names)
            pos = rng.randint(1, len(contigs[chrom]))
            ref = contigs[chrom][pos - 1]
            alt = rng.choice([b for b in "ACGT" if b != ref])
            writer.writerow([f"v{i}", chrom, pos, ref, alt])


def baseline(variants: Path, fasta: Path) -> int:
    """Parse the TSV and fetch each variant's window from contigs loaded once: the floor for screen()."""
    genome = pyfaidx.Fasta(str(fasta), as_raw=True, sequence_always_upper=True)
    contigs: dict[str, str] = {}
    count = 0
    with variants.open(newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        for row in reader:
            chrom, pos = row["chrom"], int(row["pos"])
            if chrom not in contigs:
                contigs[chrom] = str(genome[chrom][:])
            window = contigs[chrom][max(0, pos - 1 - FLANK) : pos + FLANK]
            count += window[min(FLANK, pos - 1)] == row["ref"]
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of synthetic SNVs (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    catalogue = load_catalogue()
    editors = [catalogue["ABE8e"], *(e for name, e in catalogue.items() if name != "ABE8e")]
    with tempfile.TemporaryDirectory() as tmp:
        fasta, variants = Path(tmp, "genome.fa"), Path(tmp, "variants.tsv")
        write_variants(variants, write_fasta(fasta, rng), args.n, rng)

        started, cpu_started = time.perf_counter(), time.process_time()
        matched = baseline(variants, fasta)
        read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - cpu_started

        started, cpu_started = time.perf_counter(), time.process_time()
        statuses: dict[str, int] = {}
        for row in screen(variants, fasta, editors):
            statuses[row.status] = statuses.get(row.status, 0) + 1
        screen_seconds, screen_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    assert matched == args.n, "the baseline should find every reference base"
    print(f"variants: {args.n} on {len(CONTIGS)} contigs ({sum(CONTIGS.values()):,} bp); editors: {len(editors)}")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    # CPU time is printed too: wall time suffers when other work shares the machine.
    for label, wall, cpu in (("read only", read_seconds, read_cpu), ("screen", screen_seconds, screen_cpu)):
        print(
            f"{label:9}: {wall:6.2f} s wall {args.n / wall:9,.0f} variants/s | {cpu:6.2f} s CPU {args.n / cpu:9,.0f}/s"
        )
    print(f"ratio screen/read (wall): {screen_seconds / read_seconds:.1f}x")


if __name__ == "__main__":
    main()
