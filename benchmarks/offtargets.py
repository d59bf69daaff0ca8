"""Benchmark of off-target nomination (issue 14): a seeded synthetic genome, 10 guides, k = 4 with b = 0 and 1.

    python benchmarks/offtargets.py                  # 200 Mb in 8 contigs, editor NGC-ABE8e-V106W (PAM NGC)
    python benchmarks/offtargets.py --megabases 20   # a quick run
    python benchmarks/offtargets.py --editor ABE8e   # PAM NGG

The genome is random A/C/G/T with runs of N, and for every guide a planted site of every class: 0-4
mismatches, and one DNA or RNA bulge with 0-3 mismatches, on both strands. Each search runs in a fresh
process (peak memory is its own high-water RSS, VmHWM) and must recover every planted site. The baseline, measured in
the same run, is merely reading the FASTA into memory (each contig's bases as one bytes object, by the
fastest plain-Python way: one read, split at headers, newlines deleted). Times are wall-clock and CPU;
the machine's load average is printed, since other work on a shared machine slows both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from basket.editing.sequence import reverse_complement

MISMATCH_CLASSES = range(5)
BULGE_MISMATCHES = range(4)


def make_genome(path: Path, megabases: int, contigs: int, guides: list[str], pam: str, seed: int) -> list[dict]:
    """Write the FASTA; return the planted sites (contig, 0-based start of the site text, strand, class)."""
    rng = np.random.default_rng(seed)
    sizes = rng.dirichlet(np.ones(contigs) * 4) * megabases * 1_000_000
    planted = []
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    with path.open("wb") as out:
        for index, size in enumerate(sizes.astype(int)):
            name = f"chr{index + 1}"
            sequence = letters[rng.integers(0, 4, size)].copy()
            for _ in range(size // 2_000_000 + 1):  # assembly gaps
                start = int(rng.integers(0, size - 10_000))
                sequence[start:start + int(rng.integers(100, 10_000))] = ord("N")
            for guide in guides:
                for text, kind in _planted_texts(guide, pam, rng):
                    strand = "+" if rng.random() < 0.5 else "-"
                    text = text if strand == "+" else reverse_complement(text)
                    start = int(rng.integers(0, size - len(text)))
                    sequence[start:start + len(text)] = np.frombuffer(text.encode(), dtype=np.uint8)
                    planted.append({"contig": name, "start": start, "length": len(text), "strand": strand,
                                    "guide": guide, "kind": kind})
            out.write(f">{name} synthetic seed {seed}\n".encode())
            raw = sequence.tobytes()
            out.write(b"\n".join(raw[i:i + 60] for i in range(0, len(raw), 60)) + b"\n")
    return planted


def _planted_texts(guide: str, pam: str, rng) -> list[tuple[str, str]]:
    concrete_pam = "".join(rng.choice(list({"N": "ACGT", "R": "AG", "Y": "CT"}.get(c, c))) for c in pam)
    texts = []
    for mismatches in MISMATCH_CLASSES:
        texts.append((_mutate(guide, mismatches, rng) + concrete_pam, f"{mismatches}mm"))
    for mismatches in BULGE_MISMATCHES:
        at = int(rng.integers(2, len(guide) - 2))
        dna = guide[:at] + "ACGT"[int(rng.integers(0, 4))] + guide[at:]
        texts.append((_mutate(dna, mismatches, rng, keep=at) + concrete_pam, f"{mismatches}mm+DNA"))
        rna = guide[:at] + guide[at + 1:]
        texts.append((_mutate(rna, mismatches, rng, keep=at) + concrete_pam, f"{mismatches}mm+RNA"))
    return texts


def _mutate(text: str, count: int, rng, keep: int | None = None) -> str:
    letters = list(text)
    positions = [p for p in range(len(letters)) if p != keep and p not in (0, len(letters) - 1)]
    for p in rng.choice(positions, size=count, replace=False):
        letters[p] = "ACGT".replace(letters[p], "")[int(rng.integers(0, 3))]
    return "".join(letters)


def read_fasta_baseline(path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds to read the FASTA into memory, one bytes object per contig; and the bases."""
    wall, cpu = time.perf_counter(), time.process_time()
    contigs = {}
    with path.open("rb") as handle:
        data = handle.read()
    for record in data[1:].split(b"\n>"):
        header, _, body = record.partition(b"\n")
        contigs[header.split()[0]] = body.translate(None, b"\n")
    bases = sum(len(s) for s in contigs.values())
    return time.perf_counter() - wall, time.process_time() - cpu, bases


def search_in_child(fasta: Path, guides: list[str], editor, mismatches: int, bulges: int) -> dict:
    """Run one search in a fresh process; returns its times, peak RSS and sites."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(ROOT)!r})
start = time.perf_counter()
from basket.editing.editors import Editor
from basket.offtargets.genome_search import search_genome
from basket.offtargets.query import make_query
query = make_query({guides!r}, Editor.model_validate_json({editor.model_dump_json()!r}), {mismatches}, {bulges})
imported = time.perf_counter()
cpu = time.process_time()
result = search_genome(query, {str(fasta)!r})
wall = time.perf_counter() - imported
sites = [(s.contig, s.start, s.end, s.pam_start, s.pam_end, s.strand, s.guide, s.mismatches, s.bulges) for s in result.sites]
# VmHWM is this process's own peak; ru_maxrss would carry the parent's over fork and exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"wall": wall, "cpu": time.process_time() - cpu, "startup": imported - start,
                  "peak_mib": peak / 1024, "sites": sites}}))
"""
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def recovered(planted: list[dict], sites: list, bulges: int) -> tuple[int, int]:
    """Planted sites reported (a site of the guide whose span covers the planted protospacer's PAM end)."""
    wanted = [p for p in planted if bulges or "+" not in p["kind"]]
    by_place = {}
    for contig, start, end, pam_start, pam_end, strand, guide, *_ in sites:
        by_place.setdefault((contig, strand, guide), []).append((min(start, pam_start), max(end, pam_end)))
    found = 0
    for p in wanted:
        low, high = p["start"] + 1, p["start"] + p["length"]
        spans = by_place.get((p["contig"], p["strand"], p["guide"]), [])
        found += any(a <= high and b >= low and (b == high if p["strand"] == "+" else a == low) for a, b in spans)
    return found, len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabases", type=int, default=200)
    parser.add_argument("--contigs", type=int, default=8)
    parser.add_argument("--guides", type=int, default=10)
    parser.add_argument("--editor", default="NGC-ABE8e-V106W")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--bulges", default="0,1", help="bulge limits to run, comma-separated")
    args = parser.parse_args()
    from basket.editing.editors import Editor, load_catalogue

    catalogue = load_catalogue()
    editor = catalogue.get(args.editor) or _program_editor(args.editor)
    assert isinstance(editor, Editor)
    rng = np.random.default_rng(args.seed + 1)
    guides = ["".join("ACGT"[i] for i in rng.integers(0, 4, editor.spacer_length)) for _ in range(args.guides)]
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)")
    with tempfile.TemporaryDirectory(prefix="basket-offtargets-bench-") as folder:
        fasta = Path(folder) / "synthetic.fa"
        planted = make_genome(fasta, args.megabases, args.contigs, guides, editor.pams[0], args.seed)
        read_wall, read_cpu, bases = read_fasta_baseline(fasta)
        megabases = bases / 1e6
        largest = _largest_contig(args)
        print(f"genome: {megabases:.1f} Mb in {args.contigs} contigs (largest {largest:.1f} Mb), {len(planted)} planted sites; "
              f"editor {editor.name} (PAM {', '.join(editor.pams)}), {args.guides} guides, k = 4")
        print(f"baseline, reading the FASTA into memory: {read_wall:.2f} s wall, {read_cpu:.2f} s CPU")
        print("| b | wall s | CPU s | x read (wall) | x read (CPU) | Mb/s per guide | 3.1 Gb projected | peak MiB | "
              "sites | planted found | startup s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for bulges in (int(b) for b in args.bulges.split(",")):
            run = search_in_child(fasta, guides, editor, 4, bulges)
            found, wanted = recovered(planted, run["sites"], bulges)
            projected = run["wall"] * 3100 / megabases
            print(f"| {bulges} | {run['wall']:.1f} | {run['cpu']:.1f} | {run['wall'] / read_wall:.1f} | "
                  f"{run['cpu'] / read_cpu:.1f} | {megabases * args.guides / run['wall']:.0f} | "
                  f"{projected / 60:.1f} min | {run['peak_mib']:.0f} | {len(run['sites'])} | {found}/{wanted} | "
                  f"{run['startup']:.1f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}; this process peak {_peak():.0f} MiB")


def _largest_contig(args) -> float:
    """Megabases of the largest contig (the sizes make_genome draws first from the same seed)."""
    sizes = np.random.default_rng(args.seed).dirichlet(np.ones(args.contigs) * 4) * args.megabases
    return float(sizes.max())


def _program_editor(name: str):
    from basket.program.load import load_program

    editors = load_program(ROOT / "configs" / "ucd-umbrella").program.editors_by_name
    if name not in editors:
        raise SystemExit(f"unknown editor {name}")
    return editors[name]


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
