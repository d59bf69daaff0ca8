"""Validation of each variant's HGVS and sequence window, reported with file and line."""

from __future__ import annotations

from collections.abc import Callable

from basket.editing.hgvs import HgvsError, parse_hgvs
from basket.foundation.problems import Problem
from basket.program.model import Program
from basket.program.variant_sequence import DesignError, variant_context


def check_variant_sequences(program: Program, report: Callable[[tuple, str], Problem]) -> list[Problem]:
    problems: list[Problem] = []
    for index, variant in enumerate(program.variants):
        gene = program.genes_by_symbol[variant.gene]
        parsed_c = None
        before = len(problems)
        for field in ("hgvs_c", "hgvs_g"):
            text = getattr(variant, field)
            if text is None:
                continue
            try:
                parsed = parse_hgvs(text)
            except HgvsError as error:
                problems.append(report(("variants", index, field), str(error)))
                continue
            if field == "hgvs_c":
                parsed_c = parsed
            expected = {"hgvs_c": "c", "hgvs_g": "g"}[field]
            if parsed.coordinate != expected:
                problems.append(report(("variants", index, field), f"{text}: expected an HGVS {expected}. description"))
            elif field == "hgvs_c" and parsed.accession and parsed.accession != gene.transcript:
                problems.append(report(("variants", index, field),
                                       f"{text}: transcript {parsed.accession} differs from the gene's {gene.transcript}"))
        if len(problems) > before or variant.window is None:
            continue
        if variant.window.chrom.removeprefix("chr") != gene.chrom.removeprefix("chr"):
            problems.append(report(("variants", index, "window", "chrom"),
                                   f"window is on {variant.window.chrom} but {gene.symbol} is on {gene.chrom}"))
            continue
        try:
            variant_context(program, variant, parsed=parsed_c)
        except DesignError as error:
            problems.append(report(("variants", index, error.field), str(error)))
    return problems
