"""Where the time of a full build goes: the steps of `kg build --full` (Oxigraph store) run
one after the other, each timed alone (wall clock, and CPU of this process and of the SHACL
workers), with the cyclic garbage collector paused as the build pauses it.

    .venv/bin/python benchmarks/build_steps.py DATA_DIR SOURCES_DIR

A build runs these steps at once (reading, SHACL's workers and the store's loader thread
overlap), so its time is less than their sum; see README, "What is measured".
"""

from __future__ import annotations

import gc
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


class Clock:
    """Prints each step's wall clock and CPU seconds (this process and its children)."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = self._cpu()
        self.total = 0.0

    @staticmethod
    def _cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def step(self, name: str) -> None:
        wall, cpu = time.perf_counter(), self._cpu()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{name:40s} {wall - self.wall:6.2f} s  cpu {cpu - self.cpu:6.2f} s  "
              f"peak {peak:,.0f} MB", flush=True)
        self.total += wall - self.wall
        self.wall, self.cpu = time.perf_counter(), self._cpu()


def main() -> None:
    from kg.curation.model import Curation
    from kg.curation.reader import iter_source_files, load_registry
    from kg.graph.build import build_graph
    from kg.graph.namespaces import REGISTRY_GRAPH, source_graph
    from kg.graph.validate import validate_serialized
    from kg.pipeline import _consistent, _no_progress, _read_sources
    from kg.store import parts
    from kg.store.oxigraph import write_new_store

    data, corpus = Path(sys.argv[1]), Path(sys.argv[2])
    gc.disable()
    clock = Clock()
    entities = load_registry(data)
    clock.step("registry")
    sources = _read_sources(data, list(iter_source_files(data)), entities, corpus,
                            _no_progress)
    clock.step("read and check the sources")
    _consistent(entities, sources, lambda warning: None)
    clock.step("checks across files")
    built = build_graph(Curation(entities=entities, sources=tuple(sources)))
    clock.step("triples")
    made = dict(parts.serialize_graphs(built.graphs, consume=True))
    clock.step("N-Triples, TriG and Turtle parts")
    report = validate_serialized(made[REGISTRY_GRAPH].ntriples,
                                 [made[source_graph(s.id)].ntriples for s in sources])
    clock.step(f"SHACL (conforms: {report.conforms})")
    pieces = list(parts.nquads_pieces(made))
    clock.step("N-Quads pieces")
    parts.trig_file([part.trig for part in made.values()])
    parts.turtle_file([part.turtle for part in made.values()])
    clock.step("kg.trig and kg.ttl joined")
    folder = Path(tempfile.mkdtemp())
    try:
        write_new_store(folder / "store", pieces)
        clock.step("on-disk store (bulk loader)")
    finally:
        shutil.rmtree(folder)
    print(f"{'total, one step after the other':40s} {clock.total:6.2f} s")


if __name__ == "__main__":
    main()
