"""Queries on the Oxigraph store: the same guard, no connection, rdflib-style errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kg.errors import QueryError
from kg.sparql.query import run_query
from kg.store.files import load_trig


@pytest.fixture()
def listener() -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.5)
    return server


def connections(server: socket.socket) -> int:
    count = 0
    try:
        while True:
            conn, _ = server.accept()
            conn.close()
            count += 1
    except TimeoutError:
        return count


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ optional {{ service <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "LOAD <{url}>",
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p trueSERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?x.SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p id:a.SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "# a comment\rSELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s prov:wasDerivedFrom ?o . SERVICE <{url}> {{ ?a ?b ?c }} }}",
])
def test_refused_on_oxigraph_without_connecting(template: str, built_dir: Path,
                                                listener: socket.socket) -> None:
    dataset = load_trig(built_dir / "kg.trig")
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    # refused, or rejected as rdflib cannot parse it: never run by Oxigraph, which would
    # read `1SERVICE` as a literal then SERVICE and connect
    with pytest.raises(QueryError, match=r"refused|syntax|empty query"):
        run_query(dataset, template.format(url=url))
    assert connections(listener) == 0


def test_the_listener_would_see_a_connection(listener: socket.socket) -> None:
    socket.create_connection(listener.getsockname()).close()
    assert connections(listener) == 1


def test_plain_queries_skip_the_parser_and_answer(built_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.sparql.query

    def no_parse(text: str) -> None:
        raise AssertionError("the guard's parser ran")

    dataset = load_trig(built_dir / "kg.trig")
    monkeypatch.setattr(kg.sparql.query, "ensure_local", no_parse)
    found = run_query(dataset, "SELECT ?who WHERE { ?f prov:wasDerivedFrom ?a ; "
                               "dip:addressee ?who }")
    assert [str(row[0]).rsplit("/", 1)[-1] for row in found] == ["china"]  # type: ignore[index]
    monkeypatch.undo()
    result = run_query(dataset, "SELECT ?o WHERE { id:china org:memberOf ?o }")
    assert [str(row[0]) for row in result] == [  # type: ignore[index]
        "https://w3id.org/diplomacy-kg/id/sco"]


def test_syntax_errors_have_the_users_line_numbers(built_dir: Path) -> None:
    dataset = load_trig(built_dir / "kg.trig")
    with pytest.raises(QueryError, match="line 2"):
        run_query(dataset, "SELECT ?o\nWHERE { id:china org:memberOf ?o ")
