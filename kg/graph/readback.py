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

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.curation.model import Evidence
from kg.curation.text import Locator
from kg.errors import KGError
from kg.graph.namespaces import DIP, ID, REGISTRY_GRAPH, SCHEMA
from kg.kinds import KINDS, kind_of_class
from kg.kinds.base import Fact, FactKind

__all__ = ["EntityRecord", "GraphView", "IndexView", "ReadFact", "SourceInfo", "StoreIndex",
           "entity_ids", "entity_records", "locator_order", "oxigraph_store", "read_fact",
           "read_facts", "registry_links", "sources"]

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
        return _evidence({str(locator) for item in self.graph.objects(self._node, DIP.evidence)
                          for locator in self.graph.objects(item, DIP.locator)})


def _locator_key(text: str) -> tuple[tuple[int, int], str]:
    return locator_order(text), text


def _evidence(locators: Iterable[str]) -> tuple[Evidence, ...]:
    return tuple(Evidence(Locator.parse(text), None)
                 for text in sorted(locators, key=_locator_key))


# --- reading straight from an Oxigraph store ---------------------------------------------------


def oxigraph_store(dataset: Dataset) -> ox.Store | None:
    """The Oxigraph store behind an rdflib dataset (through oxrdflib), None for any other."""
    from oxrdflib import OxigraphStore

    store = dataset.store
    return store._inner if isinstance(store, OxigraphStore) else None


def _select(store: ox.Store, text: str) -> list[list[str]]:
    """The rows of a SELECT on the union of the graphs, each cell an N-Triples term (the
    SPARQL TSV results: Oxigraph writes them without a Python object per term)."""
    answer = store.query(text, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    data = answer.serialize(format=ox.QueryResultsFormat.TSV)
    assert data is not None
    # split("\n"), not splitlines(): TSV escapes LF and CR in literals, not U+2028 and others
    return [line.split("\t") for line in data.decode("utf-8").split("\n")[1:] if line]


def _iri(node: URIRef) -> str:
    """``<iri>`` for a query text, checked by Oxigraph (nothing can end the IRI early)."""
    try:
        return str(ox.NamedNode(str(node)))
    except ValueError as exc:
        raise KGError(f"not an IRI: {node!r} ({' '.join(str(exc).split())})") from None


def _values(name: str, iris: Sequence[URIRef]) -> str:
    """``VALUES (?name ?name_i) { (<iri> 0) ... }``: a query answers with the small integer,
    which Oxigraph writes without looking the IRI up."""
    rows = " ".join(f"({_iri(iri)} {number})" for number, iri in enumerate(iris))
    return f"VALUES (?{name} ?{name}_i) {{ {rows} }}"


def _nt(node: Node) -> str:
    """A node as the N-Triples term Oxigraph writes; a key no row has for other terms."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"\x00{node!r}"


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
            "\\": "\\"}
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _unescape(text: str) -> str:
    r"""A string of an N-Triples literal, its escapes decoded.

    >>> _unescape(r'a\tb\"c\\d\u00e9\U0001F600')
    'a\tb"c\\dé😀'
    """
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code:
            return chr(int(code, 16))
        return _ESCAPED.get(match.group(3), match.group(0))

    return _ESCAPE.sub(one, text)


def _lexical(nt: str) -> str:
    """What ``str()`` of the term gives: an IRI, a literal's lexical form, a blank node id.

    >>> _lexical('<http://x/a>'), _lexical('"a\\\\nb"@en'), _lexical('12'), _lexical('_:b0')
    ('http://x/a', 'a\\nb', '12', 'b0')
    """
    first = nt[:1]
    if first == "<":
        return nt[1:-1]
    if first == '"':
        return _unescape(nt[1:nt.rindex('"')])
    if nt.startswith("_:"):
        return nt[2:]
    return nt  # a number or a boolean, written bare


def _term(nt: str) -> Node:
    """An N-Triples term of a TSV result as an rdflib term (a plain literal stays plain, a
    number or boolean written bare gets its datatype back).

    >>> _term('"2023-04-19"^^<http://www.w3.org/2001/XMLSchema#date>').datatype
    rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date')
    >>> _term('"秦刚"@zh').language, _term('1.5').datatype == XSD.decimal
    ('zh', True)
    """
    first = nt[:1]
    if first == "<" and not nt.startswith("<<"):
        return URIRef(nt[1:-1])
    if first == '"':
        end = nt.rindex('"')
        value, rest = _unescape(nt[1:end]), nt[end + 1:]
        if rest.startswith("@"):  # no base direction; a string's value is itself
            return Literal(value, lang=rest[1:].split("--", 1)[0], normalize=False)
        if rest.startswith("^^<"):
            return Literal(value, datatype=URIRef(rest[3:-1]))
        return Literal(value, normalize=False)
    if nt.startswith("_:"):
        return BNode(nt[2:])
    if nt in ("true", "false"):
        return Literal(nt, datatype=XSD.boolean)
    if _INTEGER.fullmatch(nt):
        return Literal(nt, datatype=XSD.integer)
    if nt[:1] in "+-.0123456789" and nt:
        return Literal(nt, datatype=XSD.double if "e" in nt.lower() else XSD.decimal)
    raise KGError(f"unexpected term in the store: {nt[:60]}")


_NO_OBJECTS: list[str] = []


class StoreIndex:
    """What the named graphs of an Oxigraph store say, by (graph, subject), read in a few
    SELECTs rather than a pattern per node.

    Each property a :class:`IndexView` asks for is read once, over every named graph (one
    query); evidence locators, entities and fact nodes in one query each. Terms are kept as
    the N-Triples text Oxigraph writes and made rdflib terms only when a kind asks for one.

    Queries run in ``workers`` threads (Oxigraph lets go of the interpreter while it
    answers), so the store is read while facts already read are turned into data classes:
    :meth:`start` sends the queries a projection needs, and the properties the kinds read
    are sent as soon as they are known (:func:`read_facts` learns them from one fact of
    each kind). Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, store: ox.Store, *, workers: int = 2):
        self.store = store
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, Future[Any]] = {}
        self._by_property: dict[str, dict[tuple[str, str], list[str]]] = {}
        self._terms: dict[str, Node] = {}
        self._evidence: dict[str, Evidence] = {}

    def __enter__(self) -> StoreIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker threads (queries still running are waited for)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    # -- queries, each run once, in a worker thread -------------------------------------------

    def _job(self, name: str, read: Callable[[], Any]) -> Future[Any]:
        found = self._jobs.get(name)
        if found is None:
            if self._workers > 0:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self._workers,
                                                    thread_name_prefix="kg-store-index")
                found = self._pool.submit(read)
            else:
                found = Future()
                found.set_result(read())
            self._jobs[name] = found
        return found

    def start(self, *, registry: Sequence[URIRef] = ()) -> None:
        """Send the queries a projection needs (entities, sources and fact nodes, evidence,
        registry links) without waiting for their answers."""
        self._job("entities", self._read_entities)
        self.start_facts()
        if registry:
            self._job(_registry_job(registry), partial(self._read_registry, tuple(registry)))

    def start_facts(self) -> None:
        """Send the queries :func:`read_facts` starts with (sources and fact nodes, evidence,
        what sources say of themselves) without waiting for their answers."""
        self._job("facts", self._read_fact_nodes)
        self._job("evidence", self._read_locators)
        self.prefetch(_SOURCE_PROPERTIES)

    def prefetch(self, properties: Iterable[URIRef]) -> None:
        """Send the queries of these properties without waiting for their answers."""
        for prop in properties:
            key = str(prop)
            if key not in self._by_property:
                self._job(key, partial(self._read_property, prop))

    def objects(self, prop: URIRef) -> dict[tuple[str, str], list[str]]:
        """(graph, subject) -> objects of ``prop``, as N-Triples terms."""
        key = str(prop)
        found = self._by_property.get(key)
        if found is None:
            found = self._by_property[key] = self._job(key, partial(
                self._read_property, prop)).result()
        return found

    def _read_property(self, prop: URIRef) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = {}
        for g, s, o in _select(self.store, f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ "
                                           f"?s {_iri(prop)} ?o }} }}"):
            objects = found.get((g, s))
            if objects is None:
                found[(g, s)] = [o]
            else:
                objects.append(o)
        return found

    def locators(self) -> dict[tuple[str, str], set[str]]:
        """(graph, subject) -> the locators of its evidence (``dip:evidence/dip:locator``)."""
        found: dict[tuple[str, str], set[str]] = self._job(
            "evidence", self._read_locators).result()
        return found

    def _read_locators(self) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for g, s, locator in _select(self.store, (
                "SELECT ?g ?s ?l WHERE { GRAPH ?g { "
                f"?s {_iri(DIP.evidence)} ?e . ?e {_iri(DIP.locator)} ?l }} }}")):
            found.setdefault((g, s), set()).add(_lexical(locator))
        return found

    def entity_rows(self) -> list[list[str]]:
        """(entity, property number in :data:`_DESCRIBING`, object) rows."""
        rows: list[list[str]] = self._job("entities", self._read_entities).result()
        return rows

    def _read_entities(self) -> list[list[str]]:
        # LATERAL: Oxigraph then looks each entity's properties up, rather than joining
        # every triple of those properties with the entities
        return _select(self.store, (
            f"SELECT ?s ?p_i ?o WHERE {{ ?s {_iri(DIP.registryId)} ?id "
            f"LATERAL {{ {_values('p', _DESCRIBING)} ?s ?p ?o }} }}"))

    def fact_nodes(self) -> tuple[list[tuple[str, str]], dict[int, dict[int, list[str]]]]:
        """The sources as (graph, article), sorted as :func:`sources` sorts them, and
        source number -> kind number (in :data:`~kg.kinds.KINDS`) -> fact nodes."""
        found: tuple[list[tuple[str, str]], dict[int, dict[int, list[str]]]] = self._job(
            "facts", self._read_fact_nodes).result()
        return found

    def _read_fact_nodes(self) -> tuple[list[tuple[str, str]], dict[int, dict[int, list[str]]]]:
        registry = _iri(REGISTRY_GRAPH)
        rows = [(g, a) for g, a in _select(self.store, (
            f"SELECT DISTINCT ?g ?a WHERE {{ GRAPH ?g {{ ?a a {_iri(DIP.NewsArticle)} }} }}"))
            if g[:1] == "<" and a[:1] == "<" and g != registry]
        articles = sorted(rows, key=lambda row: (row[0][1:-1], row[1][1:-1]))
        nodes: dict[int, dict[int, list[str]]] = {}
        if not articles:
            return articles, nodes
        # the sources are numbered in the query, so that Oxigraph writes a small integer
        # rather than their graph and IRI on every row
        numbered = " ".join(f"({g} {a} {number})" for number, (g, a) in enumerate(articles))
        for a, n, c in _select(self.store, (
                f"SELECT ?a_i ?n ?c_i WHERE {{ VALUES (?g ?a ?a_i) {{ {numbered} }} "
                f"LATERAL {{ {_values('c', [kind.rdf_class for kind in KINDS])} "
                f"GRAPH ?g {{ ?n {_iri(PROV.wasDerivedFrom)} ?a . ?n a ?c }} }} }}")):
            if n[:1] == "<":
                nodes.setdefault(int(a), {}).setdefault(int(c), []).append(n)
        return articles, nodes

    def registry_rows(self, properties: Sequence[URIRef]) -> list[list[str]]:
        """(subject, property number, object) rows of the registry graph."""
        rows: list[list[str]] = self._job(_registry_job(properties), partial(
            self._read_registry, tuple(properties))).result()
        return rows

    def _read_registry(self, properties: tuple[URIRef, ...]) -> list[list[str]]:
        return _select(self.store, (f"SELECT ?s ?p_i ?o WHERE {{ GRAPH {_iri(REGISTRY_GRAPH)} "
                                    f"{{ {_values('p', properties)} ?s ?p ?o }} }}"))

    def sample(self, graph: str) -> _Sample:
        """Everything one named graph says, in an index of its own that notes the
        properties asked of it."""
        return _Sample(self.store, graph)

    # -- in the calling thread --------------------------------------------------------------

    def evidence(self, key: tuple[str, str]) -> tuple[Evidence, ...]:
        """The evidence of (graph, subject), in locator order."""
        locators = self.locators().get(key)
        if not locators:
            return ()
        cache = self._evidence
        for text in locators:
            if text not in cache:
                cache[text] = Evidence(Locator.parse(text), None)
        return tuple(cache[text] for text in sorted(locators, key=_locator_key))

    def term(self, nt: str) -> Node:
        """An N-Triples term as an rdflib term (each converted once)."""
        found = self._terms.get(nt)
        if found is None:
            found = self._terms[nt] = _term(nt)
        return found


def _registry_job(properties: Sequence[URIRef]) -> str:
    return "registry " + " ".join(properties)


class _Sample(StoreIndex):
    """One named graph read whole (a few hundred triples): :func:`read_facts` reads one
    fact of each kind from it to learn which properties the kind reads."""

    def __init__(self, store: ox.Store, graph: str):
        super().__init__(store, workers=0)
        self.asked: set[URIRef] = set()
        self._said: dict[str, dict[tuple[str, str], list[str]]] = {}
        for s, p, o in _select(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"):
            self._said.setdefault(p[1:-1], {}).setdefault((graph, s), []).append(o)

    def objects(self, prop: URIRef) -> dict[tuple[str, str], list[str]]:
        self.asked.add(prop)
        return self._said.get(str(prop), {})

    def locators(self) -> dict[tuple[str, str], set[str]]:
        return {}


class IndexView:
    """A node of one named graph of a :class:`StoreIndex`, as a
    :class:`~kg.kinds.base.FactView` (the same answers as :class:`GraphView`).

    ``graph`` is the graph's name and ``entities`` maps entity IRIs to registry ids, both
    as N-Triples terms (``<iri>``).
    """

    __slots__ = ("_entities", "_graph", "_index", "_key", "_node")

    def __init__(self, index: StoreIndex, graph: str, node: Node,
                 entities: Mapping[str, str]):
        self._index = index
        self._graph = graph
        self._node = node
        self._key = (graph, _nt(node))
        self._entities = entities

    @property
    def node(self) -> URIRef:
        return self._node  # type: ignore[return-value]

    @property
    def fact_id(self) -> str:
        return str(self._node).removeprefix(_FACT_PREFIX).split("/", 1)[-1]

    def _objects(self, prop: URIRef) -> list[str]:
        index = self._index
        found = index._by_property.get(str(prop))  # read already: no call
        if found is None:
            found = index.objects(prop)
        return found.get(self._key, _NO_OBJECTS)

    def _smallest(self, prop: URIRef) -> str | None:
        found = self._objects(prop)
        if len(found) > 1:
            return min(found, key=_lexical)
        return found[0] if found else None

    def values(self, prop: URIRef) -> list[Node]:
        term = self._index.term
        return sorted((term(nt) for nt in self._objects(prop)), key=str)

    def value(self, prop: URIRef) -> Node | None:
        found = self._smallest(prop)
        return None if found is None else self._index.term(found)

    def entity(self, prop: URIRef) -> str | None:
        found = self._smallest(prop)
        return None if found is None else self._entities.get(found)

    def entities(self, prop: URIRef) -> list[str]:
        ids = self._entities
        return sorted(e for nt in self._objects(prop) if (e := ids.get(nt)))

    def text(self, prop: URIRef) -> str | None:
        found = self._smallest(prop)
        return None if found is None else _lexical(found)

    def at(self, node: Node) -> IndexView:
        return IndexView(self._index, self._graph, node, self._entities)

    def evidence(self) -> tuple[Evidence, ...]:
        return self._index.evidence(self._key)


def _inside(nt: str) -> str:
    """The IRI of ``<iri>``."""
    return nt[1:-1]


def _entity_keys(entities: Mapping[Node, str]) -> dict[str, str]:
    return {_nt(node): value for node, value in entities.items()}


# --- the readers -------------------------------------------------------------------------------


def entity_ids(dataset: Dataset) -> dict[Node, str]:
    """Every registry entity's IRI, with its registry id."""
    store = oxigraph_store(dataset)
    if store is not None:
        return {URIRef(s[1:-1]): _lexical(value) for s, value in _select(
            store, f"SELECT ?s ?id WHERE {{ ?s {_iri(DIP.registryId)} ?id FILTER(isIRI(?s)) }}")}
    return {node: str(value) for node, value in dataset.subject_objects(DIP.registryId)
            if isinstance(node, URIRef)}


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


_DESCRIBING = (DIP.registryId, RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel,
               SKOS.definition)


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
    # (node, property number) -> objects as (lexical form, "iri", "blank" or "literal",
    # language tag); each triple once, whatever graphs state it
    described: dict[tuple[str, int], set[tuple[str, str, str]]] = {}
    store = oxigraph_store(dataset)
    if store is not None:
        rows = (index or StoreIndex(store, workers=0)).entity_rows()
        for s, p, o in rows:
            if s[:1] == "<":
                described.setdefault((s[1:-1], int(p)), set()).add(_nt_described(o))
    else:
        nodes = {node for node in dataset.subjects(DIP.registryId) if isinstance(node, URIRef)}
        for node in nodes:
            for number, prop in enumerate(_DESCRIBING):
                found = {_described(term) for term in dataset.objects(node, prop)}
                if found:
                    described[(str(node), number)] = found
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
        return _unescape(nt[1:end]), "literal", language
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
    keys = _entity_keys(ids)
    articles, _ = index.fact_nodes()
    index.prefetch(_SOURCE_PROPERTIES)
    return [_source_info(IndexView(index, g, URIRef(a[1:-1]), keys), URIRef(g[1:-1]), ids)
            for g, a in articles]


#: What :func:`_source_info` reads of an article.
_SOURCE_PROPERTIES = (SCHEMA.publisher, DIP.textFile, SCHEMA.headline, SCHEMA.url,
                      SCHEMA.datePublished)


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
    """:func:`read_facts` on a store: the sources and the fact nodes of every kind derived
    from each (one query), the properties the kinds read (learnt from one fact of each
    kind, then read in the worker threads), each fact read by its kind from the index."""
    keys = _entity_keys(ids)
    index.start_facts()
    articles, nodes = index.fact_nodes()
    index.prefetch(_learn_properties(index, articles, nodes, keys))
    found = []
    for number, source in enumerate(_store_sources(index, ids)):
        by_kind = nodes.get(number)
        if by_kind is None:
            continue
        graph = articles[number][0]
        for kind_number, kind in enumerate(KINDS):
            for n in sorted(by_kind.get(kind_number, ()), key=_inside):  # by IRI
                node = URIRef(n[1:-1])
                fact = kind.read_back(IndexView(index, graph, node, keys))
                if fact is not None:
                    found.append(ReadFact(node, kind, source, fact))
    return found


def _learn_properties(index: StoreIndex, articles: Sequence[tuple[str, str]],
                      nodes: Mapping[int, Mapping[int, Sequence[str]]],
                      keys: Mapping[str, str]) -> set[URIRef]:
    """The properties the kinds read, as they read the first fact of each kind from its
    graph alone (read whole: a few hundred triples). A property one fact did not lead to is
    read when another asks for it."""
    first: dict[int, tuple[int, str]] = {}
    for number in sorted(nodes):
        for kind_number, found in nodes[number].items():
            first.setdefault(kind_number, (number, min(found, key=_lexical)))
    samples: dict[int, _Sample] = {}
    for kind_number, (number, node) in sorted(first.items()):
        graph = articles[number][0]
        sample = samples.get(number)
        if sample is None:
            sample = samples[number] = index.sample(graph)
        with suppress(Exception):  # the fact is read again, and any error raised, later
            KINDS[kind_number].read_back(IndexView(sample, graph, URIRef(node[1:-1]), keys))
    return {prop for sample in samples.values() for prop in sample.asked}


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
