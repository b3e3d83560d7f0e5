"""Push the graphs of a dataset to a triple store by the SPARQL 1.1 Graph Store Protocol.

:func:`push` writes every named graph of the dataset with one HTTP ``PUT`` to
``<graph-store>?graph=<iri>``, the graph serialized as N-Triples (or Turtle). PUT
replaces the graph, so pushing twice leaves the store as pushing once; graphs of the
store that the dataset does not have are left alone. Never one request per triple.

:func:`graph_store_url` derives the Graph Store URL from a query endpoint URL, by the
conventions of Oxigraph (``/query`` -> ``/store``), Apache Jena Fuseki (``/ds/sparql``
or ``/ds/query`` -> ``/ds/data``), GraphDB (``/repositories/X`` ->
``/repositories/X/rdf-graphs/service``) and Virtuoso (``/sparql`` on port 8890 ->
``/sparql-graph-crud-auth``).

>>> graph_store_url("http://localhost:7878/query")
'http://localhost:7878/store'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from rdflib import Dataset, Graph, URIRef

from kg.errors import KGError, RemoteError
from kg.graph.namespaces import PREFIXES
from kg.sparql.http_auth import ChallengeAuth, Credentials, auth_for, bare, find_credentials, redact
from kg.sparql.http_client import DEFAULT_TIMEOUT, check_url, reason, session, status

__all__ = ["PUSH_FORMATS", "Progress", "PushedGraph", "graph_store_url", "graphs_to_push",
           "push", "uploads"]

#: Upload formats: name -> (rdflib serializer, media type).
PUSH_FORMATS: dict[str, tuple[str, str]] = {
    "nt": ("nt", "application/n-triples"),
    "turtle": ("turtle", "text/turtle"),
}
_CHUNK = 64 * 1024

#: A progress callback: (bytes sent so far, bytes in all, graph being sent).
Progress = Callable[[int, int, str], None]


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a SPARQL query endpoint.

    >>> graph_store_url("http://localhost:3030/kg/sparql")
    'http://localhost:3030/kg/data'
    >>> graph_store_url("http://localhost:7200/repositories/kg")
    'http://localhost:7200/repositories/kg/rdf-graphs/service'
    >>> graph_store_url("http://dba:dba@localhost:8890/sparql-auth")
    'http://dba:dba@localhost:8890/sparql-graph-crud-auth'
    >>> graph_store_url("http://localhost:9999/bigdata/sparql/x/y")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: cannot tell the Graph Store URL of http://localhost:9999/bigdata/\
sparql/x/y: give --graph-store URL (Oxigraph: /store, Fuseki: /DATASET/data, GraphDB: \
/repositories/REPO/rdf-graphs/service, Virtuoso: /sparql-graph-crud-auth)
    """
    check_url(endpoint, "endpoint")
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    new_path: str | None = None
    graphdb = re.fullmatch(r"(.*/repositories/[^/]+)(?:/statements)?", path)
    if graphdb:
        new_path = graphdb.group(1) + "/rdf-graphs/service"
    elif path in ("/sparql-auth", "/sparql-graph-crud-auth", "/sparql-graph-crud"):
        new_path = "/sparql-graph-crud-auth"  # Virtuoso (the endpoint that takes Digest)
    elif path in ("", "/query", "/sparql", "/store"):
        new_path = "/store"  # Oxigraph
    else:
        fuseki = re.fullmatch(r"(/[^/]+)(?:/(?:sparql|query|data|update|get))?", path)
        if fuseki:
            new_path = fuseki.group(1) + "/data"
    if new_path is None:
        raise KGError(f"cannot tell the Graph Store URL of {redact(endpoint)}: give "
                      "--graph-store URL (Oxigraph: /store, Fuseki: /DATASET/data, "
                      "GraphDB: /repositories/REPO/rdf-graphs/service, Virtuoso: "
                      "/sparql-graph-crud-auth)")
    return urlunsplit(parts._replace(path=new_path, query="", fragment=""))


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
    >>> from kg.graph.namespaces import GRAPH, ID, RDFS
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
    >>> from kg.graph.namespaces import GRAPH, ID, RDFS
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.graph(GRAPH.b).add((ID.a, RDFS.label, Literal("A")))
    >>> uploads(ds)
    [('https://w3id.org/diplomacy-kg/graph/b', 1, b'<https://w3id.org/diplomacy-kg/id/a> \
<http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n')]
    """
    from kg.store.oxigraph import inner_store

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
        if isinstance(graph, ox.DefaultGraph) and next(
                iter(store.quads_for_pattern(None, None, None, graph)), None) is None:
            continue
        body = store.dump(format=syntax, from_graph=graph, prefixes=prefixes) or b""
        iri = graph.value if isinstance(graph, ox.NamedNode) else None
        out.append((iri, _count(store, graph, body, fmt), body))
    return out


def _count(store: Any, graph: Any, body: bytes, fmt: str) -> int:
    """Triples in ``graph``: the lines of its N-Triples (one triple a line, newlines in
    literals escaped), else counted by Oxigraph (iterating the quads in Python costs 20x
    more: 20 s of a 30 s serialization at 1M triples)."""
    import pyoxigraph as ox

    if fmt == "nt":
        return body.count(b"\n")
    target = f"GRAPH {graph} {{ ?s ?p ?o }}" if isinstance(graph, ox.NamedNode) else "?s ?p ?o"
    solution = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) {{ {target} }}")))
    return int(solution[0].value)


def _serialize(graph: Graph, fmt: str) -> bytes:
    serializer, _media = PUSH_FORMATS[fmt]
    plain = Graph(bind_namespaces="none")
    for triple in graph:
        plain.add(triple)
    if fmt == "turtle":
        for prefix, namespace in PREFIXES.items():
            plain.bind(prefix, URIRef(str(namespace)), override=True, replace=True)
    return plain.serialize(format=serializer, encoding="utf-8")


class _Body:
    """A request body sent in chunks with progress; iterable again if the request is sent
    again (an authentication challenge), the progress never going back."""

    def __init__(self, body: bytes, start: int, total: int, label: str,
                 progress: Progress | None):
        self.body, self.start, self.total, self.label = body, start, total, label
        self.progress = progress
        self.reported = 0

    def __iter__(self) -> Iterator[bytes]:
        for offset in range(0, len(self.body), _CHUNK):
            piece = self.body[offset:offset + _CHUNK]
            yield piece
            sent = offset + len(piece)
            if self.progress is not None and sent > self.reported:
                self.reported = sent
                self.progress(self.start + sent, self.total, self.label)


def push(dataset: Dataset, graph_store: str, *, fmt: str = "nt",
         timeout: float = DEFAULT_TIMEOUT, progress: Progress | None = None,
         client: httpx.Client | None = None,
         credentials: Credentials | None = None) -> list[PushedGraph]:
    """PUT each graph of ``dataset`` to ``graph_store``; the list of what was written.

    ``credentials`` (else those of :func:`~kg.sparql.http_auth.find_credentials` for the
    URL) are sent when the store asks: before the first PUT, a ``HEAD`` of the first graph
    learns the store's scheme (Digest or Basic) so that no body is sent twice, and refused
    credentials stop everything before any graph is written.

    Stops at the first graph the store refuses, with a :class:`~kg.errors.RemoteError`
    that says which graph, the status, and the first line of the store's answer.
    """
    check_url(graph_store, "graph store")
    if fmt not in PUSH_FORMATS:
        raise KGError(f"unknown push format {fmt!r}: use one of {', '.join(PUSH_FORMATS)}")
    media = PUSH_FORMATS[fmt][1]
    if credentials is None:
        credentials = find_credentials(graph_store)
    auth = auth_for(credentials)
    shown, target = redact(graph_store), bare(graph_store)
    bodies = uploads(dataset, fmt)
    total = sum(len(body) for _, _, body in bodies)
    sent = 0
    done: list[PushedGraph] = []

    def url_of(iri: str | None) -> str:
        selector = f"graph={quote(iri, safe='')}" if iri is not None else "default"
        return target + ("&" if "?" in target else "?") + selector

    def label_of(iri: str | None) -> str:
        return f"<{iri}>" if iri is not None else "the default graph"

    with session(client, timeout) as http:
        if isinstance(auth, ChallengeAuth) and bodies:
            iri = bodies[0][0]
            try:
                probe = http.head(url_of(iri), auth=auth)
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot PUT {label_of(iri)} to {shown}: "
                                  f"{reason(exc, timeout)}") from None
            if probe.status_code in (401, 403):
                raise RemoteError(f"{shown} refused {label_of(iri)}: "
                                  f"{status(probe, credentials)}")
        for iri, triples, body in bodies:
            label = label_of(iri)
            try:
                response = http.put(
                    url_of(iri), content=_Body(body, sent, total, label, progress),
                    auth=auth,
                    headers={"Content-Type": f"{media}; charset=utf-8" if fmt == "turtle"
                             else media, "Content-Length": str(len(body))})
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot PUT {label} to {shown}: "
                                  f"{reason(exc, timeout)}") from None
            if response.status_code not in (200, 201, 204):
                raise RemoteError(f"{shown} refused {label}: {status(response, credentials)}")
            sent += len(body)
            if progress is not None and not body:
                progress(sent, total, label)
            done.append(PushedGraph(iri, triples, len(body), response.status_code))
    return done
