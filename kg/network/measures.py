"""Who is central, and which groups form: centrality measures and communities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from kg.errors import KGError
from kg.network.projection import simple_view

#: Centrality measures of :func:`centrality` (``kg central --measure``).
MEASURES: tuple[str, ...] = ("degree", "betweenness", "pagerank", "eigenvector")
#: Community detection algorithms of :func:`communities`.
COMMUNITY_ALGORITHMS: tuple[str, ...] = ("louvain", "greedy", "label-propagation")

@dataclass(frozen=True)
class Ranked:
    """A node and its score under a centrality measure."""

    node: str
    label: str
    cls: str
    score: float


def centrality(graph: nx.MultiDiGraph[str], measure: str = "degree",
               top: int | None = 10) -> list[Ranked]:
    """Nodes ranked by a centrality measure, highest first (ties by label).

    Computed on the undirected simple graph (one link per related pair; pagerank and
    eigenvector weigh a link by the number of facts behind it).

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edge("hub", "a"); _ = g.add_edge("hub", "b"); _ = g.add_edge("c", "hub")
    >>> [(r.node, round(r.score, 2)) for r in centrality(g, "degree", top=2)]
    [('hub', 1.0), ('a', 0.33)]
    """
    if measure not in MEASURES:
        raise KGError(f"unknown measure {measure!r}: choose one of {', '.join(MEASURES)}")
    if top is not None and top < 1:
        raise KGError(f"--top must be 1 or more (got {top})")
    simple = simple_view(graph)
    if simple.number_of_nodes() == 0:
        return []
    scores: dict[str, float]
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "pagerank":
        scores = nx.pagerank(simple, weight="weight")
    else:
        try:
            scores = nx.eigenvector_centrality(simple, max_iter=1000, weight="weight")
        except nx.PowerIterationFailedConvergence:
            raise KGError("eigenvector centrality did not converge on this graph: "
                          "try pagerank") from None
    ranked = [Ranked(n, str(graph.nodes[n].get("label", n)), str(graph.nodes[n].get("cls", "")),
                     float(score)) for n, score in scores.items()]
    ranked.sort(key=lambda r: (-round(r.score, 12), r.label.casefold(), r.node))
    return ranked[:top] if top is not None else ranked


def communities(graph: nx.MultiDiGraph[str], algorithm: str = "louvain",
                seed: int = 0) -> list[list[str]]:
    """Groups of densely linked nodes, largest first, each sorted by label.

    ``louvain`` (seeded, so repeatable), ``greedy`` (greedy modularity) or
    ``label-propagation``, all from networkx, on the undirected weighted graph.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> _ = g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> communities(g)
    [['a', 'b', 'c'], ['x', 'y']]
    """
    if algorithm not in COMMUNITY_ALGORITHMS:
        raise KGError(f"unknown algorithm {algorithm!r}: choose one of "
                      f"{', '.join(COMMUNITY_ALGORITHMS)}")
    simple = simple_view(graph)
    if simple.number_of_nodes() == 0:
        return []
    groups: Iterable[Iterable[str]]
    if algorithm == "louvain":
        groups = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    elif algorithm == "greedy":
        groups = nx.community.greedy_modularity_communities(simple, weight="weight")
    else:
        groups = nx.community.label_propagation_communities(simple)

    def key(node: str) -> tuple[str, str]:
        return str(graph.nodes[node].get("label", node)).casefold(), node

    result = [sorted(group, key=key) for group in groups]
    result.sort(key=lambda group: (-len(group), key(group[0])))
    return result
