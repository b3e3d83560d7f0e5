"""RDF -> networkx: entities become nodes, facts become edges (or nodes of their own).

:func:`project` reads every fact back from its own source's graph
(:mod:`kg.graph.readback`) and lets its kind draw it (:meth:`~kg.kinds.base.FactKind.project`).
Entities, facts and registry links are read in a few queries straight from the Oxigraph
store of a built graph, through rdflib only for other datasets.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> graph = project(compile_project(Path("data")).dataset)
>>> graph.nodes["qin-gang"]["label"], graph.nodes["qin-gang"]["labels"]["zh"]
('Qin Gang', '秦刚')
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

import networkx as nx
from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.graph.lookup import lookup
from kg.graph.namespaces import DIP
from kg.graph.ontology import most_specific
from kg.graph.readback import (
    ReadFact,
    StoreIndex,
    entity_ids,
    entity_records,
    oxigraph_store,
    read_facts,
    registry_links,
    start_reading,
)
from kg.kinds import edge_relations
from kg.kinds.base import EdgeRelation
from kg.kinds.vocabulary import REGISTRY_LINKS

#: Every edge relation by name: those the fact kinds add (the curated relations among
#: them) and the registry's own links.
RELATIONS: dict[str, EdgeRelation] = {
    **edge_relations(),
    **{term.name: EdgeRelation(term.name, term.label, term.phrase)
       for term in REGISTRY_LINKS.values()},
}


#: The registry's own links, by RDF property.
_LINKS = [term.rdf_property for term in REGISTRY_LINKS.values()]


def relation_label(name: str) -> str:
    """The short label drawn on an edge of relation ``name``.

    >>> relation_label("proposed-by"), relation_label("new-relation")
    ('proposed by', 'new relation')
    """
    found = RELATIONS.get(name)
    return found.label if found is not None else name.replace("-", " ")


def dip_name(cls: Node) -> str | None:
    """The local name of a class of the ontology, None for other IRIs."""
    text = str(cls)
    return text[len(str(DIP)):] if text.startswith(str(DIP)) else None


def _most_specific(classes: Iterable[URIRef]) -> str:
    """The name of the most specific ontology class among a node's types.

    >>> _most_specific([DIP.Event, DIP.Meeting])
    'Meeting'
    """
    found = most_specific(classes)
    return (dip_name(found) or "Thing") if found is not None else "Thing"


class _Projector:
    """Builds the network; the :class:`~kg.kinds.base.ProjectionContext` of every kind."""

    def __init__(self, dataset: Dataset, collapse: bool):
        self.ds = dataset
        self._collapse = collapse
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.entities: dict[Node, str] = {}
        self._collapsed: dict[str, str] = {}
        self._current: ReadFact | None = None
        self._base: dict[str, Any] = {}
        self._index: StoreIndex | None = None

    # nodes
    def add_entities(self) -> None:
        for record in entity_records(self.ds, index=self._index):
            self.entities[record.node] = record.id
            attrs: dict[str, Any] = {
                "kind": "entity",
                "iri": str(record.node),
                "cls": _most_specific(record.types),
                "types": sorted({n for t in record.types if (n := dip_name(t)) is not None}),
                "label": record.label if record.label is not None
                else record.labels.get("en", record.id),
                "labels": dict(record.labels),
                "aliases": {k: list(v) for k, v in record.aliases.items()},
            }
            if record.definition is not None:
                attrs["description"] = record.definition
            self.graph.add_node(record.id, **attrs)

    # the ProjectionContext of the kinds
    @property
    def collapse(self) -> bool:
        return self._collapse

    def label(self, entity_id: str) -> str:
        return str(self.graph.nodes[entity_id].get("label", entity_id)) \
            if entity_id in self.graph else entity_id

    def cls(self, entity_id: str) -> str:
        return str(self.graph.nodes[entity_id].get("cls", "Thing")) \
            if entity_id in self.graph else "Thing"

    def has(self, entity_id: str) -> bool:
        return entity_id in self.graph

    def collapsed(self, entity_id: str) -> None:
        self._collapsed[entity_id] = self.label(entity_id)

    def describe(self, entity_id: str, key: str, value: str) -> None:
        if entity_id in self.graph:
            self.graph.nodes[entity_id].setdefault(key, value)

    def edge(self, u: str, v: str, relation: str, key: str, **attrs: Any) -> None:
        source = self._current.source.id if self._current is not None else ""
        self._add_edge(u, v, relation, f"{source}/{key}" if source else key,
                       **self._base, **attrs)

    def _add_edge(self, u: str, v: str, relation: str, key: str, **attrs: Any) -> None:
        clean = {k: val for k, val in attrs.items() if val is not None}
        self.graph.add_edge(u, v, key=key, relation=relation, label=relation_label(relation),
                            **clean)

    def fact_node(self, fact_id: str, cls: str, label: str, **attrs: Any) -> str:
        assert self._current is not None
        node_id = f"fact/{self._current.source.id}/{fact_id}"
        clean = {k: val for k, val in attrs.items() if val is not None}
        base = {k: v for k, v in self._base.items() if k != "fact"}
        self.graph.add_node(node_id, kind="fact", iri=str(self._current.node), cls=cls,
                            types=[cls, "Fact"], label=label, labels={}, aliases={},
                            **base, **clean)
        return node_id

    # facts
    def add_facts(self, facts: Iterable[ReadFact]) -> None:
        for item in facts:
            source = item.source
            self._current = item
            self._base = {
                "fact": str(item.node), "source": source.id, "source_title": source.title,
                "source_url": source.url, "published": source.published,
                "publisher": self.label(source.publisher) if source.publisher else "",
                "locators": [str(e.locator) for e in item.fact.evidence]}
            item.kind.project(item.fact, self)
        self._current, self._base = None, {}

    def registry(self) -> None:
        links = registry_links(self.ds, _LINKS, index=self._index)
        for term in REGISTRY_LINKS.values():
            for s, o in links[term.rdf_property]:
                a, b = self.entities.get(s), self.entities.get(o)
                if a is not None and b is not None:
                    self._add_edge(a, b, term.name, f"registry/{term.name}/{a}/{b}",
                                   source="registry", source_title="entity registry",
                                   locators=[])

    def run(self) -> nx.MultiDiGraph[str]:
        store = oxigraph_store(self.ds)
        with StoreIndex(store) if store is not None else nullcontext() as index:
            if index is not None:  # every query sent now, answered in worker threads
                start_reading(index, entities=True, registry=_LINKS)
            self._index = index
            # facts first: the entities' records are made meanwhile in a worker thread
            facts = read_facts(self.ds, entity_ids(self.ds, index=index), index=index)
            self.add_entities()
            self.add_facts(facts)
            self.registry()
            self._index = None
        # what was said at a collapsed event keeps it as the edge attribute `event`
        self.graph.remove_nodes_from(self._collapsed)
        unlinked = sorted(n for n in self.graph if self.graph.degree(n) == 0)
        self.graph.remove_nodes_from(unlinked)
        self.graph.graph.update(collapse=self._collapse, collapsed=dict(sorted(
            self._collapsed.items())), unlinked=unlinked)
        return self.graph


def project(dataset: Dataset, *, collapse: bool = True) -> nx.MultiDiGraph[str]:
    """The dataset as a directed multigraph of entities and the relations between them.

    Node keys are registry ids (``qin-gang``); with ``collapse=False`` holdings and
    statements are nodes too, keyed ``fact/SOURCE-ID/FACT-ID``. Entities that take part
    in no relation are left out and listed in ``graph.graph["unlinked"]``; events turned
    into edges are listed in ``graph.graph["collapsed"]``.

    >>> from pathlib import Path
    >>> from kg.pipeline import compile_project
    >>> ds = compile_project(Path("data")).dataset
    >>> "qin-gang-zhang-ming-meeting-2023-04-19" in project(ds)
    False
    >>> open_view = project(ds, collapse=False)
    >>> {"guest-at", "host-of"} <= {d["relation"] for _, _, d in open_view.in_edges(
    ...     "qin-gang-zhang-ming-meeting-2023-04-19", data=True)}
    True
    """
    return _Projector(dataset, collapse).run()


def find_node(graph: nx.MultiDiGraph[str], text: str) -> str:
    """The node named by a registry id, ``id:...``, a full IRI or an exact label.

    Raises :class:`~kg.errors.UnknownEntityError` with the closest ids when nothing
    matches, and says so when the entity exists but is not drawn in this view.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    >>> g.add_node("qin-gang", label="Qin Gang")
    >>> find_node(g, "Qin Gang"), find_node(g, "id:qin-gang")
    ('qin-gang', 'qin-gang')
    >>> find_node(g, "qin-gan")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownEntityError: unknown id 'qin-gan': did you mean qin-gang?
    """
    collapsed: dict[str, str] = graph.graph.get("collapsed", {})
    unlinked: list[str] = graph.graph.get("unlinked", [])

    def explain(local: str) -> str | None:
        if local in collapsed:
            return (f"{local!r} is an event drawn as direct edges between its participants "
                    "in this view: use --no-collapse to see it as a node")
        if local in unlinked:
            return (f"{local!r} takes part in no relation of the network "
                    f"(see `kg evidence {local}`)")
        return None

    labels = {str(node): str(attrs.get("label", node)) for node, attrs in graph.nodes(data=True)}
    return lookup(text, labels, explain=explain)


def simple_view(graph: nx.MultiDiGraph[str]) -> nx.Graph[str]:
    """The network as a simple undirected graph; ``weight`` counts the edges merged.

    >>> g: nx.MultiDiGraph[str] = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "a")])
    >>> simple_view(g)["a"]["b"]["weight"]
    2
    """
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(graph)
    for u, v in graph.edges():
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    return simple
