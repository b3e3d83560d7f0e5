"""The quicker paths of queries and exports give what the plain ones gave: the guard's
remembered verdicts, SELECT rows made with shared labels, terms converted once per
result, and merged exports streamed from a SELECT DISTINCT."""

from __future__ import annotations

from typing import cast

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, Variable
from rdflib.namespace import XSD
from rdflib.query import Result, ResultRow

from kg.errors import QueryError
from kg.sparql import guard
from kg.sparql.query import run_query
from kg.store.exports import serialize
from kg.store.oxigraph import as_dataset, dump, from_ox, merged_turtle


def test_a_remembered_verdict_is_the_verdict() -> None:
    text = "SELECT ?s WHERE { ?s ?p 'SERVICE' } # a text the lexer has to read"
    guard.screen(text)
    guard.screen(text)  # remembered
    assert guard._screened.cache_info().hits >= 1
    refused = "SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }"
    for _ in range(2):  # a refusal is never remembered: the same message each time
        with pytest.raises(QueryError, match="SERVICE <http://x/sparql> is refused"):
            guard.screen(refused)
    long_refused = refused + " " * guard._CACHED_CHARS
    with pytest.raises(QueryError, match="SERVICE"):
        guard.screen(long_refused)


def store_with_odd_terms() -> ox.Store:
    store = ox.Store()
    a, p, q = (ox.NamedNode(f"http://example.org/{n}") for n in ("a", "p", "q"))
    g1, g2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")
    blank = ox.BlankNode("b1")
    values: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [
        ox.Literal("plain"), ox.Literal("dated", language="en"),
        ox.Literal("2023-04-19", datatype=ox.NamedNode(str(XSD.date))),
        ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer))), a, blank]
    for value in values:
        for graph in (g1, g2):  # every triple twice: merged outputs write it once
            store.add(ox.Quad(a, p, value, graph))
    store.add(ox.Quad(blank, q, ox.Literal("under a blank node"), g1))
    store.add(ox.Quad(a, q, a, ox.DefaultGraph()))
    return store


def test_select_rows_are_rdflib_rows_with_each_term_converted_alike() -> None:
    store = store_with_odd_terms()
    dataset = as_dataset(store)
    result = run_query(dataset, "SELECT ?o ?none WHERE { <http://example.org/a> ?p ?o "
                                "OPTIONAL { ?o <http://example.org/nothing> ?none } } "
                                "ORDER BY STR(?o)")
    rows = [cast(ResultRow, row) for row in result]  # a SELECT: its type is checked below
    one_by_one = [from_ox(q.object) for q in store.quads_for_pattern(
        ox.NamedNode("http://example.org/a"), None, None, None)]  # each quad of each graph
    assert len(rows) == len(one_by_one) == 13
    assert sorted((row.o for row in rows), key=repr) == sorted(one_by_one, key=repr)
    assert [row[0] for row in rows] == [row.o for row in rows] == [row["o"] for row in rows]
    assert {type(row) for row in rows} == {ResultRow}
    assert all(row.none is None and row.asdict() == {"o": row.o} for row in rows)
    assert Literal("plain") in {row.o for row in rows}  # xsd:string stays a plain literal
    assert Literal("2023-04-19", datatype=XSD.date) in {row.o for row in rows}
    assert any(isinstance(row.o, BNode) for row in rows)
    # the same rows as rdflib's own iteration over the same bindings
    plain = Result("SELECT")
    plain.vars, plain.bindings = result.vars, result.bindings
    plain_rows = [cast(ResultRow, row) for row in plain]
    assert [tuple(row) for row in plain_rows] == [tuple(row) for row in rows]
    assert [row.labels for row in plain_rows] == [row.labels for row in rows]
    assert result.vars == [Variable("o"), Variable("none")]


def test_a_solution_binding_nothing_is_no_row_as_in_rdflib() -> None:
    result = run_query(as_dataset(ox.Store()), "SELECT ?x WHERE { OPTIONAL { ?a ?b ?x } }")
    assert len(result.bindings) == 1 and list(result) == []


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES,
                                 ox.RdfFormat.RDF_XML])
def test_merged_dump_is_every_triple_once(fmt: ox.RdfFormat) -> None:
    store = store_with_odd_terms()
    fast = dump(store, fmt, merged=True)
    slow = merged_turtle(store.quads_for_pattern(None, None, None, None), fmt)
    fast_triples, slow_triples = (triples(ox.parse(data, format=fmt)) for data in (fast, slow))
    assert len(fast_triples) == len(slow_triples) == len(set(slow_triples)) == 8
    assert isomorphic(fast_triples, slow_triples)


def triples(quads: object) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]  # type: ignore[attr-defined]


def isomorphic(first: list[ox.Triple], second: list[ox.Triple]) -> bool:
    """Equal up to blank node names (each side has one blank node here)."""
    def named(triples: list[ox.Triple]) -> set[str]:
        return {str(t).replace(str(t.subject), "_:b" if isinstance(t.subject, ox.BlankNode)
                               else str(t.subject), 1)
                .replace(str(t.object), "_:b" if isinstance(t.object, ox.BlankNode)
                         else str(t.object)) for t in triples}
    return named(first) == named(second)


def test_turtle_export_of_a_built_store_reads_back_to_the_merged_graph(
        dataset: Dataset) -> None:
    store = ox.Store()
    store.load(serialize(dataset, "nquads"), format=ox.RdfFormat.N_QUADS)
    exported = serialize(as_dataset(store), "turtle")
    assert exported.startswith(b"@prefix ")
    merged = {ox.Triple(q.subject, q.predicate, q.object)
              for q in store.quads_for_pattern(None, None, None, None)}
    assert set(triples(ox.parse(exported, format=ox.RdfFormat.TURTLE))) == merged
    assert exported == merged_turtle(store.quads_for_pattern(None, None, None, None))


def test_literals_made_without_rdflib_normalizing_are_the_same_literals() -> None:
    samples = [("plain, with 'quotes' and \\ back", None, None), ("秦刚", "zh", None),
               ("Grüße", "de-at", None), ("", None, None), ("line\nbreak\u2028", None, None),
               ("2023-04-19", None, str(XSD.date)), ("12", None, str(XSD.integer))]
    for value, language, datatype in samples:
        term = ox.Literal(value, language=language,
                          datatype=ox.NamedNode(datatype) if datatype else None)
        expected = Literal(value, lang=language, datatype=datatype)
        made = from_ox(term)
        assert made == expected and repr(made) == repr(expected)
        assert isinstance(made, Literal) and made.value == expected.value
