"""The static site at 10,000 variants in a real headless Chromium, opened from file://: tables, search
and the pages that grow with the program render in under a second; a filter or a sort takes under
200 ms. Times are measured inside the page (performance.now, from navigation start), not by the
WebDriver round trip.

The site is built once for the module from a synthetic program (benchmarks/synthetic.py): the
tables, search, index, overview, basket pages and a sample of variant and evidence pages (the other pages
are the same template and do not grow with the program). Needs Debian's chromium and
chromium-driver; skipped when they are missing, except under CI=true where that is a failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.site.browser import chromium, console_errors

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

VARIANTS = 10_000
FIRST_RENDER_MS = 1000
FILTER_MS = 200


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    from synthetic import write_program

    from basket.api import plan_program
    from basket.documents import static_site
    from basket.documents.rendering import iter_documents
    from basket.documents.site_pages import basket_page, evidence_page, page_name, variant_page
    from basket.documents.template_environment import make_templates
    from basket.evidence.readiness_rules import assess

    root = tmp_path_factory.mktemp("big")
    write_program(root / "program", VARIANTS)
    loaded, plan = plan_program(root / "program")
    report = assess(loaded, plan)
    templates = make_templates()
    page = static_site.PageMaker(templates.html, loaded)
    site = root / "site"
    files = [*static_site.table_files(loaded, plan, report, [("overview", "x")], page),
             *static_site.search_files(loaded, plan, [], page), *static_site.asset_files()]
    verdicts = {v.variant: v for v in report.variants}
    program = loaded.program
    for item in plan.variants[:3]:
        context = variant_page(program, item, verdicts[item.variant], report.documents, {})
        files.append((f"variants/{page_name(item.variant)}.html", page.render("variant", "../", **context)))
    for disease in program.diseases:
        context = basket_page(program, plan.variants, disease)
        files.append((f"baskets/{page_name(disease.id)}.html", page.render("basket", "../", **context)))
    context = evidence_page(program, program.evidence[0], report.documents)
    files.append((f"evidence/{page_name(program.evidence[0].id)}.html", page.render("evidence", "../", **context)))
    files.append(("index.html", page.render("index", "", title="Home",
                                            **static_site.site_context(loaded, plan, report, [], []))))
    overview = next(iter_documents(loaded, plan, None, pictures=False))  # the first document; no appendix
    files.append(("overview.html", static_site.document_page(templates, overview)[1]))
    for name, data in files:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data if isinstance(data, bytes) else b"".join(data))
    return site, plan, report


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def _open(driver, site: Path, page: str) -> float:
    """Open a page and return its first render in ms from navigation start: the drawn table or
    the search box for the pages that draw, the load event for the others."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(site.resolve().as_uri() + "/" + page)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && (!document.getElementById('table-root') ||"
        " document.documentElement.dataset.ready === 'true')"))
    return driver.execute_script(
        "if (window.basketTableView) return window.basketTableView.firstRender();"
        "if (window.basketSearchView) return window.basketSearchView.timing().firstRender;"
        "return performance.getEntriesByType('navigation')[0].loadEventEnd;")


def _in_page(driver, action: str) -> float:
    """ms the table took for an action (filtering and drawing the page of rows)."""
    driver.execute_script(action)
    timing = driver.execute_script("return window.basketTableView.timing()")
    return timing["filter"] + timing["draw"]


def _cells(driver, column: int) -> list[str]:
    return driver.execute_script(
        f"return Array.from(document.querySelectorAll('table.data tbody tr'), r => r.cells[{column}].textContent)")


def test_tables_render_in_a_second_and_filter_and_sort_in_200_ms(browser, big_site):
    """Each kind of action is timed three times on different columns (none answered from a cache);
    the median must be under 200 ms, so one pause of a shared machine does not decide."""
    site, plan, _report = big_site
    _open(browser, site, "index.html")  # the browser's own start-up is not the page's first render
    times = {table: _open(browser, site, f"{table}.html") for table in ("roster", "readiness", "evidence")}
    _open(browser, site, "roster.html")
    assert browser.execute_script("return window.basketTableView.rows()") == VARIANTS
    assert len(_cells(browser, 0)) == 100  # one page of rows in the DOM
    facet = [_in_page(browser, "window.basketTableView.set('gene', 'OTC')")]
    otc = [item for item in plan.variants if item.gene == "OTC"]
    assert browser.execute_script("return window.basketTableView.rows()") == len(otc)
    assert set(_cells(browser, 1)) == {"OTC"}
    sort = [_in_page(browser, "window.basketTableView.sortBy('hgvs_c', true)")]
    assert _cells(browser, 2) == sorted((i.hgvs_c for i in otc), reverse=True)[:100]
    text = [_in_page(browser, "window.basketTableView.query('transversion')")]
    assert browser.execute_script("return window.basketTableView.rows()") == sum(
        1 for i in otc if "transversion" in (i.reason + i.change_class).lower())
    _in_page(browser, "window.basketTableView.set('gene', ''); window.basketTableView.query('')")
    facet += [_in_page(browser, f"window.basketTableView.set('{key}', '{value}')")
              for key, value in (("status", "submitted"), ("classification", "platform"))]
    sort += [_in_page(browser, f"window.basketTableView.sortBy('{key}')") for key in ("reason", "disease")]
    text += [_in_page(browser, f"window.basketTableView.query('{query}')") for query in ("c.1", "synonymous")]
    median = {name: sorted(values)[1] for name, values in (("facet", facet), ("sort", sort), ("text", text))}
    print(f"\n{VARIANTS:,} variants: first render {times} ms; facet {facet}, sort {sort}, text {text} ms")
    assert max(times.values()) < FIRST_RENDER_MS
    assert max(median.values()) < FILTER_MS, median
    assert console_errors(browser) == []


def test_a_link_opens_a_table_filtered(browser, big_site):
    site, _plan, report = big_site
    _open(browser, site, "readiness.html#gate=blocking")
    assert browser.execute_script("return window.basketTableView.rows()") == len(report.blocking) > 0
    assert set(_cells(browser, 11)) == {"blocking"}
    browser.find_element("css selector", "table.data th button").click()  # sort by variant; the URL keeps it
    assert browser.execute_script("return location.hash") == "#gate=blocking&sort=variant"


def test_search_finds_any_variant_in_a_second(browser, big_site):
    site, plan, _ = big_site
    wanted = plan.variants[4321].variant
    first_render = _open(browser, site, f"search.html?q={wanted}")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
    timing = browser.execute_script("return window.basketSearchView.timing()")
    again = [browser.execute_script(f"window.basketSearchView.search('{wanted}');"
                                    "return window.basketSearchView.timing().query") for _ in range(3)]
    first = browser.find_element("css selector", "#search-results li a")
    assert first.text == wanted and first.get_attribute("href").endswith(f"variants/{wanted}.html")
    print(f"\nsearch of {VARIANTS:,} variants: first render {first_render:.0f} ms, searchable after "
          f"{timing['searchable']:.0f} ms (index {timing['index']:.0f} ms), query {timing['query']:.0f} ms, "
          f"again {again} ms")
    assert first_render < FIRST_RENDER_MS and min(timing["query"], *again) < FILTER_MS
    assert console_errors(browser) == []


def test_pages_that_grow_with_the_program_render_in_a_second(browser, big_site):
    site, plan, _ = big_site
    times = {page: _open(browser, site, page) for page in
             ("index.html", "overview.html", "baskets/OMIM~237300.html", f"variants/{plan.variants[0].variant}.html")}
    print(f"\n{VARIANTS:,} variants: {times}")
    assert max(times.values()) < FIRST_RENDER_MS
    assert console_errors(browser) == []


def test_the_overview_lists_the_first_variants_and_links_the_roster_for_the_rest(browser, big_site):
    from basket.documents.site_overview import MAX_ROWS

    site, plan, _ = big_site
    _open(browser, site, "overview.html")
    links = browser.find_elements("css selector", "a[href^='roster.html#in_umbrella=']")
    assert [link.get_attribute("href").rsplit("#", 1)[1] for link in links] == [
        "in_umbrella=yes", "in_umbrella=no", "in_umbrella=yes"]  # roster inside, outside; appendices
    assert f"The first {MAX_ROWS} of {len(plan.outside):,} variants outside the umbrella" in links[1].find_element(
        "xpath", "..").text
    from urllib.parse import parse_qs

    from basket.documents.site_overview import MAX_LISTED

    schema = browser.find_elements("css selector", "a[href^='roster.html#disease=']")  # trial schema cells
    assert len(schema) >= 2
    for link in schema:
        facets = {key: value[0] for key, value in parse_qs(link.get_attribute("href").rsplit("#", 1)[1]).items()}
        members = sum(1 for item in plan.variants if item.disease_name == facets["disease"]
                      and ("yes" if item.in_umbrella else "no") == facets["in_umbrella"])
        assert link.text == f"{members - MAX_LISTED:,} more in the variant roster"
    links[1].click()  # the roster opens filtered to the variants outside the umbrella
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
    assert browser.current_url.endswith("roster.html#in_umbrella=no")
    assert browser.execute_script("return window.basketTableView.rows()") == len(plan.outside)
