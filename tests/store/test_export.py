"""Exports, parsed by another parser (pyoxigraph), are isomorphic to the built graph."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.cli import main
from kg.graph.namespaces import REGISTRY_GRAPH
from kg.store.exports import FORMATS, serialize

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a plain literal is an xsd:string
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def triples_of(dataset: Dataset) -> set[tuple[Node, Node, Node]]:
    return {(s, p, o) for s, p, o, _g in dataset.quads((None, None, None, None))}


def quads_of(dataset: Dataset) -> set[tuple[Node, Node, Node, Node]]:
    found: set[tuple[Node, Node, Node, Node]] = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        assert isinstance(name, Node)
        found.add((s, p, o, name))
    return found


def test_no_blank_nodes(dataset: Dataset) -> None:
    for quad in dataset.quads((None, None, None, None)):
        assert not any(isinstance(t, BNode) for t in quad[:3]), quad


def test_turtle_is_isomorphic(built_dir: Path, dataset: Dataset) -> None:
    parsed = {tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object))
              for q in ox.parse(path=str(built_dir / "kg.ttl"), format=ox.RdfFormat.TURTLE)}
    assert parsed == triples_of(dataset)
    assert len(parsed) == 655


def test_trig_keeps_one_graph_per_source(built_dir: Path, dataset: Dataset) -> None:
    parsed = {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),
               to_rdflib(q.graph_name))
              for q in ox.parse(path=str(built_dir / "kg.trig"), format=ox.RdfFormat.TRIG)}
    assert parsed == quads_of(dataset)
    graphs = {q[3] for q in parsed}
    assert graphs == {REGISTRY_GRAPH, URIRef(
        "https://w3id.org/diplomacy-kg/graph/xinhua-2023-04-20-chinese-fm-meets-sco-chief")}


@pytest.mark.parametrize(("fmt", "ox_format"), [
    ("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
    ("xml", ox.RdfFormat.RDF_XML), ("trig", ox.RdfFormat.TRIG),
    ("nquads", ox.RdfFormat.N_QUADS), ("jsonld", ox.RdfFormat.JSON_LD),
])
@pytest.mark.parametrize("backend", ["rdflib-memory", "oxigraph"])
def test_every_export_format_round_trips(fmt: str, ox_format: ox.RdfFormat, backend: str,
                                         dataset: Dataset, built_dir: Path) -> None:
    from kg.store.files import load_trig

    source = dataset if backend == "rdflib-memory" else load_trig(built_dir / "kg.trig")
    data = serialize(source, fmt)
    parsed = list(ox.parse(io.BytesIO(data), format=ox_format))
    triples = {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
               for q in parsed}
    assert triples == triples_of(dataset)
    keeps_graphs = FORMATS[fmt][1]
    named = {q.graph_name for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert len(named) == (2 if keeps_graphs else 0)


def test_jsonld_has_a_context(dataset: Dataset) -> None:
    document = json.loads(serialize(dataset, "jsonld"))
    assert document["@context"]["dip"] == "https://w3id.org/diplomacy-kg/ontology#"
    assert document["@context"]["org"] == "http://www.w3.org/ns/org#"


def test_export_command_writes_atomically(built_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    result = CliRunner().invoke(main, ["export", "--format", "nquads", "--output", str(target),
                                       "--graph", str(built_dir / "kg.trig")])
    assert result.exit_code == 0, result.output
    lines = target.read_text().splitlines()
    assert len(lines) == 655
    assert lines == sorted(lines)
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]


def test_export_to_stdout_is_turtle(built_dir: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--graph", str(built_dir / "kg.trig")])
    assert result.exit_code == 0
    assert "@prefix dip: <https://w3id.org/diplomacy-kg/ontology#> ." in result.output
    assert len(list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE))) == 655
