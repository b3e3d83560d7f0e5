"""The TriG and Turtle files written graph by graph, so that a change to one source
rewrites its parts and copies the others.

A full build writes, for each named graph in build order (the registry, then the sources
in file order):

- its N-Triples, which SHACL validates and which, each line given the graph's name, the
  store loads as N-Quads;
- its *TriG part*: the graph's block, triples in reverse build order. ``kg.trig`` is the
  prefixes, then the parts in reverse build order (the registry last): byte for byte what
  an in-memory Oxigraph store loaded with the quads in build order dumps, as builds wrote
  it before;
- its *Turtle part*: the graph's triples not already in an earlier graph, in build order.
  ``kg.ttl`` is the prefixes, then the parts in build order: byte for byte the merged
  graph with each triple written once, where it first appears, as builds wrote it before.

Each part's length goes into the manifest. A build that changes some sources cuts the
old files at those lengths, serializes the changed sources' parts, and puts the files
together again. A TriG part depends on its graph alone. A Turtle part also depends on
which triples earlier graphs hold: when a changed source gains or loses a triple that
another source states too, the first other source stating it (:func:`first_holders`) has
its Turtle part made again.

>>> a, p = ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p")
>>> one, two = ox.Triple(a, p, ox.Literal("1")), ox.Triple(a, p, ox.Literal("2"))
>>> graphs = {URIRef("http://x/g1"): [one], URIRef("http://x/g2"): [one, two]}
>>> made = dict(serialize_graphs(graphs))
>>> [part.turtle for part in made.values()]  # "1" is written where it first appears
[b'<http://x/a> <http://x/p> "1" .\\n', b'<http://x/a> <http://x/p> "2" .\\n']
>>> joinable([part.turtle_ends for part in made.values()])  # but one subject ends and starts
False
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from kg.errors import KGError
from kg.store.oxigraph import _prefixes, to_ox

__all__ = ["GraphParts", "Serializer", "TermConverter", "earlier_held", "first_holders",
           "graph_triples", "header", "joinable", "merged_turtle", "nquads", "nquads_pieces",
           "quads_in", "registry_ntriples", "serialize_graphs", "splice", "split",
           "trig_file", "trig_part", "turtle_file", "turtle_part"]

_FACT_LINE = (b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
              b"<https://w3id.org/diplomacy-kg/ontology#Fact> .\n")


@functools.cache
def header() -> bytes:
    """The prefix lines that start ``kg.trig`` and ``kg.ttl`` (Oxigraph writes the same
    ones in both)."""
    x = ox.NamedNode("urn:x")
    line = b"<urn:x> <urn:x> <urn:x> .\n"
    data = ox.serialize([ox.Triple(x, x, x)], format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    assert data is not None and data.endswith(line)
    return bytes(data[:-len(line)])


def _body(data: bytes | None) -> bytes:
    """Serialized data without the prefix lines."""
    if not data:
        return b""
    start = header()
    assert data.startswith(start)
    return bytes(data[len(start):])


class TermConverter:
    """rdflib terms as Oxigraph terms, each converted once."""

    def __init__(self) -> None:
        self._cache: dict[Node, Any] = {}

    def __call__(self, node: Node) -> Any:
        found = self._cache.get(node)
        if found is None:
            found = self._cache[node] = to_ox(node)
        return found

    def triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
        """The triples as Oxigraph triples, in the same order."""
        convert = self.__call__
        return [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in triples]


@dataclass
class GraphParts:
    """One named graph serialized: its N-Triples, its TriG and Turtle parts, and how many
    fact nodes (``rdf:type dip:Fact``) it holds."""

    ntriples: bytes
    trig: bytes
    turtle: bytes
    fact_nodes: int
    #: The subjects of the first and last triple of the Turtle part (None when empty):
    #: parts are put together unchanged only where these differ (see :func:`joinable`).
    turtle_ends: tuple[Any, Any] | None = None
    #: The graph's triples in build order, when asked to keep them.
    triples: list[ox.Triple] | None = None


def trig_part(name: URIRef, triples: Sequence[ox.Triple]) -> bytes:
    """The graph's block of ``kg.trig``: its triples in reverse build order.

    Oxigraph's TriG serializer writes a graph's block as its Turtle serializer writes the
    triples, each line indented by a tab (literals keep their line breaks escaped), after
    the graph's name: the block is made so, without a quad object per triple.
    """
    body = turtle_part(triples[::-1])
    if not body:
        return b""
    return _graph_line(str(name)) + b"\t" + body[:-1].replace(b"\n", b"\n\t") + b"\n}\n"


def _graph_line(name: str) -> bytes:
    """The line opening a graph's block in TriG (its name, shortened by a prefix)."""
    x = ox.NamedNode("urn:x")
    block = _body(ox.serialize([ox.Quad(x, x, x, ox.NamedNode(name))],
                               format=ox.RdfFormat.TRIG, prefixes=_prefixes()))
    return block[:block.index(b"\n") + 1]


def turtle_part(triples: Sequence[ox.Triple]) -> bytes:
    """The triples (those of a graph that no earlier graph holds) as ``kg.ttl`` writes
    them."""
    return _body(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes()))


def serialize_graphs(graphs: Mapping[URIRef, Iterable[Any]],
                     convert: TermConverter | None = None, *, keep: bool = False,
                     exports: bool = True, consume: bool = False
                     ) -> Iterator[tuple[URIRef, GraphParts]]:
    """Every graph's parts, in the mapping's order (build order), by one
    :class:`Serializer`. With ``consume`` (and a dict) each graph is taken out of
    ``graphs`` once serialized, so its memory serves the next."""
    serializer = Serializer(convert, keep=keep, exports=exports)
    for name in list(graphs):
        given = graphs.pop(name) if consume else graphs[name]  # type: ignore[attr-defined]
        yield name, serializer.graph(name, given)


class Serializer:
    """Makes the parts of graphs given one at a time in build order, triples given as
    rdflib terms or as Oxigraph triples (kept in the parts when ``keep``). A triple is
    written in the Turtle part of the first graph holding it. Without ``exports`` only
    the N-Triples and the count of fact nodes are made."""

    def __init__(self, convert: TermConverter | None = None, *, keep: bool = False,
                 exports: bool = True):
        self.convert = convert or TermConverter()
        self.keep = keep
        self.exports = exports
        self._seen: set[bytes] = set()

    def graph(self, name: URIRef, given: Iterable[Any]) -> GraphParts:
        """The parts of the next graph."""
        convert = self.convert
        triples = [t if isinstance(t, ox.Triple) else ox.Triple(convert(t[0]), convert(t[1]),
                                                                 convert(t[2]))
                   for t in given]
        ntriples = bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        lines = ntriples.split(b"\n")
        lines.pop()  # after the last newline
        if len(set(lines)) < len(lines):
            # terms rdflib tells apart and Oxigraph does not (a plain literal and the same
            # literal typed xsd:string): the graph holds the triple once, where it first came
            triples = list(dict.fromkeys(triples))
            ntriples = bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
            lines = ntriples.split(b"\n")
            lines.pop()
        kept = triples if self.keep else None
        if not self.exports:
            return GraphParts(ntriples, b"", b"", ntriples.count(_FACT_LINE), None, kept)
        seen = self._seen
        first = [t for t, line in zip(triples, lines, strict=True) if line not in seen]
        seen.update(lines)
        ends = (first[0].subject, first[-1].subject) if first else None
        return GraphParts(ntriples, trig_part(name, triples), turtle_part(first),
                          ntriples.count(_FACT_LINE), ends, kept)


def nquads_pieces(parts: Mapping[URIRef, GraphParts], size: int = 100_000
                  ) -> Iterator[bytes]:
    """The graphs' N-Triples as N-Quads, in pieces of about ``size`` lines (for
    :func:`kg.store.oxigraph.write_new_store`)."""
    piece: list[bytes] = []
    lines = 0
    for name, part in parts.items():
        piece.append(nquads(name, part.ntriples))
        lines += part.ntriples.count(b"\n")
        if lines >= size:
            yield b"".join(piece)
            piece, lines = [], 0
    if piece:
        yield b"".join(piece)


def nquads(name: URIRef, ntriples: bytes) -> bytes:
    """A graph's N-Triples as N-Quads in the graph ``name`` (N-Triples escape line
    breaks inside literals, so every `` .\\n`` ends a line)."""
    return ntriples.replace(b" .\n", f" <{name}> .\n".encode())


def trig_file(parts: Sequence[bytes]) -> bytes:
    """``kg.trig`` from the graphs' TriG parts in build order."""
    return header() + b"".join(reversed(parts))


def turtle_file(parts: Sequence[bytes]) -> bytes:
    """``kg.ttl`` from the graphs' Turtle parts in build order (see :func:`joinable`)."""
    return header() + b"".join(parts)


def joinable(ends: Sequence[tuple[Any, Any] | None]) -> bool:
    """Whether Turtle parts with these first and last subjects put together are the
    Turtle of all their triples: the serializer would join a part's first triple to the
    previous part's last one when both have the same subject. A source's part starts
    with the source's own node, which no other graph describes, so this always holds
    for graphs that ``kg build`` writes."""
    last = None
    for end in ends:
        if end is None:
            continue
        if last is not None and end[0] == last:
            return False
        last = end[1]
    return True


def split(data: bytes, lengths: Sequence[int], start: int) -> list[bytes] | None:
    """``data`` cut into pieces of ``lengths`` after its first ``start`` bytes, or None
    when they do not add up to its size."""
    if start + sum(lengths) != len(data) or any(n < 0 for n in lengths):
        return None
    pieces = []
    offset = start
    for length in lengths:
        pieces.append(data[offset:offset + length])
        offset += length
    return pieces


def first_holders(store: ox.Store, triples: Iterable[ox.Triple],
                  position: Callable[[str], int | None], registry: str) -> set[str]:
    """The graphs whose Turtle part may change when these triples come into or leave
    other graphs: for each triple no registry states, the earliest graph (by
    ``position``; None for graphs left out) that holds it in ``store``."""
    found: set[str] = set()
    for triple in triples:
        holders = [quad.graph_name.value for quad in store.quads_for_pattern(
            triple.subject, triple.predicate, triple.object, None)
            if isinstance(quad.graph_name, ox.NamedNode)]
        if registry in holders:
            continue
        placed = [(index, name) for name in holders if (index := position(name)) is not None]
        if placed:
            found.add(min(placed)[1])
    return found


def earlier_held(store: ox.Store, triples: Sequence[ox.Triple], before: Callable[[str], bool]
                 ) -> list[ox.Triple]:
    """The triples that no graph for which ``before`` is true holds in ``store`` (a
    graph's Turtle part, given the graphs that come before it)."""
    kept = []
    for triple in triples:
        if not any(isinstance(quad.graph_name, ox.NamedNode) and before(quad.graph_name.value)
                   for quad in store.quads_for_pattern(triple.subject, triple.predicate,
                                                       triple.object, None)):
            kept.append(triple)
    return kept


def merged_turtle(graphs: Iterable[bytes], *, turtle: bool = False) -> bytes:
    """``kg.ttl`` written in one piece (for graphs whose parts are not :func:`joinable`),
    from the graphs' N-Triples in build order, each triple where it first appears, or from
    the parts put together (``turtle``: each triple once already)."""
    fmt = ox.RdfFormat.TURTLE if turtle else ox.RdfFormat.N_TRIPLES
    triples: dict[ox.Triple, None] = {}
    for data in graphs:
        triples.update(dict.fromkeys(ox.parse(data, format=fmt)))
    return header() + turtle_part(list(triples))


def registry_ntriples(trig: bytes, length: int) -> bytes:
    """The registry's graph as N-Triples, read from its part of ``kg.trig`` (the last
    ``length`` bytes)."""
    quads = ox.parse(header() + trig[len(trig) - length:], format=ox.RdfFormat.TRIG)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")


def graph_triples(store: ox.Store, name: URIRef | str) -> Iterator[ox.Triple]:
    """The triples of one named graph of ``store``."""
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
        yield ox.Triple(quad.subject, quad.predicate, quad.object)


def quads_in(name: URIRef | str, triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """The triples as quads of the graph ``name``."""
    graph = ox.NamedNode(str(name))
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def splice(store: ox.Store, old: tuple[bytes, bytes], old_order: Sequence[str],
           old_parts: Mapping[str, Any], registry_parts: Mapping[str, int],
           order: Sequence[str], graph_of: Mapping[str, str],
           changed: Mapping[str, GraphParts], before: Mapping[str, set[ox.Triple]],
           rebuild: Callable[[str], list[ox.Triple]], registry: str
           ) -> tuple[tuple[bytes, bytes], dict[str, dict[str, int]]]:
    """The TriG and Turtle files after a change to some sources, from the files before it
    (``old``, whose parts have the lengths ``old_parts`` per source file and
    ``registry_parts``, sources in ``old_order``) and ``store`` (already changed).

    ``order`` is the source files now, in build order, ``graph_of`` each one's graph;
    ``changed`` holds the parts of the graphs written anew (with their triples), and
    ``before`` what each changed or removed graph held before. An unchanged source whose
    Turtle part changes (:func:`first_holders`) is built again by ``rebuild`` (its triples
    in build order). Returns the two files and the length of each source's parts.
    """
    start = len(header())
    trig_pieces = split(old[0], [old_parts[name]["trig"] for name in reversed(old_order)]
                        + [registry_parts["trig"]], start)
    turtle_pieces = split(old[1], [registry_parts["turtle"]]
                          + [old_parts[name]["turtle"] for name in old_order], start)
    if trig_pieces is None or turtle_pieces is None:
        raise KGError("the exports are not cut as the manifest says: run `kg build --full`")
    old_trig = dict(zip(reversed(old_order), trig_pieces, strict=False))
    old_turtle = dict(zip(old_order, turtle_pieces[1:], strict=True))
    name_of = {graph: name for name, graph in graph_of.items()}
    position = {graph_of[name]: index for index, name in enumerate(order)}
    written = set(changed) | set(before)
    diff: set[ox.Triple] = set()
    for graph in written:
        now = set(changed[graph].triples or []) if graph in changed else set()
        diff |= now ^ before.get(graph, set())
    again = {graph: rebuild(name_of[graph]) for graph in first_holders(
        store, diff, lambda graph: None if graph in written else position.get(graph), registry)}
    again.update({graph: part.triples or [] for graph, part in changed.items()})
    turtle: dict[str, bytes] = {}
    for graph, triples in again.items():
        place = position[graph]
        turtle[graph] = turtle_part(earlier_held(
            store, triples, lambda other, place=place: other == registry  # type: ignore[misc]
            or position.get(other, place) < place))
    trig_parts, turtle_parts, lengths = [], [], {}
    for name in order:
        graph = graph_of[name]
        trig = changed[graph].trig if graph in changed else old_trig[name]
        ttl = turtle[graph] if graph in turtle else old_turtle[name]
        trig_parts.append(trig)
        turtle_parts.append(ttl)
        lengths[name] = {"trig": len(trig), "turtle": len(ttl)}
    return ((header() + b"".join(reversed(trig_parts)) + trig_pieces[-1],
             header() + turtle_pieces[0] + b"".join(turtle_parts)), lengths)
