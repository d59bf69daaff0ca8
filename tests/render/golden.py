"""Golden files: the fixture program rendered to Markdown and HTML, compared byte for byte.

Regenerate after an intended change with `make golden` (`python -m tests.regenerate_golden`)
and review the diff: it shows what changed for the reader.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "mini"
GOLDEN = HERE / "golden"
GOLDEN_FORMATS = ("md", "html")


def golden_outputs() -> dict[str, bytes]:
    """What the goldens hold: Markdown and HTML of the fixture, without Graphviz pictures
    (their bytes depend on the Graphviz version; tests/render checks them separately)."""
    from basket.api import plan_program
    from basket.documents.rendering import RenderOptions, render_documents

    loaded, plan = plan_program(FIXTURE)
    result = render_documents(loaded, plan, RenderOptions(GOLDEN_FORMATS, pictures=False))
    return {path: data for path, data in result.outputs.items() if path.endswith((".md", ".html"))}


def write_goldens() -> list[str]:
    import shutil

    outputs = golden_outputs()
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for path, data in outputs.items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return sorted(outputs)
