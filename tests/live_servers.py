"""Start and stop real servers on 127.0.0.1 for the tests: `kg serve`, `oxigraph serve` and
Virtuoso 7 (Debian's virtuoso-opensource).

Every server is a child process on a free loopback port; stopping it also checks that
it left no process behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

BIN = Path(sys.executable).parent


def kg_command() -> list[str]:
    """The `kg` console script of this environment (or the module, when not installed)."""
    script = BIN / "kg"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "kg.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> set[int]:
    """Direct child processes of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _stop(process: subprocess.Popen[str], grace: float = 10.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


class KgServer:
    """A running `kg serve`: its URL, process and worker processes."""

    def __init__(self, process: subprocess.Popen[str], url: str, banner: str):
        self.process = process
        self.url = url  # .../sparql
        self.base = url.rsplit("/sparql", 1)[0]
        self.banner = banner

    def workers(self) -> set[int]:
        """Query worker processes (multiprocessing also keeps a resource tracker)."""
        found = set()
        for pid in children(self.process.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in command:
                found.add(pid)
        return found


@contextmanager
def kg_server(graph: Path, *args: str, startup: float = 60.0) -> Iterator[KgServer]:
    """`kg serve --graph GRAPH --port 0 ARGS`, until the block ends."""
    command = [*kg_command(), "serve", "--graph", str(graph), "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=graph.parent)
    assert process.stdout is not None
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + startup
        banner = ""
        os.set_blocking(process.stdout.fileno(), False)
        while time.monotonic() < deadline and "Serving" not in banner:
            if process.poll() is not None:
                raise AssertionError(f"kg serve exited: {process.stderr.read()}")  # type: ignore[union-attr]
            chunk = process.stdout.readline()
            if chunk:
                banner += chunk
            else:
                time.sleep(0.05)
        match = re.search(r"http://\S+/sparql", banner)
        assert match, f"kg serve did not start in {startup} s: {banner!r}"
        server = KgServer(process, match.group(0), banner)
        workers = server.workers()
        yield server
        workers |= server.workers()
    finally:
        _stop(process)
    for pid in workers:
        deadline = time.monotonic() + 5
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(pid), f"worker {pid} outlived the server"


def oxigraph_binary() -> str:
    found = BIN / "oxigraph"
    if found.is_file():
        return str(found)
    which = shutil.which("oxigraph")
    assert which, "the oxigraph server is missing: pip install -e '.[test]' (PyPI: oxigraph)"
    return which


@contextmanager
def oxigraph_server(location: Path, startup: float = 30.0) -> Iterator[str]:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph`; its base
    URL (query endpoint at /query, Graph Store at /store)."""
    for _attempt in range(3):
        port = free_port()
        process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind",
             f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + startup
        up = False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
                up = True
                break
            except httpx.TransportError:
                time.sleep(0.1)
        if up:
            break
        _stop(process)
    else:
        raise AssertionError("oxigraph serve did not start")
    try:
        yield base
    finally:
        _stop(process)


# --- Virtuoso ---------------------------------------------------------------------------

#: The database administrator of a new Virtuoso database (user dba, password dba).
VIRTUOSO_USER = ("dba", "dba")

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}, {load_dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 60
ThreadsPerQuery = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def virtuoso_binary() -> str | None:
    """The Virtuoso 7 server binary (Debian: virtuoso-opensource-7-bin), or None."""
    return shutil.which("virtuoso-t")


class VirtuosoServer:
    """A running Virtuoso: HTTP base URL, SQL port and the folder of its database."""

    def __init__(self, base: str, sql_port: int, folder: Path, load_dir: Path):
        self.base = base
        self.sparql = f"{base}/sparql"
        #: The Graph Store endpoint that takes HTTP Digest authentication (dba may write).
        self.graph_store = f"{base}/sparql-graph-crud-auth"
        #: The read-only Graph Store endpoint of the anonymous SPARQL user.
        self.graph_store_read = f"{base}/sparql-graph-crud"
        self.sql_port = sql_port
        self.folder = folder
        #: A folder the server may read files from (DirsAllowed), for ld_dir.
        self.load_dir = load_dir

    def isql(self, sql: str, timeout: float = 600.0) -> str:
        """Run SQL statements (``;``-separated) with isql-vt as dba; its output."""
        user, password = VIRTUOSO_USER
        isql = shutil.which("isql-vt") or shutil.which("isql")
        assert isql, "isql-vt is missing (Debian: virtuoso-opensource-7-bin)"
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", user, password,
                               "VERBOSE=OFF", "BANNER=OFF", f"EXEC={sql}"],
                              capture_output=True, text=True, timeout=timeout, check=False)
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "*** Error" not in output, output
        return output


@contextmanager
def virtuoso_server(folder: Path, *, buffers: int = 10000,
                    startup: float = 60.0) -> Iterator[VirtuosoServer]:
    """`virtuoso-t +foreground` on a new database in ``folder`` (an ini written there),
    HTTP and SQL on free loopback ports; stopped (SIGTERM) when the block ends."""
    binary = virtuoso_binary()
    assert binary, "virtuoso-t is missing: apt-get install virtuoso-opensource"
    folder = folder.resolve()
    load_dir = folder / "load"
    load_dir.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        http_port, sql_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=folder, load_dir=load_dir, sql_port=sql_port,
                                           http_port=http_port, buffers=buffers,
                                           dirty=buffers * 3 // 4), "utf-8")
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)],
                                   cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, text=True)
        base = f"http://127.0.0.1:{http_port}"
        deadline = time.monotonic() + startup
        up = False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2)
                up = answer.status_code == 200
                if up:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        if up:
            break
        _stop(process, grace=20)
        for leftover in folder.glob("virtuoso*"):
            leftover.unlink()
    else:
        log = folder / "virtuoso.log"
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        raise AssertionError(f"virtuoso-t did not start: {tail}")
    try:
        yield VirtuosoServer(base, sql_port, folder, load_dir)
    finally:
        _stop(process, grace=30)


def unordered_concat(bindings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bindings with GROUP_CONCAT lists (", "-separated) sorted: SPARQL leaves their order
    to the engine, and Oxigraph's follows the order the quads were loaded in (the served
    copy and a store opened by `kg ask` may differ)."""
    out = []
    for row in bindings:
        fixed = {}
        for name, term in row.items():
            if term.get("type") == "literal" and ", " in term["value"]:
                term = {**term, "value": ", ".join(sorted(term["value"].split(", ")))}
            fixed[name] = term
        out.append(fixed)
    return out
