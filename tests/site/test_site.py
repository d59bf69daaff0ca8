"""`basket docs`: the static site, and the viewer page as built (without a browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from basket.cli import main
from basket.documents.graph_viewer import graph_settings, script_json, viewer_html
from tests.render.golden import FIXTURE
from tests.site.synthetic import synthetic_graph

PAYLOAD = "</script><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>&amp;"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    result = CliRunner().invoke(main, ["docs", str(FIXTURE), "-o", str(out), "--no-pictures"])
    assert result.exit_code == 0, result.output
    assert "  writing variants/CPS1-Q335X.html\n" in result.stderr  # progress, page by page
    assert result.stderr.rstrip().endswith("writing index.html")
    return out


def _files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_docs_writes_a_page_per_variant_disease_and_evidence_item(site: Path):
    names = _files(site)
    assert {"index.html", "overview.html", "appendices/CPS1-Q335X.html", "graph.html", "search.html",
            "roster.html", "readiness.html", "evidence.html", "gaps.html", "manifest.json"} <= set(names)
    assert [n for n in names if n.startswith("variants/")] == [
        "variants/CPS1-E714X.html", "variants/CPS1-Q335X.html", "variants/OTC-R40H.html"]  # outside ones too
    assert [n for n in names if n.startswith("baskets/")] == ["baskets/OMIM~237300.html", "baskets/OMIM~311250.html"]
    from basket.program.load import load_program

    evidence = {f"evidence/{e.id}.html" for e in load_program(FIXTURE).program.evidence}
    assert {n for n in names if n.startswith("evidence/")} == evidence and len(evidence) >= 6
    assert {n for n in names if n.startswith(("data/", "assets/"))} == {
        "data/roster.js", "data/readiness.js", "data/evidence.js", "data/gaps.js", "data/search.js", "data/graph.js",
        "assets/site.css", "assets/table.js", "assets/search.js", "assets/minisearch.js"}


def test_every_link_of_every_page_leads_to_a_file_of_the_site(site: Path):
    for name in _files(site):
        if not name.endswith(".html") or name == "graph.html":
            continue
        page = (site / name).read_text()
        for href in re.findall(r'(?:href|src)="([^"]+)"', page):
            if href.startswith("https://"):
                continue  # identifier links (DOI, ClinVar, ...)
            target = href.split("#")[0].split("?")[0]
            if target:
                assert (site / name).parent.joinpath(target).resolve().is_file(), f"{name}: {href}"


def test_variant_page_shows_plan_guides_readiness_evidence_patients_and_documents(site: Path):
    page = (site / "variants" / "CPS1-Q335X.html").read_text()
    assert '<a href="../appendices/CPS1-Q335X.html">' in page and '<a href="../baskets/OMIM~237300.html">' in page
    assert "TGATTCTAAGCAGTAATGAA" in page and "synonymous" in page  # best guide and its bystanders
    assert re.search(r'<td class="met">met</td>', page) and "Entry gate" in page
    assert '<a href="../evidence/EV-GENOTYPE.html">EV-GENOTYPE</a>' in page
    assert "PT-001" in page and "../graph.html#node=variant:CPS1-Q335X&amp;depth=2" in page
    assert "&lt;script&gt;window.__pwned" in page and "<script>window" not in page
    outside = (site / "variants" / "CPS1-E714X.html").read_text()
    assert "Outside the umbrella" in outside and "transversion" in outside and "appendices/" not in outside


def test_basket_and_evidence_pages_link_back(site: Path):
    basket = (site / "baskets" / "OMIM~237300.html").read_text()
    assert '<a href="../variants/CPS1-Q335X.html">CPS1-Q335X</a>' in basket
    assert '<a href="../variants/CPS1-E714X.html">CPS1-E714X</a>' in basket
    assert '<a href="../evidence/EV-NH.html">EV-NH</a>' in basket
    evidence = (site / "evidence" / "EV-GENOTYPE.html").read_text()
    assert '<a href="../variants/CPS1-Q335X.html">CPS1-Q335X</a>' in evidence
    appendix = (site / "appendices" / "CPS1-Q335X.html").read_text()
    assert '<a href="../variants/CPS1-Q335X.html">Variant page</a>' in appendix


def _data(site: Path, name: str, variable: str = "basketTable") -> dict:
    text = (site / "data" / f"{name}.js").read_text()
    prefix = f"window.{variable} = "
    assert text.startswith(prefix) and text.endswith(";\n")
    assert "<" not in text and ">" not in text and "&" not in text  # script_json: no value ends a script
    return json.loads(text[len(prefix):-2])


def test_tables_are_data_files_with_coded_facets(site: Path):
    roster = _data(site, "roster")
    keys = [c["key"] for c in roster["columns"]]
    assert keys[:2] == ["variant", "gene"] and len(roster["rows"]) == 3
    gene = roster["columns"][1]
    assert gene["facet"] and gene["values"] == sorted(gene["values"]) == ["CPS1", "OTC"]
    decoded = {row[0]: gene["values"][row[1]] for row in roster["rows"]}
    assert decoded == {"CPS1-Q335X": "CPS1", "CPS1-E714X": "CPS1", "OTC-R40H": "OTC"}
    readiness = _data(site, "readiness")
    gate = next(c for c in readiness["columns"] if c["key"] == "gate")
    assert gate["status"] and set(gate["values"]) <= {"pass", "fail", "blocking"}
    evidence = _data(site, "evidence")
    assert {row[0] for row in evidence["rows"]} >= {"EV-GENOTYPE", "EV-NH"}
    page = (site / "roster.html").read_text()
    assert page.index('src="data/roster.js"') < page.index('src="assets/table.js"')


def test_tables_bring_the_sort_order_of_each_text_column(site: Path):
    for name in ("roster", "readiness", "evidence", "gaps"):
        table = _data(site, name)
        text = {str(i) for i, c in enumerate(table["columns"]) if not (c.get("facet") or c.get("hidden"))}
        strings = {i for i in text if all(isinstance(row[int(i)], str) for row in table["rows"])}
        assert set(table["orders"]) == strings and strings, name
        for column, order in table["orders"].items():
            cells = [row[int(column)] for row in table["rows"]]
            assert order == sorted(range(len(cells)), key=lambda i: (cells[i], i)), (name, column)


def test_sort_order_compares_strings_as_javascript_does():
    from basket.documents.site_tables import _sort_order

    # U+1F600 is the surrogate pair D83D DE00 in UTF-16, so JavaScript puts it before U+FFFF; ties keep row order
    assert _sort_order(["\uffff", "b", "\U0001F600", "a", "b", ""]) == [5, 3, 1, 4, 2, 0]


def test_search_lists_every_page(site: Path):
    documents = _data(site, "search", "basketSearch")["documents"]
    urls = {d[1] for d in documents}
    assert {"variants/CPS1-Q335X.html", "variants/CPS1-E714X.html", "baskets/OMIM~237300.html",
            "evidence/EV-GENOTYPE.html"} <= urls
    assert any(kind == "section" and title == "4.1.2 Variant Roster" for kind, _, title, *_ in documents)
    assert any(kind == "patient" and title == "PT-001" for kind, _, title, *_ in documents)


def test_site_pages_allow_only_their_own_scripts(site: Path):
    for name in ("index.html", "roster.html", "search.html", "variants/CPS1-Q335X.html"):
        page = (site / name).read_text()
        assert "script-src 'self'" in page and "default-src 'none'" in page
        assert not re.search(r"<script>", page)  # no inline script
        assert not re.search(r'(src|href)="(https?:)?//', page.replace('href="https://', ""))


def test_vendored_minisearch_is_the_release_named_in_its_readme():
    import hashlib

    from basket.documents.static_site import MINISEARCH_SHA256, site_asset

    assert hashlib.sha256(site_asset("vendor/minisearch.js")).hexdigest() == MINISEARCH_SHA256
    readme = site_asset("vendor/README.md").decode("utf-8")
    assert MINISEARCH_SHA256 in readme and "7.2.0" in readme


def test_verify_checks_the_site_against_its_manifest(site: Path, tmp_path: Path):
    import shutil

    assert CliRunner().invoke(main, ["verify", str(site)]).exit_code == 0
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    page = copy / "variants" / "CPS1-Q335X.html"
    page.write_text(page.read_text().replace("CPS1", "CPS2"))
    result = CliRunner().invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1 and "changed: variants/CPS1-Q335X.html" in result.output
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest["kind"] == "site" and "index.html" in manifest["outputs"] and manifest["inputs"]


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
    from basket.documents.viewer_data import MANY, ViewerGraph, first_view, whole_graph

    viewer = ViewerGraph(synthetic_graph(500))
    settings, data = graph_settings(viewer), whole_graph(viewer)
    assert settings["focus"] == "umbrella:U" and settings["hops"] == 2 and settings["overview"]
    assert len(data["nodes"]) == 500 and settings["total"] == 500
    grouped = sorted(i for group in data["groups"] for i in group[3])
    assert grouped == [i for i, n in enumerate(data["nodes"]) if n["kind"] in MANY]  # each counted once
    overview = first_view(viewer, None, 2, 400)
    assert [g[3] for g in overview["groups"]] == [len(g[3]) for g in data["groups"]]
    assert all(row[2] not in MANY for row in overview["nodes"])
