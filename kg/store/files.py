"""Files of a build: written atomically, checked against the manifest, graph files (TriG,
or any RDF syntax by extension) opened as datasets, and the lock that lets one build at a
time write a build folder.

Which files a build folder holds, and how commands open them, is
:mod:`kg.store.layout`'s to say.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_atomically({folder / "a.txt": b"hello"})
>>> (folder / "a.txt").read_text()
'hello'
>>> file_record(folder / "a.txt")["size"]
5
>>> with build_lock(folder):
...     (folder / LOCK_FILE).is_file()
True
>>> (folder / LOCK_FILE).exists()
False
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from rdflib import Dataset

from kg.errors import KGError
from kg.graph.namespaces import PREFIXES
from kg.store.layout import BuildFolder

#: The name of a build's lock file (:attr:`kg.store.layout.BuildFolder.lock`).
LOCK_FILE = BuildFolder.LOCK


def write_atomically(contents: dict[Path, bytes]) -> None:
    """Write several files so that each is either fully written or untouched.

    Every file is first written to a temporary file beside its target; only when all
    are written are they renamed into place (a rename is atomic on one file system).
    """
    staged: list[tuple[Path, Path]] = []
    mask = os.umask(0)
    os.umask(mask)
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                                 suffix=".tmp")
            staged.append((Path(temp_name), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp_name, 0o666 & ~mask)  # mkstemp makes 0600; files are for sharing
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _target in staged:
            if temp.exists():
                temp.unlink()


def stray_temp_files(folder: Path, names: tuple[str, ...]) -> list[Path]:
    """Temporary files :func:`write_atomically` left beside ``names`` in ``folder`` (a
    process killed before its rename leaves one).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".kg.ttl.x1y2.tmp").write_text("half")
    >>> [p.name for p in stray_temp_files(folder, ("kg.ttl", "kg.trig"))]
    ['.kg.ttl.x1y2.tmp']
    """
    if not folder.is_dir():
        return []
    return sorted(path for name in names for path in folder.glob(f".{name}.*.tmp")
                  if path.is_file())


def file_record(path: Path) -> dict[str, int | str]:
    """What a file holds, as the manifest records it: its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return {"size": size, "sha256": digest.hexdigest()}


def file_problem(path: Path, record: object) -> str | None:
    """Why ``path`` does not hold what ``record`` (from :func:`file_record`) says, or None.

    The size is compared first, so a truncated file costs no hashing.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "f"
    >>> _ = path.write_bytes(b"abc")
    >>> record = file_record(path)
    >>> file_problem(path, record) is None
    True
    >>> _ = path.write_bytes(b"ab")
    >>> file_problem(path, record)
    'holds 2 bytes, not the 3 written'
    """
    if not isinstance(record, dict) or not {"size", "sha256"} <= set(record):
        return "is not recorded in the manifest"
    if not path.is_file():
        return "is missing"
    try:
        size = path.stat().st_size
        if size != record["size"]:
            return f"holds {size} bytes, not the {record['size']} written"
        if file_record(path)["sha256"] != record["sha256"]:
            return "does not hold what was written (its SHA-256 differs)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


@contextmanager
def build_lock(folder: Path, *, wait: bool = True,
               on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the build lock of ``folder`` (``fcntl.flock`` on its
    :attr:`~kg.store.layout.BuildFolder.lock` file).

    Another holder makes this wait (calling ``on_wait`` once first), or, with
    ``wait=False``, raise :class:`KGError`. The lock file is removed on release, so an
    idle folder holds only the outputs; a waiter that locked a file removed meanwhile
    notices (the path no longer names its file) and locks the new one. Creates
    ``folder`` if needed, and removes it again if it is left empty.
    """
    import fcntl

    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    path = BuildFolder(folder).lock
    waited = False
    try:
        while True:
            folder.mkdir(parents=True, exist_ok=True)  # a holder that made it may remove it
            try:
                handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            except FileNotFoundError:
                continue
            try:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not wait:
                        raise KGError(f"another `kg build` is writing {folder}: try again when "
                                      "it is done, or leave out --no-wait to wait for it")\
                            from None
                    if not waited and on_wait is not None:
                        on_wait()
                    waited = True
                    fcntl.flock(handle, fcntl.LOCK_EX)
                if _same_file(handle, path):
                    break
            except BaseException:
                os.close(handle)
                raise
            os.close(handle)  # the holder removed the file we locked: lock the new one
        try:
            yield
        finally:
            try:
                path.unlink()  # while still locked: a waiter on this file then retries
            finally:
                os.close(handle)
    finally:
        if created:
            with suppress(OSError):  # only when empty: a build that wrote nothing leaves none
                folder.rmdir()


def _same_file(handle: int, path: Path) -> bool:
    try:
        here, there = os.fstat(handle), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def build_running(folder: Path) -> bool:
    """Whether a build seems to be writing ``folder`` (its lock file is there; a build
    killed outright leaves it too, until the next build). A reader that finds no store
    then waits a moment for one being swapped in rather than failing at once.

    >>> import tempfile
    >>> build_running(Path(tempfile.mkdtemp()))
    False
    """
    return BuildFolder(folder).lock.exists()


#: The RDF syntaxes a graph file may be in, by file extension (lower case): the syntax's
#: name, its ``pyoxigraph.RdfFormat`` member and rdflib's parser.
RDF_SYNTAXES: dict[str, tuple[str, str, str]] = {
    ".trig": ("TriG", "TRIG", "trig"),
    ".ttl": ("Turtle", "TURTLE", "turtle"),
    ".nt": ("N-Triples", "N_TRIPLES", "nt"),
    ".nq": ("N-Quads", "N_QUADS", "nquads"),
    ".rdf": ("RDF/XML", "RDF_XML", "xml"),
    ".owl": ("RDF/XML", "RDF_XML", "xml"),
    ".xml": ("RDF/XML", "RDF_XML", "xml"),
    ".jsonld": ("JSON-LD", "JSON_LD", "json-ld"),
}


def rdf_syntax(path: Path) -> str:
    """The name of the RDF syntax of a file, by its extension; a one-line
    :class:`KGError` for an extension that names none.

    >>> rdf_syntax(Path("graph.TTL")), rdf_syntax(Path("ontology.owl"))
    ('Turtle', 'RDF/XML')
    >>> rdf_syntax(Path("graph.txt"))
    Traceback (most recent call last):
    ...
    kg.errors.KGError: graph.txt: unknown RDF file extension '.txt': use .trig, .ttl, .nt, \
.nq, .rdf, .owl, .xml or .jsonld
    """
    found = RDF_SYNTAXES.get(path.suffix.lower())
    if found is None:
        known = list(RDF_SYNTAXES)
        extension = repr(path.suffix) if path.suffix else "(none)"
        raise KGError(f"{path}: unknown RDF file extension {extension}: use "
                      f"{', '.join(known[:-1])} or {known[-1]}")
    return found[0]


def load_rdf(path: Path, *, store: str = "oxigraph") -> Dataset:
    """Open a graph file in any RDF syntax, chosen by its extension (:data:`RDF_SYNTAXES`),
    as a dataset whose default graph is the union of its graphs. Triple syntaxes (Turtle,
    N-Triples, RDF/XML) fill the default graph; a ``.trig`` file is read by
    :func:`load_trig`.

    ``store`` is as for :func:`load_trig`. A JSON-LD file is always read by Oxigraph's
    parser, which never fetches a remote ``@context`` (rdflib's would, over the network).
    """
    syntax = rdf_syntax(path)
    if syntax == "TriG":
        return load_trig(path, store=store)
    if not path.is_file():
        raise KGError(f"{path}: no such file")
    _, ox_name, parser = RDF_SYNTAXES[path.suffix.lower()]
    if store == "oxigraph" or syntax == "JSON-LD":
        import pyoxigraph as ox

        from kg.store.oxigraph import as_dataset

        memory = ox.Store()
        try:
            memory.bulk_load(path=str(path), format=getattr(ox.RdfFormat, ox_name),
                             base_iri=path.resolve().as_uri())
        except (SyntaxError, ValueError) as exc:
            raise KGError(f"{path}: not a readable {syntax} file "
                          f"({' '.join(str(exc).split())})") from None
        if store == "oxigraph":
            return as_dataset(memory)
        return _memory_copy(memory)
    dataset = _memory_dataset()
    try:
        dataset.parse(path, format=parser)
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise KGError(f"{path}: not a readable {syntax} file "
                      f"({' '.join(str(exc).split())})") from None
    return dataset


def _memory_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def _memory_copy(store: object) -> Dataset:
    """The quads of an Oxigraph store in an rdflib memory dataset."""
    import pyoxigraph as ox
    from rdflib import Graph

    from kg.store.oxigraph import from_ox

    dataset = _memory_dataset()
    assert isinstance(store, ox.Store)
    graphs: dict[object, Graph] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        name = quad.graph_name
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = (dataset.default_graph if isinstance(name, ox.DefaultGraph)
                                    else dataset.graph(from_ox(name)))  # type: ignore[arg-type]
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return dataset


def load_trig(path: Path, *, store: str = "oxigraph") -> Dataset:
    """Open a TriG file (as ``kg build`` writes them) as a dataset (default graph = union).
    To open whatever a build folder holds, use :func:`kg.store.layout.open_built`.

    ``store="oxigraph"`` parses with Oxigraph into an in-memory Oxigraph store (fast;
    queries run on Oxigraph's engine); ``store="memory"`` uses rdflib's parser and
    memory store.
    """
    if not path.is_file():
        raise KGError(f"{path}: no built graph here: run `kg build` first, or pass --graph FILE")
    if store == "oxigraph":
        import pyoxigraph as ox

        from kg.store.oxigraph import as_dataset

        memory = ox.Store()
        try:
            memory.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError) as exc:
            raise KGError(f"{path}: not a readable TriG file ({' '.join(str(exc).split())}): "
                          "rebuild it with `kg build`") from None
        return as_dataset(memory)
    dataset = _memory_dataset()
    try:
        dataset.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise KGError(f"{path}: not a readable TriG file ({exc}): rebuild it with `kg build`")\
            from None
    return dataset
