"""Neighbors of an entity and paths between two, each hop with the facts behind it.

Paths are ranked by what they go through, not only by their length: each hop costs what
the strongest relation between its two ends costs in :data:`HOP_COST` (a tie such as a
post held, a meeting or a visit costs 1; a mention, a statement *about* someone, 2.5), and
a path costs the sum of its hops. So two people who held the same post, or met a third,
rank before a one-hop "spoke about"; ties go to fewer hops, then to hops backed by a
source, then to labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from kg.errors import KGError
from kg.network.projection import find_node
from kg.network.select import _check_relations

#: What a hop costs, by the tier of its strongest relation: a tie between the two ends,
#: a weaker one, or a mention. Halves, so that sums of costs compare exactly.
TIE, WEAK, MENTION = 1.0, 1.5, 2.5

#: The cost of a hop by relation, the one table paths are ranked by (a relation missing
#: here costs :data:`WEAK`). Ties: a post held, a membership or unit, a place, a meeting,
#: a visit, a role at an event, a proposal or commitment, a statement made at or for
#: something. Weaker: a statement addressed to someone, an event attended together (not a
#: meeting of the two), a post one is designated for, a visit only planned, support
#: stated, observer status. Mentions: a statement about someone or something.
HOP_COST: dict[str, float] = {
    **dict.fromkeys((
        "holds", "holder-in", "of-post", "head-of", "member-of", "unit-of", "post-in",
        "part-of", "capital-of", "located-in", "met", "visited", "made-visit",
        "hosted-visit-of", "invited", "visit-to", "host-of", "guest-at", "took-part-in",
        "chaired", "hosted", "organized", "took-place-in", "on-sidelines-of", "joined-from",
        "produced", "proposed-by", "committed-to", "made", "made-at", "spoke-for",
        "made-for"), TIE),
    **dict.fromkeys((
        "addressed", "addressed-to", "attended-with", "designated-for", "plans-to-visit",
        "visit-for", "supports", "observer-of"), WEAK),
    **dict.fromkeys(("spoke-about", "about"), MENTION),
}


def hop_cost(relation: object) -> float:
    """What a link of this relation costs a path (see :data:`HOP_COST`).

    >>> hop_cost("met"), hop_cost("spoke-about"), hop_cost("no-such-relation")
    (1.0, 2.5, 1.5)
    """
    return HOP_COST.get(str(relation), WEAK)


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
    found.sort(key=lambda link: (hop_cost(link.data.get("relation")), not link.evidenced,
                                 link.data.get("date") is None,
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
        """The edge shown first: the strongest (:data:`HOP_COST`), evidenced, dated, then
        by relation."""
        return self.links[0]

    @property
    def cost(self) -> float:
        """What the hop costs: what its strongest edge costs."""
        return hop_cost(self.best.data.get("relation"))


@dataclass(frozen=True)
class Path:
    """A path between two nodes, hop by hop."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def evidenced(self) -> bool:
        """Whether every hop has at least one edge with a source and a locator."""
        return all(hop.best.evidenced for hop in self.hops)

    @property
    def cost(self) -> float:
        """What the path costs: the sum of its hops' costs (see :data:`HOP_COST`)."""
        return sum(hop.cost for hop in self.hops)


def cost_view(graph: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """The network as a simple undirected graph whose ``cost`` is what the strongest link
    between two nodes costs (:func:`hop_cost`).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="spoke-about"); _ = g.add_edge("b", "a", relation="met")
    >>> cost_view(g)["a"]["b"]["cost"]
    1.0
    """
    view: nx.Graph[str] = nx.Graph()
    view.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        cost = hop_cost(data.get("relation"))
        if not view.has_edge(u, v) or cost < view[u][v]["cost"]:
            view.add_edge(u, v, cost=cost)
    return view


def paths(graph: nx.MultiDiGraph[str], a: str, b: str, *, k: int | None = None,
          all_shortest: bool = False, limit: int = 1000) -> list[Path]:
    """The best-ranked paths between two nodes, direction ignored, each hop with its edges.

    Paths rank by cost (the sum of their hops' :data:`HOP_COST`), then by hops, then by
    hops not backed by a source, then by the labels along them. By default the best
    path; ``k`` the k best simple paths (longer and costlier ones too; ``k=1`` is the
    default's path); ``all_shortest`` every path of the least cost (at most ``limit``).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", relation="met"); _ = g.add_edge("c", "b", relation="met")
    >>> [p.nodes for p in paths(g, "a", "c")]
    [('a', 'b', 'c')]

    A mention is a short cut that ranks after two meetings:

    >>> _ = g.add_edge("a", "c", relation="spoke-about")
    >>> [(p.nodes, p.cost) for p in paths(g, "a", "c", k=2)]
    [(('a', 'b', 'c'), 2.0), (('a', 'c'), 2.5)]
    """
    start, end = find_node(graph, a), find_node(graph, b)
    if start == end:
        raise KGError(f"{a!r} and {b!r} are the same node: give two different ones")
    if k is not None and k < 1:
        raise KGError(f"-k must be 1 or more (got {k})")
    view = cost_view(graph)

    def path_of(nodes: list[str]) -> Path:
        return Path(tuple(nodes), tuple(Hop(x, y, tuple(_links_between(graph, x, y)))
                                        for x, y in pairwise(nodes)))

    def rank(path: Path) -> tuple[float, int, int, list[str]]:
        return (path.cost, len(path.hops), sum(not h.best.evidenced for h in path.hops),
                [str(graph.nodes[n].get("label", n)) for n in path.nodes])

    try:  # every path of the least cost, ranked: the default takes the first
        best = sorted((path_of(nodes) for nodes in islice(
            nx.all_shortest_paths(view, start, end, weight="cost"), limit)), key=rank)
    except nx.NetworkXNoPath:
        raise KGError(f"no path between {start} and {end} in the network") from None
    if all_shortest:
        return best
    wanted = 1 if k is None else k
    if len(best) >= wanted:
        return best[:wanted]
    # Costlier paths, in the order of Yen's k shortest simple paths by cost; those of
    # equal cost ranked among themselves, until the k-th path's cost is passed.
    found = list(best)
    known = {p.nodes for p in best}
    more: list[Path] = []
    for nodes in nx.shortest_simple_paths(view, start, end, weight="cost"):
        candidate = path_of(nodes)
        if candidate.nodes in known:
            continue
        if len(found) + len(more) >= wanted and candidate.cost > more[-1].cost:
            break
        more.append(candidate)
        if len(more) >= wanted + limit:
            break
    found += sorted(more, key=rank)
    return found[:wanted]
