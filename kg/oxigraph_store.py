"""The built graph on disk in an Oxigraph store (pyoxigraph), opened without re-parsing.

Oxigraph parses, queries and serializes an order of magnitude faster than rdflib's
memory store. Queries go to Oxigraph's own SPARQL engine (with the union of the named
graphs as default graph); code that wants the rdflib API gets an rdflib ``Dataset``
backed by the same store through oxrdflib. Terms are converted here, in one place, so
that a plain literal stays a plain literal (Oxigraph reports it as ``xsd:string``,
which rdflib would compare as a different term).

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> path = Path(tempfile.mkdtemp()) / "store"
>>> quad = ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("v"),
...                ox.NamedNode("http://x/g"))
>>> write_new_store(path, ox.serialize([quad], format=ox.RdfFormat.N_QUADS))
>>> store = open_store(path)
>>> [row["o"] for row in query(store, "SELECT ?o WHERE { ?s ?p ?o }")]
[rdflib.term.Literal('v')]
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Identifier, Node

from kg.errors import KGError, QueryError
from kg.namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(node: Node) -> OxTerm:
    """An rdflib term as an Oxigraph term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise KGError(f"cannot store the term {node!r}")


def from_ox(term: object) -> Node:
    """An Oxigraph term as an rdflib term (``xsd:string`` literals become plain literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise KGError(f"unexpected term from the store: {term!r}")


def write_new_store(path: Path, nquads: bytes) -> None:
    """Create a store at ``path`` (which must not exist) and bulk-load N-Quads into it."""
    if path.exists():
        raise KGError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(path))
    store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store


def replace_store(new: Path, target: Path) -> None:
    """Move a freshly written store into place, then delete the one it replaces."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def open_store(path: Path, *, writable: bool = False) -> ox.Store:
    """Open a store written by ``kg build``."""
    if not (path / "CURRENT").is_file():
        raise KGError(f"{path}: no Oxigraph store here: run `kg build` first")
    try:
        return ox.Store(str(path)) if writable else ox.Store.read_only(str(path))
    except OSError as exc:
        raise KGError(f"{path}: cannot open the store ({exc}); is another `kg build` "
                      "writing it?") from None


def as_dataset(store: ox.Store) -> Dataset:
    """An rdflib Dataset over the store (rdflib API; default graph = union of graphs)."""
    from oxrdflib import OxigraphStore

    dataset = Dataset(store=OxigraphStore(store=store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def inner_store(dataset: Dataset) -> ox.Store | None:
    """The Oxigraph store behind an rdflib Dataset, if it has one."""
    from oxrdflib import OxigraphStore

    store = dataset.store
    if isinstance(store, OxigraphStore):
        return store._inner
    return None


def query(store: ox.Store, text: str) -> Result:
    """Run SPARQL on Oxigraph (default graph = union of the named graphs) as an rdflib Result.

    The caller checks the query first (:func:`kg.sparql_guard.ensure_local`).
    """
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"query failed: {' '.join(str(exc).split())}") from None
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        names = [Variable(v.value) for v in answer.variables]
        result.vars = names
        rows: list[Mapping[Variable, Identifier]] = []
        for solution in answer:
            row: dict[Variable, Identifier] = {}
            for name, value in zip(names, solution, strict=True):
                if value is not None:
                    row[name] = cast(Identifier, from_ox(value))
            rows.append(row)
        result.bindings = rows
        return result
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in answer:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    result = Result("CONSTRUCT")
    result.graph = graph
    return result


def replace_graphs(store: ox.Store, graphs: dict[URIRef, list[ox.Quad]],
                   removed: Iterable[URIRef]) -> None:
    """Replace named graphs and drop others, all in one transaction (one SPARQL update)."""
    parts = [f"DROP SILENT GRAPH <{name}>" for name in removed]
    for name, quads in graphs.items():
        parts.append(f"DROP SILENT GRAPH <{name}>")
        if quads:
            body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
            parts.append(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}\n}} }}")
    if parts:
        store.update(" ;\n".join(parts))


def quads_of(graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> list[ox.Quad]:
    """Named graphs of rdflib triples as Oxigraph quads (each term converted once)."""
    cache: dict[Node, Any] = {}

    def convert(node: Node) -> Any:
        found = cache.get(node)
        if found is None:
            found = cache[node] = to_ox(node)
        return found

    quads: list[ox.Quad] = []
    for name, triples in graphs.items():
        graph_name = ox.NamedNode(str(name))
        quads.extend(ox.Quad(convert(s), convert(p), convert(o), graph_name)
                     for s, p, o in triples)
    return quads


def merged_turtle(quads: Iterable[ox.Quad], fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """The union of the quads' graphs, each triple once, with the project prefixes
    (Turtle unless ``fmt`` says otherwise).

    >>> a = ox.NamedNode("http://x/a")
    >>> merged_turtle([ox.Quad(a, a, a, ox.NamedNode("http://x/g1")),
    ...                ox.Quad(a, a, a, ox.NamedNode("http://x/g2"))]).count(b"<http://x/a>")
    3
    """
    triples = dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    data = ox.serialize(triples, format=fmt, prefixes=_prefixes())
    assert data is not None
    return data


def _prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def dump(store: ox.Store, fmt: ox.RdfFormat, *, merged: bool = False) -> bytes:
    """Serialize the store: all quads (TriG, N-Quads) or all triples merged (Turtle, ...).

    For merged output each triple stated by several sources is written once.
    """
    if merged:
        return merged_turtle(store.quads_for_pattern(None, None, None, None), fmt)
    data = store.dump(format=fmt, prefixes=_prefixes())
    assert data is not None
    return data
