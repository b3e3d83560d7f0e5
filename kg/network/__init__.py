"""The relationship network: RDF -> networkx, neighbors, paths with their facts, measures.

:func:`project` turns the built dataset into a :class:`networkx.MultiDiGraph` whose nodes
are registry entities and whose edges are relations, each carrying its kind, date and
evidence (source and locators). N-ary facts (a post holding, a statement, a meeting)
either become direct edges between the entities they connect (``collapse=True``, the
default: Qin Gang -met on 2023-04-19-> Zhang Ming) or stay nodes of their own
(``collapse=False``). Ontology triples, labels and types are never edges, and neither is
what an article says about itself (publisher, editors, photo credits): that is evidence.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> graph = project(compile_project(Path("data")).dataset)
>>> graph.nodes["qin-gang"]["label"], graph.nodes["qin-gang"]["labels"]["zh"]
('Qin Gang', '秦刚')
>>> sorted(d["date"] for _, v, d in graph.out_edges("qin-gang", data=True)
...        if v == "zhang-ming" and d["relation"] == "met")  # two reports of one meeting, Goa
['2023-04-19', '2023-04-19', '2023-05']
>>> [" -> ".join(p.nodes) for p in paths(graph, "xi-jinping", "zhang-ming")]
['xi-jinping -> qin-gang -> zhang-ming']
>>> [ranked.node for ranked in centrality(graph, "degree", top=3)]
['zhang-ming', 'sco', 'qin-gang']
"""

from __future__ import annotations

from kg.network.export import NETWORK_FORMATS, flattened, serialize
from kg.network.measures import COMMUNITY_ALGORITHMS, MEASURES, Ranked, centrality, communities
from kg.network.paths import Hop, Link, Neighbor, Path, neighbors, paths
from kg.network.projection import RELATIONS, find_node, project, relation_label
from kg.network.select import known_types, select
from kg.network.sentences import edge_sentence, evidence_text

__all__ = [
    "COMMUNITY_ALGORITHMS",
    "MEASURES",
    "NETWORK_FORMATS",
    "RELATIONS",
    "Hop",
    "Link",
    "Neighbor",
    "Path",
    "Ranked",
    "centrality",
    "communities",
    "edge_sentence",
    "evidence_text",
    "find_node",
    "flattened",
    "known_types",
    "neighbors",
    "paths",
    "project",
    "relation_label",
    "select",
    "serialize",
]
