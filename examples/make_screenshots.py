"""Regenerate examples/viewer.png and examples/pdf-page.png from the example program.

    .venv/bin/python examples/make_screenshots.py

Needs chromium + chromedriver (viewer) and poppler-utils' pdftoppm (PDF page).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from basket.api import plan_program, program_graph, render_to  # noqa: E402
from basket.documents.graph_viewer import viewer_html  # noqa: E402
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
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(out / "appendices" / "CPS1-Q335X.pdf"), str(ROOT / "examples" / "pdf-page")], check=True)
    print("wrote examples/viewer.png and examples/pdf-page.png")


if __name__ == "__main__":
    main()
