"""The jinja environments: the user's template folder first, then the shipped templates.

Two environments over the same search path, one per output language, because
every printed value is escaped for the language it lands in:

- `Templates.markdown` (the `*.md.j2` documents): Markdown escaping by `finalize`
  (see `basket.documents.markdown_escape`); `| raw` prints trusted template text unescaped;
- `Templates.html` (`*.html.j2`, `*.xml.j2`): jinja's HTML autoescape.

StrictUndefined makes a missing field fail loudly instead of rendering blank.
The shipped templates are ours and run in plain environments; as soon as a user's
template folder is given, every template runs in a bounded sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

import basket
from basket.documents.markdown_escape import ESCAPED, MarkdownSafe, escape_markdown, markdown_raw
from basket.foundation.problems import Problem


def shipped_templates() -> Path:
    """Templates inside the wheel (`basket/_templates`), or the repository's `templates/`."""
    packaged = Path(basket.__file__).parent / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(basket.__file__).parent.parent / "templates"


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


@dataclass(frozen=True)
class Templates:
    markdown: jinja2.Environment
    html: jinja2.Environment


def make_templates(user_templates: Path | None = None) -> Templates:
    return Templates(markdown=_environment(user_templates, "markdown"), html=_environment(user_templates, "html"))


def _environment(user_templates: Path | None, language: str) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates())))
    environment_class = jinja2.Environment if user_templates is None else BoundedSandbox
    env = environment_class(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=language == "html",
        finalize=_markdown_finalize(user_templates is not None) if language == "markdown" else None,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = markdown_cell
    env.filters["raw"] = markdown_raw
    return env


def _markdown_finalize(user_templates: bool):
    # the shipped templates print only hashable values, so they get the bare dict lookup (the hot
    # path: it runs for every value every template prints); a user template may print a list
    return escape_markdown if user_templates else ESCAPED.__getitem__


def render_chunks(template: jinja2.Template, context: dict, size: int = 1 << 20) -> Iterator[bytes]:
    """The template's UTF-8 output in pieces of about `size` bytes, as jinja streams it: a page of a
    few hundred MB (readiness of 100,000 variants) never exists whole in memory."""
    piece = bytearray()
    for fragment in template.generate(**context):
        piece += fragment.encode("utf-8")
        if len(piece) >= size:
            yield bytes(piece)
            piece.clear()
    yield bytes(piece)


def markdown_cell(value: object) -> MarkdownSafe:
    """A value safe inside a Markdown table cell (kept for templates written before escaping was automatic)."""
    return MarkdownSafe(escape_markdown(value))


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
