"""What validation could not see, so that cross-reference checks do not call it unknown.

When some of a program is invalid, the rest is still cross-checked (one run reports every
problem). A reference to an item that was left out because one of its fields is invalid, or into a
section that could not be read at all (a file with a YAML error may define anything), is not
reported as unknown: the problem that left it out is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Unchecked:
    sections: frozenset[str] = frozenset()  # sections not wholly read or validated
    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)  # section -> ids of items left out

    def may_hold(self, section: str, key: str) -> bool:
        """Whether `key` may exist in `section` although validation did not keep it."""
        return section in self.sections or key in self.ids.get(section, frozenset())

    def touches(self, section: str) -> bool:
        """Whether anything of `section` was left out."""
        return section in self.sections or bool(self.ids.get(section))
