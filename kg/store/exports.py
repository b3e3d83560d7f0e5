"""Serialize a built dataset to the RDF formats.

Quad formats (``trig``, ``nquads``, ``jsonld``) keep one named graph per source;
triple formats (``turtle``, ``nt``, ``xml``) merge the graphs.

Every output reads back to the same terms, whatever the literals hold (the graph may
come from a foreign file, ``--graph FILE``): the line formats write each statement on
one line, with control characters and the Unicode line separators (NEL, U+2028,
U+2029) as ``\\u`` escapes; RDF/XML writes a carriage return as ``&#13;`` (a reader
would turn a raw one into a line feed), and refuses, in one line naming the character
and the term, the characters XML 1.0 cannot hold even escaped (NUL, most C0 controls,
U+FFFE, U+FFFF).

>>> from pathlib import Path
>>> from kg.pipeline import compile_project
>>> data = serialize(compile_project(Path("data")).dataset, "nt")
>>> data.count(b"\\n") > 500
True
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import KGError
from kg.graph.namespaces import PREFIXES

#: Format name -> (rdflib serializer, keeps named graphs, media type, file extension).
FORMATS: dict[str, tuple[str, bool, str, str]] = {
    "turtle": ("turtle", False, "text/turtle", "ttl"),
    "nt": ("nt", False, "application/n-triples", "nt"),
    "xml": ("xml", False, "application/rdf+xml", "rdf"),
    "trig": ("trig", True, "application/trig", "trig"),
    "nquads": ("nquads", True, "application/n-quads", "nq"),
    "jsonld": ("json-ld", True, "application/ld+json", "jsonld"),
}

#: Characters XML 1.0 cannot hold, not even as a character reference.
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Characters a line-based reader may take for the end of a line (Python's
#: ``str.splitlines`` breaks at VT, FF, FS, GS, RS, NEL, U+2028 and U+2029), and the
#: other control characters: written as ``\u`` escapes in N-Triples and N-Quads.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_C0_NAMES = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT",
             "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
             "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")


def escape_controls(text: str) -> str:
    """Control characters and line separators as ``\\uXXXX`` escapes (valid in N-Triples
    literals and IRIs alike), so that every statement stays on one line.

    >>> escape_controls("a\\u2028b\\x85c\\x00d\\te")
    'a\\\\u2028b\\\\u0085c\\\\u0000d\\te'
    """
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def describe_char(char: str) -> str:
    """A character as ``U+XXXX (NAME)``, for messages.

    >>> describe_char("\\x00"), describe_char("\\ufffe")
    ('U+0000 (NUL)', 'U+FFFE (a noncharacter)')
    """
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    else:
        name = unicodedata.name(char, "") or ("a noncharacter" if code & 0xFFFE == 0xFFFE
                                              else "a control character")
    return f"U+{code:04X} ({name})"


def shown(text: str, limit: int = 60) -> str:
    """A term's text for a one-line message: escaped, and shortened when long.

    >>> shown('"a\\nb"')
    '"a\\\\nb"'
    """
    text = escape_controls(text.replace("\n", "\\n").replace("\r", "\\r"))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def xml_refusal(what: str, char: str, term: str, where: str, suggestion: str) -> KGError:
    """The one-line error for a character ``what`` (an XML format) cannot hold.

    >>> print(xml_refusal("RDF/XML", "\\x00", '"a\\\\u0000b"', " of <http://x/s>", "nquads"))
    RDF/XML cannot hold the character U+0000 (NUL) in the literal "a\\u0000b" of <http://x/s> \
(XML 1.0 forbids it, even escaped): use --format nquads
    """
    kind = "literal" if term.startswith('"') else "term"
    return KGError(f"{what} cannot hold the character {describe_char(char)} in the {kind} "
                   f"{shown(term)}{where} (XML 1.0 forbids it, even escaped): "
                   f"use --format {suggestion}")


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context: the project prefixes."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _oxigraph_copy(dataset: Dataset) -> Any:
    """The quads of an rdflib dataset in an in-memory Oxigraph store."""
    import pyoxigraph as ox

    from kg.store.oxigraph import to_ox

    memory = ox.Store()
    cache: dict[Any, Any] = {}

    def convert(node: Any) -> Any:
        found = cache.get(node)
        if found is None:
            try:
                found = cache[node] = to_ox(node)
            except ValueError as exc:  # Oxigraph refuses an IRI rdflib let through
                raise KGError(f"cannot write the term {shown(str(node))}: "
                              f"{' '.join(str(exc).split())}") from None
        return found

    def quads() -> Iterable[Any]:
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            graph = (ox.DefaultGraph() if name is None or name == DATASET_DEFAULT_GRAPH_ID
                     else convert(name))
            yield ox.Quad(convert(s), convert(p), convert(o), graph)

    memory.bulk_extend(quads())
    return memory


def _check_xml(store: Any, data: bytes) -> None:
    """Refuse RDF/XML output holding a character XML 1.0 cannot hold (found in the
    output first, then traced to its term)."""
    found = XML_FORBIDDEN.search(data.decode("utf-8", errors="surrogateescape"))
    if found is None:
        return
    char = found.group()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object):
            if char in str(term.value) or char in str(term):
                raise xml_refusal("RDF/XML", char, str(term), f" of {quad.subject}",
                                  "nquads (or trig, turtle, nt, jsonld)")
    raise xml_refusal("RDF/XML", char, "(unknown)", "", "nquads (or trig, turtle, nt, jsonld)")


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in one of :data:`FORMATS`, as UTF-8 bytes.

    All formats but JSON-LD are written by Oxigraph (an rdflib dataset is copied into an
    in-memory Oxigraph store first); JSON-LD by rdflib, with the project's context.
    """
    if fmt not in FORMATS:
        raise KGError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    _serializer, keeps_graphs, _media, _ext = FORMATS[fmt]
    if fmt == "jsonld":
        document = json.loads(dataset.serialize(format="json-ld", context=jsonld_context(),
                                                auto_compact=True))
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        return text.encode("utf-8", errors="backslashreplace")
    import pyoxigraph as ox

    from kg.store.oxigraph import dump, inner_store

    store = inner_store(dataset)
    if store is None:
        store = _oxigraph_copy(dataset)
    ox_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "xml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG,
                 "nquads": ox.RdfFormat.N_QUADS}[fmt]
    try:
        data = dump(store, ox_format, merged=not keeps_graphs)
    except (ValueError, SyntaxError) as exc:
        raise KGError(f"cannot write the graph as {fmt}: {' '.join(str(exc).split())}")\
            from None
    if fmt == "xml":
        _check_xml(store, data)
        return data.replace(b"\r", b"&#13;")  # a raw CR would be read back as a line feed
    if fmt in ("nquads", "nt"):  # line formats: one statement a line, sorted for stable diffs
        text = escape_controls(data.decode("utf-8"))
        lines = sorted(line for line in text.split("\n") if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8")
    return data
