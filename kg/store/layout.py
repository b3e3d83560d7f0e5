"""The build folder: where ``kg build`` puts each file, named here once, and the one way
to open what it wrote.

A build folder (``build/`` unless ``kg build --out`` names another) holds:

- the Oxigraph store (:attr:`BuildFolder.store`), which a default build writes and every
  command opens without parsing anything;
- the TriG file (:attr:`BuildFolder.trig`: one named graph per source, plus the registry)
  and the Turtle file (:attr:`BuildFolder.turtle`: all graphs merged), unless the build
  was told not to export;
- the manifest (:attr:`BuildFolder.manifest`): what was built from what, and what each
  output holds;
- the lock file (:attr:`BuildFolder.lock`), there while a build writes the folder;
- the drawing ``kg viz`` writes by default (:attr:`BuildFolder.network_page`).

>>> folder = BuildFolder(Path("build"))
>>> [str(p) for p in (folder.store, folder.trig, folder.turtle, folder.manifest)]
['build/kg.oxigraph', 'build/kg.trig', 'build/kg.ttl', 'build/manifest.json']
>>> str(folder.lock), str(folder.network_page)
('build/.kg-build.lock', 'build/network.html')
>>> BuildFolder() == folder
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from kg.errors import KGError

if TYPE_CHECKING:
    from rdflib import Dataset

#: The build folder commands use when none is named.
DEFAULT_ROOT = Path("build")
#: The manifest format this version writes and reads; another one means a full build.
MANIFEST_VERSION = 1
#: The manifest's key for the folder of source texts the build read (an absolute path, or
#: null when it read none).
SOURCE_TEXTS = "source_texts"
#: The key, in each source's record of the manifest, for the number of fact nodes of its
#: graph: its curated facts, plus what the article says about itself (editors, photos,
#: publication time), and a relation with several objects once per object.
FACT_NODES = "fact_nodes"
#: The key, in each source's record of the manifest (and at the top, for the registry),
#: for the length of its parts of ``kg.trig`` and ``kg.ttl`` (:mod:`kg.store.parts`).
EXPORT_PARTS = "export_parts"


@dataclass(frozen=True)
class BuildFolder:
    """The files of one build folder (nothing is read or created until asked)."""

    root: Path = DEFAULT_ROOT

    STORE: ClassVar[str] = "kg.oxigraph"
    TRIG: ClassVar[str] = "kg.trig"
    TURTLE: ClassVar[str] = "kg.ttl"
    MANIFEST: ClassVar[str] = "manifest.json"
    LOCK: ClassVar[str] = ".kg-build.lock"
    NETWORK_PAGE: ClassVar[str] = "network.html"

    @property
    def store(self) -> Path:
        """The Oxigraph store (a folder)."""
        return self.root / self.STORE

    @property
    def trig(self) -> Path:
        """Every named graph, as TriG."""
        return self.root / self.TRIG

    @property
    def turtle(self) -> Path:
        """The named graphs merged, as Turtle."""
        return self.root / self.TURTLE

    @property
    def manifest(self) -> Path:
        """What was built from what, and what each output holds (JSON)."""
        return self.root / self.MANIFEST

    @property
    def lock(self) -> Path:
        """The lock file of a build (:func:`kg.store.files.build_lock`)."""
        return self.root / self.LOCK

    @property
    def network_page(self) -> Path:
        """The drawing ``kg viz`` writes when given no ``--output``."""
        return self.root / self.NETWORK_PAGE

    @property
    def exports(self) -> tuple[Path, Path]:
        """The TriG and Turtle files, in the order a build writes them."""
        return self.trig, self.turtle

    @property
    def new_store(self) -> Path:
        """Where a build writes a store before swapping it in for :attr:`store`."""
        return self.root / f".{self.STORE}.new"

    @property
    def leftover_stores(self) -> tuple[Path, ...]:
        """Store folders an interrupted build may leave: the new one not yet swapped in,
        and an old one set aside (:func:`kg.store.oxigraph.replace_store`, and its
        earlier spelling without the dot)."""
        return (self.new_store, self.root / f".{self.STORE}.old",
                self.root / f"{self.STORE}.old")

    @property
    def atomic_files(self) -> tuple[Path, ...]:
        """The files written by :func:`kg.store.files.write_atomically`, whose temporary
        files an interrupted build may leave beside them."""
        return self.trig, self.turtle, self.manifest

    def read_manifest(self) -> dict[str, Any] | None:
        """The manifest of the last build, or None (none, unreadable or another format)."""
        if not self.manifest.is_file():
            return None
        try:
            loaded = json.loads(self.manifest.read_text("utf-8"))
        except (ValueError, OSError):
            return None
        if not isinstance(loaded, dict) or loaded.get("version") != MANIFEST_VERSION:
            return None
        return loaded

    def source_texts(self) -> Path | None:
        """The folder of source texts the last build read, as its manifest records it, when
        that folder is still there; None when the build read none, the manifest does not
        say (an older build), or the folder is gone.

        >>> import tempfile
        >>> BuildFolder(Path(tempfile.mkdtemp())).source_texts() is None
        True
        """
        manifest = self.read_manifest()
        recorded = manifest.get(SOURCE_TEXTS) if manifest is not None else None
        if not isinstance(recorded, str):
            return None
        path = Path(recorded)
        return path if path.is_dir() else None

    def fact_nodes(self) -> int | None:
        """The fact nodes of the last build's graph (over all sources, as its manifest
        records them); None when the manifest does not record them (an older build).

        >>> import tempfile
        >>> BuildFolder(Path(tempfile.mkdtemp())).fact_nodes() is None
        True
        """
        manifest = self.read_manifest()
        records = manifest.get("sources") if manifest is not None else None
        if not isinstance(records, dict):
            return None
        counts = [record.get(FACT_NODES) if isinstance(record, dict) else None
                  for record in records.values()]
        if not all(isinstance(count, int) for count in counts):
            return None
        return sum(count for count in counts if isinstance(count, int))

    def built_graph(self) -> Path | None:
        """What :func:`open_built` opens: the store when the last build wrote one (or one
        is being swapped in), else the TriG file when there is one; None when nothing is
        built here.

        >>> import tempfile
        >>> BuildFolder(Path(tempfile.mkdtemp())).built_graph() is None
        True
        """
        manifest = self.read_manifest()
        if manifest is not None and manifest.get("store") == "oxigraph" and (
                self.store.is_dir() or self.lock.exists()):
            return self.store
        if self.trig.is_file():
            return self.trig
        return None


def open_built(folder: BuildFolder) -> Dataset:
    """Open what ``kg build`` wrote into ``folder`` (default graph = union of the graphs).

    A default build is opened from its Oxigraph store, without parsing; a build with
    ``--store memory`` wrote no store, so its TriG file is parsed (into an in-memory
    Oxigraph store). Nothing built there is a :class:`KGError` naming the fix.

    >>> import tempfile
    >>> try:
    ...     open_built(BuildFolder(Path(tempfile.mkdtemp())))
    ... except KGError as exc:
    ...     print(str(exc).split(": ", 1)[1].split(": run")[0])
    nothing is built here (no kg.oxigraph store, no kg.trig)
    """
    path = folder.built_graph()
    if path is None:
        hint = "kg build" if folder.root == DEFAULT_ROOT else f"kg build --out {folder.root}"
        raise KGError(f"{folder.root}: nothing is built here (no {folder.STORE} store, no "
                      f"{folder.TRIG}): run `{hint}` first")
    return open_path(path)


def build_folder_of(graph: Path | None, default: BuildFolder) -> BuildFolder | None:
    """The build folder whose graph a command opens, to read what that build recorded:
    ``default`` when no graph is named (and something is built there); the folder a named
    graph lies in when it is that folder's store or TriG file, beside a manifest; None for
    a graph from elsewhere.

    >>> import tempfile
    >>> build_folder_of(Path(tempfile.mkdtemp()) / "kg.trig", BuildFolder()) is None
    True
    """
    if graph is None:
        return default if default.built_graph() is not None else None
    folder = BuildFolder(graph.parent)
    if graph.name in (folder.STORE, folder.TRIG) and folder.read_manifest() is not None:
        return folder
    return None


def open_path(path: Path) -> Dataset:
    """Open a built graph named directly: an Oxigraph store folder, or a TriG file (what
    ``--graph`` takes)."""
    if path.is_dir():
        from kg.store.oxigraph import as_dataset, open_store

        return as_dataset(open_store(path))
    from kg.store.files import load_trig

    return load_trig(path)
