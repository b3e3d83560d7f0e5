"""Neighbors of an entity and paths between two, each hop with the facts behind it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.network.projection import find_node, simple_view
from kg.network.select import _check_relations


@dataclass(frozen=True)
class Link:
    """One edge seen from a traversal: its ends (in the edge's own direction) and data."""

    source: str
    target: str
    key: str
    data: dict[str, Any]

    @property
    def evidenced(self) -> bool:
        """Whether the edge comes from a source with at least one locator."""
        return self.data.get("source") != "registry" and bool(self.data.get("locators"))


@dataclass(frozen=True)
class Neighbor:
    """A node reached from the start, how far, and the edges from its parent."""

    node: str
    label: str
    cls: str
    depth: int
    parent: str
    links: tuple[Link, ...]


def _links_between(graph: nx.MultiDiGraph[str], a: str, b: str,
                   relations: set[str] | None = None) -> list[Link]:
    found = []
    for u, v in ((a, b), (b, a)):
        data = graph.get_edge_data(u, v) or {}
        for key, attrs in data.items():
            if relations is None or attrs.get("relation") in relations:
                found.append(Link(u, v, str(key), dict(attrs)))
    found.sort(key=lambda link: (not link.evidenced, link.data.get("date") is None,
                                 link.data.get("relation", ""), link.key))
    return found


def neighbors(graph: nx.MultiDiGraph[str], node: str, *, depth: int = 1,
              relations: Iterable[str] | None = None) -> list[Neighbor]:
    """Nodes within ``depth`` hops (either direction), nearest first, with the linking edges.

    ``relations`` keeps only edges of those kinds (see :data:`RELATIONS`).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("a", label="A"); g.add_node("b", label="B"); g.add_node("c", label="C")
    >>> _ = g.add_edge("a", "b", relation="met"); _ = g.add_edge("c", "b", relation="holds")
    >>> [(n.node, n.depth) for n in neighbors(g, "a", depth=2)]
    [('b', 1), ('c', 2)]
    >>> [n.node for n in neighbors(g, "a", depth=2, relations=["met"])]
    ['b']
    """
    start = find_node(graph, node)
    if depth < 1:
        raise KGError(f"--depth must be 1 or more (got {depth})")
    wanted = _check_relations(graph, relations) if relations is not None else None
    seen = {start}
    frontier = [start]
    found: list[Neighbor] = []
    for level in range(1, depth + 1):
        following = []
        for here in frontier:
            around = sorted(set(graph.successors(here)) | set(graph.predecessors(here)),
                            key=lambda n: (str(graph.nodes[n].get("label", n)).casefold(), n))
            for there in around:
                if there in seen:
                    continue
                links = _links_between(graph, here, there, wanted)
                if not links:
                    continue
                seen.add(there)
                following.append(there)
                attrs = graph.nodes[there]
                found.append(Neighbor(there, str(attrs.get("label", there)),
                                      str(attrs.get("cls", "")), level, here, tuple(links)))
        frontier = following
    return found


@dataclass(frozen=True)
class Hop:
    """One step of a path: from ``start`` to ``end``, over every edge linking the two."""

    start: str
    end: str
    links: tuple[Link, ...]

    @property
    def best(self) -> Link:
        """The edge shown first: evidenced, dated, then by relation."""
        return self.links[0]


@dataclass(frozen=True)
class Path:
    """A path between two nodes, hop by hop."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def evidenced(self) -> bool:
        """Whether every hop has at least one edge with a source and a locator."""
        return all(hop.best.evidenced for hop in self.hops)


def paths(graph: nx.MultiDiGraph[str], a: str, b: str, *, k: int | None = None,
          all_shortest: bool = False, limit: int = 1000) -> list[Path]:
    """Shortest paths between two nodes, direction ignored, each hop with its edges.

    By default the one shortest path, preferring hops backed by a source; ``all_shortest``
    gives every shortest path (at most ``limit``), ``k`` the k shortest simple paths.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="met"); _ = g.add_edge("c", "b", relation="met")
    >>> [p.nodes for p in paths(g, "a", "c")]
    [('a', 'b', 'c')]
    """
    start, end = find_node(graph, a), find_node(graph, b)
    if start == end:
        raise KGError(f"{a!r} and {b!r} are the same node: give two different ones")
    if k is not None and k < 1:
        raise KGError(f"-k must be 1 or more (got {k})")
    simple = simple_view(graph)
    try:
        if k is not None:
            found = list(islice(nx.shortest_simple_paths(simple, start, end), k))
        else:
            found = list(islice(nx.all_shortest_paths(simple, start, end), limit))
    except nx.NetworkXNoPath:
        raise KGError(f"no path between {start} and {end} in the network") from None
    result = [Path(tuple(nodes), tuple(Hop(x, y, tuple(_links_between(graph, x, y)))
                                       for x, y in pairwise(nodes)))
              for nodes in found]
    if k is None:
        result.sort(key=lambda p: (len(p.hops), sum(not h.best.evidenced for h in p.hops),
                                   [str(graph.nodes[n].get("label", n)) for n in p.nodes]))
        if not all_shortest:
            result = result[:1]
    return result
