"""The jinja environment: the user's template folder first, then the shipped templates.

Templates run in jinja's sandbox (user templates are untrusted input), with
StrictUndefined so a missing field fails loudly instead of rendering blank.
Every printed value is escaped for the template's output language:

- `*.html.j2` / `*.xml.j2`: jinja's HTML autoescape;
- every other template (the `*.md.j2` documents): Markdown escaping by
  `finalize` (see `basket.render.escape`); `| raw` prints trusted template
  text unescaped.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment

import basket
from basket.render.escape import escape_markdown, markdown_finalize, markdown_raw

HTML_EXTENSIONS = ("html", "htm", "xml", "html.j2", "xml.j2")


def shipped_templates() -> Path:
    """Templates inside the wheel (`basket/_templates`), or the repository's `templates/`."""
    packaged = Path(basket.__file__).parent / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(basket.__file__).parent.parent / "templates"


@jinja2.pass_eval_context
def _finalize(eval_ctx: EvalContext, value: object) -> object:
    if eval_ctx.autoescape:
        return value  # HTML: jinja escapes after finalize
    return markdown_finalize(value)


def make_environment(user_templates: Path | None = None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates())))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=HTML_EXTENSIONS, default_for_string=False),
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = markdown_cell
    env.filters["raw"] = markdown_raw
    return env


def markdown_cell(value: object) -> str:
    """A value safe inside a Markdown table cell (kept for templates written before escaping was automatic)."""
    return escape_markdown(value)
