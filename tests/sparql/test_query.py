"""Running queries on a small dataset and rendering every output format."""

from __future__ import annotations

import doctest
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

import kg.sparql.query
from kg.errors import QueryError
from kg.graph.namespaces import DIP, GRAPH, ID
from kg.sparql.query import GRAPH_FORMATS, SOLUTION_FORMATS, format_result, media_type, run_query

SELECT_PEOPLE = """
SELECT ?person ?label ?age WHERE {
  ?person a dip:Person ; rdfs:label ?label .
  OPTIONAL { ?person dip:age ?age }
} ORDER BY STR(?label)
"""


@pytest.fixture
def ds() -> Dataset:
    ds = Dataset(default_union=True)
    g = ds.graph(GRAPH["source-1"])
    g.add((ID["qin-gang"], RDF.type, DIP.Person))
    g.add((ID["qin-gang"], RDFS.label, Literal("Qin Gang", lang="en")))
    g.add((ID["qin-gang"], DIP.age, Literal(57)))
    g.add((ID["wang-yi"], RDF.type, DIP.Person))
    g.add((ID["wang-yi"], RDFS.label, Literal("Wang Yi")))
    g.add((ID["m1"], RDF.type, DIP.Meeting))
    g.add((ID["m1"], DIP.note, Literal('said "no"\tthen\nleft \\ early')))
    g.add((ID["m1"], DIP.score, Literal("2.50", datatype=XSD.decimal)))
    g.add((ID["m1"], DIP.weight, Literal("1.5", datatype=XSD.double)))
    g.add((ID["m1"], DIP.day, Literal("2023-03-07", datatype=XSD.date)))
    g.add((ID["m1"], DIP.where, URIRef("http://example.org/place")))
    g.add((ID["m1"], DIP.with_, BNode("b1")))
    return ds


# --- run_query ----------------------------------------------------------------------------


def test_run_query_predeclares_project_prefixes(ds: Dataset) -> None:
    result = run_query(ds, SELECT_PEOPLE)
    assert result.type == "SELECT"
    assert [str(b[Variable("person")]) for b in result.bindings] == [
        str(ID["qin-gang"]),
        str(ID["wang-yi"]),
    ]


def test_a_prefix_in_the_query_overrides_the_prologue(ds: Dataset) -> None:
    # rdflib accepts a PREFIX declared twice; the later declaration wins.
    text = "PREFIX dip: <urn:other#> SELECT ?s WHERE { ?s a dip:Person }"
    assert len(run_query(ds, text)) == 0


def test_syntax_error_lines_count_from_the_users_text(ds: Dataset) -> None:
    with pytest.raises(QueryError, match=r"^SPARQL syntax error at line 3, column 1: "):
        run_query(ds, "SELECT ?s\nWHERE { ?s ?p ?o }\nLIMIT ten")


def test_unknown_prefix_is_a_query_error(ds: Dataset) -> None:
    with pytest.raises(QueryError, match="Unknown namespace prefix : nope"):
        run_query(ds, "SELECT * WHERE { ?s nope:p ?o }")


def test_evaluation_failure_is_one_line_query_error(ds: Dataset) -> None:
    # rdflib evaluates SELECT lazily; an unknown function in ORDER BY fails while sorting.
    with pytest.raises(QueryError) as caught:
        run_query(ds, "SELECT ?o WHERE { ?s ?p ?o } ORDER BY <urn:no-such-function>(?o)")
    assert str(caught.value).startswith("query failed: ")
    assert "\n" not in str(caught.value)


def test_update_is_refused(ds: Dataset) -> None:
    with pytest.raises(QueryError, match="INSERT DATA is refused: the graph is read-only"):
        run_query(ds, "INSERT DATA { id:x rdfs:label 'x' }")
    assert not list(ds.triples((ID.x, None, None)))


# --- table --------------------------------------------------------------------------------


def test_table(ds: Dataset) -> None:
    assert format_result(run_query(ds, SELECT_PEOPLE), "table") == (
        "person       label     age\n"
        "-----------  --------  ---\n"
        "id:qin-gang  Qin Gang  57\n"
        "id:wang-yi   Wang Yi\n"
        "(2 rows)\n"
    )


def test_table_escapes_and_unshortened_iris(ds: Dataset) -> None:
    text = "SELECT ?p ?o WHERE { id:m1 ?p ?o FILTER(?p IN (dip:note, dip:where, dip:with_)) }"
    out = format_result(run_query(ds, text + " ORDER BY ?p"), "table")
    assert out.splitlines() == [
        "p          o",
        "---------  -----------------------------",
        'dip:note   said "no"\\tthen\\nleft \\ early',
        "dip:where  <http://example.org/place>",
        "dip:with_  _:b1",
        "(3 rows)",
    ]


def test_table_aligns_wide_characters() -> None:
    ds = Dataset(default_union=True)
    ds.graph(GRAPH.g).add((ID.a, RDFS.label, Literal("秦刚")))
    ds.graph(GRAPH.g).add((ID.bb, RDFS.label, Literal("Qin")))
    out = format_result(run_query(ds, "SELECT ?l ?s { ?s rdfs:label ?l } ORDER BY ?s"), "table")
    assert out == "l     s\n----  -----\n秦刚  id:a\nQin   id:bb\n(2 rows)\n"


def test_table_ask_and_single_row(ds: Dataset) -> None:
    assert format_result(run_query(ds, "ASK { id:m1 a dip:Meeting }"), "table") == "true\n"
    assert format_result(run_query(ds, "ASK { id:m1 a dip:Person }"), "table") == "false\n"
    out = format_result(run_query(ds, "SELECT ?m { ?m a dip:Meeting }"), "table")
    assert out == "m\n-----\nid:m1\n(1 row)\n"


# --- TSV, CSV, JSON, XML ------------------------------------------------------------------


def test_tsv(ds: Dataset) -> None:
    text = "SELECT ?p ?o ?unbound WHERE { id:m1 ?p ?o } ORDER BY ?p"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    dip = "https://w3id.org/diplomacy-kg/ontology#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert format_result(run_query(ds, text), "tsv") == (
        "?p\t?o\t?unbound\n"
        f"<{rdf}type>\t<{dip}Meeting>\t\n"
        f'<{dip}day>\t"2023-03-07"^^<{xsd}date>\t\n'
        f'<{dip}note>\t"said \\"no\\"\\tthen\\nleft \\\\ early"\t\n'
        f"<{dip}score>\t2.50\t\n"
        f'<{dip}weight>\t"1.5"^^<{xsd}double>\t\n'
        f"<{dip}where>\t<http://example.org/place>\t\n"
        f"<{dip}with_>\t_:b1\t\n"
    )


def test_tsv_language_tags_integers_and_iri_escapes() -> None:
    ds = Dataset(default_union=True)
    g = ds.graph(GRAPH.g)
    g.add((ID.a, RDFS.label, Literal("Qin Gang", lang="en")))
    g.add((ID.a, DIP.age, Literal(57)))
    g.add((ID.a, DIP.big, Literal("1e3", datatype=XSD.double, normalize=False)))
    g.add((ID.a, DIP.odd, Literal("x", datatype=XSD.integer)))  # ill-typed: keep quoted
    g.add((ID.a, DIP.page, URIRef('http://example.org/a"b')))
    out = format_result(run_query(ds, "SELECT ?o { id:a ?p ?o } ORDER BY STR(?p)"), "tsv")
    assert out.split("\n") == [
        "?o",
        '"Qin Gang"@en',  # rdfs:label sorts first: "http:" < "https:"
        "57",
        "1e3",
        '"x"^^<http://www.w3.org/2001/XMLSchema#integer>',
        "<http://example.org/a\\u0022b>",
        "",
    ]


def test_csv(ds: Dataset) -> None:
    out = format_result(run_query(ds, SELECT_PEOPLE), "csv")
    lines = out.split("\r\n")
    assert lines[0] == "person,label,age"
    assert lines[1] == f"{ID['qin-gang']},Qin Gang,57"
    assert lines[2] == f"{ID['wang-yi']},Wang Yi,"


def test_json(ds: Dataset) -> None:
    data = json.loads(format_result(run_query(ds, SELECT_PEOPLE), "json"))
    assert data["head"]["vars"] == ["person", "label", "age"]
    first, second = data["results"]["bindings"]
    assert first["person"] == {"type": "uri", "value": str(ID["qin-gang"])}
    assert first["label"] == {"type": "literal", "value": "Qin Gang", "xml:lang": "en"}
    assert first["age"] == {"type": "literal", "value": "57", "datatype": str(XSD.integer)}
    assert "age" not in second
    ask = json.loads(format_result(run_query(ds, "ASK { id:m1 a dip:Meeting }"), "json"))
    assert ask["boolean"] is True


def test_xml(ds: Dataset) -> None:
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(format_result(run_query(ds, SELECT_PEOPLE), "xml"))
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == [
        "person",
        "label",
        "age",
    ]
    results = root.findall("r:results/r:result", ns)
    assert len(results) == 2
    assert results[0].findtext("r:binding[@name='person']/r:uri", namespaces=ns) == str(
        ID["qin-gang"]
    )
    age = results[0].find("r:binding[@name='age']/r:literal", ns)
    assert age is not None and age.text == "57" and age.get("datatype") == str(XSD.integer)
    assert results[1].find("r:binding[@name='age']", ns) is None


# --- graphs -------------------------------------------------------------------------------

CONSTRUCT = "CONSTRUCT { ?p rdfs:label ?l ; dip:age ?a } WHERE { ?p rdfs:label ?l ; dip:age ?a }"


def _expected_construct() -> Graph:
    g = Graph()
    g.add((ID["qin-gang"], RDFS.label, Literal("Qin Gang", lang="en")))
    g.add((ID["qin-gang"], DIP.age, Literal(57)))
    return g


def test_turtle_parses_back_and_uses_project_prefixes(ds: Dataset) -> None:
    out = format_result(run_query(ds, CONSTRUCT), "turtle")
    assert isomorphic(Graph().parse(data=out, format="turtle"), _expected_construct())
    assert "@prefix id: <https://w3id.org/diplomacy-kg/id/> ." in out
    assert "id:qin-gang" in out
    assert "brick" not in out  # none of rdflib's default bindings


def test_nt_is_sorted_and_parses_back(ds: Dataset) -> None:
    out = format_result(run_query(ds, CONSTRUCT), "nt")
    q = str(ID["qin-gang"])
    assert out == (
        f'<{q}> <http://www.w3.org/2000/01/rdf-schema#label> "Qin Gang"@en .\n'
        f"<{q}> <https://w3id.org/diplomacy-kg/ontology#age> "
        f'"57"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    )
    assert isomorphic(Graph().parse(data=out, format="nt"), _expected_construct())


def test_jsonld_parses_back_with_a_small_context(ds: Dataset) -> None:
    out = format_result(run_query(ds, CONSTRUCT), "jsonld")
    assert isomorphic(Graph().parse(data=out, format="json-ld"), _expected_construct())
    assert set(json.loads(out)["@context"]) == {"id", "dip", "rdfs", "xsd"}


def test_describe_gives_a_graph(ds: Dataset) -> None:
    out = format_result(run_query(ds, "DESCRIBE id:wang-yi"), "nt")
    assert f'<{ID["wang-yi"]}> <{RDFS.label}> "Wang Yi" .\n' in out


# --- formats ------------------------------------------------------------------------------


def test_wrong_format_names_the_allowed_ones(ds: Dataset) -> None:
    with pytest.raises(
        QueryError,
        match=r"^format 'turtle' does not apply to a SELECT query; "
        r"use one of: table, csv, tsv, json, xml$",
    ):
        format_result(run_query(ds, SELECT_PEOPLE), "turtle")
    with pytest.raises(QueryError, match=r"use one of: turtle, nt, jsonld$"):
        format_result(run_query(ds, CONSTRUCT), "table")
    with pytest.raises(QueryError, match=r"to an ASK query; use one of: table, json, xml$"):
        format_result(run_query(ds, "ASK {}"), "csv")


def test_unserializable_term_is_a_query_error() -> None:
    ds = Dataset(default_union=True)
    ds.graph(GRAPH.g).add((ID.a, DIP.page, URIRef("http://example.org/a b")))
    with pytest.raises(QueryError, match=r"^cannot write the result as turtle: "):
        format_result(run_query(ds, "CONSTRUCT WHERE { ?s ?p ?o }"), "turtle")


def test_media_types() -> None:
    assert {f: media_type(f) for f in SOLUTION_FORMATS + GRAPH_FORMATS} == {
        "table": "text/plain",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "turtle": "text/turtle",
        "nt": "application/n-triples",
        "jsonld": "application/ld+json",
    }
    with pytest.raises(QueryError, match="unknown format 'yaml'"):
        media_type("yaml")


def test_doctests() -> None:
    assert doctest.testmod(kg.sparql.query).failed == 0
