"""Making usdm4 objects with stable ids.

USDM wants a unique id on every object, codes included (rule DDF00083) and no spaces in ids
(DDF00260). Ids here are the class name and the program ids that place the object
(`StudyDesign_CPS1-Q335X`, `Objective_CPS1-Q335X_1`), so the same program gives the same ids and an
object keeps its id between two versions of a program; `basket diff` relies on that.
"""

from __future__ import annotations

import html
import re
from typing import Any

from usdm4.api.alias_code import AliasCode
from usdm4.api.code import Code
from usdm4.api.comment_annotation import CommentAnnotation

from basket.usdm.terminology import Term, term

_SPACE = re.compile(r"\s+")


class Objects:
    """Creates usdm4 objects, each with an id derived from its place in the program."""

    def __init__(self) -> None:
        self._ids: set[str] = set()

    def id(self, klass: str, *parts: object) -> str:
        identifier = "_".join([klass, *(str(p) for p in parts)])
        if _SPACE.search(identifier):
            raise ValueError(f"USDM ids hold no whitespace: {identifier!r}")  # program ids never do
        if identifier in self._ids:
            raise ValueError(f"id {identifier!r} made twice")
        self._ids.add(identifier)
        return identifier

    def make(self, model: type, klass_id: str, **fields: Any):
        """A usdm4 object with the given id (from `id`)."""
        return model(id=klass_id, instanceType=model.__name__, **fields)

    def code(self, owner: str, attribute: str, concept: str | Term) -> Code:
        found = concept if isinstance(concept, Term) else term(concept)
        return Code(id=self.id("Code", owner, attribute), code=found.code, codeSystem=found.system,
                    codeSystemVersion=found.version, decode=found.decode, instanceType="Code")

    def alias(self, owner: str, attribute: str, concept: str | Term) -> AliasCode:
        return AliasCode(id=self.id("AliasCode", owner, attribute),
                         standardCode=self.code(owner, attribute, concept), instanceType="AliasCode")

    def source_notes(self, owner: str, *sources: str | None) -> list[CommentAnnotation]:
        """Where a value comes from, as the note USDM attaches to most objects."""
        return [CommentAnnotation(id=self.id("CommentAnnotation", owner, index), text=f"Source: {source}",
                                  instanceType="CommentAnnotation")
                for index, source in enumerate(dict.fromkeys(s for s in sources if s), start=1)]


def key_of(name: str) -> str:
    """A name as an id part ("Week 4" -> "Week-4"), so an object named in the program keeps its id
    when objects are inserted before it."""
    return _SPACE.sub("-", name.strip())


def xhtml(text: str) -> str:
    """Plain program text as the USDM-XHTML fragment USDM expects in narrative fields (DDF00187, DDF00247)."""
    return html.escape(text, quote=False)
