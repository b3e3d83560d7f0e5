"""The whole pipeline of ``kg build``: read, build, validate, store, export.

A build writes, into the output folder:

- ``kg.oxigraph/``: the graph in an Oxigraph store, which every other command opens
  without re-parsing (``store="oxigraph"``, the default); with ``store="memory"`` no
  store is written and commands parse ``kg.trig`` into rdflib's memory store;
- ``kg.trig`` (one named graph per source, plus the registry) and ``kg.ttl`` (merged);
- ``manifest.json``: what was built from what (the SHA-256 of every curation file).

Builds are incremental: when the registry, the ontology, the shapes and the tool are as
they were, only the source files that changed are read, built and validated again, and
their named graphs replaced in one transaction; a removed file's graph is dropped. The
shapes are local to one source's graph plus the registry, so validating the changed
sources gives the verdict a full validation would. Nothing is written unless every
step succeeds.

>>> from pathlib import Path
>>> result = compile_project(Path("data"))
>>> result.report.conforms, result.triples > 500
(True, True)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef

from kg import __version__
from kg.build import BuiltGraph, build_graph
from kg.curation import (
    REGISTRY_FILE,
    iter_source_files,
    load_curation,
    load_registry,
    load_sources,
)
from kg.errors import CurationError, CurationErrors, KGError
from kg.model import Curation, Where
from kg.namespaces import REGISTRY_GRAPH, source_graph
from kg.ontology import ontology_path
from kg.store import TRIG_FILE, TURTLE_FILE, write_atomically
from kg.validate import Report, focus_iri, merged, validate, validate_graphs

SOURCES_ENV = "KG_SOURCES"
STORE_DIR = "kg.oxigraph"
MANIFEST_FILE = "manifest.json"
STORES = ("oxigraph", "memory")

#: Called as progress(stage, done, total) while a long step runs.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default: report nothing."""


def default_corpus_dir() -> Path | None:
    """The folder of source texts: ``$KG_SOURCES``, else ``../shared/corpus`` when present."""
    configured = os.environ.get(SOURCES_ENV)
    if configured:
        return Path(configured)
    candidate = Path("..") / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


@dataclass
class Compiled:
    """A built and validated project (in memory)."""

    curation: Curation
    built: BuiltGraph
    report: Report

    @property
    def dataset(self) -> Dataset:
        """The built dataset."""
        return self.built.dataset

    @property
    def triples(self) -> int:
        """Triples over all named graphs."""
        return len(self.built.dataset)


def _check(built: BuiltGraph, data_dir: Path, report: Report | None = None) -> Report:
    """Validate (unless given the report); raise CurationErrors pointing at the curation
    lines of the bad nodes."""
    report = report or validate(built.dataset)
    if not report.conforms:
        errors = []
        for violation in report.violations:
            node = focus_iri(violation)
            where = built.origins.get(node) if node is not None else None
            where = where or Where(str(data_dir), 1)
            errors.append(CurationError(f"SHACL: {violation.describe()}", file=where.file,
                                        line=where.line))
        raise CurationErrors(errors)
    return report


def compile_project(data_dir: Path, corpus_dir: Path | None = None) -> Compiled:
    """Read, build and validate everything in memory; raise CurationErrors on problems.

    SHACL violations are reported against the curation line the offending node came
    from, so the analyst fixes the file, not the graph.
    """
    curation = load_curation(data_dir, corpus_dir)
    built = build_graph(curation)
    return Compiled(curation, built, _check(built, data_dir))


def rdflib_exports(dataset: Dataset) -> tuple[bytes, bytes]:
    """``kg.trig`` and ``kg.ttl`` as rdflib's serializers write them."""
    trig = dataset.serialize(format="trig", encoding="utf-8")
    turtle = merged(dataset).serialize(format="turtle", encoding="utf-8")
    return trig, turtle


def write_outputs(compiled: Compiled, out_dir: Path) -> list[Path]:
    """Write ``kg.trig`` and ``kg.ttl`` with rdflib's serializers, atomically."""
    trig, turtle = rdflib_exports(compiled.dataset)
    targets = {out_dir / TRIG_FILE: trig, out_dir / TURTLE_FILE: turtle}
    write_atomically(targets)
    return list(targets)


# -- builds on disk --------------------------------------------------------------------

@dataclass
class BuildResult:
    """What a build did."""

    mode: str  # "full", "incremental" or "unchanged"
    store: str
    triples: int
    entities: int
    sources: int
    facts: int
    rebuilt: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    corpus_checked: bool = False


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(data_dir: Path) -> str:
    """What every source's build depends on besides its own file: the registry, the
    ontology, the shapes and the tool's version. A change to any means a full build."""
    digest = hashlib.sha256(__version__.encode())
    for path in (data_dir / REGISTRY_FILE, ontology_path("diplomacy.ttl"),
                 ontology_path("shapes.ttl")):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the last build in ``out_dir``, or None."""
    path = out_dir / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (ValueError, OSError):
        return None
    return loaded if loaded.get("version") == 1 else None


def _relative(path: Path, data_dir: Path) -> str:
    return path.relative_to(data_dir).as_posix()


def build_project(data_dir: Path, out_dir: Path, corpus_dir: Path | None = None, *,
                  store: str = "oxigraph", full: bool = False, export: bool = True,
                  progress: Progress = _no_progress) -> BuildResult:
    """Build ``data_dir`` into ``out_dir``, incrementally when possible (see module doc)."""
    if store not in STORES:
        raise KGError(f"unknown store {store!r}: use one of {', '.join(STORES)}")
    if not data_dir.is_dir():
        raise CurationErrors([CurationError(
            f"the data folder {data_dir} does not exist: pass --data DIR",
            file=str(data_dir), line=1)])
    manifest = read_manifest(out_dir)
    key = fingerprint(data_dir)
    files = list(iter_source_files(data_dir))
    hashes = {_relative(path, data_dir): _sha256(path) for path in files}
    incremental = (not full and store == "oxigraph" and manifest is not None
                   and manifest.get("store") == "oxigraph"
                   and manifest.get("fingerprint") == key
                   and (out_dir / STORE_DIR / "CURRENT").is_file())
    entities = load_registry(data_dir)
    if incremental:
        assert manifest is not None
        return _incremental(data_dir, out_dir, corpus_dir, entities, files, hashes, manifest,
                            key, export, progress)
    return _full(data_dir, out_dir, corpus_dir, entities, files, hashes, key, store, export,
                 progress)


def _read_sources(data_dir: Path, paths: list[Path], entities: dict[str, Any],
                  corpus_dir: Path | None, progress: Progress) -> list[Any]:
    sources = []
    errors: list[CurationError] = []
    batch = 200
    for start in range(0, len(paths), batch):
        try:
            sources.extend(load_sources(data_dir, paths[start:start + batch], entities,
                                        corpus_dir))
        except CurationErrors as exc:
            errors.extend(exc.errors)
        progress("read", min(start + batch, len(paths)), len(paths))
    seen: dict[str, Where] = {}
    for source in sources:
        if source.id in seen:
            errors.append(CurationError(
                f"the source id {source.id!r} is already used in {seen[source.id].file}: "
                "give each source its own id", file=source.where.file, line=source.where.line))
        seen[source.id] = source.where
    if errors:
        raise CurationErrors(errors)
    return sources


def _manifest(key: str, store: str, sources: dict[str, dict[str, Any]]) -> bytes:
    document = {"version": 1, "kg": __version__, "store": store, "fingerprint": key,
                "sources": dict(sorted(sources.items()))}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _full(data_dir: Path, out_dir: Path, corpus_dir: Path | None, entities: dict[str, Any],
          files: list[Path], hashes: dict[str, str], key: str, store: str, export: bool,
          progress: Progress) -> BuildResult:
    sources = _read_sources(data_dir, files, entities, corpus_dir, progress)
    curation = Curation(entities=entities, sources=tuple(sources))
    progress("build", 0, 1)
    built = build_graph(curation)
    progress("build", 1, 1)
    records = {}
    for path, source in zip(files, sources, strict=True):  # read in order, all or nothing
        name = _relative(path, data_dir)
        records[name] = {"id": source.id, "graph": str(source_graph(source.id)),
                         "facts": len(source.facts), "sha256": hashes[name]}
    out_dir.mkdir(parents=True, exist_ok=True)
    if store == "oxigraph":
        import pyoxigraph as ox

        from kg.oxigraph_store import (
            dump,
            merged_turtle,
            open_store,
            quads_of,
            replace_store,
            write_new_store,
        )

        progress("validate", 0, 1)
        quads = quads_of(built.graphs)
        memory = ox.Store()
        memory.bulk_extend(quads)
        _check(built, data_dir, validate_graphs(
            memory, REGISTRY_GRAPH, [source_graph(s.id) for s in sources]))
        progress("validate", 1, 1)
        progress("store", 0, 1)
        nquads = dump(memory, ox.RdfFormat.N_QUADS)
        trig = dump(memory, ox.RdfFormat.TRIG) if export else b""
        del memory
        turtle = merged_turtle(quads) if export else b""
        del quads
        fresh = out_dir / f".{STORE_DIR}.new"
        if fresh.exists():
            shutil.rmtree(fresh)
        write_new_store(fresh, nquads)
        replace_store(fresh, out_dir / STORE_DIR)
        outputs = _write_files(out_dir, key, store, records, (trig, turtle) if export else None)
        triples = len(open_store(out_dir / STORE_DIR))
        progress("store", 1, 1)
    else:
        progress("validate", 0, 1)
        _check(built, data_dir)
        progress("validate", 1, 1)
        _write_files(out_dir, key, store, records, rdflib_exports(built.dataset))
        if (out_dir / STORE_DIR).exists():  # a stale store must not shadow this build
            shutil.rmtree(out_dir / STORE_DIR)
        outputs = [out_dir / TRIG_FILE, out_dir / TURTLE_FILE]
        triples = len(built.dataset)
    return BuildResult(mode="full", store=store, triples=triples, entities=len(entities),
                       sources=len(sources), facts=sum(len(s.facts) for s in sources),
                       rebuilt=[s.id for s in sources], outputs=outputs,
                       corpus_checked=corpus_dir is not None)


def _write_files(out_dir: Path, key: str, store: str, records: dict[str, dict[str, Any]],
                 exports: tuple[bytes, bytes] | None) -> list[Path]:
    """Write the manifest, and kg.trig and kg.ttl when given (else remove stale ones)."""
    files = {out_dir / MANIFEST_FILE: _manifest(key, store, records)}
    if exports is not None:
        files[out_dir / TRIG_FILE], files[out_dir / TURTLE_FILE] = exports
    write_atomically(files)
    if exports is None:
        for stale in (out_dir / TRIG_FILE, out_dir / TURTLE_FILE):
            stale.unlink(missing_ok=True)
        return [out_dir / STORE_DIR]
    return [out_dir / STORE_DIR, out_dir / TRIG_FILE, out_dir / TURTLE_FILE]


def _export_store(store_dir: Path, out_dir: Path, key: str, store: str,
                  records: dict[str, dict[str, Any]], export: bool) -> list[Path]:
    """Write kg.trig, kg.ttl (when ``export``) and the manifest from a store."""
    if not export:
        return _write_files(out_dir, key, store, records, None)
    import pyoxigraph as ox

    from kg.oxigraph_store import dump, open_store

    opened = open_store(store_dir)
    trig = dump(opened, ox.RdfFormat.TRIG)
    turtle = dump(opened, ox.RdfFormat.TURTLE, merged=True)
    del opened
    return _write_files(out_dir, key, store, records, (trig, turtle))


def _incremental(data_dir: Path, out_dir: Path, corpus_dir: Path | None,
                 entities: dict[str, Any], files: list[Path], hashes: dict[str, str],
                 manifest: dict[str, Any], key: str, export: bool,
                 progress: Progress) -> BuildResult:
    from kg.oxigraph_store import open_store, quads_of, replace_graphs

    known: dict[str, dict[str, Any]] = dict(manifest["sources"])
    changed = [path for path in files
               if known.get(_relative(path, data_dir), {}).get("sha256")
               != hashes[_relative(path, data_dir)]]
    removed = [name for name in known if name not in hashes]
    if not changed and not removed:
        return BuildResult(mode="unchanged", store="oxigraph",
                           triples=len(open_store(out_dir / STORE_DIR)),
                           entities=len(entities), sources=len(known),
                           facts=sum(r["facts"] for r in known.values()),
                           outputs=[out_dir / STORE_DIR, out_dir / TRIG_FILE,
                                    out_dir / TURTLE_FILE],
                           corpus_checked=corpus_dir is not None)
    sources = _read_sources(data_dir, changed, entities, corpus_dir, progress)
    changed_names = {_relative(path, data_dir) for path in changed}
    unchanged_ids = {record["id"]: name for name, record in known.items()
                     if name not in changed_names and name not in removed}
    errors = [CurationError(
        f"the source id {source.id!r} is already used in {unchanged_ids[source.id]}: "
        "give each source its own id", file=source.where.file, line=source.where.line)
        for source in sources if source.id in unchanged_ids]
    if errors:
        raise CurationErrors(errors)
    built = build_graph(Curation(entities=entities, sources=tuple(sources)))
    progress("validate", 0, 1)
    import pyoxigraph as ox

    memory = ox.Store()  # the registry and the changed sources: all the shapes look at
    memory.bulk_extend(quads_of(built.graphs))
    _check(built, data_dir, validate_graphs(
        memory, REGISTRY_GRAPH, [source_graph(s.id) for s in sources]))
    del memory
    progress("validate", 1, 1)
    graphs = {}
    for source in sources:
        iri = source_graph(source.id)
        graphs[iri] = quads_of({iri: built.graphs[iri]})
    dropped = [URIRef(known[name]["graph"]) for name in removed]
    dropped += [URIRef(known[name]["graph"]) for name in changed_names
                if name in known and URIRef(known[name]["graph"]) not in graphs]
    store_dir = out_dir / STORE_DIR
    writable = open_store(store_dir, writable=True)
    replace_graphs(writable, graphs, dropped)
    writable.flush()
    del writable
    for name in removed:
        del known[name]
    for path, source in zip(changed, sources, strict=True):
        file_name = _relative(path, data_dir)
        known[file_name] = {"id": source.id, "graph": str(source_graph(source.id)),
                            "facts": len(source.facts), "sha256": hashes[file_name]}
    outputs = _export_store(store_dir, out_dir, key, "oxigraph", known, export)
    return BuildResult(mode="incremental", store="oxigraph",
                       triples=len(open_store(store_dir)), entities=len(entities),
                       sources=len(known), facts=sum(r["facts"] for r in known.values()),
                       rebuilt=[s.id for s in sources],
                       removed=removed, outputs=outputs,
                       corpus_checked=corpus_dir is not None)


def validate_project(data_dir: Path, corpus_dir: Path | None = None, *,
                     progress: Progress = _no_progress) -> Report:
    """Read, check and build ``data_dir`` in memory, then run SHACL the way builds do
    (in batches, in parallel for large graphs); return the report without writing.

    File problems raise CurationErrors; SHACL problems are in the report.
    """
    import pyoxigraph as ox

    from kg.oxigraph_store import quads_of

    entities = load_registry(data_dir)
    files = list(iter_source_files(data_dir))
    sources = _read_sources(data_dir, files, entities, corpus_dir, progress)
    progress("build", 0, 1)
    built = build_graph(Curation(entities=entities, sources=tuple(sources)))
    progress("build", 1, 1)
    progress("validate", 0, 1)
    memory = ox.Store()
    memory.bulk_extend(quads_of(built.graphs))
    report = validate_graphs(memory, REGISTRY_GRAPH, [source_graph(s.id) for s in sources])
    progress("validate", 1, 1)
    return report
