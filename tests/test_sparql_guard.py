"""The SPARQL guard: refused clauses, allowed look-alikes, and proof that nothing connects."""

from __future__ import annotations

import contextlib
import doctest
import socket
import threading
from collections.abc import Iterator

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS

import kg.sparql_guard
from kg.errors import QueryError
from kg.namespaces import GRAPH, ID, sparql_prologue
from kg.query import run_query
from kg.sparql_guard import ensure_local, prepare_query

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
    assert doctest.testmod(kg.sparql_guard).failed == 0


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
