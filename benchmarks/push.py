"""Benchmark `kg push` against each server's own bulk loader, on a synthetic graph.

A script, not a test: it prints a table of times and ratios. The graph is a synthetic
corpus from `kg synth` built with `kg build` (about 410 triples per article: 2,439
articles make about 1M triples), pushed to servers started on 127.0.0.1, each on a new
empty database:

- Oxigraph (`oxigraph serve`, the `oxigraph` PyPI package):
  `kg push` (one Graph Store PUT of N-Triples per named graph, to /store); the server's
  own bulk path over HTTP, one POST of the whole dataset as N-Quads to /store; and the
  offline bulk loader `oxigraph load --location DIR --file kg.nq` (no server).
- Virtuoso 7 (Debian's virtuoso-opensource, `virtuoso-t`): `kg push` to
  /sparql-graph-crud-auth (HTTP Digest as dba); the bulk loader run by isql,
  `ld_dir(DIR, 'kg.nq', ...)` then `rdf_loader_run()`, and the `checkpoint` that makes
  its load durable (a PUT is durable when answered: Virtuoso logs it).

`kg push` is timed in this process on the store `kg build` wrote: serializing each graph
(pyoxigraph) and sending it. The serialization alone is also shown. Every load is checked
by counting the triples the server then holds.

    .venv/bin/python benchmarks/push.py                      # about 1M triples
    .venv/bin/python benchmarks/push.py --articles 244       # about 100k triples
    .venv/bin/python benchmarks/push.py --work /tmp/push-1m  # keep (and reuse) the build
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root

from tests.live_servers import (  # tests/ holds the server helpers
    VIRTUOSO_USER,
    oxigraph_binary,
    oxigraph_server,
    virtuoso_binary,
    virtuoso_server,
)

#: Triples in the project's graphs (Virtuoso also holds graphs of its own).
COUNT = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
         "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/diplomacy-kg/graph/')) }")
#: Virtuoso page buffers for the benchmark (8 KB each: about 1.3 GB).
VIRTUOSO_BUFFERS = 170_000


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def build(articles: int, seed: int, work: Path) -> Path:
    """The build folder for ``articles`` synthetic articles (reused when built)."""
    from kg.store.layout import BuildFolder
    from kg.synth import generate

    corpus = work / f"synth-{articles}"
    out = work / f"build-{articles}"
    built = BuildFolder(out)
    if built.built_graph() == built.store:
        return out
    if not (corpus / "data").is_dir():
        print(f"kg synth: {articles} articles ...", flush=True)
        generate(articles, seed, corpus)
    print("kg build ...", flush=True)
    subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "build",
                    "--data", str(corpus / "data"),
                    "--sources", str(corpus / "corpus"), "--out", str(out), "--no-export",
                    "-q"], check=True)
    return out


def remote_count(endpoint: str) -> int:
    from kg.sparql.remote import query_endpoint

    row = next(iter(query_endpoint(endpoint, COUNT, timeout=600)))
    return int(str(row[0]))  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2439,
                        help="synthetic articles (about 410 triples each) [2439: ~1M]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the corpus and the build, kept and reused "
                        "(default: a temporary folder)")
    parser.add_argument("--skip-virtuoso", action="store_true")
    args = parser.parse_args()
    if args.work is None:
        with tempfile.TemporaryDirectory(prefix="kg-push-") as folder:
            run(args, Path(folder))
    else:
        args.work.mkdir(parents=True, exist_ok=True)
        run(args, args.work)


def run(args: argparse.Namespace, work: Path) -> None:
    import pyoxigraph as ox

    from kg.sparql.http_auth import Credentials
    from kg.sparql.push import push, uploads
    from kg.store.layout import BuildFolder, open_built
    from kg.store.oxigraph import inner_store

    out = build(args.articles, args.seed, work)
    dataset = open_built(BuildFolder(out))
    store = inner_store(dataset)
    assert store is not None, "a default build is opened from its Oxigraph store"
    triples = len(store)
    graphs = sum(1 for _ in store.named_graphs())
    nquads = work / f"kg-{args.articles}.nq"
    if not nquads.is_file():
        store.dump(output=str(nquads), format=ox.RdfFormat.N_QUADS)
    size = nquads.stat().st_size
    print(f"\n{triples:,} triples in {graphs:,} named graphs ({args.articles:,} articles; "
          f"{size / 1e6:.0f} MB of N-Quads)\n", flush=True)
    rows: list[tuple[str, str, float]] = []

    def row(server: str, what: str, seconds: float, loaded: int | None = None) -> None:
        if loaded is not None:
            assert loaded == triples, f"{what}: the server holds {loaded} triples, not {triples}"
        rows.append((server, what, seconds))
        print(f"  {server:9} {what:58} {seconds:8.2f} s", flush=True)

    seconds, _bodies = timed(lambda: uploads(dataset))
    row("-", "serialize every graph as N-Triples (part of kg push)", seconds)
    del _bodies

    # Oxigraph
    with tempfile.TemporaryDirectory(dir=work) as folder, oxigraph_server(Path(folder)) as base:
        seconds, _ = timed(lambda: push(dataset, f"{base}/store", timeout=600))
        row("Oxigraph", f"kg push ({graphs:,} PUTs)", seconds, remote_count(f"{base}/query"))
    with tempfile.TemporaryDirectory(dir=work) as folder, oxigraph_server(Path(folder)) as base:
        def post() -> None:
            with nquads.open("rb") as body:
                answer = httpx.post(f"{base}/store", content=body, timeout=600,
                                    headers={"Content-Type": "application/n-quads"})
            assert answer.status_code in (200, 201, 204), answer.text
        seconds, _ = timed(post)
        row("Oxigraph", "one POST of the whole N-Quads file to /store", seconds,
            remote_count(f"{base}/query"))
    with tempfile.TemporaryDirectory(dir=work) as folder:
        seconds, _ = timed(lambda: subprocess.run(
            [oxigraph_binary(), "load", "--location", folder, "--file", str(nquads)],
            check=True, capture_output=True))
        row("Oxigraph", "oxigraph load --location DIR --file kg.nq (offline)", seconds,
            len(ox.Store.read_only(folder)))

    # Virtuoso
    if args.skip_virtuoso or virtuoso_binary() is None:
        print("  Virtuoso: skipped (virtuoso-t missing: apt-get install virtuoso-opensource)")
    else:
        dba = Credentials(VIRTUOSO_USER[0], VIRTUOSO_USER[1], "benchmark")
        with tempfile.TemporaryDirectory(dir=work) as folder, \
                virtuoso_server(Path(folder), buffers=VIRTUOSO_BUFFERS) as virtuoso:
            seconds, _ = timed(lambda: push(dataset, virtuoso.graph_store, timeout=600,
                                            credentials=dba))
            row("Virtuoso", f"kg push ({graphs:,} PUTs, Digest)", seconds,
                remote_count(virtuoso.sparql))
        with tempfile.TemporaryDirectory(dir=work) as folder, \
                virtuoso_server(Path(folder), buffers=VIRTUOSO_BUFFERS) as virtuoso:
            shutil.copy(nquads, virtuoso.load_dir / "kg.nq")
            seconds, _ = timed(lambda: virtuoso.isql(
                f"ld_dir('{virtuoso.load_dir}', 'kg.nq', 'urn:kg:default'); "
                "rdf_loader_run();", timeout=3600))
            loaded = remote_count(virtuoso.sparql)
            checkpoint, _ = timed(lambda: virtuoso.isql("checkpoint;", timeout=3600))
            row("Virtuoso", "isql: ld_dir + rdf_loader_run() (bulk loader)", seconds, loaded)
            row("Virtuoso", "  then checkpoint (the bulk load made durable)", checkpoint)

    print()
    by = {(server, what.split(" (")[0].split(":")[0]): s for server, what, s in rows}
    for server, bulk in (("Oxigraph", "oxigraph load --location DIR --file kg.nq"),
                         ("Oxigraph", "one POST of the whole N-Quads file to /store"),
                         ("Virtuoso", "isql")):
        mine = by.get((server, "kg push"))
        theirs = by.get((server, bulk))
        if mine is not None and theirs:
            print(f"  {server}: kg push / {bulk}: {mine / theirs:.2f}x "
                  f"({triples / mine:,.0f} vs {triples / theirs:,.0f} triples/s)")


if __name__ == "__main__":
    main()
