"""The jinja environment: the user's template folder first, then the shipped templates.

Templates run in jinja's sandbox (user templates are untrusted input), with
StrictUndefined so a missing field fails loudly instead of rendering blank.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

import basket


def shipped_templates() -> Path:
    """Templates inside the wheel (`basket/_templates`), or the repository's `templates/`."""
    packaged = Path(basket.__file__).parent / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(basket.__file__).parent.parent / "templates"


def make_environment(user_templates: Path | None = None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates())))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = markdown_cell
    return env


def markdown_cell(value: object) -> str:
    """A value safe inside a Markdown table cell: pipes escaped, line breaks flattened."""
    text = str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
