"""The built graph on disk in an Oxigraph store (pyoxigraph), opened without re-parsing.

Oxigraph parses, queries and serializes an order of magnitude faster than rdflib's
memory store. Queries go to Oxigraph's own SPARQL engine (with the union of the named
graphs as default graph); code that wants the rdflib API gets an rdflib ``Dataset``
backed by the same store through oxrdflib. Terms are converted here, in one place, so
that a plain literal stays a plain literal (Oxigraph reports it as ``xsd:string``,
which rdflib would compare as a different term).

A build never changes the store readers have open: it writes a new store (or a cheap
copy of the current one, for an incremental build) and swaps it in whole
(:func:`replace_store`); readers retry an opening that a swap interrupted
(:func:`open_store`).

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

import functools
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier, Node

from kg.errors import KGError, QueryError
from kg.graph.namespaces import PREFIXES

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


#: Datatype IRIs met so far (the first 1,024), each made an rdflib term once.
_DATATYPES: dict[str, URIRef] = {}


def from_ox(term: object) -> Node:
    """An Oxigraph term as an rdflib term (``xsd:string`` literals become plain literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        # normalize=False: a string's lexical form is its value, so rdflib's round trip
        # through the value (most of the time it takes to make a literal) changes nothing
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value, normalize=False)
        found = _DATATYPES.get(datatype)
        if found is None:
            found = URIRef(datatype)
            if len(_DATATYPES) < 1024:
                _DATATYPES[datatype] = found
        return Literal(term.value, datatype=found)
    raise KGError(f"unexpected term from the store: {term!r}")


#: A file beside the database in a store folder, naming the build that wrote the store
#: (the manifest names it too, so a store and a manifest from different builds are told
#: apart). The database ignores files it does not know.
MARKER_FILE = "kg-build"


def write_new_store(path: Path, nquads: bytes | Iterable[bytes]) -> None:
    """Create a store at ``path`` (which must not exist) and bulk-load N-Quads into it
    (given whole, or in pieces of whole lines: Oxigraph's loader holds a piece's quads
    in memory while it sorts them; at a million quads, pieces of 100,000 took the same
    time as one piece and some 500 MB less)."""
    if path.exists():
        raise KGError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(path))
    for piece in [nquads] if isinstance(nquads, bytes) else nquads:
        if piece:
            store.bulk_load(input=piece, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store


class StoreWriter:
    """Writes a new store (:func:`write_new_store`) in a thread, as a context: Oxigraph's
    loader lets the interpreter go on, so a build goes on meanwhile. N-Quads come whole
    lines at a time (``nquads``, and :meth:`put`), and are loaded in pieces of about
    ``piece`` lines. On leaving, waits for the store, and removes it when the block or
    the writing failed (the writing's error is raised then).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "store"
    >>> with StoreWriter(path) as writer:
    ...     writer.put(b"<http://x/a> <http://x/p> <http://x/o> <http://x/g> .\\n")
    >>> len(ox.Store.read_only(str(path)))
    1
    """

    def __init__(self, path: Path, nquads: Iterable[bytes] = (), *, piece: int = 100_000):
        import queue
        import threading

        self.path = path
        self.error: BaseException | None = None
        self._given = nquads
        self._piece = piece
        self._buffer: list[bytes] = []
        self._lines = 0
        self._stopped = False
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._thread = threading.Thread(target=self._write, name="kg-store-writer",
                                        daemon=True)

    def _pieces(self) -> Iterator[bytes]:
        while (piece := self._queue.get()) is not None:
            if not self._stopped:
                yield piece

    def _write(self) -> None:
        pieces = self._pieces()
        try:
            write_new_store(self.path, pieces)
        except BaseException as exc:  # raised again in the caller
            self.error = exc
            for _ in pieces:  # take what is still sent, so that no sender waits for ever
                pass

    def put(self, nquads: bytes) -> None:
        """More N-Quads (whole lines)."""
        self._buffer.append(nquads)
        self._lines += nquads.count(b"\n")
        if self._lines >= self._piece:
            self._queue.put(b"".join(self._buffer))
            self._buffer, self._lines = [], 0

    def __enter__(self) -> StoreWriter:
        self._thread.start()
        for nquads in self._given:
            self.put(nquads)
        return self

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        if kind is None and self._buffer:
            self._queue.put(b"".join(self._buffer))
        self._buffer = []
        self._stopped = kind is not None
        self._queue.put(None)
        self._thread.join()
        if kind is not None or self.error is not None:
            shutil.rmtree(self.path, ignore_errors=True)
        if kind is None and self.error is not None:
            raise self.error


def copy_store(source: Path, target: Path) -> None:
    """A copy of the store at ``source`` in ``target`` (which must not exist), cheaply: the
    database's own checkpoint, whose immutable files are hard links where possible."""
    if target.exists():
        raise KGError(f"{target} already exists")
    opened = open_store(source, retry=False)
    try:
        opened.backup(str(target))
    except (OSError, RuntimeError) as exc:
        raise KGError(f"{source}: cannot copy the store ({' '.join(str(exc).split())}): "
                      "rebuild it with `kg build --full`") from None
    del opened


def write_marker(path: Path, build: str) -> None:
    """Name the build that wrote the store at ``path`` (see :data:`MARKER_FILE`)."""
    (path / MARKER_FILE).write_text(build + "\n", "utf-8")


def read_marker(path: Path) -> str | None:
    """The build named in the store at ``path``, or None."""
    try:
        return (path / MARKER_FILE).read_text("utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def replace_store(new: Path, target: Path) -> None:
    """Put the store written at ``new`` in place of ``target``, then delete the one it
    replaces.

    Where the system can exchange two folders in one step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``) a reader opening ``target`` meanwhile finds the old store or
    the new one, never none; elsewhere there is a moment without a store, which
    :func:`open_store` waits out while a build runs. A reader that opened the old store
    keeps reading it: its files stay open after they are deleted.
    """
    if target.is_symlink():
        target.unlink()
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # the old store, now under the new one's name
        return
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    import ctypes
    import errno
    import os

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                 rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def open_store(path: Path, *, writable: bool = False, retry: bool = True) -> ox.Store:
    """Open a store written by ``kg build`` (read-only unless ``writable``).

    A store swapped in by a build while it is being opened fails to open; the opening is
    then tried again for a moment (``retry``), so a reader gets the old store or the new
    one. A damaged store is one ``KGError`` naming the fix.
    """
    import time

    from kg.store.files import build_running

    deadline = time.monotonic() + (0.5 if retry else 0.0)
    delay = 0.02
    while True:
        running = retry and build_running(path.parent)
        if running:
            deadline = max(deadline, time.monotonic() + 10.0)
        if not (path / "CURRENT").is_file():
            if running and time.monotonic() < deadline:
                time.sleep(delay)
                continue
            raise KGError(f"{path}: no Oxigraph store here: run `kg build` first")
        try:
            return ox.Store(str(path)) if writable else ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if time.monotonic() >= deadline:
                detail = " ".join(str(exc).split())
                if writable and "lock" in detail.lower():
                    raise KGError(f"{path}: cannot open the store ({detail}); is another "
                                  "program writing it?") from None
                raise KGError(f"{path}: cannot open the store ({detail}): rebuild it with "
                              "`kg build`") from None
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def as_dataset(store: ox.Store) -> Dataset:
    """An rdflib Dataset over the store (rdflib API; default graph = union of graphs)."""
    from oxrdflib import OxigraphStore

    dataset = Dataset(store=OxigraphStore(store=store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def inner_store(dataset: Dataset) -> ox.Store | None:
    """The Oxigraph store behind an rdflib Dataset, if it has one."""
    store = dataset.store
    if isinstance(store, _oxrdflib_store()):
        return store._inner  # type: ignore[attr-defined,no-any-return]
    return None


@functools.cache
def _oxrdflib_store() -> type:
    """oxrdflib's store class, imported once (every query asks)."""
    from oxrdflib import OxigraphStore

    return OxigraphStore


def query(store: ox.Store, text: str) -> Result:
    """Run SPARQL on Oxigraph (default graph = union of the named graphs) as an rdflib Result.

    The caller screens the query first (:func:`kg.sparql.guard.screen`).
    """
    try:
        return _answer(store.query(text, use_default_graph_as_union=True))
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:  # results come lazily
        raise QueryError(f"query failed: {' '.join(str(exc).split())}") from None


class _Solutions(Result):
    """A SELECT result whose rows are made without building their labels anew each time
    (rdflib's ``ResultRow`` does, one dict a row); rows are the same ``ResultRow``s."""

    def __iter__(self) -> Iterator[Any]:
        if self.type != "SELECT" or self._genbindings:
            yield from super().__iter__()
            return
        names = list(self.vars or [])
        labels = {str(name): number for number, name in enumerate(names)}
        for binding in self._bindings:
            if binding:  # as rdflib does: a solution binding nothing is no row
                row = tuple.__new__(ResultRow, [binding.get(name) for name in names])
                row.labels = labels
                yield row


def _answer(answer: Any) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, ox.QuerySolutions):
        result = _Solutions("SELECT")
        names = [Variable(v.value) for v in answer.variables]
        result.vars = names
        rows: list[Mapping[Variable, Identifier]] = []
        converted: dict[object, Identifier] = {}  # a term repeated in the rows: converted once
        for solution in answer:
            row: dict[Variable, Identifier] = {}
            for name, value in zip(names, solution, strict=True):
                if value is not None:
                    term = converted.get(value)
                    if term is None:
                        term = converted[value] = cast(Identifier, from_ox(value))
                    row[name] = term
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


_DISTINCT_TRIPLES = ("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o "
                     "WHERE { ?s ?p ?o } }")


def dump(store: ox.Store, fmt: ox.RdfFormat, *, merged: bool = False) -> bytes:
    """Serialize the store: all quads (TriG, N-Quads) or all triples merged (Turtle, ...).

    For merged output each triple stated by several sources is written once.
    """
    if merged:
        # the distinct triples of every graph, streamed from Oxigraph's query to its
        # serializer (no Python set of every triple)
        triples = store.query(_DISTINCT_TRIPLES, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        data = ox.serialize(triples, format=fmt, prefixes=_prefixes())
        assert data is not None
        return data
    data = store.dump(format=fmt, prefixes=_prefixes())
    assert data is not None
    return data
