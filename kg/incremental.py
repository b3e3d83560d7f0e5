"""An incremental build: only the source files that changed since the last build are
read, built and validated again (:mod:`kg.pipeline` decides when one may be done).

Their named graphs are replaced in a copy of the store, swapped in whole; a removed file's
graph is dropped. The TriG and Turtle files are spliced (:func:`kg.store.parts.splice`):
the changed sources' parts are made anew, the others copied from the files of the last
build, so the files are byte for byte what a full build of the same data writes. The
registry is the one the last build validated (the build's fingerprint says so): SHACL
looks at the changed sources, with the registry entries they refer to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import URIRef

from kg.curation.consistency import holding_rows, holdings_from_rows
from kg.curation.document import display
from kg.curation.reader import load_sources
from kg.errors import CurationError, CurationErrors
from kg.graph.build import BuiltGraph, TripleSet, add_origins, build_source
from kg.graph.namespaces import REGISTRY_GRAPH, source_graph
from kg.graph.validate import validate_serialized
from kg.pipeline import (
    HOLDINGS,
    BuildResult,
    Progress,
    Warn,
    _check,
    _consistent,
    _new_build_id,
    _read_sources,
    _relative,
    _source_order,
)
from kg.store.files import write_atomically
from kg.store.layout import EXPORT_PARTS, FACT_NODES, SOURCE_TEXTS, BuildFolder
from kg.store.outputs import manifest_bytes, write_files

__all__ = ["incremental_build"]


def incremental_build(data_dir: Path, out_dir: Path, corpus_dir: Path | None,
                      entities: dict[str, Any], files: list[Path], hashes: dict[str, str],
                      manifest: dict[str, Any], key: str, export: bool,
                      progress: Progress, warn: Warn) -> BuildResult:
    """Build the changed, added and removed source files into the build folder
    ``out_dir`` whose manifest is ``manifest`` (see :mod:`kg.incremental`)."""
    import pyoxigraph as ox

    from kg.store import parts
    from kg.store.oxigraph import (
        copy_store,
        open_store,
        replace_graphs,
        replace_store,
        write_marker,
    )

    folder = BuildFolder(out_dir)
    known: dict[str, dict[str, Any]] = dict(manifest["sources"])
    stored: dict[str, Any] = dict(manifest["outputs"][folder.store.name])
    exported = folder.trig.name in manifest["outputs"]
    changed = [path for path in files
               if known.get(_relative(path, data_dir), {}).get("sha256")
               != hashes[_relative(path, data_dir)]]
    removed = [name for name in known if name not in hashes]
    store_dir = folder.store
    if not changed and not removed and export == exported:
        texts = str(corpus_dir.resolve()) if corpus_dir is not None else None
        if manifest.get(SOURCE_TEXTS) != texts:  # only the folder of texts is new
            write_atomically({folder.manifest: manifest_bytes(key, "oxigraph", known,
                                                         manifest["outputs"], corpus_dir,
                                                         manifest.get(EXPORT_PARTS))})
        return BuildResult(mode="unchanged", store="oxigraph", triples=stored["quads"],
                           entities=len(entities), sources=len(known),
                           facts=sum(r["facts"] for r in known.values()),
                           outputs=[store_dir] + (list(folder.exports) if exported else []),
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
    _consistent(entities, sources, warn, earlier=[
        holding for name in unchanged_ids.values()
        for holding in holdings_from_rows(known[name][HOLDINGS], display(data_dir / name))])
    built = BuiltGraph()
    add_origins(built, entities)
    for source in sources:
        build_source(built.graph(source_graph(source.id)), source, built.origins)
    progress("validate", 0, 1)
    convert = parts.TermConverter()
    made = dict(parts.serialize_graphs(built.graphs, convert, keep=True))
    # the registry is the one the last build wrote and validated (the fingerprint says so)
    old_exports = (folder.trig.read_bytes(), folder.turtle.read_bytes()) if export else None
    if old_exports is not None:  # the registry's part of kg.trig, read faster than the store
        registry = parts.registry_ntriples(old_exports[0], manifest[EXPORT_PARTS]["trig"])
    else:
        registry = bytes(open_store(store_dir, retry=False).dump(
            format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(REGISTRY_GRAPH))) or b"")
    _check(built, data_dir, validate_serialized(
        registry, [made[source_graph(s.id)].ntriples for s in sources], check_shared=False))
    progress("validate", 1, 1)
    graphs = {source_graph(s.id): made[source_graph(s.id)] for s in sources}
    dropped = [URIRef(known[name]["graph"]) for name in removed]
    dropped += [URIRef(known[name]["graph"]) for name in changed_names
                if name in known and URIRef(known[name]["graph"]) not in graphs]
    old_parts = {name: record.get(EXPORT_PARTS) for name, record in known.items()}
    old_order = sorted(known, key=_source_order)
    for name in removed:
        del known[name]
    for path, source in zip(changed, sources, strict=True):
        file_name = _relative(path, data_dir)
        known[file_name] = {"id": source.id, "graph": str(source_graph(source.id)),
                            "facts": len(source.facts),
                            FACT_NODES: made[source_graph(source.id)].fact_nodes,
                            "sha256": hashes[file_name], HOLDINGS: holding_rows(source)}
    exports = None
    # The changes go into a copy, swapped in whole: readers see the old store or the new
    # one, and a build stopped halfway leaves the old store as it was.
    fresh = folder.new_store
    copy_store(store_dir, fresh)
    writable = open_store(fresh, writable=True, retry=False)
    before = {str(name): set(parts.graph_triples(writable, name))
              for name in [*graphs, *dropped]}
    replace_graphs(writable, {name: parts.quads_in(name, part.triples or [])
                              for name, part in graphs.items()}, dropped)
    stored = {"build": _new_build_id(),
              "quads": stored["quads"] - sum(len(old) for old in before.values())
              + sum(len(part.triples or []) for part in graphs.values())}
    if old_exports is not None:

        def rebuild(name: str) -> list[Any]:
            """An unchanged source's triples in build order, built again from its file."""
            (source,) = load_sources(data_dir, [data_dir / name], entities)
            graph = TripleSet()
            build_source(graph, source, {})
            return convert.triples(graph)

        exports, registry_parts = parts.splice(
            writable, old_exports,
            old_order, old_parts, manifest[EXPORT_PARTS],
            sorted(known, key=_source_order), {name: record["graph"]
                                               for name, record in known.items()},
            {str(name): part for name, part in graphs.items()}, before, rebuild,
            str(REGISTRY_GRAPH))
        for name, record in known.items():
            record[EXPORT_PARTS] = registry_parts.pop(name)
    writable.flush()
    del writable
    write_marker(fresh, stored["build"])
    replace_store(fresh, store_dir)
    outputs = write_files(out_dir, key, "oxigraph", known, exports, stored, corpus_dir,
                           manifest[EXPORT_PARTS] if export else None)
    return BuildResult(mode="incremental", store="oxigraph",
                       triples=stored["quads"], entities=len(entities),
                       sources=len(known), facts=sum(r["facts"] for r in known.values()),
                       rebuilt=[s.id for s in sources],
                       removed=removed, outputs=outputs,
                       corpus_checked=corpus_dir is not None)
