from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from basket.api import export_to
from basket.cli import main
from basket.graph.export_formats import FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_deterministic(example: Path, fmt: str):
    assert export_to(example, fmt) == export_to(example, fmt)


def test_graphml_and_gexf_read_back(example: Path):
    graphml = nx.read_graphml(io.BytesIO(export_to(example, "graphml")))
    gexf = nx.read_gexf(io.BytesIO(export_to(example, "gexf")))
    for graph in (graphml, gexf):
        assert "variant:CPS1-Q335X" in graph
        assert graph.nodes["variant:CPS1-Q335X"]["kind"] == "variant"


def test_node_link_and_cytoscape_json(example: Path):
    node_link = json.loads(export_to(example, "json"))
    graph = nx.node_link_graph(node_link, edges="edges")
    assert graph.nodes["gene:CPS1"]["kind"] == "gene"
    cyjs = json.loads(export_to(example, "cyjs"))
    ids = {n["data"]["id"] for n in cyjs["elements"]["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in cyjs["elements"]["edges"])


def test_dot_and_mermaid_escape_labels(minimal: Path):
    path = minimal / "platform.yaml"
    path.write_text(path.read_text().replace("name: Test ABE platform", 'name: Test "ABE" <platform>'))
    dot = export_to(minimal, "dot").decode()
    assert 'label="Test \\"ABE\\" <platform>"' in dot
    mermaid = export_to(minimal, "mermaid").decode()
    assert "Test #quot;ABE#quot; #lt;platform#gt;" in mermaid and "<platform>" not in mermaid


def test_select_exports_a_subgraph(example: Path):
    graph = nx.node_link_graph(json.loads(export_to(example, "json", ["+variant:CPS1-Q335X"])), edges="edges")
    assert "variant:CPS1-Q335X" in graph and "gene:CPS1" in graph
    assert "variant:OTC-R40H" not in graph


def test_cli_writes_the_file(example: Path, tmp_path: Path):
    target = tmp_path / "g.graphml"
    result = CliRunner().invoke(main, ["graph", "export", str(example), "--format", "graphml", "-o", str(target)])
    assert result.exit_code == 0 and target.read_bytes() == export_to(example, "graphml")
