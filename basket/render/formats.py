"""Output formats: each turns a Document into bytes using the shared templates."""

from __future__ import annotations

from typing import Callable

from jinja2.sandbox import SandboxedEnvironment

from basket.render import Document

Formatter = Callable[[SandboxedEnvironment, Document], bytes]


def markdown(env: SandboxedEnvironment, doc: Document) -> bytes:
    return env.get_template(f"{doc.kind}.md.j2").render(**doc.context).encode("utf-8")


FORMATTERS: dict[str, Formatter] = {"md": markdown}
