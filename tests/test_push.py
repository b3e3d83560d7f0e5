"""`kg push` and `kg query --endpoint` against a real Oxigraph server started by the tests.

The server is the `oxigraph` PyPI package's binary (`oxigraph serve --location DIR
--bind 127.0.0.1:PORT --union-default-graph`), on a free loopback port, stopped at the end.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from live_servers import oxigraph_server, unordered_concat
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import named_queries
from kg.cli import main
from kg.errors import KGError
from kg.namespaces import GRAPH
from kg.remote import RemoteError, graph_store_url, push, query_endpoint, redact
from kg.store import load_trig

COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def trig(built_dir: Path) -> Path:
    return built_dir / "kg.trig"


@pytest.fixture(scope="module")
def local(trig: Path) -> Dataset:
    """The built graph in rdflib's memory store (a parser other than the one pushing)."""
    return load_trig(trig, store="memory")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def pushed(oxigraph: str, trig: Path) -> str:
    """The store after one `kg push`; its query endpoint."""
    endpoint = f"{oxigraph}/query"
    result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", str(trig)])
    assert result.exit_code == 0, result.output
    return endpoint


def named_graphs(dataset: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in dataset.contexts() if len(g)}


def remote_graph(base: str, iri: str) -> Graph:
    response = httpx.get(f"{base}/store", params={"graph": iri},
                         headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="nt")


def remote_graph_names(endpoint: str) -> set[str]:
    result = query_endpoint(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {str(row[0]) for row in result}  # type: ignore[index]


def count_quads(endpoint: str) -> int:
    return int(next(iter(query_endpoint(endpoint, COUNT_QUADS)))[0])  # type: ignore[index]


# --- push ---------------------------------------------------------------------------------------


def test_push_prints_one_line_per_graph(oxigraph: str, trig: Path, local: Dataset) -> None:
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{oxigraph}/query",
                                       "--graph", str(trig)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    graphs = named_graphs(local)
    assert len(lines) == len(graphs) + 1
    for line, (iri, graph) in zip(lines, sorted(graphs.items()), strict=False):
        assert line.startswith(f"PUT <{iri}>: {len(graph)} triples (")
    assert lines[-1] == (f"Pushed {len(graphs)} graph(s), {len(local)} triples to "
                         f"{oxigraph}/store")
    assert "Pushing" not in result.output  # no progress bar off a terminal


def test_pushed_graphs_are_isomorphic_to_the_local_ones(pushed: str, oxigraph: str,
                                                        local: Dataset) -> None:
    graphs = named_graphs(local)
    assert str(GRAPH["registry"]) in graphs and len(graphs) >= 2
    assert remote_graph_names(pushed) == set(graphs)
    for iri, graph in graphs.items():
        assert isomorphic(remote_graph(oxigraph, iri), graph), iri


def test_pushing_twice_changes_nothing(pushed: str, oxigraph: str, trig: Path,
                                       local: Dataset) -> None:
    before = count_quads(pushed)
    assert before == sum(len(g) for g in named_graphs(local).values())
    for _ in range(2):
        result = CliRunner().invoke(main, ["push", "--endpoint", pushed, "--graph", str(trig)])
        assert result.exit_code == 0, result.output
        assert count_quads(pushed) == before
    for iri, graph in named_graphs(local).items():
        assert isomorphic(remote_graph(oxigraph, iri), graph)


def test_push_replaces_what_the_store_had_in_a_graph(pushed: str, oxigraph: str, trig: Path,
                                                     local: Dataset) -> None:
    registry = str(GRAPH["registry"])
    stale = "<https://example.org/stale> <https://example.org/p> \"left over\" .\n"
    added = httpx.post(f"{oxigraph}/store", params={"graph": registry}, content=stale,
                       headers={"Content-Type": "application/n-triples"})
    assert added.status_code in (200, 201, 204)
    assert len(remote_graph(oxigraph, registry)) == len(local.graph(GRAPH["registry"])) + 1
    result = CliRunner().invoke(main, ["push", "--endpoint", pushed, "--graph", str(trig)])
    assert result.exit_code == 0
    assert isomorphic(remote_graph(oxigraph, registry), local.graph(GRAPH["registry"]))


def test_push_as_turtle_with_progress(oxigraph: str, local: Dataset) -> None:
    seen: list[tuple[int, int, str]] = []
    done = push(load_trig_memory_copy(local), f"{oxigraph}/store", fmt="turtle",
                progress=lambda sent, total, graph: seen.append((sent, total, graph)))
    assert [d.graph for d in done] == sorted(named_graphs(local))
    assert all(d.status in (200, 201, 204) for d in done)
    total = sum(d.size for d in done)
    assert seen and seen[-1][:2] == (total, total)
    assert [s for s, _, _ in seen] == sorted(s for s, _, _ in seen)
    for iri, graph in named_graphs(local).items():
        assert isomorphic(remote_graph(oxigraph, iri), graph)


def load_trig_memory_copy(dataset: Dataset) -> Dataset:
    copy = Dataset(default_union=True)
    for graph in dataset.contexts():
        target = copy.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    return copy


def test_push_to_a_closed_port_is_one_error_line(trig: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["push", "--endpoint", f"http://127.0.0.1:{port}/query",
                                       "--graph", str(trig)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: cannot PUT <")
    assert "connection refused" in result.output


def test_push_to_a_url_that_is_not_a_graph_store(oxigraph: str, trig: Path) -> None:
    result = CliRunner().invoke(main, ["push", "--graph-store", f"{oxigraph}/query",
                                       "--graph", str(trig)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {oxigraph}/query refused <")
    assert " 40" in result.output  # the store's status code


def test_push_needs_a_url(trig: Path) -> None:
    result = CliRunner().invoke(main, ["push", "--graph", str(trig)])
    assert result.exit_code == 1
    assert result.output == ("Error: give --endpoint URL (the store's SPARQL endpoint) or "
                             "--graph-store URL\n")


@pytest.mark.parametrize("endpoint, store", [
    ("http://localhost:7878/query", "http://localhost:7878/store"),
    ("http://localhost:7878/", "http://localhost:7878/store"),
    ("http://localhost:7878", "http://localhost:7878/store"),
    ("http://localhost:3030/kg/sparql", "http://localhost:3030/kg/data"),
    ("http://localhost:3030/kg/query", "http://localhost:3030/kg/data"),
    ("http://localhost:3030/kg", "http://localhost:3030/kg/data"),
    ("http://localhost:7200/repositories/kg", "http://localhost:7200/repositories/kg/"
                                              "rdf-graphs/service"),
    ("https://db.example/graphdb/repositories/kg/", "https://db.example/graphdb/repositories/"
                                                    "kg/rdf-graphs/service"),
])
def test_graph_store_url_conventions(endpoint: str, store: str) -> None:
    assert graph_store_url(endpoint) == store


@pytest.mark.parametrize("endpoint", ["ftp://host/query", "http://host/a/b/c", "not a url"])
def test_graph_store_url_unknown(endpoint: str) -> None:
    with pytest.raises(KGError):
        graph_store_url(endpoint)


def test_credentials_never_printed(trig: Path) -> None:
    assert redact("http://u:s3cret@h:1/x") == "http://u:***@h:1/x"
    result = CliRunner().invoke(main, ["push", "--graph-store", "http://u:s3cret@127.0.0.1:9/s",
                                       "--graph", str(trig)])
    assert result.exit_code == 1 and "s3cret" not in result.output


# --- query --endpoint ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", named_queries.names())
def test_query_endpoint_answers_like_kg_ask(pushed: str, trig: Path, name: str) -> None:
    remote = CliRunner().invoke(main, ["query", "--endpoint", pushed,
                                       named_queries.text(name), "--format", "json"])
    asked = CliRunner().invoke(main, ["ask", name, "--graph", str(trig), "--format", "json"])
    assert remote.exit_code == 0, remote.output
    assert asked.exit_code == 0, asked.output
    mine, theirs = json.loads(remote.output), json.loads(asked.output)
    assert mine["head"] == theirs["head"]
    assert unordered_concat(mine["results"]["bindings"]) == \
        unordered_concat(theirs["results"]["bindings"])


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_query_endpoint_output_formats_match_local(pushed: str, trig: Path, fmt: str) -> None:
    text = "SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name"
    remote = CliRunner().invoke(main, ["query", "--endpoint", pushed, text, "--format", fmt])
    here = CliRunner().invoke(main, ["query", "--graph", str(trig), text, "--format", fmt])
    assert remote.exit_code == 0, remote.output
    assert remote.output == here.output


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_query_endpoint_construct_formats(pushed: str, trig: Path, fmt: str) -> None:
    text = "CONSTRUCT WHERE { id:sco ?p ?o }"
    remote = CliRunner().invoke(main, ["query", "--endpoint", pushed, text, "--format", fmt])
    here = CliRunner().invoke(main, ["query", "--graph", str(trig), text, "--format", fmt])
    assert remote.exit_code == 0, remote.output
    syntax = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
    assert isomorphic(Graph().parse(data=remote.output, format=syntax),
                      Graph().parse(data=here.output, format=syntax))


def test_query_endpoint_ask(pushed: str) -> None:
    result = CliRunner().invoke(main, ["query", "--endpoint", pushed,
                                       "ASK { id:china org:memberOf id:sco }"])
    assert (result.exit_code, result.output) == (0, "true\n")


def test_query_endpoint_refuses_service_without_connecting() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        here = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for text in (f"SELECT * WHERE {{ SERVICE <{here}> {{ ?s ?p ?o }} }}",
                     f"SELECT * FROM <{here}> WHERE {{ ?s ?p ?o }}",
                     f"LOAD <{here}>", "DROP ALL"):
            result = CliRunner().invoke(main, ["query", "--endpoint", here, text])
            assert result.exit_code == 1
            assert result.output.startswith("Error: ") and result.output.count("\n") == 1
            assert "refused" in result.output
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()


def test_query_endpoint_errors_are_one_line(pushed: str) -> None:
    bad = CliRunner().invoke(main, ["query", "--endpoint", pushed, "SELECT * WHERE { ?s ?p }"])
    assert bad.exit_code == 1 and bad.output.startswith("Error: SPARQL syntax error")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = CliRunner().invoke(main, ["query", "--endpoint", f"http://127.0.0.1:{port}/q",
                                     "ASK {}"])
    assert down.exit_code == 1
    assert down.output == (f"Error: cannot query http://127.0.0.1:{port}/q: connection "
                           "refused or host unreachable (is the server running?)\n")
    with pytest.raises(RemoteError, match="answered 4"):
        query_endpoint(pushed.replace("/query", "/nothing"), "ASK {}")
