"""A read-only SPARQL 1.1 Protocol endpoint over the built graph.

The stack, and why
------------------
* **uvicorn** (HTTP/1.1 parsing, keep-alive, graceful shutdown on SIGINT/SIGTERM)
  serving a **Starlette** app (routing, streaming-free plain responses). Both are the
  common, maintained ASGI pair; Starlette is small (no ORM, no validation layer) and the
  app stays a plain function table. Flask/Werkzeug or ``http.server`` would tie a
  request to a thread for the whole query and could not stop it; aiohttp would do as
  well as Starlette but has no advantage here.
* **Hostile clients and pages.** uvicorn reads headers without a time limit, so a
  subclass of its h11 protocol (:func:`guarded_protocol`) adds a header timeout and
  :class:`ConnectionLimits` (caps in total and per client, evicting the connection that
  has waited longest for a request, so a fresh client always gets in: slowloris). An
  ASGI middleware answers only a ``Host`` that names the server (421 otherwise: DNS
  rebinding) and refuses web pages of other origins unless ``--cors`` lists them
  (:class:`AccessPolicy`); there is no CORS header otherwise.
* **Queries run in worker processes**, never in the server process. rdflib evaluates
  SPARQL in pure Python and cannot be interrupted in a thread, so the only way to make
  a time limit *stop the work* is to kill the process doing it. A :class:`WorkerPool`
  starts ``workers`` processes (default 2, the cores here), each loading the graph once
  from an N-Quads snapshot. A request takes an idle worker, sends it a
  :class:`~kg.web.protocol.QueryJob`, and waits ``timeout`` seconds: on time, the worker's
  :class:`~kg.web.protocol.Reply` is sent as is; late, the worker is killed (SIGKILL), a
  fresh one is started in its place, and the client gets 503. The server process itself
  only parses HTTP, so the service description, the page at ``/`` and every other
  worker keep answering while one query runs long. Each worker first leaves the
  network (:func:`isolate_network`: a new, empty network namespace), so even a query
  the guard missed could connect nowhere.

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

import asyncio
import base64
import contextlib
import ctypes
import hashlib
import ipaddress
import logging
import multiprocessing
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import typing
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import parse_qsl, quote

from rdflib import Dataset
from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.errors import KGError, QueryError
from kg.web.protocol import (
    DEFAULT_MAX_ROWS,
    GraphInfo,
    QueryJob,
    Reply,
    ServedStore,
    describe_service,
    execute,
    named_queries_json,
)

__all__ = [
    "AccessPolicy",
    "ConnectionLimits",
    "ServerSettings",
    "Serving",
    "WorkerPool",
    "create_app",
    "guarded_protocol",
    "isolate_network",
    "open_socket",
    "serve",
]

log = logging.getLogger("kg.web.server")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 5.0
DEFAULT_WORKERS = 2
MAX_BODY = 1 << 20  # bytes of a POSTed query or form
DEFAULT_HEADER_TIMEOUT = 10.0  # seconds to send a request's headers (and, apart, its body)
DEFAULT_IDLE_TIMEOUT = 5  # seconds an idle keep-alive connection is kept
DEFAULT_MAX_CONNECTIONS = 256
DEFAULT_MAX_PER_CLIENT = 64
_STARTUP_TIMEOUT = 600.0  # seconds a worker may take to load a large graph


@dataclass(frozen=True)
class ServerSettings:
    """Limits of the endpoint, and who may talk to it.

    ``cors``: origins (``http://localhost:3000``) whose web pages may read answers, ``*``
    for any page; none by default. ``allow_hosts``: names accepted in the ``Host`` header
    besides the address served (``NAME`` any port, ``NAME:PORT`` that port; ``*`` turns
    the check off). ``header_timeout``: seconds a client has to send a whole request line
    and headers (from connecting, or from the end of the previous response);
    ``body_timeout`` likewise for a POST body; ``idle_timeout``: seconds an idle
    keep-alive connection stays open. ``max_connections`` and
    ``max_connections_per_client`` cap open connections; a client is an IPv4 address or
    an IPv6 /64. ``isolate_workers``: run the query workers without network access
    where the system allows it.

    >>> ServerSettings().timeout, ServerSettings().header_timeout, ServerSettings().cors
    (5.0, 10.0, ())
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = DEFAULT_WORKERS
    max_body: int = MAX_BODY
    cors: tuple[str, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_HEADER_TIMEOUT
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_connections_per_client: int = DEFAULT_MAX_PER_CLIENT
    isolate_workers: bool = True


# --- worker processes ------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this worker when the server process dies, even mid-query."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)


CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
#: What :func:`isolate_network` tries, in order: a new network namespace (needs
#: CAP_SYS_ADMIN, e.g. root), then a new user namespace holding a new network namespace
#: (any user, where unprivileged user namespaces are enabled).
ISOLATION_ATTEMPTS: tuple[tuple[int, str], ...] = (
    (CLONE_NEWNET, "unshare(CLONE_NEWNET)"),
    (CLONE_NEWUSER | CLONE_NEWNET, "unshare(CLONE_NEWUSER | CLONE_NEWNET)"),
)


def isolate_network(attempts: tuple[tuple[int, str], ...] = ISOLATION_ATTEMPTS) -> str | None:
    """Move this process into a new, empty network namespace; None when that worked,
    else why it did not.

    A new network namespace has one interface, a loopback that is down: no connection
    can be made from it, to this machine or elsewhere (``connect`` fails with "Network
    is unreachable"). File descriptors already open, such as a worker's pipe to the
    server, keep working. Linux only; the result is checked (only ``lo`` is left), not
    assumed. It changes the calling process for good, so it runs in query workers only.

    >>> isolate_network(attempts=())  # nothing tried: the process keeps its network
    'no isolation was attempted'
    """
    if not sys.platform.startswith("linux"):
        return f"network namespaces are Linux-only (this is {sys.platform})"
    try:
        unshare = ctypes.CDLL(None, use_errno=True).unshare
    except (OSError, AttributeError) as exc:
        return f"unshare is not available: {exc}"
    failures = []
    for flags, name in attempts:
        if unshare(flags) == 0:
            break
        failures.append(f"{name}: {os.strerror(ctypes.get_errno())}")
    else:
        return "; ".join(failures) or "no isolation was attempted"
    try:
        interfaces = sorted(name for _, name in socket.if_nameindex())
    except OSError as exc:
        return f"the network interfaces could not be listed after unshare: {exc}"
    if interfaces != ["lo"]:
        return f"the new network namespace still has interfaces {', '.join(interfaces)}"
    return None


#: What a worker runs for each job: :func:`kg.web.protocol.execute` or a stand-in.
Runner = Callable[[ServedStore, QueryJob, int], Reply]


def _worker_main(conn: Connection, snapshot: str, max_rows: int, parent: int,
                 isolate: bool, runner: Runner) -> None:
    """A worker: leave the network, load the snapshot once, then answer jobs until the
    pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _die_with_parent(parent)
    problem = isolate_network() if isolate else "isolation is turned off"
    try:
        served = ServedStore.load(Path(snapshot))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", (served.info(), problem)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = runner(served, job, max_rows)
        except QueryError as exc:  # a refusal that escaped execute: still the client's
            reply = Reply.error(400, str(exc))
        except Exception as exc:  # execute maps expected failures itself; a net
            reply = Reply.error(500, f"query failed: {type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, snapshot: Path, max_rows: int, isolate: bool, runner: Runner):
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, str(snapshot), max_rows, os.getpid(), isolate, runner),
            name="kg-sparql-worker", daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float = _STARTUP_TIMEOUT) -> tuple[GraphInfo, str | None]:
        """Block until the worker has loaded the graph; KGError if it could not.

        Returns what it serves, and why it has network access (None: it has none).
        """
        try:
            if not self.conn.poll(timeout):
                raise KGError(f"a query worker did not load the graph in {timeout:g} s")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            raise KGError("a query worker died while loading the graph") from None
        if status != "ready":
            raise KGError(f"a query worker could not load the graph: {detail}")
        ready: tuple[GraphInfo, str | None] = detail
        return ready

    def call(self, job: QueryJob, timeout: float) -> Reply | None:
        """Send a job and wait for the reply; None when ``timeout`` passed first."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                return None
            reply: Reply = self.conn.recv()
            return reply
        except (EOFError, OSError):
            return Reply.error(500, "the query worker died while answering; it is restarted")

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        """Stop the process now (SIGKILL: pure-Python evaluation ignores nothing else)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Worker processes that each hold the graph; one job per worker at a time.

    ``start()`` launches the processes and waits until every one has loaded the graph
    (outside any event loop, so a bad snapshot fails before the server listens);
    ``run(job)`` is awaited by request handlers; ``close()`` stops everything. Each
    worker leaves the network before it loads anything (:func:`isolate_network`, unless
    ``settings.isolate_workers`` is false); ``network`` then says why workers still have
    network access, or is None when none has. ``runner`` is what a worker calls for a
    job (:func:`kg.web.protocol.execute`; tests pass a stand-in, which must be importable).

    >>> pool = WorkerPool(Path("kg.nq"), ServerSettings(workers=1))
    >>> pool.settings.workers, pool.network
    (1, 'the workers have not started')
    """

    def __init__(self, snapshot: Path, settings: ServerSettings | None = None,
                 runner: Runner = execute):
        self.snapshot = snapshot
        self.settings = settings or ServerSettings()
        self.runner = runner
        #: Why query workers can reach the network; None when none can.
        self.network: str | None = "the workers have not started"
        self._live: set[_Worker] = set()
        self._started: list[_Worker] = []
        self._lock = threading.Lock()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._calls: ThreadPoolExecutor | None = None
        self._spawns: ThreadPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.restarts = 0
        #: What the workers serve (known once they have started).
        self.info = GraphInfo(0, ())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.snapshot, self.settings.max_rows, self.settings.isolate_workers,
                         self.runner)
        with self._lock:
            self._live.add(worker)
        return worker

    def start(self) -> None:
        """Start the workers and wait until each has loaded the graph."""
        try:
            workers = [self._spawn() for _ in range(max(1, self.settings.workers))]
            problems = []
            for worker in workers:
                self.info, problem = worker.wait_ready()
                problems.append(problem)
            self.network = next((p for p in problems if p is not None), None)
        except BaseException:
            self.close()
            raise
        self._started = workers

    async def attach(self) -> None:
        """Hand the started workers to the running event loop (at server startup)."""
        if not self._started:
            self.start()
        self._idle = asyncio.Queue()
        for worker in self._started:
            self._idle.put_nowait(worker)
        count = len(self._started)
        self._calls = ThreadPoolExecutor(count, thread_name_prefix="kg-query")
        self._spawns = ThreadPoolExecutor(count, thread_name_prefix="kg-spawn")

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._live if w.process.pid is not None)

    async def run(self, job: QueryJob) -> Reply:
        """Run a job on the next idle worker, killing and replacing it on timeout."""
        if self._idle is None or self._calls is None:
            return Reply.error(503, "the server is starting or stopping; try again")
        timeout = self.settings.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            return Reply.error(503, f"all {self.settings.workers} query workers stayed busy "
                                    f"for {timeout:g} s; try again")
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._calls, worker.call, job, timeout)
        try:
            reply = await asyncio.shield(future)
        except asyncio.CancelledError:  # the client went away; settle when the call ends
            future.add_done_callback(lambda f: self._settle(
                worker, None if f.cancelled() or f.exception() else f.result()))
            raise
        except Exception as exc:  # the call itself failed: never reuse that worker
            self._settle(worker, None)
            return Reply.error(500, f"the query could not be run: {type(exc).__name__}")
        self._settle(worker, reply)
        if reply is None:
            return Reply.error(503, f"the query ran longer than {timeout:g} s, the time limit "
                                    "of this endpoint, and was stopped: add LIMIT, "
                                    "or narrow the patterns")
        return reply

    def _settle(self, worker: _Worker, reply: Reply | None) -> None:
        if self._closed:
            worker.kill()
            return
        if reply is not None and worker.alive():
            assert self._idle is not None
            self._idle.put_nowait(worker)
            return
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: _Worker) -> None:
        """Kill a timed-out or dead worker and start a fresh one in its place."""
        assert self._spawns is not None and self._idle is not None
        loop = asyncio.get_running_loop()
        with self._lock:
            self._live.discard(worker)
        await loop.run_in_executor(self._spawns, worker.kill)
        self.restarts += 1
        fresh: _Worker | None = None
        try:
            # Spawned from the event-loop thread, which lives as long as the server: the
            # worker's parent-death signal is tied to the thread that started it.
            fresh = self._spawn()
            _, problem = await loop.run_in_executor(self._spawns, fresh.wait_ready)
            if problem is not None and self.network is None:
                self.network = problem
                log.warning("a restarted query worker has network access: %s", problem)
        except (KGError, OSError) as exc:
            log.error("could not restart a query worker: %s", exc)
            if fresh is not None:
                with self._lock:
                    self._live.discard(fresh)
                fresh.kill()
            return
        if self._closed:
            fresh.kill()
        else:
            self._idle.put_nowait(fresh)

    def close(self) -> None:
        """Kill every worker; safe to call twice."""
        self._closed = True
        with self._lock:
            workers, self._live = list(self._live), set()
        for worker in workers:
            worker.kill()
        for executor in (self._calls, self._spawns):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)


# --- HTTP --------------------------------------------------------------------------------------

_PLAIN = "text/plain; charset=utf-8"
_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_ALLOWED = "GET, HEAD, POST, OPTIONS"


class _BadRequest(Exception):
    def __init__(self, status: int, message: str, close: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close  # the body may be left unread: end the connection


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response((message.rstrip("\n") + "\n").encode(), status, headers=headers,
                    media_type=_PLAIN)


def _parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Decode ``a=b&c=d`` strictly as UTF-8; a bad byte is a 400."""
    try:
        text = raw.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise _BadRequest(400, f"the {where} is not valid UTF-8 ({exc.reason} at byte "
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
        raise _BadRequest(413, f"the request body is over {limit} bytes", close=True)
    chunks, size = [], 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _BadRequest(413, f"the request body is over {limit} bytes",
                                      close=True)
                chunks.append(chunk)
    except TimeoutError:
        raise _BadRequest(408, f"the request body did not arrive within {timeout:g} s",
                          close=True) from None
    return b"".join(chunks)


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


async def _read_request(request: Request, settings: ServerSettings) -> QueryJob | None:
    """The job a protocol request asks for; None for "no query" (the service description).

    Raises _BadRequest with the status and message of a malformed or refused request.
    """
    url_params = _parse_params(request.scope.get("query_string", b""), "query string")
    method = request.method
    if method in ("GET", "HEAD"):
        if _values(url_params, "update"):
            raise _BadRequest(400, "SPARQL updates are not accepted via GET (the protocol "
                                   "sends them by POST), and this endpoint is read-only")
        params = url_params
        queries = _values(params, "query")
    else:  # POST
        kind, media_params = _media(request.headers.get("content-type"))
        charset = media_params.get("charset")
        if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise _BadRequest(400, f"charset {charset!r} is not accepted: SPARQL requests "
                                   "must be UTF-8")
        if kind is None:
            raise _BadRequest(400, f"a POST needs a Content-Type: {_FORM} (query=...) or "
                                   f"{_QUERY} (the query as the body)")
        body = await _body(request, settings.max_body, settings.body_timeout)
        if kind == _FORM:
            params = _parse_params(body, "request body") + [
                (k, v) for k, v in url_params
                if k in ("default-graph-uri", "named-graph-uri")]
            updates = _values(params, "update")
            queries = _values(params, "query")
            if updates and queries:
                raise _BadRequest(400, "give either query= or update=, not both")
            if len(updates) > 1:
                raise _BadRequest(400, "give one update= parameter, not several")
            if updates:
                raise _BadRequest(403, "this endpoint is read-only: SPARQL updates are refused")
            if not queries:
                raise _BadRequest(400, "the form has no query= parameter")
        elif kind == _QUERY:
            if _values(url_params, "query"):
                raise _BadRequest(400, f"the query is in the {_QUERY} body: do not also "
                                       "give query= in the URL")
            try:
                queries = [body.decode("utf-8")]
            except UnicodeDecodeError as exc:
                raise _BadRequest(400, f"the query is not valid UTF-8 ({exc.reason} at byte "
                                       f"{exc.start}); SPARQL requests must be UTF-8") from None
            params = url_params
        elif kind == _UPDATE:
            raise _BadRequest(403, "this endpoint is read-only: SPARQL updates are refused")
        else:
            raise _BadRequest(400, f"Content-Type {kind!r} is not a SPARQL request: use "
                                   f"{_FORM} (query=...) or {_QUERY}")
    if len(queries) > 1:
        raise _BadRequest(400, f"give one query parameter, not {len(queries)}")
    default_graphs = tuple(_values(params, "default-graph-uri"))
    named_graphs = tuple(_values(params, "named-graph-uri"))
    if not queries:
        if default_graphs or named_graphs or method == "POST":
            raise _BadRequest(400, "no query given (query= is missing)")
        return None
    if not queries[0].strip():
        raise _BadRequest(400, "the query is empty")
    return QueryJob(queries[0], request.headers.get("accept"), default_graphs, named_graphs)


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
    Host and Origin checks of ``pool.settings`` (:class:`AccessPolicy`).

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
            return _text(405, f"{request.method} is not allowed here: send queries by GET "
                              "or POST (this endpoint is read-only)", {"Allow": _ALLOWED})
        try:
            job = await _read_request(request, settings)
        except _BadRequest as exc:
            return _text(exc.status, exc.message, {"Connection": "close"} if exc.close else None)
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
        middleware=[Middleware(_Gate, policy=policy)],
        lifespan=lifespan,
    )


# --- who may ask: Host, Origin, CORS -------------------------------------------------------

_LABEL = r"[a-z0-9_][a-z0-9_-]{0,62}"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_host(value: str) -> tuple[str, int | None] | None:
    """``host[:port]`` (a ``Host`` header, or an origin's authority) as (host, port);
    IPv6 addresses lose their brackets, names are lowercased. None when malformed.

    >>> split_host("LocalHost:8000"), split_host("[::1]:80"), split_host("10.0.0.1")
    (('localhost', 8000), ('::1', 80), ('10.0.0.1', None))
    >>> split_host("a b:1") is None, split_host("x:99999") is None, split_host("::1") is None
    (True, True, True)
    """
    value = value.strip().lower()
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or _ip(host) is None or ":" not in host:
            return None
        if not rest:
            return host, None
        if not rest.startswith(":"):
            return None
        port_text = rest[1:]
    else:
        host, colon, port_text = value.partition(":")
        if not (_HOST_NAME.match(host) or _ip(host) is not None):
            return None
        if not colon:
            return host, None
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        return None
    return host, int(port_text)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def normalize_origin(text: str) -> str:
    """A web origin as browsers send it in ``Origin`` (``scheme://host[:port]``,
    lowercase, no default port); ``*`` stays ``*``. KGError when it is no origin.

    >>> normalize_origin("HTTP://LocalHost:80/"), normalize_origin("https://x.example:8443")
    ('http://localhost', 'https://x.example:8443')
    >>> normalize_origin("localhost:3000")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: --cors 'localhost:3000' is not an origin: give scheme, host and \
optional port, as http://localhost:3000 (no path)
    """
    if text.strip() == "*":
        return "*"
    scheme, sep, rest = text.strip().partition("://")
    scheme = scheme.lower()
    authority = rest[:-1] if rest.endswith("/") else rest
    parts = split_host(authority) if sep and scheme in _DEFAULT_PORTS else None
    if parts is None or any(c in authority for c in "/?#@"):
        raise KGError(f"--cors {text!r} is not an origin: give scheme, host and optional "
                      "port, as http://localhost:3000 (no path)")
    host, port = parts
    shown = f"[{host}]" if ":" in host else host
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{shown}"
    return f"{scheme}://{shown}:{port}"


@dataclass(frozen=True)
class AccessPolicy:
    """Which ``Host`` headers and which web pages (``Origin``) the server answers.

    Host (against DNS rebinding: a page whose name starts resolving to this machine
    sends its own name as Host): accepted are the address the connection arrived on
    with the served port (for a loopback address also ``localhost``, ``127.0.0.1`` and
    ``[::1]``), and the ``--allow-host`` names (``NAME``: any port; ``NAME:PORT``:
    that port; ``*``: any Host at all). Origin: a request from a web page of another
    origin is refused unless ``--cors`` lists that origin (or ``*``); a listed origin
    gets CORS headers, and its preflights are answered.

    >>> policy = AccessPolicy.from_options(cors=["http://localhost:5173"],
    ...                                    allow_hosts=["kg.example", "box.lan:8080"])
    >>> arrived = ("127.0.0.1", 8000)
    >>> [policy.host_allowed(h, arrived) for h in ("localhost:8000", "[::1]:8000",
    ...     "127.0.0.1:9000", "evil.example:8000", "kg.example", "box.lan:8080", "box.lan")]
    [True, True, False, False, True, True, False]
    >>> policy.host_allowed("192.168.1.5:8000", ("192.168.1.5", 8000))
    True
    >>> policy.host_allowed("localhost:8000", ("192.168.1.5", 8000))
    False
    >>> [policy.origin_allowed(o, "127.0.0.1:8000") for o in ("http://127.0.0.1:8000",
    ...     "http://localhost:5173", "http://127.0.0.1:9000", "null")]
    [True, True, False, False]
    """

    origins: frozenset[str] = frozenset()
    any_origin: bool = False
    host_names: frozenset[str] = frozenset()  # any port
    host_ports: frozenset[tuple[str, int]] = frozenset()
    any_host: bool = False

    @classmethod
    def from_options(cls, cors: Sequence[str] = (),
                     allow_hosts: Sequence[str] = ()) -> AccessPolicy:
        """The policy of ``--cors`` and ``--allow-host`` values; KGError on a bad one."""
        origins = {normalize_origin(origin) for origin in cors}
        names: set[str] = set()
        ports: set[tuple[str, int]] = set()
        any_host = False
        for value in allow_hosts:
            if value.strip() == "*":
                any_host = True
                continue
            parts = split_host(value)
            if parts is None:
                raise KGError(f"--allow-host {value!r} is not a host name: give NAME or "
                              "NAME:PORT, as kg.example.org or kg.example.org:8080 "
                              "(no scheme, no path)")
            host, port = parts
            if port is None:
                names.add(host)
            else:
                ports.add((host, port))
        return cls(frozenset(origins - {"*"}), "*" in origins, frozenset(names),
                   frozenset(ports), any_host)

    def host_allowed(self, host: str | None, arrived: tuple[str, int] | None) -> bool:
        """Whether a request with this ``Host`` header, arrived on the local address
        ``arrived`` (address, port), is meant for this server."""
        if self.any_host:
            return True
        parts = split_host(host) if host is not None else None
        if parts is None:
            return False
        name, port = parts
        if name in self.host_names or (name, port) in self.host_ports:
            return True
        if arrived is None:
            return False
        local = _ip(arrived[0])
        if (port or 80) != arrived[1] or local is None:
            return False
        if local.is_loopback and (name == "localhost" or ((ip := _ip(name)) is not None
                                                          and ip.is_loopback)):
            return True
        return _ip(name) == local

    def origin_listed(self, origin: str) -> bool:
        """Whether ``--cors`` lets pages of ``origin`` read answers."""
        return self.any_origin or origin in self.origins

    def origin_allowed(self, origin: str, host: str | None) -> bool:
        """Whether a request sent by a page of ``origin`` to ``host`` is answered: the
        page is this server's own (same host and port) or its origin is listed."""
        if self.origin_listed(origin):
            return True
        scheme, sep, authority = origin.partition("://")
        if not sep or scheme not in _DEFAULT_PORTS or host is None:
            return False
        mine, theirs = split_host(host), split_host(authority)
        if mine is None or theirs is None or mine[0] != theirs[0]:
            return False
        # A Host without a port means the default port of the client's scheme (a TLS
        # proxy in front gives "https://name" and "Host: name").
        theirs_port = theirs[1] or _DEFAULT_PORTS[scheme]
        return theirs_port == _DEFAULT_PORTS[scheme] if mine[1] is None else \
            theirs_port == mine[1]


_CORS_METHODS = "GET, POST"
_CORS_HEADERS = "Accept, Content-Type"


class _Gate:
    """ASGI middleware in front of every route: refuse a request whose ``Host`` is not
    this server (421) or that a web page of another origin sent (403), unless
    ``--cors`` lists that origin; add CORS headers and answer preflights for listed
    origins only. Fetch Metadata (``Sec-Fetch-Site``) also catches cross-site requests
    that carry no ``Origin`` (an ``<img src>``), except plain link navigations."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        if not self.policy.host_allowed(host, scope.get("server")):
            shown = "none" if host is None else repr(host[:100])
            await _text(421, f"the Host header ({shown}) does not name this server, which "
                             "refuses other names against DNS rebinding: start kg serve "
                             "with --allow-host NAME to serve under that name")(
                scope, receive, send)
            return
        origin = headers.get("origin")
        listed = origin is not None and self.policy.origin_listed(origin)
        refusal = self._refusal(scope["method"], headers, origin, host, listed)
        if refusal is not None:
            await _text(403, refusal)(scope, receive, send)
            return
        if origin is not None and listed:
            allow = "*" if self.policy.any_origin else origin
            if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
                preflight = {"Access-Control-Allow-Origin": allow,
                             "Access-Control-Allow-Methods": _CORS_METHODS,
                             "Access-Control-Allow-Headers": _CORS_HEADERS,
                             "Access-Control-Max-Age": "600", "Vary": "Origin"}
                if headers.get("access-control-request-private-network") == "true":
                    preflight["Access-Control-Allow-Private-Network"] = "true"
                await Response(status_code=204, headers=preflight)(scope, receive, send)
                return

            async def with_cors(message: Message) -> None:
                if message["type"] == "http.response.start":
                    response_headers = MutableHeaders(scope=message)
                    response_headers["Access-Control-Allow-Origin"] = allow
                    response_headers.add_vary_header("Origin")
                await send(message)

            await self.app(scope, receive, with_cors)
            return
        await self.app(scope, receive, send)

    def _refusal(self, method: str, headers: Headers, origin: str | None, host: str | None,
                 listed: bool) -> str | None:
        if listed:
            return None
        if origin is not None and not self.policy.origin_allowed(origin, host):
            return (f"requests from web pages of {origin[:100]!r} are refused: start kg "
                    f"serve with --cors ORIGIN to let pages of ORIGIN use this endpoint")
        site = headers.get("sec-fetch-site")
        navigation = headers.get("sec-fetch-mode") == "navigate" and method in ("GET", "HEAD")
        if site in ("cross-site", "same-site") and not navigation:
            return ("requests from web pages of other sites are refused: start kg serve "
                    "with --cors ORIGIN to let pages of ORIGIN use this endpoint")
        return None


# --- connections: header timeout, caps, eviction ----------------------------------------------


def client_key(address: str | None) -> str:
    """Whose connection this is, for the per-client cap: an IPv4 address, or the /64
    network of an IPv6 address (one subscriber usually holds a whole /64).

    >>> client_key("10.0.0.7"), client_key("::ffff:10.0.0.7"), client_key("2001:db8::1:2")
    ('10.0.0.7', '10.0.0.7', '2001:db8::/64')
    """
    if address is None:
        return ""
    ip = _ip(address)
    if ip is None:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class _Tracked(typing.Protocol):
    """What :class:`ConnectionLimits` needs of a connection."""

    client_key: str
    #: Event-loop time since which it waits for a request (None: a request is being
    #: handled, so it is not evictable).
    waiting_since: float | None

    def evict(self) -> None: ...


class ConnectionLimits:
    """Open connections, counted in total and per client, with eviction.

    A new connection is always let in when a slot can be freed: when its client is at
    ``per_client`` (or the server at ``total``), the connection of that client (or of
    the client holding the most) that has waited longest for a request is closed to make
    room. Only connections waiting for a request (reading headers, or idle between
    requests) are ever evicted, never one whose request is being answered; a new
    connection is refused only when every candidate is busy. So a client trickling
    header bytes over many connections loses its oldest ones to any fresh connection,
    even one from the same address, and a well-behaved request goes through at once.

    >>> class Conn:
    ...     def __init__(self, key, since):
    ...         self.client_key, self.waiting_since, self.evicted = key, since, False
    ...     def evict(self):
    ...         self.evicted = True
    >>> limits = ConnectionLimits(total=3, per_client=2)
    >>> a, b, c = Conn("1.1.1.1", 1.0), Conn("1.1.1.1", 2.0), Conn("1.1.1.1", 3.0)
    >>> limits.admit(a), limits.admit(b), limits.admit(c), a.evicted, len(limits)
    (True, True, True, True, 2)
    >>> b.waiting_since = c.waiting_since = None  # both are being answered
    >>> limits.admit(Conn("1.1.1.1", 4.0)), limits.refused
    (False, 1)
    """

    def __init__(self, total: int = DEFAULT_MAX_CONNECTIONS,
                 per_client: int = DEFAULT_MAX_PER_CLIENT):
        self.total = max(1, total)
        self.per_client = max(1, min(per_client, self.total))
        self._open: dict[_Tracked, None] = {}
        self._clients: dict[str, dict[_Tracked, None]] = {}
        self.evicted = 0
        self.refused = 0
        self.timed_out = 0

    def __len__(self) -> int:
        return len(self._open)

    def admit(self, conn: _Tracked) -> bool:
        """Count ``conn`` in, evicting another if need be; False when it must be refused."""
        mine = self._clients.get(conn.client_key, {})
        if len(mine) >= self.per_client:
            pool: dict[_Tracked, None] | None = mine
        elif len(self._open) >= self.total:
            pool = max(self._clients.values(), key=len)
        else:
            pool = None
        if pool is not None:
            victim = self._longest_waiting(pool) or self._longest_waiting(self._open)
            if victim is None or (pool is mine and victim.client_key != conn.client_key):
                self.refused += 1
                return False
            self.release(victim)
            self.evicted += 1
            victim.evict()
        self._open[conn] = None
        self._clients.setdefault(conn.client_key, {})[conn] = None
        return True

    def release(self, conn: _Tracked) -> None:
        """Count ``conn`` out (it closed); safe to call twice."""
        self._open.pop(conn, None)
        mine = self._clients.get(conn.client_key)
        if mine is not None:
            mine.pop(conn, None)
            if not mine:
                del self._clients[conn.client_key]

    @staticmethod
    def _longest_waiting(pool: dict[_Tracked, None]) -> _Tracked | None:
        waiting = [(c.waiting_since, i, c) for i, c in enumerate(pool)
                   if c.waiting_since is not None]
        return min(waiting, key=lambda item: (item[0], item[1]))[2] if waiting else None


def _raw_reply(transport: asyncio.BaseTransport, status: int, reason: str,
               message: str) -> None:
    """Write a whole plain-text response straight to the socket, then close it (for
    answers given outside any request: the HTTP parser has not seen one)."""
    body = (message.rstrip("\n") + "\n").encode()
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: {_PLAIN}\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
    if isinstance(transport, asyncio.WriteTransport):
        transport.write(head + body)
    transport.close()


def guarded_protocol(limits: ConnectionLimits,
                     header_timeout: float = DEFAULT_HEADER_TIMEOUT) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a header timeout and :class:`ConnectionLimits`.

    uvicorn has no header timeout: a connection that sends one header byte at a time
    is held for as long as it likes, and once ``limit_concurrency`` connections are
    held every other client gets 503 (slowloris). Here each connection must deliver a
    complete request line and headers within ``header_timeout`` seconds of connecting
    (or of the end of its previous response), else it is closed (with 408 when part
    of a request had come); and it is counted by ``limits``, which may close it early
    to let a new connection in while it waits for a request.

    >>> limits = ConnectionLimits()
    >>> guarded_protocol(limits).__name__
    'GuardedH11Protocol'
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        client_key = ""
        waiting_since: float | None = None
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.client_key = client_key(self.client[0] if self.client else None)
            self.waiting_since = self.loop.time()
            if not limits.admit(self):
                self.waiting_since = None
                _raw_reply(transport, 503, "Service Unavailable",
                           f"every connection from your address ({limits.per_client} at "
                           "most) is busy with a request: try again when one is answered")
                return
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            limits.release(self)
            self._disarm()
            self.waiting_since = None
            super().connection_lost(exc)

        def handle_events(self) -> None:
            super().handle_events()
            self._track()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._track()

        def _track(self) -> None:
            """Waiting for a request (deadline running, evictable) unless one is being
            answered; the deadline starts when the previous response ended."""
            if self.transport.is_closing():
                return
            busy = self.cycle is not None and not self.cycle.response_complete
            if busy and self.waiting_since is not None:
                self.waiting_since = None
                self._disarm()
            elif not busy and self.waiting_since is None:
                self.waiting_since = self.loop.time()
                self._arm()

        def evict(self) -> None:
            self._disarm()
            self.waiting_since = None
            self.transport.close()

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(header_timeout, self._expire)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self.waiting_since is None or self.transport.is_closing():
                return
            limits.timed_out += 1
            limits.release(self)
            self.waiting_since = None
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                _raw_reply(self.transport, 408, "Request Timeout",
                           f"the request headers did not arrive within {header_timeout:g} s")
            else:
                self.transport.close()

    return GuardedH11Protocol


# --- serving --------------------------------------------------------------------------------


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


def is_loopback(host: str) -> bool:
    """True when ``host`` is only reachable from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
