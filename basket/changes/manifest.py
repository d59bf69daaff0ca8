"""manifest.json: the contract between `render` and `verify`/`diff` (as dbt's target/manifest.json).

Versioned, deterministic (sorted keys, no timestamps): the sha256 of every
input file and every output file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from basket import __version__

SCHEMA_VERSION = 1
MANIFEST_NAME = "manifest.json"


def build_manifest(inputs: dict[str, str], outputs: dict[str, str], meta: dict[str, Any]) -> bytes:
    """`inputs` and `outputs`: path -> sha256 (hex)."""
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"basket {__version__}",
        **meta,
        "inputs": dict(sorted(inputs.items())),
        "outputs": dict(sorted(outputs.items())),
    }
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
