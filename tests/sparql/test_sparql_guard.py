"""The SPARQL guard: refused clauses, allowed look-alikes, texts engines read differently,
texts that would crash a parser, and proof that nothing connects: from `run_query`,
`kg query`, `kg query --endpoint` and a live `kg serve`."""

from __future__ import annotations

import contextlib
import doctest
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS

import kg.sparql.guard
from kg.cli import main
from kg.errors import QueryError
from kg.graph.namespaces import GRAPH, ID, sparql_prologue
from kg.sparql import named as named_queries
from kg.sparql.guard import MAX_CHAIN, MAX_DEPTH, ensure_local, prepare_query, screen
from kg.sparql.query import run_query
from kg.store.files import load_trig
from tests.live_servers import KgServer, kg_command, kg_server
from tests.sparql.test_guard_fuzz import Listener

REFUSED = [
    pytest.param(
        "SELECT * WHERE { SERVICE <http://x.example/sparql> { ?s ?p ?o } }",
        "SERVICE <http://x.example/sparql> is refused: queries never reach the network",
        id="service-top-level",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://opt.example/> { ?s ?q ?v } } }",
        "SERVICE <http://opt.example/> is refused",
        id="service-in-optional",
    ),
    pytest.param(
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://sub.example/> "
        "{ ?s ?p ?o } } } }",
        "SERVICE <http://sub.example/> is refused",
        id="service-in-subquery",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://ex.example/> { ?s ?p ?o } } }",
        "SERVICE <http://ex.example/> is refused",
        id="service-in-filter-exists",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o FILTER (NOT EXISTS { SERVICE ?endpoint { ?s ?p ?o } }) }",
        "SERVICE ?endpoint is refused",
        id="service-variable-in-not-exists",
    ),
    pytest.param(
        "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://u.example/> { ?s ?p ?o } } }",
        "SERVICE <http://u.example/> is refused",
        id="service-in-union",
    ),
    pytest.param(
        "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://m.example/> { ?s ?p ?o } } }",
        "SERVICE <http://m.example/> is refused",
        id="service-in-minus",
    ),
    pytest.param(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { SERVICE <http://c.example/> { ?s ?p ?o } } }",
        "SERVICE <http://c.example/> is refused",
        id="service-in-construct-graph",
    ),
    pytest.param(
        # rdflib decodes \\u escapes before parsing, Oxigraph does not: refused either way.
        "SELECT * WHERE { \\u0053ERVICE <http://esc.example/> { ?s ?p ?o } }",
        "the escape \\u0053 is refused: it stands for 'S'",
        id="service-unicode-escaped",
    ),
    pytest.param(
        # rdflib compares keywords with str.upper(): a long s is an S to it.
        "SELECT * WHERE { \u017fERVICE <http://long-s.example/> { ?s ?p ?o } }",
        "SERVICE <http://long-s.example/> is refused",
        id="service-long-s",
    ),
    pytest.param(
        "SELECT * FROM <http://from.example/data.ttl> WHERE { ?s ?p ?o }",
        "FROM <http://from.example/data.ttl> is refused: it names a graph to fetch over the "
        "network",
        id="from",
    ),
    pytest.param(
        "SELECT * FROM NAMED <http://named.example/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "FROM NAMED <http://named.example/g> is refused",
        id="from-named",
    ),
    pytest.param(
        "LOAD <http://load.example/data.ttl>",
        "LOAD <http://load.example/data.ttl> is refused: queries never reach the network, "
        "and the graph is read-only",
        id="load",
    ),
    pytest.param(
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "INSERT DATA is refused: the graph is read-only",
        id="insert-data",
    ),
    pytest.param(
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE WHERE is refused: the graph is read-only",
        id="delete-where",
    ),
    pytest.param("DROP ALL", "DROP is refused: the graph is read-only", id="drop"),
    pytest.param("CLEAR DEFAULT", "CLEAR is refused", id="clear"),
    pytest.param("CREATE GRAPH <urn:g>", "CREATE is refused", id="create"),
    pytest.param("ADD <urn:g> TO <urn:h>", "ADD is refused", id="add"),
    pytest.param("MOVE DEFAULT TO <urn:h>", "MOVE is refused", id="move"),
    pytest.param("COPY <urn:g> TO DEFAULT", "COPY is refused", id="copy"),
    pytest.param(
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "DELETE/INSERT is refused: the graph is read-only",
        id="modify",
    ),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
@pytest.mark.parametrize("prologue", ["", sparql_prologue()], ids=["bare", "with-prologue"])
def test_refused(text: str, message: str, prologue: str) -> None:
    with pytest.raises(QueryError) as caught:
        ensure_local(prologue + text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    with pytest.raises(QueryError, match="is refused"):
        prepare_query(prologue + text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?s WHERE { ?s ?p "SERVICE <http://x.example/> { ?a ?b ?c }" }',
        "SELECT ?s WHERE { ?s ?p 'FROM <http://x.example/>' }",
        "SELECT ?s WHERE { ?s ?p ?o }  # SERVICE <http://x.example/> { } LOAD <http://y>",
        "ASK { GRAPH <https://w3id.org/diplomacy-kg/graph/registry> { ?s ?p ?o } }",
        "DESCRIBE <urn:x>",
        "SELECT ?s WHERE { ?s dip:attends ?m }",  # undeclared prefix: only syntax is checked
        "SELECT ?from WHERE { ?f prov:wasDerivedFrom ?from ; dip:from ?load }",
        "SELECT * WHERE { ?s ?p <http://x.example/service/from/load> }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = <http://x.example/delete>) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < <http://x.example/drop>) }",
        "SELECT * WHERE { ?s ?p 'it\\'s from SERVICE' }",
        'SELECT * WHERE { ?s ?p """multi\nline SERVICE <http://x/> { }\r\n""" }',
        "SELECT * WHERE { ?s ?p ?o } # from a SERVICE, ended by CRLF\r\n",
        "# copy and insert: not here\r\nSELECT * WHERE { ?s ?p 'caf\\u00E9' }",
        "SELECT * WHERE { ?s ?p ?o FILTER(langMatches(lang(?o), 'en')) }",
    ],
)
def test_allowed(text: str) -> None:
    ensure_local(text)
    ensure_local(sparql_prologue() + text)
    prepare_query(sparql_prologue() + text)


def test_syntax_error_is_one_line_with_position() -> None:
    with pytest.raises(QueryError) as caught:
        ensure_local("SELECT ?s\nWHERE { ?s ?p ?o }\nLIMIT ten")
    message = str(caught.value)
    assert message.startswith("SPARQL syntax error at line 3, column 1: ")
    assert "LIMIT ten" in message
    assert "\n" not in message


def test_empty_text_is_an_error() -> None:
    with pytest.raises(QueryError, match="empty query"):
        ensure_local("  # nothing but a comment\n")


def test_prepare_query_reports_unknown_prefix() -> None:
    with pytest.raises(QueryError, match="Unknown namespace prefix : nope"):
        prepare_query("SELECT * WHERE { ?s nope:p ?o }")


def test_doctests() -> None:
    assert doctest.testmod(kg.sparql.guard).failed == 0


# --- no connection is ever made ---------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket listening on 127.0.0.1, on a free port, that nothing answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.5)
    try:
        yield sock
    finally:
        sock.close()


def _url(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"


def _connection_arrived(sock: socket.socket) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


def _dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.graph(GRAPH.test).add((ID.a, RDFS.label, Literal("A")))
    return ds


NETWORK_QUERIES = [
    pytest.param("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", id="service"),
    pytest.param(
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?x }} }} }}",
        id="service-in-optional",
    ),
    pytest.param(
        "ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        id="service-in-exists",
    ),
    pytest.param("SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", id="from"),
    pytest.param(
        "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", id="from-named"
    ),
    pytest.param("LOAD <{url}>", id="load"),
]


@pytest.mark.parametrize("template", NETWORK_QUERIES)
def test_refused_query_never_connects(listener: socket.socket, template: str) -> None:
    text = template.format(url=_url(listener))
    with pytest.raises(QueryError, match="is refused"):
        run_query(_dataset(), text)
    assert not _connection_arrived(listener)


def test_control_listener_sees_a_plain_connection(listener: socket.socket) -> None:
    with socket.create_connection(listener.getsockname(), timeout=2):
        assert _connection_arrived(listener)


def test_control_unguarded_rdflib_does_connect(listener: socket.socket) -> None:
    """Without the guard, rdflib really sends the SERVICE request: the refusal matters."""
    text = f"SELECT * WHERE {{ SERVICE <{_url(listener)}> {{ ?s ?p ?o }} }}"
    worker = threading.Thread(target=_query_and_swallow, args=(_dataset(), text), daemon=True)
    worker.start()
    listener.settimeout(10)
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(5)
        request = conn.recv(4096)
    listener.close()  # any retry is refused at once
    worker.join(timeout=10)
    assert request.startswith((b"GET /sparql", b"POST /sparql"))


def _query_and_swallow(ds: Dataset, text: str) -> None:
    with contextlib.suppress(Exception):  # rdflib fails once the listener hangs up
        list(ds.query(text))


# --- texts that engines read differently ------------------------------------------------------
#
# Each passed the guard once (it asked rdflib's parser, which reads them otherwise), and
# Oxigraph, which runs the queries, then sent an HTTP request to the SERVICE IRI.

#: Templates by name: ``{url}`` is the SERVICE IRI; every one is refused.
DIVERGENT_TEXTS = {
    "comment-ended-by-cr":
        "SELECT * WHERE {{ # note\rSERVICE <{url}> {{ ?a ?b ?c }}\n}}",
    "escaped-lf-in-comment-opens-a-string-for-rdflib":
        'SELECT * WHERE {{ ?s ?p ?o # \\u000A FILTER(?o != """\n'
        'SERVICE <{url}> {{ ?a ?b ?c }} # \\u000A """)\n}}',
    "comment-ended-by-cr-in-optional":
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ # note\rSERVICE <{url}> {{ ?a ?b ?c }}\n"
        "}} }}",
    "escaped-lf-in-comment-in-optional":
        'SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p ?o # \\u000A FILTER(?o != """\n'
        'SERVICE <{url}> {{ ?a ?b ?c }} # \\u000A """)\n}} }}',
    "less-than-or-iri":
        "SELECT * WHERE {{ ?s ?p ?o FILTER(1<2)SERVICE#>\n<{url}> {{ ?a ?b ?c }} }}",
    "true-glued-to-service-prefix":
        "PREFIX : <{url}/>\nSELECT * WHERE {{ ?s ?p trueSERVICE:x {{ ?a ?b ?c }} }}",
    "local-name-with-two-dots":
        "PREFIX ex: <http://x.example/>\n"
        "SELECT * WHERE {{ ?s ?p ex:a.b.SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "prefix-iri-without-path":
        "PREFIX ex: <http://x.example:80>\n"
        "SELECT * WHERE {{ ?s ?p ex:SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "decimal-point-glued":
        "SELECT * WHERE {{ ?s ?p 1.SERVICE <{url}> {{ ?a ?b ?c }} }}",
}
DIVERGENT = [pytest.param(text, id=name) for name, text in DIVERGENT_TEXTS.items()]


def test_divergent_texts_are_refused_by_screen() -> None:
    for template in DIVERGENT_TEXTS.values():
        with pytest.raises(QueryError, match="is refused"):
            screen(template.format(url="http://x.example/sparql"))


@pytest.mark.parametrize("template", DIVERGENT)
def test_divergent_texts_never_connect_from_run_query(template: str, built_dir: Path) -> None:
    dataset = load_trig(built_dir / "kg.trig")  # Oxigraph, as `kg query` opens it
    listener = Listener()
    try:
        with pytest.raises(QueryError, match="is refused"):
            run_query(dataset, template.format(url=listener.url))
        assert listener.count == 0
    finally:
        listener.close()


@pytest.fixture(scope="module")
def tiny_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-triple graph: `kg query --graph` opens it in a blink."""
    path = tmp_path_factory.mktemp("tiny") / "kg.trig"
    path.write_text("<https://w3id.org/diplomacy-kg/graph/t> { <urn:s> <urn:p> <urn:o> . }\n",
                    encoding="utf-8")
    return path


def kg_query(*args: str, text: str) -> subprocess.CompletedProcess[str]:
    """`kg query` as a process (a crash shows as a signal, not as a dead test run)."""
    return subprocess.run([*kg_command(), "query", *args], input=text, capture_output=True,
                          text=True, timeout=120, check=False)


def assert_one_error_line(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert done.returncode == 1, (done.returncode, expected, done.stderr[-300:])
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr[-300:]
    assert expected in lines[0]


def kg_query_in_process(*args: str, text: str) -> tuple[int, str, str]:
    """`kg query` through click's runner: exit code, stdout, stderr."""
    result = CliRunner().invoke(main, ["query", *args], input=text)
    return result.exit_code, result.stdout, result.stderr


def test_divergent_texts_refused_by_kg_query_and_kg_query_endpoint(tiny_graph: Path) -> None:
    listener = Listener()
    try:
        for name, template in DIVERGENT_TEXTS.items():
            text = template.format(url=listener.url)
            # refused before anything is sent: with --endpoint, the endpoint is the listener
            for args in (["--graph", str(tiny_graph)], ["--endpoint", listener.url]):
                code, out, err = kg_query_in_process(*args, text=text)
                assert (code, out) == (1, ""), (name, args, out, err)
                assert err.startswith("Error: ") and err.count("\n") == 1, (name, err)
                assert "is refused" in err
        assert listener.count == 0
    finally:
        listener.close()


# --- the same on a live `kg serve` ------------------------------------------------------------


@pytest.fixture(scope="module")
def server(built_dir: Path) -> Iterator[KgServer]:
    with kg_server(built_dir / "kg.trig", "--timeout", "10") as live:
        yield live


@pytest.fixture(scope="module")
def http(server: KgServer) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as client:
        yield client


STYLES = ("GET", "form POST", "direct POST", "GET with default-graph-uri")


def endpoint_request(server: KgServer, text: str, style: str) -> httpx.Request:
    """The query sent one of the ways a client may send it."""
    if style == "form POST":
        return httpx.Request("POST", server.url, data={"query": text})
    if style == "direct POST":
        return httpx.Request("POST", server.url, content=text.encode(), headers={
            "Content-Type": "application/sparql-query"})
    params = {"query": text}
    if style == "GET with default-graph-uri":
        params["default-graph-uri"] = "https://w3id.org/diplomacy-kg/graph/registry"
    return httpx.Request("GET", server.url, params=params)


def test_divergent_texts_are_400_on_kg_serve_and_never_connect(server: KgServer,
                                                               http: httpx.Client) -> None:
    listener = Listener()
    try:
        for name, template in DIVERGENT_TEXTS.items():
            text = template.format(url=listener.url)
            for style in STYLES:
                response = http.send(endpoint_request(server, text, style))
                assert response.status_code == 400, (name, style, response.text)
                assert "is refused" in response.text and response.text.count("\n") == 1
        assert listener.count == 0
    finally:
        listener.close()


# --- texts that would crash a parser ----------------------------------------------------------
#
# Each made `kg query` die of a segmentation fault (exit 139), and killed a `kg serve`
# worker; measured crash points are in kg/sparql/guard.py.

EX = "PREFIX ex: <http://x.example/>\n"
#: Texts by name, with what the refusal says.
CRASHING_TEXTS = {
    "parentheses-5000": (
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "nests brackets"),
    "groups-5000": ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "nests brackets"),
    "function-calls-5000": (
        "SELECT * WHERE { FILTER(" + "ABS(" * 5000 + "1" + ")" * 5000 + ") }", "nests brackets"),
    "not-exists-2000": (
        "ASK { " + "FILTER NOT EXISTS { " * 2000 + "}" * 2000 + " }", "nests brackets"),
    "path-steps-50000": (
        EX + "SELECT * WHERE { ?s " + "/".join(["ex:p"] * 50_000) + " ?o }",
        "chains"),
    "path-alternatives-20000": (
        EX + "SELECT * WHERE { ?s " + "|".join(["ex:p"] * 20_000) + " ?o }", "chains"),
    "union-20000": (
        "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20_000) + " }", "chains"),
    "or-20000": (
        "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o"] * 20_000) + ") }", "chains"),
    "and-20000": (
        "SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["?o"] * 20_000) + ") }", "chains"),
    "plus-20000": (
        "SELECT * WHERE { ?s ?p ?o FILTER(" + " + ".join(["1"] * 20_000) + ") }", "chains"),
    "bind-5000": ("SELECT * WHERE { ?s ?p ?o " + "BIND(1 AS ?b) " * 5000 + "}", "chains"),
    "600k-characters": ("ASK {}" + " " * 600_000, "characters long"),
}


def test_crashing_texts_are_one_error_line_from_kg_query(tiny_graph: Path) -> None:
    """Each as a `kg query` process, so a crash shows as its exit code (139 once)."""
    def run(text: str) -> subprocess.CompletedProcess[str]:
        return kg_query("--graph", str(tiny_graph), text=text)

    with ThreadPoolExecutor(4) as pool:
        done = dict(zip(CRASHING_TEXTS, pool.map(run, [t for t, _ in CRASHING_TEXTS.values()]),
                        strict=True))
    for name, (_, expected) in CRASHING_TEXTS.items():
        assert_one_error_line(done[name], expected)


def test_crashing_texts_are_400_on_kg_serve(server: KgServer, http: httpx.Client) -> None:
    for name, (text, expected) in CRASHING_TEXTS.items():
        styles = ["direct POST", "form POST"] + (["GET"] if len(text) < 6000 else [])
        for style in styles:
            response = http.send(endpoint_request(server, text, style))
            assert response.status_code == 400, (name, style, response.text[:200])
            assert expected in response.text and response.text.count("\n") == 1
    assert http.get(server.url, params={"query": "ASK {}"}).status_code == 200  # still serving


def test_limits_are_generous_for_real_queries() -> None:
    for name in named_queries.names():
        screen(named_queries.text(name))
        screen(sparql_prologue() + named_queries.text(name))


def worst_at_the_limits() -> str:
    """Brackets exactly MAX_DEPTH deep (the costliest kind: NOT EXISTS and function calls)
    and MAX_CHAIN BINDs, the costliest chain, at the bottom."""
    binds = "".join(f"BIND(ABS(1) AS ?b{i}) " for i in range(MAX_CHAIN - (MAX_DEPTH - 3)))
    levels = MAX_DEPTH - 3  # ASK {, BIND(, ABS(
    return ("ASK { " + "FILTER NOT EXISTS { " * levels + "?s ?p ?o " + binds
            + "}" * levels + " }")


def test_a_text_at_the_limits_passes_and_does_not_crash_oxigraph() -> None:
    text = worst_at_the_limits()
    screen(text)
    program = ("import sys, pyoxigraph as ox\n"
               "store = ox.Store()\n"
               "store.add(ox.Quad(ox.NamedNode('urn:s'), ox.NamedNode('urn:p'), "
               "ox.NamedNode('urn:o')))\n"
               "print(bool(store.query(sys.stdin.read())))\n")
    done = subprocess.run([sys.executable, "-c", program], input=text, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-300:])
    with pytest.raises(QueryError, match="nests brackets"):
        screen(text.replace("ASK { ", "ASK { { ", 1) + " }")
