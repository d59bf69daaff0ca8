"""Running a user's templates (`--templates DIR`): bounded in everything they can make.

A user template is untrusted input. jinja's immutable sandbox keeps it from Python's internals and
from changing lists; this module adds the bounds the sandbox lacks, each failure a `TemplateLimit`
(a jinja `SecurityError`, reported as `template:line`, exit 2):

- reading: only regular files inside the templates folder (a symbolic link out of it, a named pipe
  or a file over MAX_TEMPLATE_BYTES is refused), and no character that is not text;
- text: no string, list or mapping longer than MAX_TEXT; widths, indents, tab sizes and field widths
  of formatting at most MAX_WIDTH; `*`, `replace`, `join`, `indent`, `wordwrap`, `expandtabs` and
  formatting checked before they build their result, every other call, filter and operator after;
- integers: at most MAX_INTEGER_BITS bits (`*` and `**` checked before computing);
- output: at most `TemplateBounds.output` characters per document (what it prints, and what it
  captures in macros and `{% set %}` blocks);
- time: at most `TemplateBounds.seconds` per document (SIGALRM in the main thread; the sandbox's
  hooks and `range` check the clock too); recursion ends in Python's RecursionError, reported like
  any other failure.
`lipsum` and the `random` filter are left out: a document is the same bytes every time.
"""

from __future__ import annotations

import collections.abc
import functools
import hashlib
import os
import re
import signal
import stat
import string
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from basket.foundation.characters import forbidden_character

MAX_TEMPLATE_BYTES = 1 << 20
MAX_TEXT = 10_000_000  # characters of a string, items of a list
MAX_WIDTH = 10_000  # a field width, an indent, a tab size, a precision
MAX_JSON_INDENT = 16
MAX_INTEGER_BITS = 4_096  # about 1,233 decimal digits
MAX_EXPONENT = 10_000
MAX_SECONDS = 60.0  # wall time per document


class TemplateLimit(SecurityError):
    """A user template went past one of the bounds above."""


@dataclass(frozen=True)
class TemplateBounds:
    """Per document: characters of output, seconds of wall time (MAX_SECONDS when not given)."""

    output: int = 64 << 20
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if not self.seconds:
            object.__setattr__(self, "seconds", MAX_SECONDS)


class ConfinedLoader(jinja2.FileSystemLoader):
    """The user's folder: templates are regular files inside it, however they are named or linked."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.root = Path(os.path.realpath(folder))
        self.read: dict[str, str] = {}  # template name -> sha256 of the file, for the render's manifest

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = Path(self.searchpath[0]).joinpath(*jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)  # the shipped templates are tried next
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.root):
            raise TemplateLimit(f"template {template!r} is a symbolic link to {real}, outside the templates folder; "
                                "templates may read only files inside it")
        try:
            info = real.stat()
        except OSError as error:
            raise TemplateLimit(f"template {template!r} cannot be read: {error.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise TemplateLimit(f"template {template!r} is not a regular file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateLimit(f"template {template!r} is larger than {MAX_TEMPLATE_BYTES:,} bytes")
        source, filename, uptodate = super().get_source(environment, template)
        _refuse_characters(source, filename)
        self.read[template] = hashlib.sha256(source.encode("utf-8")).hexdigest()
        return source, filename, uptodate


def _refuse_characters(source: str, filename: str) -> None:
    found = forbidden_character(source)
    if found is not None:
        line = next(number for number, text in enumerate(source.split("\n"), 1) if forbidden_character(text))
        raise jinja2.TemplateSyntaxError(f"the template holds {found}, which is not text", line, filename=filename)


class _BoundedCodeGenerator(CodeGenerator):
    """Two things compiled templates do without calling any hook: `a ~ b` joins strings (its result
    is now checked like an operator's), and macros, `{% set %}` and `{% call %}` blocks collect
    their output in a list (now one that counts what it holds)."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Any) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")

    def buffer(self, frame: Any) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")


class _OutputBuffer(list):
    """A block's collected output, refusing to grow past the document's bound."""

    def __init__(self, environment: BoundedSandbox):
        super().__init__()
        self.environment = environment
        self.length = 0

    def append(self, piece: Any) -> None:
        self._count(len(piece) if isinstance(piece, str) else 0)
        super().append(piece)

    def extend(self, pieces: Any) -> None:
        pieces = list(pieces)
        self._count(sum(len(piece) for piece in pieces if isinstance(piece, str)))
        super().extend(pieces)

    def _count(self, added: int) -> None:
        self.length += added
        if self.length > self.environment.bounds.output:
            raise TemplateLimit(f"the document is longer than {self.environment.bounds.output:,} characters")
        self.environment.check_time()


class BoundedTemplate(jinja2.Template):
    """A template whose rendering keeps to its environment's `TemplateBounds`."""

    environment: BoundedSandbox

    def render(self, *args: Any, **kwargs: Any) -> str:
        return "".join(self.generate(*args, **kwargs))

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        pieces = super().generate(*args, **kwargs)
        written = 0
        while True:
            with self.environment.clock():  # the clock runs while the template works, not while its pieces are written
                piece = next(pieces, None)
            if piece is None:
                return
            written += len(piece)
            if written > self.environment.bounds.output:
                error = TemplateLimit(f"the document is longer than {self.environment.bounds.output:,} characters")
                error.filename, error.lineno = self.filename, self._line_of(pieces)  # type: ignore[attr-defined]
                raise error
            yield piece

    def _line_of(self, pieces: Any) -> int | None:
        """The template line a suspended rendering is at (its innermost generator's frame)."""
        while getattr(pieces, "gi_yieldfrom", None) is not None:
            pieces = pieces.gi_yieldfrom
        frame = getattr(pieces, "gi_frame", None)
        if frame is None or not frame.f_code.co_filename.endswith(".j2"):
            return None
        return self.get_corresponding_lineno(frame.f_lineno)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """jinja's immutable sandbox with the bounds of this module."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    template_class = BoundedTemplate
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, *args: Any, bounds: TemplateBounds = TemplateBounds(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.bounds = bounds
        self.deadline: float | None = None
        self.globals.pop("lipsum", None)
        self.globals["range"] = _timed_range(self)
        self.filters.pop("random", None)
        self.filters = {name: _bounded_filter(self, name, function) for name, function in self.filters.items()}

    # --- the clock -------------------------------------------------------------------------------

    @contextmanager
    def clock(self) -> Iterator[None]:
        """Count this block against the document's time (nested blocks share the outer deadline)."""
        if self.deadline is not None:
            yield
            return
        started = time.monotonic()
        self.deadline = started + self.bounds.seconds
        try:
            with _alarm(self.bounds.seconds):
                yield
        finally:
            self.deadline = None

    @staticmethod
    def checked(value: Any) -> Any:
        return checked(value)

    def output_buffer(self) -> list:
        return _OutputBuffer(self)

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TemplateLimit(f"the template ran longer than {self.bounds.seconds:g} seconds")

    # --- the sandbox's hooks -------------------------------------------------------------------

    def concat(self, pieces: Any) -> str:  # type: ignore[override]
        """Join a document, a macro's output or a captured block, counting as it goes."""
        collected, length = [], 0
        for piece in pieces:
            length += len(piece)
            if length > self.bounds.output:
                raise TemplateLimit(f"the document is longer than {self.bounds.output:,} characters")
            collected.append(piece)
        return "".join(collected)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left, right)
        return checked(super().call_binop(context, operator, left, right))

    def call(self, context: jinja2.runtime.Context, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.check_time()
        _check_method(function, args, kwargs)
        return checked(super().call(context, function, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_time()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None

        @functools.wraps(wrapper)
        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_brace_format(value.__self__, args, kwargs)
            return checked(wrapper(*args, **kwargs))

        return bounded

    def compile(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Syntax the parser cannot take (a number of 5,000 digits, 10,000 nested brackets) is a
        syntax error of the template, not a crash."""
        try:
            return super().compile(*args, **kwargs)
        except (ValueError, OverflowError, RecursionError, MemoryError) as error:
            name = kwargs.get("name") or (args[1] if len(args) > 1 else None)
            filename = kwargs.get("filename") or (args[2] if len(args) > 2 else None)
            raise jinja2.TemplateSyntaxError(f"the template cannot be compiled: {type(error).__name__}: "
                                             f"{str(error)[:200]}", 1, name, filename) from None


# --- the checks ------------------------------------------------------------------------------------


def checked(value: Any) -> Any:
    """`value`, after checking that it is not longer, or an integer not larger, than a template may make."""
    if isinstance(value, str | bytes | list | tuple | dict | set):
        if len(value) > MAX_TEXT:
            raise TemplateLimit(f"a value of {len(value):,} characters or items; templates may make at most "
                                f"{MAX_TEXT:,}")
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INTEGER_BITS:
        raise TemplateLimit(f"an integer of {value.bit_length():,} bits; templates may make at most {MAX_INTEGER_BITS:,}")
    return value


def _check_repeat(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool) and not isinstance(right, bool):
        if left.bit_length() + right.bit_length() > MAX_INTEGER_BITS:
            raise TemplateLimit(f"a product of more than {MAX_INTEGER_BITS:,} bits")
        return
    sized, count = (left, right) if isinstance(right, int) else (right, left)
    if isinstance(sized, str | bytes | list | tuple) and isinstance(count, int) and len(sized) * count > MAX_TEXT:
        raise TemplateLimit(f"repetition would build more than {MAX_TEXT:,} characters or items")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(exponent, int) and abs(exponent) > MAX_EXPONENT:
        raise TemplateLimit(f"exponent {exponent} is larger than {MAX_EXPONENT:,}")
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0 \
            and base.bit_length() * exponent > MAX_INTEGER_BITS:
        raise TemplateLimit(f"a power of more than {MAX_INTEGER_BITS:,} bits")


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent_format(text: str, arguments: Any) -> None:
    """`'%9999999d' % x`, `'%*d' % (10**9, x)`: widths and precisions within MAX_WIDTH."""
    starred = False
    for width, precision in _PERCENT_FIELD.findall(text):
        for number in (width, precision):
            starred = starred or number == "*"
            if number.isdigit() and int(number) > MAX_WIDTH:
                raise TemplateLimit(f"a format width or precision of {number} (at most {MAX_WIDTH:,})")
    if starred:
        values = arguments if isinstance(arguments, tuple) else (arguments,)
        _check_widths(values)


def _check_brace_format(text: str, args: tuple, kwargs: dict) -> None:
    """`'{:>999999999}'.format(x)`, `'{:{w}}'.format(x, w=10**9)`: the same bound for str.format."""
    nested = False
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format reports the error itself
    for _, _, spec, _ in fields:
        if not spec:
            continue
        nested = nested or "{" in spec
        for number in re.findall(r"\d+", spec):
            if int(number) > MAX_WIDTH:
                raise TemplateLimit(f"a format width or precision of {number} (at most {MAX_WIDTH:,})")
    if nested:
        _check_widths(list(args) + list(kwargs.values()))


def _check_widths(values: Any) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
            raise TemplateLimit(f"a width of {value} (at most {MAX_WIDTH:,})")


def _grown_size(text: str | bytes, old: Any, new: Any, count: Any = -1) -> int:
    occurrences = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        occurrences = min(occurrences, count)
    return len(text) + occurrences * max(len(new) - len(old), 0)


def _check_method(function: Any, args: tuple, kwargs: dict) -> None:
    """Methods of text whose result can be far larger than their arguments, checked beforehand."""
    owner = getattr(function, "__self__", None)
    if not isinstance(owner, str | bytes):
        return
    name = getattr(function, "__name__", "")
    if name in ("center", "ljust", "rjust", "zfill"):
        _check_widths(args[:1] + tuple(kwargs.values()))
    elif name == "expandtabs":
        size = (args[0] if args else kwargs.get("tabsize", 8))
        _check_widths([size])
        if isinstance(size, int) and len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * size > MAX_TEXT:
            raise TemplateLimit(f"expanding tabs would build more than {MAX_TEXT:,} characters")
    elif name == "replace" and len(args) >= 2:
        if _grown_size(owner, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count", -1)) > MAX_TEXT:
            raise TemplateLimit(f"the replacement would build more than {MAX_TEXT:,} characters")
    elif name == "join" and args and isinstance(args[0], collections.abc.Sized):
        items = args[0]
        if len(owner) * max(len(items) - 1, 0) > MAX_TEXT:
            raise TemplateLimit(f"joining would build more than {MAX_TEXT:,} characters")


def _bounded_filter(environment: BoundedSandbox, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A builtin or user filter with the checks above, before and after."""
    before = _FILTER_CHECKS.get(name)

    @functools.wraps(function)  # keeps jinja's pass_context / pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        environment.check_time()
        if before is not None:
            before(_filter_arguments(function, args), kwargs)
        return checked(function(*args, **kwargs))

    return bounded


def _filter_arguments(function: Callable[..., Any], args: tuple) -> tuple:
    """The filter's own arguments: jinja passes the context or environment first to some filters."""
    passes = getattr(function, "jinja_pass_arg", None)
    return args[1:] if passes is not None else args


def _filter_indent(args: tuple, kwargs: dict) -> None:
    text = args[0] if args else ""
    width = kwargs.get("width", args[1] if len(args) > 1 else 4)
    pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    if isinstance(width, int):
        _check_widths([width])
    if isinstance(text, str) and len(text) + pad * (text.count("\n") + 1) > MAX_TEXT:
        raise TemplateLimit(f"indenting would build more than {MAX_TEXT:,} characters")


def _filter_wordwrap(args: tuple, kwargs: dict) -> None:
    text = args[0] if args else ""
    width = kwargs.get("width", args[1] if len(args) > 1 else 79)
    wrap = kwargs.get("wrapstring", args[3] if len(args) > 3 else None) or "\n"
    if isinstance(text, str) and isinstance(width, int) and isinstance(wrap, str):
        lines = len(text) // max(width, 1) + text.count("\n") + 1
        if len(text) + lines * len(wrap) > MAX_TEXT:
            raise TemplateLimit(f"wrapping would build more than {MAX_TEXT:,} characters")


def _filter_replace(args: tuple, kwargs: dict) -> None:
    if len(args) >= 3 and isinstance(args[0], str) and isinstance(args[1], str) and isinstance(args[2], str):
        count = args[3] if len(args) > 3 else kwargs.get("count")
        if _grown_size(args[0], args[1], args[2], -1 if count is None else count) > MAX_TEXT:
            raise TemplateLimit(f"the replacement would build more than {MAX_TEXT:,} characters")


def _filter_join(args: tuple, kwargs: dict) -> None:
    items, separator = (args + ("", ""))[:2]
    separator = kwargs.get("d", separator)
    if isinstance(items, collections.abc.Sized) and isinstance(separator, str) \
            and len(separator) * max(len(items) - 1, 0) > MAX_TEXT:
        raise TemplateLimit(f"joining would build more than {MAX_TEXT:,} characters")


def _filter_format(args: tuple, kwargs: dict) -> None:
    if args and isinstance(args[0], str):
        _check_percent_format(args[0], tuple(args[1:]) or kwargs)


def _filter_widths(position: int, keyword: str, limit: int = MAX_WIDTH) -> Callable[[tuple, dict], None]:
    def check(args: tuple, kwargs: dict) -> None:
        value = kwargs.get(keyword, args[position] if len(args) > position else None)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > limit:
            raise TemplateLimit(f"{keyword} {value} is larger than {limit:,}")
    return check


_FILTER_CHECKS: dict[str, Callable[[tuple, dict], None]] = {
    "center": _filter_widths(1, "width"),
    "indent": _filter_indent,
    "wordwrap": _filter_wordwrap,
    "replace": _filter_replace,
    "join": _filter_join,
    "format": _filter_format,
    "batch": _filter_widths(1, "linecount"),
    "slice": _filter_widths(1, "slices"),
    "tojson": _filter_widths(1, "indent", MAX_JSON_INDENT),
    "truncate": _filter_widths(1, "length", MAX_TEXT),
}


def _timed_range(environment: BoundedSandbox) -> Callable[..., collections.abc.Sequence]:
    """jinja's bounded range, whose loops also watch the clock (a loop calls no other hook)."""

    class TimedRange(collections.abc.Sequence):
        def __init__(self, *args: int):
            self.numbers = safe_range(*args)

        def __len__(self) -> int:
            return len(self.numbers)

        def __getitem__(self, index: Any) -> Any:
            return self.numbers[index]

        def __iter__(self) -> Iterator[int]:
            for index, number in enumerate(self.numbers):
                if index % 1024 == 0:
                    environment.check_time()
                yield number

    return TimedRange


# --- the alarm -------------------------------------------------------------------------------------


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise TemplateLimit in the running template after `seconds` (main thread only: Python runs
    signal handlers there; elsewhere the hooks' clock checks are the bound)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise TemplateLimit(f"the template ran longer than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
