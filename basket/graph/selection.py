"""dbt-style node selection (`--select`, `--exclude`), implemented once on the program graph.

The grammar is dbt's (docs.getdbt.com, "Node selection syntax"), over our node kinds and attributes:

    selection := term (SPACE term)*          union; repeating --select is a union too
    term      := atom ("," atom)*            intersection: nodes every atom selects
    atom      := ["@" | [N] "+"] criterion ["+" [N]]
    criterion := [method ":"] pattern

* `method` is a node kind (`variant`, `patient`, `evidence`, `gene`, `disease`, `basket`, `component`,
  `platform`, `umbrella`, `natural_history`) matched against node keys, or an attribute (`status`,
  `classification`, `in_umbrella`). `gene:` and `disease:` are both: the gene (disease) node and
  every node whose gene (disease) it is, so `gene:OTC` is the gene and its variants. Without a known
  method, the pattern is matched against whole node ids and bare keys (`CPS1-Q335X`, `OMIM:237300`).
* `pattern` takes Unix wildcards as dbt does: `*`, `?`, `[abc]`, `[a-z]` (`variant:OTC-*`).
* `+` before (after) a criterion adds what it depends on (what it affects), walking the dependency
  view of `basket.graph.impact`; a number limits the depth (`2+variant:X`, `variant:X+1`). `@` adds
  everything downstream and everything those nodes depend on.
* `--exclude` takes the same grammar; its nodes are removed last.

Every term of `--select` must select something: one that matches nothing raises `NothingSelected`
(the CLI exits 1 and says which, with a did-you-mean), because a misspelt selector in a script would
otherwise print an empty table and succeed. A malformed selector, an unknown method or an unknown
status or classification is bad usage (`SelectorError`, exit 2). An `--exclude` term that matches
nothing only warns (`SelectionWarning`): excluding what is not there (yet) is not a mistake.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import re
import warnings
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from basket.foundation.garbage_collector import collector_paused
from basket.foundation.problems import InputError, NothingSelected, Problem, SelectionWarning
from basket.graph.build import program_graph
from basket.graph.impact import dependency_view
from basket.plan.umbrella_decision import CLASSIFICATIONS
from basket.program.model import EVIDENCE_STATUSES, PATIENT_STATUSES, VARIANT_STATUSES

if TYPE_CHECKING:
    from basket.plan.umbrella_decision import Plan
    from basket.program.load import LoadedProgram

NODE_KINDS = ("umbrella", "platform", "component", "disease", "basket", "gene", "natural_history", "variant",
              "patient", "evidence")
# attribute method -> the values it can take (a pattern without wildcards must be one of them)
ATTRIBUTE_VALUES: Mapping[str, tuple[str, ...]] = {
    "status": tuple(dict.fromkeys((*VARIANT_STATUSES, *PATIENT_STATUSES, *EVIDENCE_STATUSES))),
    "classification": CLASSIFICATIONS,
    "in_umbrella": ("yes", "no"),
}
KIND_AND_ATTRIBUTE = ("gene", "disease")  # methods that select a node and the nodes carrying it as attribute
METHODS = (*NODE_KINDS, *ATTRIBUTE_VALUES)
ALL = math.inf  # depth of a bare `+`
_BOOLEAN_WORDS = {"yes": "yes", "true": "yes", "no": "no", "false": "no"}
_ATOM = re.compile(r"^(?P<at>@)?(?:(?P<up>\d*)\+)?(?P<criterion>[^+@,\s]+?)(?:\+(?P<down>\d*))?$")
_WILDCARD = re.compile(r"[*?\[]")


class SelectorError(ValueError):
    """Selectors that cannot be read: bad syntax, an unknown method or value (bad usage, exit 2).

    `problems` pairs the option (`--select`, `--exclude`) with what is wrong, one per selector."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{option}: {message}" for option, message in problems))


@dataclass(frozen=True)
class Atom:
    """One criterion with its graph operators: `2+variant:X+1` is Atom(variant, X, up=2, down=1)."""

    method: str | None  # None: the pattern is matched against node ids and bare keys
    pattern: str
    up: float = 0  # depth upstream (what it depends on); ALL for a bare `+`
    down: float = 0  # depth downstream (what it affects)
    at: bool = False  # `@`: everything downstream of the match, and everything those nodes depend on


Term = tuple[Atom, ...]  # an intersection


class _Unreadable(ValueError):
    """What is wrong with one selector (collected into a SelectorError)."""


def parse_term(text: str) -> Term:
    """One space-free selector (`+variant:X,status:assessed`) as the atoms it intersects."""
    return tuple(_parse_atom(part, text) for part in text.split(","))


def _parse_atom(text: str, term: str) -> Atom:
    match = _ATOM.match(text)
    if match is None:
        raise _Unreadable(f"cannot read selector {term!r}: {_syntax_hint(text)}")
    if match["at"] and match["up"] is not None:
        raise _Unreadable(f"cannot read selector {term!r}: '@' and a leading '+' cannot be combined "
                          "('@' already includes everything upstream of what it selects)")
    method, pattern = _method_and_pattern(match["criterion"], term)
    return Atom(method, pattern, _depth(match["up"]), _depth(match["down"]), bool(match["at"]))


def _syntax_hint(text: str) -> str:
    if not text:
        return "an empty selector (two commas, or a comma at an end?)"
    return ("expected [@|N+]method:value[+N], e.g. variant:CPS1-Q335X, 2+variant:CPS1-Q335X, gene:OTC+1, "
            "status:assessed")


def _depth(digits: str | None) -> float:
    if digits is None:
        return 0
    return int(digits) if digits else ALL


def _method_and_pattern(criterion: str, term: str) -> tuple[str | None, str]:
    method, colon, pattern = criterion.partition(":")
    if not colon or method not in METHODS:
        if colon and _looks_like_method(method):
            close = difflib.get_close_matches(method, METHODS, n=1)
            hint = f"did you mean {close[0]}:? " if close else ""
            raise _Unreadable(f"unknown selector method {method!r} in {term!r}; {hint}methods: "
                              f"{', '.join(METHODS)}")
        return None, criterion
    if not pattern:
        raise _Unreadable(f"selector {term!r} gives no value after {method}:")
    return method, _checked_value(method, pattern, term)


def _looks_like_method(word: str) -> bool:
    """A lower-case word (`stauts`) is a misspelt method; `OMIM` in `OMIM:237300` is part of an id."""
    return word.islower() and word.replace("_", "").isalpha()


def _checked_value(method: str, pattern: str, term: str) -> str:
    """An attribute value without wildcards must be one the attribute can take (a typo is bad usage)."""
    known = ATTRIBUTE_VALUES.get(method)
    if known is None or _WILDCARD.search(pattern):
        return pattern
    if method == "in_umbrella":
        value = _BOOLEAN_WORDS.get(pattern.lower())
        if value is None:
            raise _Unreadable(f"in_umbrella takes yes or no (true or false), not {pattern!r} in {term!r}")
        return value
    if pattern not in known:
        close = difflib.get_close_matches(pattern, known, n=1)
        hint = f"did you mean {method}:{close[0]}? " if close else ""
        raise _Unreadable(f"unknown {method} {pattern!r} in {term!r}; {hint}values: {', '.join(known)}")
    return pattern


def parse_selection(selectors: Iterable[str], exclude: Iterable[str] = ()
                    ) -> tuple[list[tuple[str, Term]], list[tuple[str, Term]]]:
    """Every term of every `--select` and `--exclude` value, with its text; all errors at once."""
    parsed: dict[str, list[tuple[str, Term]]] = {"--select": [], "--exclude": []}
    problems: list[tuple[str, str]] = []
    for option, values in (("--select", selectors), ("--exclude", exclude)):
        for value in values:
            for text in value.split():
                try:
                    parsed[option].append((text, parse_term(text)))
                except _Unreadable as error:
                    problems.append((option, str(error)))
    if problems:
        raise SelectorError(problems)
    return parsed["--select"], parsed["--exclude"]


def select(graph: nx.MultiDiGraph, selectors: Iterable[str] = (), exclude: Iterable[str] = ()) -> set[str]:
    """The node ids chosen by `--select` terms (every node when there are none) minus `--exclude`.

    Raises SelectorError for a malformed selector and NothingSelected when a `--select` term matches
    nothing; an `--exclude` term that matches nothing gives a SelectionWarning.
    """
    included, excluded = parse_selection(selectors, exclude)
    lookup = _Lookup(dependency_view(graph), _index(graph))
    if included:
        chosen: set[str] = set()
        empty: list[str] = []
        for text, term in included:
            found = evaluate_term(lookup, term)
            if not found:
                empty.append(_nothing_message("--select", text, term, lookup))
            chosen |= found
        if empty:
            raise NothingSelected(empty)
    else:
        chosen = set(graph.nodes)
    for text, term in excluded:
        found = evaluate_term(lookup, term)
        if not found:
            warnings.warn(_nothing_message("--exclude", text, term, lookup), SelectionWarning, stacklevel=2)
        chosen -= found
    return chosen


@dataclass(frozen=True)
class _Lookup:
    """What evaluating selectors reads, fetched once per `select` (checking the caches costs a walk
    over the edges)."""

    view: nx.DiGraph  # u -> v: a change to u affects v
    index: _Index


def evaluate_term(lookup: _Lookup, term: Term) -> set[str]:
    result = evaluate_atom(lookup, term[0])
    for atom in term[1:]:
        if not result:
            break
        result &= evaluate_atom(lookup, atom)
    return result


def evaluate_atom(lookup: _Lookup, atom: Atom) -> set[str]:
    """The nodes an atom matches, then its graph operators (dbt's order: methods, then operators)."""
    seeds = matching_nodes(lookup.index, atom.method, atom.pattern)
    if not seeds:
        return set()
    view = lookup.view
    chosen = set(seeds)
    if atom.at:
        below = _reach(view.succ, seeds, ALL)
        chosen |= below | _reach(view.pred, below, ALL)
    if atom.up:
        chosen |= _reach(view.pred, seeds, atom.up)
    if atom.down:
        chosen |= _reach(view.succ, seeds, atom.down)
    return chosen


def _reach(neighbours, seeds: set[str], depth: float) -> set[str]:
    """`seeds` and every node within `depth` steps of one of them (one breadth-first walk for all)."""
    seen = set(seeds)
    frontier = list(seeds)
    steps = 0
    while frontier and steps < depth:
        steps += 1
        following = []
        for node in frontier:
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        frontier = following
    return seen


def matching_nodes(index: _Index, method: str | None, pattern: str) -> set[str]:
    """The nodes a criterion matches before any graph operator."""
    if method is None:
        return _match(index.ids, pattern) | _match(index.bare_keys, pattern)
    found: set[str] = set()
    if method in NODE_KINDS:
        found |= _match(index.keys.get(method, {}), pattern)
    if method in KIND_AND_ATTRIBUTE or method in ATTRIBUTE_VALUES:
        found |= _match(index.attributes.get(method, {}), pattern)
    return found


def _match(table: Mapping[str, set[str]], pattern: str) -> set[str]:
    if not _WILDCARD.search(pattern):
        return set(table.get(pattern, ()))
    matches = re.compile(fnmatch.translate(pattern)).match
    return {node for key, nodes in table.items() if matches(key) for node in nodes}


@dataclass(frozen=True)
class _Index:
    ids: dict[str, set[str]]  # node id -> {node}
    bare_keys: dict[str, set[str]]  # key without its kind (`CPS1-Q335X`) -> nodes
    keys: dict[str, dict[str, set[str]]]  # kind -> key -> nodes
    attributes: dict[str, dict[str, set[str]]]  # attribute -> value -> nodes


def _index(graph: nx.MultiDiGraph) -> _Index:
    """Lookup tables for matching, built once per graph (rebuilt if nodes were added or removed)."""
    size = graph.number_of_nodes()
    cached = _INDEXES.get(graph)
    if cached is not None and cached[0] == size:
        return cached[1]
    ids: dict[str, set[str]] = {}
    bare: dict[str, set[str]] = {}
    keys: dict[str, dict[str, set[str]]] = {}
    attributes: dict[str, dict[str, set[str]]] = {}
    with collector_paused():  # tens of thousands of small sets: the collector's passes took 80% of the time
        for node, data in graph.nodes(data=True):
            ids[node] = {node}
            kind, _, key = node.partition(":")
            bare.setdefault(key, set()).add(node)
            keys.setdefault(kind, {}).setdefault(key, set()).add(node)
            for name in (*KIND_AND_ATTRIBUTE, *ATTRIBUTE_VALUES):
                value = data.get(name)
                if value is not None and value != "":
                    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
                    attributes.setdefault(name, {}).setdefault(text, set()).add(node)
    index = _Index(ids, bare, keys, attributes)
    _INDEXES[graph] = (size, index)
    return index


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[int, _Index]] = weakref.WeakKeyDictionary()


def _nothing_message(option: str, text: str, term: Term, lookup: _Lookup) -> str:
    """Why a term selected nothing, with the nearest node ids when it named one exactly."""
    message = f"{option} {text} matches nothing"
    index = lookup.index
    if len(term) > 1:
        if all(matching_nodes(index, atom.method, atom.pattern) for atom in term):
            return message + " (each part matches, but no node matches them all)"
        return message
    atom = term[0]
    if _WILDCARD.search(atom.pattern) or atom.method in ATTRIBUTE_VALUES:
        return message
    keys = index.ids.keys() | index.bare_keys.keys() if atom.method is None else index.keys.get(atom.method, {})
    close = difflib.get_close_matches(atom.pattern, list(keys), n=3)
    prefix = "" if atom.method is None else f"{atom.method}:"
    return message + (f"; did you mean {', '.join(prefix + key for key in close)}?" if close else "")


def selected_variants(loaded: LoadedProgram, plan: Plan, selectors: Iterable[str],
                      exclude: Iterable[str] = ()) -> set[str] | None:
    """Variant ids chosen by `--select`/`--exclude`, or None when neither was given.

    A selection that holds no variant raises NothingSelected: the commands that take it act on variants."""
    selectors, exclude = [s for s in selectors if s], [s for s in exclude if s]
    if not selectors and not exclude:
        return None
    graph = program_graph(loaded, plan)
    nodes = select_or_report(graph, selectors, exclude)
    variants = {graph.nodes[n]["label"] for n in nodes if graph.nodes[n]["kind"] == "variant"}
    if not variants:
        shown = " ".join([*selectors, *(f"--exclude {e}" for e in exclude)])
        message = (f"the selection {shown} holds no variant (a selector such as gene:OTC, disease:ID or "
                   "component:ID+ reaches variants)")
        raise NothingSelected([message])
    return variants


def select_or_report(graph: nx.MultiDiGraph, selectors: Iterable[str], exclude: Iterable[str] = ()) -> set[str]:
    """`select`, with a selector that cannot be read reported as bad input (`--select: message`)."""
    try:
        return select(graph, selectors, exclude)
    except SelectorError as error:
        raise InputError([Problem(option, 0, "", message) for option, message in error.problems]) from None
