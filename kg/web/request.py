"""Reading a SPARQL 1.1 Protocol request: what a GET, a form POST or a direct POST asks
for (:func:`read_request` gives the :class:`~kg.web.protocol.QueryJob`, or None for the
service description), and the refusals of malformed or updating requests
(:class:`BadRequest`: status and message). Bodies are read with a size cap and a
time limit, and every text must be UTF-8.

>>> import asyncio
>>> from starlette.requests import Request
>>> def get(query_string):
...     scope = {"type": "http", "method": "GET", "query_string": query_string,
...              "headers": [(b"accept", b"text/csv")]}
...     return asyncio.run(read_request(Request(scope), ServerSettings()))
>>> get(b"query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fx%2Fg")
QueryJob(text='ASK {}', accept='text/csv', default_graphs=('http://x/g',), named_graphs=())
>>> get(b"") is None  # no query: the service description
True
>>> try:
...     get(b"update=CLEAR%20ALL")
... except BadRequest as exc:
...     print(exc.status, exc.message)
400 SPARQL updates are not accepted via GET (the protocol sends them by POST), and this \
endpoint is read-only
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from starlette.requests import Request

from kg.web.protocol import QueryJob
from kg.web.settings import ServerSettings

__all__ = ["BadRequest", "read_request"]

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"


class BadRequest(Exception):
    """A request refused before any query runs: the HTTP status and the message."""

    def __init__(self, status: int, message: str, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close  # the body may be left unread: end the connection


def _parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Decode ``a=b&c=d`` strictly as UTF-8; a bad byte is a 400."""
    try:
        text = raw.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(400, f"the {where} is not valid UTF-8 ({exc.reason} at byte "
                              f"{exc.start}); SPARQL requests must be UTF-8") from None


def _media(header: str | None) -> tuple[str | None, dict[str, str]]:
    if header is None or not header.strip():
        return None, {}
    kind, *params = header.split(";")
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"')
    return kind.strip().lower(), parsed


async def _body(request: Request, limit: int, timeout: float) -> bytes:
    """The whole body, at most ``limit`` bytes (413), in ``timeout`` seconds (408)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BadRequest(413, f"the request body is over {limit} bytes", close=True)
    chunks, size = [], 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise BadRequest(413, f"the request body is over {limit} bytes",
                                     close=True)
                chunks.append(chunk)
    except TimeoutError:
        raise BadRequest(408, f"the request body did not arrive within {timeout:g} s",
                         close=True) from None
    return b"".join(chunks)


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


async def read_request(request: Request, settings: ServerSettings) -> QueryJob | None:
    """The job a protocol request asks for; None for "no query" (the service description).

    Raises :class:`BadRequest` with the status and message of a malformed or refused request.
    """
    url_params = _parse_params(request.scope.get("query_string", b""), "query string")
    method = request.method
    if method in ("GET", "HEAD"):
        if _values(url_params, "update"):
            raise BadRequest(400, "SPARQL updates are not accepted via GET (the protocol "
                                  "sends them by POST), and this endpoint is read-only")
        params = url_params
        queries = _values(params, "query")
    else:  # POST
        kind, media_params = _media(request.headers.get("content-type"))
        charset = media_params.get("charset")
        if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise BadRequest(400, f"charset {charset!r} is not accepted: SPARQL requests "
                                  "must be UTF-8")
        if kind is None:
            raise BadRequest(400, f"a POST needs a Content-Type: {_FORM} (query=...) or "
                                  f"{_QUERY} (the query as the body)")
        body = await _body(request, settings.max_body, settings.body_timeout)
        if kind == _FORM:
            params = _parse_params(body, "request body") + [
                (k, v) for k, v in url_params
                if k in ("default-graph-uri", "named-graph-uri")]
            updates = _values(params, "update")
            queries = _values(params, "query")
            if updates and queries:
                raise BadRequest(400, "give either query= or update=, not both")
            if len(updates) > 1:
                raise BadRequest(400, "give one update= parameter, not several")
            if updates:
                raise BadRequest(403, "this endpoint is read-only: SPARQL updates are refused")
            if not queries:
                raise BadRequest(400, "the form has no query= parameter")
        elif kind == _QUERY:
            if _values(url_params, "query"):
                raise BadRequest(400, f"the query is in the {_QUERY} body: do not also "
                                      "give query= in the URL")
            try:
                queries = [body.decode("utf-8")]
            except UnicodeDecodeError as exc:
                raise BadRequest(400, f"the query is not valid UTF-8 ({exc.reason} at byte "
                                      f"{exc.start}); SPARQL requests must be UTF-8") from None
            params = url_params
        elif kind == _UPDATE:
            raise BadRequest(403, "this endpoint is read-only: SPARQL updates are refused")
        else:
            raise BadRequest(400, f"Content-Type {kind!r} is not a SPARQL request: use "
                                  f"{_FORM} (query=...) or {_QUERY}")
    if len(queries) > 1:
        raise BadRequest(400, f"give one query parameter, not {len(queries)}")
    default_graphs = tuple(_values(params, "default-graph-uri"))
    named_graphs = tuple(_values(params, "named-graph-uri"))
    if not queries:
        if default_graphs or named_graphs or method == "POST":
            raise BadRequest(400, "no query given (query= is missing)")
        return None
    if not queries[0].strip():
        raise BadRequest(400, "the query is empty")
    return QueryJob(queries[0], request.headers.get("accept"), default_graphs, named_graphs)
