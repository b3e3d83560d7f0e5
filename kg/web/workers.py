"""The query workers: processes that each load the graph once and answer jobs, and the
pool that hands them out.

A query being evaluated cannot be stopped from another thread, so the only way to
make a time limit *stop the work* is to kill the process doing it. :class:`WorkerPool`
starts the processes (``spawn``, never ``fork`` of a threaded server), gives each job
to an idle one, kills a worker whose job ran past the timeout (SIGKILL) and starts a
fresh one in its place. Each worker first leaves the network (:func:`isolate_network`:
a new, empty network namespace), so even a query the guard missed could connect
nowhere, and it dies with the server process.

>>> pool = WorkerPool(Path("kg.nq"), ServerSettings(workers=1, timeout=2.0))
>>> pool.settings.timeout, pool.restarts, pool.pids()
(2.0, 0, [])
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import KGError, QueryError
from kg.web.protocol import GraphInfo, QueryJob, Reply, ServedStore, execute
from kg.web.settings import ServerSettings

__all__ = [
    "CLONE_NEWNET",
    "CLONE_NEWUSER",
    "ISOLATION_ATTEMPTS",
    "Runner",
    "WorkerPool",
    "isolate_network",
]

log = logging.getLogger(__name__)

_STARTUP_TIMEOUT = 600.0  # seconds a worker may take to load a large graph


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
