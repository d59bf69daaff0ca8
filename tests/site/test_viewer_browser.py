"""The graph viewer in a real headless Chromium: drawn, searchable, clickable, inert to XSS, fast at 10,000 nodes.

Needs Debian's chromium and chromium-driver (scripts/install-system-deps.sh); skipped when they are
missing, except under CI=true where that is a failure.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from basket.api import plan_program
from basket.documents.graph_viewer import viewer_html, viewer_site_files
from basket.graph.build import program_graph
from tests.render.golden import FIXTURE
from tests.site.browser import chromium, console_errors, open_page
from tests.site.synthetic import synthetic_graph

SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = "<img src=x onerror=window.__pwned=1>"
PAYLOAD = f"Umbrella {SCRIPT_PAYLOAD}{IMG_PAYLOAD}</script>"


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def _write(tmp_path: Path, graph, name: str = "graph.html", **options) -> Path:
    path = tmp_path / name
    path.write_bytes(viewer_html(graph, **options))
    return path


def _fixture_graph(payload: str | None = None):
    loaded, plan = plan_program(FIXTURE)
    graph = program_graph(loaded, plan)
    if payload:
        graph.nodes["umbrella:IND-FIXTURE-1"]["label"] = payload
        graph.nodes["variant:CPS1-Q335X"]["notes"] = payload
    return graph


def test_viewer_draws_the_neighbourhood_without_console_errors(browser, tmp_path):
    open_page(browser, _write(tmp_path, _fixture_graph()))
    drawn = browser.execute_script("return window.basketViewer.cy.nodes().length")
    ids = browser.execute_script("return window.basketViewer.cy.nodes().map(n => n.data('label'))")
    assert drawn >= 5 and "Fixture umbrella" in ids
    assert browser.execute_script("return window.basketViewer.cy.edges().length") >= 4
    colours = browser.execute_script(
        "return window.basketViewer.cy.nodes().map(n => [n.data('kind'), n.style('background-color')])")
    assert {kind for kind, _ in colours} >= {"umbrella", "platform", "disease"}
    assert len({colour for _, colour in colours}) >= 3  # coloured by kind
    assert "within 2 hops of Fixture umbrella" in browser.find_element("id", "status").text
    assert console_errors(browser) == []


def test_search_finds_a_node_and_opens_its_neighbourhood(browser, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, _write(tmp_path, _fixture_graph()))
    box = browser.find_element(By.ID, "search")
    box.clear()
    box.send_keys("OTC-R40")
    results = browser.find_elements(By.CSS_SELECTOR, "#results button")
    assert [r.text for r in results] == ["OTC-R40H"]
    results[0].click()
    assert browser.execute_script("return window.basketViewer.cy.$('node.centre').data('label')") == "OTC-R40H"
    details = browser.find_element(By.ID, "details").text
    assert "variant:OTC-R40H" in details and "member_of" in details
    assert console_errors(browser) == []


def test_clicking_a_node_shows_its_details(browser, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, _write(tmp_path, _fixture_graph()))
    browser.execute_script("window.basketViewer.cy.$('node').filter(n => n.data('kind') === 'platform').emit('tap')")
    details = browser.find_element(By.ID, "details").text
    assert "platform:lnp-abe" in details and "NGC-ABE8e-V106W" in details
    assert console_errors(browser) == []


def test_xss_payload_is_inert_and_shown_as_text(browser, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, _write(tmp_path, _fixture_graph(PAYLOAD), title=PAYLOAD))
    time.sleep(0.3)
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.title == PAYLOAD
    details = browser.find_element(By.ID, "details")
    assert details.find_element(By.TAG_NAME, "h2").text == PAYLOAD
    browser.execute_script("window.basketViewer.show(window.basketViewer.nodeIndex('variant:CPS1-Q335X'))")
    assert SCRIPT_PAYLOAD in browser.find_element(By.ID, "details").text
    box = browser.find_element(By.ID, "search")
    box.send_keys("onerror")
    assert [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#results button")] == [PAYLOAD]
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert console_errors(browser) == []


def test_ten_thousand_nodes_stay_responsive(browser, tmp_path):
    graph = synthetic_graph(10_000)
    started = time.perf_counter()
    path = _write(tmp_path, graph, name="big.html")
    build = time.perf_counter() - started
    load = open_page(browser, path)
    drawn = browser.execute_script("return window.basketViewer.cy.nodes().length")
    assert 0 < drawn <= 400  # only the capped neighbourhood is laid out and drawn
    search = browser.execute_script(
        "const t = performance.now(); window.basketViewer.search('GENE7-V9'); return performance.now() - t")
    refocus = browser.execute_script(
        "const t = performance.now(); window.basketViewer.show(window.basketViewer.nodeIndex('variant:V4242'));"
        "return performance.now() - t")
    print(f"\n10,000 nodes: build {build:.2f} s, load {load:.2f} s, drawn {drawn}, "
          f"search {search:.0f} ms, refocus {refocus:.0f} ms")
    assert load < 15 and search < 500 and refocus < 2000
    assert console_errors(browser) == []


def _wait_for_graph(driver, timeout: float = 30.0) -> None:
    """Until the site's viewer has read the whole graph (data/graph.js, after first paint)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return !!(window.basketViewer && window.basketViewer.loaded)"))


def _site_graph(tmp_path: Path) -> Path:
    """graph.html as `basket docs` writes it for the fixture program (variant details, page links)."""
    from click.testing import CliRunner

    from basket.cli import main

    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["docs", str(FIXTURE), "-o", str(out), "--no-pictures"]).exit_code == 0
    return out / "graph.html"


def test_depth_kinds_edge_labels_and_deep_links(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path = _write(tmp_path, _fixture_graph())
    browser.get(path.resolve().as_uri() + "#node=variant:CPS1-Q335X&depth=1")
    viewer = "window.basketViewer"
    assert browser.execute_script(f"return {viewer}.cy.$('node.centre').data('label')") == "CPS1-Q335X"
    one_hop = browser.execute_script(f"return {viewer}.cy.nodes().length")
    assert "within 1 hop of CPS1-Q335X" in browser.find_element(By.ID, "status").text
    Select(browser.find_element(By.ID, "depth")).select_by_value("2")
    assert browser.execute_script(f"return {viewer}.cy.nodes().length") > one_hop
    assert browser.execute_script("return location.hash") == "#node=variant%3ACPS1-Q335X&depth=2"
    rels = browser.execute_script(f"return {viewer}.cy.edges().map(e => [e.data('rel'), e.style('label')])")
    assert rels and all(rel == label for rel, label in rels) and {"member_of", "in_gene"} <= {r for r, _ in rels}
    kinds = lambda: set(browser.execute_script(f"return {viewer}.cy.nodes().map(n => n.data('kind'))"))
    assert "evidence" in kinds()
    browser.find_element(By.CSS_SELECTOR, "#legend input[data-kind=evidence]").click()
    assert "evidence" not in kinds() and "patient" in kinds()
    browser.execute_script("location.hash = '#node=disease:OMIM:311250&depth=1'")
    assert browser.execute_script(f"return {viewer}.cy.$('node.centre').data('kind')") == "disease"
    assert console_errors(browser) == []


def test_site_viewer_links_back_and_shows_a_variants_plan_guide_and_readiness(browser, tmp_path):
    from selenium.webdriver.common.by import By

    path = _site_graph(tmp_path)
    assert (path.parent / "data" / "graph.js").is_file()
    browser.get(path.resolve().as_uri() + "#node=variant:CPS1-Q335X&depth=1")
    _wait_for_graph(browser)
    back = browser.find_element(By.ID, "back")
    assert back.is_displayed() and back.get_attribute("href").endswith("/site/index.html")
    details = browser.find_element(By.ID, "details")
    assert "TGATTCTAAGCAGTAATGAA AGC (- strand, position 8, core window, 2 bystanders)" in details.text
    assert "E1 " in details.text and "gate" in details.text and "platform" in details.text
    page = details.find_element(By.LINK_TEXT, "Open its page").get_attribute("href")
    assert page.endswith("/site/variants/CPS1-Q335X.html")
    assert console_errors(browser) == []


def test_a_large_graph_opens_on_an_overview_counted_per_basket(browser, tmp_path):
    graph = synthetic_graph(10_000)
    path = _write(tmp_path, graph, name="big.html")
    load = open_page(browser, path)
    viewer = "window.basketViewer"
    drawn = browser.execute_script(f"return {viewer}.cy.nodes().length")
    groups = browser.execute_script(
        f"return {viewer}.cy.nodes('.group').map(n => [n.data('kind'), n.data('label')])")
    variants = sum(1 for _, kind in graph.nodes(data="kind") if kind == "variant")
    counted = sum(int(label.split(" ")[0].replace(",", "")) for kind, label in groups if kind == "variant")
    single = browser.execute_script(
        f"return {viewer}.cy.nodes().filter(n => !n.hasClass('group') && n.data('kind') === 'variant').length")
    assert counted == variants and single == 0  # every variant counted, none drawn one by one
    assert browser.execute_script("return location.hash") == "#overview"
    label = browser.execute_script(
        f"const g = {viewer}.cy.nodes('.group').filter(n => n.data('kind') === 'variant')[0];"
        "g.emit('tap'); return g.data('label')")
    listed = browser.find_elements("css selector", "#details li button")
    assert len(listed) == min(200, int(label.split(" ")[0].replace(",", "")))
    assert all(button.text.startswith("GENE") for button in listed)
    print(f"\n10,000-node overview: load {load:.2f} s, {drawn} nodes drawn")
    assert console_errors(browser) == []


# ---- the site's viewer at 10,000 variants: first view embedded, the whole graph read after first paint

VARIANTS = 10_000
FIRST_RENDER_MS = 1000
EMBEDDED_BYTES = 64_000  # the page's JSON (settings and first view) at 10,000 variants: a few kB of hubs


@pytest.fixture(scope="module")
def big_site_viewer(tmp_path_factory) -> Path:
    """graph.html and data/graph.js as the site writes them, for a synthetic graph of 10,000 variants."""
    graph = synthetic_graph(15_500)  # a third as many evidence items and a fifth as many patients
    assert sum(1 for _, kind in graph.nodes(data="kind") if kind == "variant") >= VARIANTS
    site = tmp_path_factory.mktemp("viewer-site")
    page, data = viewer_site_files(graph, "data/graph.js", back="index.html")
    (site / "data").mkdir()
    (site / "data" / "graph.js").write_bytes(data)
    (site / "graph.html").write_bytes(page)
    return site / "graph.html"


def _embedded_json(page: bytes) -> bytes:
    start = page.index(b'id="graph-data">') + len(b'id="graph-data">')
    return page[start:page.index(b"</script>", start)]


def test_the_site_viewer_embeds_only_its_first_view(big_site_viewer):
    page = big_site_viewer.read_bytes()
    embedded = _embedded_json(page)
    whole = (big_site_viewer.parent / "data" / "graph.js").stat().st_size
    print(f"\n{VARIANTS:,} variants: graph.html {len(page):,} bytes, embedded JSON {len(embedded):,} bytes, "
          f"data/graph.js {whole:,} bytes")
    assert len(embedded) < EMBEDDED_BYTES and whole > 50 * len(embedded)
    assert b"variant:V4242" not in page and b"variant:V4242" in (big_site_viewer.parent / "data" / "graph.js").read_bytes()


def test_the_site_viewer_renders_first_in_a_second_then_reads_the_whole_graph(browser, big_site_viewer):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(browser, big_site_viewer)  # the browser's own start-up is not the page's first render
    open_page(browser, big_site_viewer)
    first_render = browser.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
    viewer = "window.basketViewer"
    drawn = browser.execute_script(f"return {viewer}.cy.nodes().length")
    counted = browser.execute_script(
        f"return {viewer}.cy.nodes('.group').filter(n => n.data('kind') === 'variant')"
        ".map(n => Number(n.data('label').split(' ')[0].replace(/,/g, ''))).reduce((a, b) => a + b, 0)")
    assert counted >= VARIANTS and "Overview of" in browser.find_element(By.ID, "status").text
    _wait_for_graph(browser)
    loaded = browser.execute_script("return performance.now()")
    print(f"\n{VARIANTS:,} variants: graph.html first render {first_render:.0f} ms ({drawn} nodes drawn), "
          f"whole graph read by {loaded:.0f} ms")
    assert first_render < FIRST_RENDER_MS
    # the overview drawn first is the one the whole graph makes: a group lists its members
    browser.execute_script(f"{viewer}.cy.nodes('.group').filter(n => n.data('kind') === 'variant')[0].emit('tap')")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#details li button")) == 200
    # a deep link and the depth, with the whole graph
    browser.execute_script("location.hash = '#node=variant:V4242&depth=1'")
    assert browser.execute_script(f"return {viewer}.cy.$('node.centre').data('label')") == "GENE2-V4242"
    one_hop = browser.execute_script(f"return {viewer}.cy.nodes().length")
    assert "variant:V4242" in browser.find_element(By.ID, "details").text
    Select(browser.find_element(By.ID, "depth")).select_by_value("2")
    assert browser.execute_script(f"return {viewer}.cy.nodes().length") > one_hop
    assert browser.execute_script("return location.hash") == "#node=variant%3AV4242&depth=2"
    assert console_errors(browser) == []


STATUS_RECORDER = """
window.__statuses = [];
document.addEventListener('DOMContentLoaded', () => {
  const status = document.getElementById('status');
  if (!status) return;
  const record = () => window.__statuses.push([status.textContent, document.body.classList.contains('loading')]);
  record();
  new MutationObserver(record).observe(status, {childList: true, characterData: true, subtree: true});
});
"""


def test_a_deep_link_waits_visibly_for_the_whole_graph(browser, big_site_viewer):
    """A node the first view does not hold: the page says it is loading the graph, then opens it."""
    added = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": STATUS_RECORDER})
    try:
        browser.get("about:blank")  # a new document, not a change of fragment
        browser.get(big_site_viewer.resolve().as_uri() + "#node=variant:V77&depth=1")
        _wait_for_graph(browser)
        statuses = browser.execute_script("return window.__statuses")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})
    assert ["Loading the graph…", True] in statuses
    assert statuses[-1][0].startswith("Showing ") and "within 1 hop of GENE37-V77" in statuses[-1][0]
    assert not statuses[-1][1]
    assert browser.execute_script("return window.basketViewer.cy.$('node.centre').data('label')") == "GENE37-V77"
    assert console_errors(browser) == []


def test_a_focused_first_view_is_the_neighbourhood_the_whole_graph_draws(browser, tmp_path):
    """--focus: the embedded neighbourhood (basket.documents.viewer_data) is what viewer.js draws."""
    graph = synthetic_graph(2_000)
    page, data = viewer_site_files(graph, "data/graph.js", focus="basket:D3")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "graph.js").write_bytes(data)
    (tmp_path / "graph.html").write_bytes(page)
    elements = ("return window.basketViewer.cy.elements().map(e => [e.id(), e.data('label') || e.data('rel'),"
                " e.data('rank'), e.hasClass('centre')]).sort()")
    open_page(browser, tmp_path / "graph.html")
    first = browser.execute_script(elements)
    first_status = browser.find_element("id", "status").text
    _wait_for_graph(browser)
    browser.execute_script("window.basketViewer.show(window.basketViewer.nodeIndex('basket:D3'))")
    assert browser.execute_script(elements) == first and len(first) > 3
    assert browser.find_element("id", "status").text == first_status
    assert "basket:D3" in browser.find_element("id", "details").text
    assert console_errors(browser) == []
