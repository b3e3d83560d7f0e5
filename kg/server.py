"""A read-only SPARQL 1.1 Protocol endpoint over the built graph.

The stack, and why
------------------
* **uvicorn** (HTTP/1.1 parsing, keep-alive, graceful shutdown on SIGINT/SIGTERM, a cap
  on open connections) serving a **Starlette** app (routing, the CORS middleware with
  preflight handling, streaming-free plain responses). Both are the common, maintained
  ASGI pair; Starlette is small (no ORM, no validation layer) and the app stays a plain
  function table. Flask/Werkzeug or ``http.server`` would tie a request to a thread for
  the whole query and could not stop it; aiohttp would do as well as Starlette but has
  no advantage here.
* **Queries run in worker processes**, never in the server process. rdflib evaluates
  SPARQL in pure Python and cannot be interrupted in a thread, so the only way to make
  a time limit *stop the work* is to kill the process doing it. A :class:`WorkerPool`
  starts ``workers`` processes (default 2, the cores here), each loading the graph once
  from an N-Quads snapshot. A request takes an idle worker, sends it a
  :class:`~kg.protocol.QueryJob`, and waits ``timeout`` seconds: on time, the worker's
  :class:`~kg.protocol.Reply` is sent as is; late, the worker is killed (SIGKILL), a
  fresh one is started in its place, and the client gets 503. The server process itself
  only parses HTTP, so the service description, the page at ``/`` and every other
  worker keep answering while one query runs long.

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
import signal
import socket
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import parse_qsl, quote

from rdflib import Dataset
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kg.errors import KGError
from kg.protocol import (
    DEFAULT_MAX_ROWS,
    GraphInfo,
    QueryJob,
    Reply,
    ServedStore,
    describe_service,
    execute,
    named_queries_json,
)

__all__ = ["ServerSettings", "WorkerPool", "create_app", "open_socket", "serve"]

log = logging.getLogger("kg.server")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 5.0
DEFAULT_WORKERS = 2
MAX_BODY = 1 << 20  # bytes of a POSTed query or form
_STARTUP_TIMEOUT = 600.0  # seconds a worker may take to load a large graph


@dataclass(frozen=True)
class ServerSettings:
    """Limits of the endpoint.

    >>> ServerSettings().timeout
    5.0
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = DEFAULT_WORKERS
    max_body: int = MAX_BODY


# --- worker processes ------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this worker when the server process dies, even mid-query."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)


def _worker_main(conn: Connection, snapshot: str, max_rows: int, parent: int) -> None:
    """A worker: load the snapshot once, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _die_with_parent(parent)
    try:
        served = ServedStore.load(Path(snapshot))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", served.info()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(served, job, max_rows)
        except Exception as exc:  # execute maps expected failures itself; a net
            reply = Reply.error(500, f"query failed: {type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, snapshot: Path, max_rows: int):
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, str(snapshot), max_rows, os.getpid()),
            name="kg-sparql-worker", daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float = _STARTUP_TIMEOUT) -> GraphInfo:
        """Block until the worker has loaded the graph; KGError if it could not."""
        try:
            if not self.conn.poll(timeout):
                raise KGError(f"a query worker did not load the graph in {timeout:g} s")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            raise KGError("a query worker died while loading the graph") from None
        if status != "ready":
            raise KGError(f"a query worker could not load the graph: {detail}")
        info: GraphInfo = detail
        return info

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
    ``run(job)`` is awaited by request handlers; ``close()`` stops everything.

    >>> pool = WorkerPool(Path("kg.nq"), ServerSettings(workers=1))
    >>> pool.settings.workers
    1
    """

    def __init__(self, snapshot: Path, settings: ServerSettings | None = None):
        self.snapshot = snapshot
        self.settings = settings or ServerSettings()
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
        worker = _Worker(self.snapshot, self.settings.max_rows)
        with self._lock:
            self._live.add(worker)
        return worker

    def start(self) -> None:
        """Start the workers and wait until each has loaded the graph."""
        try:
            workers = [self._spawn() for _ in range(max(1, self.settings.workers))]
            for worker in workers:
                self.info = worker.wait_ready()
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
            await loop.run_in_executor(self._spawns, fresh.wait_ready)
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
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


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


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _BadRequest(413, f"the request body is over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BadRequest(413, f"the request body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


async def _read_request(request: Request, max_body: int) -> QueryJob | None:
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
        body = await _body(request, max_body)
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
    template = resources.files("kg").joinpath("server_page.html").read_text("utf-8")
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
    """The ASGI app: ``/sparql`` (protocol), ``/`` (the query page), CORS on both.

    Queries go to ``pool``, which starts with the app (unless already started).
    ``on_ready`` runs once the workers are attached and requests will be served.
    """
    settings = pool.settings
    page: list[tuple[str, str]] = []

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": _ALLOWED})
        if request.method not in ("GET", "HEAD", "POST"):
            return _text(405, f"{request.method} is not allowed here: send queries by GET "
                              "or POST (this endpoint is read-only)", {"Allow": _ALLOWED})
        try:
            job = await _read_request(request, settings.max_body)
        except _BadRequest as exc:
            return _text(exc.status, exc.message)
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
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"],
                               allow_methods=["GET", "POST", "OPTIONS"],
                               allow_headers=["Accept", "Content-Type"], max_age=600)],
        lifespan=lifespan,
    )


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
    from kg.oxigraph_store import inner_store

    path = folder / "kg-served.nq"
    store = inner_store(dataset)
    if store is not None:  # Oxigraph writes its own store ten times faster than rdflib
        import pyoxigraph as ox
        store.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
    else:
        dataset.serialize(destination=str(path), format="nquads", encoding="utf-8")
    return path


def serve(dataset: Dataset, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          settings: ServerSettings | None = None,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve ``dataset`` until interrupted (Ctrl-C or SIGTERM).

    ``on_ready`` gets the endpoint URL once the workers have loaded the graph and the
    socket accepts requests. Raises KGError when the address is taken or a worker
    cannot load the graph.
    """
    import uvicorn

    settings = settings or ServerSettings()
    sock = open_socket(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/sparql"
    try:
        with tempfile.TemporaryDirectory(prefix="kg-serve-") as folder:
            pool = WorkerPool(write_snapshot(dataset, Path(folder)), settings)
            pool.start()
            try:
                app = create_app(pool, on_ready=(lambda: on_ready(url)) if on_ready else None)
                config = uvicorn.Config(app, log_level="warning", access_log=False,
                                        lifespan="on", timeout_graceful_shutdown=5,
                                        limit_concurrency=256, timeout_keep_alive=5,
                                        server_header=False)
                uvicorn.Server(config).run(sockets=[sock])
            finally:
                pool.close()
    finally:
        sock.close()
