"""Facts read back from a built graph, each from its own source's named graph only.

Every reader of the graph (the network, evidence sentences) works on the data classes
of :mod:`kg.kinds`, read here through each kind's :meth:`~kg.kinds.base.FactKind.read_back`.
A fact is read from the named graph of the source it is derived from, so a sentence never
mixes in what another source says about the same event.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> found = read_facts(compile_project(Path("data")).dataset)
>>> sorted({item.kind.name for item in found})
['event', 'holding', 'relation', 'statement']
>>> next(item.fact.person for item in found if item.kind.name == "holding")
'qin-gang'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from kg.curation.model import Evidence
from kg.curation.text import Locator
from kg.graph.namespaces import DIP, ID, REGISTRY_GRAPH, SCHEMA
from kg.kinds import KINDS, kind_of_class
from kg.kinds.base import Fact, FactKind

__all__ = ["GraphView", "ReadFact", "SourceInfo", "entity_ids", "locator_order", "read_fact",
           "read_facts", "sources"]

_FACT_PREFIX = str(ID) + "fact/"


def locator_order(text: str) -> tuple[int, int]:
    """Sort key of a locator: paragraph and sentence, or offsets before any paragraph.

    >>> sorted(["p2.s1", "p10.s1", "chars:5-9"], key=locator_order)
    ['chars:5-9', 'p2.s1', 'p10.s1']
    """
    try:
        locator = Locator.parse(text)
    except ValueError:
        return (10**9, 0)
    if locator.paragraph is not None and locator.sentence is not None:
        return locator.paragraph, locator.sentence
    return 0, locator.start or 0


@dataclass(frozen=True)
class SourceInfo:
    """A source as its graph describes it."""

    iri: URIRef
    graph: URIRef
    id: str
    title: str
    url: str
    published: str
    publisher: str | None
    text_file: str | None


@dataclass(frozen=True)
class ReadFact:
    """A fact read back: its node, kind, source and data."""

    node: URIRef
    kind: FactKind[Any]
    source: SourceInfo
    fact: Fact


class GraphView:
    """A node of one named graph, as a :class:`~kg.kinds.base.FactView`.

    >>> g = Graph()
    >>> _ = g.add((ID["fact/s/h"], DIP.holder, ID["qin-gang"]))
    >>> view = GraphView(g, ID["fact/s/h"], {ID["qin-gang"]: "qin-gang"})
    >>> view.fact_id, view.entity(DIP.holder)
    ('h', 'qin-gang')
    """

    def __init__(self, graph: Graph, node: URIRef, entities: Mapping[Node, str]):
        self.graph = graph
        self._node = node
        self._ids = entities

    @property
    def node(self) -> URIRef:
        return self._node

    @property
    def fact_id(self) -> str:
        return str(self._node).removeprefix(_FACT_PREFIX).split("/", 1)[-1]

    def values(self, prop: URIRef) -> list[Node]:
        return sorted(self.graph.objects(self._node, prop), key=str)

    def value(self, prop: URIRef) -> Node | None:
        found = self.values(prop)
        return found[0] if found else None

    def entity(self, prop: URIRef) -> str | None:
        found = self.value(prop)
        return self._ids.get(found) if found is not None else None

    def entities(self, prop: URIRef) -> list[str]:
        return sorted(e for node in self.values(prop) if (e := self._ids.get(node)))

    def text(self, prop: URIRef) -> str | None:
        found = self.value(prop)
        return None if found is None else str(found)

    def at(self, node: Node) -> GraphView:
        return GraphView(self.graph, node, self._ids)  # type: ignore[arg-type]

    def evidence(self) -> tuple[Evidence, ...]:
        locators = {str(locator) for item in self.graph.objects(self._node, DIP.evidence)
                    for locator in self.graph.objects(item, DIP.locator)}
        return tuple(Evidence(Locator.parse(text), None)
                     for text in sorted(locators, key=locator_order))


def entity_ids(dataset: Dataset) -> dict[Node, str]:
    """Every registry entity's IRI, with its registry id."""
    return {node: str(value) for node, value in dataset.subject_objects(DIP.registryId)
            if isinstance(node, URIRef)}


def _graph(dataset: Dataset, name: URIRef) -> Graph:
    # a view, not dataset.graph(): that would add the graph, and a store may be read-only
    return Graph(store=dataset.store, identifier=name)


def _typed(dataset: Dataset, cls: URIRef) -> dict[URIRef, list[URIRef]]:
    """The nodes of a class by the named graph that types them, in one pass."""
    found: dict[URIRef, list[URIRef]] = {}
    for node, _, _, context in dataset.quads((None, RDF.type, cls, None)):
        name = context.identifier if isinstance(context, Graph) else context
        if isinstance(node, URIRef) and isinstance(name, URIRef) and name not in (
                REGISTRY_GRAPH, DATASET_DEFAULT_GRAPH_ID):
            found.setdefault(name, []).append(node)
    return found


def sources(dataset: Dataset, entities: Mapping[Node, str] | None = None) -> list[SourceInfo]:
    """Every source of the dataset, by named graph then IRI."""
    ids = entity_ids(dataset) if entities is None else entities
    found = []
    articles = _typed(dataset, DIP.NewsArticle)
    for name in sorted(articles, key=str):
        g = _graph(dataset, name)
        for article in sorted(articles[name], key=str):
            found.append(_source_info(g, name, article, ids))
    return found


def _source_info(g: Graph, name: URIRef, article: URIRef,
                 ids: Mapping[Node, str]) -> SourceInfo:
    publisher = g.value(article, SCHEMA.publisher)
    text_file = g.value(article, DIP.textFile)
    return SourceInfo(
        iri=article, graph=name, id=str(article).rsplit("/source/", 1)[-1],
        title=str(g.value(article, SCHEMA.headline) or article),
        url=str(g.value(article, SCHEMA.url) or ""),
        published=str(g.value(article, SCHEMA.datePublished) or ""),
        publisher=ids.get(publisher) if publisher is not None else None,
        text_file=str(text_file) if isinstance(text_file, Literal) else None)


def read_facts(dataset: Dataset, entities: Mapping[Node, str] | None = None
               ) -> list[ReadFact]:
    """Every fact of every kind, source by source (kinds in registry order, facts by IRI)."""
    ids = entity_ids(dataset) if entities is None else entities
    by_kind = {kind.name: _typed(dataset, kind.rdf_class) for kind in KINDS}
    found = []
    for source in sources(dataset, ids):
        g = _graph(dataset, source.graph)
        for kind in KINDS:
            nodes = sorted(node for node in by_kind[kind.name].get(source.graph, [])
                           if (node, PROV.wasDerivedFrom, source.iri) in g)
            for node in nodes:
                fact = kind.read_back(GraphView(g, node, ids))
                if fact is not None:
                    found.append(ReadFact(node, kind, source, fact))
    return found


def read_fact(dataset: Dataset, node: URIRef, entities: Mapping[Node, str] | None = None
              ) -> ReadFact | None:
    """One fact, read from the graph of the source it is derived from; None when the node
    is not a fact of a registered kind (a photograph, a statement about the article)."""
    ids = entity_ids(dataset) if entities is None else entities
    for _, _, article, context in dataset.quads((node, PROV.wasDerivedFrom, None, None)):
        name = context.identifier if isinstance(context, Graph) else context
        if not isinstance(name, URIRef) or not isinstance(article, URIRef):
            continue
        g = _graph(dataset, name)
        for cls in sorted(g.objects(node, RDF.type), key=str):
            kind = kind_of_class(cls) if isinstance(cls, URIRef) else None
            if kind is not None:
                fact = kind.read_back(GraphView(g, node, ids))
                if fact is not None:
                    return ReadFact(node, kind, _source_info(g, name, article, ids), fact)
    return None
