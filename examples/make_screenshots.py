"""Regenerate the pictures in examples/ from the example program:

    viewer.png           the interactive graph viewer
    overview-roster.png  the master protocol's PDF page with the variant roster (section 4.1.2)
    q335x-dosing.png     the Q335X appendix's PDF page with its dose and dosing rules (section 6)

    .venv/bin/python examples/make_screenshots.py

Needs chromium + chromedriver (viewer) and poppler-utils' pdftoppm (PDF pages).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from basket.api import plan_program, render_to  # noqa: E402
from basket.documents.graph_viewer import viewer_html  # noqa: E402
from basket.graph.build import program_graph  # noqa: E402
from tests.site.browser import chromium, open_page  # noqa: E402

EXAMPLE = ROOT / "configs" / "ucd-umbrella"


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        temp_dir = Path(temp)
        loaded, plan = plan_program(EXAMPLE)
        page = temp_dir / "graph.html"
        page.write_bytes(viewer_html(program_graph(loaded, plan), title="LNP.UCD.ABE umbrella (example) — program graph",
                                     focus="variant:CPS1-Q335X"))
        with chromium(1400, 850) as driver:
            open_page(driver, page)
            driver.execute_script("window.basketViewer.cy.$('node').filter(n => n.data('kind') === 'platform')"
                                  ".emit('tap')")
            driver.save_screenshot(str(ROOT / "examples" / "viewer.png"))
        out = temp_dir / "out"
        render_to(EXAMPLE, out, ["pdf"])
        for pdf, anchor, name in ((out / "overview.pdf", "412-variant-roster", "overview-roster"),
                                  (out / "appendices" / "CPS1-Q335X.pdf", "6-dose-and-dosing-rules", "q335x-dosing")):
            page = str(page_of(pdf, anchor))
            subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", page, "-l", page, "-singlefile", str(pdf),
                            str(ROOT / "examples" / name)], check=True)
    print("wrote examples/viewer.png, examples/overview-roster.png and examples/q335x-dosing.png")


def page_of(pdf: Path, anchor: str) -> int:
    """The 1-based page of a heading, from the PDF's named destination (the heading's anchor)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return reader.get_destination_page_number(reader.named_destinations[anchor]) + 1


if __name__ == "__main__":
    main()
