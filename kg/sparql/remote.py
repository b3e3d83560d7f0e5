"""Query a remote SPARQL endpoint by the SPARQL 1.1 Protocol.

:func:`query_endpoint` sends a query the way every server answers: a GET (``?query=``)
when the URL stays under :data:`GET_LIMIT` bytes, else a form-encoded POST (``query=``);
never a direct ``application/sparql-query`` POST unless asked (Virtuoso 7 never answers
one). The answer is parsed back into an rdflib result, so it prints exactly like a local
one (:func:`kg.sparql.query.format_result`). The query first passes the same guard as a
local one: SERVICE, LOAD, FROM and updates are refused before anything is sent.

Credentials (:mod:`kg.sparql.http_auth`) are sent only when the endpoint asks; time limits
and failures are those of :mod:`kg.sparql.http_client`. Pushing graphs to a store is
:mod:`kg.sparql.push`.

>>> query_endpoint("ftp://example.org/sparql", "ASK {}")
Traceback (most recent call last):
...
kg.errors.KGError: endpoint 'ftp://example.org/sparql' is not an http(s) URL
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import httpx
from rdflib import Graph
from rdflib.query import Result

from kg.errors import KGError, RemoteError
from kg.graph.namespaces import PREFIXES
from kg.sparql.guard import ensure_local, prepare_query
from kg.sparql.http_auth import Credentials, auth_for, bare, find_credentials, redact
from kg.sparql.http_client import DEFAULT_TIMEOUT, check_url, reason, session, status

__all__ = ["GET_LIMIT", "QUERY_METHODS", "query_endpoint"]

#: How a query is sent: auto (GET when short, else form POST), get, form, direct.
QUERY_METHODS = ("auto", "get", "form", "direct")
#: The longest URL sent as a GET by the ``auto`` method (bytes); longer queries are POSTed.
GET_LIMIT = 2000

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
    :func:`~kg.sparql.http_auth.find_credentials` for the URL) are sent when the endpoint
    asks.

    >>> query_endpoint("http://127.0.0.1:9/sparql", "ASK { SERVICE <http://x/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SERVICE <http://x/> is refused: queries never reach the network
    """
    ensure_local(text)
    full = _with_prefixes(text)
    kind = _KINDS.get(prepare_query(full).algebra.name, "SELECT")
    check_url(endpoint, "endpoint")
    if method not in QUERY_METHODS:
        raise KGError(f"unknown query method {method!r}: use one of {', '.join(QUERY_METHODS)}")
    if credentials is None:
        credentials = find_credentials(endpoint)
    auth = auth_for(credentials)
    graph_result = kind in ("CONSTRUCT", "DESCRIBE")
    accept = ("application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
              if graph_result else
              "application/sparql-results+json, application/sparql-results+xml;q=0.9")
    target, shown = bare(endpoint), redact(endpoint)
    get_url = target + ("&" if "?" in target else "?") + urlencode({"query": full})
    if method == "auto":
        method = "get" if len(get_url.encode("utf-8")) <= GET_LIMIT else "form"
    with session(client, timeout) as http:
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
            raise RemoteError(f"cannot query {shown}: {reason(exc, timeout)}") from None
    if response.status_code != 200:
        raise RemoteError(f"{shown} answered {status(response, credentials)}")
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
