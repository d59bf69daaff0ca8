"""Seeded synthetic programs of any size, for benchmarks and scale tests.

`write_program(directory, n_variants, seed)` writes a realistic program split over
several files: the seven urea-cycle-disorder genes (plus PAH on the - strand, whose
disease the umbrella does not cover), HGVS c. variants of mixed classes (ABE- and
CBE-correctable transitions, transversions, deletions), a reference window around
most SNVs (random bases, but carrying the reference allele where the HGVS says),
pseudonymous patients and evidence items. Same arguments, same bytes.

Every value is fictional; nothing here describes a real variant or person.
"""

from __future__ import annotations

import random
from pathlib import Path

VARIANTS_PER_FILE = 1_000
WINDOW = 110  # bases, as the CPS1 Q335X window of the example program
VARIANT_OFFSET = 65  # 0-based index of the variant base in the window

# symbol, hgnc, transcript, chrom, chromosome accession, strand, disease id, disease name, inheritance
GENES = (
    ("CPS1", "HGNC:2323", "NM_001875.5", "chr2", "NC_000002.12", "+", "OMIM:237300", "CPS1 deficiency",
     "autosomal recessive"),
    ("OTC", "HGNC:8512", "NM_000531.6", "chrX", "NC_000023.11", "+", "OMIM:311250", "OTC deficiency",
     "X-linked"),
    ("ASS1", "HGNC:758", "NM_054012.4", "chr9", "NC_000009.12", "+", "OMIM:215700", "Citrullinemia type I",
     "autosomal recessive"),
    ("ASL", "HGNC:746", "NM_000048.4", "chr7", "NC_000007.14", "+", "OMIM:207900", "Argininosuccinic aciduria",
     "autosomal recessive"),
    ("ARG1", "HGNC:663", "NM_000045.4", "chr6", "NC_000006.12", "+", "OMIM:207800", "Arginase 1 deficiency",
     "autosomal recessive"),
    ("NAGS", "HGNC:17996", "NM_153006.3", "chr17", "NC_000017.11", "+", "OMIM:237310", "NAGS deficiency",
     "autosomal recessive"),
    ("SLC25A15", "HGNC:10985", "NM_014252.4", "chr13", "NC_000013.11", "+", "OMIM:238970", "HHH syndrome",
     "autosomal recessive"),
    ("PAH", "HGNC:8582", "NM_000277.3", "chr12", "NC_000012.12", "-", "OMIM:261600", "Phenylketonuria",
     "autosomal recessive"),
)
COVERED = [g[6] for g in GENES if g[0] != "PAH"]
COMPLEMENT = str.maketrans("ACGT", "TGCA")
# (c. ref, c. alt, weight): pathogenic C>T / G>A (ABE), T>C / A>G (CBE), transversions
SNV_KINDS = (("C", "T", 30), ("G", "A", 30), ("T", "C", 8), ("A", "G", 8), ("G", "T", 6), ("C", "A", 5),
             ("A", "T", 4), ("T", "G", 4))
EVIDENCE_KINDS = ((1, "genotype_confirmation"), (2, "in_vitro_editing"), (4, "patient_cells_editing"),
                  (4, "off_target_nomination"))
STATUSES = ("proposed", "assessed", "assessed", "appendix_drafted", "submitted")


def write_program(directory: Path, n_variants: int, seed: int = 7) -> dict[str, int]:
    """Write the program into `directory` (created); return counts of what was written."""
    rng = random.Random(f"basket-synthetic-{seed}-{n_variants}")
    directory.mkdir(parents=True, exist_ok=True)
    _write(directory / "umbrella.yaml", _umbrella())
    _write(directory / "platform.yaml", _platform())
    _write(directory / "diseases.yaml", _diseases())
    used: set[tuple[str, ...]] = set()  # one allele is recorded under one id (the loader refuses repeats)
    variants = [_variant(i, rng, used) for i in range(n_variants)]
    for chunk, start in enumerate(range(0, n_variants, VARIANTS_PER_FILE)):
        lines = ["variants:"]
        for variant in variants[start : start + VARIANTS_PER_FILE]:
            lines += variant["yaml"]
        _write(directory / "variants" / f"variants-{chunk:03d}.yaml", lines)
    patients = _patients(variants, rng)
    _write(directory / "patients.yaml", ["patients:"] + patients if patients else ["patients: []"])
    evidence = _evidence(variants, rng)
    _write(directory / "evidence.yaml", ["evidence:"] + evidence if evidence else ["evidence: []"])
    return {"variants": n_variants, "patients": sum(line.startswith("  - id:") for line in patients),
            "evidence": sum(line.startswith("  - id:") for line in evidence)}


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _umbrella() -> list[str]:
    return [
        "# Synthetic benchmark program (benchmarks/synthetic.py): every value is fictional.",
        "umbrella:",
        "  id: IND-SYNTHETIC",
        "  title: Synthetic umbrella trial of base-editing correction of urea cycle disorders",
        "  short_title: Synthetic UCD umbrella",
        "  sponsor: Benchmark sponsor",
        "  phase: Phase 1/2",
        "  platform: syn-abe",
        f"  diseases: [{', '.join(COVERED)}]",
        '  protocol_version: "1.0"',
        "  protocol_date: 2026-01-15",
        "  ind: '000000'",
        "  registry: [NCT00000000]",
        "  sponsor_organization: {kind: academia, identifier: '000000000', scheme: DUNS}",
        "  population:",
        "    planned_age: {min: 0, max: 18, unit: years}",
        "    planned_sex: [female, male]",
        "    inclusion:",
        "      - {text: Severe urea cycle disorder, source: synthetic}",
        "    exclusion:",
        "      - {text: Prior liver transplantation, source: synthetic}",
        "  objectives:",
        "    - {level: primary, text: Fewer hyperammonaemic crises than natural history, endpoints: [crises]}",
        "  dosing:",
        "    steps:",
        "      - {label: Dose 1, dose: 0.1, unit: mg/kg, route: INTRAVENOUS, timing: Day 1}",
        "      - {label: Dose 2, dose: 0.3, unit: mg/kg, route: INTRAVENOUS, timing: Day 22}",
        "  schedule:",
        "    - {name: Screening, timing: Day -28, assessments: [plasma ammonia, liver enzymes]}",
        "    - {name: Dosing visit, timing: Day 1, assessments: [plasma ammonia]}",
        "    - {name: Month 3, timing: Month 3, assessments: [plasma ammonia, liver enzymes]}",
    ]


def _platform() -> list[str]:
    return [
        "platform:",
        "  id: syn-abe",
        "  name: Synthetic ABE mRNA + LNP platform",
        "  modality: adenine base editing",
        "  delivery: lipid nanoparticle",
        "  target_tissue: liver",
        "  editor: NGC-ABE8e-V106W",
        "  components:",
        "    - {id: mrna, name: editor mRNA, kind: mRNA, shared: true, version: '1'}",
        "    - {id: lnp, name: LNP, kind: LNP, shared: true, version: '1'}",
        "    - {id: grna, name: guide RNA, kind: gRNA, shared: false}",
        "  dose_form: INJECTION, SUSPENSION",
        "  source: synthetic",
        "editors:",
        "  - name: NGC-ABE8e-V106W",
        "    deaminase: ABE",
        "    cas_variant: SpCas9 D10A nickase preferring NGC PAMs",
        "    pams: [NGC]",
        "    core_window: [4, 8]",
        "    extended_window: [3, 9]",
        "    spacer_length: 20",
        "    source: synthetic (window taken from ABE8e)",
    ]


def _diseases() -> list[str]:
    lines = ["diseases:"]
    for symbol, _, _, _, _, _, disease, name, inheritance in GENES:
        lines += [
            f"  - id: {disease}",
            f"    name: {name}",
            f"    genes: [{symbol}]",
            f"    inheritance: {inheritance}",
            "    natural_history:",
            f"      - id: NH-{symbol}",
            "        source: synthetic registry",
            "        population: synthetic cohort",
            "        n: 100",
            "        measures:",
            ("          - {name: crises per year, definition: hyperammonaemic crises per patient-year, "
             "value: 1.5, unit: per year, source: synthetic}"),
            "    endpoints:",
            "      - {name: crises, definition: hyperammonaemic crises per year, comparator: crises per year}",
            f"    source: synthetic {disease}",
        ]
    lines.append("genes:")
    for symbol, hgnc, transcript, chrom, _, strand, *_ in GENES:
        lines += [
            f"  - symbol: {symbol}",
            f"    hgnc: {hgnc}",
            f"    transcript: {transcript}",
            f"    chrom: {chrom}",
            f'    strand: "{strand}"',
            "    source: synthetic",
        ]
    return lines


def _variant(index: int, rng: random.Random, used: set[tuple[str, ...]]) -> dict:
    gene = GENES[index % len(GENES)] if index < len(GENES) else rng.choice(GENES)
    symbol, _, transcript, chrom, accession, strand, disease, *_ = gene
    c_pos = rng.randint(1, 4_500)
    variant_id = f"{symbol}-S{index:06d}"
    lines = [f"  - id: {variant_id}", f"    gene: {symbol}"]
    window = None
    if rng.random() < 0.05:
        while (symbol, str(c_pos), "del") in used:
            c_pos += 4_500  # past the CDS lengths drawn above: a fictional but distinct position
        used.add((symbol, str(c_pos), "del"))
        hgvs_c = f"{transcript}:c.{c_pos}del"
        lines.append(f"    hgvs_c: {hgvs_c}")
        kind = "deletion"
    else:
        ref, alt, _ = rng.choices(SNV_KINDS, weights=[k[2] for k in SNV_KINDS])[0]
        while (symbol, str(c_pos), ref, alt) in used:
            c_pos += 4_500
        used.add((symbol, str(c_pos), ref, alt))
        hgvs_c = f"{transcript}:c.{c_pos}{ref}>{alt}"
        lines.append(f"    hgvs_c: {hgvs_c}")
        kind = "snv"
        if rng.random() < 0.7:
            plus_ref, plus_alt = (ref, alt) if strand == "+" else (ref.translate(COMPLEMENT), alt.translate(COMPLEMENT))
            start = rng.randint(1_000_000, 200_000_000)
            while (chrom, str(start)) in used:
                start += 1
            used.add((chrom, str(start)))
            bases = rng.choices("ACGT", k=WINDOW)
            bases[VARIANT_OFFSET] = plus_ref
            window = "".join(bases)
            position = start + VARIANT_OFFSET
            lines += [
                f"    hgvs_g: {accession}:g.{position}{plus_ref}>{plus_alt}",
                "    window:",
                f"      chrom: {chrom}",
                f"      start: {start}",
                f"      sequence: {window}",
                "      source: synthetic random sequence",
            ]
    if symbol == "PAH":
        lines.append(f"    disease: {disease}")
    lines += [
        f"    consequence: {rng.choice(['missense', 'nonsense', 'synonymous']) if kind == 'snv' else 'frameshift'}",
        f"    classification: {rng.choice(['pathogenic', 'likely pathogenic'])}",
        f"    status: {rng.choice(STATUSES)}",
        f"    source: synthetic entry {index}",
    ]
    return {"id": variant_id, "gene": symbol, "disease": disease, "window": window is not None, "yaml": lines}


def _patients(variants: list[dict], rng: random.Random) -> list[str]:
    by_gene: dict[str, list[dict]] = {}
    for variant in variants:
        by_gene.setdefault(variant["gene"], []).append(variant)
    lines: list[str] = []
    for number in range(len(variants) // 4):
        first = rng.choice(variants)
        second = rng.choice(by_gene[first["gene"]])
        lines += [
            f"  - id: PT-{number + 1:06d}",
            f"    disease: {first['disease']}",
            "    genotype:",
            f"      - {{variant: {first['id']}, origin: paternal}}",
        ]
        if second is not first and first["gene"] != "OTC":
            lines.append(f"      - {{variant: {second['id']}, origin: maternal}}")
        lines.append(f"    status: {rng.choice(['candidate', 'screening', 'enrolled'])}")
    return lines


def _evidence(variants: list[dict], rng: random.Random) -> list[str]:
    lines: list[str] = []
    count = 0
    for variant in variants:
        if not variant["window"] or rng.random() < 0.5:
            continue
        element, kind = rng.choice(EVIDENCE_KINDS)
        count += 1
        lines += [
            f"  - id: EV-{count:06d}",
            f"    element: {element}",
            f"    kind: {kind}",
            f"    subject: variant:{variant['id']}",
            f"    status: {rng.choice(['complete', 'partial', 'planned'])}",
            f"    result: synthetic result {rng.randint(10, 90)}% editing",
            f"    measures: {{editing_percent: {rng.randint(10, 90)}}}",
            "    source: synthetic",
        ]
    return lines


if __name__ == "__main__":  # pragma: no cover - python benchmarks/synthetic.py DIR N
    import sys

    print(write_program(Path(sys.argv[1]), int(sys.argv[2])))
