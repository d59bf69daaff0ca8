"""`Document`: one logical document (the master overview or an appendix) between its context and its formats.

Made by `basket.documents.rendering`, turned into bytes by `basket.documents.output_formats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One logical document (overview or an appendix) before formatting."""

    stem: str  # output path without extension, e.g. "appendices/CPS1-Q335X"
    kind: str  # "overview" or "appendix"
    context: dict
    gaps: list[str]
    assets: dict[str, bytes] = field(default_factory=dict)  # files the document shows (trial schema picture)
    markdown: str = ""  # the rendered Markdown, source of every format (see `markdown_document`)

    @property
    def title(self) -> str:
        if self.kind == "appendix":
            variant = self.context["variant"]
            return f"Appendix {variant['id']}: {self.context['gene']['symbol']} {variant['hgvs_c']}"
        return str(self.context["umbrella"]["title"])
