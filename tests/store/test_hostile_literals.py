"""Outputs hold hostile literals and still parse: every export format and every query
output format, read back by independent parsers (pyoxigraph, rdflib, xml.etree, csv) to
the same values; where XML 1.0 cannot hold a character the XML writers refuse in one line.

The graph comes from a foreign TriG file (``--graph FILE``), written here by hand with
``\\u`` escapes, so no writer under test produced it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from click.testing import Result as Invoked
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.query import Result

from kg.cli import main
from kg.formats import RDF_EXPORT_FORMATS as EXPORT_FORMATS
from kg.store.exports import FORMATS, serialize
from kg.store.files import load_trig

ID = "https://example.org/id/"
GRAPH = "https://example.org/graph/hostile"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"

#: Values XML 1.0 can hold (some only as character references).
HOLDABLE = {
    "cr": "a\rb", "crlf": "a\r\nb", "lf": "a\nb", "tab": "a\tb", "nel": "a\x85b",
    "ls": "a\u2028b", "ps": "a\u2029b", "del": "a\x7fb", "c1": "a\x9fb", "quote": 'a"\\b',
    "markup": "a]]><&'b", "astral": "a\U0001f600b", "trailing-cr": "end\r",
    "only-breaks": "\r\n\x85\u2028\u2029",
}
#: Values holding a character XML 1.0 cannot hold, not even escaped.
UNHOLDABLE = {
    "nul": "a\x00b", "bel": "\x07", "bs": "a\bb", "vt": "a\x0bb", "ff": "a\x0cb",
    "esc": "a\x1bb", "us": "a\x1fb", "fffe": "a\ufffeb", "ffff": "a\uffffb",
}
#: What a line-based reader takes for a line break, besides LF.
LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def escaped(value: str) -> str:
    """A Turtle string literal for ``value``: everything but printable ASCII as \\u."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(f"\\U{ord(ch):08X}")
    return '"' + "".join(out) + '"'


def write_trig(path: Path, values: dict[str, str]) -> Path:
    lines = [f"<{GRAPH}> {{"]
    for name, value in values.items():
        lines.append(f"  <{ID}{name}> <{LABEL}> {escaped(value)}@en ;")
        lines.append(f"    <{ALT}> {escaped(value)} .")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", "ascii")
    return path


def expected_triples(values: dict[str, str]) -> set[ox.Triple]:
    out = set()
    for name, value in values.items():
        subject = ox.NamedNode(ID + name)
        out.add(ox.Triple(subject, ox.NamedNode(LABEL), ox.Literal(value, language="en")))
        out.add(ox.Triple(subject, ox.NamedNode(ALT), ox.Literal(value)))
    return out


def rdflib_triples(values: dict[str, str]) -> set[tuple[URIRef, URIRef, Literal]]:
    out = set()
    for name, value in values.items():
        out.add((URIRef(ID + name), URIRef(LABEL), Literal(value, lang="en")))
        out.add((URIRef(ID + name), URIRef(ALT), Literal(value)))
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {"holdable": write_trig(folder / "holdable.trig", HOLDABLE),
            "unholdable": write_trig(folder / "unholdable.trig", UNHOLDABLE)}


VALUES = {"holdable": HOLDABLE, "unholdable": UNHOLDABLE}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
              "xml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG,
              "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "xml": "xml", "trig": "trig",
                  "nquads": "nquads", "jsonld": "json-ld"}


def check_one_line_refusal(result: Invoked, *words: str) -> None:
    exit_code = result.exit_code
    stderr = result.stderr
    assert exit_code == 1
    assert result.stdout == ""
    assert len(stderr.splitlines()) == 1 and stderr.startswith("Error: "), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in stderr, (word, stderr)


def test_the_input_file_is_what_the_test_says(files: dict[str, Path]) -> None:
    for kind, path in files.items():
        parsed = {ox.Triple(q.subject, q.predicate, q.object)
                  for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG)}
        assert parsed == expected_triples(VALUES[kind])


@pytest.mark.parametrize("kind", ["holdable", "unholdable"])
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_kg_export_reads_back(fmt: str, kind: str, files: dict[str, Path],
                              tmp_path: Path) -> None:
    target = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["export", "--graph", str(files[kind]), "--format", fmt,
                                       "--output", str(target)])
    if fmt == "xml" and kind == "unholdable":
        assert result.exit_code == 1
        assert not target.exists() and list(tmp_path.iterdir()) == []
        line = result.stderr
        assert len(line.splitlines()) == 1 and line.startswith("Error: RDF/XML cannot hold "
                                                               "the character U+")
        assert f"of <{ID}" in line and "use --format nquads" in line
        assert "Traceback" not in line
        return
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    parsed = list(ox.parse(data, format=OX_FORMATS[fmt]))
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == \
        expected_triples(VALUES[kind])
    if FORMATS[fmt][1]:  # quad formats keep the graph
        assert {q.graph_name for q in parsed} == {ox.NamedNode(GRAPH)}
    reread = Dataset()
    reread.parse(data=data, format=RDFLIB_FORMATS[fmt])
    assert {(s, p, o) for s, p, o, _g in reread.quads((None, None, None, None))} == \
        rdflib_triples(VALUES[kind])
    if fmt in ("nt", "nquads"):  # one statement a line, for any line reader
        text = data.decode("utf-8")
        assert not LINE_BREAKS.search(text)
        assert len(text.splitlines()) == 2 * len(VALUES[kind])
    if fmt == "xml":
        root = ET.fromstring(data)
        texts = {element.text or "" for element in root.iter()}
        assert set(HOLDABLE.values()) <= texts


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_serialize_from_rdflib_memory_reads_back(fmt: str, files: dict[str, Path]) -> None:
    dataset = load_trig(files["holdable"], store="memory")
    data = serialize(dataset, fmt)
    parsed = ox.parse(data, format=OX_FORMATS[fmt])
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == \
        expected_triples(HOLDABLE)


SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def run(graph: Path, query: str, fmt: str) -> Invoked:
    return CliRunner().invoke(main, ["query", "--graph", str(graph), "--format", fmt, query])


def rows_of(values: dict[str, str]) -> list[tuple[str, str, str, str | None]]:
    """(subject, predicate, value, language) in the order of SELECT."""
    rows: list[tuple[str, str, str, str | None]] = []
    for name in sorted(values):
        rows.append((ID + name, LABEL, values[name], "en"))
        rows.append((ID + name, ALT, values[name], None))
    return sorted(rows, key=lambda r: (r[0], r[1]))


@pytest.mark.parametrize("kind", ["holdable", "unholdable"])
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_kg_query_select_reads_back(fmt: str, kind: str, files: dict[str, Path]) -> None:
    values = VALUES[kind]
    result = run(files[kind], SELECT, fmt)
    if fmt == "xml" and kind == "unholdable":
        check_one_line_refusal(result, "Error: SPARQL XML results cannot hold the character "
                               "U+", " of ?o ", "use --format json")
        return
    assert result.exit_code == 0, result.output
    text: str = result.stdout_bytes.decode("utf-8")
    expected = rows_of(values)
    if fmt == "table":
        lines = text.split("\n")
        assert len(text.splitlines()) == len(expected) + 3
        assert not any(LINE_BREAKS.search(line) or "\x00" in line for line in lines)
        assert lines[-2] == f"({len(expected)} rows)"
    elif fmt == "csv":
        read = list(csv.reader(io.StringIO(text, newline="")))
        assert read[0] == ["s", "p", "o"]
        assert [tuple(r) for r in read[1:]] == [(s, p, v) for s, p, v, _ in expected]
    elif fmt == "json":
        bindings = json.loads(text)["results"]["bindings"]
        got = [(b["s"]["value"], b["p"]["value"], b["o"]["value"], b["o"].get("xml:lang"))
               for b in bindings]
        assert got == expected
    elif fmt == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(text.encode("utf-8"))
        got = []
        for each in root.findall("r:results/r:result", ns):
            literal = each.find("r:binding[@name='o']/r:literal", ns)
            assert literal is not None
            got.append((each.findtext("r:binding[@name='s']/r:uri", namespaces=ns),
                        each.findtext("r:binding[@name='p']/r:uri", namespaces=ns),
                        literal.text or "",
                        literal.get("{http://www.w3.org/XML/1998/namespace}lang")))
        assert got == expected
        parsed = Result.parse(io.BytesIO(text.encode("utf-8")), format="xml")
        assert [str(row[2]) for row in parsed] == [v for _s, _p, v, _l in expected]  # type: ignore[index]
    if fmt in ("tsv", "json", "xml"):
        reader = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON,
                  "xml": ox.QueryResultsFormat.XML}[fmt]
        solutions = ox.parse_query_results(text.encode("utf-8"), format=reader)
        assert isinstance(solutions, ox.QuerySolutions)
        got = []
        for solution in solutions:
            literal = solution["o"]
            assert isinstance(literal, ox.Literal)
            got.append((solution["s"].value, solution["p"].value,
                        literal.value, literal.language))
        assert got == expected
    if fmt == "tsv":
        assert len(text.splitlines()) == len(expected) + 1


@pytest.mark.parametrize("kind", ["holdable", "unholdable"])
@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_kg_query_construct_reads_back(fmt: str, kind: str, files: dict[str, Path]) -> None:
    result = run(files[kind], CONSTRUCT, fmt)
    assert result.exit_code == 0, result.output
    data: bytes = result.stdout_bytes
    parsed = ox.parse(data, format=OX_FORMATS[fmt])
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == \
        expected_triples(VALUES[kind])
    graph = Graph()
    graph.parse(data=data, format=RDFLIB_FORMATS[fmt])
    assert set(graph) == rdflib_triples(VALUES[kind])
    if fmt == "nt":
        text = data.decode("utf-8")
        assert not LINE_BREAKS.search(text)
        assert len(text.splitlines()) == 2 * len(VALUES[kind])
