"""Views of one node of a built graph, as the fact kinds read it back
(:class:`~kg.kinds.base.FactView`): :class:`GraphView` over an rdflib graph, and
:class:`IndexView` over a :class:`StoreIndex`, an index per (graph, subject) that a few
SPARQL SELECTs fill straight from an Oxigraph store. Both give the same answers; the
readers of :mod:`kg.graph.readback` choose one.

>>> sorted(["p2.s1", "p10.s1", "chars:5-9"], key=locator_order)
['chars:5-9', 'p2.s1', 'p10.s1']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.curation.model import Evidence
from kg.curation.text import Locator
from kg.errors import KGError
from kg.graph.namespaces import DIP, ID, REGISTRY_GRAPH, SCHEMA

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


def select_rows(store: ox.Store, text: str) -> list[list[str]]:
    """The rows of a SELECT on the union of the graphs, each cell an N-Triples term (the
    SPARQL TSV results: Oxigraph writes them without a Python object per term)."""
    # split("\n"), not splitlines(): TSV escapes LF and CR in literals, not U+2028 and others
    return [line.split("\t") for line in select_text(store, text).split("\n")[1:] if line]


def tsv_rows(tsv: str) -> Iterator[list[str]]:
    """The rows of SPARQL TSV results, one at a time: a million rows are not held as a
    million lists for the garbage collector to walk through."""
    # split("\n"), not splitlines(): TSV escapes LF and CR in literals, not U+2028 and others
    return (line.split("\t") for line in tsv.split("\n")[1:] if line)


def select_text(store: ox.Store, text: str) -> str:
    """The SPARQL TSV results of a SELECT on the union of the graphs (a header line, then
    a line a solution, tab-separated N-Triples terms)."""
    answer = store.query(text, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    data = answer.serialize(format=ox.QueryResultsFormat.TSV)
    assert data is not None
    return data.decode("utf-8")


def iri_text(node: URIRef) -> str:
    """``<iri>`` for a query text, checked by Oxigraph (nothing can end the IRI early)."""
    try:
        return str(ox.NamedNode(str(node)))
    except ValueError as exc:
        raise KGError(f"not an IRI: {node!r} ({' '.join(str(exc).split())})") from None


def _values(name: str, iris: Sequence[URIRef]) -> str:
    """``VALUES (?name ?name_i) { (<iri> 0) ... }``: a query answers with the small integer,
    which Oxigraph writes without looking the IRI up."""
    rows = " ".join(f"({iri_text(iri)} {number})" for number, iri in enumerate(iris))
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


def unescape_nt(text: str) -> str:
    r"""A string of an N-Triples literal, its escapes decoded.

    >>> unescape_nt(r'a\tb\"c\\d\u00e9\U0001F600')
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


def lexical_form(nt: str) -> str:
    """What ``str()`` of the term gives: an IRI, a literal's lexical form, a blank node id.

    >>> lexical_form('<http://x/a>'), lexical_form('"a\\\\nb"@en')
    ('http://x/a', 'a\\nb')
    >>> lexical_form('12'), lexical_form('_:b0')
    ('12', 'b0')
    """
    first = nt[:1]
    if first == "<":
        return nt[1:-1]
    if first == '"':
        return unescape_nt(nt[1:nt.rindex('"')])
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
        value, rest = unescape_nt(nt[1:end]), nt[end + 1:]
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


#: What a store says with one property: (graph, subject) key (:func:`node_key`) -> the
#: object, or the objects when there are several, as N-Triples terms. One string rather
#: than a list of one: a million triples make no million lists for the garbage collector
#: to walk through.
Said = dict[str, str | list[str]]

def node_key(graph: str, node: str) -> str:
    """The key of a node of a graph (both N-Triples terms, which hold no tab)."""
    return f"{graph}\t{node}"


def add_said(found: Said, key: str, obj: str) -> None:
    """Add an object said of ``key``."""
    old = found.get(key)
    if old is None:
        found[key] = obj
    elif isinstance(old, str):
        found[key] = [old, obj]
    else:
        old.append(obj)


def said(tsv: str) -> Said:
    """:data:`Said` from SPARQL TSV results of three columns: graph, subject, object."""
    found: Said = {}
    for line in tsv.split("\n")[1:]:
        if line:
            cut = line.rindex("\t")  # a literal's tab is written \t
            add_said(found, line[:cut], line[cut + 1:])
    return found


class StoreIndex:
    """What the named graphs of an Oxigraph store say, by (graph, subject), read in a few
    SELECTs rather than a pattern per node.

    Each property a :class:`IndexView` asks for is read once, over every named graph (one
    query); evidence locators, entities and fact nodes in one query each. Terms are kept as
    the N-Triples text Oxigraph writes and made rdflib terms only when a kind asks for one.

    Queries run in ``workers`` threads (Oxigraph lets go of the interpreter while it
    answers), so the store is read while facts already read are turned into data classes:
    :func:`kg.graph.readback.start_reading` sends every query in the order the facts need
    them, the properties the kinds read as soon as they are learnt from one fact of each
    kind. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, store: ox.Store, *, workers: int = 2):
        self.store = store
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, Future[Any]] = {}
        self._by_property: dict[str, Said] = {}
        self._terms: dict[str, Node] = {}
        self._evidence: dict[str, tuple[tuple[tuple[int, int], str], Evidence]] = {}
        self._locators: Said | None = None
        self._fact_locators: Said = {}

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

    def job(self, name: str, read: Callable[[], Any]) -> Future[Any]:
        """The answer to come of the job ``name``: ``read`` sent to a worker thread the
        first time (called from the thread that owns the index, never from a worker)."""
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

    def send_sources(self) -> None:
        """Send the query of :meth:`sources_rows` without waiting for its answer."""
        self.job("sources", self._read_sources)

    def send_kind(self, cls: URIRef) -> None:
        """Send the query of :meth:`kind_rows` without waiting for its answer."""
        self.job(f"facts {cls}", partial(self._read_kind, cls))

    def send_registry(self, properties: Sequence[URIRef]) -> None:
        """Send the query of :meth:`registry_rows` without waiting for its answer."""
        self.job(_registry_job(properties), partial(self._read_registry, tuple(properties)))

    def prefetch(self, properties: Iterable[URIRef]) -> None:
        """Send the queries of these properties without waiting for their answers."""
        for prop in properties:
            key = str(prop)
            if key not in self._by_property:
                self.job(key, partial(self._read_property, prop))

    def objects(self, prop: URIRef) -> Said:
        """The objects of ``prop`` by (graph, subject) (:data:`Said`)."""
        key = str(prop)
        found = self._by_property.get(key)
        if found is None:
            found = self._by_property[key] = self.job(key, partial(
                self._read_property, prop)).result()
        return found

    def _read_property(self, prop: URIRef) -> Said:
        return said(select_text(self.store, f"SELECT ?g ?s ?o WHERE {{ GRAPH ?g {{ "
                                            f"?s {iri_text(prop)} ?o }} }}"))

    def locators(self) -> Said:
        """The locators of each node's evidence (``dip:evidence/dip:locator``), by (graph,
        subject) (:data:`Said`, as N-Triples terms)."""
        if self._locators is None:
            self._locators = self.job("evidence", self._read_locators).result()
        return self._locators

    def _read_locators(self) -> Said:
        return said(select_text(self.store, (
            "SELECT ?g ?s ?l WHERE { GRAPH ?g { "
            f"?s {iri_text(DIP.evidence)} ?e . ?e {iri_text(DIP.locator)} ?l }} }}")))

    def entity_rows(self) -> Iterator[list[str]]:
        """(entity, property number in :data:`DESCRIBING`, object) rows."""
        return tsv_rows(self.job("entities", self.read_entity_tsv).result())

    def read_entity_tsv(self) -> str:
        """The TSV results of :meth:`entity_rows`, queried now (in any thread)."""
        # LATERAL: Oxigraph then looks each entity's properties up, rather than joining
        # every triple of those properties with the entities
        return select_text(self.store, (
            f"SELECT ?s ?p_i ?o WHERE {{ ?s {iri_text(DIP.registryId)} ?id "
            f"LATERAL {{ {_values('p', DESCRIBING)} ?s ?p ?o }} }}"))

    def sources_rows(self) -> list[tuple[str, str]]:
        """Every source as (graph, article), sorted as :func:`~kg.graph.readback.sources`
        sorts them (the registry and the default graph hold none)."""
        found: list[tuple[str, str]] = self.job("sources", self._read_sources).result()
        return found

    def _read_sources(self) -> list[tuple[str, str]]:
        registry = iri_text(REGISTRY_GRAPH)
        rows = [(g, a) for g, a in select_rows(self.store, (
            f"SELECT DISTINCT ?g ?a WHERE {{ GRAPH ?g {{ ?a a {iri_text(DIP.NewsArticle)} }} }}"))
            if g[:1] == "<" and a[:1] == "<" and g != registry]
        return sorted(rows, key=lambda row: (row[0][1:-1], row[1][1:-1]))

    def kind_rows(self, cls: URIRef) -> Iterator[list[str]]:
        """(graph, article, fact node, locator or "") rows: the nodes of class ``cls``
        derived from a node of the same graph, with the locators of their evidence."""
        return tsv_rows(self.job(f"facts {cls}", partial(self._read_kind, cls)).result())

    def _read_kind(self, cls: URIRef) -> str:
        return select_text(self.store, (
            f"SELECT ?g ?a ?n ?l WHERE {{ GRAPH ?g {{ ?n a {iri_text(cls)} . "
            f"?n {iri_text(PROV.wasDerivedFrom)} ?a OPTIONAL {{ ?n {iri_text(DIP.evidence)} "
            f"?e . ?e {iri_text(DIP.locator)} ?l }} }} }}"))

    def add_fact_locators(self, found: Said) -> None:
        """The locators of facts' evidence, read with the facts (:meth:`kind_rows`): a
        fact's evidence is then not looked up in the evidence of every node."""
        self._fact_locators.update(found)

    def registry_rows(self, properties: Sequence[URIRef]) -> Iterator[list[str]]:
        """(subject, property number, object) rows of the registry graph."""
        return tsv_rows(self.job(_registry_job(properties), partial(
            self._read_registry, tuple(properties))).result())

    def _read_registry(self, properties: tuple[URIRef, ...]) -> str:
        return select_text(self.store, (
            f"SELECT ?s ?p_i ?o WHERE {{ GRAPH {iri_text(REGISTRY_GRAPH)} "
            f"{{ {_values('p', properties)} ?s ?p ?o }} }}"))

    def sample(self, graph: str) -> SampleIndex:
        """Everything one named graph says, in an index of its own that notes the
        properties asked of it."""
        return SampleIndex(self.store, graph)

    # -- in the calling thread --------------------------------------------------------------

    def evidence(self, key: str) -> tuple[Evidence, ...]:
        """The evidence of a (graph, subject) key (:func:`node_key`), in locator order."""
        fact_locators = self._fact_locators
        locators = fact_locators[key] if key in fact_locators else self.locators().get(key)
        if not locators:
            return ()
        cache = self._evidence
        entries = []
        for nt in (locators,) if isinstance(locators, str) else set(locators):
            entry = cache.get(nt)
            if entry is None:  # each locator parsed once, whatever facts cite it
                text = lexical_form(nt)
                entry = cache[nt] = (_locator_key(text), Evidence(Locator.parse(text), None))
            entries.append(entry)
        if len(entries) > 1:
            entries.sort(key=_first)
        return tuple(evidence for _, evidence in entries)

    def term(self, nt: str) -> Node:
        """An N-Triples term as an rdflib term (each converted once)."""
        found = self._terms.get(nt)
        if found is None:
            found = self._terms[nt] = _term(nt)
        return found


def _first(entry: tuple[Any, Any]) -> Any:
    return entry[0]


def _registry_job(properties: Sequence[URIRef]) -> str:
    return "registry " + " ".join(properties)


class SampleIndex(StoreIndex):
    """One named graph read whole (a few hundred triples): :func:`read_facts` reads one
    fact of each kind from it to learn which properties the kind reads."""

    def __init__(self, store: ox.Store, graph: str):
        super().__init__(store, workers=0)
        self.asked: dict[URIRef, None] = {}  # in the order asked
        self._said: dict[str, Said] = {}
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        for s, p, o in select_rows(store, query):
            add_said(self._said.setdefault(p[1:-1], {}), node_key(graph, s), o)

    def objects(self, prop: URIRef) -> Said:
        self.asked[prop] = None
        return self._said.get(str(prop), {})

    def locators(self) -> Said:
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
        self._key = node_key(graph, _nt(node))
        self._entities = entities

    @property
    def node(self) -> URIRef:
        return self._node  # type: ignore[return-value]

    @property
    def fact_id(self) -> str:
        return str(self._node).removeprefix(_FACT_PREFIX).split("/", 1)[-1]

    def _said(self, prop: URIRef) -> str | list[str] | None:
        index = self._index
        found = index._by_property.get(str(prop))  # read already: no call
        if found is None:
            found = index.objects(prop)
        return found.get(self._key)

    def _objects(self, prop: URIRef) -> Sequence[str]:
        found = self._said(prop)
        if found is None:
            return ()
        return (found,) if isinstance(found, str) else found

    def _smallest(self, prop: URIRef) -> str | None:
        found = self._said(prop)
        if found is None or isinstance(found, str):
            return found
        return min(found, key=lexical_form)

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
        return None if found is None else lexical_form(found)

    def at(self, node: Node) -> IndexView:
        return IndexView(self._index, self._graph, node, self._entities)

    def evidence(self) -> tuple[Evidence, ...]:
        return self._index.evidence(self._key)


def inside_nt(nt: str) -> str:
    """The IRI of ``<iri>``."""
    return nt[1:-1]


def entity_keys(entities: Mapping[Node, str]) -> dict[str, str]:
    return {_nt(node): value for node, value in entities.items()}


#: Read ahead by a StoreIndex (see its docstring).
DESCRIBING = (DIP.registryId, RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel,
               SKOS.definition)


#: Read ahead by a StoreIndex (see its docstring).
SOURCE_PROPERTIES = (SCHEMA.publisher, DIP.textFile, SCHEMA.headline, SCHEMA.url,
                      SCHEMA.datePublished)
