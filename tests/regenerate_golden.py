"""Regenerate every golden file: `make golden` (or `python -m tests.regenerate_golden`).

Each test area with goldens exposes `write_goldens()`; review the git diff afterwards.
"""

from __future__ import annotations

from pathlib import Path

from tests.reference.golden import write_goldens as write_window_goldens
from tests.render.golden import write_goldens as write_render_goldens
from tests.usdm.golden import write_goldens as write_usdm_goldens

ROOT = Path(__file__).resolve().parent.parent


def write_database_schema() -> list[Path]:
    """docs/database.md, the schema of `basket db`, generated from its table definitions."""
    from basket.documents.database_schema import schema_markdown

    path = ROOT / "docs" / "database.md"
    path.write_text(schema_markdown())
    return [path]


WRITERS = [("tests/render/golden", write_render_goldens), ("tests/usdm/golden", write_usdm_goldens),
           ("tests/reference/golden", write_window_goldens), ("docs/database.md", write_database_schema)]


def main() -> None:
    for where, write in WRITERS:
        written = write()
        print(f"{where}: {len(written)} file(s)")
        for path in written:
            print(f"  {path}")


if __name__ == "__main__":
    main()
