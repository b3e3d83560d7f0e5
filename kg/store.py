"""Where the built graph lives: files written atomically, and datasets opened from them.

``kg build`` writes ``kg.trig`` (one named graph per source, plus the registry) and
``kg.ttl`` (all graphs merged). Every other command opens ``kg.trig``.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_atomically({folder / "a.txt": b"hello"})
>>> (folder / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset

from kg.errors import KGError
from kg.namespaces import PREFIXES

DEFAULT_BUILD_DIR = Path("build")
TRIG_FILE = "kg.trig"
TURTLE_FILE = "kg.ttl"


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


def load_trig(path: Path, *, store: str = "oxigraph") -> Dataset:
    """Open a TriG file written by ``kg build`` as a dataset (default graph = union).

    ``store="oxigraph"`` parses with Oxigraph into an in-memory Oxigraph store (fast;
    queries run on Oxigraph's engine); ``store="memory"`` uses rdflib's parser and
    memory store.
    """
    if not path.is_file():
        raise KGError(f"{path}: no built graph here: run `kg build` first, or pass --graph FILE")
    if store == "oxigraph":
        import pyoxigraph as ox

        from kg.oxigraph_store import as_dataset

        memory = ox.Store()
        try:
            memory.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError) as exc:
            raise KGError(f"{path}: not a readable TriG file ({' '.join(str(exc).split())}): "
                          "rebuild it with `kg build`") from None
        return as_dataset(memory)
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    try:
        dataset.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise KGError(f"{path}: not a readable TriG file ({exc}): rebuild it with `kg build`")\
            from None
    return dataset
