"""The SPARQL 1.1 Protocol without the web server: negotiate, run, render, describe.

Everything here is a plain function over a dataset, so the HTTP layer
(:mod:`kg.web.server`) only moves bytes, and a worker process runs :func:`execute` on a
:class:`QueryJob` and sends back the :class:`Reply`: a status, a media type and a body.
Queries run on Oxigraph, with the union of the named graphs as default graph and the
project prefixes predeclared: the answers are those of a local ``kg query``.

Status codes of a reply:

* 200: the result, in the negotiated media type;
* 400: a syntax error (the parser's message), a refused clause (``SERVICE``, ``LOAD``,
  ``FROM``, an update sent as a query), or a ``default-graph-uri`` /
  ``named-graph-uri`` that names no graph of the served dataset;
* 406: none of the accepted media types fits the kind of query;
* 422: the result has more rows (SELECT) or triples (CONSTRUCT/DESCRIBE) than the cap;
  nothing is truncated;
* 500: the evaluator failed.

>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://www.w3.org/2000/01/\
rdf-schema#label"), ox.Literal("A"), ox.NamedNode("http://x/g")))
>>> reply = execute(ServedStore(store), QueryJob("SELECT ?l { ?s rdfs:label ?l }", "text/csv"))
>>> reply.status, reply.content_type, reply.body
(200, 'text/csv; charset=utf-8', b'l\\r\\nA\\r\\n')
>>> execute(ServedStore(store), QueryJob("ASK {}", "text/turtle")).status
406
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, XSD, Namespace
from rdflib.query import Result
from rdflib.term import Identifier

from kg.errors import KGError, QueryError
from kg.graph.namespaces import PREFIXES
from kg.sparql.guard import ensure_local, screen
from kg.sparql.query import format_result
from kg.store.oxigraph import from_ox

__all__ = [
    "DEFAULT_MAX_ROWS",
    "GRAPH_OFFERS",
    "SOLUTION_OFFERS",
    "GraphInfo",
    "QueryJob",
    "Reply",
    "ServedStore",
    "execute",
    "negotiate",
    "render_graph",
    "service_description",
]

DEFAULT_MAX_ROWS = 10_000

#: (media type, renderer) for SELECT and ASK results; the first is the default.
SOLUTION_OFFERS: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/plain", "table"),
)
#: (media type, renderer) for CONSTRUCT and DESCRIBE results (and the service
#: description); the first is the default.
GRAPH_OFFERS: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "turtle"),
    ("application/turtle", "turtle"),
    ("application/json", "jsonld"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
)


@dataclass(frozen=True)
class QueryJob:
    """One protocol request: the query text, the Accept header, the dataset chosen."""

    text: str
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, Content-Type, body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        """A plain-text error reply, one message ending with a newline.

        >>> Reply.error(400, "bad").body
        b'bad\\n'
        """
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode())


# --- content negotiation -------------------------------------------------------------------

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header as (type, subtype, q); malformed ones skipped."""
    ranges = []
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        kind, _, sub = parts[0].lower().partition("/")
        if not (_TOKEN.match(kind or "") and _TOKEN.match(sub or "")):
            continue
        if kind == "*" and sub != "*":
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub, q))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers (RFC 9110 q-values), or None.

    Each offer takes the q of the most specific range that matches it (``type/sub``
    before ``type/*`` before ``*/*``); the highest q wins, ties go to the order of
    ``offers``; q=0 means "not acceptable". No Accept header accepts anything.

    >>> offers = ["application/sparql-results+json", "text/csv"]
    >>> negotiate("text/csv;q=0.9, application/sparql-results+json;q=0.5", offers)
    'text/csv'
    >>> negotiate("text/*, */*;q=0.1", offers)
    'text/csv'
    >>> negotiate(None, offers)
    'application/sparql-results+json'
    >>> negotiate("text/html", offers) is None
    True
    """
    if accept is None or not accept.strip():
        return offers[0] if offers else None
    ranges = _ranges(accept)
    best: tuple[float, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        kind, _, sub = offer.lower().partition("/")
        q_found: tuple[int, float] | None = None  # (specificity, q)
        for r_kind, r_sub, q in ranges:
            if r_kind == kind and r_sub == sub:
                specificity = 2
            elif r_kind == kind and r_sub == "*":
                specificity = 1
            elif r_kind == "*":
                specificity = 0
            else:
                continue
            if q_found is None or specificity > q_found[0]:
                q_found = (specificity, q)
        if q_found is None or q_found[1] <= 0:
            continue
        rank = (q_found[1], -index)
        if best is None or rank > best:
            best, chosen = rank, offer
    return chosen


def _renderer(offers: Sequence[tuple[str, str]], media: str) -> str:
    return dict(offers)[media]


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


# --- the served store and its graph selections ---------------------------------------------


@dataclass(frozen=True)
class GraphInfo:
    """Sizes of what an endpoint serves, for its service description."""

    default_graph: int  # triples in the default graph (the union of the named graphs)
    named_graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples), sorted by IRI


class ServedStore:
    """The Oxigraph store an endpoint serves, queried the way ``kg query`` queries it.

    The default graph is the union of the named graphs. ``default-graph-uri`` and
    ``named-graph-uri`` only ever name graphs already in the store: nothing is fetched.
    When a request gives either, its default graph is the merge of the graphs given as
    default graphs and its named graphs are those given as named graphs (when only one
    kind is given, the other is empty, as with FROM / FROM NAMED in SPARQL 1.1).

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"),
    ...                   ox.Literal("A"), ox.NamedNode("http://x/g1")))
    >>> served = ServedStore(store)
    >>> served.info()
    GraphInfo(default_graph=1, named_graphs=(('http://x/g1', 1),))
    >>> served.dataset_options(("http://elsewhere.example/g",), ())
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: default-graph-uri <http://elsewhere.example/g> is not a graph of \
this dataset (graphs are never fetched); known graphs: <http://x/g1>
    """

    def __init__(self, store: ox.Store):
        self.store = store
        sizes = {}
        for row in _solutions(store, "SELECT ?g (COUNT(*) AS ?n) "
                                     "{ GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            graph, count = row["g"], row["n"]
            if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
                sizes[graph.value] = int(count.value)
        self._sizes = dict(sorted(sizes.items()))
        self._union = 0
        for row in _solutions(store, "SELECT (COUNT(*) AS ?n) "
                                     "{ SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                              use_default_graph_as_union=True):
            count = row["n"]
            if isinstance(count, ox.Literal):
                self._union = int(count.value)

    @classmethod
    def load(cls, nquads: Path) -> ServedStore:
        """A store in memory holding the N-Quads file ``nquads``."""
        store = ox.Store()
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        return cls(store)

    def info(self) -> GraphInfo:
        """Triples in the default graph and in each named graph."""
        return GraphInfo(self._union, tuple(self._sizes.items()))

    def dataset_options(self, default_graphs: Sequence[str],
                        named_graphs: Sequence[str]) -> dict[str, Any]:
        """Keyword arguments of ``Store.query`` for the dataset a request selects."""
        if not default_graphs and not named_graphs:
            return {"use_default_graph_as_union": True}
        for param, iris in (("default-graph-uri", default_graphs),
                            ("named-graph-uri", named_graphs)):
            for iri in iris:
                if iri not in self._sizes:
                    known = ", ".join(f"<{g}>" for g in self._sizes) or "none"
                    raise QueryError(f"{param} <{iri}> is not a graph of this dataset "
                                     f"(graphs are never fetched); known graphs: {known}")
        return {"default_graph": [ox.NamedNode(iri) for iri in dict.fromkeys(default_graphs)],
                "named_graphs": [ox.NamedNode(iri) for iri in dict.fromkeys(named_graphs)]}


def _solutions(store: ox.Store, text: str, **options: Any) -> ox.QuerySolutions:
    answer = store.query(text, **options)
    assert isinstance(answer, ox.QuerySolutions)
    return answer


# --- running a job ----------------------------------------------------------------------------

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _refusal(text: str) -> str | None:
    """rdflib's verdict on a query text that Oxigraph could not parse: its syntax message
    (cached for texts up to 8 KiB: parsing is the slow part, and the cache must stay small)."""
    return _cached_refusal(text) if len(text) <= 8192 else _guard(text)


def _guard(text: str) -> str | None:
    try:
        ensure_local(text)
    except QueryError as exc:
        return str(exc)
    return None


_cached_refusal = lru_cache(maxsize=512)(_guard)


def execute(served: ServedStore, job: QueryJob, max_rows: int = DEFAULT_MAX_ROWS) -> Reply:
    """Answer one query: guard, select graphs, evaluate, negotiate, cap, render.

    The query is checked by :func:`kg.sparql.guard.screen` (no SERVICE, LOAD, FROM,
    update, nor a text that could crash a parser), then run by Oxigraph
    with the project prefixes predeclared, like a local ``kg query``. The media type is
    chosen as soon as the kind of result is known, before any solution is computed;
    reading stops at ``max_rows + 1``.

    >>> store = ox.Store()
    >>> for n in range(3):
    ...     store.add(ox.Quad(ox.NamedNode(f"http://x/n{n}"), ox.NamedNode("http://x/p"),
    ...                       ox.Literal(str(n)), ox.NamedNode("http://x/g")))
    >>> served = ServedStore(store)
    >>> execute(served, QueryJob("SELECT ?o { ?s ?p ?o } ORDER BY ?o", "text/csv")).body
    b'o\\r\\n0\\r\\n1\\r\\n2\\r\\n'
    >>> print(execute(served, QueryJob("SELECT * { ?s ?p ?o }"), 2).body.decode(), end="")
    the result has more than 2 rows, the cap of this endpoint: add LIMIT 2 (and OFFSET \
to page), or narrow the query
    >>> execute(served, QueryJob("ASK {}", "text/turtle")).status
    406
    """
    try:
        screen(job.text)  # the text Oxigraph runs: the prefixes are passed apart
    except QueryError as exc:
        return Reply.error(400, str(exc))
    try:
        options = served.dataset_options(job.default_graphs, job.named_graphs)
    except QueryError as exc:
        return Reply.error(400, str(exc))
    try:
        answer = served.store.query(job.text, prefixes=_PREFIXES, **options)
    except SyntaxError as exc:  # rdflib's message when it has one, as for `kg query`
        message = _refusal(job.text) or f"SPARQL syntax error: {_one_line(str(exc))}"
        return Reply.error(400, message)
    except (ValueError, OSError) as exc:
        return Reply.error(500, f"query failed: {_one_line(str(exc))}")
    if isinstance(answer, ox.QueryBoolean):
        kind = "ASK"
    elif isinstance(answer, ox.QuerySolutions):
        kind = "SELECT"
    else:
        kind = "CONSTRUCT"
    offers = GRAPH_OFFERS if kind == "CONSTRUCT" else SOLUTION_OFFERS
    media = negotiate(job.accept, [m for m, _ in offers])
    if media is None:
        what = "a CONSTRUCT or DESCRIBE" if kind == "CONSTRUCT" else f"an {kind}" \
            if kind == "ASK" else f"a {kind}"
        available = ", ".join(dict.fromkeys(m for m, _ in offers))
        return Reply.error(406, f"cannot answer {what} query as {job.accept!r}; "
                                f"acceptable media types: {available}")
    try:
        result = _collect(answer, max_rows)
    except _TooLarge as exc:
        return Reply.error(422, str(exc))
    except (ValueError, OSError, KGError) as exc:
        return Reply.error(500, f"query failed: {_one_line(str(exc))}")
    try:
        body = render(result, _renderer(offers, media))
    except QueryError as exc:
        return Reply.error(500, str(exc))
    return Reply(200, _content_type(media), body)


class _TooLarge(Exception):
    pass


def _collect(answer: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples,
             max_rows: int) -> Result:
    """Oxigraph's answer as an rdflib result, reading at most ``max_rows + 1`` items."""
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        names = [Variable(v.value) for v in answer.variables]
        rows: list[Mapping[Variable, Identifier]] = []
        for solution in answer:
            if len(rows) == max_rows:
                raise _TooLarge(f"the result has more than {max_rows} rows, the cap of this "
                                f"endpoint: add LIMIT {max_rows} (and OFFSET to page), "
                                "or narrow the query")
            row: dict[Variable, Identifier] = {}
            for name, value in zip(names, solution, strict=True):
                if value is not None:
                    row[name] = cast(Identifier, from_ox(value))
            rows.append(row)
        result = Result("SELECT")
        result.vars = names
        result.bindings = rows
        return result
    graph = Graph()
    for count, triple in enumerate(answer, start=1):
        if count > max_rows:
            raise _TooLarge(f"the result has more than {max_rows} triples, the cap of this "
                            "endpoint: add LIMIT to the WHERE clause, or narrow the query")
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    result = Result("CONSTRUCT")
    result.graph = graph
    return result


# --- rendering ---------------------------------------------------------------------------------


def render(result: Result, renderer: str) -> bytes:
    """A result as bytes: ``json``, ``xml``, ``csv``, ``tsv``, ``table`` for SELECT and
    ASK; ``turtle``, ``nt``, ``jsonld``, ``rdfxml`` for CONSTRUCT and DESCRIBE.

    ASK in CSV and TSV, which the W3C formats leave undefined, is one column named
    ``_askResult`` holding ``true`` or ``false`` (as Apache Jena writes it).

    >>> answer = Result("ASK")
    >>> answer.askAnswer = True
    >>> render(answer, "tsv")
    b'?_askResult\\ntrue\\n'
    """
    if result.type == "ASK" and renderer in ("csv", "tsv"):
        answer = "true" if result.askAnswer else "false"
        if renderer == "csv":
            return f"_askResult\r\n{answer}\r\n".encode()
        return f"?_askResult\n{answer}\n".encode()
    if renderer == "rdfxml":
        return render_graph(result.graph if result.graph is not None else Graph(), "rdfxml")
    return format_result(result, renderer).encode("utf-8")


def render_graph(graph: Graph, renderer: str) -> bytes:
    """A graph as Turtle, N-Triples, JSON-LD or RDF/XML, with the project prefixes it uses.

    >>> from kg.graph.namespaces import ID, RDFS
    >>> g = Graph()
    >>> _ = g.add((ID.a, RDFS.label, Literal("A")))
    >>> render_graph(g, "nt")
    b'<https://w3id.org/diplomacy-kg/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n'
    """
    if renderer in ("turtle", "nt", "jsonld"):
        result = Result("CONSTRUCT")
        result.graph = graph
        return format_result(result, renderer).encode("utf-8")
    if renderer != "rdfxml":
        raise QueryError(f"unknown graph format {renderer!r}")
    out = Graph(bind_namespaces="none")
    for triple in graph:
        out.add(triple)
    used = {str(p) for p in out.predicates()} | {str(o) for o in out.objects(None, RDF.type)}
    for prefix, namespace in PREFIXES.items():
        if any(iri.startswith(str(namespace)) for iri in used):
            out.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    data = out.serialize(format="xml", encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


# --- service description ---------------------------------------------------------------------

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, info: GraphInfo, *, timeout: float,
                        max_rows: int) -> Graph:
    """A SPARQL 1.1 Service Description of the endpoint at ``endpoint``.

    >>> sd = service_description("http://127.0.0.1:8000/sparql", GraphInfo(0, ()),
    ...                          timeout=5, max_rows=10)
    >>> (URIRef("http://127.0.0.1:8000/sparql#service"), SD.endpoint,
    ...  URIRef("http://127.0.0.1:8000/sparql")) in sd
    True
    """
    graph = Graph(bind_namespaces="none")
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    graph.bind("rdfs", RDFS)
    graph.bind("xsd", XSD)
    service = URIRef(endpoint + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, RDFS.comment, Literal(
        f"Read-only: updates, SERVICE, LOAD and FROM are refused. Each query may run "
        f"{timeout:g} s at most and return {max_rows} rows (or triples) at most.", lang="en")))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(info.default_graph, datatype=XSD.integer)))
    for iri, size in info.named_graphs:
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(size, datatype=XSD.integer)))
    return graph


def describe_service(accept: str | None, endpoint: str, info: GraphInfo, *,
                     timeout: float, max_rows: int) -> Reply:
    """The service description as a :class:`Reply`, in the negotiated RDF syntax."""
    media = negotiate(accept, [m for m, _ in GRAPH_OFFERS])
    if media is None:
        available = ", ".join(m for m, _ in GRAPH_OFFERS)
        return Reply.error(406, f"the service description is available as: {available}")
    graph = service_description(endpoint, info, timeout=timeout, max_rows=max_rows)
    renderer = _renderer(GRAPH_OFFERS, media)
    if renderer == "jsonld":
        body = graph.serialize(format="json-ld", auto_compact=True, encoding="utf-8")
    elif renderer == "rdfxml":
        body = graph.serialize(format="xml", encoding="utf-8")
    else:
        body = graph.serialize(format="nt" if renderer == "nt" else "turtle", encoding="utf-8")
    return Reply(200, _content_type(media), body)


def named_queries_json() -> str:
    """The shipped queries as JSON safe to embed in an HTML ``<script>`` block.

    >>> "<" in named_queries_json()
    False
    """
    from kg.sparql import named as named_queries
    items = [{"name": n, "question": named_queries.question(n), "text": named_queries.text(n)}
             for n in named_queries.names()]
    text = json.dumps(items, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
