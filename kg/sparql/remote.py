"""Talk to an external triple store: push the graphs (Graph Store Protocol), query it.

* :func:`push` writes every named graph of the dataset with one HTTP ``PUT`` to
  ``<graph-store>?graph=<iri>`` (SPARQL 1.1 Graph Store HTTP Protocol), the graph
  serialized as N-Triples (or Turtle). PUT replaces the graph, so pushing twice leaves
  the store as pushing once; graphs of the store that the dataset does not have are
  left alone. Never one request per triple.
* :func:`query_endpoint` sends a query by the SPARQL 1.1 Protocol the way every server
  answers: a GET (``?query=``) when the URL stays under :data:`GET_LIMIT` bytes, else
  a form-encoded POST (``query=``); never a direct ``application/sparql-query`` POST
  unless asked (Virtuoso 7 never answers one). The answer is parsed back into an rdflib
  result, so it prints exactly like a local one (:func:`kg.sparql.query.format_result`). The
  query first passes the same guard as a local one: SERVICE, LOAD, FROM and updates are
  refused before anything is sent.
* :func:`graph_store_url` derives the Graph Store URL from a query endpoint URL, by the
  conventions of Oxigraph (``/query`` -> ``/store``), Apache Jena Fuseki
  (``/ds/sparql`` or ``/ds/query`` -> ``/ds/data``), GraphDB
  (``/repositories/X`` -> ``/repositories/X/rdf-graphs/service``) and Virtuoso
  (``/sparql`` on port 8890 -> ``/sparql-graph-crud-auth``).

Every request waits at most ``timeout`` seconds to connect and for each read; a
server that accepts and never answers is one :class:`RemoteError`, not a hang.

Credentials (:func:`find_credentials`) come from ``--user NAME[:PASSWORD]`` (the
password else from ``$KG_PASSWORD``), the URL (``http://user:pass@host/...``) or a
netrc file (``$NETRC``, else ``~/.netrc``). They are sent only when the server asks
(HTTP 401): HTTP Digest if its challenge offers Digest, else Basic. They are never
printed: messages show the URL through :func:`redact`.

>>> graph_store_url("http://localhost:7878/query")
'http://localhost:7878/store'
"""

from __future__ import annotations

import io
import netrc
import os
import re
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

import httpx
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from kg.errors import KGError
from kg.graph.namespaces import PREFIXES
from kg.sparql.guard import ensure_local, prepare_query

__all__ = [
    "QUERY_METHODS",
    "Credentials",
    "PushedGraph",
    "RemoteError",
    "find_credentials",
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
#: How a query is sent: auto (GET when short, else form POST), get, form, direct.
QUERY_METHODS = ("auto", "get", "form", "direct")
#: The longest URL sent as a GET by the ``auto`` method (bytes); longer queries are POSTed.
GET_LIMIT = 2000
#: The environment variable holding the password of ``--user NAME``.
PASSWORD_VARIABLE = "KG_PASSWORD"

#: A progress callback: (bytes sent so far, bytes in all, graph being sent).
Progress = Callable[[int, int, str], None]


class RemoteError(KGError):
    """A remote store or endpoint could not be reached or refused a request."""


#: Query-string parameters that carry a secret (QLever takes its token as access-token=).
_SECRET_PARAMETERS = ("access-token", "access_token", "token", "password")


def redact(url: str) -> str:
    """``url`` without its password or access token, for messages.

    >>> redact("http://admin:secret@localhost:7200/repositories/kg")
    'http://admin:***@localhost:7200/repositories/kg'
    >>> redact("http://localhost:7001/?access-token=s3cret&graph=x")
    'http://localhost:7001/?access-token=***&graph=x'
    """
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{parts.username}:***@{host}")
    if parts.query:
        fields = [field.partition("=") for field in parts.query.split("&")]
        parts = parts._replace(query="&".join(
            f"{name}{eq}{'***' if eq and unquote(name).lower() in _SECRET_PARAMETERS else value}"
            for name, eq, value in fields))
    return urlunsplit(parts)


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KGError(f"{what} {redact(url)!r} is not an http(s) URL")


# --- credentials -------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a store, and where they came from (never the password).

    >>> Credentials("dba", "secret", "the URL")
    Credentials(user='dba', origin='the URL')
    """

    user: str
    password: str = field(repr=False)
    origin: str


def find_credentials(url: str, user: str | None = None, *,
                     environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The credentials for ``url``: from ``user`` (``NAME[:PASSWORD]``, the password
    else from ``$KG_PASSWORD``), else the URL's ``user:password@``, else the netrc file
    (``$NETRC``, else ``~/.netrc``) entry of the URL's host; None when there are none.

    >>> find_credentials("http://dba:s%40cret@localhost:8890/sparql-graph-crud-auth")
    Credentials(user='dba', origin='the URL')
    >>> find_credentials("http://localhost:8890/sparql", "dba:dba").password
    'dba'
    >>> find_credentials("http://localhost/sparql", "dba", environ={"KG_PASSWORD": "x"})
    Credentials(user='dba', origin='--user and $KG_PASSWORD')
    >>> find_credentials("http://localhost/sparql", "dba", environ={})
    Traceback (most recent call last):
    ...
    kg.errors.KGError: no password for user 'dba': give --user dba:PASSWORD or set KG_PASSWORD
    """
    env = os.environ if environ is None else environ
    if user is not None:
        name, colon, password = user.partition(":")
        if not name:
            raise KGError("--user needs a user name: --user NAME[:PASSWORD]")
        if colon:
            return Credentials(name, password, "--user")
        if PASSWORD_VARIABLE in env:
            return Credentials(name, env[PASSWORD_VARIABLE], f"--user and ${PASSWORD_VARIABLE}")
        raise KGError(f"no password for user {name!r}: give --user {name}:PASSWORD or set "
                      f"{PASSWORD_VARIABLE}")
    parts = urlsplit(url)
    if parts.username is not None:
        return Credentials(unquote(parts.username), unquote(parts.password or ""), "the URL")
    return _netrc_credentials(parts.hostname or "", env)


def _netrc_credentials(host: str, env: Mapping[str, str]) -> Credentials | None:
    path = Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:
        raise KGError(f"{path}:{exc.lineno}: {exc.msg}") from None
    except OSError as exc:
        raise KGError(f"cannot read the netrc file {path}: {exc.strerror}") from None
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login, password or "", str(path))


def _bare(url: str) -> str:
    """``url`` without user and password (they are sent only when the server asks).

    >>> _bare("http://dba:dba@127.0.0.1:8890/sparql?x=1")
    'http://127.0.0.1:8890/sparql?x=1'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class ChallengeAuth(httpx.Auth):
    """Send credentials only when the server asks (401): Digest when its challenge offers
    Digest, else Basic (also when a 401 names no scheme). Once a scheme is known, later
    requests carry it at once (Digest from the cached challenge, answering a stale nonce
    by itself).

    >>> ChallengeAuth(Credentials("dba", "dba", "--user")).scheme is None
    True
    """

    def __init__(self, credentials: Credentials):
        self.credentials = credentials
        self.scheme: str | None = None  # "digest" or "basic" once a challenge was seen
        self._digest = httpx.DigestAuth(credentials.user, credentials.password)
        self._basic = httpx.BasicAuth(credentials.user, credentials.password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response,
                                                             None]:
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        offered = {h.split(None, 1)[0].lower() for h in
                   response.headers.get_list("www-authenticate") if h.strip()}
        if response.status_code != 401 or (offered and not {"digest", "basic"} & offered):
            return  # not asked, or asked for a scheme kg does not speak (Bearer, Negotiate)
        # A 401 with no challenge at all (some servers send none) gets Basic.
        self.scheme = "digest" if "digest" in offered else "basic"
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        next(flow)  # the request as first sent: answered by the 401 in hand
        try:
            retry = flow.send(response)
        except StopIteration:  # pragma: no cover - the 401 offered Digest
            return
        yield retry


def _auth(credentials: Credentials | None) -> httpx.Auth:
    """The ``auth`` of every request: answers a challenge when there are credentials."""
    return ChallengeAuth(credentials) if credentials is not None else httpx.Auth()


def _client(timeout: float) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False)


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
    _check_url(endpoint, "endpoint")
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

    ``credentials`` (else those of :func:`find_credentials` for the URL) are sent when
    the store asks: before the first PUT, a ``HEAD`` of the first graph learns the
    store's scheme (Digest or Basic) so that no body is sent twice, and refused
    credentials stop everything before any graph is written.

    Stops at the first graph the store refuses, with a :class:`RemoteError` that says
    which graph, the status, and the first line of the store's answer.
    """
    _check_url(graph_store, "graph store")
    if fmt not in PUSH_FORMATS:
        raise KGError(f"unknown push format {fmt!r}: use one of {', '.join(PUSH_FORMATS)}")
    media = PUSH_FORMATS[fmt][1]
    if credentials is None:
        credentials = find_credentials(graph_store)
    auth = _auth(credentials)
    shown, target = redact(graph_store), _bare(graph_store)
    bodies = uploads(dataset, fmt)
    total = sum(len(body) for _, _, body in bodies)
    sent = 0
    done: list[PushedGraph] = []
    own = client is None
    http = client or _client(timeout)

    def url_of(iri: str | None) -> str:
        selector = f"graph={quote(iri, safe='')}" if iri is not None else "default"
        return target + ("&" if "?" in target else "?") + selector

    try:
        if isinstance(auth, ChallengeAuth) and bodies:
            iri = bodies[0][0]
            label = f"<{iri}>" if iri is not None else "the default graph"
            try:
                probe = http.head(url_of(iri), auth=auth)
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot PUT {label} to {shown}: "
                                  f"{_reason(exc, timeout)}") from None
            if probe.status_code in (401, 403):
                raise RemoteError(f"{shown} refused {label}: "
                                  f"{_status(probe, credentials)}")
        for iri, triples, body in bodies:
            label = f"<{iri}>" if iri is not None else "the default graph"
            try:
                response = http.put(
                    url_of(iri), content=_Body(body, sent, total, label, progress),
                    auth=auth,
                    headers={"Content-Type": f"{media}; charset=utf-8" if fmt == "turtle"
                             else media, "Content-Length": str(len(body))})
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot PUT {label} to {shown}: "
                                  f"{_reason(exc, timeout)}") from None
            if response.status_code not in (200, 201, 204):
                raise RemoteError(f"{shown} refused {label}: "
                                  f"{_status(response, credentials)}")
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
                   client: httpx.Client | None = None, credentials: Credentials | None = None,
                   method: str = "auto") -> Result:
    """Run a read-only query on a remote SPARQL endpoint; an rdflib result.

    The project prefixes are predeclared as for a local query; SERVICE, LOAD, FROM and
    updates are refused before anything is sent (:class:`~kg.errors.QueryError`).
    ``method``: ``auto`` (GET when the URL stays under :data:`GET_LIMIT` bytes, else a
    form-encoded POST), ``get``, ``form`` or ``direct`` (POST ``application/sparql-query``,
    which Virtuoso 7 never answers). ``credentials`` (else those of
    :func:`find_credentials` for the URL) are sent when the endpoint asks.

    >>> query_endpoint("http://127.0.0.1:9/sparql", "ASK { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SERVICE <http://x/> is refused: queries never reach the network
    """
    ensure_local(text)
    full = _with_prefixes(text)
    kind = _KINDS.get(prepare_query(full).algebra.name, "SELECT")
    _check_url(endpoint, "endpoint")
    if method not in QUERY_METHODS:
        raise KGError(f"unknown query method {method!r}: use one of {', '.join(QUERY_METHODS)}")
    if credentials is None:
        credentials = find_credentials(endpoint)
    auth = _auth(credentials)
    graph_result = kind in ("CONSTRUCT", "DESCRIBE")
    accept = ("application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
              if graph_result else
              "application/sparql-results+json, application/sparql-results+xml;q=0.9")
    target, shown = _bare(endpoint), redact(endpoint)
    get_url = target + ("&" if "?" in target else "?") + urlencode({"query": full})
    if method == "auto":
        method = "get" if len(get_url.encode("utf-8")) <= GET_LIMIT else "form"
    own = client is None
    http = client or _client(timeout)
    try:
        if method == "get":
            response = http.get(get_url, headers={"Accept": accept}, auth=auth)
        elif method == "form":
            response = http.post(target, data={"query": full}, headers={"Accept": accept},
                                 auth=auth)
        else:
            response = http.post(target, content=full.encode("utf-8"), auth=auth, headers={
                "Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot query {shown}: {_reason(exc, timeout)}") from None
    finally:
        if own:
            http.close()
    if response.status_code != 200:
        raise RemoteError(f"{shown} answered {_status(response, credentials)}")
    served = response.headers.get("content-type", "")
    media = served.split(";")[0].strip().lower()
    try:
        if graph_result:
            syntax = {"text/turtle": "turtle", "application/rdf+xml": "xml",
                      "application/ld+json": "json-ld"}.get(media, "nt")
            graph = Graph()
            graph.parse(data=response.content, format=syntax)
            result = Result(kind)
            result.graph = graph
            return result
        syntax = "xml" if media.endswith("xml") else "json"
        parsed = Result.parse(io.BytesIO(response.content), format=syntax)
    except Exception as exc:
        raise RemoteError(f"{shown} sent an answer that is not {accept.split(',')[0]} "
                          f"({served or 'no Content-Type'}): "
                          f"{' '.join(str(exc).split())[:200]}") from None
    if kind == "ASK" and parsed.type == "SELECT":
        return _ask_from_table(parsed)
    return parsed


def _ask_from_table(table: Result) -> Result:
    """An ASK answer that came as a table (Virtuoso 7: one ``__ASK_RETVAL`` row holding 1
    when true, no row when false) as a boolean result.

    >>> from rdflib import Literal, Variable
    >>> table = Result("SELECT")
    >>> table.vars = [Variable("__ASK_RETVAL")]
    >>> table.bindings = [{Variable("__ASK_RETVAL"): Literal(1)}]
    >>> _ask_from_table(table).askAnswer
    True
    """
    answer = Result("ASK")
    answer.askAnswer = any(
        value is not None and str(value) not in ("0", "false")
        for row in table.bindings for value in row.values())
    return answer


def _reason(exc: httpx.HTTPError, timeout: float = DEFAULT_TIMEOUT) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {timeout:g} s (is the host reachable?)"
    if isinstance(exc, httpx.ReadTimeout):
        return (f"no answer within {timeout:g} s (the server accepted the connection but "
                "did not answer; give --timeout SECONDS to wait longer)")
    if isinstance(exc, httpx.WriteTimeout):
        return f"could not send the request within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host unreachable (is the server running?)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    return " ".join(str(exc).split()) or type(exc).__name__


def _first_line(response: httpx.Response) -> str:
    """The first line of an answer's text; of an HTML page, its text without markup.

    >>> _first_line(httpx.Response(403, html="<!DOCTYPE HTML>\\n<html><head><title>Request "
    ...     "failed</title></head><body><h1>Forbidden</h1></body></html>"))
    'Request failed Forbidden'
    """
    text = response.text
    if "html" in response.headers.get("content-type", "") or \
            text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = re.sub(r"(?is)<!doctype[^>]*>|<(script|style)\b.*?</\1>|<[^>]+>", " ", text)
        text = " ".join(text.split())
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _status(response: httpx.Response, credentials: Credentials | None = None) -> str:
    first = _first_line(response)
    detail = f": {first[:300]}" if first else ""
    hint = ""
    if response.status_code == 401:
        hint = (f" (user {credentials.user!r} and its password were refused)"
                if credentials is not None else
                " (the server asks for credentials: give --user NAME, user:password@ in "
                "the URL, or a ~/.netrc entry)")
    message = f"{response.status_code} {response.reason_phrase}{hint}{detail}"
    if credentials is not None and credentials.password:
        message = message.replace(credentials.password, "***")
    return message
