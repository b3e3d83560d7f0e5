"""Run read-only SPARQL on a dataset and render the result in a chosen format.

Every query gets the project prefixes (:func:`kg.graph.namespaces.sparql_prologue`) and goes
through :mod:`kg.sparql.guard` first, so nothing reaches the network or changes the graph.

>>> from rdflib import Dataset, Literal
>>> from kg.graph.namespaces import GRAPH, ID, RDFS
>>> ds = Dataset(default_union=True)
>>> _ = ds.graph(GRAPH.demo).add((ID.a, RDFS.label, Literal("A")))
>>> print(format_result(run_query(ds, "SELECT ?s ?l { ?s rdfs:label ?l }"), "table"), end="")
s     l
----  -
id:a  A
(1 row)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import QueryError
from kg.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from kg.graph.namespaces import PREFIXES, sparql_prologue
from kg.sparql.guard import ensure_local, prepare_query, screen
from kg.text_table import aligned

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "format_result",
    "media_type",
    "run_query",
]

_ASK_FORMATS: tuple[str, ...] = ("table", "json", "xml")

_MEDIA_TYPES: dict[str, str] = {
    "table": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}


def media_type(fmt: str) -> str:
    """The IANA media type of an output format.

    >>> media_type("json")
    'application/sparql-results+json'
    """
    try:
        return _MEDIA_TYPES[fmt]
    except KeyError:
        raise QueryError(f"unknown format {fmt!r}; use one of: {', '.join(_MEDIA_TYPES)}") from None


def run_query(dataset: Dataset, text: str) -> Result:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on ``dataset``.

    The project prefixes are predeclared; a ``PREFIX`` in ``text`` overrides them.
    Refused or malformed queries, and any failure while evaluating, raise
    :class:`QueryError` with a one-line message.

    >>> run_query(Dataset(), "ASK { ?s ?p ?o }").askAnswer
    False
    """
    from kg.store import oxigraph

    store = oxigraph.inner_store(dataset)
    if store is not None:  # Oxigraph's engine; rdflib's parser only for a syntax message
        screen(text)  # on the text as written: the prologue only adds PREFIX lines
        try:
            return oxigraph.query(store, _prologue() + text)
        except QueryError:
            ensure_local(text)  # rdflib's message for a syntax error, with the user's lines
            raise
    ensure_local(text)  # on the text as written, so syntax errors give the user's line numbers
    query = prepare_query(_prologue() + text)
    try:
        # use_store_provided=False: always rdflib's evaluator, on the query checked above.
        result = dataset.query(query, use_store_provided=False)
        if result.type == "SELECT":
            len(result)  # rdflib evaluates SELECT lazily; make failures surface here
    except QueryError:
        raise
    except Exception as exc:
        detail = " ".join(str(exc).split())
        raise QueryError(f"query failed: {type(exc).__name__}: {detail}") from exc
    return result


@functools.lru_cache(maxsize=1)
def _prologue() -> str:
    """The project prefixes as PREFIX lines (they never change while the program runs)."""
    return sparql_prologue()


def format_result(result: Result, fmt: str) -> str:
    """Render a result of :func:`run_query`; the text ends with a newline.

    SELECT takes :data:`SOLUTION_FORMATS`; ASK takes ``table``, ``json``, ``xml``;
    CONSTRUCT and DESCRIBE take :data:`GRAPH_FORMATS`.

    >>> print(format_result(run_query(Dataset(), "ASK {}"), "table"), end="")
    true
    """
    kind = result.type
    if kind in ("CONSTRUCT", "DESCRIBE"):
        allowed = GRAPH_FORMATS
    elif kind == "ASK":
        allowed = _ASK_FORMATS
    else:
        allowed = SOLUTION_FORMATS
    if fmt not in allowed:
        raise QueryError(
            f"format {fmt!r} does not apply to {_article(kind)} {kind} query; "
            f"use one of: {', '.join(allowed)}"
        )
    try:
        return _render(result, kind, fmt)
    except QueryError:
        raise
    except Exception as exc:  # rdflib serializers refuse some terms (e.g. IRIs with spaces)
        detail = " ".join(str(exc).split())
        raise QueryError(f"cannot write the result as {fmt}: {detail}") from exc


def _render(result: Result, kind: str, fmt: str) -> str:
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return _format_graph(result, fmt)
    if fmt == "table":
        return _table(result)
    if fmt == "tsv":
        return _tsv(result)
    data = result.serialize(format=fmt, encoding="utf-8")  # csv, json, xml: rdflib's names too
    out = data.decode("utf-8") if data is not None else ""
    if fmt == "xml":
        out = _safe_xml(result, out)
    return out if out.endswith("\n") else out + "\n"


def _safe_xml(result: Result, out: str) -> str:
    """SPARQL XML results that an XML 1.0 parser reads back to the same values: a carriage
    return as ``&#13;`` (a raw one is read as a line feed); a character XML 1.0 cannot
    hold even escaped (NUL, most C0 controls, U+FFFE, U+FFFF) is refused in one line.

    >>> from rdflib import Dataset, Literal
    >>> from kg.graph.namespaces import GRAPH, ID, RDFS
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.graph(GRAPH.demo).add((ID.a, RDFS.label, Literal("A\\x00")))
    >>> format_result(run_query(ds, "SELECT ?l { ?s rdfs:label ?l }"), "xml")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: SPARQL XML results cannot hold the character U+0000 (NUL) in the \
literal "A\\u0000" of ?l (XML 1.0 forbids it, even escaped): use --format json (or tsv, csv)
    """
    from kg.store.exports import XML_FORBIDDEN, xml_refusal

    found = XML_FORBIDDEN.search(out)
    if found is not None:
        char = found.group()
        where, term = "", "(unknown)"
        for solution in _solutions(result):
            for name, value in solution.items():
                if char in str(value) or char in str(getattr(value, "datatype", "") or ""):
                    where, term = f" of ?{name}", _tsv_term(value)
                    break
            if where:
                break
        refusal = xml_refusal("SPARQL XML results", char, term, where, "json (or tsv, csv)")
        raise QueryError(str(refusal))
    return out.replace("\r", "&#13;")


# --- table -----------------------------------------------------------------------------


def _table(result: Result) -> str:
    if result.type == "ASK":
        return "true\n" if result.askAnswer else "false\n"
    names = _vars(result)
    rows = [[_cell(solution.get(v)) for v in names] for solution in _solutions(result)]
    lines = aligned([str(v) for v in names], rows)
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _prefixed(term) or f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term).translate(_CELL_ESCAPES)  # a literal's lexical form, on one line


#: Tab, CR and LF as ``\t``, ``\r``, ``\n``; the other control characters and the line
#: separators (NEL, U+2028, U+2029) as ``\uXXXX``: a table row stays one line.
_CELL_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)},
    ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n",
}


#: Local parts kept readable in a table (``/`` allowed, as in ``id:source/x``).
_LOCAL = re.compile(r"[\w\-.:/%]*")
#: (prefix, namespace IRI), longest namespace first. str(): some PREFIXES values are
#: rdflib DefinedNamespace classes rather than Namespace strings.
_NAMESPACES = [(prefix, str(ns)) for prefix, ns in PREFIXES.items()]
_BY_LENGTH = sorted(_NAMESPACES, key=lambda item: -len(item[1]))


def _prefixed(iri: str) -> str | None:
    """``prefix:local`` for an IRI under a project namespace (the longest that fits)."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if _LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return None


# --- TSV (SPARQL 1.1 Query Results CSV and TSV Formats, section 3) -----------------------

_TURTLE_NUMBER = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(
        r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)"
    ),
}
#: Turtle string escapes; the other control characters and the line separators (NEL,
#: U+2028, U+2029) as ``\uXXXX``, so that a row stays one line for any line reader.
_STRING_ESCAPES = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)},
    **str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r",
                     "\b": "\\b", "\f": "\\f"}),
}


def _tsv(result: Result) -> str:
    names = _vars(result)
    lines = ["\t".join(f"?{v}" for v in names)]
    for solution in _solutions(result):
        lines.append("\t".join(_tsv_term(solution.get(v)) for v in names))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _iriref(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lexical = str(term)
        datatype = term.datatype
        number = _TURTLE_NUMBER.get(datatype) if datatype is not None else None
        if number is not None and number.fullmatch(lexical):
            return lexical  # abbreviated form, as Turtle reads it back to the same literal
        quoted = '"' + lexical.translate(_STRING_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if datatype is not None:
            return f"{quoted}^^{_iriref(datatype)}"
        return quoted
    return str(term)


def _iriref(iri: str) -> str:
    """``<iri>``, with characters IRIREF does not allow written as ``\\u`` escapes."""
    out = []
    for ch in iri:
        if ord(ch) <= 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in '<>"{}|^`\\\u2028\u2029':
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "<" + "".join(out) + ">"


# --- graphs --------------------------------------------------------------------------------


def _format_graph(result: Result, fmt: str) -> str:
    source = result.graph if result.graph is not None else Graph()
    graph = Graph(bind_namespaces="none")
    for triple in source:
        graph.add(triple)
    # Bind the project prefixes the graph uses (JSON-LD would put every bound one in @context).
    iris = set(_iris(graph))
    for prefix, ns in _NAMESPACES:
        if any(iri.startswith(ns) for iri in iris):
            graph.bind(prefix, URIRef(ns), override=True, replace=True)
    if fmt == "turtle":
        out = graph.serialize(format="turtle")
    elif fmt == "nt":
        # split("\n"), not splitlines(): a literal may hold U+2028 and other line breaks,
        # written as \u escapes so that each triple stays on one line for any reader.
        from kg.store.exports import escape_controls

        text = escape_controls(graph.serialize(format="nt"))
        lines = sorted(line for line in text.split("\n") if line)
        return "".join(line + "\n" for line in lines)
    else:
        out = graph.serialize(format="json-ld", auto_compact=True)
    return out.rstrip("\n") + "\n"


def _iris(graph: Graph) -> Iterable[str]:
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                yield term
            elif isinstance(term, Literal) and term.datatype is not None:
                yield term.datatype


# --- helpers -------------------------------------------------------------------------------


def _vars(result: Result) -> list[Variable]:
    return list(result.vars or [])


def _solutions(result: Result) -> list[Mapping[Variable, Node]]:
    return list(result.bindings)


def _article(word: str) -> str:
    return "an" if word[:1] in "AEIOU" else "a"
