"""A read-only SPARQL 1.1 Protocol endpoint over the built graph: the Starlette app
(:func:`create_app`) and :func:`serve`, which runs it under uvicorn.

The stack, and why
------------------
* **uvicorn** (HTTP/1.1 parsing, keep-alive, graceful shutdown on SIGINT/SIGTERM)
  serving a **Starlette** app (routing, streaming-free plain responses). Both are the
  common, maintained ASGI pair; Starlette is small (no ORM, no validation layer) and the
  app stays a plain function table. Flask/Werkzeug or ``http.server`` would tie a
  request to a thread for the whole query and could not stop it; aiohttp would do as
  well as Starlette but has no advantage here.
* **Hostile clients and pages.** uvicorn reads headers without a time limit, so a
  subclass of its h11 protocol (:func:`~kg.web.connections.guarded_protocol`) adds a
  header timeout and :class:`~kg.web.connections.ConnectionLimits` (caps in total and
  per client, evicting the connection that has waited longest for a request, so a fresh
  client always gets in: slowloris). An ASGI middleware
  (:class:`~kg.web.access.AccessGate`) answers only a ``Host`` that names the server
  (421 otherwise: DNS rebinding) and refuses web pages of other origins unless
  ``--cors`` lists them (:class:`~kg.web.access.AccessPolicy`); there is no CORS header
  otherwise.
* **Queries run in worker processes**, never in the server process. rdflib evaluates
  SPARQL in pure Python and cannot be interrupted in a thread, so the only way to make
  a time limit *stop the work* is to kill the process doing it. A
  :class:`~kg.web.workers.WorkerPool` starts ``workers`` processes (default 2, the
  cores here), each loading the graph once from an N-Quads snapshot. A request takes an
  idle worker, sends it a :class:`~kg.web.protocol.QueryJob`, and waits ``timeout``
  seconds: on time, the worker's :class:`~kg.web.protocol.Reply` is sent as is; late,
  the worker is killed (SIGKILL), a fresh one is started in its place, and the client
  gets 503. The server process itself only parses HTTP
  (:func:`~kg.web.request.read_request`), so the service description, the page at
  ``/`` and every other worker keep answering while one query runs long. Each worker
  first leaves the network (:func:`~kg.web.workers.isolate_network`: a new, empty
  network namespace), so even a query the guard missed could connect nowhere.

The limits are :class:`~kg.web.settings.ServerSettings`.

Endpoints
---------
* ``/sparql``: GET ``?query=``, POST form (``application/x-www-form-urlencoded``) or
  POST ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri``
  select graphs of the served dataset (an unknown one is 400, nothing is fetched).
  Without a query: the service description. Updates: 403 when POSTed (form ``update=``
  or ``application/sparql-update``), 400 via GET. Other methods: 405.
* ``/``: a page with a query box and a results table (inline script, no CDN).

>>> app = create_app(WorkerPool(Path("nowhere.nq")))
>>> sorted(route.path for route in app.routes)
['/', '/sparql']
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import socket
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from rdflib import Dataset
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.errors import KGError
from kg.web.access import AccessGate, AccessPolicy
from kg.web.connections import ConnectionLimits, guarded_protocol
from kg.web.plain import text_response
from kg.web.protocol import Reply, describe_service, named_queries_json
from kg.web.request import BadRequest, read_request
from kg.web.settings import DEFAULT_HOST, DEFAULT_PORT, ServerSettings
from kg.web.workers import WorkerPool

__all__ = [
    "Serving",
    "create_app",
    "open_socket",
    "serve",
    "write_snapshot",
]

log = logging.getLogger("kg.web.server")

_ALLOWED = "GET, HEAD, POST, OPTIONS"


def _endpoint_url(request: Request) -> str:
    url = str(request.url.replace(query="", fragment=""))
    return quote(url, safe=":/?#[]@!$&'()*+,;=%")


def _reply(reply: Reply) -> Response:
    return Response(reply.body, reply.status,
                    headers={"Content-Type": reply.content_type, "Vary": "Accept"})


def _page_html() -> tuple[str, str]:
    """The page at ``/`` and its Content-Security-Policy (the inline script by hash)."""
    template = resources.files("kg.web").joinpath("page.html").read_text("utf-8")
    page = template.replace("{{QUERIES_JSON}}", named_queries_json())
    hashes = []
    for tag in ("script", "style"):
        start = page.index(f"<{tag}>") + len(f"<{tag}>")
        end = page.index(f"</{tag}>", start)
        digest = hashlib.sha256(page[start:end].encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    csp = (f"default-src 'none'; script-src {hashes[0]}; style-src {hashes[1]}; "
           "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return page, csp


def create_app(pool: WorkerPool, on_ready: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app: ``/sparql`` (protocol), ``/`` (the query page), both behind the
    Host and Origin checks of ``pool.settings`` (:class:`~kg.web.access.AccessPolicy`).

    Queries go to ``pool``, which starts with the app (unless already started).
    ``on_ready`` runs once the workers are attached and requests will be served.
    KGError when a ``cors`` or ``allow_hosts`` value is malformed.
    """
    settings = pool.settings
    policy = AccessPolicy.from_options(settings.cors, settings.allow_hosts)
    page: list[tuple[str, str]] = []

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": _ALLOWED})
        if request.method not in ("GET", "HEAD", "POST"):
            return text_response(405, f"{request.method} is not allowed here: send queries "
                                      "by GET or POST (this endpoint is read-only)",
                                 {"Allow": _ALLOWED})
        try:
            job = await read_request(request, settings)
        except BadRequest as exc:
            return text_response(exc.status, exc.message,
                                 {"Connection": "close"} if exc.close else None)
        if job is None:
            reply = describe_service(request.headers.get("accept"), _endpoint_url(request),
                                     pool.info, timeout=settings.timeout,
                                     max_rows=settings.max_rows)
        else:
            reply = await pool.run(job)
        return _reply(reply)

    async def home(request: Request) -> Response:
        if not page:
            page.append(_page_html())
        html, csp = page[0]
        return Response(html, headers={"Content-Security-Policy": csp,
                                       "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer"},
                        media_type="text/html; charset=utf-8")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.attach()
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            pool.close()

    methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    return Starlette(
        routes=[Route("/sparql", sparql, methods=methods), Route("/", home, methods=["GET"])],
        middleware=[Middleware(AccessGate, policy=policy)],
        lifespan=lifespan,
    )



def open_socket(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening TCP socket; KGError (not a traceback) when the address is taken.

    Port 0 picks a free port: read it back with ``sock.getsockname()[1]``.

    >>> sock = open_socket("127.0.0.1", 0)
    >>> sock.getsockname()[1] > 0
    True
    >>> sock.close()
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    # proto must be IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it every keep-alive response waits 40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock



def write_snapshot(dataset: Dataset, folder: Path) -> Path:
    """The dataset as N-Quads in ``folder``, the file the workers load."""
    from kg.store.oxigraph import inner_store

    path = folder / "kg-served.nq"
    store = inner_store(dataset)
    if store is not None:  # Oxigraph writes its own store ten times faster than rdflib
        import pyoxigraph as ox
        store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
    else:
        dataset.serialize(destination=str(path), format="nquads", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Serving:
    """What :func:`serve` tells ``on_ready``: the endpoint URL, and why the query
    workers can reach the network (None: they cannot)."""

    url: str
    network: str | None


def serve(dataset: Dataset, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          settings: ServerSettings | None = None,
          on_ready: Callable[[Serving], None] | None = None) -> None:
    """Serve ``dataset`` until interrupted (Ctrl-C or SIGTERM).

    ``on_ready`` gets a :class:`Serving` once the workers have loaded the graph and the
    socket accepts requests. Raises KGError when the address is taken, a ``cors`` or
    ``allow_hosts`` value is malformed, or a worker cannot load the graph. When the
    workers could not be cut off from the network, that is logged once (warning).
    """
    import uvicorn

    settings = settings or ServerSettings()
    AccessPolicy.from_options(settings.cors, settings.allow_hosts)  # fail before listening
    sock = open_socket(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/sparql"
    try:
        with tempfile.TemporaryDirectory(prefix="kg-serve-") as folder:
            pool = WorkerPool(write_snapshot(dataset, Path(folder)), settings)
            pool.start()
            if pool.network is not None:
                log.warning("query workers run with network access (%s); SERVICE, LOAD "
                            "and FROM are still refused before a query runs", pool.network)
            try:
                app = create_app(pool, on_ready=(lambda: on_ready(Serving(url, pool.network)))
                                 if on_ready else None)
                limits = ConnectionLimits(settings.max_connections,
                                          settings.max_connections_per_client)
                config = uvicorn.Config(
                    app, http=guarded_protocol(limits, settings.header_timeout),
                    log_level="warning", access_log=False, lifespan="on",
                    timeout_graceful_shutdown=5, server_header=False,
                    # ConnectionLimits caps connections (evicting idle ones first);
                    # uvicorn's own cap would answer 503 instead.
                    limit_concurrency=None, timeout_keep_alive=settings.idle_timeout)
                uvicorn.Server(config).run(sockets=[sock])
            finally:
                pool.close()
    finally:
        sock.close()
