"""Problems found in user input, reported as `file:line: field.path: message`.

Every stage that reads user files collects *all* problems before failing, so a
user fixes a broken program in one pass (the habit mkdocs and dbt converged on).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:" if self.line else f"{self.file}:"
        field = f" {self.field}:" if self.field else ""
        # one problem, one line: keys and messages quoting user text may hold line breaks
        return " ".join(f"{where}{field} {self.message}".splitlines())


class InputError(Exception):
    """The input cannot be used; the CLI prints every problem and exits with 2."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class NothingSelected(Exception):
    """A selector (`--select`, `--exclude`) ran and matched nothing (exit 1);
    `messages` says which, with suggestions. Here rather than beside the selectors
    (`basket.graph.selection`) so that every command can report it without importing the graph."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


class SelectionWarning(UserWarning):
    """Something a user should hear about that does not stop the command (an empty `--exclude`);
    the CLI prints it as `warning: message`."""


def format_path(path: Iterable[object]) -> str:
    """Render a location tuple such as ("variants", 2, "gene") as `variants[2].gene`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _PLAIN_KEY.match(str(part)):
            text += f"[{str(part)!r}]"  # blank, spaced or control-character keys stay visible
        else:
            text += f".{part}" if text else str(part)
    return text


_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_\-]+$")
