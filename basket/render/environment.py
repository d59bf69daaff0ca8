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
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

import basket
from basket.problems import Problem
from basket.render.escape import SHORT_TEXT, escape_markdown, escape_short, markdown_finalize, markdown_raw

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
    if type(value) is str and len(value) <= SHORT_TEXT:  # the hot path, inlined: every printed value
        return escape_short(value)
    return markdown_finalize(value)


MAX_REPEAT = 1_000_000  # longest string or list a template may build with `*`
MAX_EXPONENT = 10_000


class BoundedSandbox(SandboxedEnvironment):
    """jinja's sandbox, plus bounds on `*` and `**`: a template cannot exhaust memory or CPU
    with `'a' * 10**9` (the stock sandbox only bounds `range`)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: object, right: object) -> object:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            sized, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and len(sized) * count > MAX_REPEAT:
                raise SecurityError(f"repetition would build more than {MAX_REPEAT:,} items")
        return super().call_binop(context, operator, left, right)


def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The shipped templates are ours and run in a plain environment; as soon as a user's
    template directory is given, every template runs in the bounded sandbox."""
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates())))
    environment_class = jinja2.Environment if user_templates is None else BoundedSandbox
    env = environment_class(
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


def template_problem(error: Exception) -> Problem:
    """A jinja error in a (user) template as `template:line: message`, for exit code 2.

    Syntax errors carry their line; runtime errors (an undefined field, a sandbox
    violation) are located by the innermost template frame of the traceback.
    """
    import traceback

    name = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    if line is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    kind = type(error).__name__
    return Problem(str(name or "template"), line or 0, "", f"template error ({kind}): {error}")
