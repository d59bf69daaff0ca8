"""A small synthetic reference genome and a program that names it, for the reference tests.

`chr2` holds the real GRCh38 window around CPS1 c.1003 (UCSC hg38 chr2:210591821-210591930, + strand;
transcript NM_001875.5) at position 1,001, padded with seeded random bases, so the variant sits at
chr2:1066 instead of chr2:210591886. `chr12` holds the same 110 bases reverse-complemented, for a
fictional gene TESTM on the - strand whose c. numbering mirrors CPS1's: its guide must be the mirror
image of the KJ guide. Parts of the padding are soft-masked (lower case) and an N run is laid in, as
in real references. chrX is absent on purpose (a variant there has no contig).
"""

from __future__ import annotations

import random
from pathlib import Path

from basket.editing.sequence import reverse_complement
from tests.editing.conftest import CPS1_WINDOW

WINDOW_START = 1001  # where the CPS1 window starts in the synthetic chr2 and chr12
Q335X_POSITION = WINDOW_START + 65  # base 66 of the window, c.1003
MIRROR_POSITION = WINDOW_START + len(CPS1_WINDOW) - 66  # the same base on the reverse-complemented copy
E714X_POSITION = 2500  # set to G: a G>T transversion there
LINE = 60


def contigs(seed: int = 13) -> dict[str, str]:
    rng = random.Random(f"basket-reference-tests-{seed}")

    def pad(n: int) -> str:
        return "".join(rng.choice("ACGT") for _ in range(n))

    chr2 = list(pad(WINDOW_START - 1) + CPS1_WINDOW + pad(4000 - WINDOW_START - len(CPS1_WINDOW) + 1))
    chr2[E714X_POSITION - 1] = "G"
    chr2[3200:3260] = "N" * 60  # an assembly gap far from every variant
    chr12 = pad(WINDOW_START - 1) + reverse_complement(CPS1_WINDOW) + pad(1500)
    text2 = "".join(chr2)
    # soft-masking: lower-case bases in the padding and across the variant's neighbourhood on chr12
    text2 = text2[:200] + text2[200:400].lower() + text2[400:]
    chr12 = chr12[:1040] + chr12[1040:1080].lower() + chr12[1080:]
    return {"chr2": text2, "chr12": chr12}


def write_fasta(path: Path, sequences: dict[str, str]) -> Path:
    lines = []
    for name, sequence in sequences.items():
        lines.append(f">{name} synthetic test contig")
        lines += [sequence[i:i + LINE] for i in range(0, len(sequence), LINE)]
    path.write_text("\n".join(lines) + "\n")
    return path


UMBRELLA = """\
umbrella:
  id: IND-REFTEST
  title: Test umbrella on a synthetic reference
  sponsor: Test sponsor
  platform: test-platform
  diseases: [OMIM:237300, OMIM:311250, OMIM:999001]
  protocol_version: "1.0"
platform:
  id: test-platform
  name: Test ABE platform
  modality: adenine base editing
  delivery: lipid nanoparticle
  target_tissue: liver
  editor: NGC-ABE8e-V106W
  components:
    - {id: mrna, name: editor mRNA, kind: mRNA, shared: true}
    - {id: lnp, name: LNP, kind: LNP, shared: true}
    - {id: grna, name: guide RNA, kind: gRNA, shared: false}
editors:
  - name: NGC-ABE8e-V106W
    deaminase: ABE
    cas_variant: SpCas9 D10A nickase preferring NGC PAMs
    pams: [NGC]
    core_window: [4, 8]
    extended_window: [3, 9]
    source: NEJM 2025;392:2235-43 (window taken from ABE8e)
diseases:
  - {id: OMIM:237300, name: CPS1 deficiency, genes: [CPS1], inheritance: autosomal recessive, source: OMIM 237300}
  - {id: OMIM:311250, name: OTC deficiency, genes: [OTC], inheritance: X-linked, source: OMIM 311250}
  - {id: OMIM:999001, name: Test deficiency, genes: [TESTM], inheritance: autosomal recessive, source: test}
genes:
  - {symbol: CPS1, hgnc: "HGNC:2323", transcript: NM_001875.5, chrom: chr2, strand: "+", source: NCBI RefSeq NM_001875.5}
  - {symbol: OTC, hgnc: "HGNC:8512", transcript: NM_000531.6, chrom: chrX, strand: "+", source: NCBI RefSeq NM_000531.6}
  - {symbol: TESTM, hgnc: "HGNC:99999", transcript: NM_999999.1, chrom: chr12, strand: "-", source: test}
"""

VARIANTS = f"""\
variants:
  # synthetic coordinates: the real CPS1 window sits at chr2:{WINDOW_START} here
  - id: CPS1-Q335X
    gene: CPS1
    hgvs_c: NM_001875.5:c.1003C>T
    hgvs_g: NC_000002.12:g.{Q335X_POSITION}C>T
    status: assessed   # a comment that must survive
    source: NEJM 2025;392:2235-43
  - id: CPS1-E714X
    gene: CPS1
    hgvs_c: NM_001875.5:c.2140G>T
    hgvs_g: NC_000002.12:g.{E714X_POSITION}G>T
    source: NEJM 2025;392:2235-43
  - id: TESTM-MIRROR
    gene: TESTM
    hgvs_c: NM_999999.1:c.1003C>T
    hgvs_g: NC_000012.12:g.{MIRROR_POSITION}G>A
    source: test (the CPS1 window, reverse-complemented)
  - id: CPS1-NOPOS
    gene: CPS1
    hgvs_c: NM_001875.5:c.1010A>G
    source: test (no hgvs_g)
  - id: OTC-NOCONTIG
    gene: OTC
    hgvs_c: NM_000531.6:c.119G>A
    hgvs_g: NC_000023.11:g.38367332G>A
    source: ClinVar RCV000011761
  - id: CPS1-DEL
    gene: CPS1
    hgvs_c: NM_001875.5:c.1006del
    source: test (an indel)
"""

PATIENTS = """\
patients:
  - id: PT-001
    disease: OMIM:237300
    genotype:
      - {variant: CPS1-Q335X, origin: paternal}
      - {variant: CPS1-E714X, origin: maternal}
"""


def write_program(directory: Path, reference: str | None = "reference:\n  build: GRCh38\n  fasta: genome/ref.fa\n",
                  seed: int = 13) -> Path:
    """The FASTA-only program (no windows) with its genome in `directory/genome/ref.fa`."""
    directory.mkdir(parents=True)
    (directory / "genome").mkdir()
    write_fasta(directory / "genome" / "ref.fa", contigs(seed))
    (directory / "program.yaml").write_text(UMBRELLA + (reference or ""))
    (directory / "variants.yaml").write_text(VARIANTS)
    (directory / "patients.yaml").write_text(PATIENTS)
    return directory
