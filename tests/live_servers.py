"""Start and stop real servers on 127.0.0.1 for the tests: `kg serve` and `oxigraph serve`.

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
