"""`basket graph export` and `basket impact`: the program graph and what a change to one node affects."""

from __future__ import annotations

from pathlib import Path

import click

from basket.cli.options import (
    ProgramFirst,
    check_output,
    emit,
    fasta_option,
    format_option,
    output_format,
    program_argument,
    reports_input_errors,
    select_option,
    warn,
)
from basket.foundation.text_tables import to_json


@click.group()
def graph() -> None:
    """Export the program graph."""


GRAPH_FORMATS = {"graphml": (".graphml",), "gexf": (".gexf",), "json": (".json",), "cyjs": (".cyjs",),
                 "dot": (".dot", ".gv"), "mermaid": (".mmd", ".mermaid")}


@graph.command("export")
@program_argument
@select_option
@fasta_option
@format_option(GRAPH_FORMATS, "json")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write ('-' for standard output).")
@reports_input_errors
def graph_export(program: Path, selectors: tuple[str, ...], excluded: tuple[str, ...], fasta: Path | None,
                 fmt: str | None, output: Path) -> None:
    """Write the program graph as GraphML, GEXF, node-link JSON, Cytoscape JSON, DOT or Mermaid.

    Example: basket graph export configs/ucd-umbrella -o ucd.graphml
    """
    from basket.api import export_to

    check_output(output, (program,))  # first: writing over an input is the graver mistake
    fmt = output_format(fmt, output, GRAPH_FORMATS, "json")
    emit(export_to(program, fmt, selectors, excluded, fasta, warn).decode("utf-8"), output, inputs=(program,))


@click.command(cls=ProgramFirst)
@program_argument
@click.argument("node")
@fasta_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--upstream", is_flag=True, help="List what NODE depends on instead of what it affects.")
@reports_input_errors
def impact(program: Path, node: str, fasta: Path | None, fmt: str, upstream: bool) -> None:
    """List what a change to NODE affects: appendices, patients and every other node.

    NODE is a graph id such as component:lnp or variant:CPS1-Q335X, or a bare id.

    Example: basket impact configs/ucd-umbrella component:lnp
    """
    from basket.api import impact_of

    report = impact_of(program, node, upstream, fasta, warn)
    click.echo(impact_output(report, fmt), nl=False)


def impact_output(report, fmt: str) -> str:
    if fmt == "json":
        return to_json({"node": report.node, "direction": report.direction, "appendices": report.appendices,
                        "patients": report.patients, "nodes": report.nodes})
    verb = "affects" if report.direction == "downstream" else "depends on"
    lines = [f"A change to {report.node} {verb}:" if report.direction == "downstream"
             else f"{report.node} {verb}:"]
    if report.direction == "downstream":
        lines.append(f"  appendices ({len(report.appendices)}): {', '.join(report.appendices) or 'none'}")
        lines.append(f"  patients ({len(report.patients)}): {', '.join(report.patients) or 'none'}")
    for kind, nodes in sorted(report.nodes.items()):
        lines.append(f"  {kind} ({len(nodes)}): {', '.join(nodes)}")
    if not report.nodes:
        lines.append("  nothing")
    return "\n".join(lines) + "\n"


COMMANDS = [graph, impact]
