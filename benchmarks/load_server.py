"""A bounded load test of `kg serve`: concurrent clients, fixed request counts, latencies.

Starts `kg serve --port 0` on 127.0.0.1 (or uses --url, which must be a loopback
address), then runs CLIENTS threads, each sending REQUESTS queries over one keep-alive
connection: the shipped competency queries in turn, in several result formats (JSON,
CSV, TSV, XML; Turtle for CONSTRUCT). Every request is bounded by --request-timeout and
the whole run by --deadline; the counts are fixed, so the run always ends.

Prints the number of requests, errors (any status but 200, or a transport failure),
throughput, and p50/p95/p99/max latency; exits 1 when there was any error.

Usage:
    .venv/bin/python benchmarks/load_server.py                       # 8 clients x 200
    .venv/bin/python benchmarks/load_server.py --clients 16 --requests 100 --unique
    .venv/bin/python benchmarks/load_server.py --url http://127.0.0.1:8000/sparql

--unique makes every query text distinct (a numbered comment), so no request is served
from the workers' cache of checked queries: the guard parses every one.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from kg.sparql import named as named_queries

FORMATS = ["application/sparql-results+json", "text/csv", "text/tab-separated-values",
           "application/sparql-results+xml"]
EXTRA = [
    ("ASK { id:china org:memberOf id:sco }", "application/sparql-results+json"),
    ("CONSTRUCT WHERE { id:qin-gang ?p ?o }", "text/turtle"),
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1


def workload() -> list[tuple[str, str]]:
    """(query, Accept) pairs: every shipped query in each result format, plus ASK/CONSTRUCT."""
    pairs = []
    for index, name in enumerate(named_queries.names()):
        pairs.append((named_queries.text(name), FORMATS[index % len(FORMATS)]))
    return pairs + EXTRA


def loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


@contextmanager
def started_server(graph: Path | None, workers: int, timeout: float) -> Iterator[str]:
    kg = Path(sys.executable).parent / "kg"
    command = [str(kg), "serve", "--port", "0", "--workers", str(workers),
               "--timeout", str(timeout)]
    if graph is not None:
        command += ["--graph", str(graph)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    try:
        line = process.stdout.readline()  # the banner, once the workers hold the graph
        match = re.search(r"http://\S+/sparql", line)
        if not match:
            raise SystemExit(f"kg serve did not start: {line!r}")
        print(line.strip(), file=sys.stderr)
        yield match.group(0)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client(url: str, jobs: list[tuple[str, str]], offset: int, count: int, unique: bool,
           request_timeout: float, stop_at: float, tally: Tally) -> None:
    with httpx.Client(timeout=request_timeout) as http:
        for n in range(count):
            if time.monotonic() > stop_at:
                tally.add(0.0, "deadline")
                continue
            query, accept = jobs[(offset + n) % len(jobs)]
            if unique:
                query = f"{query}\n# request {offset}-{n}\n"
            started = time.perf_counter()
            try:
                response = http.post(url, data={"query": query}, headers={"Accept": accept})
                response.read()
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            tally.add(time.perf_counter() - started, status)


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def run(url: str, clients: int, requests: int, unique: bool, request_timeout: float,
        deadline: float) -> int:
    jobs = workload()
    with httpx.Client(timeout=request_timeout) as http:  # warm up: every query once
        for query, accept in jobs:
            http.post(url, data={"query": query}, headers={"Accept": accept}).raise_for_status()
    tally = Tally()
    stop_at = time.monotonic() + deadline
    threads = [threading.Thread(target=client, args=(url, jobs, i * 7, requests, unique,
                                                     request_timeout, stop_at, tally))
               for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies = sorted(tally.latencies)
    total = sum(tally.statuses.values())
    errors = total - tally.statuses.get("200", 0)
    ms = [1000 * percentile(latencies, p) for p in (50, 95, 99, 100)]
    print(f"endpoint      {url}")
    print(f"clients       {clients} x {requests} requests ({'unique' if unique else 'repeated'}"
          f" query texts, {len(jobs)} distinct queries/formats)")
    print(f"requests      {total} in {wall:.2f} s")
    print(f"errors        {errors}" + (f"  {dict(tally.statuses)}" if errors else ""))
    print(f"throughput    {total / wall:.1f} requests/s")
    print(f"latency (ms)  p50 {ms[0]:.1f}  p95 {ms[1]:.1f}  p99 {ms[2]:.1f}  max {ms[3]:.1f}"
          f"  mean {1000 * statistics.fmean(latencies):.1f}")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running endpoint on 127.0.0.1 (default: start one)")
    parser.add_argument("--graph", type=Path, default=None,
                        help="graph to serve when starting one (default: as `kg serve`)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--unique", action="store_true",
                        help="make every query text distinct (no cached guard verdicts)")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--deadline", type=float, default=300.0,
                        help="seconds for the whole run; requests left then count as errors")
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 10_000):
        parser.error("keep it bounded: 1-64 clients, 1-10000 requests each")
    if args.url:
        if not loopback(args.url):
            parser.error("--url must be a loopback address (127.0.0.1, localhost, ::1)")
        return run(args.url, args.clients, args.requests, args.unique, args.request_timeout,
                   args.deadline)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    with started_server(args.graph, args.workers, timeout=5.0) as url:
        return run(url, args.clients, args.requests, args.unique, args.request_timeout,
                   args.deadline)


if __name__ == "__main__":
    sys.exit(main())
