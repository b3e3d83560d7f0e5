"""Facts read back from a built graph, each from its own source's named graph only.

Every reader of the graph (the network, evidence sentences) works on the data classes
of :mod:`kg.kinds`, read here through each kind's :meth:`~kg.kinds.base.FactKind.read_back`.
A fact is read from the named graph of the source it is derived from, so a sentence never
mixes in what another source says about the same event.

A dataset backed by an Oxigraph store is read straight from the store: a few SPARQL
SELECTs (each property a kind reads, in one query over every graph; evidence locators;
the fact nodes with their kinds and sources) fill an index per (graph, subject), and each
kind reads its facts from it through :class:`IndexView`. Other datasets (rdflib's memory
store) are read through rdflib, with :class:`GraphView`. Both give the same facts.

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> found = read_facts(compile_project(Path("data")).dataset)
>>> {"event", "holding", "relation", "statement"} <= {item.kind.name for item in found}
True
>>> "qin-gang" in {item.fact.person for item in found if item.kind.name == "holding"}
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any
from weakref import WeakSet

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from kg.graph.fact_views import (
    DESCRIBING,
    SOURCE_PROPERTIES,
    GraphView,
    IndexView,
    Said,
    SampleIndex,
    StoreIndex,
    add_said,
    entity_keys,
    inside_nt,
    iri_text,
    lexical_form,
    locator_order,
    node_key,
    oxigraph_store,
    select_rows,
    select_text,
    tsv_rows,
    unescape_nt,
)
from kg.graph.namespaces import DIP, REGISTRY_GRAPH, SCHEMA
from kg.kinds import KINDS, kind_of_class
from kg.kinds.base import Fact, FactKind

__all__ = [
    "EntityRecord",
    "GraphView",
    "IndexView",
    "ReadFact",
    "SourceInfo",
    "StoreIndex",
    "entity_ids",
    "entity_records",
    "locator_order",
    "oxigraph_store",
    "read_fact",
    "read_facts",
    "registry_links",
    "sources",
    "start_entity_records",
    "start_reading",
]

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


# --- the readers -------------------------------------------------------------------------------


def entity_ids(dataset: Dataset, *, index: StoreIndex | None = None) -> dict[Node, str]:
    """Every registry entity's IRI, with its registry id (the greatest, for a node given
    several: the one the network keeps)."""
    found: dict[Node, str] = {}
    store = oxigraph_store(dataset)
    if store is not None:
        tsv = (index or StoreIndex(store, workers=0)).job(
            "entity ids", partial(_entity_id_tsv, store)).result()
        pairs = [(URIRef(s[1:-1]), lexical_form(value)) for s, value in tsv_rows(tsv)]
    else:
        pairs = [(node, str(value)) for node, value in dataset.subject_objects(DIP.registryId)
                 if isinstance(node, URIRef)]
    for node, value in sorted(pairs, key=lambda pair: pair[1]):
        found[node] = value
    return found


def _entity_id_tsv(store: Any) -> str:
    return select_text(store, f"SELECT ?s ?id WHERE {{ ?s {iri_text(DIP.registryId)} ?id "
                              "FILTER(isIRI(?s)) }")


@dataclass(frozen=True)
class EntityRecord:
    """A registry entity as the union of the graphs describes it."""

    node: URIRef
    id: str
    #: Its ``rdf:type`` IRIs, sorted.
    types: tuple[URIRef, ...]
    #: Its ``rdfs:label`` (the smallest, when several).
    label: str | None
    #: ``skos:prefLabel`` by language tag (lower case; ``""`` for none).
    labels: dict[str, str]
    #: ``skos:altLabel`` by language tag, sorted.
    aliases: dict[str, tuple[str, ...]]
    #: Its ``skos:definition`` (the smallest, when several).
    definition: str | None




def entity_records(dataset: Dataset, *, index: StoreIndex | None = None
                   ) -> list[EntityRecord]:
    """Every registry entity with its types and labels, by registry id then IRI.

    >>> from pathlib import Path
    >>> from kg.pipeline import compile_project
    >>> found = entity_records(compile_project(Path("data")).dataset)
    >>> qin = next(record for record in found if record.id == "qin-gang")
    >>> qin.label, qin.labels["zh"]
    ('Qin Gang', '秦刚')
    """
    store = oxigraph_store(dataset)
    if store is not None:
        if index is None:
            return _records_of_rows(StoreIndex(store, workers=0).entity_rows())
        return start_entity_records(index).result()
    # (node, property number) -> objects as (lexical form, "iri", "blank" or "literal",
    # language tag); each triple once, whatever graphs state it
    described: dict[tuple[str, int], set[tuple[str, str, str]]] = {}
    nodes = {node for node in dataset.subjects(DIP.registryId) if isinstance(node, URIRef)}
    for node in nodes:
        for number, prop in enumerate(DESCRIBING):
            found = {_described(term) for term in dataset.objects(node, prop)}
            if found:
                described[(str(node), number)] = found
    return _records(described)


def start_entity_records(index: StoreIndex) -> Future[list[EntityRecord]]:
    """:func:`entity_records` of an index's store, to come: queried and made in a worker
    thread (the projection sends it first, and reads the facts' nodes meanwhile)."""
    return index.job("entity records",
                     lambda: _records_of_rows(tsv_rows(index.read_entity_tsv())))


def _records_of_rows(rows: Iterable[list[str]]) -> list[EntityRecord]:
    described: dict[tuple[str, int], set[tuple[str, str, str]]] = {}
    for s, p, o in rows:
        if s[:1] == "<":
            described.setdefault((s[1:-1], int(p)), set()).add(_nt_described(o))
    return _records(described)


def _records(described: Mapping[tuple[str, int], set[tuple[str, str, str]]]
             ) -> list[EntityRecord]:
    records: list[EntityRecord] = []
    for (subject, number), ids in described.items():
        if number == 0:
            records.extend(_entity_record(subject, value, described) for value, _, _ in ids)
    return sorted(records, key=lambda record: (record.id, str(record.node)))


def _described(term: Node) -> tuple[str, str, str]:
    """An rdflib term as (lexical form, "iri", "blank" or "literal", language tag)."""
    if isinstance(term, Literal):
        return str(term), "literal", term.language or ""
    return str(term), "iri" if isinstance(term, URIRef) else "blank", ""


def _nt_described(nt: str) -> tuple[str, str, str]:
    """An N-Triples term as (lexical form, "iri", "blank" or "literal", language tag)."""
    first = nt[:1]
    if first == '"':
        end = nt.rindex('"')
        rest = nt[end + 1:]
        language = rest[1:].split("--", 1)[0] if rest[:1] == "@" else ""
        return unescape_nt(nt[1:end]), "literal", language
    if first == "<" and nt[:2] != "<<":
        return nt[1:-1], "iri", ""
    if first == "_":
        return nt[2:], "blank", ""
    return nt, "literal", ""  # a number or a boolean, written bare


def _entity_record(node: str, entity_id: str,
                   described: Mapping[tuple[str, int], set[tuple[str, str, str]]]
                   ) -> EntityRecord:
    def objects(number: int) -> list[tuple[str, str, str]]:
        return sorted(described.get((node, number), ()))

    labels: dict[str, str] = {}
    for text, kind, language in reversed(objects(3)):  # the smallest of a language wins
        if kind == "literal":
            labels[language.lower()] = text
    aliases: dict[str, list[str]] = {}
    for text, kind, language in objects(4):
        if kind == "literal":
            aliases.setdefault(language.lower(), []).append(text)
    label, definition = objects(2)[:1], objects(5)[:1]
    return EntityRecord(
        node=URIRef(node), id=entity_id,
        types=tuple(URIRef(text) for text, kind, _ in objects(1) if kind == "iri"),
        label=label[0][0] if label else None,
        labels=dict(sorted(labels.items())),
        aliases={k: tuple(v) for k, v in sorted(aliases.items())},
        definition=definition[0][0] if definition else None)


def registry_links(dataset: Dataset, properties: Sequence[URIRef], *,
                   index: StoreIndex | None = None) -> dict[URIRef, list[tuple[Node, Node]]]:
    """The (subject, object) pairs of each property in the registry graph, sorted."""
    found: dict[URIRef, list[tuple[Node, Node]]] = {prop: [] for prop in properties}
    store = oxigraph_store(dataset)
    if store is not None and properties:
        index = index or StoreIndex(store, workers=0)
        for s, p, o in index.registry_rows(properties):
            found[properties[int(p)]].append((index.term(s), index.term(o)))
    elif properties:
        registry = _graph(dataset, REGISTRY_GRAPH)
        for prop in properties:
            found[prop] = list(registry.subject_objects(prop))
    return {prop: sorted(pairs, key=str) for prop, pairs in found.items()}


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
    store = oxigraph_store(dataset)
    if store is not None:
        with StoreIndex(store) as index:
            return _store_sources(index, ids)
    found = []
    articles = _typed(dataset, DIP.NewsArticle)
    for name in sorted(articles, key=str):
        g = _graph(dataset, name)
        for article in sorted(articles[name], key=str):
            found.append(_source_info(GraphView(g, article, ids), name, ids))
    return found


def _store_sources(index: StoreIndex, ids: Mapping[Node, str]) -> list[SourceInfo]:
    """The sources of a store, in the order of :func:`sources`."""
    keys = entity_keys(ids)
    index.prefetch(SOURCE_PROPERTIES)
    return [_source_info(IndexView(index, g, URIRef(a[1:-1]), keys), URIRef(g[1:-1]), ids)
            for g, a in index.sources_rows()]


#: What :func:`_source_info` reads of an article.


def _source_info(view: GraphView | IndexView, name: URIRef,
                 ids: Mapping[Node, str]) -> SourceInfo:
    article = view.node
    text_file = view.value(DIP.textFile)
    return SourceInfo(
        iri=article, graph=name, id=str(article).rsplit("/source/", 1)[-1],
        title=view.text(SCHEMA.headline) or str(article),
        url=view.text(SCHEMA.url) or "",
        published=view.text(SCHEMA.datePublished) or "",
        publisher=view.entity(SCHEMA.publisher),
        text_file=str(text_file) if isinstance(text_file, Literal) else None)


def read_facts(dataset: Dataset, entities: Mapping[Node, str] | None = None, *,
               index: StoreIndex | None = None) -> list[ReadFact]:
    """Every fact of every kind, source by source (kinds in registry order, facts by IRI).

    An Oxigraph-backed dataset is read from its store directly (:class:`StoreIndex`;
    ``index`` one already started, as the projection does), any other through rdflib;
    the facts are the same.
    """
    ids = entity_ids(dataset) if entities is None else entities
    store = oxigraph_store(dataset)
    if store is not None:
        if index is not None:
            return _store_facts(index, ids)
        with StoreIndex(store) as own:
            return _store_facts(own, ids)
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


def _store_facts(index: StoreIndex, ids: Mapping[Node, str]) -> list[ReadFact]:
    """:func:`read_facts` on a store (its queries sent by :func:`start_reading`): kind by
    kind, the nodes of the kind derived from each source with their evidence (one query),
    each read by its kind from the index once the kind's properties are there (while the
    next kind's are read); returned source by source."""
    start_reading(index)
    keys = entity_keys(ids)
    articles = index.sources_rows()
    number_of = {article: number for number, article in enumerate(articles)}
    sources = _store_sources(index, ids)
    read: dict[tuple[int, int], list[ReadFact]] = {}
    for kind_number, kind in enumerate(KINDS):
        nodes: dict[int, set[str]] = {}
        locators: Said = {}
        for g, a, n, locator in index.kind_rows(kind.rdf_class):
            number = number_of.get((g, a))
            if number is None or n[:1] != "<":
                continue  # not derived from a source of its graph
            nodes.setdefault(number, set()).add(n)
            key = node_key(g, n)
            if locator:
                add_said(locators, key, locator)
            elif key not in locators:
                locators[key] = []  # a fact without evidence
        index.add_fact_locators(locators)
        for number, kind_nodes in nodes.items():
            graph, source = articles[number][0], sources[number]
            facts = read[(number, kind_number)] = []
            for n in sorted(kind_nodes, key=inside_nt):  # by IRI
                node = URIRef(n[1:-1])
                fact = kind.read_back(IndexView(index, graph, node, keys))
                if fact is not None:
                    facts.append(ReadFact(node, kind, source, fact))
    return [item for key in sorted(read) for item in read[key]]


#: The indexes :func:`start_reading` has sent the queries of.
_STARTED: WeakSet[StoreIndex] = WeakSet()


def start_reading(index: StoreIndex, *, entities: bool = False,
                  registry: Sequence[URIRef] = ()) -> None:
    """Send the queries :func:`read_facts` needs, in the order it needs them, to the
    index's worker threads: entity ids, the sources and what they say of themselves, then
    kind by kind the kind's fact nodes (with their evidence) and the properties the kind
    reads, learnt from one of its facts (read alone from its graph: entity ids are not
    needed, every IRI is taken for an entity while learning). With ``entities``, the
    entities' records (:func:`entity_records`) and ``registry``'s links follow: what the
    projection needs once the facts are read."""
    if index not in _STARTED:
        _STARTED.add(index)
        index.job("entity ids", partial(_entity_id_tsv, index.store))
        index.send_sources()
        index.prefetch(SOURCE_PROPERTIES)
        if KINDS:
            index.send_kind(KINDS[0].rdf_class)  # read while the properties are learnt
        learnt = _learn_properties(index)
        for kind in KINDS:
            index.send_kind(kind.rdf_class)
            index.prefetch(learnt.get(kind.name, ()))
    if entities:
        start_entity_records(index)
    if registry:
        index.send_registry(registry)


class _AnyEntity(dict[str, str]):
    """Every IRI taken for an entity (the IRI its id), so that a kind read to learn what it
    reads goes as far as a fact lets it."""

    def get(self, key: str, default: Any = None) -> Any:
        return key[1:-1] if key[:1] == "<" else default


def _learn_properties(index: StoreIndex) -> dict[str, list[URIRef]]:
    """The properties each kind reads (by kind name; each property under the first kind
    that reads it), as the kind reads a few of its facts, each from its graph alone (read
    whole: a few hundred triples). A property these facts did not lead to is read when
    another fact asks for it."""
    keys = _AnyEntity()
    learnt: dict[str, list[URIRef]] = {}
    seen: set[URIRef] = set()
    samples: dict[str, SampleIndex] = {}
    for kind in KINDS:
        asked: dict[URIRef, None] = {}
        for graph, node in select_rows(index.store, (
                f"SELECT ?g ?n WHERE {{ GRAPH ?g {{ ?n a {iri_text(kind.rdf_class)} . "
                f"?n {iri_text(PROV.wasDerivedFrom)} ?a . ?a a {iri_text(DIP.NewsArticle)} }} "
                f"FILTER(isIRI(?n)) }} LIMIT {_LEARNT_FROM}")):
            sample = samples.get(graph)
            if sample is None:
                sample = samples[graph] = index.sample(graph)
            sample.asked.clear()
            with suppress(Exception):  # the fact is read again, and any error raised, later
                kind.read_back(IndexView(sample, graph, URIRef(node[1:-1]), keys))
            asked.update(sample.asked)
        learnt[kind.name] = [prop for prop in asked if prop not in seen]
        seen.update(asked)
    return learnt


#: How many facts of each kind the properties are learnt from (a fact may take fewer
#: branches of its kind's reading than another: an event without participants).
_LEARNT_FROM = 3


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
                    return ReadFact(node, kind, _source_info(GraphView(g, article, ids), name,
                                                             ids), fact)
    return None
