"""Regenerate every golden file: `make golden` (or `python -m tests.regenerate_golden`).

Each test area with goldens exposes `write_goldens()`; review the git diff afterwards.
"""

from __future__ import annotations

from tests.reference.golden import write_goldens as write_window_goldens
from tests.render.golden import write_goldens as write_render_goldens
from tests.usdm.golden import write_goldens as write_usdm_goldens

WRITERS = [("tests/render/golden", write_render_goldens), ("tests/usdm/golden", write_usdm_goldens),
           ("tests/reference/golden", write_window_goldens)]


def main() -> None:
    for where, write in WRITERS:
        written = write()
        print(f"{where}: {len(written)} file(s)")
        for path in written:
            print(f"  {path}")


if __name__ == "__main__":
    main()
