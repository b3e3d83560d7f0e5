"""Graph files in every RDF syntax, chosen by extension (:func:`kg.store.files.load_rdf`):
each reads back to the graph it was written from, answers queries and validates alike; an
unknown extension or an unreadable file is one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import ResultRow

from kg.errors import KGError
from kg.graph.validate import validate
from kg.sparql import named
from kg.sparql.query import format_result, run_query
from kg.store.exports import serialize
from kg.store.files import RDF_SYNTAXES, load_rdf

#: Extension -> the `kg export` format written into it.
WRITTEN = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".rdf": "xml",
           ".owl": "xml", ".xml": "xml", ".jsonld": "jsonld"}
STORES = ("oxigraph", "memory")


def test_every_extension_is_written_here() -> None:
    assert set(WRITTEN) == set(RDF_SYNTAXES)


@pytest.fixture(scope="module")
def files(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("syntaxes")
    written = {}
    for extension, fmt in WRITTEN.items():
        path = folder / f"kg{extension}"
        path.write_bytes(serialize(dataset, fmt))
        written[extension] = path
    return written


def plain(term: object) -> object:
    """A term with ``xsd:string`` left implicit (rdflib over Oxigraph states it)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def triples(dataset: Dataset) -> set[tuple[object, object, object]]:
    return {(s, p, plain(o)) for s, p, o, _ in dataset.quads((None, None, None, None))}


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("extension", list(WRITTEN))
def test_each_syntax_reads_back_to_the_graph(files: dict[str, Path], dataset: Dataset,
                                             extension: str, store: str) -> None:
    loaded = load_rdf(files[extension], store=store)
    assert triples(loaded) == triples(dataset)
    keeps_graphs = extension in (".trig", ".nq", ".jsonld")
    names = {g for _, _, _, g in loaded.quads((None, None, None, None))}
    assert (len(names) > 1) == keeps_graphs, names


@pytest.mark.parametrize("extension", list(WRITTEN))
def test_each_syntax_answers_the_shipped_queries_alike(files: dict[str, Path],
                                                       extension: str) -> None:
    reference = load_rdf(files[".trig"])
    loaded = load_rdf(files[extension])
    for name in ("cq2", "cq9", "cq12"):
        text = named.text(name)
        assert format_result(run_query(loaded, text), "tsv") == \
            format_result(run_query(reference, text), "tsv"), name


@pytest.mark.parametrize("extension", [".ttl", ".nq", ".rdf", ".jsonld"])
def test_each_syntax_validates(files: dict[str, Path], extension: str) -> None:
    assert validate(load_rdf(files[extension])).conforms


#: A data file in the manner of the W3C SPARQL test suite (data-r2), in RDF/XML: typed
#: node elements, a blank node by rdf:nodeID, a language tag, a datatype, a relative IRI.
W3C_DATA = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:foaf="http://xmlns.com/foaf/0.1/"
         xmlns:ex="http://example.org/ns#"
         xml:base="http://example.org/data/">
  <foaf:Person rdf:about="#alice">
    <foaf:name xml:lang="en">Alice</foaf:name>
    <foaf:mbox rdf:resource="mailto:alice@example.org"/>
    <foaf:knows rdf:nodeID="bob"/>
    <ex:age rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">29</ex:age>
  </foaf:Person>
  <rdf:Description rdf:nodeID="bob">
    <rdf:type rdf:resource="http://xmlns.com/foaf/0.1/Person"/>
    <foaf:name>Bob</foaf:name>
  </rdf:Description>
</rdf:RDF>
"""
W3C_QUERY = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX ex: <http://example.org/ns#>
SELECT ?name ?age ?friend
WHERE { ?x foaf:name ?name ; foaf:knows ?y . ?y foaf:name ?friend .
        OPTIONAL { ?x ex:age ?age } }"""


@pytest.mark.parametrize("extension", [".rdf", ".owl", ".xml"])
@pytest.mark.parametrize("store", STORES)
def test_a_w3c_style_rdf_xml_data_file_answers_its_query(tmp_path: Path, extension: str,
                                                         store: str) -> None:
    path = tmp_path / f"data{extension}"
    path.write_text(W3C_DATA, "utf-8")
    loaded = load_rdf(path, store=store)
    assert len(triples(loaded)) == 7
    (row,) = list(run_query(loaded, W3C_QUERY))
    assert isinstance(row, ResultRow)
    assert row.name == Literal("Alice", lang="en")
    assert row.age == Literal("29", datatype=XSD.integer)
    assert plain(row.friend) == Literal("Bob")
    alice = URIRef("http://example.org/data/#alice")
    assert run_query(loaded, f"ASK {{ <{alice}> a foaf:Person }}").askAnswer


def test_an_unknown_extension_is_one_line(tmp_path: Path) -> None:
    for name in ("graph.txt", "graph"):
        path = tmp_path / name
        path.write_text("<http://x/a> <http://x/b> <http://x/c> .\n", "utf-8")
        with pytest.raises(KGError) as caught:
            load_rdf(path)
        message = str(caught.value)
        assert "\n" not in message and message.startswith(f"{path}: unknown RDF file extension")
        assert message.endswith("use .trig, .ttl, .nt, .nq, .rdf, .owl, .xml or .jsonld")


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(("extension", "syntax"), [
    (".ttl", "Turtle"), (".nt", "N-Triples"), (".nq", "N-Quads"), (".rdf", "RDF/XML"),
    (".jsonld", "JSON-LD")])
def test_an_unreadable_file_is_one_line_naming_its_syntax(tmp_path: Path, extension: str,
                                                          syntax: str, store: str) -> None:
    path = tmp_path / f"broken{extension}"
    path.write_text("<http://x/a> <http://x/b> \"unterminated\n", "utf-8")
    with pytest.raises(KGError) as caught:
        load_rdf(path, store=store)
    assert str(caught.value).startswith(f"{path}: not a readable {syntax} file (")
    assert "\n" not in str(caught.value)
    with pytest.raises(KGError, match="no such file"):
        load_rdf(tmp_path / f"missing{extension}", store=store)


@pytest.mark.parametrize("store", STORES)
def test_json_ld_never_fetches_a_remote_context(tmp_path: Path, store: str) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://192.0.2.1/context.jsonld", '
                    '"@id": "http://x/a", "name": "A"}', "utf-8")
    with pytest.raises(KGError, match="not a readable JSON-LD file"):
        load_rdf(path, store=store)


def test_a_trig_file_is_read_as_before(files: dict[str, Path], dataset: Dataset) -> None:
    from kg.store.files import load_trig

    for store in STORES:
        assert triples(load_rdf(files[".trig"], store=store)) == \
            triples(load_trig(files[".trig"], store=store)) == triples(dataset)
    copy = files[".trig"].with_name("kg.TriG")
    shutil.copy(files[".trig"], copy)
    assert triples(load_rdf(copy)) == triples(dataset)
