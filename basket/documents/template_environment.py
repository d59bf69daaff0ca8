"""The jinja environments: the user's template folder first, then the shipped templates.

Two environments over the same search path, one per output language, because
every printed value is escaped for the language it lands in:

- `Templates.markdown` (the `*.md.j2` documents): Markdown escaping by `finalize`
  (see `basket.documents.markdown_escape`); `| raw` prints trusted template text unescaped;
- `Templates.html` (`*.html.j2`, `*.xml.j2`): jinja's HTML autoescape.

StrictUndefined makes a missing field fail loudly instead of rendering blank.
The shipped templates are ours and run in plain environments; as soon as a user's
template folder is given, every template runs in a bounded sandbox
(`basket.documents.template_sandbox`), with bounds on output per document scaled to
the program (`bounds_for`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

import basket
from basket.documents.document_context import ToBeProvided
from basket.documents.markdown_escape import ESCAPED, MarkdownSafe, escape_markdown, markdown_raw
from basket.documents.template_sandbox import BoundedSandbox, ConfinedLoader, TemplateBounds
from basket.foundation.characters import xml_safe
from basket.foundation.problems import Problem


def shipped_templates() -> Path:
    """Templates inside the wheel (`basket/_templates`), or the repository's `templates/`."""
    packaged = Path(basket.__file__).parent / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(basket.__file__).parent.parent / "templates"


@dataclass(frozen=True)
class Templates:
    markdown: jinja2.Environment
    html: jinja2.Environment

    def user_files_read(self) -> dict[str, str]:
        """The sha256 of every template read from the user's folder so far (name -> hex, sorted):
        what a render records in its manifest, so that it can be made again with the same templates."""
        read: dict[str, str] = {}
        for environment in (self.markdown, self.html):
            for loader in environment.loader.loaders:  # type: ignore[union-attr]  # always a ChoiceLoader
                if isinstance(loader, ConfinedLoader):
                    read.update(loader.read)
        return dict(sorted(read.items()))


def make_templates(user_templates: Path | None = None, bounds: TemplateBounds | None = None) -> Templates:
    bounds = bounds or TemplateBounds()
    return Templates(markdown=_environment(user_templates, "markdown", bounds),
                     html=_environment(user_templates, "html", bounds))


def bounds_for(program: Any) -> TemplateBounds:
    """What a user template may print per document: 32 MiB, plus 4 KiB for every variant, patient,
    evidence item and disease (the shipped overview of a 100,000-variant program is about 30 MB)."""
    items = len(program.variants) + len(program.patients) + len(program.evidence) + len(program.diseases)
    return TemplateBounds(output=(32 << 20) + 4096 * items)


def _environment(user_templates: Path | None, language: str, bounds: TemplateBounds) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(ConfinedLoader(user_templates))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates())))
    sandboxed = {"bounds": bounds} if user_templates is not None else {}
    environment_class = jinja2.Environment if user_templates is None else BoundedSandbox
    env = environment_class(
        **sandboxed,
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
    env.globals["open_items"] = open_items
    return env


def _markdown_finalize(user_templates: bool):
    # the shipped templates print only hashable values, so they get the bare dict lookup (the hot
    # path: it runs for every value every template prints); a user template may print a list
    return escape_markdown if user_templates else ESCAPED.__getitem__


def render_chunks(template: jinja2.Template, context: dict, size: int = 1 << 20) -> Iterator[bytes]:
    """The template's UTF-8 output in pieces of about `size` characters, as jinja streams it: a page
    of a few hundred MB (readiness of 100,000 variants) never exists whole in memory. Each piece
    holds only what XML can (`xml_safe`)."""
    fragments: list[str] = []
    length = 0
    for fragment in template.generate(**context):
        fragments.append(fragment)
        length += len(fragment)
        if length >= size:
            yield xml_safe("".join(fragments)).encode("utf-8")
            fragments.clear()
            length = 0
    yield xml_safe("".join(fragments)).encode("utf-8")


OPEN_ITEMS_LEAD = "Open items in this section (to be provided before submission):"


def open_items(*values: object) -> MarkdownSafe:
    """Template global: the "to be provided" markers among `values` (searched through dicts and
    lists) as one list, printed once at the end of a section instead of in its sentences; nothing
    when every value is given. `{{ open_items(population.age, population.inclusion) }}`."""
    found: dict[str, ToBeProvided] = {}
    for marker in _markers(values):
        found.setdefault(marker.what, marker)
    if not found:
        return MarkdownSafe("")
    items = "\n".join(f"- {escape_markdown(marker)}" for marker in found.values())
    return MarkdownSafe(f"\n{OPEN_ITEMS_LEAD}\n\n{items}\n")


def _markers(value: object) -> Iterator[ToBeProvided]:
    if isinstance(value, ToBeProvided):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _markers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _markers(item)


def markdown_cell(value: object) -> MarkdownSafe:
    """A value safe inside a Markdown table cell (kept for templates written before escaping was automatic)."""
    return MarkdownSafe(escape_markdown(value))


def raised_in_folder(error: BaseException, folder: Path) -> bool:
    """Whether a template of `folder` was running when `error` was raised (one of the frames of its
    traceback is a template file inside it)."""
    import traceback

    root = os.path.realpath(folder)
    return any(frame.filename.endswith(".j2") and os.path.realpath(frame.filename).startswith(root + os.sep)
               for frame in traceback.extract_tb(error.__traceback__))


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
