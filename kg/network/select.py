"""Choose part of the network: around an entity, by type, relation and dates."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.dates import Interval, span
from kg.errors import KGError
from kg.graph.ontology import superclasses
from kg.network.projection import RELATIONS, dip_name, find_node


def _check_relations(graph: nx.MultiDiGraph[str], relations: Iterable[str]) -> set[str]:
    wanted = set(relations)
    known = set(RELATIONS) | {d["relation"] for _, _, d in graph.edges(data=True)}
    for name in sorted(wanted - known):
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
        hint = f": did you mean {', '.join(close)}?" if close else \
            f": known relations are {', '.join(sorted(known))}"
        raise KGError(f"unknown relation {name!r}{hint}")
    return wanted


# --- filtering --------------------------------------------------------------------------


def _in_range(attrs: dict[str, Any], interval: Interval) -> bool:
    """Whether a node or a relation stays: undated (or not dated by a date), or its days
    meet the interval."""
    try:
        days = span(attrs)
    except ValueError:
        return True
    return days is None or interval.covers(*days)


def known_types(graph: nx.MultiDiGraph[str]) -> list[str]:
    """The class names ``--types`` accepts: the ontology's and those in the graph.

    >>> {"Person", "Organization", "Meeting"} <= set(known_types(nx.MultiDiGraph()))
    True
    """
    names = {n for cls in superclasses() for n in [dip_name(cls)] if n is not None}
    for _, attrs in graph.nodes(data=True):
        names.update(attrs.get("types", []))
    return sorted(names)


def select(graph: nx.MultiDiGraph[str], *, focus: str | None = None, depth: int = 2,
           types: Iterable[str] | None = None, since: str | None = None,
           until: str | None = None) -> nx.MultiDiGraph[str]:
    """A part of the network: by class, by date, and around a focus node.

    Classes match a node's class or any of its superclasses (``Organization`` keeps
    states too). Dated relations outside ``since``..``until`` are dropped, and dated
    events and statements kept as nodes with them; undated ones (memberships, registry
    links) stay. Then only nodes within ``depth`` hops of ``focus`` are kept (direction
    ignored), and nodes left with no relation are dropped.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("a", types=["Person"]); g.add_node("b", types=["Person"])
    >>> g.add_node("c", types=["Place"])
    >>> _ = g.add_edge("a", "b", date="2023-04-19"); _ = g.add_edge("b", "c")
    >>> sorted(select(g, since="2024"))
    ['b', 'c']
    >>> sorted(select(g, focus="a", depth=1))
    ['a', 'b']
    """
    interval = Interval(since, until)
    if depth < 0:
        raise KGError(f"--depth must be 0 or more (got {depth})")
    centre = find_node(graph, focus) if focus is not None else None
    keep = set(graph)
    if types is not None:
        wanted = _check_types(graph, types)
        keep = {n for n in keep if wanted & set(graph.nodes[n].get("types", []))
                or graph.nodes[n].get("cls") in wanted}
    if not interval.is_open:
        keep = {n for n in keep if _in_range(graph.nodes[n], interval)}
    if centre is not None:
        keep.add(centre)
    part: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    part.graph.update(graph.graph)
    part.add_nodes_from((n, graph.nodes[n]) for n in graph if n in keep)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if u in keep and v in keep and _in_range(d, interval):
            part.add_edge(u, v, key=k, **d)
    if centre is not None:
        near = nx.single_source_shortest_path_length(part.to_undirected(as_view=True),
                                                     centre, cutoff=depth)
        part.remove_nodes_from([n for n in list(part) if n not in near])
    part.remove_nodes_from([n for n in list(part) if part.degree(n) == 0 and n != centre])
    return part


def _check_types(graph: nx.MultiDiGraph[str], types: Iterable[str]) -> set[str]:
    known = known_types(graph)
    by_fold = {k.casefold(): k for k in known}
    wanted = set()
    for name in types:
        name = name.strip()
        if not name:
            continue
        if name.casefold() not in by_fold:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f": did you mean {', '.join(close)}?" if close else \
                f": known classes are {', '.join(known)}"
            raise KGError(f"unknown class {name!r}{hint}")
        wanted.add(by_fold[name.casefold()])
    if not wanted:
        raise KGError("--types is empty: give class names such as Person,Organization")
    return wanted
