"""Turn checked facts into RDF: one named graph per source, the registry in its own graph.

The only module that mints IRIs for facts (through :mod:`kg.graph.namespaces`). Every fact
becomes a node of a ``dip:Fact`` subclass carrying ``prov:wasDerivedFrom`` (its source)
and ``dip:evidence`` (its located passages); the plain triples a user queries first
(``org:holds``, ``org:memberOf``, ``sem:hasActor`` ...) are asserted beside it in the
same named graph. Entity types are materialized with their ontology superclasses, so
queries need no reasoner.

>>> from pathlib import Path
>>> from kg.curation.reader import load_curation
>>> built = build_graph(load_curation(Path("data")))
>>> len(list(built.dataset.graphs())) > 2
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.curation.model import Curation, Entity, Evidence, Source, Where
from kg.graph.namespaces import (
    DIP,
    OA,
    ORG,
    PREFIXES,
    REGISTRY_GRAPH,
    SCHEMA,
    WD,
    entity_iri,
    evidence_iri,
    fact_iri,
    source_graph,
    source_iri,
)
from kg.graph.ontology import superclasses
from kg.kinds import kind_of
from kg.kinds.base import Fact

Triple = tuple[Node, Node, Node]


class TripleSet:
    """The triples of one named graph, in the order they were added, each once.

    Cheaper than an rdflib Graph (no indexes): the builder only appends, and the store
    or a validator reads them back in bulk.

    >>> triples = TripleSet()
    >>> triples.add((DIP.a, DIP.b, DIP.c)); triples.add((DIP.a, DIP.b, DIP.c))
    >>> len(triples)
    1
    """

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}

    def add(self, triple: Triple) -> None:
        """Add a triple (again: no effect)."""
        self._triples[triple] = None

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


@dataclass
class BuiltGraph:
    """The built named graphs and, for each minted node, the curation line it came from."""

    graphs: dict[URIRef, TripleSet] = field(default_factory=dict)
    origins: dict[URIRef, Where] = field(default_factory=dict)
    _dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        """The graphs as an rdflib Dataset (made on first use)."""
        if self._dataset is None:
            dataset = new_dataset()
            for name, triples in self.graphs.items():
                graph = dataset.graph(name)
                for triple in triples:
                    graph.add(triple)
            self._dataset = dataset
        return self._dataset

    def triples(self) -> int:
        """Triples over all graphs (a triple in two graphs counts twice)."""
        return sum(len(triples) for triples in self.graphs.values())

    def graph(self, name: URIRef) -> TripleSet:
        """The named graph ``name``, created empty when new."""
        return self.graphs.setdefault(name, TripleSet())


def published_literal(value: str) -> Literal:
    """When a source was published, as precise as the source says: a date and time (with
    or without its zone), or a date alone.

    >>> published_literal("2022-08-05").datatype == XSD.date
    True
    >>> published_literal("2023-02-20T11:03")
    rdflib.term.Literal('2023-02-20T11:03:00', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#dateTime'))
    """
    if "T" not in value:
        return Literal(value, datatype=XSD.date)
    day, time = value.split("T", 1)
    if len(time) == 5 or (len(time) > 5 and time[5] in "+-Z"):  # hh:mm: add the seconds
        time = time[:5] + ":00" + time[5:]
    return Literal(f"{day}T{time}", datatype=XSD.dateTime)


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def add_typed(graph: TripleSet, node: URIRef, cls: URIRef) -> None:
    """Type a node with a class and all its ontology superclasses, in IRI order (a set's
    order changes with the interpreter's hash seed, and so would the exported files)."""
    for each in sorted(superclasses().get(cls, frozenset({cls})), key=str):
        graph.add((node, RDF.type, each))


def add_registry(graph: TripleSet, entities: Iterable[Entity]) -> None:
    """The registry: types, ids, labels, aliases, demonyms, definitions, verified Wikidata
    ids."""
    for entity in entities:
        node = entity_iri(entity.id)
        add_typed(graph, node, DIP[entity.type])
        graph.add((node, DIP.registryId, Literal(entity.id)))
        graph.add((node, RDFS.label, Literal(entity.labels["en"], lang="en")))
        for lang, label in entity.labels.items():
            graph.add((node, SKOS.prefLabel, Literal(label, lang=lang)))
        for lang, names in entity.aliases.items():
            for name in names:
                graph.add((node, SKOS.altLabel, Literal(name, lang=lang)))
        for lang, demonyms in entity.demonyms.items():
            for demonym in demonyms:
                graph.add((node, DIP.demonym, Literal(demonym, lang=lang)))
        if entity.description:
            graph.add((node, SKOS.definition, Literal(entity.description, lang="en")))
        if entity.wikidata:
            graph.add((node, OWL.sameAs, WD[entity.wikidata]))
        if entity.post_in:
            graph.add((node, ORG.postIn, entity_iri(entity.post_in)))
        if entity.part_of:
            graph.add((node, ORG.subOrganizationOf, entity_iri(entity.part_of)))
        if entity.series:
            graph.add((node, DIP.inSeries, entity_iri(entity.series)))
        if entity.ordinal is not None:
            graph.add((node, DIP.ordinal, Literal(entity.ordinal, datatype=XSD.integer)))


class _SourceBuilder:
    """Writes one source's graph; the :class:`~kg.kinds.base.BuildContext` of every kind."""

    def __init__(self, graph: TripleSet, source: Source, origins: dict[URIRef, Where]):
        self.graph = graph
        self.source = source
        self.node_iri = source_iri(source.id)
        self.origins = origins
        self.mentioned: set[str] = set()

    def add(self, subject: Node, predicate: URIRef, obj: Node) -> None:
        self.graph.add((subject, predicate, obj))

    def typed(self, node: URIRef, cls: URIRef) -> None:
        add_typed(self.graph, node, cls)

    def entity(self, entity_id: str) -> URIRef:
        self.mentioned.add(entity_id)
        return entity_iri(entity_id)

    def node(self, suffix: str) -> URIRef:
        return fact_iri(self.source.id, suffix)

    def provenance(self, node: URIRef, where: Where | None) -> None:
        self.add(node, PROV.wasDerivedFrom, self.node_iri)
        if where is not None:
            self.origins[node] = where

    def fact_node(self, fact: Fact, cls: URIRef, suffix: str | None = None) -> URIRef:
        node = self.node(fact.id if suffix is None else f"{fact.id}/{suffix}")
        return self._fact(node, cls, fact.evidence, fact.where)

    def _fact(self, node: URIRef, cls: URIRef, evidence: tuple[Evidence, ...],
              where: Where | None) -> URIRef:
        add_typed(self.graph, node, cls)
        self.add(node, PROV.wasDerivedFrom, self.node_iri)
        for item in evidence:
            self.add(node, DIP.evidence, self.evidence(item))
        if where is not None:
            self.origins[node] = where
        return node

    def evidence(self, item: Evidence) -> URIRef:
        locator = item.locator
        node = evidence_iri(self.source.id, str(locator))
        add_typed(self.graph, node, DIP.Evidence)
        self.add(node, OA.hasSource, self.node_iri)
        self.add(node, DIP.locator, Literal(str(locator)))
        if locator.paragraph is not None:
            # xsd:integer, not xsd:positiveInteger: Oxigraph stores integer subtypes as
            # xsd:integer, and a graph must read back as it was written
            self.add(node, DIP.paragraph, Literal(locator.paragraph, datatype=XSD.integer))
            self.add(node, DIP.sentence, Literal(locator.sentence, datatype=XSD.integer))
        else:
            self.add(node, RDF.type, OA.TextPositionSelector)
            self.add(node, OA.start, Literal(locator.start, datatype=XSD.integer))
            self.add(node, OA.end, Literal(locator.end, datatype=XSD.integer))
        if item.where is not None:
            self.origins.setdefault(node, item.where)
        return node

    def relation(self, node: URIRef, subject: URIRef, prop: URIRef, obj: Node,
                 fact: Fact) -> None:
        self._reified(node, subject, prop, obj, fact.evidence, fact.where)

    def _reified(self, node: URIRef, subject: URIRef, prop: URIRef, obj: Node,
                 evidence: tuple[Evidence, ...], where: Where | None) -> None:
        self._fact(node, DIP.RelationFact, evidence, where)
        self.add(node, RDF.subject, subject)
        self.add(node, RDF.predicate, prop)
        self.add(node, RDF.object, obj)
        self.add(subject, prop, obj)

    def build(self) -> None:
        source, node = self.source, self.node_iri
        add_typed(self.graph, node, DIP.NewsArticle)
        self.origins[node] = source.where
        self.add(node, SCHEMA.headline, Literal(source.title, lang=source.language))
        self.add(node, SCHEMA.url, Literal(source.url, datatype=XSD.anyURI))
        self.add(node, SCHEMA.publisher, self.entity(source.publisher))
        published = published_literal(source.published)
        self.add(node, SCHEMA.datePublished, published)
        self.add(node, SCHEMA.inLanguage, Literal(source.language))
        self.add(node, DIP.sha256, Literal(source.sha256))
        self.add(node, DIP.textFile, Literal(source.text_file))
        if source.paragraphs != "blank-line":
            self.add(node, DIP.paragraphRule, Literal(source.paragraphs))
        if source.website:
            self.add(node, DIP.website, Literal(source.website))
        if source.published_evidence:
            self._reified(fact_iri(source.id, "published"), node, SCHEMA.datePublished,
                          published, source.published_evidence, source.where)
        for person in source.editors:
            self._reified(fact_iri(source.id, f"editor/{person}"), node, SCHEMA.editor,
                          self.entity(person), source.editors_evidence, source.where)
        for photo in source.photos:
            photo_node = self._fact(fact_iri(source.id, photo.id), DIP.Photograph,
                                    photo.evidence, photo.where)
            self.add(node, SCHEMA.associatedMedia, photo_node)
            self.add(photo_node, FOAF.depicts, self.entity(photo.depicts))
            self.add(photo_node, SCHEMA.creator, self.entity(photo.creator))
            if photo.agency:
                self.add(photo_node, SCHEMA.sourceOrganization, self.entity(photo.agency))
        for fact in source.facts:
            kind_of(fact).build(fact, self)
        for entity_id in sorted(self.mentioned):
            self.add(node, SCHEMA.mentions, entity_iri(entity_id))


def build_source(graph: TripleSet, source: Source, origins: dict[URIRef, Where]) -> None:
    """Add what one source states to its named graph."""
    _SourceBuilder(graph, source, origins).build()


def build_graph(curation: Curation) -> BuiltGraph:
    """Build the dataset: the registry graph and one named graph per source."""
    built = BuiltGraph()
    build_registry(built, curation.entities)
    for source in curation.sources:
        build_source(built.graph(source_graph(source.id)), source, built.origins)
    return built


def build_registry(built: BuiltGraph, entities: Mapping[str, Entity]) -> None:
    """Add the registry's graph (and where each entity was curated) to ``built``."""
    registry = built.graph(REGISTRY_GRAPH)
    add_registry(registry, entities.values())
    add_origins(built, entities)
    registry.add((REGISTRY_GRAPH, DCTERMS.title, Literal("Entity registry", lang="en")))


def add_origins(built: BuiltGraph, entities: Mapping[str, Entity]) -> None:
    """Where each entity of the registry was curated (for SHACL's messages)."""
    for entity in entities.values():
        built.origins[entity_iri(entity.id)] = entity.where
