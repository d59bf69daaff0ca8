"""dbt-style selection (`basket.graph.selection`): the grammar on the example program, the CLI's exit
codes, and the whole grammar against a brute-force set evaluation on random graphs (hypothesis)."""

from __future__ import annotations

import fnmatch
import itertools
import json
import math
import warnings
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from basket.cli import main
from basket.graph.build import program_graph
from basket.graph.impact import DEPENDENCY_DIRECTION, dependency_view
from basket.graph.selection import (
    ATTRIBUTE_VALUES,
    NODE_KINDS,
    NothingSelected,
    SelectionWarning,
    SelectorError,
    select,
)
from basket.plan.umbrella_decision import checked_plan
from basket.program.load import load_program
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def graph():
    loaded = load_program(EXAMPLE)
    return program_graph(loaded, checked_plan(loaded))


def of_kind(nodes: set[str], kind: str) -> set[str]:
    return {n for n in nodes if n.startswith(kind + ":")}


def test_wildcards_match_keys(graph):
    assert select(graph, ["variant:OTC-*"]) == {"variant:OTC-R40H", "variant:OTC-R141Q"}
    assert select(graph, ["variant:CPS1-?335X"]) == {"variant:CPS1-Q335X"}
    assert select(graph, ["variant:[AO]*"]) == of_kind(set(graph), "variant") - {"variant:CPS1-Q335X",
                                                                                  "variant:CPS1-E714X",
                                                                                  "variant:SLC25A15-S149TFS"}


def test_gene_and_disease_select_the_node_and_what_carries_it(graph):
    assert select(graph, ["gene:OTC"]) == {"gene:OTC", "variant:OTC-R40H", "variant:OTC-R141Q"}
    cps1 = select(graph, ["disease:OMIM:237300"])
    assert cps1 == {"disease:OMIM:237300", "variant:CPS1-Q335X", "variant:CPS1-E714X", "patient:PT-001"}


def test_attribute_selectors(graph):
    inside = select(graph, ["in_umbrella:yes"])
    assert inside == {"variant:CPS1-Q335X"} == select(graph, ["in_umbrella:true"])
    assert select(graph, ["in_umbrella:no"]) == of_kind(set(graph), "variant") - inside
    assert select(graph, ["classification:platform"]) == inside
    assert select(graph, ["classification:other_*"]) == {"variant:CPS1-E714X", "variant:ARG1-G235R",
                                                         "variant:SLC25A15-S149TFS"}
    statuses = {graph.nodes[n].get("status") for n in select(graph, ["status:complete"])}
    assert statuses == {"complete"}


def test_depth_limits_walk_the_dependency_view(graph):
    view = dependency_view(graph)
    node = "variant:CPS1-Q335X"
    assert select(graph, [f"{node}+1"]) == {node, *view.successors(node)}
    assert select(graph, [f"1+{node}"]) == {node, *view.predecessors(node)}
    two_up = select(graph, [f"2+{node}"])
    assert {node, *view.predecessors(node)} < two_up < select(graph, [f"+{node}"]) == {node, *nx.ancestors(view, node)}
    assert select(graph, [f"0+{node}+0"]) == {node}


def test_at_adds_what_the_descendants_depend_on(graph):
    view = dependency_view(graph)
    node = "variant:CPS1-Q335X"
    below = {node, *nx.descendants(view, node)}
    expected = below | {a for n in below for a in nx.ancestors(view, n)}
    assert select(graph, [f"@{node}"]) == expected


def test_set_operators(graph):
    both = select(graph, ["gene:CPS1,in_umbrella:no"])
    assert both == {"variant:CPS1-E714X"}
    assert select(graph, ["variant:CPS1-Q335X variant:OTC-R40H"]) == select(
        graph, ["variant:CPS1-Q335X", "variant:OTC-R40H"]) == {"variant:CPS1-Q335X", "variant:OTC-R40H"}
    assert select(graph, ["gene:CPS1"], ["in_umbrella:yes gene:CPS1,variant:*"]) == {"gene:CPS1"}
    assert select(graph, [], ["variant:*"]) == set(graph) - of_kind(set(graph), "variant")


def test_a_term_matching_nothing_is_reported_with_suggestions(graph):
    with pytest.raises(NothingSelected) as caught:
        select(graph, ["variant:CPS1-Q335X", "variant:CPS1-Q33X", "status:withdrawn"])
    assert caught.value.messages == [
        "--select variant:CPS1-Q33X matches nothing; did you mean variant:CPS1-Q335X, variant:CPS1-E714X?",
        "--select status:withdrawn matches nothing",
    ]
    with pytest.warns(SelectionWarning, match="--exclude variant:NOPE matches nothing"):
        assert select(graph, ["variant:CPS1-Q335X"], ["variant:NOPE"]) == {"variant:CPS1-Q335X"}


@pytest.mark.parametrize(("selector", "message"), [
    ("stauts:assessed", "unknown selector method 'stauts'"),
    ("status:asessed", "did you mean status:assessed?"),
    ("classification:plattform", "did you mean classification:platform?"),
    ("in_umbrella:maybe", "in_umbrella takes yes or no"),
    ("variant:", "gives no value after variant:"),
    ("@2+variant:X", "'@' and a leading '+' cannot be combined"),
    ("variant:X,,gene:Y", "an empty selector"),
    ("variant:X++", "expected [@|N+]method:value[+N]"),
])
def test_unreadable_selectors_are_bad_usage(graph, selector, message):
    with pytest.raises(SelectorError, match=message.replace("[", r"\[").replace("+", r"\+").replace("?", r"\?")):
        select(graph, [selector])


def test_every_unreadable_selector_is_reported_at_once(graph):
    with pytest.raises(SelectorError) as caught:
        select(graph, ["stauts:x variant:OTC-R40H"], ["in_umbrella:maybe"])
    assert [option for option, _ in caught.value.problems] == ["--select", "--exclude"]


def test_bare_ids_and_keys_still_work(graph):
    assert select(graph, ["CPS1-Q335X"]) == {"variant:CPS1-Q335X"}
    assert select(graph, ["OMIM:237300"]) == {"disease:OMIM:237300", "basket:OMIM:237300"}


# --- the CLI ----------------------------------------------------------------------------------


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_plan_takes_exclude_and_intersections(example: Path):
    result = run("plan", example, "--format", "json", "-s", "gene:CPS1 gene:OTC", "--exclude", "in_umbrella:yes")
    assert result.exit_code == 0, result.output
    assert [row["variant"] for row in json.loads(result.stdout)] == ["CPS1-E714X", "OTC-R40H", "OTC-R141Q"]


def test_an_empty_exclude_warns_and_goes_on(example: Path):
    result = run("plan", example, "--format", "csv", "-s", "variant:OTC-R40H", "--exclude", "status:withdrawn")
    assert result.exit_code == 0
    assert "warning: --exclude status:withdrawn matches nothing" in result.stderr
    assert result.stdout.splitlines()[1].split(",")[:2] == ["no_sequence", "OTC-R40H"]  # reason code, variant


def test_graph_export_left_empty_by_exclude_exits_1_and_writes_nothing(example: Path, tmp_path: Path):
    target = tmp_path / "g.json"
    result = run("graph", "export", example, "-s", "gene:OTC", "--exclude", "gene:OTC", "-o", target)
    assert result.exit_code == 1 and "leaves no node" in result.stderr
    assert not target.exists()


def test_render_selection_matching_nothing_writes_nothing(example: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run("render", example, "-s", "variant:OTC-*,in_umbrella:yes", "-o", out)
    assert result.exit_code == 1 and "matches nothing" in result.stderr
    assert not out.exists()


# --- the grammar against a brute-force evaluation on random graphs --------------------------------

KEYS = ["a", "b", "ab", "ba", "a1", "B-2", "X:1", "X:12"]
PATTERNS = KEYS + ["a*", "*b", "?", "??", "[ab]*", "X:*", "*", "zz"]
RELS = sorted(DEPENDENCY_DIRECTION)


@st.composite
def random_graphs(draw) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    nodes = draw(st.lists(st.tuples(st.sampled_from(NODE_KINDS), st.sampled_from(KEYS)), min_size=1, max_size=14,
                          unique=True))
    for kind, key in nodes:
        attrs = {"kind": kind, "label": key}
        for name in ("status", "classification"):
            if draw(st.booleans()):
                attrs[name] = draw(st.sampled_from(ATTRIBUTE_VALUES[name]))
        if draw(st.booleans()):
            attrs["in_umbrella"] = draw(st.booleans())
        for name in ("gene", "disease"):
            attrs[name] = draw(st.sampled_from([*KEYS, ""]))
        graph.add_node(f"{kind}:{key}", **attrs)
    ids = list(graph)
    for source, target, rel in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids),
                                                       st.sampled_from(RELS)), max_size=25)):
        graph.add_edge(source, target, rel=rel)
    return graph


@st.composite
def atoms(draw) -> dict:
    method = draw(st.sampled_from([None, *NODE_KINDS, *ATTRIBUTE_VALUES]))
    if method in ATTRIBUTE_VALUES:
        words = ["yes", "no", "true", "false"] if method == "in_umbrella" else list(ATTRIBUTE_VALUES[method])
        pattern = draw(st.sampled_from([*words, "*", "p*", "?o*"]))
    else:
        pattern = draw(st.sampled_from(PATTERNS))
    at = draw(st.booleans()) and draw(st.booleans())
    depth = st.sampled_from([0, 1, 2, math.inf])
    return {"method": method, "pattern": pattern, "at": at, "up": 0 if at else draw(depth), "down": draw(depth)}


def atom_text(atom: dict) -> str:
    def depth(value: float) -> str:
        return "" if value == math.inf else str(value)

    prefix = "@" if atom["at"] else (f"{depth(atom['up'])}+" if atom["up"] else "")
    suffix = f"+{depth(atom['down'])}" if atom["down"] else ""
    method = f"{atom['method']}:" if atom["method"] else ""
    return prefix + method + atom["pattern"] + suffix


terms = st.lists(atoms(), min_size=1, max_size=3)


def brute_distances(graph: nx.MultiDiGraph) -> dict[tuple[str, str], float]:
    """Floyd-Warshall over "a change to u affects v" edges, straight from the relation table."""
    nodes = list(graph)
    dist = {(u, v): (0 if u == v else math.inf) for u in nodes for v in nodes}
    for source, target, rel in graph.edges(data="rel"):
        u, v = (source, target) if DEPENDENCY_DIRECTION[rel] == "forward" else (target, source)
        if u != v:
            dist[u, v] = min(dist[u, v], 1)
    for k, i, j in itertools.product(nodes, repeat=3):
        dist[i, j] = min(dist[i, j], dist[i, k] + dist[k, j])
    return dist


def brute_matches(graph: nx.MultiDiGraph, atom: dict) -> set[str]:
    method, pattern = atom["method"], atom["pattern"]
    if method == "in_umbrella" and pattern in ("true", "false"):
        pattern = {"true": "yes", "false": "no"}[pattern]
    found = set()
    for node, data in graph.nodes(data=True):
        kind, key = node.split(":", 1)
        if method is None:
            hit = fnmatch.fnmatchcase(node, pattern) or fnmatch.fnmatchcase(key, pattern)
        else:
            hit = method == kind and fnmatch.fnmatchcase(key, pattern)
            value = data.get(method)
            by_attribute = method in ("gene", "disease") or method in ATTRIBUTE_VALUES
            if by_attribute and value not in (None, ""):
                text = ("yes" if value else "no") if isinstance(value, bool) else value
                hit = hit or fnmatch.fnmatchcase(text, pattern)
        if hit:
            found.add(node)
    return found


def within(distance: float, depth: float) -> bool:
    return distance <= depth and distance != math.inf


def brute_atom(graph, dist, atom: dict) -> set[str]:
    seeds = brute_matches(graph, atom)
    chosen = set(seeds)
    for node in graph:
        if any(within(dist[node, s], atom["up"]) or within(dist[s, node], atom["down"]) for s in seeds):
            chosen.add(node)
    if atom["at"]:
        below = {n for n in graph if any(within(dist[s, n], math.inf) for s in seeds)}
        chosen |= below | {n for n in graph if any(within(dist[n, b], math.inf) for b in below)}
    return chosen


def brute_term(graph, dist, term: list[dict]) -> set[str]:
    result = brute_atom(graph, dist, term[0])
    for atom in term[1:]:
        result &= brute_atom(graph, dist, atom)
    return result


@settings(max_examples=150, deadline=None)
@given(random_graphs(), st.lists(terms, max_size=3), st.lists(terms, max_size=2), st.booleans())
def test_grammar_agrees_with_brute_force(graph, included, excluded, one_string):
    dist = brute_distances(graph)
    texts = [",".join(atom_text(a) for a in term) for term in included]
    select_args = [" ".join(texts)] if one_string and texts else texts
    exclude_args = [",".join(atom_text(a) for a in term) for term in excluded]
    expected_terms = [brute_term(graph, dist, term) for term in included]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            got = select(graph, select_args, exclude_args)
        except NothingSelected as nothing:
            assert len(nothing.messages) == sum(1 for found in expected_terms if not found)
            return
    assert all(expected_terms), "a term matched nothing but select() did not say so"
    expected = set().union(*expected_terms) if included else set(graph)
    removed = [brute_term(graph, dist, term) for term in excluded]
    assert got == expected - set().union(*removed)
    assert len(caught) == sum(1 for found in removed if not found)
