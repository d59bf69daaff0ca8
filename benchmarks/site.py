"""Benchmark of the static site: `basket docs` time and peak memory, then each page opened in headless
Chromium from file://: its first render, and the time a table takes to filter and sort.

    python benchmarks/site.py                 # 10,000 variants
    python benchmarks/site.py --sizes 100000  # the large one (several minutes for `basket docs`)
    python benchmarks/site.py --site SITE     # only the browser figures of a site already written

First render is measured inside the page from navigation start: the first page of rows drawn and laid
out (tables), the search box ready (search), the load event (every other page). A filter or sort is
the table's own time to filter and draw the page of rows (`window.basketTableView.timing()`).
Baseline, measured in the same run: the readiness matrix as one HTML page (`basket readiness --format
html`, what the site showed before the tables were data files), opened the same way; skipped above
10,000 variants, where it takes minutes.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from synthetic import write_program

PAGES = ("index.html", "roster.html", "readiness.html", "evidence.html", "gaps.html", "search.html",
         "baskets/OMIM~237300.html", "variants/CPS1-S000000.html", "overview.html", "graph.html")
ACTIONS = (
    ("facet gene = OTC", "window.basketTableView.set('gene', 'OTC')"),
    ("sort by HGVS, descending", "window.basketTableView.sortBy('hgvs_c', true)"),
    ("text filter 'transversion'", "window.basketTableView.query('transversion')"),
    ("clear, sort every row by reason", ("window.basketTableView.set('gene', ''); window.basketTableView.query('');"
                                         "window.basketTableView.sortBy('reason')")),
    ("facet status = submitted", "window.basketTableView.set('status', 'submitted')"),
)
BASELINE_MAX = 10_000


def build(size: int, work: Path) -> tuple[Path, float, float]:
    """Write the synthetic program and its site; seconds and peak MiB of `basket docs`."""
    program = work / f"program-{size}"
    write_program(program, size)
    site = work / f"site-{size}"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "basket", "docs", str(program), "-o", str(site), "--no-pictures"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    return site, seconds, peak


def first_render(driver, url: str, timeout: float = 600) -> float:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && (!document.querySelector('#table-root, #search-box') ||"
        " document.documentElement.dataset.ready === 'true') && (!window.basketViewer || window.basketViewer.ready)"))
    return driver.execute_script(
        "if (window.basketTableView) return window.basketTableView.firstRender();"
        "if (window.basketSearchView) return window.basketSearchView.timing().firstRender;"
        "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd;")


def pages(site: Path) -> list[str]:
    """PAGES, and the first appendix and evidence page of the site (one of each kind: the others are
    the same template)."""
    samples = [min(p.relative_to(site).as_posix() for p in (site / folder).glob("*.html"))
               for folder in ("appendices", "evidence") if any((site / folder).glob("*.html"))]
    return [*PAGES, *samples]


def measure(size: int, site: Path, driver) -> dict[str, float]:
    figures: dict[str, float] = {}
    for page in pages(site):
        figures[f"first render {page}"] = first_render(driver, site.resolve().as_uri() + "/" + page)
        if page == "search.html":
            driver.execute_script("window.basketSearchView.search('CPS1-S000123')")
            timing = driver.execute_script("return window.basketSearchView.timing()")
            figures["search: index built (from navigation start)"] = timing["searchable"]
            figures["search: query 'CPS1-S000123'"] = timing["query"]
        if page == "roster.html":
            for label, action in ACTIONS:
                driver.execute_script(action)
                timing = driver.execute_script("return window.basketTableView.timing()")
                figures[f"roster: {label}"] = timing["filter"] + timing["draw"]
    return figures


def baseline(size: int, work: Path, driver) -> float | None:
    if size > BASELINE_MAX:
        return None
    page = work / f"readiness-{size}.html"
    with page.open("wb") as out:
        subprocess.run([sys.executable, "-m", "basket", "readiness", str(work / f"program-{size}"), "--format", "html"],
                       stdout=out, stderr=subprocess.DEVNULL, check=False)  # exit 1 when a variant is not ready
    return first_render(driver, page.resolve().as_uri())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated variant counts")
    parser.add_argument("--site", type=Path, help="measure this site (written by basket docs of a synthetic "
                        "program) in the browser, without building one")
    args = parser.parse_args()
    from tests.site.browser import chromium

    if args.site:
        with chromium() as driver:
            for name, ms in measure(0, args.site, driver).items():
                print(f"  {name:<48} {ms:>9,.0f} ms")
        return
    with tempfile.TemporaryDirectory(prefix="basket-site-bench-") as tmp, chromium() as driver:
        work = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            site, seconds, peak = build(size, work)
            files = sum(1 for p in site.rglob("*") if p.is_file())
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())  # a shared machine's figures depend on it
            print(f"\n{size:,} variants: basket docs {seconds:.1f} s, peak {peak:,.0f} MiB, {files:,} files "
                  f"(load average {load})")
            figures = measure(size, site, driver)
            old = baseline(size, work, driver)
            for name, ms in figures.items():
                ratio = f"  ({ms / old:.3f}x the one-page matrix)" if old and name.startswith("first render") else ""
                print(f"  {name:<48} {ms:>9,.0f} ms{ratio}")
            if old is not None:
                print(f"  {'baseline: readiness matrix as one HTML page':<48} {old:>9,.0f} ms")


if __name__ == "__main__":
    main()
