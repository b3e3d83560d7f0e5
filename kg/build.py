"""Turn checked facts into RDF: one named graph per source, the registry in its own graph.

The only module that mints IRIs for facts (through :mod:`kg.namespaces`). Every fact
becomes a node of a ``dip:Fact`` subclass carrying ``prov:wasDerivedFrom`` (its source)
and ``dip:evidence`` (its located passages); the plain triples a user queries first
(``org:holds``, ``org:memberOf``, ``sem:hasActor`` ...) are asserted beside it in the
same named graph. Entity types are materialized with their ontology superclasses, so
queries need no reasoner.

>>> from pathlib import Path
>>> from kg.curation import load_curation
>>> built = build_graph(load_curation(Path("data")))
>>> len(list(built.dataset.graphs())) > 2
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.model import (
    Curation,
    Entity,
    EventReport,
    Evidence,
    Holding,
    Relation,
    Source,
    Statement,
    Where,
)
from kg.namespaces import (
    CAMEO,
    DIP,
    OA,
    ORG,
    PREFIXES,
    REGISTRY_GRAPH,
    SCHEMA,
    SEM,
    WD,
    entity_iri,
    evidence_iri,
    fact_iri,
    source_graph,
    source_iri,
)
from kg.ontology import superclasses

#: Relation predicates as curated -> (RDF property, whether subject and object swap).
RELATION_PROPERTIES: dict[str, tuple[URIRef, bool]] = {
    "member-of": (ORG.memberOf, False),
    "unit-of": (ORG.unitOf, False),
    "head-of": (ORG.headOf, False),
    "capital-of": (DIP.capitalOf, False),
    "located-in": (SCHEMA.containedInPlace, False),
    "proposed": (DIP.proposedBy, True),
    "committed-to": (DIP.committedTo, False),
    "supports": (DIP.supports, False),
}

ROLE_CONCEPTS = {"host": DIP.host, "guest": DIP.guest, "participant": DIP.participantRole}


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


def date_literal(value: str) -> Literal:
    """A date as curated, typed by its precision.

    >>> date_literal("2022").datatype == XSD.gYear
    True
    >>> date_literal("2023-04-19").datatype == XSD.date
    True
    """
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


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
    """The registry: types, ids, labels, aliases, definitions, verified Wikidata ids."""
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
        if entity.description:
            graph.add((node, SKOS.definition, Literal(entity.description, lang="en")))
        if entity.wikidata:
            graph.add((node, OWL.sameAs, WD[entity.wikidata]))
        if entity.post_in:
            graph.add((node, ORG.postIn, entity_iri(entity.post_in)))
        if entity.part_of:
            graph.add((node, ORG.subOrganizationOf, entity_iri(entity.part_of)))


class _SourceBuilder:
    def __init__(self, graph: TripleSet, source: Source, origins: dict[URIRef, Where]):
        self.graph = graph
        self.source = source
        self.node = source_iri(source.id)
        self.origins = origins
        self.mentioned: set[str] = set()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.graph.add((s, p, o))

    def entity(self, entity_id: str) -> URIRef:
        self.mentioned.add(entity_id)
        return entity_iri(entity_id)

    def fact(self, node: URIRef, cls: URIRef, evidence: tuple[Evidence, ...],
             where: Where) -> URIRef:
        add_typed(self.graph, node, cls)
        self.add(node, PROV.wasDerivedFrom, self.node)
        for item in evidence:
            self.add(node, DIP.evidence, self.evidence(item))
        self.origins[node] = where
        return node

    def evidence(self, item: Evidence) -> URIRef:
        locator = item.locator
        node = evidence_iri(self.source.id, str(locator))
        add_typed(self.graph, node, DIP.Evidence)
        self.add(node, OA.hasSource, self.node)
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
        self.origins.setdefault(node, item.where)
        return node

    def relation(self, node: URIRef, subject: URIRef, prop: URIRef, obj: URIRef | Literal,
                 evidence: tuple[Evidence, ...], where: Where) -> None:
        self.fact(node, DIP.RelationFact, evidence, where)
        self.add(node, RDF.subject, subject)
        self.add(node, RDF.predicate, prop)
        self.add(node, RDF.object, obj)
        self.add(subject, prop, obj)

    def build(self) -> None:
        source, node = self.source, self.node
        add_typed(self.graph, node, DIP.NewsArticle)
        self.origins[node] = source.where
        self.add(node, SCHEMA.headline, Literal(source.title, lang=source.language))
        self.add(node, SCHEMA.url, Literal(source.url, datatype=XSD.anyURI))
        self.add(node, SCHEMA.publisher, self.entity(source.publisher))
        published = Literal(source.published, datatype=XSD.dateTime)
        self.add(node, SCHEMA.datePublished, published)
        self.add(node, SCHEMA.inLanguage, Literal(source.language))
        self.add(node, DIP.sha256, Literal(source.sha256))
        self.add(node, DIP.textFile, Literal(source.text_file))
        if source.website:
            self.add(node, DIP.website, Literal(source.website))
        if source.published_evidence:
            self.relation(fact_iri(source.id, "published"), node, SCHEMA.datePublished,
                          published, source.published_evidence, source.where)
        for person in source.editors:
            self.relation(fact_iri(source.id, f"editor/{person}"), node, SCHEMA.editor,
                          self.entity(person), source.editors_evidence, source.where)
        for photo in source.photos:
            photo_node = self.fact(fact_iri(source.id, photo.id), DIP.Photograph,
                                   photo.evidence, photo.where)
            self.add(node, SCHEMA.associatedMedia, photo_node)
            self.add(photo_node, FOAF.depicts, self.entity(photo.depicts))
            self.add(photo_node, SCHEMA.creator, self.entity(photo.creator))
            if photo.agency:
                self.add(photo_node, SCHEMA.sourceOrganization, self.entity(photo.agency))
        for fact in source.facts:
            if isinstance(fact, Holding):
                self.holding(fact)
            elif isinstance(fact, Relation):
                self.relation_fact(fact)
            elif isinstance(fact, EventReport):
                self.event(fact)
            else:
                self.statement(fact)
        for entity_id in sorted(self.mentioned):
            self.add(node, SCHEMA.mentions, entity_iri(entity_id))

    def holding(self, fact: Holding) -> None:
        node = self.fact(fact_iri(self.source.id, fact.id), DIP.PostHolding, fact.evidence,
                         fact.where)
        person, post = self.entity(fact.person), self.entity(fact.post)
        self.add(node, DIP.holder, person)
        self.add(node, DIP.post, post)
        self.add(node, DIP.attestedOn, date_literal(fact.attested))
        if fact.start:
            self.add(node, DIP.startDate, date_literal(fact.start))
        if fact.end:
            self.add(node, DIP.endDate, date_literal(fact.end))
        self.add(person, ORG.holds, post)
        self.add(post, ORG.heldBy, person)

    def relation_fact(self, fact: Relation) -> None:
        prop, swap = RELATION_PROPERTIES[fact.predicate]
        subject = self.entity(fact.subject)
        for obj_id in fact.objects:
            obj = self.entity(obj_id)
            node = fact_iri(self.source.id, f"{fact.id}/{obj_id}")
            if swap:
                self.relation(node, obj, prop, subject, fact.evidence, fact.where)
            else:
                self.relation(node, subject, prop, obj, fact.evidence, fact.where)

    def event(self, fact: EventReport) -> None:
        node = self.fact(fact_iri(self.source.id, fact.id), DIP.EventReport, fact.evidence,
                         fact.where)
        event = self.entity(fact.event)
        self.add(node, DIP.about, event)
        if fact.date:
            self.add(event, SEM.hasTimeStamp, date_literal(fact.date))
        if fact.place:
            self.add(event, SEM.hasPlace, self.entity(fact.place))
        if fact.cameo:
            self.add(event, SEM.eventType, CAMEO[fact.cameo])
        if fact.organizer:
            self.add(event, SCHEMA.organizer, self.entity(fact.organizer))
        if fact.outcome:
            self.add(event, DIP.outcome, self.entity(fact.outcome))
        if fact.unnamed_participants:
            self.add(event, DIP.unnamedParticipants, Literal(fact.unnamed_participants, lang="en"))
        for part in fact.participants:
            who = self.entity(part.who)
            role = fact_iri(self.source.id, f"{fact.id}/participant/{part.who}")
            add_typed(self.graph, role, DIP.Participation)
            self.add(role, DIP.participant, who)
            self.add(role, DIP.role, ROLE_CONCEPTS[part.role])
            self.add(role, PROV.wasDerivedFrom, self.node)
            self.add(event, DIP.participation, role)
            self.add(event, SEM.hasActor, who)
            self.origins[role] = fact.where

    def statement(self, fact: Statement) -> None:
        node = self.fact(fact_iri(self.source.id, fact.id), DIP.ReportedStatement,
                         fact.evidence, fact.where)
        self.add(node, DIP.speaker, self.entity(fact.speaker))
        self.add(node, DIP.summary, Literal(fact.summary, lang="en"))
        if fact.at:
            self.add(node, DIP.madeAt, self.entity(fact.at))
        if fact.date:
            self.add(node, DIP.statedOn, date_literal(fact.date))
        if fact.act:
            self.add(node, DIP.speechAct, DIP[fact.act])
        if fact.addressee:
            self.add(node, DIP.addressee, self.entity(fact.addressee))
        for topic in fact.topics:
            self.add(node, DIP.topic, self.entity(topic))


def build_source(graph: TripleSet, source: Source, origins: dict[URIRef, Where]) -> None:
    """Add what one source states to its named graph."""
    _SourceBuilder(graph, source, origins).build()


def build_graph(curation: Curation) -> BuiltGraph:
    """Build the dataset: the registry graph and one named graph per source."""
    built = BuiltGraph()
    registry = built.graph(REGISTRY_GRAPH)
    add_registry(registry, curation.entities.values())
    for entity in curation.entities.values():
        built.origins[entity_iri(entity.id)] = entity.where
    registry.add((REGISTRY_GRAPH, DCTERMS.title, Literal("Entity registry", lang="en")))
    for source in curation.sources:
        build_source(built.graph(source_graph(source.id)), source, built.origins)
    return built
