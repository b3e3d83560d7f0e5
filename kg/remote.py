"""Talk to an external triple store: push the graphs (Graph Store Protocol), query it.

* :func:`push` writes every named graph of the dataset with one HTTP ``PUT`` to
  ``<graph-store>?graph=<iri>`` (SPARQL 1.1 Graph Store HTTP Protocol), the graph
  serialized as N-Triples (or Turtle). PUT replaces the graph, so pushing twice leaves
  the store as pushing once; graphs of the store that the dataset does not have are
  left alone. Never one request per triple.
* :func:`query_endpoint` sends a query by the SPARQL 1.1 Protocol (POST
  ``application/sparql-query``) and parses the answer back into an rdflib result, so it
  prints exactly like a local one (:func:`kg.query.format_result`). The query first
  passes the same guard as a local one: SERVICE, LOAD, FROM and updates are refused
  before anything is sent.
* :func:`graph_store_url` derives the Graph Store URL from a query endpoint URL, by the
  conventions of Oxigraph (``/query`` -> ``/store``), Apache Jena Fuseki
  (``/ds/sparql`` or ``/ds/query`` -> ``/ds/data``) and GraphDB
  (``/repositories/X`` -> ``/repositories/X/rdf-graphs/service``).

Credentials, when a store needs them, go in the URL (``http://user:pass@host/...``,
HTTP basic auth); they are never printed.

>>> graph_store_url("http://localhost:7878/query")
'http://localhost:7878/store'
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.errors import KGError
from kg.namespaces import PREFIXES
from kg.sparql_guard import ensure_local, prepare_query

__all__ = [
    "PushedGraph",
    "RemoteError",
    "graph_store_url",
    "push",
    "query_endpoint",
    "redact",
]

#: Upload formats: name -> (rdflib serializer, media type).
PUSH_FORMATS: dict[str, tuple[str, str]] = {
    "nt": ("nt", "application/n-triples"),
    "turtle": ("turtle", "text/turtle"),
}
DEFAULT_TIMEOUT = 60.0
_CHUNK = 64 * 1024

#: A progress callback: (bytes sent so far, bytes in all, graph being sent).
Progress = Callable[[int, int, str], None]


class RemoteError(KGError):
    """A remote store or endpoint could not be reached or refused a request."""


def redact(url: str) -> str:
    """``url`` without its password, for messages.

    >>> redact("http://admin:secret@localhost:7200/repositories/kg")
    'http://admin:***@localhost:7200/repositories/kg'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KGError(f"{what} {redact(url)!r} is not an http(s) URL")


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a SPARQL query endpoint.

    >>> graph_store_url("http://localhost:3030/kg/sparql")
    'http://localhost:3030/kg/data'
    >>> graph_store_url("http://localhost:7200/repositories/kg")
    'http://localhost:7200/repositories/kg/rdf-graphs/service'
    >>> graph_store_url("http://localhost:9999/bigdata/sparql/x/y")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: cannot tell the Graph Store URL of http://localhost:9999/bigdata/\
sparql/x/y: give --graph-store URL (Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: \
/repositories/REPO/rdf-graphs/service)
    """
    _check_url(endpoint, "endpoint")
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    new_path: str | None = None
    graphdb = re.fullmatch(r"(.*/repositories/[^/]+)(?:/statements)?", path)
    if graphdb:
        new_path = graphdb.group(1) + "/rdf-graphs/service"
    elif path in ("", "/query", "/sparql", "/store"):
        new_path = "/store"  # Oxigraph
    else:
        fuseki = re.fullmatch(r"(/[^/]+)(?:/(?:sparql|query|data|update|get))?", path)
        if fuseki:
            new_path = fuseki.group(1) + "/data"
    if new_path is None:
        raise KGError(f"cannot tell the Graph Store URL of {redact(endpoint)}: give "
                      "--graph-store URL (Oxigraph: /store, Fuseki: /DATASET/data, "
                      "GraphDB: /repositories/REPO/rdf-graphs/service)")
    return urlunsplit(parts._replace(path=new_path, query="", fragment=""))


# --- push ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushedGraph:
    """One graph written to the store."""

    graph: str | None  # None: the default graph
    triples: int
    size: int  # bytes sent
    status: int


def graphs_to_push(dataset: Dataset) -> list[tuple[str | None, Graph]]:
    """The named graphs of ``dataset`` (sorted by IRI), then its default graph if not empty.

    >>> from rdflib import Literal
    >>> from kg.namespaces import GRAPH, ID, RDFS
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.graph(GRAPH.b).add((ID.a, RDFS.label, Literal("A")))
    >>> [(iri, len(g)) for iri, g in graphs_to_push(ds)]
    [('https://w3id.org/diplomacy-kg/graph/b', 1)]
    """
    default_id = dataset.default_context.identifier
    named = []
    for graph in dataset.contexts():
        if graph.identifier == default_id:
            continue
        if not isinstance(graph.identifier, URIRef):
            raise KGError(f"cannot push the graph named by the blank node {graph.identifier}: "
                          "the Graph Store Protocol names graphs by IRI")
        named.append((str(graph.identifier), graph))
    named.sort(key=lambda item: item[0])
    out: list[tuple[str | None, Graph]] = [(iri, g) for iri, g in named]
    default = dataset.default_context
    if len(default) > 0:
        out.append((None, default))
    return out


def uploads(dataset: Dataset, fmt: str = "nt") -> list[tuple[str | None, int, bytes]]:
    """(graph IRI or None for the default graph, triples, serialized body) for each graph
    to push. A dataset held by Oxigraph is written by Oxigraph (much faster than rdflib).

    >>> from rdflib import Literal
    >>> from kg.namespaces import GRAPH, ID, RDFS
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.graph(GRAPH.b).add((ID.a, RDFS.label, Literal("A")))
    >>> uploads(ds)
    [('https://w3id.org/diplomacy-kg/graph/b', 1, b'<https://w3id.org/diplomacy-kg/id/a> \
<http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n')]
    """
    from kg.oxigraph_store import inner_store

    store = inner_store(dataset)
    if store is None:
        return [(iri, len(g), _serialize(g, fmt)) for iri, g in graphs_to_push(dataset)]
    import pyoxigraph as ox

    syntax = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt == "turtle" else None
    out: list[tuple[str | None, int, bytes]] = []
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = sorted(
        store.named_graphs(), key=str)
    graphs.append(ox.DefaultGraph())
    for graph in graphs:
        if isinstance(graph, ox.BlankNode):
            raise KGError(f"cannot push the graph named by the blank node {graph}: the Graph "
                          "Store Protocol names graphs by IRI")
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        if isinstance(graph, ox.DefaultGraph) and count == 0:
            continue
        body = store.dump(format=syntax, from_graph=graph, prefixes=prefixes) or b""
        iri = graph.value if isinstance(graph, ox.NamedNode) else None
        out.append((iri, count, body))
    return out


def _serialize(graph: Graph, fmt: str) -> bytes:
    serializer, _media = PUSH_FORMATS[fmt]
    plain = Graph(bind_namespaces="none")
    for triple in graph:
        plain.add(triple)
    if fmt == "turtle":
        for prefix, namespace in PREFIXES.items():
            plain.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    return plain.serialize(format=serializer, encoding="utf-8")


def push(dataset: Dataset, graph_store: str, *, fmt: str = "nt",
         timeout: float = DEFAULT_TIMEOUT, progress: Progress | None = None,
         client: httpx.Client | None = None) -> list[PushedGraph]:
    """PUT each graph of ``dataset`` to ``graph_store``; the list of what was written.

    Stops at the first graph the store refuses, with a :class:`RemoteError` that says
    which graph, the status, and the first line of the store's answer.
    """
    _check_url(graph_store, "graph store")
    if fmt not in PUSH_FORMATS:
        raise KGError(f"unknown push format {fmt!r}: use one of {', '.join(PUSH_FORMATS)}")
    media = PUSH_FORMATS[fmt][1]
    bodies = uploads(dataset, fmt)
    total = sum(len(body) for _, _, body in bodies)
    sent = 0
    done: list[PushedGraph] = []
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    try:
        for iri, triples, body in bodies:
            label = f"<{iri}>" if iri is not None else "the default graph"
            selector = f"graph={quote(iri, safe='')}" if iri is not None else "default"

            def chunks(body: bytes = body, label: str = label, start: int = sent) \
                    -> Iterator[bytes]:
                for offset in range(0, len(body), _CHUNK):
                    piece = body[offset:offset + _CHUNK]
                    yield piece
                    if progress is not None:
                        progress(start + offset + len(piece), total, label)

            url = graph_store + ("&" if "?" in graph_store else "?") + selector
            try:
                response = http.put(url, content=chunks(), headers={
                    "Content-Type": f"{media}; charset=utf-8" if fmt == "turtle" else media,
                    "Content-Length": str(len(body))})
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot PUT {label} to {redact(graph_store)}: "
                                  f"{_reason(exc)}") from None
            if response.status_code not in (200, 201, 204):
                raise RemoteError(f"{redact(graph_store)} refused {label}: "
                                  f"{_status(response)}")
            sent += len(body)
            if progress is not None and not body:
                progress(sent, total, label)
            done.append(PushedGraph(iri, triples, len(body), response.status_code))
    finally:
        if own:
            http.close()
    return done


# --- query -----------------------------------------------------------------------------------

_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}


def _with_prefixes(text: str) -> str:
    """``text`` with PREFIX lines for the project prefixes it uses but does not declare."""
    from rdflib.plugins.sparql.parser import parseQuery
    tree = parseQuery(text)
    declared = {str(dict.get(decl, "prefix") or "") for decl in tree[0]
                if getattr(decl, "name", "") == "PrefixDecl"}
    lines = [f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared]
    return "".join(lines) + text


def query_endpoint(endpoint: str, text: str, *, timeout: float = DEFAULT_TIMEOUT,
                   client: httpx.Client | None = None) -> Result:
    """Run a read-only query on a remote SPARQL endpoint; an rdflib result.

    The project prefixes are predeclared as for a local query; SERVICE, LOAD, FROM and
    updates are refused before anything is sent (:class:`~kg.errors.QueryError`).

    >>> query_endpoint("http://127.0.0.1:9/sparql", "ASK { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SERVICE <http://x/> is refused: queries never reach the network
    """
    ensure_local(text)
    full = _with_prefixes(text)
    kind = _KINDS.get(prepare_query(full).algebra.name, "SELECT")
    _check_url(endpoint, "endpoint")
    graph_result = kind in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples" if graph_result else "application/sparql-results+json"
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    try:
        response = http.post(endpoint, content=full.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot query {redact(endpoint)}: {_reason(exc)}") from None
    finally:
        if own:
            http.close()
    if response.status_code != 200:
        raise RemoteError(f"{redact(endpoint)} answered {_status(response)}")
    try:
        if graph_result:
            graph = Graph()
            graph.parse(data=response.content, format="nt")
            result = Result(kind)
            result.graph = graph
            return result
        return Result.parse(io.BytesIO(response.content), format="json")
    except Exception as exc:
        served = response.headers.get("content-type", "no Content-Type")
        raise RemoteError(f"{redact(endpoint)} sent an answer that is not {accept} "
                          f"({served}): {' '.join(str(exc).split())[:200]}") from None


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host unreachable (is the server running?)"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    return " ".join(str(exc).split()) or type(exc).__name__


def _status(response: httpx.Response) -> str:
    first = next((line.strip() for line in response.text.splitlines() if line.strip()), "")
    detail = f": {first[:300]}" if first else ""
    return f"{response.status_code} {response.reason_phrase}{detail}"
