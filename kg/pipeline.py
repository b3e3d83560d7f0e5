"""The whole pipeline of ``kg build``: read, build, validate, store, export.

A build writes, into its build folder (:class:`kg.store.layout.BuildFolder`):

- the graph in an Oxigraph store, which every other command opens without re-parsing
  (``store="oxigraph"``, the default); with ``store="memory"`` the graph is built and
  validated in rdflib's memory store, no store is written, and commands parse the TriG
  file instead (:func:`kg.store.layout.open_built`);
- the TriG file (one named graph per source, plus the registry) and the Turtle file
  (merged), unless ``export=False``;
- the manifest: what was built from what (the SHA-256 of every curation file), and what
  each output holds (the size and SHA-256 of the TriG and Turtle files; the build id and
  quad count of the store).

One build at a time writes a folder: a build holds a lock on it (a second one waits, or
stops at once when asked not to wait). The store is written beside the old one and
swapped in whole, so commands reading it meanwhile see the old graph or the new one.
A build first checks the outputs against the manifest: any that is missing, truncated,
edited or does not open is put right by a full build, and temporary files left by an
interrupted build are removed.

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

import gc
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset
from rdflib.namespace import RDF

from kg import __version__
from kg.curation.consistency import (
    CurationWarning,
    check_registry,
    check_sources,
    holding_rows,
)
from kg.curation.model import Curation, Where
from kg.curation.reader import (
    REGISTRY_FILE,
    iter_source_files,
    load_curation,
    load_registry,
    load_sources,
)
from kg.errors import CurationError, CurationErrors, KGError
from kg.graph.build import (
    BuiltGraph,
    TripleSet,
    build_graph,
    build_registry,
    build_source,
)
from kg.graph.namespaces import DIP, REGISTRY_GRAPH, source_graph
from kg.graph.ontology import ontology_path
from kg.graph.validate import (
    Report,
    Validation,
    focus_iri,
    merged,
    validate,
    validate_serialized,
)
from kg.store.files import build_lock, write_atomically
from kg.store.layout import (
    EXPORT_PARTS,
    FACT_NODES,
    BuildFolder,
    open_built,
    open_path,
)
from kg.store.outputs import has_parts, write_files
from kg.store.repair import output_problems, remove_strays

SOURCES_ENV = "KG_SOURCES"
STORES = ("oxigraph", "memory")

#: Called as progress(stage, done, total) while a long step runs.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default: report nothing."""


#: Called with each warning of the checks across the curation files
#: (:mod:`kg.curation.consistency`); the warnings never stop a build.
Warn = Callable[[CurationWarning], None]


def _no_warning(warning: CurationWarning) -> None:
    """The default: drop warnings."""


#: The key, in each source's record of the manifest, of its holdings
#: (:func:`kg.curation.consistency.holding_rows`): what an incremental build compares the
#: changed sources with.
HOLDINGS = "holdings"


def _consistent(entities: dict[str, Any], sources: list[Any], warn: Warn, *,
                earlier: list[Any] | None = None) -> None:
    """The checks across the sources (:func:`kg.curation.consistency.check_sources`):
    warnings to ``warn``, errors raised as CurationErrors."""
    found = check_sources(entities, sources, earlier=earlier or [])
    for warning in found.warnings:
        warn(warning)
    if found.errors:
        raise CurationErrors(found.errors)


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


def compile_project(data_dir: Path, corpus_dir: Path | None = None, *,
                    warn: Warn = _no_warning) -> Compiled:
    """Read, check (also across files, :mod:`kg.curation.consistency`: warnings to
    ``warn``), build and validate everything in memory; raise CurationErrors on problems.

    SHACL violations are reported against the curation line the offending node came
    from, so the analyst fixes the file, not the graph.
    """
    curation = load_curation(data_dir, corpus_dir)
    for warning in check_registry(curation.entities):
        warn(warning)
    _consistent(curation.entities, list(curation.sources), warn)
    built = build_graph(curation)
    return Compiled(curation, built, _check(built, data_dir))


def rdflib_exports(dataset: Dataset) -> tuple[bytes, bytes]:
    """The TriG and Turtle files as rdflib's serializers write them."""
    trig = dataset.serialize(format="trig", encoding="utf-8")
    turtle = merged(dataset).serialize(format="turtle", encoding="utf-8")
    return trig, turtle


def write_outputs(compiled: Compiled, out_dir: Path) -> list[Path]:
    """Write the TriG and Turtle files into ``out_dir`` with rdflib's serializers,
    atomically."""
    targets = dict(zip(BuildFolder(out_dir).exports, rdflib_exports(compiled.dataset),
                       strict=True))
    write_atomically(targets)
    return list(targets)


def open_graph(graph: Path | None = None, data_dir: Path = Path("data"),
               corpus_dir: Path | None = None, *, folder: BuildFolder | None = None,
               on_memory_build: Callable[[], None] | None = None) -> Dataset:
    """The graph the commands work on: ``graph`` when given (a TriG file or an Oxigraph
    store folder), else what the last build wrote into ``folder`` (``build/`` by
    default), else ``data_dir`` built and validated in memory (``on_memory_build`` is
    called first, to say so).
    """
    if graph is not None:
        return open_path(graph)
    folder = folder or BuildFolder()
    if folder.built_graph() is not None:
        return open_built(folder)
    if on_memory_build is not None:
        on_memory_build()
    return compile_project(data_dir, corpus_dir).dataset


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
    #: Outputs of the last build found damaged (each "path problem"): rebuilt in full.
    repaired: list[str] = field(default_factory=list)
    #: Temporary files and folders an interrupted build left, removed.
    cleaned: list[Path] = field(default_factory=list)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a build makes millions of small objects that
    live until it ends (triples, terms), and each full collection walks them all (at a
    million triples, reading and building took about 40% longer with it on). Reference
    counting still frees what a build drops."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fingerprint(data_dir: Path) -> str:
    """What every source's build depends on besides its own file: the registry, the
    ontology, the shapes and the tool's version. A change to any means a full build."""
    digest = hashlib.sha256(__version__.encode())
    for path in (data_dir / REGISTRY_FILE, ontology_path("diplomacy.ttl"),
                 ontology_path("shapes.ttl")):
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _relative(path: Path, data_dir: Path) -> str:
    return path.relative_to(data_dir).as_posix()


def build_project(data_dir: Path, out_dir: Path, corpus_dir: Path | None = None, *,
                  store: str = "oxigraph", full: bool = False, export: bool = True,
                  progress: Progress = _no_progress, wait: bool = True,
                  on_wait: Callable[[], None] | None = None,
                  warn: Warn = _no_warning) -> BuildResult:
    """Build ``data_dir`` into ``out_dir``, incrementally when possible (see module doc).

    The checks across the curation files (:mod:`kg.curation.consistency`) run on the
    registry at every build, and on the sources read: an error stops the build, a warning
    goes to ``warn``. An incremental build compares the changed sources' holdings with
    those of the others, kept in the manifest, and reports what involves a changed file.

    The build holds the lock of ``out_dir`` throughout (:func:`kg.store.files.build_lock`):
    another build of the same folder waits for it (``on_wait`` is called first), or,
    with ``wait=False``, stops with a :class:`KGError`. Outputs that no longer hold what
    the manifest says they were written with (missing, truncated, edited; a store that
    does not open or holds another count of quads) are put right by a full build.
    """
    if store not in STORES:
        raise KGError(f"unknown store {store!r}: use one of {', '.join(STORES)}")
    if not export and store == "memory":
        raise KGError("--no-export needs the oxigraph store: the memory store lives in "
                      f"{BuildFolder.TRIG}")
    if not data_dir.is_dir():
        raise CurationErrors([CurationError(
            f"the data folder {data_dir} does not exist: pass --data DIR",
            file=str(data_dir), line=1)])
    with build_lock(out_dir, wait=wait, on_wait=on_wait), _without_cyclic_gc():
        cleaned = remove_strays(out_dir)
        result = _build(data_dir, out_dir, corpus_dir, store, full, export, progress, warn)
        result.cleaned = cleaned
        return result


def _build(data_dir: Path, out_dir: Path, corpus_dir: Path | None, store: str, full: bool,
           export: bool, progress: Progress, warn: Warn) -> BuildResult:
    manifest = BuildFolder(out_dir).read_manifest()
    key = fingerprint(data_dir)
    files = list(iter_source_files(data_dir))
    hashes = {_relative(path, data_dir): _sha256(path) for path in files}
    problems: list[str] = []
    incremental = (not full and store == "oxigraph" and manifest is not None
                   and manifest.get("store") == "oxigraph"
                   and manifest.get("fingerprint") == key
                   and all(HOLDINGS in record for record in manifest["sources"].values()))
    if incremental:
        assert manifest is not None
        problems = output_problems(out_dir, manifest)
        incremental = not problems and (not export or has_parts(manifest))
    entities = load_registry(data_dir)
    for warning in check_registry(entities):
        warn(warning)
    if incremental:
        assert manifest is not None
        from kg.incremental import incremental_build

        return incremental_build(data_dir, out_dir, corpus_dir, entities, files, hashes, manifest,
                            key, export, progress, warn)
    result = _full(data_dir, out_dir, corpus_dir, entities, files, hashes, key, store, export,
                   progress, warn)
    result.repaired = problems
    return result


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


def _new_build_id() -> str:
    import uuid

    return uuid.uuid4().hex


def _fact_nodes(built: BuiltGraph, source_id: str) -> int:
    """The fact nodes of one source's graph (curated facts, and what the article says
    about itself), for its record in the manifest (``--store memory``; the Oxigraph
    store's builds count them in the graph's N-Triples, :mod:`kg.store.parts`)."""
    return len({s for s, p, o in built.graphs.get(source_graph(source_id), ())
                if p == RDF.type and o == DIP.Fact})


def _source_order(name: str) -> tuple[bool, str]:
    """Where a source file's graph comes in build order
    (:func:`kg.curation.reader.iter_source_files`: ``.yaml`` files, then ``.yml``)."""
    return (not name.endswith(".yaml"), name)


def _full(data_dir: Path, out_dir: Path, corpus_dir: Path | None, entities: dict[str, Any],
          files: list[Path], hashes: dict[str, str], key: str, store: str, export: bool,
          progress: Progress, warn: Warn) -> BuildResult:
    if store == "oxigraph":
        return _full_streamed(data_dir, out_dir, corpus_dir, entities, files, hashes, key,
                              export, progress, warn)
    sources = _read_sources(data_dir, files, entities, corpus_dir, progress)
    _consistent(entities, sources, warn)
    curation = Curation(entities=entities, sources=tuple(sources))
    progress("build", 0, 1)
    built = build_graph(curation)
    progress("build", 1, 1)
    records = {}
    for path, source in zip(files, sources, strict=True):  # read in order, all or nothing
        name = _relative(path, data_dir)
        records[name] = {"id": source.id, "graph": str(source_graph(source.id)),
                         "facts": len(source.facts), "sha256": hashes[name],
                         HOLDINGS: holding_rows(source)}
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = BuildFolder(out_dir)
    for name, source in zip(records, sources, strict=True):
        records[name][FACT_NODES] = _fact_nodes(built, source.id)
    progress("validate", 0, 1)
    _check(built, data_dir)
    progress("validate", 1, 1)
    write_files(out_dir, key, store, records, rdflib_exports(built.dataset), None, corpus_dir)
    if folder.store.exists():  # a stale store must not shadow this build
        shutil.rmtree(folder.store)
    return BuildResult(mode="full", store=store, triples=len(built.dataset),
                       entities=len(entities), sources=len(sources),
                       facts=sum(len(s.facts) for s in sources),
                       rebuilt=[s.id for s in sources], outputs=list(folder.exports),
                       corpus_checked=corpus_dir is not None)


def _full_streamed(data_dir: Path, out_dir: Path, corpus_dir: Path | None,
                   entities: dict[str, Any], files: list[Path], hashes: dict[str, str],
                   key: str, export: bool, progress: Progress, warn: Warn) -> BuildResult:
    """A full build into an Oxigraph store, streamed: the sources are read, built and
    serialized 200 at a time (:class:`kg.store.parts.Serializer`), and each graph, once
    serialized, goes to SHACL's worker processes (:class:`kg.graph.validate.Validation`)
    and to the store's loader thread (:class:`kg.store.oxigraph.StoreWriter`), so the
    three run at once. Errors come in the order of a build done step by step: reading
    (every file is read), the checks across files, then SHACL; the new store is removed
    on any of them."""
    from kg.store import parts
    from kg.store.oxigraph import StoreWriter, replace_store, write_marker

    out_dir.mkdir(parents=True, exist_ok=True)
    folder = BuildFolder(out_dir)
    built = BuiltGraph()
    build_registry(built, entities)
    serializer = parts.Serializer()
    registry = serializer.graph(REGISTRY_GRAPH, built.graphs.pop(REGISTRY_GRAPH))
    triples = registry.ntriples.count(b"\n")
    sources: list[Any] = []
    made: list[parts.GraphParts] = []
    errors: list[CurationError] = []
    seen: dict[str, Where] = {}
    batch = 200
    with Validation(registry.ntriples) as validation, StoreWriter(folder.new_store) as writer:
        writer.put(parts.nquads(REGISTRY_GRAPH, registry.ntriples))
        registry.ntriples = b""
        for start in range(0, len(files), batch):
            try:
                read = load_sources(data_dir, files[start:start + batch], entities, corpus_dir)
            except CurationErrors as exc:
                errors.extend(exc.errors)
                read = []
            progress("read", min(start + batch, len(files)), len(files))
            for source in read:
                if source.id in seen:
                    errors.append(CurationError(
                        f"the source id {source.id!r} is already used in "
                        f"{seen[source.id].file}: give each source its own id",
                        file=source.where.file, line=source.where.line))
                seen[source.id] = source.where
            sources.extend(read)
            if errors:
                continue  # every file is read, for its errors; nothing more is built
            for source in read:
                graph = TripleSet()
                build_source(graph, source, built.origins)
                iri = source_graph(source.id)
                part = serializer.graph(iri, graph)
                validation.add(part.ntriples)
                writer.put(parts.nquads(iri, part.ntriples))
                triples += part.ntriples.count(b"\n")
                part.ntriples = b""
                made.append(part)
        if errors:
            raise CurationErrors(errors)
        _consistent(entities, sources, warn)
        progress("build", 1, 1)
        progress("validate", 0, 1)
        _check(built, data_dir, validation.report())  # the origins are in ``built``
        progress("validate", 1, 1)
        progress("store", 0, 1)
    records = {}
    split = export and parts.joinable([part.turtle_ends for part in [registry, *made]])
    for path, source, part in zip(files, sources, made, strict=True):
        name = _relative(path, data_dir)
        records[name] = {"id": source.id, "graph": str(source_graph(source.id)),
                         "facts": len(source.facts), FACT_NODES: part.fact_nodes,
                         "sha256": hashes[name], HOLDINGS: holding_rows(source)}
        if split:
            records[name][EXPORT_PARTS] = {"trig": len(part.trig), "turtle": len(part.turtle)}
    exports = None
    if export:
        turtle = parts.turtle_file([part.turtle for part in [registry, *made]])
        exports = (parts.trig_file([part.trig for part in [registry, *made]]),
                   turtle if split else parts.merged_turtle([turtle], turtle=True))
    build_id = _new_build_id()
    write_marker(folder.new_store, build_id)
    replace_store(folder.new_store, folder.store)
    outputs = write_files(out_dir, key, "oxigraph", records, exports,
                          {"build": build_id, "quads": triples}, corpus_dir,
                          {"trig": len(registry.trig), "turtle": len(registry.turtle)}
                          if split else None)
    progress("store", 1, 1)
    return BuildResult(mode="full", store="oxigraph", triples=triples, entities=len(entities),
                       sources=len(sources), facts=sum(len(s.facts) for s in sources),
                       rebuilt=[s.id for s in sources], outputs=outputs,
                       corpus_checked=corpus_dir is not None)


def validate_project(data_dir: Path, corpus_dir: Path | None = None, *,
                     progress: Progress = _no_progress, warn: Warn = _no_warning) -> Report:
    """Read, check and build ``data_dir`` in memory, then run SHACL the way builds do
    (in batches, in parallel for large graphs); return the report without writing.

    File problems, and the errors of the checks across files
    (:mod:`kg.curation.consistency`, whose warnings go to ``warn``), raise CurationErrors;
    SHACL problems are in the report.
    """
    with _without_cyclic_gc():
        return _validate_project(data_dir, corpus_dir, progress, warn)


def _validate_project(data_dir: Path, corpus_dir: Path | None, progress: Progress,
                      warn: Warn) -> Report:
    from kg.store.parts import serialize_graphs

    entities = load_registry(data_dir)
    for warning in check_registry(entities):
        warn(warning)
    files = list(iter_source_files(data_dir))
    sources = _read_sources(data_dir, files, entities, corpus_dir, progress)
    _consistent(entities, sources, warn)
    progress("build", 0, 1)
    built = build_graph(Curation(entities=entities, sources=tuple(sources)))
    progress("build", 1, 1)
    progress("validate", 0, 1)
    made = dict(serialize_graphs(built.graphs, exports=False))
    report = validate_serialized(made[REGISTRY_GRAPH].ntriples,
                                 [made[source_graph(s.id)].ntriples for s in sources])
    progress("validate", 1, 1)
    return report
