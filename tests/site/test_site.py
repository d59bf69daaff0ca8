"""`basket docs`: the static site, and the viewer page as built (without a browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from basket.cli import main
from basket.documents.graph_viewer import graph_data, script_json, viewer_html
from tests.render.golden import FIXTURE
from tests.site.synthetic import synthetic_graph

PAYLOAD = "</script><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>&amp;"


def test_docs_writes_index_pages_viewer_and_pictures(tmp_path: Path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["docs", str(FIXTURE), "-o", str(out), "--no-pictures"])
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [".basket-output", "appendices/CPS1-Q335X.html", "graph.html", "index.html", "manifest.json",
                     "overview.html", "readiness.html"]
    assert "  writing appendices/CPS1-Q335X.html\n" in result.stderr  # progress, page by page
    assert result.stderr.rstrip().endswith("writing index.html")
    index = (out / "index.html").read_text()
    assert "Carbamoyl phosphate synthetase I deficiency (OMIM:237300)" in index
    assert '<a href="appendices/CPS1-Q335X.html">appendix</a>' in index
    assert re.search(r"<td>CPS1-E714X</td>.*?outside the umbrella", index, re.DOTALL)
    assert '<td class="met">met</td>' in index  # readiness per element
    appendix = (out / "appendices" / "CPS1-Q335X.html").read_text()
    assert '<a href="../index.html">Site index</a>' in appendix and "&lt;script&gt;window.__pwned" in appendix
    for href in re.findall(r'href="([^"#]+)"', index):
        assert (out / href).is_file(), href


def test_docs_draws_graphviz_pictures(tmp_path: Path):
    from tests.site.browser import require_tool

    require_tool("Graphviz", "dot")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["docs", str(FIXTURE), "-o", str(out), "--pictures"])
    assert result.exit_code == 0, result.output
    assert (out / "graph" / "program.svg").read_text().lstrip().startswith("<?xml")
    assert '<img src="graph/trial-schema.svg"' in (out / "index.html").read_text()


def test_docs_is_deterministic(tmp_path: Path):
    runner = CliRunner()
    for name in ("a", "b"):
        assert runner.invoke(main, ["docs", str(FIXTURE), "-o", str(tmp_path / name)]).exit_code == 0
    files = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_docs_rejects_an_unknown_focus(tmp_path: Path):
    result = CliRunner().invoke(main, ["docs", str(FIXTURE), "-o", str(tmp_path / "s"), "--focus", "variant:NOPE"])
    assert result.exit_code == 2 and "no node" in result.output
    assert not (tmp_path / "s").exists()


def test_picture_command_writes_svg_of_a_selection(tmp_path: Path):
    from tests.site.browser import require_tool

    require_tool("Graphviz", "dot")
    target = tmp_path / "q.svg"
    result = CliRunner().invoke(main, ["picture", str(FIXTURE), "-s", "variant:CPS1-Q335X+", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "CPS1&#45;Q335X" in target.read_text() and "OTC&#45;R40H" not in target.read_text()


def test_script_json_cannot_close_the_script_element():
    text = script_json({"label": PAYLOAD, "line": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["label"] == PAYLOAD


def test_viewer_page_is_self_contained():
    page = viewer_html(synthetic_graph(200, payload=PAYLOAD)).decode("utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert page.count("<script") == 3 and page.count("</script>") == 3  # data, cytoscape, viewer
    assert "Content-Security-Policy" in page and "'sha256-" in page


def test_graph_data_opens_at_the_umbrella_and_keeps_every_node():
    data = graph_data(synthetic_graph(500))
    assert data["focus"] == "umbrella:U" and data["hops"] == 2 and len(data["nodes"]) == 500
