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
    gap_levels: dict[str, str] = field(default_factory=dict)  # gap -> how much it matters (GAP_LEVELS)

    def gap_entries(self) -> list[tuple[str, str, str]]:
        """(document, gap, level) for completeness.md."""
        from basket.documents.document_context import PROTOCOL_CONTENT

        return [(self.stem, what, self.gap_levels.get(what, PROTOCOL_CONTENT)) for what in self.gaps]

    @property
    def title(self) -> str:
        if self.kind == "appendix":
            variant = self.context["variant"]
            return f"Appendix {variant['id']}: {self.context['gene']['symbol']} {variant['hgvs_c']}"
        return str(self.context["umbrella"]["title"])
